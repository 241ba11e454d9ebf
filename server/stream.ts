/**
 * Pieces the binary-audio dialects (Reson8, Speechall) share: a decoder that accepts audio while it
 * is still loading, PCM16 from binary frames of any length, and rejecting a WebSocket upgrade with
 * an HTTP status.
 */
import type { IncomingMessage } from 'node:http';
import { STATUS_CODES } from 'node:http';
import type { Duplex } from 'node:stream';
import type { RawData, WebSocket } from 'ws';
import { checkHandshake, type CredentialSources } from './auth';
import type { PocketSphinxEngine, Recognizer, RecognizerEvents } from './engine/pocketsphinx';

/** What every connection handler gets from the server. */
export interface ServerContext {
  /** The engine, or why it cannot run (an install instruction). */
  readonly engine: PocketSphinxEngine | { readonly unavailable: string };
  /** Key every client must present; undefined: none needed. */
  readonly apiKey?: string;
  /** One line per event worth logging; never receives keys or audio. */
  readonly log: (line: string) => void;
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

/** Bytes in a `ws` message. */
export function byteLength(data: RawData): number {
  return Array.isArray(data) ? data.reduce((n, b) => n + b.length, 0) : data instanceof ArrayBuffer ? data.byteLength : data.length;
}

function toBuffer(data: RawData): Buffer {
  return Array.isArray(data) ? Buffer.concat(data) : data instanceof ArrayBuffer ? Buffer.from(data) : data;
}

/**
 * Turns binary frames of little-endian PCM16 into samples. A frame may end mid-sample: the odd
 * byte is kept and joined to the next frame, so no sample is lost or misaligned.
 */
export class Pcm16Reader {
  private carry: number | null = null;

  read(data: RawData): Int16Array {
    let bytes = toBuffer(data);
    if (this.carry !== null) {
      bytes = Buffer.concat([Buffer.from([this.carry]), bytes]);
      this.carry = null;
    }
    if (bytes.length % 2 === 1) {
      this.carry = bytes[bytes.length - 1];
      bytes = bytes.subarray(0, bytes.length - 1);
    }
    const samples = new Int16Array(bytes.length / 2);
    for (let i = 0; i < samples.length; i++) samples[i] = bytes.readInt16LE(i * 2);
    return samples;
  }
}

/**
 * A recognizer that takes audio at once: what arrives while the model loads (~100–300 ms) is
 * queued and decoded in order when it is ready.
 */
export class StreamDecoder {
  private recognizer: Recognizer | null = null;
  private pending: Int16Array[] = [];
  private closed = false;
  /** Resolves when the decoder is loaded; rejects if it cannot be. */
  readonly ready: Promise<void>;

  constructor(engine: PocketSphinxEngine, events: RecognizerEvents) {
    this.ready = engine.createRecognizer(events).then((r) => {
      if (this.closed) {
        void r.close();
        return;
      }
      this.recognizer = r;
      for (const samples of this.pending) r.write(samples);
      this.pending = [];
    });
  }

  write(samples: Int16Array): void {
    if (this.closed) return;
    if (this.recognizer) this.recognizer.write(samples);
    else this.pending.push(samples);
  }

  /** Decodes everything written so far and ends the utterance in progress (its final is emitted first). */
  async finish(): Promise<void> {
    await this.ready;
    await this.recognizer?.finish();
  }

  async close(): Promise<void> {
    this.closed = true;
    this.pending = [];
    await this.recognizer?.close();
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

/** A binary-audio connection's decoder, and how to end the connection. */
export interface BinaryAudioStream {
  readonly decoder: StreamDecoder;
  readonly reader: Pcm16Reader;
  /** False once the connection is being closed: ignore further messages. */
  readonly open: boolean;
  /** Closes the connection with a close code and reason. */
  fail(code: number, reason: string): void;
}

/**
 * Opens the decoder of a binary-audio connection (Reson8, Speechall): results go to `results`, the
 * socket is paused while the decoder has a backlog, and a decoder that cannot start or fails closes
 * the connection with 1011 (neither seed has an in-stream error message). The decoder is freed
 * when the socket closes, after `beforeFree` settles.
 */
export function openBinaryAudioStream(
  ws: WebSocket,
  ctx: ServerContext,
  engine: PocketSphinxEngine,
  id: string,
  results: Pick<RecognizerEvents, 'partial' | 'final'>,
  beforeFree: () => Promise<void> = () => Promise.resolve(),
): BinaryAudioStream {
  const stream = {
    open: true,
    reader: new Pcm16Reader(),
    fail(code: number, reason: string) {
      stream.open = false;
      ws.close(code, reason);
    },
    decoder: new StreamDecoder(engine, {
      speechStarted() {},
      speechStopped() {},
      partial: (text) => results.partial(text),
      final: (utterance) => results.final(utterance),
      backpressure: (paused) => (paused ? ws.pause() : ws.resume()),
      error: (cause) => {
        ctx.log(`${id} decoder error: ${cause.message}`);
        stream.fail(1011, 'Recognizer failed');
      },
    }),
  };
  stream.decoder.ready.catch((cause: unknown) => {
    ctx.log(`${id} decoder could not start: ${cause instanceof Error ? cause.message : String(cause)}`);
    stream.fail(1011, 'Recognizer could not start');
  });
  ws.on('close', () => {
    stream.open = false;
    void beforeFree().then(() => stream.decoder.close());
    ctx.log(`${id} closed`);
  });
  ws.on('error', (cause) => ctx.log(`${id} socket error: ${cause.message}`));
  return stream;
}

/** How a binary-audio dialect checks its upgrade request. */
export interface UpgradeRules<Options> {
  readonly credentials: CredentialSources;
  /** The connection's options from the query, or the 400 to refuse with. */
  parse(url: URL): Options | Rejection;
  /** The dialect's 401 body for a missing or wrong key. */
  unauthorized(missing: boolean): object;
  /** The dialect's 500 body when the engine is not installed. */
  internalError(message: string): object;
}

/**
 * An endpoint for a dialect that checks everything at the upgrade (Reson8, Speechall): credentials
 * (401), query (400), engine (500), then `handle` with the parsed options and the loaded engine.
 */
export function upgradeCheckedEndpoint<Options>(
  rules: UpgradeRules<Options>,
  handle: (ws: WebSocket, options: Options, ctx: ServerContext, engine: PocketSphinxEngine) => void,
): Endpoint {
  const parse = (request: IncomingMessage) => rules.parse(new URL(request.url ?? '/', 'http://localhost'));
  return {
    check(request, ctx) {
      const auth = checkHandshake(request, ctx.apiKey, rules.credentials);
      if (auth !== 'accepted') return { status: 401, body: rules.unauthorized(auth === 'missing') };
      const options = parse(request);
      if (isRejection(options)) return options;
      if ('unavailable' in ctx.engine) return { status: 500, body: rules.internalError(ctx.engine.unavailable) };
      return null;
    },
    // Only reached after `check` accepted the same request.
    handle(ws, request, ctx) {
      const options = parse(request);
      if (isRejection(options) || 'unavailable' in ctx.engine) return void ws.close(1011, 'Unavailable');
      handle(ws, options, ctx, ctx.engine);
    },
  };
}

function isRejection(value: unknown): value is Rejection {
  return typeof value === 'object' && value !== null && 'status' in value && 'body' in value;
}
