/**
 * Errors of the connection as a person reads them: what happened and what to do, in one or two
 * sentences. Never a stack trace, an error key, or a credential. (Microphone errors live with the
 * capture, in `audio/errors.ts`.)
 */
import { dictationError, type DictationError, type DictationErrorCode } from '../core/errors';
import type { ProtocolError } from '../core/events';

/** Removes a credential from a text (a service may echo it back). */
export function redact(text: string, secret: string): string {
  const s = secret.trim();
  return s.length >= 4 ? text.split(s).join('•••') : text;
}

/** What to tell the user for each code a protocol adapter can report; `server` names the endpoint. */
function sentenceFor(code: DictationErrorCode, server: string): string {
  switch (code) {
    case 'rejected-message':
      return 'The transcription server could not read a message from Dictate. Try again; if it keeps happening, report it.';
    case 'rejected-settings':
      return 'The transcription server rejected the session settings. Check the language and model in Settings.';
    case 'unsupported-model':
      return 'The transcription server does not offer the chosen model. Pick another model in Settings.';
    case 'service-failed':
      return 'The transcription service failed. Try again in a moment.';
    case 'malformed-message':
      return 'The transcription server sent a reply Dictate could not understand.';
    case 'unknown-message':
      return 'The transcription server sent a message Dictate does not know; it was ignored.';
    case 'unauthorized':
      return 'The server rejected the API key. Check the key and auth method in Settings, then try again.';
    case 'bad-settings':
      return 'The connection settings are incomplete. Check them in Settings.';
    case 'connection-lost':
    default:
      return `The connection to ${server} was lost. Your transcript so far is kept; press Start recording to continue.`;
  }
}

/**
 * Maps a protocol error to a user-facing error with the same code. `server` names the endpoint (no
 * credentials); `secret` is removed from the service's words, which become the detail.
 */
export function protocolErrorToUser(error: ProtocolError, server: string, secret = ''): DictationError {
  const detail = error.message ? redact(error.message, secret) : undefined;
  return dictationError(error.code, sentenceFor(error.code, server), detail);
}

/** The socket never opened. */
export const connectFailed = (server: string, hint?: string): DictationError =>
  dictationError(
    'connect-failed',
    `Could not connect to ${server}. Check the endpoint URL in Settings and that the server is running.${hint ? ` ${hint}` : ''}`,
  );

/** The service did not complete its handshake in time. */
export const handshakeTimeout = (server: string, seconds: number): DictationError =>
  dictationError('timeout', `${server} did not answer within ${seconds} seconds. Check the server URL in Settings, then try again.`);

/** The settings cannot form a connection. */
export const badSettings = (why: string): DictationError => dictationError('bad-settings', `${why} Fix it in Settings.`);

/** The service ended the session without being asked to. */
export const serverEnded = (server: string): DictationError =>
  dictationError('server-ended', `${server} ended the session. Your transcript is kept; press Start recording to continue.`);
