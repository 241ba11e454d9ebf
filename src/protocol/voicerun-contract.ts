/**
 * VoiceRun Transcribe as both ends know it (docs/protocols.md, "VoiceRun Transcribe"): types and
 * constants only, shared by the client adapter and the local server.
 */

/** The service's endpoint. */
export const VOICERUN_CLOUD_URL = 'wss://transcribe.voicerun.com/ws';
/** The path the local server serves the dialect at. */
export const VOICERUN_PATH = '/ws';
/** The local engine's `provider` and `model` ("VoiceRun: client messages", `session.update`). */
export const VOICERUN_LOCAL_PROVIDER = 'LOCAL';
export const VOICERUN_LOCAL_MODEL_NAME = 'pocketsphinx-en-us';
/** How Settings names the local model: `provider:model`. */
export const VOICERUN_LOCAL_MODEL = `${VOICERUN_LOCAL_PROVIDER}:${VOICERUN_LOCAL_MODEL_NAME}`;
/** Close code for a missing or wrong key ("VoiceRun: close codes"). */
export const VOICERUN_CLOSE_UNAUTHORIZED = 4001;
/** `input_audio_format` values. */
export type VoiceRunAudioFormat = 'pcm16' | 'mulaw';
