import { Fragment, memo, useCallback, useEffect, useLayoutEffect, useMemo, useRef, useState, type KeyboardEvent } from 'react';
import type { Word } from '../core/events';
import { transcriptText, useDictation, type Segment } from '../store/dictation';
import { usePlayback } from '../store/playback';
import { usePreferences, type TextSize } from '../store/preferences';
import { segmentEndMs } from '../transcript/model';
import { paragraphsOf, separatorBetween } from '../transcript/paragraphs';

/** Words below this confidence (0–1) are marked as uncertain. */
export const LOW_CONFIDENCE = 0.5;

/** The transcript's font size for each text-size preference. */
const TEXT_CLASSES: Record<TextSize, string> = {
  small: 'text-base',
  medium: 'text-lg',
  large: 'text-xl',
  'x-large': 'text-2xl',
  'xx-large': 'text-3xl',
};

/** Segments per rendered block: a block is skipped by React when its segments did not change, and by layout when off screen. */
const BLOCK = 40;

/** m:ss.s */
function clock(ms: number): string {
  const s = ms / 1000;
  return `${Math.floor(s / 60)}:${(s % 60).toFixed(1).padStart(4, '0')}`;
}

/** Where playback is in the transcript: the segment, and the word (-1 when the segment has no word times). */
export interface PlayingPlace {
  readonly segment: number;
  readonly word: number;
}

/** Whether a segment's words are its text (a service may punctuate text but not words; an edit changes it). */
function wordsAreText(segment: Segment): boolean {
  const words = segment.words;
  return !!words && words.length > 0 && transcriptText([{ text: words.map((w) => w.text).join(' ') }]) === segment.text;
}

/** The segment (and word) being played at `ms`: the last one that started at or before it. */
export function playingPlace(segments: readonly Segment[], ms: number): PlayingPlace | null {
  let found: Segment | undefined;
  for (const s of segments) {
    if (s.startMs === undefined) continue;
    if (s.startMs > ms) break;
    found = s;
  }
  if (!found || ms > (segmentEndMs(found) ?? 0) + 1000) return null;
  let word = -1;
  if (wordsAreText(found))
    found.words!.forEach((w, i) => {
      if (w.startMs !== undefined && w.startMs <= ms) word = i;
    });
  return { segment: found.id, word };
}

/** Every word of a segment being played (or playable): each seeks there when clicked, the one being played is marked. */
function TimedWords({ segment, current }: { segment: Segment; current: number | null }) {
  return (
    <>
      {segment.words!.map((w, i) => (
        <span key={i}>
          {i > 0 && ' '}
          <span
            data-ms={w.startMs}
            className={`cursor-pointer rounded-sm ${i === current ? 'bg-amber-200 text-slate-950' : ''} ${w.confidence !== undefined && w.confidence < LOW_CONFIDENCE ? 'underline decoration-amber-500 decoration-wavy decoration-1 underline-offset-4' : ''}`}
            {...(i === current && { 'aria-current': 'true' as const })}
          >
            {w.text}
          </span>
        </span>
      ))}
    </>
  );
}

/** A final utterance's text: plain, or its words with the uncertain ones underlined; with audio, every word can be played. */
function SegmentWords({ segment, playable, current }: { segment: Segment; playable: boolean; current: number | null }) {
  const words = segment.words;
  if (playable && wordsAreText(segment) && words!.every((w) => w.startMs !== undefined))
    return <TimedWords segment={segment} current={current} />;
  // Word detail only when it is the same text.
  const byWord = words && words.some((w) => w.confidence !== undefined) && wordsAreText(segment);
  if (!byWord) return <>{segment.text}</>;
  // Runs of confident words are one text node; only the uncertain ones are elements of their own.
  const parts: (string | Word)[] = [];
  for (const w of words) {
    const last = parts.at(-1);
    if (w.confidence !== undefined && w.confidence < LOW_CONFIDENCE) {
      if (typeof last === 'string') parts[parts.length - 1] = `${last} `;
      else if (last !== undefined) parts.push(' ');
      parts.push(w);
    } else if (typeof last === 'string') parts[parts.length - 1] = `${last} ${w.text}`;
    else parts.push(last === undefined ? w.text : ` ${w.text}`);
  }
  return (
    <>
      {parts.map((part, i) =>
        typeof part === 'string' ? (
          part
        ) : (
          <span
            key={i}
            className="underline decoration-amber-500 decoration-wavy decoration-1 underline-offset-4"
            title={`Low confidence: ${Math.round((part.confidence ?? 0) * 100)}%`}
          >
            {part.text}
          </span>
        ),
      )}
    </>
  );
}

interface EditorProps {
  readonly segment: Segment;
  readonly onDone: (text: string | null) => void;
}

/** Edits one segment: Enter saves, Shift+Enter is a line break, Escape cancels; leaving the field saves. */
function SegmentEditor({ segment, onDone }: EditorProps) {
  const ref = useRef<HTMLTextAreaElement>(null);
  const done = useRef(false);
  useEffect(() => {
    const el = ref.current;
    el?.focus();
    el?.setSelectionRange(el.value.length, el.value.length);
  }, []);
  const finish = (text: string | null) => {
    if (done.current) return;
    done.current = true;
    onDone(text);
  };
  return (
    <textarea
      ref={ref}
      aria-label={`Edit segment ${segment.id}`}
      defaultValue={segment.text}
      rows={Math.max(1, Math.ceil(segment.text.length / 60))}
      className="block w-full resize-y rounded-md border border-indigo-400 bg-white p-1 [font-size:inherit] leading-relaxed text-slate-900 focus-visible:outline-2 focus-visible:outline-indigo-600"
      onKeyDown={(e) => {
        e.stopPropagation();
        if (e.key === 'Escape') {
          e.preventDefault();
          finish(null);
        } else if (e.key === 'Enter' && !e.shiftKey) {
          e.preventDefault();
          finish(e.currentTarget.value);
        }
      }}
      onBlur={(e) => finish(e.currentTarget.value)}
    />
  );
}

interface BlockProps {
  /** Paragraphs of final segments, in order. */
  readonly paragraphs: readonly (readonly Segment[])[];
  /** The segment being edited, when it is in this block. */
  readonly editing: number | null;
  readonly onEdit: (id: number | null, text?: string | null) => void;
  /** The session's audio can be played: words and sentences seek when clicked. */
  readonly playable: boolean;
  /** What is being played, when it is in this block. */
  readonly playing: PlayingPlace | null;
}

interface SegmentViewProps {
  readonly segment: Segment;
  readonly editing: boolean;
  readonly onEdit: (id: number | null, text?: string | null) => void;
  readonly playable: boolean;
  /** The word being played (-1: the segment, without word times), or null when another segment is. */
  readonly current: number | null;
}

/** One final segment in its paragraph: a sentence to focus, edit, and play from. */
const SegmentView = memo(function SegmentView({ segment, editing, onEdit, playable, current }: SegmentViewProps) {
  if (editing) return <SegmentEditor segment={segment} onDone={(text) => onEdit(null, text)} />;
  const timing =
    segment.startMs !== undefined ? `${clock(segment.startMs)}–${clock(segment.startMs + (segment.durationMs ?? 0))}` : undefined;
  const here = current !== null;
  return (
    <span
      data-segment={segment.id}
      tabIndex={-1}
      title={timing}
      onDoubleClick={() => onEdit(segment.id)}
      {...(here && { 'aria-current': 'true' as const })}
      className={`rounded-sm focus-visible:bg-indigo-50 focus-visible:outline-2 focus-visible:outline-indigo-600 ${here ? 'bg-amber-50' : ''} ${playable && segment.startMs !== undefined ? 'cursor-pointer' : ''}`}
    >
      <SegmentWords segment={segment} playable={playable} current={current} />
      {segment.edited && <span className="sr-only"> (edited)</span>}
    </span>
  );
});

/**
 * A run of paragraphs (finals within a short pause flow into one; see `paragraphsOf`); off-screen blocks
 * skip layout and paint (`content-visibility`).
 */
const Block = memo(
  function Block({ paragraphs, editing, onEdit, playable, playing }: BlockProps) {
    return (
      <div className="[contain-intrinsic-size:auto_40rem] [content-visibility:auto]">
        {paragraphs.map((paragraph) => (
          <p key={paragraph[0].id} data-paragraph={paragraph[0].id} className="mb-3">
            {paragraph.map((segment, i) => (
              <Fragment key={segment.id}>
                {i > 0 && separatorBetween(paragraph[i - 1].text, segment.text)}
                <SegmentView
                  segment={segment}
                  editing={segment.id === editing}
                  onEdit={onEdit}
                  playable={playable}
                  current={playing?.segment === segment.id ? playing.word : null}
                />
              </Fragment>
            ))}
          </p>
        ))}
      </div>
    );
  },
  (a, b) =>
    a.editing === b.editing &&
    a.onEdit === b.onEdit &&
    a.playable === b.playable &&
    a.playing?.segment === b.playing?.segment &&
    a.playing?.word === b.playing?.word &&
    a.paragraphs.length === b.paragraphs.length &&
    a.paragraphs.every((p, i) => p.length === b.paragraphs[i].length && p.every((s, j) => s === b.paragraphs[i][j])),
);

/** The utterance in progress, on its own: a new partial re-renders only this line. */
function Partial({ onChange }: { onChange: () => void }) {
  const partial = useDictation((s) => s.partial);
  useLayoutEffect(onChange, [partial, onChange]);
  if (!partial) return null;
  // Shown as it changes, announced only once it is final.
  return (
    <p aria-live="off" className="text-slate-600 italic">
      {partial}
    </p>
  );
}

/**
 * The live transcript: final segments in paragraphs (uncertain words underlined), the utterance in progress
 * muted and italic. A segment is edited in place: double-click it, or pick it with ↑/↓ and press Enter.
 */
export function Transcript() {
  const segments = useDictation((s) => s.segments);
  const status = useDictation((s) => s.status);
  const interrupted = useDictation((s) => s.session?.interrupted ?? false);
  const hasPartial = useDictation((s) => s.partial !== '');
  const editSegment = useDictation((s) => s.editSegment);
  const textSize = usePreferences((s) => s.textSize);
  const sessionId = useDictation((s) => s.session?.id);
  // Playback of the open session's audio: what is being played is marked and kept in view.
  const playable = usePlayback((s) => s.state === 'ready' && s.sessionId === sessionId && sessionId !== undefined);
  const playingMs = usePlayback((s) => (s.playing || s.positionMs > 0 ? s.positionMs : null));
  const playing = useMemo(
    () => (playable && playingMs !== null ? playingPlace(segments, playingMs) : null),
    [playable, playingMs, segments],
  );
  const ref = useRef<HTMLDivElement>(null);
  const [editing, setEditing] = useState<number | null>(null);
  const lastEdited = useRef<number | null>(null);
  // Follow new text only while the reader is at the bottom; scrolled up, they keep their place.
  const [following, setFollowing] = useState(true);
  const followingRef = useRef(true);
  const follow = useCallback(() => {
    const el = ref.current;
    if (el && followingRef.current) el.scrollTop = el.scrollHeight;
  }, []);
  useLayoutEffect(follow, [segments, follow]);
  // Blocks off screen are laid out at an estimated height until seen: when the real one is known the
  // content grows or shrinks, and a reader at the bottom stays there.
  const content = useRef<HTMLDivElement>(null);
  useEffect(() => {
    const el = content.current;
    if (!el || typeof ResizeObserver === 'undefined') return;
    const observer = new ResizeObserver(follow);
    observer.observe(el);
    return () => observer.disconnect();
  }, [follow]);
  const onScroll = () => {
    const el = ref.current;
    if (!el) return;
    const atBottom = el.scrollHeight - el.scrollTop - el.clientHeight < 24;
    followingRef.current = atBottom;
    setFollowing(atBottom);
  };
  const jumpToLatest = () => {
    followingRef.current = true;
    setFollowing(true);
    follow();
    ref.current?.focus();
  };
  // The segment being edited, read by onEdit: saving is a side effect, which has no place in a state
  // updater (StrictMode calls those twice).
  const editingRef = useRef<number | null>(null);
  const onEdit = useCallback(
    (id: number | null, text?: string | null) => {
      const current = editingRef.current;
      editingRef.current = id;
      setEditing(id);
      if (id !== null) return;
      if (current !== null && typeof text === 'string') editSegment(current, text);
      lastEdited.current = current;
    },
    [editSegment],
  );
  // After an edit, focus goes back to the segment.
  useEffect(() => {
    if (editing !== null || lastEdited.current === null) return;
    ref.current?.querySelector<HTMLElement>(`[data-segment="${lastEdited.current}"]`)?.focus();
    lastEdited.current = null;
  }, [editing]);
  const playingSegment = playing?.segment;
  useEffect(() => {
    if (playingSegment === undefined || !usePlayback.getState().playing) return;
    const el = ref.current?.querySelector<HTMLElement>(`[data-segment="${playingSegment}"]`);
    el?.scrollIntoView?.({ block: 'nearest' });
  }, [playingSegment]);
  /** Plays from the clicked word (its time) or sentence (its start). */
  const playFrom = (target: HTMLElement): boolean => {
    if (!playable) return false;
    const word = target.closest<HTMLElement>('[data-ms]');
    const segment = segments.find((s) => String(s.id) === target.closest<HTMLElement>('[data-segment]')?.dataset.segment);
    const ms = word?.dataset.ms !== undefined ? Number(word.dataset.ms) : segment?.startMs;
    if (ms === undefined || !Number.isFinite(ms)) return false;
    usePlayback.getState().seek(ms, true);
    return true;
  };
  const onClick = (e: React.MouseEvent<HTMLDivElement>) => {
    if (e.detail > 1 || window.getSelection()?.toString()) return; // a double-click edits; a selection is being made
    playFrom(e.target as HTMLElement);
  };
  const onKeyDown = (e: KeyboardEvent<HTMLDivElement>) => {
    const target = e.target as HTMLElement;
    if (e.key === 'p' && target.dataset.segment && playFrom(target)) {
      e.preventDefault();
      return;
    }
    const all = [...(ref.current?.querySelectorAll<HTMLElement>('[data-segment]') ?? [])];
    const at = all.indexOf(target);
    if (e.key === 'ArrowDown' || e.key === 'ArrowUp') {
      const next = at < 0 ? (e.key === 'ArrowUp' ? all.at(-1) : all[0]) : all[at + (e.key === 'ArrowDown' ? 1 : -1)];
      if (!next) return;
      e.preventDefault();
      next.focus();
    } else if (e.key === 'Enter' && at >= 0) {
      e.preventDefault();
      onEdit(Number(target.dataset.segment));
    }
  };
  // Blocks of whole paragraphs, about BLOCK segments each (a longer paragraph is a block of its own).
  const blocks = useMemo(() => {
    const out: Segment[][][] = [];
    let count = BLOCK;
    for (const paragraph of paragraphsOf(segments)) {
      if (count >= BLOCK) {
        out.push([]);
        count = 0;
      }
      out[out.length - 1].push(paragraph);
      count += paragraph.length;
    }
    return out;
  }, [segments]);
  const empty = segments.length === 0 && !hasPartial;
  const uncertain = useMemo(
    () => segments.some((s) => s.words?.some((w) => w.confidence !== undefined && w.confidence < LOW_CONFIDENCE)),
    [segments],
  );
  return (
    <div className="relative">
      {interrupted && status !== 'recording' && (
        <p className="mb-2 rounded-lg bg-amber-50 px-3 py-2 text-sm text-amber-900">
          This session was interrupted: the tab closed while recording. Every final sentence was kept; the last words in progress were not.
          Start recording to continue it.
        </p>
      )}
      {/* The log is also where segments are chosen (↑ ↓) and opened for editing (Enter): it takes those keys. */}
      {/* eslint-disable-next-line jsx-a11y/no-noninteractive-element-interactions */}
      <div
        ref={ref}
        role="log"
        aria-label="Transcript"
        aria-live="polite"
        aria-describedby="transcript-help"
        onScroll={onScroll}
        onKeyDown={onKeyDown}
        onClick={onClick}
        // The log scrolls and holds the segments to edit: keyboard users must be able to reach it.
        // eslint-disable-next-line jsx-a11y/no-noninteractive-tabindex
        tabIndex={0}
        className={`h-[max(16rem,calc(100dvh-26rem))] overflow-y-auto rounded-xl border border-slate-200 bg-white p-4 ${TEXT_CLASSES[textSize]} leading-relaxed whitespace-pre-wrap text-slate-900 focus-visible:outline-2 focus-visible:outline-indigo-600`}
      >
        <div ref={content}>
          {blocks.map((block, i) => (
            <Block
              key={i}
              paragraphs={block}
              editing={editing !== null && block.some((p) => p.some((s) => s.id === editing)) ? editing : null}
              onEdit={onEdit}
              playable={playable}
              playing={playing && block.some((p) => p.some((s) => s.id === playing.segment)) ? playing : null}
            />
          ))}
          <Partial onChange={follow} />
        </div>
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
      <p id="transcript-help" className="mt-1 text-xs text-slate-600">
        To fix a sentence, double-click it, or focus the transcript, choose it with ↑ ↓ and press Enter (Enter saves, Escape cancels).
        {playable && ' Click a word or sentence (or press P on it) to hear it.'}
        {uncertain && (
          <>
            {' '}
            <span className="underline decoration-amber-500 decoration-wavy underline-offset-4">Underlined</span> words are ones the
            recognizer was unsure of.
          </>
        )}
      </p>
      {empty && (
        <p className="pointer-events-none absolute inset-0 flex items-center justify-center p-6 text-center text-slate-500">
          {status === 'recording' ? 'Listening… start speaking.' : 'Press Start recording and speak. Your words appear here.'}
        </p>
      )}
    </div>
  );
}
