/** Reson8 realtime's options as Settings offers them (loaded with the Settings form). */
import type { OptionField } from './service';

/** The options to offer; `local` for the local engine. */
export function reson8Fields(local: boolean): readonly OptionField[] {
  return [
    { key: 'includeInterim', label: 'Interim results', kind: 'checkbox', hint: 'Show words as they are heard (include_interim).' },
    { key: 'includeTimestamps', label: 'Timestamps', kind: 'checkbox', hint: 'start_ms and duration_ms on transcripts and words.' },
    { key: 'includeWords', label: 'Word detail', kind: 'checkbox', hint: 'Word-level results (include_words).' },
    {
      key: 'includeConfidence',
      label: 'Word confidence',
      kind: 'checkbox',
      hint: 'Marks words the recognizer is unsure of (include_confidence).',
    },
    {
      key: 'customModelId',
      label: 'Custom model ID',
      kind: 'text',
      hint: local ? 'Empty, or pocketsphinx-en-us.' : 'Optional: a custom model to bias transcription.',
    },
  ];
}
