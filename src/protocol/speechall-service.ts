/** Speechall streaming as the provider picker and Settings know it; the adapter is in `speechall.ts`. */
import type { ServiceDefinition } from './service';
import { SPEECHALL_CHUNK_SAMPLES, SPEECHALL_CLOUD_URL, SPEECHALL_LOCAL_MODEL, SPEECHALL_PATH } from './speechall-contract';

/** Speechall streaming (docs/protocols.md, "Speechall streaming"). */
export const speechallService: ServiceDefinition = {
  id: 'speechall',
  name: 'Speechall',
  product: 'Speechall streaming',
  cloudUrl: SPEECHALL_CLOUD_URL,
  localPath: SPEECHALL_PATH,
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
