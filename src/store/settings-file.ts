/**
 * One JSON file that moves the user's words and preferences to another browser (docs/protocols.md,
 * "Your words"): vocabulary, replacement rules, text expansions, and how the app looks and keeps audio.
 * Keys and tokens are never in it.
 */
import { usePreferences } from './preferences';
import { useWords } from './words';

/** The file's `format`, so a file of something else is refused with a clear message. */
export const SETTINGS_FORMAT = 'dictate-settings';
export const SETTINGS_VERSION = 1;

/** The settings file's text. */
export function settingsFile(): string {
  const { vocabulary, rules, expansions } = useWords.getState();
  const { theme, textSize, keepAudio, freeOldAudio, losslessAudio } = usePreferences.getState();
  return `${JSON.stringify(
    {
      format: SETTINGS_FORMAT,
      version: SETTINGS_VERSION,
      vocabulary,
      rules,
      expansions,
      preferences: { theme, textSize, keepAudio, freeOldAudio, losslessAudio },
    },
    null,
    2,
  )}\n`;
}

/**
 * Reads a settings file and puts what it holds in place of the current words (and preferences).
 * @returns what was read, for the user
 * @throws Error with a user-facing sentence when the file is not a Dictate settings file
 */
export function applySettingsFile(text: string): { vocabulary: number; rules: number; expansions: number } {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw new Error('This file is not JSON: choose a file Dictate exported with "Export settings".');
  }
  if (typeof parsed !== 'object' || parsed === null || (parsed as { format?: unknown }).format !== SETTINGS_FORMAT) {
    throw new Error('This is not a Dictate settings file: choose a file Dictate exported with "Export settings".');
  }
  const file = parsed as Record<string, unknown>;
  useWords.getState().replaceAll({ vocabulary: file.vocabulary, rules: file.rules, expansions: file.expansions });
  const prefs = file.preferences;
  if (typeof prefs === 'object' && prefs !== null) {
    // The store's own reader keeps only known values.
    const current = JSON.parse(localStorage.getItem('dictate-preferences') ?? '{}') as { state?: object };
    localStorage.setItem('dictate-preferences', JSON.stringify({ ...current, state: { ...current.state, ...prefs } }));
    void usePreferences.persist.rehydrate();
  }
  const { vocabulary, rules, expansions } = useWords.getState();
  return { vocabulary: vocabulary.length, rules: rules.length, expansions: expansions.length };
}
