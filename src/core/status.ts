/** The session's status as the UI reads it. */

/** Lifecycle of a session, as the UI shows it. */
export type SessionStatus = 'idle' | 'connecting' | 'recording' | 'reconnecting' | 'stopping' | 'error';

/**
 * Whether a run is under way: connecting, recording, reconnecting or stopping. While it is, settings,
 * History's deletions and file transcription wait, and leaving the page asks first.
 */
export function isActive(status: SessionStatus): boolean {
  return status !== 'idle' && status !== 'error';
}
