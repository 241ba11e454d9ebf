import { lazy, Suspense, useId, useState } from 'react';
import { useDevices } from '../store/devices';
import { useDictation } from '../store/dictation';
import { ErrorBoundary } from './ErrorBoundary';
import { isActive } from '../core/status';

/** The processing toggles load when the panel is first opened. */
const SoundProcessing = lazy(() => import('./SoundProcessing').then((m) => ({ default: m.SoundProcessing })));

/** Which microphone records, and the browser's processing of it; applies to the next recording. */
export function MicrophonePicker() {
  const microphones = useDevices((s) => s.microphones);
  const microphone = useDictation((s) => s.settings.microphone);
  const setMicrophone = useDictation((s) => s.setMicrophone);
  const busy = useDictation((s) => isActive(s.status));
  const id = useId();
  const [shown, setShown] = useState(false);
  const chosen = microphone?.deviceId ?? '';
  const named = microphones.some((d) => d.label);
  const missing = chosen !== '' && !microphones.some((d) => d.deviceId === chosen);
  return (
    <div className="flex flex-wrap items-start gap-3">
      <div>
        <label htmlFor={id} className="block text-xs font-medium text-slate-700">
          Microphone
        </label>
        <select
          id={id}
          disabled={busy}
          aria-describedby={`${id}-hint`}
          value={chosen}
          onChange={(e) => {
            const device = microphones.find((d) => d.deviceId === e.target.value);
            setMicrophone({ deviceId: e.target.value, label: device?.label ?? '' });
          }}
          className="mt-1 max-w-64 rounded-lg border border-slate-300 bg-white px-2 py-1.5 text-sm text-slate-800 focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-indigo-600 disabled:opacity-60"
        >
          <option value="">Default microphone</option>
          {microphones.map((d, i) => (
            <option key={d.deviceId} value={d.deviceId}>
              {d.label || `Microphone ${i + 1}`}
            </option>
          ))}
          {missing && <option value={chosen}>{microphone?.label || 'The chosen microphone'} (not connected)</option>}
        </select>
        <p id={`${id}-hint`} className="mt-1 text-xs text-slate-600">
          {busy
            ? 'Applies to the next recording.'
            : named || microphones.length === 0
              ? ''
              : 'Names appear once the microphone is allowed.'}
        </p>
      </div>
      <details className="text-sm" onToggle={(e) => e.currentTarget.open && setShown(true)}>
        <summary className="cursor-pointer text-xs font-medium text-slate-700">Sound processing</summary>
        {shown && (
          <ErrorBoundary part="Sound processing">
            <Suspense fallback={<p className="mt-2 text-xs text-slate-600">Loading…</p>}>
              <SoundProcessing />
            </Suspense>
          </ErrorBoundary>
        )}
      </details>
    </div>
  );
}
