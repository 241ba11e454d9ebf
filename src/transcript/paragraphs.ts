/**
 * Paragraphs of a transcript as a dictating user expects them: finals that follow each other within a
 * short pause flow into one paragraph; a longer pause, or a spoken "new paragraph", starts the next
 * (docs/metrics.md, "Endpointing": quick endpoints cut speech into short utterances).
 */
import { segmentEndMs, type Segment } from './model';

/** A pause at least this long between two finals (ms, end of one to start of the next) starts a paragraph. */
export const PARAGRAPH_PAUSE_MS = 2000;

/** A paragraph break in a segment's text: "new paragraph" writes a blank line. */
const BREAK = /\n[^\S\n]*\n/;

/**
 * Groups segments, in order, into paragraphs. A new paragraph begins before a segment when:
 * - the previous one's text ends with a paragraph break (or this one's begins with one, before words); or
 * - both carry times and the pause between them (this start minus the previous end) is at least `pauseMs`.
 * Segments without times (a service that sends none) flow on: only a spoken break divides them.
 * @param pauseMs the shortest pause that divides paragraphs, ms
 * @returns the segments, each paragraph one array (none empty); `[]` for no segments
 */
export function paragraphsOf<T extends Timed>(segments: readonly T[], pauseMs = PARAGRAPH_PAUSE_MS): T[][] {
  const out: T[][] = [];
  let previous: T | undefined;
  for (const segment of segments) {
    if (!previous || startsParagraph(previous, segment, pauseMs)) out.push([segment]);
    else out[out.length - 1].push(segment);
    previous = segment;
  }
  return out;
}

type Timed = Pick<Segment, 'text' | 'startMs' | 'durationMs' | 'words'>;

function startsParagraph(previous: Timed, next: Timed, pauseMs: number): boolean {
  const trailing = /\s*$/.exec(previous.text)?.[0] ?? '';
  const leading = /^\s*/.exec(next.text)?.[0] ?? '';
  // A break said on its own ends the paragraph it follows.
  if (BREAK.test(trailing) || (BREAK.test(leading) && next.text.trim() !== '')) return true;
  const end = segmentEndMs(previous);
  return end !== undefined && next.startMs !== undefined && next.startMs - end >= pauseMs;
}

/** What goes between two segments' texts in running text: nothing after a line break or before punctuation, else a space. */
export function separatorBetween(previous: string, next: string): string {
  return /\n\s*$/.test(previous) || /^\s*[\n.,?!;:]/.test(next) ? '' : ' ';
}
