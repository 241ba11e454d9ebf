import { useId } from 'react';
import { useDictation } from '../store/dictation';
import { isActive } from '../core/status';

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

/** Echo cancellation, noise suppression and automatic gain, each with when it helps; the next recording uses them. */
export function SoundProcessing() {
  const microphone = useDictation((s) => s.settings.microphone);
  const setMicrophone = useDictation((s) => s.setMicrophone);
  const busy = useDictation((s) => isActive(s.status));
  const id = useId();
  const capture = useDictation((s) => s.capture);
  return (
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
      {capture && (
        <p className="text-xs text-slate-600">
          Last recording: {(capture.sampleRate / 1000).toLocaleString()} kHz, resampled to 16 kHz by {capture.resampler}.
        </p>
      )}
    </div>
  );
}
