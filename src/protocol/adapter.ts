/**
 * The interface every streaming speech-to-text protocol implements. One module per protocol;
 * each turns vendor messages into {@link TranscriptEvent}s and PCM16 frames into vendor messages.
 * Adapters are pure state machines: they never touch a socket, the caller sends what they return.
 */
import type { ProtocolError, TranscriptEvent } from '../core/events';

/** A WebSocket message: text or binary. */
export type WireMessage = string | ArrayBuffer;

/** Where and how to open the WebSocket. */
export interface ConnectionRequest {
  /** `ws:` or `wss:` URL, query parameters included. May carry a credential: never log or display it. */
  readonly url: string;
  /** Values for `Sec-WebSocket-Protocol` (may carry a credential); empty for none. */
  readonly protocols: readonly string[];
}

/** What an adapter wants done after an input. */
export interface ProtocolStep {
  readonly events: readonly TranscriptEvent[];
  readonly send: readonly WireMessage[];
}

/** How a client authenticates from a browser. */
export type AuthMethod =
  /** No credential (the local engine, or a proxy that adds one). */
  | 'none'
  /** A query parameter on the URL (visible in server and proxy logs). */
  | 'query'
  /** `Sec-WebSocket-Protocol: bearer, <token>`. */
  | 'subprotocol'
  /** A first message `{"type":"auth","token":…}` (docs/protocols.md, "VoiceRun: authentication"). */
  | 'first-message';

/** A streaming speech-to-text protocol, as seen by the session. */
export interface StreamingProtocol {
  /** Where to connect. @throws Error with a user-facing message when the settings cannot form a URL. */
  connection(): ConnectionRequest;
  /** Messages to send as soon as the socket opens. */
  open(): ProtocolStep;
  /** Handles one message from the service. Never throws: bad input becomes an `error` event. */
  receive(data: WireMessage): ProtocolStep;
  /**
   * Encodes one 20 ms PCM16 frame (640 bytes, 16 kHz mono LE: `core/frames.ts`) for the wire.
   * @returns the message to send, or null when the protocol gathers frames into larger chunks and this
   *   one did not complete a chunk (what is left is sent by `finish()`)
   */
  encodeAudio(pcm: ArrayBuffer): WireMessage | null;
  /** Messages that ask the service to finish the stream; a `finished` event answers them. */
  finish(): ProtocolStep;
  /** Maps a close of the socket to an error (`connection-lost`, `unauthorized`), or null when the close was a normal end. */
  describeClose(code: number, reason: string): ProtocolError | null;
  /**
   * True when the service reports voice activity (`speech-started` / `speech-stopped`); otherwise
   * the session derives it from the microphone level.
   */
  readonly reportsVad: boolean;
  /**
   * For services with no end-of-stream confirmation: after `finish()`, the stream counts as
   * finished once the service has sent nothing for this long, ms. Undefined: wait for `finished`.
   */
  readonly finishQuietMs?: number;
  /**
   * Longest the service may stay silent while it is sent speech, ms. Past that with no message at
   * all, the connection counts as dead and is replaced.
   */
  readonly replyWithinMs: number;
  /**
   * Why a connection may be refused before it opens (browsers hide the HTTP status of a refused
   * upgrade), in one sentence for the user; undefined when there is nothing specific to say.
   */
  readonly refusalHint?: string;
}

/** Builds a step. */
export function step(events: TranscriptEvent[] = [], send: WireMessage[] = []): ProtocolStep {
  return { events, send };
}
