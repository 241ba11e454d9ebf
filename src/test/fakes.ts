/**
 * Test doubles for what jsdom cannot reach: the microphone and the cloud service.
 *
 * `FakeVoiceRunService` plays the server side of VoiceRun Transcribe as docs/protocols.md ("VoiceRun Transcribe") specifies
 * it (session.created on connect, or after a valid first-message auth; session.updated echoing the
 * config; session.closed after session.close; close 4001 for a wrong key), with hooks for tests to
 * push transcription events and failures.
 */
import type { Capture, CaptureHandlers, StartCapture } from '../audio/capture';
import type { MicrophoneOptions } from '../core/microphone';
import type { DictationError } from '../core/errors';
import { FRAME_BYTES, type Pcm16Frame } from '../core/frames';
import type { ConnectionRequest, WireMessage } from '../protocol/adapter';
import type { Connect, Transport, TransportHandlers } from '../session/transport';

/** A fake microphone: tests push frames; `stop()` posts a final padded frame like the worklet. */
export class FakeMicrophone {
  handlers: CaptureHandlers | null = null;
  running = false;
  stopped = false;
  /** Reject the next start with this (e.g. a DOMException named NotAllowedError). */
  failWith: Error | null = null;
  /** Resolve start only when `grant()` is called. */
  holdPermission = false;
  /** Device ids that are plugged in; a start asking for another falls back to the default, as capture.ts does. */
  connected: readonly string[] | null = null;
  /** The microphone options of the last start. */
  options: MicrophoneOptions | undefined;
  private grantResolve: (() => void) | null = null;
  private frameCount = 0;

  readonly start: StartCapture = async (handlers, options) => {
    this.options = options;
    if (this.failWith) throw this.failWith;
    if (this.holdPermission) await new Promise<void>((resolve) => (this.grantResolve = resolve));
    this.handlers = handlers;
    this.running = true;
    const fellBack = Boolean(this.connected && options?.deviceId && !this.connected.includes(options.deviceId));
    const capture: Capture = {
      sampleRate: 48000,
      fellBack,
      stop: () => {
        if (this.running) {
          this.emit(); // the worklet's flush: the last, padded frame
          this.running = false;
          this.stopped = true;
        }
        return Promise.resolve();
      },
    };
    return capture;
  };

  grant() {
    this.grantResolve?.();
  }

  /** Emits one 20 ms frame whose samples all equal the frame's sequence number (captured at `capturedAt`, ms, if given). */
  emit(peak = 0.5, capturedAt?: number): Pcm16Frame {
    const pcm = new ArrayBuffer(FRAME_BYTES);
    new Int16Array(pcm).fill(++this.frameCount);
    const frame = { pcm, peak, ...(capturedAt !== undefined && { capturedAt }) };
    if (this.running) this.handlers?.onFrame(frame);
    return frame;
  }

  /** Simulates an unplugged device. */
  unplug(error: DictationError) {
    this.running = false;
    this.handlers?.onError(error);
  }
}

/** Options of the fake service. */
export interface FakeServiceOptions {
  /** Key the service requires; undefined accepts anyone. */
  apiKey?: string;
  /** Whether the socket opens at all. */
  reachable?: boolean;
  /** Answer session.close with session.closed (default true). */
  answerClose?: boolean;
  /** Send session.created on open (default true); false simulates a silent server. */
  greet?: boolean;
}

/** The server end of one fake connection: what every fake service shares. */
abstract class FakeServerEnd {
  request: ConnectionRequest | null = null;
  handlers: TransportHandlers | null = null;
  /** How the client closed the current connection, if it did. */
  closedByClient: { code: number; reason: string } | null = null;
  /** Every close by the client, over all connections. */
  readonly clientCloses: { code: number; reason: string }[] = [];
  /** Connections opened so far (a reconnect opens another). */
  connections = 0;
  /** What the client's socket reports as not yet sent; a test raises it to play a stalled network. */
  bufferedAmount = 0;
  protected open = false;

  /** The client side of the current connection. */
  protected transport(send: (data: WireMessage) => void): Transport {
    const isOpen = () => this.open;
    const buffered = () => this.bufferedAmount;
    return {
      send(data) {
        if (!isOpen()) return false;
        send(data);
        return true;
      },
      close: (code, reason) => this.clientClose(code, reason),
      get bufferedAmount() {
        return buffered();
      },
    };
  }

  /** A new connection: what a fake keeps per connection starts again. */
  protected begin(request: ConnectionRequest, handlers: TransportHandlers) {
    this.request = request;
    this.handlers = handlers;
    this.closedByClient = null;
    this.connections++;
  }

  /** Sends a server message (object → JSON; a string as it is). */
  push(message: object | string) {
    if (!this.open) return;
    this.handlers!.message(typeof message === 'string' ? message : JSON.stringify(message));
  }

  /** The server closes the socket. */
  serverClose(code: number, reason = '') {
    this.open = false;
    this.handlers!.close(code, reason, true);
  }

  /** The client closes the socket (the transport's `close`). */
  protected clientClose(code = 1000, reason = '') {
    if (this.closedByClient) return;
    this.closedByClient = { code, reason };
    this.clientCloses.push(this.closedByClient);
    this.open = false;
  }
}

/** One fake connection, as the service sees it. */
export class FakeVoiceRunService extends FakeServerEnd {
  /** Every message the client sent, parsed. */
  readonly received: { type: string; [k: string]: unknown }[] = [];
  private authenticated = false;

  constructor(readonly options: FakeServiceOptions = {}) {
    super();
  }

  /** The `Connect` to inject into the session. */
  readonly connect: Connect = (request, handlers) => {
    this.begin(request, handlers);
    this.authenticated = false;
    queueMicrotask(() => this.accept());
    return this.transport((data) => this.onClientMessage(data));
  };

  private keyFromHandshake(): string | null {
    const url = new URL(this.request!.url);
    const query = url.searchParams.get('api_key');
    if (query) return query;
    const i = this.request!.protocols.indexOf('bearer');
    return i >= 0 ? (this.request!.protocols[i + 1] ?? null) : null;
  }

  private accept() {
    if (this.options.reachable === false) {
      this.handlers!.close(1006, '', false);
      return;
    }
    // The server decides on the handshake's credentials before the client can send anything.
    const required = this.options.apiKey;
    const presented = this.keyFromHandshake();
    this.authenticated = !required || (presented !== null && presented === required);
    this.open = true;
    this.handlers!.open();
    if (required && presented !== null && presented !== required) return this.serverClose(4001, 'Unauthorized');
    if (this.authenticated && this.options.greet !== false) this.created();
  }

  private created() {
    this.push({ type: 'session.created', session: { id: 'ts_a1b2c3d4e5f6' } });
  }

  private onClientMessage(data: WireMessage) {
    if (typeof data !== 'string') throw new Error('VoiceRun clients send JSON text, not binary.');
    const message = JSON.parse(data) as { type: string; [k: string]: unknown };
    this.received.push(message);
    if (!this.authenticated) {
      if (message.type === 'auth' && message.token === this.options.apiKey) {
        this.authenticated = true;
        return this.created();
      }
      return this.serverClose(4001, 'Unauthorized');
    }
    switch (message.type) {
      case 'session.update': {
        const s = message.session as Record<string, unknown>;
        return this.push({
          type: 'session.updated',
          session: {
            model: s.model,
            provider: s.provider,
            language: s.language ?? 'en',
            sample_rate: s.sample_rate ?? 16000,
            input_audio_format: s.input_audio_format ?? 'pcm16',
          },
        });
      }
      case 'session.close':
        if (this.options.answerClose !== false) this.push({ type: 'session.closed' });
        return;
    }
  }

  /** Audio the client sent, decoded from audio.append base64 into PCM16 frames. */
  audioFrames(): Int16Array[] {
    return this.received
      .filter((m) => m.type === 'audio.append')
      .map((m) => {
        const binary = atob(String(m.audio));
        const bytes = Uint8Array.from(binary, (c) => c.charCodeAt(0));
        return new Int16Array(bytes.buffer);
      });
  }
}

/** Resolves after pending microtasks and timers at 0 ms. */
export const settle = () => new Promise((resolve) => setTimeout(resolve, 0));

/** Options of the binary-audio fakes. */
export interface FakeBinaryServiceOptions {
  /** Key the service requires; undefined accepts anyone. */
  apiKey?: string;
  /** Answer flush_request with flush_confirmation (Reson8; default true). */
  answerFlush?: boolean;
}

/** What the binary-audio fakes share: binary audio in, JSON or text out, refusals before open. */
abstract class FakeBinaryService extends FakeServerEnd {
  /** Binary frames the client sent. */
  readonly audio: ArrayBuffer[] = [];
  /** Text messages the client sent, parsed. */
  readonly received: { type?: string; [k: string]: unknown }[] = [];
  /** Why the upgrade was refused (the HTTP status a browser never shows). */
  refusedWith: number | null = null;

  constructor(readonly options: FakeBinaryServiceOptions = {}) {
    super();
  }

  /** The HTTP status to refuse the upgrade with, or null to accept it. */
  protected abstract check(request: ConnectionRequest): number | null;
  protected abstract onText(message: { type?: string; [k: string]: unknown }): void;

  readonly connect: Connect = (request, handlers) => {
    this.begin(request, handlers);
    queueMicrotask(() => {
      this.refusedWith = this.check(request);
      // A refused upgrade reaches a browser as a close (1006) of a socket that never opened.
      if (this.refusedWith !== null) return handlers.close(1006, '', false);
      this.open = true;
      handlers.open();
    });
    return this.transport((data) => {
      if (typeof data !== 'string') return void this.audio.push(data);
      const message = JSON.parse(data) as { type?: string };
      this.received.push(message);
      this.onText(message);
    });
  };

  /** Samples the client sent, in order. */
  samples(): Int16Array[] {
    return this.audio.map((b) => new Int16Array(b));
  }
}

/**
 * Reson8 realtime as docs/protocols.md ("Reson8 realtime") specifies it: `bearer, <token>` subprotocol auth (401 otherwise),
 * query parameters checked (400), binary audio, flush_request answered by flush_confirmation
 * with the same id (null when none). Transcripts are pushed by the test.
 */
export class FakeReson8Service extends FakeBinaryService {
  protected check(request: ConnectionRequest): number | null {
    const url = new URL(request.url);
    const i = request.protocols.indexOf('bearer');
    const token = i >= 0 ? request.protocols[i + 1] : undefined;
    if (this.options.apiKey && token !== this.options.apiKey) return 401;
    const q = url.searchParams;
    if (!['auto', 'pcm_s16le', null].includes(q.get('encoding'))) return 400;
    for (const flag of ['include_interim', 'include_timestamps', 'include_words', 'include_confidence']) {
      if (!['true', 'false', null].includes(q.get(flag))) return 400;
    }
    return null;
  }

  protected onText(message: { type?: string; id?: unknown }) {
    if (message.type === 'flush_request' && this.options.answerFlush !== false) {
      this.push({ type: 'flush_confirmation', id: typeof message.id === 'string' ? message.id : null });
    }
  }
}

/**
 * Speechall streaming as docs/protocols.md ("Speechall streaming") specifies it: `api_key` query auth (401 otherwise), `model`
 * required (400), binary PCM16 only. Results are pushed by the test.
 */
export class FakeSpeechallService extends FakeBinaryService {
  protected check(request: ConnectionRequest): number | null {
    const q = new URL(request.url).searchParams;
    if (this.options.apiKey && q.get('api_key') !== this.options.apiKey) return 401;
    if (!q.get('model')) return 400;
    return null;
  }

  protected onText() {
    throw new Error('Speechall clients send binary PCM16, not text.');
  }
}
