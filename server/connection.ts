/**
 * One connection lifecycle for every dialect (docs/protocols.md, "The local server").
 *
 * {@link serveConnection} owns the socket: it listens for `'error'` before anything can write to or
 * close it, refuses any message over {@link MAX_MESSAGE_BYTES}, turns a throwing handler into a
 * close instead of a crash, and frees the recognizer when the socket closes. A dialect only says what
 * its messages mean. Audio reaches the engine through one {@link AudioStream}, whatever carried it:
 * binary PCM16 frames (Reson8, Speechall) or base64 in JSON (VoiceRun).
 */
import type { IncomingMessage } from 'node:http';
import { STATUS_CODES } from 'node:http';
import type { Duplex } from 'node:stream';
import type { RawData, WebSocket } from 'ws';
import { checkHandshake, type CredentialSources } from './auth';
import { requestUrl } from './http';
import type { TokenLedger } from './tokens';
import type { Recognizer, RecognizerEvents, SpeechEngine, VocabularyTerm } from './engine/engine';
import type { DialectName, ServerMetrics } from './metrics';

/** Largest WebSocket message any dialect accepts, bytes (1 MiB: 32 s of PCM16). */
export const MAX_MESSAGE_BYTES = 1024 * 1024;

/** What every connection handler gets from the server. */
export interface ServerContext {
  readonly engine: SpeechEngine;
  /** Key every client must present; undefined: none needed. */
  readonly apiKey?: string;
  /** One line per event worth logging; never receives keys or audio. */
  readonly log: (line: string) => void;
  /** For measurements (`npm run bench`): every piece of audio a connection hands to its recognizer. */
  readonly tap?: (connection: string, samples: Int16Array) => void;
  /** Open connections, for the session cap, `/readyz` and a graceful shutdown. */
  readonly sessions?: SessionRegistry;
  /** A connection that sends no audio for this long is closed, ms (default 60 000). */
  readonly idleTimeoutMs?: number;
  /** Tokens this replica has accepted (each works for one connection). */
  readonly tokens?: TokenLedger;
  /** Where sessions, closes and final lag are counted (`GET /metrics`). */
  readonly metrics?: ServerMetrics;
  /** The dialect of this connection's endpoint, for its metrics. */
  readonly dialect?: DialectName;
}

/** The open connections of one server. */
export class SessionRegistry {
  readonly open = new Set<Connection>();
  /** @param max most concurrent sessions (`DICTATE_MAX_SESSIONS`) */
  constructor(readonly max: number) {}

  get full(): boolean {
    return this.open.size >= this.max;
  }

  /**
   * Finishes every session (final results, then the dialect's close with 1001) within `graceMs`. One
   * that has not finished by then (a busy machine, a long backlog) is closed with 1001 all the same:
   * going away, not an abnormal 1006, so its client reconnects elsewhere and replays what has no text.
   */
  async shutdown(graceMs: number): Promise<void> {
    const all = Promise.allSettled([...this.open].map((c) => c.shutdown()));
    await Promise.race([all, new Promise((resolve) => setTimeout(resolve, graceMs).unref())]);
    for (const c of this.open) if (c.open) c.close(1001, 'Server shutting down');
  }
}

/** An upgrade refused before the WebSocket opens. */
export interface Rejection {
  /** HTTP status, e.g. 400, 401, 500. */
  readonly status: number;
  /** JSON body sent with it. */
  readonly body: object;
}

/** A WebSocket endpoint: an optional check of the upgrade request, then the connection handler. */
export interface Endpoint {
  /** Refuses the upgrade (bad parameters, bad key) before any WebSocket exists; null accepts it. */
  readonly check?: (request: IncomingMessage, ctx: ServerContext) => Rejection | null;
  readonly handle: (ws: WebSocket, request: IncomingMessage, ctx: ServerContext) => void;
}

/** Writes an HTTP error response on a socket that asked to upgrade, then closes it. */
export function rejectUpgrade(socket: Duplex, rejection: Rejection): void {
  const body = JSON.stringify(rejection.body);
  socket.end(
    `HTTP/1.1 ${rejection.status} ${STATUS_CODES[rejection.status] ?? 'Error'}\r\n` +
      'Connection: close\r\nContent-Type: application/json\r\n' +
      `Content-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`,
  );
}

function toBuffer(data: RawData): Buffer {
  return Array.isArray(data) ? Buffer.concat(data) : data instanceof ArrayBuffer ? Buffer.from(data) : data;
}

/** Little-endian PCM16 bytes (an even count) as samples. */
export function pcm16Samples(bytes: Buffer): Int16Array {
  const samples = new Int16Array(bytes.length >> 1);
  for (let i = 0; i < samples.length; i++) samples[i] = bytes.readInt16LE(i * 2);
  return samples;
}

/**
 * Turns binary frames of little-endian PCM16 into samples. A frame may end mid-sample: the odd
 * byte is kept and joined to the next frame, so no sample is lost or misaligned.
 */
export class Pcm16Reader {
  private carry: number | null = null;

  read(bytes: Buffer): Int16Array {
    if (this.carry !== null) {
      bytes = Buffer.concat([Buffer.from([this.carry]), bytes]);
      this.carry = null;
    }
    if (bytes.length % 2 === 1) {
      this.carry = bytes[bytes.length - 1];
      bytes = bytes.subarray(0, bytes.length - 1);
    }
    return pcm16Samples(bytes);
  }
}

/** Parses a query boolean: `true` / `false` (also `1` / `0`); undefined when absent. */
export function queryBoolean(url: URL, name: string): boolean | undefined | Error {
  const value = url.searchParams.get(name);
  if (value === null || value === '') return undefined;
  if (value === 'true' || value === '1') return true;
  if (value === 'false' || value === '0') return false;
  return new Error(`${name} must be true or false (got "${value.slice(0, 20)}").`);
}

/** What a dialect hears of its recognizer. */
export type StreamResults = Pick<RecognizerEvents, 'speechStarted' | 'speechStopped' | 'partial' | 'final'>;

/**
 * A recognizer that takes audio at once: what arrives while the engine opens (~100–300 ms) is
 * queued and decoded in order when it is ready.
 */
export interface AudioStream {
  /**
   * Opens the recognizer now if it is not open or opening (a lazy stream otherwise waits for audio).
   * Resolves when it is open; rejects when the engine cannot open one.
   */
  open(): Promise<void>;
  write(samples: Int16Array): void;
  /** Decodes everything written so far and ends the utterance in progress (its final is emitted first). */
  finish(): Promise<void>;
}

/** What a dialect may do with its connection. */
export interface Connection {
  /** For log lines, e.g. `r8_1a2b3c4d`. */
  readonly id: string;
  /** False once the connection is closing: further messages are ignored. */
  readonly open: boolean;
  /** Sends a JSON message (an object) or a text frame (a string) while the socket is open. */
  send(message: object | string): void;
  /** Closes with a close code and reason; nothing more is read. */
  close(code: number, reason: string): void;
  /**
   * Opens the connection's recognizer (one per connection). A recognizer failure closes with 1011
   * after `onFailure` (for a dialect that reports it in-stream first). When the engine cannot open
   * one, `onUnavailable` decides; by default the connection closes with 1011. With `lazy`, the
   * recognizer is opened when the first audio arrives: an idle connection costs no decoder.
   */
  startAudio(
    results: StreamResults,
    handlers?: { onFailure?(): void; onUnavailable?(cause: Error): void; lazy?: boolean; vocabulary?: readonly VocabularyTerm[] },
  ): AudioStream;
  /** Ends the session because the server shuts down: its final results, then its close with 1001. */
  shutdown(): Promise<void>;
}

/** A dialect: what its messages mean. Everything else is {@link serveConnection}'s. */
export interface Dialect {
  /** A text frame, as a string. */
  text(conn: Connection, text: string): void;
  /** A binary frame. */
  binary(conn: Connection, bytes: Buffer): void;
  /** A message over {@link MAX_MESSAGE_BYTES} arrived (the connection then closes with 1009). */
  tooBig?(conn: Connection, size: number): void;
  /** Awaited after the socket closes, before the recognizer is freed (e.g. pending flushes). */
  drain?(): Promise<void>;
  /** The server shuts down: send what the dialect sends at an end, then close with 1001 (default: finish, close). */
  shutdown?(conn: Connection, audio: AudioStream | null): Promise<void>;
}

function byteLength(data: RawData): number {
  return Array.isArray(data) ? data.reduce((n, b) => n + b.length, 0) : data instanceof ArrayBuffer ? data.byteLength : data.length;
}

/**
 * Serves one WebSocket with a dialect. `id` names it in log lines. Returns the connection so the
 * dialect can greet the client or refuse it right away: listeners are attached before that.
 */
export function serveConnection(ws: WebSocket, ctx: ServerContext, id: string, dialect: Dialect): Connection {
  let closed = false;
  let audio: OwnedStream | null = null;
  let lastAudioAt = Date.now();

  ws.on('error', (cause) => ctx.log(`${id} socket error: ${cause.message}`));
  const idleMs = ctx.idleTimeoutMs ?? 60_000;
  const idleCheck = setInterval(
    () => {
      if (Date.now() - lastAudioAt >= idleMs) conn.close(1000, `Idle timeout: no audio for ${Math.round(idleMs / 1000)} s`);
    },
    Math.min(1000, idleMs),
  );
  idleCheck.unref();

  const conn: Connection = {
    id,
    get open() {
      return !closed && ws.readyState === ws.OPEN;
    },
    send(message) {
      if (ws.readyState === ws.OPEN) ws.send(typeof message === 'string' ? message : JSON.stringify(message));
    },
    close(code, reason) {
      closed = true;
      ws.close(code, reason);
    },
    async shutdown() {
      if (closed) return;
      if (dialect.shutdown) return dialect.shutdown(conn, audio);
      await audio?.finish().catch(() => undefined);
      conn.close(1001, 'Server shutting down');
    },
    startAudio(results, handlers = {}) {
      // One recognizer per connection: a stream started again replaces the last, whose decoder is freed.
      const previous = audio;
      if (previous) void previous.dispose();
      const stream = openAudioStream(ctx, id, ws, results, {
        ...handlers,
        isClosed: () => closed || audio !== stream,
        touch: () => (lastAudioAt = Date.now()),
        fail: (reason) => conn.close(1011, reason),
      });
      audio = stream;
      return stream;
    },
  };

  ws.on('message', (data, isBinary) => {
    if (!conn.open) return;
    const size = byteLength(data);
    if (size > MAX_MESSAGE_BYTES) {
      dialect.tooBig?.(conn, size);
      return conn.close(1009, `Message over ${MAX_MESSAGE_BYTES} bytes`);
    }
    try {
      const bytes = toBuffer(data);
      if (isBinary) dialect.binary(conn, bytes);
      else dialect.text(conn, bytes.toString('utf8'));
    } catch (cause) {
      ctx.log(`${id} internal error: ${cause instanceof Error ? cause.message : String(cause)}`);
      conn.close(1011, 'Internal error');
    }
  });

  ctx.sessions?.open.add(conn);
  if (ctx.dialect) ctx.metrics?.sessionOpened(ctx.dialect);
  ws.on('close', (code) => {
    if (ctx.dialect) ctx.metrics?.sessionClosed(ctx.dialect, code);
    closed = true;
    clearInterval(idleCheck);
    ctx.sessions?.open.delete(conn);
    ctx.log(`${id} closed`);
    const drained = dialect.drain?.() ?? Promise.resolve();
    void drained.catch(() => undefined).then(() => audio?.dispose());
  });

  return conn;
}

/** A stream as the connection holds it: it frees its recognizer when replaced or when the socket closes. */
interface OwnedStream extends AudioStream {
  /** Waits for an opening in progress, then closes the recognizer; nothing more is decoded. */
  dispose(): Promise<void>;
}

interface StreamOptions {
  onFailure?(): void;
  onUnavailable?(cause: Error): void;
  lazy?: boolean;
  /** The words and phrases this stream favours (docs/protocols.md, "Vocabulary"). */
  vocabulary?: readonly VocabularyTerm[];
  /** True once this stream may no longer decode: the socket closed, or another stream replaced it. */
  isClosed(): boolean;
  /** Audio arrived (for the idle timeout). */
  touch(): void;
  /** Closes the connection with 1011 and this reason. */
  fail(reason: string): void;
}

/**
 * One recognizer behind an {@link AudioStream}: what arrives while the engine opens is queued and
 * written, in order, once it is open.
 */
function openAudioStream(ctx: ServerContext, id: string, ws: WebSocket, results: StreamResults, options: StreamOptions): OwnedStream {
  let recognizer: Recognizer | null = null;
  let pending: Int16Array[] = [];
  let ready: Promise<void> | null = null;
  let disposed = false;
  const arrivals = new ArrivalLog();
  const events: RecognizerEvents = {
    ...results,
    final(utterance) {
      // How long after the audio it covers arrived the final left (the final lag an operator watches).
      const arrived = arrivals.arrivalOf(((utterance.startMs + utterance.durationMs) * 16) | 0);
      if (arrived !== undefined && ctx.dialect && utterance.text) ctx.metrics?.finalLag(ctx.dialect, (performance.now() - arrived) / 1000);
      results.final(utterance);
    },
    backpressure: (paused) => (paused ? ws.pause() : ws.resume()),
    error(cause) {
      if (disposed) return; // a stream that was replaced or closed no longer speaks for the connection
      ctx.log(`${id} recognizer error: ${cause.message}`);
      options.onFailure?.();
      options.fail('Recognizer failed');
    },
  };
  const open = (): Promise<void> => {
    if (ready) return ready;
    ready = ctx.engine.open(events, options.vocabulary?.length ? { vocabulary: options.vocabulary } : {}).then((r) => {
      if (disposed || options.isClosed()) {
        void r.close();
        return;
      }
      recognizer = r;
      for (const samples of pending) r.write(samples);
      pending = [];
    });
    ready.catch((cause: unknown) => {
      const error = cause instanceof Error ? cause : new Error(String(cause));
      ctx.log(`${id} recognizer could not start: ${error.message}`);
      pending = [];
      if (options.onUnavailable) options.onUnavailable(error);
      else options.fail('Recognizer could not start');
    });
    return ready;
  };
  if (!options.lazy) void open().catch(() => undefined);
  return {
    open,
    write(samples) {
      if (disposed || options.isClosed() || samples.length === 0) return;
      options.touch();
      arrivals.arrived(samples.length);
      ctx.tap?.(id, samples);
      if (recognizer) recognizer.write(samples);
      else {
        pending.push(samples);
        void open().catch(() => undefined);
      }
    },
    async finish() {
      if (!ready) return; // nothing was written: nothing to finish
      await ready;
      await recognizer?.finish();
    },
    async dispose() {
      if (disposed) return;
      disposed = true;
      pending = [];
      await ready?.catch(() => undefined);
      const r = recognizer;
      recognizer = null;
      await r?.close();
      const time = r?.decodeTime?.();
      if (time && ctx.dialect) ctx.metrics?.streamDecoded(ctx.dialect, time.decodeMs / 1000, time.audioMs / 1000);
    },
  };
}

/**
 * When each stretch of a stream's audio arrived (the last 10 minutes' writes at most), so a final can be
 * placed against the arrival of the sample it ends on.
 */
class ArrivalLog {
  private samples = 0;
  private readonly ends: number[] = [];
  private readonly times: number[] = [];

  /** `count` samples arrived now. */
  arrived(count: number): void {
    this.samples += count;
    this.ends.push(this.samples);
    this.times.push(performance.now());
    if (this.ends.length > 30_000) {
      this.ends.splice(0, 10_000);
      this.times.splice(0, 10_000);
    }
  }

  /** When the audio holding sample `index` arrived, `performance.now()` ms; undefined if it is not known. */
  arrivalOf(index: number): number | undefined {
    let lo = 0;
    let hi = this.ends.length - 1;
    if (hi < 0) return undefined;
    if (index >= this.ends[hi]) return this.times[hi];
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (this.ends[mid] >= index) hi = mid;
      else lo = mid + 1;
    }
    return this.times[lo];
  }
}

/** How a dialect that checks everything at the upgrade does it. */
export interface UpgradeRules<Options> {
  readonly credentials: CredentialSources;
  /** The connection's options from the query, or an Error whose message is the reason for a 400. */
  parse(url: URL): Options | Error;
  /** The dialect's error codes for a refusal with 400, 401 and 500; the body is `{error: {code, message}}`. */
  readonly codes: Readonly<Record<400 | 401 | 500, string>>;
}

/**
 * An endpoint for a dialect that checks everything at the upgrade (Reson8, Speechall): credentials
 * (401, with `unauthorized(missing)` as the message), query (400), an engine that cannot run (500),
 * then `handle` with the parsed options.
 */
export function upgradeCheckedEndpoint<Options>(
  rules: UpgradeRules<Options>,
  unauthorized: (missing: boolean) => string,
  handle: (ws: WebSocket, options: Options, ctx: ServerContext) => void,
): Endpoint {
  const parse = (request: IncomingMessage) => rules.parse(requestUrl(request) ?? new URL('http://localhost/'));
  const refuse = (status: 400 | 401 | 500, message: string): Rejection => ({
    status,
    body: { error: { code: rules.codes[status], message } },
  });
  return {
    check(request, ctx) {
      const auth = checkHandshake(request, ctx.apiKey, rules.credentials, ctx.tokens);
      if (auth !== 'accepted') return refuse(401, unauthorized(auth === 'missing'));
      const options = parse(request);
      if (options instanceof Error) return refuse(400, options.message);
      const health = ctx.engine.health();
      if (!health.ready) return refuse(500, health.reason);
      return null;
    },
    // Only reached after `check` accepted the same request, so `parse` gives the same options.
    handle(ws, request, ctx) {
      handle(ws, parse(request) as Options, ctx);
    },
  };
}
