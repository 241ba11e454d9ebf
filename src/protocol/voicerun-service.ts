/** VoiceRun Transcribe as the provider picker and Settings know it; the adapter is in `voicerun.ts`. */
import type { ServiceDefinition } from './service';
import { planVocabulary } from './vocabulary';
import { VOICERUN_CLOUD_URL, VOICERUN_LOCAL_MODEL, VOICERUN_PATH } from './voicerun-contract';

/** VoiceRun Transcribe (docs/protocols.md, "VoiceRun Transcribe"). */
export const voiceRunService: ServiceDefinition = {
  id: 'voicerun',
  name: 'VoiceRun',
  product: 'VoiceRun Transcribe',
  cloudUrl: VOICERUN_CLOUD_URL,
  localPath: VOICERUN_PATH,
  // "VoiceRun: authentication": the documented way for browsers first.
  authMethods: ['first-message', 'subprotocol', 'query'],
  keyLabel: 'API key',
  summary:
    'A cloud service that streams to the model you choose (Deepgram, OpenAI, ElevenLabs, Qwen, Soniox): cloud-model accuracy, punctuated text, partials and voice activity. Needs a VoiceRun API key.',
  defaults(local) {
    return { model: local ? VOICERUN_LOCAL_MODEL : 'DEEPGRAM:nova-3', language: 'en', prompt: '', audioFormat: 'pcm16' };
  },
  vocabulary: {
    field: 'session.prompt',
    note: 'Sent in session.prompt, comma-separated: keyterms for Deepgram and ElevenLabs models, context for OpenAI, Qwen and Soniox (Cartesia takes none).',
  },
  planVocabulary: (terms, _options, local) => planVocabulary(terms, local),
  // The adapter loads when a connection first needs it: it is not part of the first page load.
  load: () => import('./voicerun').then((m) => m.createVoiceRun),
};
