/** VoiceRun Transcribe as the provider picker and Settings know it; the adapter is in `voicerun.ts`. */
import type { ServiceDefinition } from './service';
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
  // The adapter loads when a connection first needs it: it is not part of the first page load.
  load: () => import('./voicerun').then((m) => m.createVoiceRun),
};
