/**
 * The local Dictate server: the built app (static files) and the transcription endpoints on one
 * port. Endpoints: `/ws` VoiceRun Transcribe, `/v1/speech-to-text/realtime` Reson8 realtime,
 * `/v1/transcribe` Speechall streaming; all three on the same PocketSphinx engine.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { existsSync } from 'node:fs';
import type { Duplex } from 'node:stream';
import sirv from 'sirv';
import { WebSocketServer } from 'ws';
import { selectSubprotocol } from './auth';
import { RESON8_PATH, reson8Endpoint } from './reson8';
import { SPEECHALL_PATH, speechallEndpoint } from './speechall';
import { MAX_MESSAGE_BYTES, rejectUpgrade, type Endpoint, type ServerContext } from './connection';
import { handleVoiceRun } from './voicerun';

/** Options for {@link createDictateServer}. */
export interface DictateServerOptions extends ServerContext {
  /** Directory of the built app (`dist/`); omitted or missing: only the endpoints are served. */
  readonly staticDir?: string;
  /**
   * Test-only fault injection, off unless set (`DICTATE_FAULTS=1`): `POST /__faults/drop?holdMs=N`
   * kills every WebSocket connection as a network loss would (the client sees 1006) and holds new
   * upgrades for N ms (default 0), so a reconnect can be watched.
   */
  readonly faults?: boolean;
}

/** WebSocket paths and their protocol handlers. */
const ENDPOINTS: Record<string, Endpoint> = {
  '/ws': { handle: handleVoiceRun },
  [RESON8_PATH]: reson8Endpoint,
  [SPEECHALL_PATH]: speechallEndpoint,
};

/** Creates (but does not start) the HTTP server. */
export function createDictateServer(options: DictateServerOptions): Server {
  const assets =
    options.staticDir && existsSync(options.staticDir) ? sirv(options.staticDir, { single: true, etag: true, gzip: true }) : null;

  /** Upgrades wait until this time (fault injection), ms since the epoch. */
  let holdUpgradesUntil = 0;

  const server = createServer((req, res) => {
    if (options.faults && req.method === 'POST' && req.url?.startsWith('/__faults/drop')) {
      const holdMs = Math.min(60_000, Math.max(0, Number(new URL(req.url, 'http://localhost').searchParams.get('holdMs')) || 0));
      holdUpgradesUntil = Date.now() + holdMs;
      const dropped = wss.clients.size;
      for (const client of wss.clients) client.terminate();
      options.log(`fault: dropped ${dropped} connection(s), holding upgrades for ${holdMs} ms`);
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ dropped, holdMs }));
      return;
    }
    if (req.url === '/healthz') {
      res.writeHead(200, { 'content-type': 'application/json' });
      const health = options.engine.health();
      res.end(JSON.stringify({ ok: true, ...(health.ready ? { engine: 'ready' } : { engine: 'unavailable', reason: health.reason }) }));
      return;
    }
    if (assets) return assets(req, res, () => notFound(res));
    notFound(res);
  });

  // Messages up to 16 MiB are read so an oversized one gets a protocol error before the close;
  // anything larger is closed by ws itself with 1009.
  const wss = new WebSocketServer({
    noServer: true,
    maxPayload: 16 * MAX_MESSAGE_BYTES,
    handleProtocols: (protocols) => selectSubprotocol(protocols),
  });

  server.on('upgrade', (request: IncomingMessage, socket: Duplex, head: Buffer) => {
    // Before anything can write to it or close it: a reset must not crash the server.
    socket.on('error', (cause) => options.log(`upgrade socket error: ${cause.message}`));
    const wait = holdUpgradesUntil - Date.now();
    if (wait > 0) return void setTimeout(() => upgrade(request, socket, head), wait);
    upgrade(request, socket, head);
  });

  function upgrade(request: IncomingMessage, socket: Duplex, head: Buffer) {
    if (socket.destroyed) return;
    const path = new URL(request.url ?? '/', 'http://localhost').pathname;
    const endpoint = ENDPOINTS[path];
    if (!endpoint)
      return rejectUpgrade(socket, {
        status: 404,
        body: { error: { code: 'not_found', message: `No WebSocket endpoint at ${path.slice(0, 80)}.` } },
      });
    const rejection = endpoint.check?.(request, options);
    if (rejection) {
      options.log(`upgrade to ${path} refused: ${rejection.status}`);
      return rejectUpgrade(socket, rejection);
    }
    wss.handleUpgrade(request, socket, head, (ws) => endpoint.handle(ws, request, options));
  }
  server.on('close', () => {
    for (const client of wss.clients) client.terminate();
    wss.close();
  });
  return server;
}

function notFound(res: ServerResponse) {
  res.writeHead(404, { 'content-type': 'text/plain; charset=utf-8' });
  res.end('Not found\n');
}
