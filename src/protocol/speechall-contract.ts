/**
 * Speechall streaming as both ends know it (docs/protocols.md, "Speechall streaming"): types and
 * constants only, shared by the client adapter and the local server.
 */

/** The service's endpoint. */
export const SPEECHALL_CLOUD_URL = 'wss://api.speechall.com/v1/transcribe';
/** The path the local server serves the dialect at. */
export const SPEECHALL_PATH = '/v1/transcribe';
/** The `model` the local server offers, `provider.model` like Speechall's `deepgram.nova-2`. */
export const SPEECHALL_LOCAL_MODEL = 'local.pocketsphinx-en-us';
/** The chunk size Speechall's documentation recommends, samples ("Speechall: audio"). */
export const SPEECHALL_CHUNK_SAMPLES = 4096;
/** The chunk sizes offered in Settings, samples. */
export const SPEECHALL_CHUNK_CHOICES = [4096, 2048, 1024, 320] as const;
/** `output_format` values. */
export const SPEECHALL_OUTPUT_FORMATS = ['text', 'json', 'verbose_json'] as const;
export type SpeechallOutputFormat = (typeof SPEECHALL_OUTPUT_FORMATS)[number];
/** `speakers_expected` range, inclusive. */
export const SPEECHALL_SPEAKERS = { min: 1, max: 10 } as const;
