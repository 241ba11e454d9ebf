// npm run test:busy: the whole of `npm test` beside two CPU-burning processes (on this 2-core machine,
// a load average of about 4 on top of the suite's own), to show that no test depends on the machine's
// speed. `-- --burners N` changes how many. Ends with `npm test`'s own line "N passed, N failed".
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { root, run } from './ensure.mjs';

const at = process.argv.indexOf('--burners');
const count = at >= 0 ? Number(process.argv[at + 1]) : 2;
const burners = Array.from({ length: count }, () =>
  spawn(process.execPath, ['-e', 'for (;;) Math.sqrt(Math.random());'], { stdio: 'ignore' }),
);
const stop = () => burners.forEach((b) => b.kill('SIGKILL'));
process.on('exit', stop);
process.on('SIGINT', () => process.exit(130));
process.on('SIGTERM', () => process.exit(143));
console.log(`[dictate] npm test beside ${count} CPU-burning processes`);
const status = run(process.execPath, [join(root, 'scripts', 'test.mjs')]);
stop();
process.exit(status);
