/**
 * `npm start` / `npm run serve`: serves the built app and the local engine on PORT (default 8787).
 * Environment: PORT, HOST (default localhost; HOST=0.0.0.0 for every interface),
 * DICTATE_API_KEY (require this key from clients), DICTATE_ALLOWED_ORIGINS (other origins whose pages
 * may connect, comma-separated, `*` for any), DICTATE_MAX_SESSIONS (default: what the cores carry in
 * real time, `sessionCapacity`; 2 with DICTATE_ENGINE),
 * DICTATE_TWO_PASS_SESSIONS (sessions on the two-pass decoder, the rest on the one-pass one; default
 * 1 per core), DICTATE_DECODER_THREADS (default: the cores), DICTATE_IDLE_TIMEOUT_S (default 60),
 * DICTATE_ALLOWED_HOSTS (public host names behind a proxy),
 * DICTATE_PS_MODEL_DIR, DICTATE_STATIC_DIR, DICTATE_ENGINE (a module with another speech engine:
 * docs/engines.md), DICTATE_LOG (`json` or `text`; default JSON lines unless stdout is a terminal).
 */
import { fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';
import { availableParallelism } from 'node:os';
import { createDictateServer, DEFAULT_MAX_SESSIONS, sessionCapacity } from './app';
import { isLoopback, loopbackHosts } from './http';
import { loadEngineModule } from './engine/module';
import { CPU_PER_SESSION, threadedPocketSphinx, TWO_PASS_SESSIONS_PER_CORE } from './engine/pocketsphinx';
import { createLog, logFormat } from './log';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const port = Number(process.env.PORT ?? 8787);
const host = process.env.HOST ?? 'localhost';
const apiKey = process.env.DICTATE_API_KEY || undefined;
const staticDir = process.env.DICTATE_STATIC_DIR ?? join(root, 'dist');
const quiet = process.env.DICTATE_QUIET === '1';
/** Test-only fault injection (see `DictateServerOptions.faults`). */
const faults = process.env.DICTATE_FAULTS === '1';
const allowedOrigins = (process.env.DICTATE_ALLOWED_ORIGINS ?? '')
  .split(',')
  .map((o) => o.trim())
  .filter(Boolean);
/** Host names besides this machine's that requests may carry (a reverse proxy's public name). */
const extraHosts = (process.env.DICTATE_ALLOWED_HOSTS ?? '')
  .split(',')
  .map((h) => h.trim().toLowerCase())
  .filter(Boolean);
// By default, what this machine's cores carry in real time (PocketSphinx's cost per session is measured).
const derivedCap = process.env.DICTATE_ENGINE ? DEFAULT_MAX_SESSIONS : sessionCapacity(availableParallelism(), CPU_PER_SESSION);
const maxSessions = Math.max(1, Number(process.env.DICTATE_MAX_SESSIONS) || derivedCap);
// Sessions on PocketSphinx's two-pass decoder; the rest get the one-pass decoder (docs/metrics.md, "Capacity").
const twoPassSessions = Math.min(
  maxSessions,
  process.env.DICTATE_TWO_PASS_SESSIONS
    ? Math.max(0, Number(process.env.DICTATE_TWO_PASS_SESSIONS) || 0)
    : TWO_PASS_SESSIONS_PER_CORE * availableParallelism(),
);
const idleTimeoutMs = Math.max(1, Number(process.env.DICTATE_IDLE_TIMEOUT_S) || 60) * 1000;
/** JSON lines where a machine reads the log (not a terminal, or DICTATE_LOG=json); text on a terminal. */
const format = logFormat(process.env.DICTATE_LOG, process.stdout.isTTY);
const log = createLog(format, quiet);
// DICTATE_ENGINE: a module of the user's own (docs/engines.md). Otherwise PocketSphinx on a thread per
// core (no more threads than sessions), one decoder per session at most, kept loaded between sessions.
const engine = process.env.DICTATE_ENGINE
  ? await loadEngineModule(process.env.DICTATE_ENGINE, { maxSessions })
  : threadedPocketSphinx({
      threads: Math.min(Number(process.env.DICTATE_DECODER_THREADS) || availableParallelism(), maxSessions),
      poolSize: maxSessions,
      twoPassSessions,
      // What a stream's vocabulary could not use: a count, never the words (they are the user's).
      report: (message) => log.info(`engine: ${message}`),
    });
if (allowedOrigins.includes('*')) log.warn('DICTATE_ALLOWED_ORIGINS=*: any web page may use this server from its visitors’ browsers.');

const health = engine.health();
if (!health.ready) log.warn(health.reason);

const server = createDictateServer({
  engine,
  apiKey,
  staticDir,
  faults,
  allowedOrigins,
  maxSessions,
  idleTimeoutMs,
  // Bound to loopback: only requests naming this machine, which defeats DNS rebinding.
  ...(isLoopback(host) ? { allowedHosts: [...loopbackHosts(host), ...extraHosts] } : {}),
  log: (line) => log.info(line),
});

server.on('error', (error: NodeJS.ErrnoException) => {
  log.error(error.code === 'EADDRINUSE' ? `Port ${port} is in use: set PORT to another port.` : error.message);
  process.exit(1);
});

server.listen(port, host, () => {
  const lines = [
    `Dictate is running at http://${host === '0.0.0.0' ? 'localhost' : host}:${port}/`,
    `engine: ${health.ready ? health.name : 'unavailable (see above)'}`,
    `sessions: at most ${maxSessions}${process.env.DICTATE_MAX_SESSIONS ? ' (DICTATE_MAX_SESSIONS)' : ` (what ${availableParallelism()} core(s) carry in real time; DICTATE_MAX_SESSIONS to change)`}`,
    'endpoints: /ws (VoiceRun), /v1/speech-to-text/realtime (Reson8), /v1/transcribe (Speechall)',
    `auth: ${apiKey ? 'DICTATE_API_KEY required' : 'none (set DICTATE_API_KEY to require a key)'}`,
  ];
  // On a terminal, the banner as lines to read; in JSON, one event.
  if (format === 'text') console.log(lines.join('\n  '));
  else log.warn(lines.join('; ')); // at warn: a quiet server still says where it runs
  if (faults) log.warn('fault injection ON (DICTATE_FAULTS=1): POST /__faults/drop kills connections. For tests only.');
});

// First signal: stop accepting, finish open sessions (finals, then 1001), exit within 5 s. Second: at once.
let stopping = false;
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    if (stopping) process.exit(1);
    stopping = true;
    log.warn(`${signal}: finishing ${server.listening ? 'open sessions' : ''}…`);
    setTimeout(() => process.exit(0), 5000).unref();
    void server.shutdown(4000).then(() => process.exit(0));
  });
}
