/**
 * The domain events every wire protocol is mapped to. Nothing outside `src/protocol/` sees vendor
 * messages: adapters turn them into these, and the session and store only know these.
 */

/** Error codes a protocol adapter can report. */
export type ProtocolErrorCode =
  // Sent by the service (VoiceRun message reference: error codes).
  | 'invalid_message'
  | 'invalid_config'
  | 'invalid_model'
  | 'invalid_provider'
  | 'provider_error'
  | 'internal_error'
  // Detected by the client.
  /** The service sent something that is not valid for its protocol (bad JSON, wrong field types). */
  | 'malformed_message'
  /** The service sent a message type this client does not know (ignored, reported once). */
  | 'unknown_message'
  /** The service rejected the credentials (VoiceRun: close code 4001). */
  | 'unauthorized'
  /** The service closed the connection outside the protocol's normal end. */
  | 'closed_unexpectedly'
  /** The settings cannot form a valid connection (e.g. a key the chosen auth method cannot carry). */
  | 'bad_settings';

/** A protocol-level error. */
export interface ProtocolError {
  readonly code: ProtocolErrorCode;
  /** What went wrong, in the service's or the adapter's words (developer detail, not for display alone). */
  readonly message: string;
  /** True when the session cannot continue (the adapter's judgement for this protocol). */
  readonly fatal: boolean;
}

/** One recognised word, where the service gives word detail. */
export interface Word {
  readonly text: string;
  /** Start, ms since the stream began (as the service counts). */
  readonly startMs?: number;
  /** ms */
  readonly durationMs?: number;
  /** 0–1 */
  readonly confidence?: number;
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
  /**
   * Final text of a complete utterance; clears the partial. Timing (ms since the stream began) and
   * words are present when the service sends them.
   */
  | {
      readonly type: 'final';
      readonly text: string;
      readonly language?: string;
      readonly startMs?: number;
      readonly durationMs?: number;
      readonly words?: readonly Word[];
    }
  /** The service confirmed the end of the stream: every final result has been delivered. */
  | { readonly type: 'finished' }
  | { readonly type: 'error'; readonly error: ProtocolError };
