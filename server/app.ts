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
import { keyMatches, presentedKey, selectSubprotocol } from './auth';
import { issueToken, TokenLedger } from './tokens';
import { RESON8_PATH } from '../src/protocol/reson8-contract';
import { SPEECHALL_PATH } from '../src/protocol/speechall-contract';
import { VOICERUN_PATH } from '../src/protocol/voicerun-contract';
import { reson8Endpoint } from './reson8';
import { speechallEndpoint } from './speechall';
import { MAX_MESSAGE_BYTES, rejectUpgrade, SessionRegistry, type Endpoint, type ServerContext } from './connection';
import { refusal, requestUrl, SECURITY_HEADERS, type AccessPolicy } from './http';
import { handleVoiceRun } from './voicerun';
import { createMetrics, type DialectName, type RefusalReason } from './metrics';

/** Options for {@link createDictateServer}. */
export interface DictateServerOptions extends ServerContext, AccessPolicy {
  /** Directory of the built app (`dist/`); omitted or missing: only the endpoints are served. */
  readonly staticDir?: string;
  /** Most concurrent sessions (`DICTATE_MAX_SESSIONS`); more are closed with 1013 (default 2). */
  readonly maxSessions?: number;
  /** A request (an upgrade included) must have sent all its headers within this, ms (default 10 000). */
  readonly handshakeTimeoutMs?: number;
  /**
   * Test-only fault injection, off unless set (`DICTATE_FAULTS=1`): `POST /__faults/drop?holdMs=N`
   * kills every WebSocket connection as a network loss would (the client sees 1006) and holds new
   * upgrades for N ms (default 0), so a reconnect can be watched. With `&path=/v1/…` only the
   * connections to that endpoint (one dialect) are killed and held, and the others go on.
   */
  readonly faults?: boolean;
}

/** The HTTP server, with what its sessions need from outside. */
export type DictateServer = Server & {
  /** Stops accepting, finishes open sessions (their finals, then 1001) within `graceMs`, and closes. */
  shutdown(graceMs?: number): Promise<void>;
};

/** WebSocket paths and their protocol handlers. */
const ENDPOINTS: Record<string, Endpoint & { readonly dialect: DialectName }> = {
  [VOICERUN_PATH]: { handle: handleVoiceRun, dialect: 'voicerun' },
  [RESON8_PATH]: { ...reson8Endpoint, dialect: 'reson8' },
  [SPEECHALL_PATH]: { ...speechallEndpoint, dialect: 'speechall' },
};

/** What metrics call a refused upgrade, by its HTTP status. */
const REFUSAL: Record<number, RefusalReason> = {
  400: 'bad_request',
  401: 'unauthorized',
  403: 'forbidden',
  404: 'not_found',
  500: 'unavailable',
  503: 'shutting_down',
};

/** The cap of a server created without one, and of `DICTATE_ENGINE` modules that say nothing of their cost. */
export const DEFAULT_MAX_SESSIONS = 2;

/**
 * The sessions a machine carries in real time, the default of `DICTATE_MAX_SESSIONS`:
 * `floor(cores × headroom / cpuPerSession)`, at least 1.
 * @param cores - CPU cores this process may use (`os.availableParallelism()`)
 * @param cpuPerSession - CPU seconds the server spends per second of one session's audio (the capacity
 *   table of `npm run bench` measures it: "CPU s per audio s per session")
 * @param headroom - the share of the cores sessions may fill on average. Speech is bursty (a session
 *   decodes its speech and skips its silence), so sessions that speak at the same moments need more
 *   than their average. Measured (npm run bench, capacity; 2 cores, sessions starting over 2 s): final
 *   lag p95 stayed at one session's with 8 sessions (0.9 cores of CPU) and passed it by 50–300 ms at 10.
 */
export function sessionCapacity(cores: number, cpuPerSession: number, headroom = 0.5): number {
  if (!(cores > 0) || !(cpuPerSession > 0)) return DEFAULT_MAX_SESSIONS;
  return Math.max(1, Math.floor((cores * headroom) / cpuPerSession));
}

function json(res: ServerResponse, status: number, body: object, headers: Record<string, string> = {}) {
  res.writeHead(status, { 'content-type': 'application/json', ...headers });
  res.end(JSON.stringify(body));
}

/** Creates (but does not start) the HTTP server. */
export function createDictateServer(options: DictateServerOptions): DictateServer {
  const sessions = options.sessions ?? new SessionRegistry(options.maxSessions ?? DEFAULT_MAX_SESSIONS);
  const metrics = options.metrics ?? createMetrics(() => options.engine.health(), sessions.max);
  const ctx: ServerContext = { ...options, sessions, metrics, tokens: options.tokens ?? new TokenLedger() };
  let shuttingDown = false;
  const assets =
    options.staticDir && existsSync(options.staticDir)
      ? sirv(options.staticDir, {
          single: true,
          etag: true,
          gzip: true,
          brotli: true,
          // Hashed build output never changes under its name; index.html must be asked for each time.
          setHeaders: (res, pathname) =>
            res.setHeader('Cache-Control', pathname.startsWith('/assets/') ? 'public, max-age=31536000, immutable' : 'no-cache'),
        })
      : null;

  /**
   * `POST /v1/auth/token`: a token for one connection within 60 s, for a backend that holds
   * `DICTATE_API_KEY` (as `Authorization: Bearer` or `ApiKey`) to hand to a page.
   */
  function tokenEndpoint(req: IncomingMessage, res: ServerResponse) {
    if (req.method !== 'POST') return json(res, 405, { error: { code: 'method_not_allowed', message: 'Use POST.' } }, { Allow: 'POST' });
    if (!options.apiKey)
      return json(res, 404, { error: { code: 'not_found', message: 'No DICTATE_API_KEY is set: this server needs no token.' } });
    const presented = presentedKey(req, { header: ['Bearer', 'ApiKey'], query: [], subprotocol: false });
    if (presented === null || !keyMatches(presented, options.apiKey)) {
      return json(res, 401, { error: { code: 'unauthorized', message: 'Send DICTATE_API_KEY as Authorization: Bearer <key>.' } });
    }
    return json(res, 200, issueToken(options.apiKey), { 'Cache-Control': 'no-store' });
  }

  /** Upgrades wait until this time (fault injection), ms since the epoch; per endpoint path, or '' for all. */
  const holdUpgradesUntil = new Map<string, number>();
  /** The endpoint path of each open connection (for fault injection narrowed to one dialect). */
  const pathOf = new WeakMap<object, string>();

  const handshakeMs = options.handshakeTimeoutMs ?? 10_000;
  const server = createServer(
    { headersTimeout: handshakeMs, requestTimeout: handshakeMs * 3, connectionsCheckingInterval: Math.min(1000, handshakeMs) },
    (req, res) => {
      for (const [name, value] of Object.entries(SECURITY_HEADERS)) res.setHeader(name, value);
      const url = requestUrl(req);
      if (!url) return json(res, 400, { error: { code: 'bad_request', message: 'The request URL cannot be parsed.' } });
      const refused = refusal(req, options, false);
      if (refused) return json(res, 403, { error: { code: 'forbidden', message: refused } });
      if (options.faults && req.method === 'POST' && url.pathname === '/__faults/drop') {
        const holdMs = Math.min(60_000, Math.max(0, Number(url.searchParams.get('holdMs')) || 0));
        const only = url.searchParams.get('path') ?? '';
        holdUpgradesUntil.set(only, Date.now() + holdMs);
        let dropped = 0;
        for (const client of wss.clients) {
          if (only && pathOf.get(client) !== only) continue;
          client.terminate();
          dropped++;
        }
        options.log(`fault: dropped ${dropped} connection(s)${only ? ` to ${only.slice(0, 80)}` : ''}, holding upgrades for ${holdMs} ms`);
        return json(res, 200, { dropped, holdMs });
      }
      if (url.pathname === '/v1/auth/token') return tokenEndpoint(req, res);
      if (req.method !== 'GET' && req.method !== 'HEAD') {
        return json(
          res,
          405,
          { error: { code: 'method_not_allowed', message: `${String(req.method).slice(0, 10)} is not allowed here.` } },
          { Allow: 'GET, HEAD' },
        );
      }
      if (url.pathname === '/metrics') {
        void metrics.registry.metrics().then(
          (text) => {
            res.writeHead(200, { 'content-type': metrics.registry.contentType, 'Cache-Control': 'no-store' });
            res.end(text);
          },
          (cause: unknown) =>
            json(res, 500, { error: { code: 'metrics_failed', message: cause instanceof Error ? cause.message : 'Metrics failed.' } }),
        );
        return;
      }
      if (url.pathname === '/healthz') {
        const health = options.engine.health();
        return json(res, 200, { ok: true, ...(health.ready ? { engine: 'ready' } : { engine: 'unavailable', reason: health.reason }) });
      }
      if (url.pathname === '/readyz') {
        const ready = !shuttingDown && !sessions.full && options.engine.health().ready;
        return json(res, ready ? 200 : 503, {
          ready,
          sessions: sessions.open.size,
          max_sessions: sessions.max,
          shutting_down: shuttingDown,
        });
      }
      if (assets) return assets(req, res, () => notFound(res));
      notFound(res);
    },
  );

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
    const path = requestUrl(request)?.pathname ?? '';
    const wait = Math.max(holdUpgradesUntil.get('') ?? 0, holdUpgradesUntil.get(path) ?? 0) - Date.now();
    if (wait > 0) return void setTimeout(() => upgrade(request, socket, head), wait);
    upgrade(request, socket, head);
  });

  function upgrade(request: IncomingMessage, socket: Duplex, head: Buffer) {
    if (socket.destroyed) return;
    const url = requestUrl(request);
    if (!url)
      return rejectUpgrade(socket, { status: 400, body: { error: { code: 'bad_request', message: 'The request URL cannot be parsed.' } } });
    const refused = refusal(request, options, true);
    if (refused) {
      metrics.refused('forbidden', ENDPOINTS[url.pathname]?.dialect);
      options.log(`upgrade to ${url.pathname.slice(0, 80)} refused: 403`);
      return rejectUpgrade(socket, { status: 403, body: { error: { code: 'forbidden', message: refused } } });
    }
    const path = url.pathname;
    const endpoint = ENDPOINTS[path];
    if (!endpoint) {
      metrics.refused('not_found');
      return rejectUpgrade(socket, {
        status: 404,
        body: { error: { code: 'not_found', message: `No WebSocket endpoint at ${path.slice(0, 80)}.` } },
      });
    }
    if (shuttingDown) {
      metrics.refused('shutting_down', endpoint.dialect);
      return rejectUpgrade(socket, { status: 503, body: { error: { code: 'shutting_down', message: 'The server is shutting down.' } } });
    }
    const rejection = endpoint.check?.(request, ctx);
    if (rejection) {
      metrics.refused(REFUSAL[rejection.status] ?? 'bad_request', endpoint.dialect);
      options.log(`upgrade to ${path} refused: ${rejection.status}`);
      return rejectUpgrade(socket, rejection);
    }
    wss.handleUpgrade(request, socket, head, (ws) => {
      pathOf.set(ws, path);
      if (sessions.full) {
        // Opened, then closed with a reason a browser can read (a refused upgrade it could not).
        ws.on('error', () => undefined);
        metrics.refused('busy', endpoint.dialect);
        options.log(`session refused: ${sessions.open.size} of ${sessions.max} in use`);
        return ws.close(1013, `The local engine is busy (${sessions.open.size} sessions); try again shortly.`);
      }
      endpoint.handle(ws, request, { ...ctx, dialect: endpoint.dialect });
    });
  }
  server.on('close', () => {
    for (const client of wss.clients) client.terminate();
    wss.close();
  });
  return Object.assign(server, {
    async shutdown(graceMs = 4000) {
      shuttingDown = true;
      server.close();
      await sessions.shutdown(graceMs);
      // Closing handshakes get a moment to complete; a client that does not answer is cut off.
      if (wss.clients.size > 0) await new Promise((resolve) => setTimeout(resolve, 500).unref());
      for (const client of wss.clients) client.terminate();
    },
  });
}

function notFound(res: ServerResponse) {
  res.writeHead(404, { 'content-type': 'text/plain; charset=utf-8' });
  res.end('Not found\n');
}
