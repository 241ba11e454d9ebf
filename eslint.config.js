// ESLint flat config: typescript-eslint with type information, React hooks, JSX accessibility, and
// the import direction of docs/architecture (README, "Architecture"): each floor imports only the
// floors below it. Prettier owns formatting (eslint-config-prettier turns off the rules it covers).
import js from '@eslint/js';
import prettier from 'eslint-config-prettier';
import jsxA11y from 'eslint-plugin-jsx-a11y';
import reactHooks from 'eslint-plugin-react-hooks';
import globals from 'globals';
import tseslint from 'typescript-eslint';

/** Tests may compose floors (a session test drives the store); the direction rules are for product code. */
const TESTS = ['**/*.test.{ts,tsx}', 'server/test-*.ts'];

/** A `no-restricted-imports` rule forbidding relative imports that match `regex`, with the reason. */
const onlyDown = (regex, message) => ({ 'no-restricted-imports': ['error', { patterns: [{ regex, message }] }] });

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
  {
    files: ['**/*.test.{ts,tsx}', '**/*.spec.ts', 'src/test/**', 'server/test-*.ts', 'e2e/support/**'],
    rules: {
      // Vitest's asymmetric matchers (expect.any, expect.stringMatching…) are typed `any` by design.
      '@typescript-eslint/no-unsafe-assignment': 'off',
    },
  },
  // Imports run one way: core ← audio, protocol, transcript ← history, session ← store ← components; server ← core and codecs.
  { files: ['src/core/**'], ignores: TESTS, rules: onlyDown('^\\.\\./', 'src/core is the ground floor: it imports nothing above it.') },
  {
    files: ['src/audio/**'],
    ignores: TESTS,
    rules: onlyDown('^\\.\\./(protocol|session|store|components)/', 'src/audio imports only src/core.'),
  },
  {
    files: ['src/protocol/**'],
    ignores: TESTS,
    rules: onlyDown('^\\.\\./(audio|session|store|components)/', 'src/protocol imports only src/core.'),
  },
  {
    files: ['src/transcript/**'],
    ignores: TESTS,
    rules: onlyDown('^\\.\\./(?!core/)', 'src/transcript is pure transcript logic: it imports only src/core.'),
  },
  {
    files: ['src/history/**'],
    ignores: TESTS,
    rules: onlyDown('^\\.\\./(?!core/|transcript/)', 'src/history keeps sessions: it imports only core and transcript.'),
  },
  {
    files: ['src/session/**'],
    ignores: TESTS,
    rules: onlyDown('^\\.\\./(store|components)/', 'src/session imports only core, audio and protocol.'),
  },
  {
    files: ['src/store/**'],
    ignores: TESTS,
    rules: onlyDown('^\\.\\./(audio|components)/', 'src/store holds state and actions: no audio, no components.'),
  },
  {
    files: ['src/components/**'],
    ignores: TESTS,
    rules: onlyDown('^\\.\\./(audio|history)/', 'Components render state and call actions; capture and storage are below the store.'),
  },
  {
    files: ['server/**'],
    ignores: TESTS,
    rules: onlyDown('^(\\.\\./)+src/(?!core/|protocol/mulaw$)', 'server/ imports only src/core and the pure codecs (src/protocol/mulaw).'),
  },
  prettier,
);
