/** What the user reads when the browser refuses to keep Dictate's data. */
import { dictationError, type DictationError } from '../core/errors';

/**
 * Browser storage (IndexedDB or localStorage) refused: full (`QuotaExceededError`) or disabled (private
 * browsing, blocked site data).
 * @returns a `storage-failed` error saying what is at risk and what to do
 */
export function storageFailed(cause: unknown): DictationError {
  const full = typeof cause === 'object' && cause !== null && 'name' in cause && cause.name === 'QuotaExceededError';
  return dictationError(
    'storage-failed',
    full
      ? "This browser's storage for Dictate is full, so the transcript is no longer saved: it would be gone after a reload. Export or copy it now, then delete old sessions in History (or other sites' data) to make room."
      : 'This browser does not let Dictate save (private browsing, or site data blocked?), so the transcript and History would be gone after a reload. Export or copy it before you close the tab.',
    cause instanceof Error ? cause.message : undefined,
  );
}

/** Where a storage failure is shown (the dictation store sets it; the credentials store reports to it). */
let showStorageFailure: (error: DictationError) => void = () => undefined;

/** Sets where storage failures are shown. */
export function onStorageFailure(show: (error: DictationError) => void): void {
  showStorageFailure = show;
}

/** Shows a storage failure, after the update in progress. */
export function reportStorageFailure(cause: unknown): void {
  const error = storageFailed(cause);
  queueMicrotask(() => showStorageFailure(error));
}
