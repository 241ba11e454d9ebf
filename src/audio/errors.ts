/**
 * What the user reads when the microphone or the audio processing fails: what happened and what to
 * do, in one or two sentences.
 */
import { dictationError, type DictationError } from '../core/errors';

/**
 * Maps a `getUserMedia` / capture failure (a `DOMException` by its `name`) to what the user should do.
 * @returns `microphone-denied`, `-missing`, `-busy` or `-failed`
 */
export function microphoneError(cause: unknown): DictationError {
  const name = typeof cause === 'object' && cause !== null && 'name' in cause ? String(cause.name) : '';
  switch (name) {
    case 'NotAllowedError':
    case 'SecurityError':
      return dictationError(
        'microphone-denied',
        'Microphone access is blocked. Allow the microphone for this site in your browser, then press Start recording again.',
      );
    case 'NotFoundError':
    case 'OverconstrainedError':
      return dictationError(
        'microphone-missing',
        'No microphone was found. Plug one in or check your system sound settings, then try again.',
      );
    case 'NotReadableError':
    case 'AbortError':
      return dictationError(
        'microphone-busy',
        'The microphone could not be opened. Another app may be using it; close that app and try again.',
      );
    default:
      return dictationError(
        'microphone-failed',
        'The microphone could not be started. Check that it is connected and try again.',
        cause instanceof Error ? cause.message : undefined,
      );
  }
}

/** Error for a microphone that stopped delivering audio (unplugged, or revoked). */
export const microphoneEnded = (): DictationError =>
  dictationError(
    'microphone-ended',
    'The microphone was disconnected. Your transcript so far is kept; reconnect it and press Start recording.',
  );

/** Notice: the chosen microphone is not connected, so the system default records instead. */
export const microphoneFellBack = (): DictationError =>
  dictationError(
    'microphone-fallback',
    'The microphone chosen in Settings is not connected, so the default microphone is recording. Choose another under Microphone if that is not the one you want.',
  );

/** Error when the page cannot reach `getUserMedia` (plain HTTP on another host, or no support). */
export const microphoneUnavailable = (): DictationError =>
  dictationError(
    'microphone-unavailable',
    'This browser cannot use the microphone here. Open Dictate over HTTPS or on localhost, in a current browser.',
  );

/** The AudioWorklet could not start. `detail`: the browser's own message. */
export const workletFailed = (detail?: string): DictationError =>
  dictationError(
    'capture-failed',
    'Audio processing could not start in this browser. Try a current version of Chrome, Edge, Firefox or Safari.',
    detail,
  );

/** The device runs at a sample rate the resampler does not take (outside 8–96 kHz). */
export const unsupportedRate = (detail: string): DictationError =>
  dictationError('capture-failed', 'This microphone runs at a sample rate Dictate cannot convert. Choose another input device.', detail);
