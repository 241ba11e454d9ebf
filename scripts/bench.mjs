// npm run bench: installs what is missing, then runs bench/run.ts (arguments pass through).
import { join } from 'node:path';
import { ensureDebianPackages, ensureNodeModules, ENGINE_PACKAGES, root, run } from './ensure.mjs';

ensureNodeModules();
ensureDebianPackages([...ENGINE_PACKAGES, 'chromium', 'pocketsphinx-testdata'], {
  required: false,
  why: 'the engine, the browser and the LibriVox clips to measure with',
});
process.exit(run(process.execPath, ['--expose-gc', '--import', 'tsx', join(root, 'bench', 'run.ts'), ...process.argv.slice(2)]));
