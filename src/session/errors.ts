/**
 * Errors as a person sees them: what happened and what to do, in one or two sentences.
 * Never a stack trace, an error key, or a credential.
 */
import type { ProtocolError } from '../protocol/events';

/** An error shown to the user. */
export interface DictationError {
  /** Stable identifier (for tests and logs; not displayed). */
  readonly code: string;
  /** Human sentence(s): what happened, what to do. */
  readonly message: string;
  /** Optional technical detail from the service (credentials removed), shown smaller. */
  readonly detail?: string;
}

/** Builds a {@link DictationError}. */
export function dictationError(code: string, message: string, detail?: string): DictationError {
  return detail ? { code, message, detail } : { code, message };
}

/** Maps a `getUserMedia` / capture failure to what the user should do. */
export function microphoneError(cause: unknown): DictationError {
  const name = cause instanceof Error || (typeof cause === 'object' && cause !== null && 'name' in cause) ? String((cause as { name: unknown }).name) : '';
  switch (name) {
    case 'NotAllowedError':
    case 'SecurityError':
      return dictationError('microphone-denied', 'Microphone access is blocked. Allow the microphone for this site in your browser, then press Start recording again.');
    case 'NotFoundError':
    case 'OverconstrainedError':
      return dictationError('microphone-missing', 'No microphone was found. Plug one in or check your system sound settings, then try again.');
    case 'NotReadableError':
    case 'AbortError':
      return dictationError('microphone-busy', 'The microphone could not be opened. Another app may be using it; close that app and try again.');
    default:
      return dictationError('microphone-failed', 'The microphone could not be started. Check that it is connected and try again.', cause instanceof Error ? cause.message : undefined);
  }
}

/** Error for a microphone that stopped delivering audio (unplugged, or revoked). */
export const microphoneEnded = (): DictationError =>
  dictationError('microphone-ended', 'The microphone was disconnected. Your transcript so far is kept; reconnect it and press Start recording.');

/** Error when the page cannot reach `getUserMedia` (plain HTTP on another host, or no support). */
export const microphoneUnavailable = (): DictationError =>
  dictationError('microphone-unavailable', 'This browser cannot use the microphone here. Open Dictate over HTTPS or on localhost, in a current browser.');

/** Removes a credential from a text (a service may echo it back). */
export function redact(text: string, secret: string): string {
  const s = secret.trim();
  return s.length >= 4 ? text.split(s).join('•••') : text;
}

/** Maps a protocol error to a user-facing error. `server` names the endpoint (no credentials). */
export function protocolErrorToUser(error: ProtocolError, server: string, secret = ''): DictationError {
  const detail = error.message ? redact(error.message, secret) : undefined;
  const sentence: Record<ProtocolError['code'], string> = {
    invalid_message: 'The transcription server could not read a message from Dictate. Try again; if it keeps happening, report it.',
    invalid_config: 'The transcription server rejected the session settings. Check the language and model in Settings.',
    invalid_model: 'The transcription server does not offer the chosen model. Pick another model in Settings.',
    invalid_provider: 'The transcription server does not offer the chosen provider. Pick another provider in Settings.',
    provider_error: 'The speech recognizer behind the server failed. Try again in a moment.',
    internal_error: 'The transcription server had an internal error. Try again in a moment.',
    malformed_message: 'The transcription server sent a reply Dictate could not understand.',
    unknown_message: 'The transcription server sent a message Dictate does not know; it was ignored.',
    unauthorized: 'The server rejected the API key. Check the key and auth method in Settings, then try again.',
    closed_unexpectedly: `The connection to ${server} was lost. Your transcript so far is kept; press Start recording to continue.`,
    bad_settings: 'The connection settings are incomplete. Check them in Settings.',
  };
  return dictationError(error.code, sentence[error.code], detail);
}

/** The socket never opened. */
export const connectFailed = (server: string, hint?: string): DictationError =>
  dictationError('connect-failed', `Could not connect to ${server}. Check the endpoint URL in Settings and that the server is running.${hint ? ` ${hint}` : ''}`);

/** The service did not complete its handshake in time. */
export const handshakeTimeout = (server: string, seconds: number): DictationError =>
  dictationError('timeout', `${server} did not answer within ${seconds} seconds. Check the server URL in Settings, then try again.`);

/** The settings cannot form a connection. */
export const badSettings = (why: string): DictationError => dictationError('bad-settings', `${why} Fix it in Settings.`);

/** The service ended the session without being asked to. */
export const serverEnded = (server: string): DictationError =>
  dictationError('server-ended', `${server} ended the session. Your transcript is kept; press Start recording to continue.`);
