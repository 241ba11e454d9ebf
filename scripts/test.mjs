// npm test: installs what is missing, then lints (ESLint, Prettier), type-checks, runs the unit tests (Vitest), builds the
// app and runs the end-to-end tests (Playwright, Debian's Chromium, real speech).
// Ends with one line "N passed, N failed".
import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { BROWSER_PACKAGES, buildIfNeeded, ensureDebianPackages, ensureNodeModules, ENGINE_PACKAGES, root, run } from './ensure.mjs';

ensureNodeModules();
ensureDebianPackages([...ENGINE_PACKAGES, 'chromium', ...BROWSER_PACKAGES, 'nginx'], {
  required: true,
  why: 'the speech recognizer, the browsers for end-to-end tests with their virtual display and microphone, and nginx for the cluster test',
});

const bin = (pkg, file) => join(root, 'node_modules', pkg, file);
const results = join(root, 'test-results');
mkdirSync(results, { recursive: true });
const unitJson = join(results, 'unit.json');
const e2eJson = join(results, 'e2e.json');
rmSync(unitJson, { force: true });
rmSync(e2eJson, { force: true });

const steps = [];
const step = (name, fn) => {
  console.log(`\n[dictate] ${name}`);
  const status = fn();
  steps.push({ name, status });
  return status;
};

step(
  'Lint and format (ESLint, Prettier)',
  () =>
    run(process.execPath, [bin('eslint', 'bin/eslint.js'), '.']) ||
    // Formatting is per file, so Prettier's content-keyed cache (node_modules/.cache) is safe: a repeat run checks only changed files.
    run(process.execPath, [bin('prettier', 'bin/prettier.cjs'), '--check', '--cache', '--cache-strategy', 'content', '.']),
);
step('Type-check', () => run(process.execPath, [bin('typescript', 'bin/tsc'), '--noEmit', '-p', '.']));
step('Unit tests (Vitest)', () =>
  run(process.execPath, [bin('vitest', 'vitest.mjs'), 'run', '--reporter=default', '--reporter=json', `--outputFile.json=${unitJson}`]),
);
step('Build', () => {
  buildIfNeeded({ force: true });
  return 0;
});
step('End-to-end tests (Playwright)', () => run(process.execPath, [bin('@playwright/test', 'cli.js'), 'test']));

let passed = 0;
let failed = 0;
if (existsSync(unitJson)) {
  const unit = JSON.parse(readFileSync(unitJson, 'utf8'));
  passed += unit.numPassedTests ?? 0;
  failed += unit.numFailedTests ?? 0;
}
if (existsSync(e2eJson)) {
  const e2e = JSON.parse(readFileSync(e2eJson, 'utf8'));
  passed += (e2e.stats?.expected ?? 0) + (e2e.stats?.flaky ?? 0);
  failed += e2e.stats?.unexpected ?? 0;
}
const broken = steps.filter((s) => s.status !== 0);
for (const s of broken) console.error(`[dictate] Failed: ${s.name}`);
if (broken.length > 0 && failed === 0) failed = broken.length;
console.log(`\n${passed} passed, ${failed} failed`);
process.exit(broken.length > 0 ? 1 : 0);
