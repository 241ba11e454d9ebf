import { lazy, Suspense, useState } from 'react';
import { currentEntry, profileOf, serverLabel } from '../protocol/settings';
import { useDictation } from '../store/dictation';
import { ErrorBoundary } from './ErrorBoundary';

/** The settings form loads when Settings is first opened: the defaults dictate without it. */
const SettingsFields = lazy(() => import('./SettingsForm').then((m) => ({ default: m.SettingsFields })));

/** Which service to use and how, behind a summary of the current choice. */
export function Settings() {
  const settings = useDictation((s) => s.settings);
  const [opened, setOpened] = useState(false);
  const entry = currentEntry(settings);
  const profile = profileOf(settings, entry);
  const where = profile.url.trim() ? serverLabel(profile.url) : entry.local ? 'this server' : serverLabel(entry.service.cloudUrl);
  return (
    <details
      className="rounded-xl border border-slate-200 bg-white p-4 open:shadow-xs"
      onToggle={(e) => e.currentTarget.open && setOpened(true)}
    >
      <summary className="cursor-pointer text-sm font-semibold text-slate-700">
        Settings{' '}
        <span className="font-normal text-slate-500">
          — {entry.label}
          {entry.dialect ? ` (${entry.dialect})` : ''}, {where}
        </span>
      </summary>
      {opened && (
        <ErrorBoundary part="Settings">
          <Suspense fallback={<p className="mt-4 text-sm text-slate-600">Loading settings…</p>}>
            <SettingsFields />
          </Suspense>
        </ErrorBoundary>
      )}
    </details>
  );
}
