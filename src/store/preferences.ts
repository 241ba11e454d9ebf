/**
 * How the app looks, kept in localStorage apart from the connection settings: the theme and the
 * transcript's text size.
 */
import { create } from 'zustand';
import { createJSONStorage, persist } from 'zustand/middleware';

/** `system` follows the operating system's light or dark setting. */
export type Theme = 'system' | 'light' | 'dark';

/** Transcript text sizes, smallest first. */
export const TEXT_SIZES = ['small', 'medium', 'large', 'x-large', 'xx-large'] as const;
export type TextSize = (typeof TEXT_SIZES)[number];

export interface PreferencesState {
  readonly theme: Theme;
  readonly textSize: TextSize;
  readonly setTheme: (theme: Theme) => void;
  readonly setTextSize: (size: TextSize) => void;
}

export const usePreferences = create<PreferencesState>()(
  persist(
    (set) => ({
      theme: 'system',
      textSize: 'medium',
      setTheme: (theme) => set({ theme }),
      setTextSize: (textSize) => set({ textSize }),
    }),
    {
      name: 'dictate-preferences',
      storage: createJSONStorage(() => localStorage),
      partialize: (s) => ({ theme: s.theme, textSize: s.textSize }),
      // Storage is user-editable: keep only known values.
      merge: (persisted, current) => {
        const p = (persisted ?? {}) as Partial<PreferencesState>;
        return {
          ...current,
          theme: p.theme === 'light' || p.theme === 'dark' ? p.theme : 'system',
          textSize: TEXT_SIZES.includes(p.textSize as TextSize) ? (p.textSize as TextSize) : current.textSize,
        };
      },
    },
  ),
);
