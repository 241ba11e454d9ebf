// npm start: installs what is missing, builds the app if needed, serves it with the local engine.
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { buildIfNeeded, ensureDebianPackages, ensureNodeModules, ENGINE_PACKAGES, root } from './ensure.mjs';

ensureNodeModules();
ensureDebianPackages(ENGINE_PACKAGES, { required: false, why: 'the local speech recognizer' });
buildIfNeeded();

const server = spawn(process.execPath, ['--import', 'tsx', join(root, 'server', 'main.ts')], { cwd: root, stdio: 'inherit' });
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => server.kill(signal));
server.on('exit', (code, signal) => process.exit(code ?? (signal ? 0 : 1)));
