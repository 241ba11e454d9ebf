import { useEffect, useMemo, useRef } from 'react';
import { useDictation } from '../store/dictation';

/** The live transcript: final text plain, the utterance in progress muted and italic. */
export function Transcript() {
  const segments = useDictation((s) => s.segments);
  const partial = useDictation((s) => s.partial);
  const status = useDictation((s) => s.status);
  const ref = useRef<HTMLDivElement>(null);
  // The same elements while only the partial changes (5 times a second): React skips them.
  const finals = useMemo(() => segments.map((s) => <span key={s.id}>{s.text} </span>), [segments]);
  useEffect(() => {
    const el = ref.current;
    if (el) el.scrollTop = el.scrollHeight;
  }, [segments, partial]);
  const empty = segments.length === 0 && !partial;
  return (
    <div className="relative">
      <div
        ref={ref}
        role="log"
        aria-label="Transcript"
        aria-live="polite"
        className="h-64 overflow-y-auto rounded-xl border border-slate-200 bg-white p-4 text-lg leading-relaxed whitespace-pre-wrap sm:h-80"
      >
        {finals}
        {partial && <span className="text-slate-400 italic">{partial}</span>}
      </div>
      {empty && (
        <p className="pointer-events-none absolute inset-0 flex items-center justify-center p-6 text-center text-slate-400">
          {status === 'recording' ? 'Listening… start speaking.' : 'Press Start recording and speak. Your words appear here.'}
        </p>
      )}
    </div>
  );
}
