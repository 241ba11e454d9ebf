import { Fragment, memo, useEffect, useMemo, useRef, useState } from 'react';
import { transcriptText, useDictation, type Segment } from '../store/dictation';

/** Words below this confidence (0–1) are marked as uncertain. */
export const LOW_CONFIDENCE = 0.5;

/** m:ss.s */
function clock(ms: number): string {
  const s = ms / 1000;
  return `${Math.floor(s / 60)}:${(s % 60).toFixed(1).padStart(4, '0')}`;
}

/** A final utterance: plain text, or its words with the uncertain ones underlined. */
const SegmentText = memo(function SegmentText({ segment }: { segment: Segment }) {
  const timing =
    segment.startMs !== undefined ? `${clock(segment.startMs)}–${clock(segment.startMs + (segment.durationMs ?? 0))}` : undefined;
  const words = segment.words;
  // Word detail only when it is the same text (a service may punctuate text but not words).
  const byWord =
    words &&
    words.length > 0 &&
    words.some((w) => w.confidence !== undefined) &&
    transcriptText([{ id: 0, text: words.map((w) => w.text).join(' ') }]) === segment.text;
  if (!byWord) {
    return <span title={timing}>{segment.text} </span>;
  }
  return (
    <span title={timing}>
      {words.map((w, i) =>
        w.confidence !== undefined && w.confidence < LOW_CONFIDENCE ? (
          <Fragment key={i}>
            <span
              className="underline decoration-amber-500 decoration-wavy decoration-1 underline-offset-4"
              title={`Low confidence: ${Math.round(w.confidence * 100)}%`}
            >
              {w.text}
            </span>{' '}
          </Fragment>
        ) : (
          <span key={i}>{w.text} </span>
        ),
      )}
    </span>
  );
});

/** The live transcript: final text plain (uncertain words underlined), the utterance in progress muted and italic. */
export function Transcript() {
  const segments = useDictation((s) => s.segments);
  const partial = useDictation((s) => s.partial);
  const status = useDictation((s) => s.status);
  const ref = useRef<HTMLDivElement>(null);
  // Follow new text only while the reader is at the bottom; scrolled up, they keep their place.
  const [following, setFollowing] = useState(true);
  // The same elements while only the partial changes (5 times a second): React skips them.
  const finals = useMemo(() => segments.map((s) => <SegmentText key={s.id} segment={s} />), [segments]);
  useEffect(() => {
    const el = ref.current;
    if (el && following) el.scrollTop = el.scrollHeight;
  }, [segments, partial, following]);
  const onScroll = () => {
    const el = ref.current;
    if (el) setFollowing(el.scrollHeight - el.scrollTop - el.clientHeight < 24);
  };
  const jumpToLatest = () => {
    setFollowing(true);
    ref.current?.focus();
  };
  const empty = segments.length === 0 && !partial;
  const uncertain = useMemo(
    () => segments.some((s) => s.words?.some((w) => w.confidence !== undefined && w.confidence < LOW_CONFIDENCE)),
    [segments],
  );
  return (
    <div className="relative">
      <div
        ref={ref}
        role="log"
        aria-label="Transcript"
        aria-live="polite"
        onScroll={onScroll}
        // The log scrolls: keyboard users must be able to reach it (a log is not interactive by itself).
        // eslint-disable-next-line jsx-a11y/no-noninteractive-tabindex
        tabIndex={0}
        className="h-64 overflow-y-auto rounded-xl border border-slate-200 bg-white p-4 text-lg leading-relaxed whitespace-pre-wrap focus-visible:outline-2 focus-visible:outline-indigo-600 sm:h-80"
      >
        {finals}
        {/* Shown as it changes, announced only once it is final. */}
        {partial && (
          <span aria-live="off" className="text-slate-600 italic">
            {partial}
          </span>
        )}
      </div>
      {!following && (
        <button
          type="button"
          onClick={jumpToLatest}
          className="absolute right-3 bottom-10 rounded-full bg-indigo-600 px-3 py-1 text-sm font-medium text-white shadow-sm hover:bg-indigo-700 focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-indigo-600"
        >
          Jump to latest
        </button>
      )}
      {uncertain && (
        <p className="mt-1 text-xs text-slate-500">
          <span className="underline decoration-amber-500 decoration-wavy underline-offset-4">Underlined</span> words are ones the
          recognizer was unsure of.
        </p>
      )}
      {empty && (
        <p className="pointer-events-none absolute inset-0 flex items-center justify-center p-6 text-center text-slate-500">
          {status === 'recording' ? 'Listening… start speaking.' : 'Press Start recording and speak. Your words appear here.'}
        </p>
      )}
    </div>
  );
}
