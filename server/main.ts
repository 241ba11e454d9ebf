/**
 * `npm start` / `npm run serve`: serves the built app and the local engine on PORT (default 8787).
 * Environment: PORT, HOST (default localhost; HOST=0.0.0.0 for every interface),
 * DICTATE_API_KEY (require this key from clients), DICTATE_PS_MODEL_DIR, DICTATE_STATIC_DIR.
 */
import { fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';
import { createDictateServer } from './app';
import { loadPocketSphinx } from './engine/pocketsphinx';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const port = Number(process.env.PORT ?? 8787);
const host = process.env.HOST ?? 'localhost';
const apiKey = process.env.DICTATE_API_KEY || undefined;
const staticDir = process.env.DICTATE_STATIC_DIR ?? join(root, 'dist');
const quiet = process.env.DICTATE_QUIET === '1';
/** Test-only fault injection (see `DictateServerOptions.faults`). */
const faults = process.env.DICTATE_FAULTS === '1';

const engine = loadPocketSphinx();
const health = engine.health();
if (!health.ready) console.warn(`[dictate] ${health.reason}`);

const server = createDictateServer({
  engine,
  apiKey,
  staticDir,
  faults,
  log: (line) => {
    if (!quiet) console.log(`[dictate] ${line}`);
  },
});

server.on('error', (error: NodeJS.ErrnoException) => {
  console.error(error.code === 'EADDRINUSE' ? `[dictate] Port ${port} is in use: set PORT to another port.` : `[dictate] ${error.message}`);
  process.exit(1);
});

server.listen(port, host, () => {
  console.log(`Dictate is running at http://${host === '0.0.0.0' ? 'localhost' : host}:${port}/`);
  console.log(`  engine: ${health.ready ? health.name : 'unavailable (see above)'}`);
  console.log('  endpoints: /ws (VoiceRun), /v1/speech-to-text/realtime (Reson8), /v1/transcribe (Speechall)');
  console.log(`  auth: ${apiKey ? 'DICTATE_API_KEY required' : 'none (set DICTATE_API_KEY to require a key)'}`);
  if (faults) console.warn('  fault injection ON (DICTATE_FAULTS=1): POST /__faults/drop kills connections. For tests only.');
});

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    server.close();
    process.exit(0);
  });
}
