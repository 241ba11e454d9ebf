import { useId } from 'react';
import { useDevices } from '../store/devices';
import { useDictation } from '../store/dictation';

/** The browser's processing, with when each helps. */
const PROCESSING = [
  { key: 'echoCancellation', label: 'Echo cancellation', hint: 'With loudspeakers: removes what they play from the microphone.' },
  {
    key: 'noiseSuppression',
    label: 'Noise suppression',
    hint: 'In a noisy room: quiets steady background noise (can blur soft consonants).',
  },
  { key: 'autoGainControl', label: 'Automatic gain', hint: 'For a quiet or distant voice: the browser evens out the volume.' },
] as const;

/** Which microphone records, and the browser's processing of it; applies to the next recording. */
export function MicrophonePicker() {
  const microphones = useDevices((s) => s.microphones);
  const microphone = useDictation((s) => s.settings.microphone);
  const setMicrophone = useDictation((s) => s.setMicrophone);
  const busy = useDictation((s) => s.status !== 'idle' && s.status !== 'error');
  const id = useId();
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
      <details className="text-sm">
        <summary className="cursor-pointer text-xs font-medium text-slate-700">Sound processing</summary>
        <div className="mt-2 space-y-2">
          {PROCESSING.map(({ key, label, hint }) => (
            <div key={key} className="flex items-start gap-2">
              <input
                id={`${id}-${key}`}
                type="checkbox"
                disabled={busy}
                checked={microphone?.[key] ?? false}
                onChange={(e) => setMicrophone({ [key]: e.target.checked })}
                aria-describedby={`${id}-${key}-hint`}
                className="mt-0.5 h-4 w-4"
              />
              <div>
                <label htmlFor={`${id}-${key}`} className="font-medium text-slate-700">
                  {label}
                </label>
                <p id={`${id}-${key}-hint`} className="text-xs text-slate-600">
                  {hint}
                </p>
              </div>
            </div>
          ))}
          <p className="text-xs text-slate-600">All off by default: recognizers hear the voice best as it is.</p>
        </div>
      </details>
    </div>
  );
}
