/** Speechall streaming as the provider picker and Settings know it; the adapter is in `speechall.ts`. */
import { selectField, type ServiceDefinition } from './service';

/** The chunk size Speechall's documentation recommends, samples ("Speechall: audio"). */
export const SPEECHALL_CHUNK_SAMPLES = 4096;
/** The chunk sizes offered in Settings, samples. */
export const SPEECHALL_CHUNK_CHOICES = [4096, 2048, 1024, 320] as const;

/** Models Speechall's documentation names, as suggestions (any `provider.model` is accepted). */
const CLOUD_MODELS = ['assemblyai.best', 'deepgram.nova-2', 'openai.whisper-1', 'openai.gpt-4o-transcribe', 'gladia.standard'];
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
  fields: (local) => [
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
  ],
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
