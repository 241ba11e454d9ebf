/**
 * Errors of the connection as a person reads them: what happened and what to do, in one or two
 * sentences. Never a stack trace, an error key, or a credential. (Microphone errors live with the
 * capture, in `audio/errors.ts`.)
 */
import { dictationError, type DictationError, type DictationErrorCode } from '../core/errors';

// With the page's first load (the page reports its own failed loads), not with the session's messages.
export { loadFailed } from '../core/errors';
import type { ProtocolError } from '../core/events';
import { serverLabel } from '../protocol/settings';

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
  return dictationError(error.code, sentenceFor(error.code, server), detail, { service: server, retryable: error.retryable ?? false });
}

/**
 * The socket never opened. A browser shows every refusal (401, 403, 404, 500) and an absent server
 * the same way, so this names the likely causes, never one of them as fact.
 */
export const connectFailed = (server: string, hint?: string): DictationError =>
  dictationError(
    'connect-failed',
    `Could not connect to ${server}. It may be down or unreachable from this network, or the endpoint URL in Settings may be wrong.${hint ? ` ${hint}` : ''}`,
    undefined,
    { service: server, retryable: true },
  );

/** A refused connection to the local engine, whose `/healthz` does not answer: it is not running. */
export const localEngineDown = (server: string): DictationError =>
  dictationError(
    'connect-failed',
    `The local engine at ${server} is not running. Start it with \`npm start\`, then press Start recording.`,
    undefined,
    {
      service: server,
      retryable: true,
    },
  );

/** A refused connection to the local engine, which is running: it wants a key, or the path is wrong. */
export const localEngineRefused = (server: string): DictationError =>
  dictationError(
    'unauthorized',
    `The local engine at ${server} is running but refused the connection: it may require a key (DICTATE_API_KEY) that is missing or wrong, or the endpoint path may be wrong. Check the key and the Endpoint URL in Settings.`,
    undefined,
    { service: server },
  );

/** Every reconnect attempt failed. */
export const gaveUp = (server: string, attempts: number): DictationError =>
  dictationError(
    'connection-lost',
    `Lost the connection to ${server} and could not reconnect after ${attempts} attempts. Your transcript so far is kept; press Start recording to continue.`,
    undefined,
    { service: server, retryable: true },
  );

/** The service is at capacity (close 1013, "try again later"): its own reason, and that Dictate retries. */
export const serverBusy = (server: string, reason: string): DictationError =>
  dictationError(
    'server-busy',
    `${reason ? reason.replace(/\.?$/, '.') : `${server} is busy.`} Dictate keeps recording and tries again.`,
    undefined,
    { service: server, retryable: true },
  );

/** The provider's Token URL gave no token. `detail`: what it answered (never a token). */
export const tokenFailed = (tokenUrl: string, detail: string): DictationError =>
  dictationError(
    'token-failed',
    `Could not get a token from ${serverLabel(tokenUrl)}. Check the Token URL in Settings and that you are signed in there.`,
    detail,
    { service: serverLabel(tokenUrl), retryable: true },
  );

/** The journal overflowed while the audio could not be delivered. */
export const audioLost = (seconds: number): DictationError =>
  dictationError(
    'audio-lost',
    `The connection was down for too long: ${seconds.toFixed(1)} s of audio could not be kept and is missing from the transcript. Dictation goes on.`,
  );

/**
 * Dictate stopped waiting for the service's last words: the end of the recording has no text.
 * @param seconds - audio sent after the last final, s
 * @param waitedSeconds - how long Dictate waited after Stop, s
 */
export const noTextYet = (server: string, seconds: number, waitedSeconds: number): DictationError =>
  dictationError(
    'no-text-yet',
    `${server} sent no text for the last ${seconds.toFixed(1)} s of the recording within ${Math.round(waitedSeconds)} s of Stop, so Dictate stopped waiting: the words spoken then are missing from the transcript (the last words shown are kept).`,
  );

/** The microphone delivers only digital silence (muted, or the wrong input). */
export const noAudio = (): DictationError =>
  dictationError(
    'no-audio',
    'No audio from the microphone: it delivers only silence. Check that it is not muted and that the right input is selected in your system settings.',
  );

/** The service did not complete its handshake in time. */
export const handshakeTimeout = (server: string, seconds: number): DictationError =>
  dictationError('timeout', `${server} did not answer within ${seconds} seconds. Check the server URL in Settings, then try again.`);

/** The settings cannot form a connection. */
export const badSettings = (why: string): DictationError => dictationError('bad-settings', `${why} Fix it in Settings.`);

/** The service ended the session without being asked to. */
export const serverEnded = (server: string): DictationError =>
  dictationError('server-ended', `${server} ended the session. Your transcript is kept; press Start recording to continue.`);
