/**
 * Reson8 realtime client protocol (shared/seeds 003).
 *
 * Connect to `…/v1/speech-to-text/realtime?encoding=pcm_s16le&sample_rate=16000&channels=1&include_…`
 * with `Sec-WebSocket-Protocol: bearer, <token>` (a browser cannot send the `Authorization` header).
 * The service sends nothing on connect, so audio flows as soon as the socket opens, as binary
 * PCM16 frames. `transcript` messages carry `text`, and, as the query asked, `is_final`,
 * `start_ms` / `duration_ms` and `words[]`; without `include_interim` every transcript is final.
 * To finish, send `flush_request {id}` and wait for the `flush_confirmation` with that id: every
 * transcript of the audio sent before it has arrived by then.
 *
 * Errors (seed "Errors": 400 INVALID_REQUEST, 401 UNAUTHORIZED, 500 INTERNAL_ERROR) are HTTP
 * statuses of a refused upgrade, which a browser does not expose: the session can only say the
 * connection was refused, with {@link Reson8Protocol.refusalHint}.
 */
import { step, type ConnectionRequest, type ProtocolStep, type StreamingProtocol, type WireMessage } from './adapter';
import type { ProtocolError, TranscriptEvent, Word } from './events';
import { baseConnection, flagOption, isObject, textOption, type ConnectionSettings, type ServiceDefinition } from './service';

/** Query parameters chosen by the user (seed "Query Parameters"). */
export interface Reson8Options {
  readonly includeInterim: boolean;
  readonly includeTimestamps: boolean;
  readonly includeWords: boolean;
  readonly includeConfidence: boolean;
  /** `custom_model_id`; empty sends nothing. */
  readonly customModelId: string;
}

type Phase = 'connecting' | 'streaming' | 'flushing' | 'finished';

const malformed = (message: string): TranscriptEvent => ({ type: 'error', error: { code: 'malformed_message', message, fatal: false } });

const optionalNumber = (v: unknown) => v === undefined || v === null || (typeof v === 'number' && Number.isFinite(v));

/** `words[]` of a transcript (seed "Each word contains"), or an error message. */
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
      ...(typeof w.confidence === 'number' ? { confidence: w.confidence } : {}),
    });
  }
  return words;
}

/** A Reson8 realtime protocol state machine for one session. */
export class Reson8Protocol implements StreamingProtocol {
  /** The seed defines no voice-activity messages. */
  readonly reportsVad = false;
  readonly refusalHint = 'Reson8 refuses a missing or expired token (401) and invalid options (400) before connecting: check the token and the options in Settings.';
  private phase: Phase = 'connecting';
  private flushId = '';
  private flushes = 0;
  private reportedUnknown = new Set<string>();

  constructor(
    private readonly connectionSettings: ConnectionSettings,
    private readonly options: Reson8Options,
  ) {}

  /**
   * The URL with the audio format and include_ flags, and `bearer, <token>` subprotocols.
   * @throws Error for a bad URL or a missing / unsendable token.
   */
  connection(): ConnectionRequest {
    const { url, protocols } = baseConnection(this.connectionSettings);
    const q = url.searchParams;
    q.set('encoding', 'pcm_s16le');
    q.set('sample_rate', '16000');
    q.set('channels', '1');
    q.set('include_interim', String(this.options.includeInterim));
    q.set('include_timestamps', String(this.options.includeTimestamps));
    q.set('include_words', String(this.options.includeWords));
    q.set('include_confidence', String(this.options.includeConfidence));
    if (this.options.customModelId) q.set('custom_model_id', this.options.customModelId);
    return { url: url.toString(), protocols };
  }

  /** Nothing to send, nothing to wait for: the socket is ready when it opens. */
  open(): ProtocolStep {
    this.phase = 'streaming';
    return step([{ type: 'ready' }]);
  }

  receive(data: WireMessage): ProtocolStep {
    if (typeof data !== 'string') return step([malformed(`Expected a JSON text message, got ${data.byteLength} bytes of binary data.`)]);
    let message: unknown;
    try {
      message = JSON.parse(data);
    } catch {
      return step([malformed(`The server sent text that is not JSON: ${data.slice(0, 80)}`)]);
    }
    if (!isObject(message) || typeof message.type !== 'string') return step([malformed('The server sent a JSON message without a "type".')]);
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
        if (this.reportedUnknown.has(message.type)) return step();
        this.reportedUnknown.add(message.type);
        return step([{ type: 'error', error: { code: 'unknown_message', message: `Unknown message type "${message.type.slice(0, 60)}".`, fatal: false } }]);
    }
  }

  /** seed "Transcript": partial when `is_final` is false, else final with timing and words. */
  private transcript(m: Record<string, unknown>): TranscriptEvent {
    if (typeof m.text !== 'string') return malformed('transcript without a "text" string.');
    if (m.is_final !== undefined && typeof m.is_final !== 'boolean') return malformed('transcript.is_final is not a boolean.');
    // Without include_interim every transcript is final and carries no is_final.
    if (m.is_final === false) return { type: 'partial', text: m.text };
    if (!optionalNumber(m.start_ms) || !optionalNumber(m.duration_ms)) return malformed('transcript.start_ms / duration_ms are not numbers.');
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

  /** seed "Flush Request": finalise the buffered audio; the matching confirmation ends the stream. */
  finish(): ProtocolStep {
    if (this.phase !== 'streaming') return step();
    this.phase = 'flushing';
    this.flushId = `dictate-${++this.flushes}-${Date.now().toString(36)}`;
    return step([], [JSON.stringify({ type: 'flush_request', id: this.flushId })]);
  }

  describeClose(code: number, reason: string): ProtocolError | null {
    if (this.phase === 'finished') return null;
    const why = reason ? `: ${reason}` : '';
    return { code: 'closed_unexpectedly', message: `Connection closed with code ${code}${why}.`, fatal: true };
  }
}

/** Reson8 realtime (shared/seeds 003). */
export const reson8Service: ServiceDefinition = {
  id: 'reson8',
  name: 'Reson8',
  product: 'Reson8 realtime',
  cloudUrl: 'wss://api.reson8.dev/v1/speech-to-text/realtime',
  localPath: '/v1/speech-to-text/realtime',
  // The seed's browser example: the token in Sec-WebSocket-Protocol.
  authMethods: ['subprotocol'],
  keyLabel: 'Access token',
  fields: (local) => [
    { key: 'includeInterim', label: 'Interim results', kind: 'checkbox', hint: 'Show words as they are heard (include_interim).' },
    { key: 'includeTimestamps', label: 'Timestamps', kind: 'checkbox', hint: 'start_ms and duration_ms on transcripts and words.' },
    { key: 'includeWords', label: 'Word detail', kind: 'checkbox', hint: 'Word-level results (include_words).' },
    { key: 'includeConfidence', label: 'Word confidence', kind: 'checkbox', hint: 'Marks words the recognizer is unsure of (include_confidence).' },
    {
      key: 'customModelId',
      label: 'Custom model ID',
      kind: 'text',
      hint: local ? 'Empty, or pocketsphinx-en-us.' : 'Optional: a custom model to bias transcription.',
    },
  ],
  defaults: () => ({ includeInterim: true, includeTimestamps: true, includeWords: true, includeConfidence: true, customModelId: '' }),
  create(connection, options) {
    return new Reson8Protocol(connection, {
      includeInterim: flagOption(options, 'includeInterim', true),
      includeTimestamps: flagOption(options, 'includeTimestamps'),
      includeWords: flagOption(options, 'includeWords'),
      includeConfidence: flagOption(options, 'includeConfidence'),
      customModelId: textOption(options, 'customModelId'),
    });
  },
};
