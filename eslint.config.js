// ESLint flat config: typescript-eslint with type information, React hooks, JSX accessibility, and
// the import direction of docs/architecture (README, "Architecture"): each floor imports only the
// floors below it. Prettier owns formatting (eslint-config-prettier turns off the rules it covers).
import js from '@eslint/js';
import prettier from 'eslint-config-prettier';
import jsxA11y from 'eslint-plugin-jsx-a11y';
import reactHooks from 'eslint-plugin-react-hooks';
import globals from 'globals';
import { createNodeResolver, importX } from 'eslint-plugin-import-x';
import tseslint from 'typescript-eslint';

/** Tests and test helpers. */
const TESTS = ['**/*.test.{ts,tsx}', 'server/test-*.ts'];

/**
 * What each floor may import besides itself: an allow-list, so a new floor or file is refused until it
 * is placed. The README's architecture table says the same.
 */
const FLOORS = {
  'src/core': { may: [], why: 'src/core is the ground floor (vocabulary): it imports nothing above it.' },
  'src/audio': { may: ['src/core'], why: 'src/audio (capture, DSP) imports only src/core.' },
  'src/protocol': { may: ['src/core'], why: 'src/protocol (the services and their settings) imports only src/core.' },
  'src/transcript': { may: ['src/core'], why: 'src/transcript is pure transcript logic: it imports only src/core.' },
  'src/history': {
    may: ['src/core', 'src/transcript', 'src/audio'],
    why: 'src/history keeps sessions, their words and their audio: it imports only core, transcript and the codecs in audio.',
  },
  'src/session': {
    may: ['src/core', 'src/audio', 'src/protocol', 'src/transcript'],
    why: 'src/session (the orchestrator) imports only core, audio, protocol and transcript.',
  },
  'src/store': {
    may: ['src/core', 'src/protocol', 'src/transcript', 'src/history', 'src/session'],
    why: 'src/store holds state and actions: it reaches capture only through the session, never audio or components.',
  },
  'src/components': {
    may: ['src/core', 'src/protocol', 'src/transcript', 'src/store'],
    why: 'Components render state and call actions: capture, sessions and storage are below the store.',
  },
  server: {
    may: [
      'src/core',
      'src/protocol/mulaw.ts',
      'src/protocol/voicerun-contract.ts',
      'src/protocol/reson8-contract.ts',
      'src/protocol/speechall-contract.ts',
    ],
    why: 'server/ imports only src/core, the pure codecs (src/protocol/mulaw) and the dialect contracts (src/protocol/*-contract).',
  },
};

export default tseslint.config(
  { ignores: ['dist/', 'node_modules/', 'test-results/', 'playwright-report/', 'tmp/'] },
  js.configs.recommended,
  tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
      globals: { ...globals.browser, ...globals.node },
    },
    rules: {
      // Unused arguments and destructured leftovers are named with a leading underscore.
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', destructuredArrayIgnorePattern: '^_' },
      ],
      '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'inline-type-imports' }],
      eqeqeq: ['error', 'always'],
    },
  },
  {
    files: ['**/*.{js,mjs}'],
    extends: [tseslint.configs.disableTypeChecked],
  },
  {
    files: ['src/**/*.tsx'],
    extends: [reactHooks.configs.flat.recommended, jsxA11y.flatConfigs.recommended],
  },
  // The React Compiler's rules judge components; a test's render helpers are not the product's components,
  // and compiling every test file was a tenth of lint's time. The rules of hooks still apply.
  {
    files: TESTS,
    rules: Object.fromEntries(
      Object.keys(reactHooks.configs.flat.recommended.rules)
        .filter((rule) => rule !== 'react-hooks/rules-of-hooks' && rule !== 'react-hooks/exhaustive-deps')
        .map((rule) => [rule, 'off']),
    ),
  },
  {
    files: ['**/*.test.{ts,tsx}', '**/*.spec.ts', 'src/test/**', 'server/test-*.ts', 'e2e/support/**'],
    rules: {
      // Vitest's asymmetric matchers (expect.any, expect.stringMatching…) are typed `any` by design.
      '@typescript-eslint/no-unsafe-assignment': 'off',
      // Tests hand async callbacks to runners that await them; checking every argument's void return was
      // lint's most expensive rule. A promise in a condition, and an unawaited one, are still errors.
      '@typescript-eslint/no-misused-promises': ['error', { checksVoidReturn: false }],
    },
  },
  // Imports run one way (README, "Architecture"): each floor lists what it may import, dynamic
  // `import()` included, and no module imports itself back through another (no-cycle).
  {
    files: ['src/**/*.{ts,tsx}', 'server/**/*.ts'],
    plugins: { 'import-x': importX },
    settings: {
      ...importX.flatConfigs.typescript.settings,
      'import-x/resolver-next': [createNodeResolver({ extensions: ['.ts', '.tsx', '.js', '.mjs', '.json'] })],
    },
    rules: {
      'import-x/no-cycle': ['error', { ignoreExternal: true }],
      'import-x/no-restricted-paths': [
        'error',
        {
          zones: Object.entries(FLOORS).map(([floor, { may, why }]) => ({
            target: `./${floor}`,
            from: './src',
            except: (floor === 'server' ? may : [floor, ...may]).map((p) => `./${p.replace(/^src\//, '')}`),
            message: why,
          })),
        },
      ],
    },
  },
  // Tests may compose floors (a session test drives the store); the direction rules are for product code.
  { files: TESTS, rules: { 'import-x/no-restricted-paths': 'off' } },
  prettier,
);
