/** VoiceRun Transcribe as the provider picker and Settings know it; the adapter is in `voicerun.ts`. */
import { selectField, type OptionField, type ServiceDefinition } from './service';

/**
 * The models of "VoiceRun: models" as `PROVIDER:model`. The service's message reference names the
 * providers DEEPGRAM, OPENAI, CARTESIA and QWEN3; ElevenLabs and Soniox appear only in its model
 * table, so their provider strings (ELEVENLABS, SONIOX) follow the same upper-case pattern.
 */
export const VOICERUN_MODELS: readonly { value: string; label: string; group: string }[] = [
  { value: 'DEEPGRAM:nova-3', label: 'nova-3', group: 'Deepgram' },
  { value: 'DEEPGRAM:flux-general-en', label: 'flux-general-en', group: 'Deepgram' },
  { value: 'QWEN3:qwen3-asr-flash-realtime', label: 'qwen3-asr-flash-realtime', group: 'Qwen' },
  { value: 'OPENAI:gpt-4o-transcribe', label: 'gpt-4o-transcribe', group: 'OpenAI' },
  { value: 'OPENAI:gpt-4o-mini-transcribe', label: 'gpt-4o-mini-transcribe', group: 'OpenAI' },
  { value: 'OPENAI:gpt-realtime', label: 'gpt-realtime', group: 'OpenAI' },
  { value: 'CARTESIA:ink-whisper', label: 'ink-whisper', group: 'Cartesia' },
  { value: 'ELEVENLABS:scribe-v2-realtime', label: 'scribe-v2-realtime', group: 'ElevenLabs' },
  { value: 'SONIOX:stt-rt-v4', label: 'stt-rt-v4', group: 'Soniox' },
];

/** Provider and model of the local PocketSphinx engine (server/voicerun.ts). */
export const VOICERUN_LOCAL_MODEL = 'LOCAL:pocketsphinx-en-us';

const commonFields: readonly OptionField[] = [
  {
    key: 'language',
    label: 'Language',
    kind: 'text',
    hint: 'BCP-47 code such as en, or multi to detect the language.',
    suggestions: ['en', 'multi'],
  },
  {
    key: 'prompt',
    label: 'Prompt',
    kind: 'text',
    hint: 'Keyterms for Deepgram and ElevenLabs, context for OpenAI, Qwen and Soniox (optional).',
  },
  selectField(
    'audioFormat',
    'Audio encoding',
    [
      ['pcm16', 'PCM16 (16-bit, 32 kB/s)'],
      ['mulaw', 'mu-law (8-bit, 16 kB/s)'],
    ],
    'mu-law halves the bandwidth at a small cost in accuracy.',
  ),
];

/** VoiceRun Transcribe (docs/protocols.md, "VoiceRun Transcribe"). */
export const voiceRunService: ServiceDefinition = {
  id: 'voicerun',
  name: 'VoiceRun',
  product: 'VoiceRun Transcribe',
  cloudUrl: 'wss://transcribe.voicerun.com/ws',
  localPath: '/ws',
  // "VoiceRun: authentication": the documented way for browsers first.
  authMethods: ['first-message', 'subprotocol', 'query'],
  keyLabel: 'API key',
  summary:
    'A cloud service that streams to the model you choose (Deepgram, OpenAI, ElevenLabs, Qwen, Soniox): cloud-model accuracy, punctuated text, partials and voice activity. Needs a VoiceRun API key.',
  fields(local) {
    const choices = local ? [{ value: VOICERUN_LOCAL_MODEL, label: 'pocketsphinx-en-us', group: 'Local' }] : VOICERUN_MODELS;
    // The local engine knows one model and no prompt: offer only what it uses.
    if (local) return [{ key: 'model', label: 'Model', kind: 'select', choices }, ...commonFields.filter((f) => f.key === 'audioFormat')];
    return [{ key: 'model', label: 'Model', kind: 'select', choices }, ...commonFields];
  },
  defaults(local) {
    return { model: local ? VOICERUN_LOCAL_MODEL : 'DEEPGRAM:nova-3', language: 'en', prompt: '', audioFormat: 'pcm16' };
  },
  // The adapter loads when a connection first needs it: it is not part of the first page load.
  load: () => import('./voicerun').then((m) => m.createVoiceRun),
};
