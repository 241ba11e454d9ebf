/**
 * Reson8 realtime client protocol (docs/protocols.md, "Reson8 realtime").
 *
 * Connect to `…/v1/speech-to-text/realtime?encoding=pcm_s16le&sample_rate=16000&channels=1&include_…`
 * with `Sec-WebSocket-Protocol: bearer, <token>` (a browser cannot send the `Authorization` header).
 * The service sends nothing on connect, so audio flows as soon as the socket opens, as binary
 * PCM16 frames. `transcript` messages carry `text`, and, as the query asked, `is_final`,
 * `start_ms` / `duration_ms` and `words[]`; without `include_interim` every transcript is final.
 * To finish, send `flush_request {id}` and wait for the `flush_confirmation` with that id: every
 * transcript of the audio sent before it has arrived by then ("Reson8: finishing a stream").
 *
 * Errors ("Reson8: errors": 400, 401, 500) are HTTP statuses of a refused upgrade, which a browser
 * does not expose: the session can only say the connection was refused, with
 * {@link Reson8Protocol.refusalHint}.
 */
import type { ProtocolError, TranscriptEvent, Word } from '../core/events';
import { TARGET_SAMPLE_RATE } from '../core/frames';
import { isObject } from '../core/json';
import { step, type ConnectionRequest, type ProtocolStep, type StreamingProtocol, type WireMessage } from './adapter';
import { connectionRequest, flagOption, textOption, type ConnectionSettings, type OptionValues } from './service';
import { errorEvent, optionalNumber, probability, readTypedMessage, readyOnOpen, unexpectedClose, UnknownTypes } from './wire';

/** Query parameters chosen by the user ("Reson8: query parameters"). */
export interface Reson8Options {
  readonly includeInterim: boolean;
  readonly includeTimestamps: boolean;
  readonly includeWords: boolean;
  readonly includeConfidence: boolean;
  /** `custom_model_id`; empty sends nothing. */
  readonly customModelId: string;
}

/** The session calls `finish()` only after `ready`, so there is no phase before the socket opens. */
type Phase = 'streaming' | 'flushing' | 'finished';

const malformed = (message: string): TranscriptEvent => errorEvent('malformed-message', message);

/** `words[]` of a transcript ("Reson8: server messages"), or what is wrong with it. */
function parseWords(raw: unknown): Word[] | string {
  if (!Array.isArray(raw)) return 'transcript.words is not an array.';
  const words: Word[] = [];
  for (const w of raw) {
    if (!isObject(w) || typeof w.text !== 'string') return 'A transcript word has no "text".';
    if (!optionalNumber(w.start_ms) || !optionalNumber(w.duration_ms) || !optionalNumber(w.confidence)) {
      return `Transcript word "${w.text.slice(0, 30)}" has a non-numeric start_ms, duration_ms or confidence.`;
    }
    words.push({
      text: w.text,
      ...(typeof w.start_ms === 'number' ? { startMs: w.start_ms } : {}),
      ...(typeof w.duration_ms === 'number' ? { durationMs: w.duration_ms } : {}),
      ...(typeof w.confidence === 'number' ? { confidence: probability(w.confidence) } : {}),
    });
  }
  return words;
}

/** A Reson8 realtime protocol state machine for one session. */
export class Reson8Protocol implements StreamingProtocol {
  /** Reson8 sends no voice-activity messages. */
  readonly reportsVad = false;
  readonly refusalHint =
    'Reson8 refuses a missing or expired token (401) and invalid options (400) before connecting: check the token and the options in Settings.';
  private phase: Phase = 'streaming';
  private flushId = '';
  private flushes = 0;
  private readonly unknownTypes = new UnknownTypes();

  constructor(
    private readonly connectionSettings: ConnectionSettings,
    private readonly options: Reson8Options,
  ) {
    // Interim results come within moments of speech; without them, only when an utterance ends.
    this.replyWithinMs = options.includeInterim ? 10_000 : 30_000;
  }

  readonly replyWithinMs: number;

  /**
   * The URL with the audio format and include_ flags, and `bearer, <token>` subprotocols.
   * @throws Error for a bad URL or a missing / unsendable token.
   */
  connection(): ConnectionRequest {
    const o = this.options;
    return connectionRequest(this.connectionSettings, {
      encoding: 'pcm_s16le',
      sample_rate: String(TARGET_SAMPLE_RATE),
      channels: '1',
      include_interim: String(o.includeInterim),
      include_timestamps: String(o.includeTimestamps),
      include_words: String(o.includeWords),
      include_confidence: String(o.includeConfidence),
      custom_model_id: o.customModelId || undefined,
    });
  }

  /** Nothing to send, nothing to wait for: the socket is ready when it opens. */
  readonly open = readyOnOpen;

  receive(data: WireMessage): ProtocolStep {
    const read = readTypedMessage(data);
    if (read.error) return step([read.error]);
    const message = read.value;
    switch (message.type) {
      case 'transcript':
        return step([this.transcript(message)]);
      case 'flush_confirmation':
        // The id is "the identifier from the corresponding flush request, or null".
        if (this.phase === 'flushing' && message.id === this.flushId) {
          this.phase = 'finished';
          return step([{ type: 'finished' }]);
        }
        return step();
      default:
        return step(this.unknownTypes.report(message.type));
    }
  }

  /** `transcript`: partial when `is_final` is false, else final with timing and words. */
  private transcript(m: Readonly<Record<string, unknown>>): TranscriptEvent {
    if (typeof m.text !== 'string') return malformed('transcript without a "text" string.');
    if (m.is_final !== undefined && typeof m.is_final !== 'boolean') return malformed('transcript.is_final is not a boolean.');
    // Without include_interim every transcript is final and carries no is_final.
    if (m.is_final === false) return { type: 'partial', text: m.text };
    if (!optionalNumber(m.start_ms) || !optionalNumber(m.duration_ms))
      return malformed('transcript.start_ms / duration_ms are not numbers.');
    let words: Word[] | undefined;
    if (m.words !== undefined) {
      const parsed = parseWords(m.words);
      if (typeof parsed === 'string') return malformed(parsed);
      words = parsed;
    }
    return {
      type: 'final',
      text: m.text,
      ...(typeof m.start_ms === 'number' ? { startMs: m.start_ms } : {}),
      ...(typeof m.duration_ms === 'number' ? { durationMs: m.duration_ms } : {}),
      ...(words ? { words } : {}),
    };
  }

  /** Binary frame: the PCM16 as it is (`encoding=pcm_s16le`). */
  encodeAudio(pcm: ArrayBuffer): WireMessage {
    return pcm;
  }

  /** `flush_request`: finalise the buffered audio; the matching confirmation ends the stream ("Reson8: finishing a stream"). */
  finish(): ProtocolStep {
    if (this.phase !== 'streaming') return step();
    this.phase = 'flushing';
    this.flushId = `dictate-${++this.flushes}-${Date.now().toString(36)}`;
    return step([], [JSON.stringify({ type: 'flush_request', id: this.flushId })]);
  }

  /** After the flush confirmation any close is the normal end. */
  describeClose(code: number, reason: string): ProtocolError | null {
    return this.phase === 'finished' ? null : unexpectedClose(code, reason);
  }
}

/**
 * The Reson8 realtime protocol for one session, from the user's options (see reson8Service in `reson8-service.ts`).
 * @throws Error with a user-facing sentence when the options cannot form a valid connection.
 */
export function createReson8(connection: ConnectionSettings, options: OptionValues): StreamingProtocol {
  return new Reson8Protocol(connection, {
    includeInterim: flagOption(options, 'includeInterim', true),
    includeTimestamps: flagOption(options, 'includeTimestamps'),
    includeWords: flagOption(options, 'includeWords'),
    includeConfidence: flagOption(options, 'includeConfidence'),
    customModelId: textOption(options, 'customModelId'),
  });
}
