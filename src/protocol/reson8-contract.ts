/**
 * Reson8 realtime as both ends know it (docs/protocols.md, "Reson8 realtime"): types and constants
 * only, shared by the client adapter and the local server.
 */

/** The service's endpoint. */
export const RESON8_CLOUD_URL = 'wss://api.reson8.dev/v1/speech-to-text/realtime';
/** The path the local server serves the dialect at. */
export const RESON8_PATH = '/v1/speech-to-text/realtime';
/** The `custom_model_id` of the local engine (empty means the same). */
export const RESON8_LOCAL_MODEL = 'pocketsphinx-en-us';
/** The result flags of the query ("Reson8: query parameters"), by their names on the wire. */
export const RESON8_FLAGS = {
  includeInterim: 'include_interim',
  includeTimestamps: 'include_timestamps',
  includeWords: 'include_words',
  includeConfidence: 'include_confidence',
} as const;
/** Which results a connection asked for. */
export type Reson8Flags = Record<keyof typeof RESON8_FLAGS, boolean>;
