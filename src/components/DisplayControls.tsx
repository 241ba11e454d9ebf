import { useEffect } from 'react';
import { TEXT_SIZES, usePreferences, type TextSize, type Theme } from '../store/preferences';

const select =
  'rounded-lg border border-slate-300 bg-white px-2 py-1.5 text-sm text-slate-700 focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-indigo-600';

const SIZE_LABELS: Record<TextSize, string> = {
  small: 'Small',
  medium: 'Medium',
  large: 'Large',
  'x-large': 'Larger',
  'xx-large': 'Largest',
};

/** Theme (system, light, dark) and the transcript's text size. */
export function DisplayControls() {
  const theme = usePreferences((s) => s.theme);
  const textSize = usePreferences((s) => s.textSize);
  const setTheme = usePreferences((s) => s.setTheme);
  const setTextSize = usePreferences((s) => s.setTextSize);
  // The page's theme: html.light or html.dark when chosen; neither follows the system (src/index.css).
  useEffect(() => {
    document.documentElement.classList.toggle('dark', theme === 'dark');
    document.documentElement.classList.toggle('light', theme === 'light');
  }, [theme]);
  return (
    <div className="flex items-center gap-2">
      <select aria-label="Theme" className={select} value={theme} onChange={(e) => setTheme(e.target.value as Theme)}>
        <option value="system">System theme</option>
        <option value="light">Light</option>
        <option value="dark">Dark</option>
      </select>
      <select aria-label="Text size" className={select} value={textSize} onChange={(e) => setTextSize(e.target.value as TextSize)}>
        {TEXT_SIZES.map((size) => (
          <option key={size} value={size}>
            {SIZE_LABELS[size]} text
          </option>
        ))}
      </select>
    </div>
  );
}
