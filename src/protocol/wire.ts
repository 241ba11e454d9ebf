/**
 * What every protocol adapter shares on the wire: reading a frame as text or as a JSON message (or
 * naming what was wrong with it), reporting an unknown message type once, describing a close the
 * app did not ask for, and building errors with Dictate's own codes (docs/protocols.md, "The common
 * model"). Pure: no browser imports.
 */
import type { DictationErrorCode } from '../core/errors';
import type { ProtocolError, TranscriptEvent } from '../core/events';
import { isObject } from '../core/json';
import { step, type ProtocolStep, type WireMessage } from './adapter';

/** A protocol error with one of Dictate's codes; `message` is developer detail (the service's words). */
export function protocolError(code: DictationErrorCode, message: string, fatal = false): ProtocolError {
  return { code, message, fatal };
}

/** The same, as an event. */
export function errorEvent(code: DictationErrorCode, message: string, fatal = false): TranscriptEvent {
  return { type: 'error', error: protocolError(code, message, fatal) };
}

/** What a read gives: the value, or the `malformed-message` event that says what was wrong. */
export type WireRead<T> = { readonly value: T; readonly error?: undefined } | { readonly error: TranscriptEvent };

/** A JSON message with a string `type`. */
export type TypedMessage = Readonly<Record<string, unknown>> & { readonly type: string };

const malformed = (message: string): { error: TranscriptEvent } => ({ error: errorEvent('malformed-message', message) });

/** A text frame's content; a binary frame is malformed (every service here answers in text). */
export function readText(data: WireMessage): WireRead<string> {
  if (typeof data !== 'string') return malformed(`Expected a text message, got ${data.byteLength} bytes of binary data.`);
  return { value: data };
}

/** A text frame holding one JSON object. */
export function readJsonObject(data: WireMessage): WireRead<Readonly<Record<string, unknown>>> {
  const text = readText(data);
  if (text.error) return text;
  let parsed: unknown;
  try {
    parsed = JSON.parse(text.value);
  } catch {
    return malformed(`The server sent text that is not JSON: ${text.value.slice(0, 80)}`);
  }
  if (!isObject(parsed)) return malformed('The server sent JSON that is not an object.');
  return { value: parsed };
}

/** A text frame holding one JSON object with a string `type` (VoiceRun and Reson8 messages). */
export function readTypedMessage(data: WireMessage): WireRead<TypedMessage> {
  const read = readJsonObject(data);
  if (read.error) return read;
  if (typeof read.value.type !== 'string') return malformed('The server sent a JSON message without a "type".');
  return { value: read.value as TypedMessage };
}

/**
 * Remembers which unknown message types were reported. A tolerant reader ignores them, but says so
 * once per type, so a newer service version is noticed without flooding the user.
 */
export class UnknownTypes {
  private readonly seen = new Set<string>();

  /** An `unknown-message` event the first time `type` is seen; nothing after that. */
  report(type: string): TranscriptEvent[] {
    if (this.seen.has(type)) return [];
    this.seen.add(type);
    return [errorEvent('unknown-message', `Unknown message type "${type.slice(0, 60)}".`)];
  }
}

/**
 * Close codes after which a new connection may succeed (docs/protocols.md, "Close codes"): 1001 going
 * away, 1006 abnormal (no close frame: the network or the server died), 1011 server error, 1012
 * service restart, 1013 try again later, 1014 bad gateway. Anything else (1000 without the protocol's
 * end, 1002, 1003, 1007, 1008, 1009, 4xxx) would fail the same way again.
 */
export const RETRYABLE_CLOSE_CODES: ReadonlySet<number> = new Set([1001, 1006, 1011, 1012, 1013, 1014]);

/** A close the app did not ask for and the protocol does not count as its end: fatal `connection-lost`, retryable by code. */
export function unexpectedClose(code: number, reason: string): ProtocolError {
  const why = reason ? `: ${reason}` : '';
  return {
    code: 'connection-lost',
    message: `Connection closed with code ${code}${why}.`,
    fatal: true,
    retryable: RETRYABLE_CLOSE_CODES.has(code),
  };
}

/** `ready` at once: for a service that sends nothing on connect and takes audio as soon as the socket opens. */
export function readyOnOpen(): ProtocolStep {
  return step([{ type: 'ready' }]);
}

/** A number, or absent (undefined or null): what optional numeric fields may hold. */
export function optionalNumber(value: unknown): boolean {
  return value === undefined || value === null || (typeof value === 'number' && Number.isFinite(value));
}

/**
 * A word confidence as a probability, 0–1. Services differ: most send a probability, some a natural
 * log-probability (≤ 0). A negative value is read as ln p; anything else is clamped to 0–1, so the
 * app never shows a confidence outside 0–100 %.
 */
export function probability(value: number): number {
  const p = value < 0 ? Math.exp(value) : value;
  return Math.min(1, Math.max(0, p));
}

/** A finite number. */
export function finite(value: unknown): value is number {
  return typeof value === 'number' && Number.isFinite(value);
}
