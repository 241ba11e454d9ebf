/**
 * The domain events every wire protocol is mapped to (docs/protocols.md, "The common model"). Nothing
 * outside `src/protocol/` sees vendor messages: adapters turn them into these, and the session and
 * store only know these.
 */
import type { DictationErrorCode } from './errors';

/** An error reported by a protocol adapter, in Dictate's own codes. */
export interface ProtocolError {
  readonly code: DictationErrorCode;
  /** What went wrong, in the service's or the adapter's words (developer detail, not for display alone). */
  readonly message: string;
  /** True when the session cannot continue on this connection (the adapter's judgement for this protocol). */
  readonly fatal: boolean;
  /** True when a new connection may succeed (a network loss, a server restart); a refused key never is. */
  readonly retryable?: boolean;
}

/** One recognised word, where the service gives word detail. */
export interface Word {
  readonly text: string;
  /** Start, ms since the stream began (as the service counts). */
  readonly startMs?: number;
  /** ms */
  readonly durationMs?: number;
  /** Probability, 0–1 (adapters convert what their service sends). */
  readonly confidence?: number;
  /** Who spoke it, where the service diarizes. */
  readonly speaker?: string;
}

/** Final text of one utterance, with timing (ms since the stream began) and words where the service sends them. */
export interface FinalResult {
  readonly type: 'final';
  readonly text: string;
  readonly language?: string;
  readonly startMs?: number;
  readonly durationMs?: number;
  readonly words?: readonly Word[];
  /** Who spoke, where the service diarizes. */
  readonly speaker?: string;
}

/** Events of a transcription stream, in the order the service reports them. */
export type TranscriptEvent =
  /** The service accepted the configuration: audio may be sent from now on. */
  | { readonly type: 'ready'; readonly sessionId?: string }
  /** Voice activity detection: speech began. */
  | { readonly type: 'speech-started' }
  /** Voice activity detection: speech ended. */
  | { readonly type: 'speech-stopped' }
  /** Interim text of the utterance in progress; replaces the previous partial. */
  | { readonly type: 'partial'; readonly text: string }
  /** Final text of a complete utterance; clears the partial. */
  | FinalResult
  /** The service confirmed the end of the stream: every final result has been delivered. */
  | { readonly type: 'finished' }
  | { readonly type: 'error'; readonly error: ProtocolError };
