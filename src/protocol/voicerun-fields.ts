/** VoiceRun Transcribe's options as Settings offers them (loaded with the Settings form). */
import { selectField, type OptionField } from './service';
import { VOICERUN_LOCAL_MODEL } from './voicerun-contract';

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

/** The options to offer; `local` for the local engine (its one model, no prompt). */
export function voiceRunFields(local: boolean): readonly OptionField[] {
  const choices = local ? [{ value: VOICERUN_LOCAL_MODEL, label: 'pocketsphinx-en-us', group: 'Local' }] : VOICERUN_MODELS;
  // The local engine knows one model and no prompt: offer only what it uses.
  if (local) return [{ key: 'model', label: 'Model', kind: 'select', choices }, ...commonFields.filter((f) => f.key === 'audioFormat')];
  return [{ key: 'model', label: 'Model', kind: 'select', choices }, ...commonFields];
}
