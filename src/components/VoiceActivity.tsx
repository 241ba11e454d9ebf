import { useDictation } from '../store/dictation';

/** VAD state ("Speech" / "Silence") and the input level, red with "Clipping" when the signal hits full scale. */
export function VoiceActivity() {
  const vad = useDictation((s) => s.vad);
  const level = useDictation((s) => s.level);
  const speech = vad === 'speech';
  const percent = Math.round(Math.min(1, level) * 100);
  const clipping = useDictation((s) => s.clipping);
  return (
    <div className="flex items-center gap-3">
      <span
        role="status"
        aria-label="Voice activity"
        className={`inline-flex items-center gap-2 rounded-full px-3 py-1 text-sm font-medium ${
          speech ? 'bg-emerald-100 text-emerald-800' : 'bg-slate-100 text-slate-600'
        }`}
      >
        <span aria-hidden="true" className={`h-2 w-2 rounded-full ${speech ? 'bg-emerald-500' : 'bg-slate-400'}`} />
        {speech ? 'Speech' : 'Silence'}
      </span>
      <div
        role="meter"
        aria-label="Input level"
        aria-valuetext={clipping ? `${percent}%, clipping` : `${percent}%`}
        aria-valuemin={0}
        aria-valuemax={100}
        aria-valuenow={percent}
        className="h-2 w-24 overflow-hidden rounded-full bg-slate-200 sm:w-32"
      >
        {/* Scaled, not resized, and not animated: a width laid the page out 60 times a second, and a transition
            (or a pulse) between 10 Hz level updates kept the main thread busy for nothing (bench/recording.ts). */}
        <div
          className={`h-full w-full origin-left rounded-full ${clipping ? 'bg-red-600' : 'bg-indigo-500'}`}
          style={{ transform: `scaleX(${percent / 100})` }}
        />
      </div>
      {clipping && <span className="text-xs font-medium text-red-700">Clipping: too loud</span>}
    </div>
  );
}
