/** Speechall streaming as the provider picker and Settings know it; the adapter is in `speechall.ts`. */
import type { ServiceDefinition } from './service';

/** The chunk size Speechall's documentation recommends, samples ("Speechall: audio"). */
export const SPEECHALL_CHUNK_SAMPLES = 4096;
/** The chunk sizes offered in Settings, samples. */
export const SPEECHALL_CHUNK_CHOICES = [4096, 2048, 1024, 320] as const;

/** The local server's model (server/speechall.ts). */
export const SPEECHALL_LOCAL_MODEL = 'local.pocketsphinx-en-us';

/** Speechall streaming (docs/protocols.md, "Speechall streaming"). */
export const speechallService: ServiceDefinition = {
  id: 'speechall',
  name: 'Speechall',
  product: 'Speechall streaming',
  cloudUrl: 'wss://api.speechall.com/v1/transcribe',
  localPath: '/v1/transcribe',
  // "Speechall: authentication": browsers must use the api_key query parameter.
  authMethods: ['query'],
  keyLabel: 'API key',
  summary:
    'A cloud service in front of AssemblyAI, Deepgram, OpenAI and Gladia models: cloud-model accuracy, punctuated text, one result per utterance (no partials). Needs a Speechall API key.',
  defaults: (local) => ({
    model: local ? SPEECHALL_LOCAL_MODEL : 'deepgram.nova-2',
    language: 'en',
    outputFormat: 'json',
    punctuation: true,
    diarization: false,
    speakersExpected: '',
    temperature: '',
    initialPrompt: '',
    customVocabulary: '',
    chunkSamples: String(SPEECHALL_CHUNK_SAMPLES),
  }),
  // The adapter loads when a connection first needs it: it is not part of the first page load.
  load: () => import('./speechall').then((m) => m.createSpeechall),
};
