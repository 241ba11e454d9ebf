/**
 * Dictate's own error vocabulary. Every fault the app can meet, from the microphone, the network or
 * a service, is one of these codes; protocol adapters map their vendor's codes onto them
 * (docs/protocols.md, "Errors as Dictate names them"), so nothing above the protocol floor knows a
 * vendor's code.
 */

/** What went wrong, as Dictate names it. Stable: tests and logs use it; it is never displayed. */
export type DictationErrorCode =
  // The microphone and audio processing.
  /** The user or the browser refused the microphone. */
  | 'microphone-denied'
  /** No input device. */
  | 'microphone-missing'
  /** The device exists but could not be opened (another app holds it). */
  | 'microphone-busy'
  /** Any other failure to open the microphone. */
  | 'microphone-failed'
  /** The device stopped delivering audio (unplugged or revoked). */
  | 'microphone-ended'
  | 'microphone-fallback'
  /** No `getUserMedia` here (plain HTTP on another host, or an old browser). */
  | 'microphone-unavailable'
  /** The AudioWorklet could not start, or the device rate cannot be converted. */
  | 'capture-failed'
  | 'file-unreadable'
  /** The microphone delivers only digital silence. */
  | 'no-audio'
  // The connection.
  /** The socket never opened (refused, unreachable, or a bad URL the browser rejected). */
  | 'connect-failed'
  /** The service did not finish its handshake in time. */
  | 'timeout'
  /** The socket closed outside the protocol's normal end. */
  | 'connection-lost'
  /** The service ended the session without being asked to. */
  | 'server-ended'
  /** The service is at capacity (close 1013); Dictate tries again. */
  | 'server-busy'
  /** Audio the journal could not keep while the connection was down. */
  | 'audio-lost'
  /** Dictate stopped waiting for the service's last words: the end of the recording has no text. */
  | 'no-text-yet'
  /** The service refused the credentials. */
  | 'unauthorized'
  /** The settings cannot form a connection (bad URL, missing key, out-of-range option). */
  | 'bad-settings'
  | 'load-failed'
  /** The provider's Token URL gave no token. */
  | 'token-failed'
  // What the service said.
  /** The service refused the session configuration. */
  | 'rejected-settings'
  /** The service does not offer the chosen model or provider. */
  | 'unsupported-model'
  /** The service could not read a message Dictate sent. */
  | 'rejected-message'
  /** The service (or the recognizer behind it) failed. */
  | 'service-failed'
  /** The service sent something that is not valid for its protocol. */
  | 'malformed-message'
  /** The service sent a message type Dictate does not know (ignored, reported once). */
  | 'unknown-message'
  // The page.
  /** The store has no session attached (a page that did not finish loading). */
  | 'no-session'
  /** The browser refused to save (storage full, or private browsing). */
  | 'storage-failed';

/** Where an error came from and whether trying again may help. */
export interface DictationErrorOptions {
  /** Optional technical detail from the service (credentials removed), shown smaller. */
  readonly detail?: string;
  /** The service or endpoint involved, as shown to the user (a host, never a URL with its query). */
  readonly service?: string;
  /** True when the same action may succeed if tried again (a network loss, a busy server). */
  readonly retryable?: boolean;
}

/** An error shown to the user: `message` is what happened and what to do, never a credential. */
export class DictationError extends Error {
  override readonly name = 'DictationError';
  readonly detail?: string;
  readonly service?: string;
  readonly retryable: boolean;

  constructor(
    readonly code: DictationErrorCode,
    message: string,
    options: DictationErrorOptions = {},
  ) {
    super(message);
    if (options.detail) this.detail = options.detail;
    if (options.service) this.service = options.service;
    this.retryable = options.retryable ?? false;
  }
}

/** Builds a {@link DictationError}; `detail` is the service's own words, if any. */
export function dictationError(
  code: DictationErrorCode,
  message: string,
  detail?: string,
  options: Omit<DictationErrorOptions, 'detail'> = {},
): DictationError {
  return new DictationError(code, message, { ...options, detail });
}

/**
 * A part of Dictate loaded on first use could not be fetched: the network is down and it was never
 * cached, or a newer version replaced it. Not the user's settings.
 */
export const loadFailed = (what: string, cause?: unknown): DictationError =>
  dictationError(
    'load-failed',
    `${what} could not be loaded: the network may be down, or Dictate was updated. Reload the page; your transcript is kept in History.`,
    cause instanceof Error ? cause.message : undefined,
  );
