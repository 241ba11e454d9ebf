/**
 * How the app looks and what it keeps, in localStorage apart from the connection settings: the theme,
 * the transcript's text size, and how long audio is kept.
 */
import { create } from 'zustand';
import { createJSONStorage, persist } from 'zustand/middleware';

/** `system` follows the operating system's light or dark setting. */
export type Theme = 'system' | 'light' | 'dark';

/** Transcript text sizes, smallest first. */
export const TEXT_SIZES = ['small', 'medium', 'large', 'x-large', 'xx-large'] as const;
export type TextSize = (typeof TEXT_SIZES)[number];

/** How long a session's audio is kept (docs/protocols.md, "Keeping audio"). */
export const KEEP_AUDIO = ['always', '30-days', 'never'] as const;
export type KeepAudio = (typeof KEEP_AUDIO)[number];

/** Audio older than this is deleted under `30-days`, ms. */
export const KEEP_AUDIO_30_DAYS_MS = 30 * 24 * 3600 * 1000;

export interface PreferencesState {
  readonly theme: Theme;
  readonly textSize: TextSize;
  /** Keep each session's audio: always, for 30 days, or never. */
  readonly keepAudio: KeepAudio;
  /** When storage is full, delete the oldest sessions' audio (never their words) to keep recording audio. */
  readonly freeOldAudio: boolean;
  /** Keep audio as recorded (PCM16) instead of compressed (Opus): 10× the space, the exact samples the service heard. */
  readonly losslessAudio: boolean;
  readonly setTheme: (theme: Theme) => void;
  readonly setTextSize: (size: TextSize) => void;
  readonly setKeepAudio: (keep: KeepAudio) => void;
  readonly setFreeOldAudio: (free: boolean) => void;
  readonly setLosslessAudio: (lossless: boolean) => void;
}

export const usePreferences = create<PreferencesState>()(
  persist(
    (set) => ({
      theme: 'system',
      textSize: 'medium',
      keepAudio: 'always',
      freeOldAudio: false,
      losslessAudio: false,
      setTheme: (theme) => set({ theme }),
      setTextSize: (textSize) => set({ textSize }),
      setKeepAudio: (keepAudio) => set({ keepAudio }),
      setFreeOldAudio: (freeOldAudio) => set({ freeOldAudio }),
      setLosslessAudio: (losslessAudio) => set({ losslessAudio }),
    }),
    {
      name: 'dictate-preferences',
      storage: createJSONStorage(() => localStorage),
      partialize: (s) => ({
        theme: s.theme,
        textSize: s.textSize,
        keepAudio: s.keepAudio,
        freeOldAudio: s.freeOldAudio,
        losslessAudio: s.losslessAudio,
      }),
      // Storage is user-editable: keep only known values.
      merge: (persisted, current) => {
        const p = (persisted ?? {}) as Partial<PreferencesState>;
        return {
          ...current,
          theme: p.theme === 'light' || p.theme === 'dark' ? p.theme : 'system',
          textSize: TEXT_SIZES.includes(p.textSize as TextSize) ? (p.textSize as TextSize) : current.textSize,
          keepAudio: KEEP_AUDIO.includes(p.keepAudio as KeepAudio) ? (p.keepAudio as KeepAudio) : current.keepAudio,
          freeOldAudio: p.freeOldAudio === true,
          losslessAudio: p.losslessAudio === true,
        };
      },
    },
  ),
);
