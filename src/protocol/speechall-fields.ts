/** Speechall streaming's options as Settings offers them (loaded with the Settings form). */
import { selectField, type OptionField } from './service';
import { SPEECHALL_CHUNK_CHOICES, SPEECHALL_CHUNK_SAMPLES, SPEECHALL_LOCAL_MODEL } from './speechall-contract';

/** Models Speechall's documentation names, as suggestions (any `provider.model` is accepted). */
const CLOUD_MODELS = ['assemblyai.best', 'deepgram.nova-2', 'openai.whisper-1', 'openai.gpt-4o-transcribe', 'gladia.standard'];

/** The options to offer; `local` for the local engine (its own model). */
export function speechallFields(local: boolean): readonly OptionField[] {
  return [
    {
      key: 'model',
      label: 'Model',
      kind: 'text',
      hint: 'provider.model, such as deepgram.nova-2.',
      suggestions: local ? [SPEECHALL_LOCAL_MODEL] : CLOUD_MODELS,
    },
    {
      key: 'language',
      label: 'Language',
      kind: 'text',
      hint: 'ISO 639-1 code such as en, or auto to detect.',
      suggestions: ['en', 'auto'],
    },
    selectField('outputFormat', 'Output format', [
      ['text', 'Text'],
      ['json', 'JSON (words and confidence)'],
      ['verbose_json', 'Verbose JSON (with timing)'],
    ]),
    { key: 'punctuation', label: 'Punctuation', kind: 'checkbox' },
    { key: 'diarization', label: 'Speaker diarization', kind: 'checkbox' },
    { key: 'speakersExpected', label: 'Speakers expected', kind: 'text', hint: '1–10 (optional).' },
    { key: 'temperature', label: 'Temperature', kind: 'text', hint: '0–1 (optional).' },
    { key: 'initialPrompt', label: 'Prompt', kind: 'text', hint: 'Text that guides the model (initial_prompt, optional).' },
    { key: 'customVocabulary', label: 'Custom vocabulary', kind: 'text', hint: 'Words or phrases to recognise, separated by commas.' },
    {
      key: 'chunkSamples',
      label: 'Audio chunk size',
      kind: 'select',
      hint: 'Samples per message. Speechall recommends 4096 (256 ms); smaller chunks show words sooner.',
      choices: SPEECHALL_CHUNK_CHOICES.map((n) => ({
        value: String(n),
        label: `${n} samples (${(n / 16).toFixed(0)} ms)${n === SPEECHALL_CHUNK_SAMPLES ? ', recommended' : ''}`,
      })),
    },
  ];
}
