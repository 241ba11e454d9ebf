/**
 * Replay and stitching over the journal (docs/protocols.md, "Reconnecting"). A new connection hears
 * the audio the service has not turned into final text, after one utterance of context (so a new
 * recognizer hears what the old one heard); its times are offset to the run so the transcript's times
 * stay monotonic, and words the context makes it say again are dropped. Audio that fell out of the
 * journal before any final covered it is counted, and the user told how much.
 */
import type { FinalResult } from '../core/events';
import { FRAME_MS } from '../core/frames';
import type { AudioJournal } from './journal';
import type { Link } from './link';
import { comparable, overlap, withoutLeadingWords } from './stitch';

/** A quiet stretch this long (15 frames, 300 ms) ends an utterance when a final carries no times. */
export const QUIET_FRAMES = 15;
/** Loud frames in a row (3, 60 ms) that count as speech after the context, not a click. */
const SPEECH_FRAMES = 3;

/** The replay bookkeeping of one run. */
export class Replay {
  /** Where a replay starts: the end of the audio of the final before the last (one utterance of context). */
  private contextFrom = 0;
  /** The last words shown, comparable (see stitch.ts). */
  private recentWords: string[] = [];
  /** Frames before this index were already counted as lost. */
  private lostCountedUntil = 0;
  private lostFrames = 0;

  /** @param speechPeak the peak (0–1) from which a frame counts as speech */
  constructor(
    private readonly journal: AudioJournal,
    private readonly speechPeak: number,
  ) {}

  /**
   * A connection became ready: it starts at the context, and stitches while it repeats it.
   * @param fromStorage - frames the journal no longer holds can be read back from the kept audio
   *   (`backfill.ts`): the replay starts there, and nothing is counted as lost
   */
  begin(link: Link, fromStorage = false): void {
    const journal = this.journal;
    link.base = Math.max(this.contextFrom, fromStorage ? 0 : journal.first);
    link.cursor = link.base;
    link.acknowledgedAtStart = journal.acknowledged;
    link.stitching = link.base < link.acknowledgedAtStart;
    if (journal.acknowledged < journal.first && !fromStorage) this.countLost();
  }

  /**
   * A final from `link`: its audio acknowledged in the journal (up to its end, or the end of the
   * speech sent when it carries no times).
   * @returns the final to show, on the run's time base, without words already shown; null when it only repeats them
   */
  final(link: Link, received: FinalResult): FinalResult | null {
    const journal = this.journal;
    let event = received;
    const endMs = event.startMs !== undefined ? event.startMs + (event.durationMs ?? 0) : undefined;
    const endIndex = endMs !== undefined ? link.base + Math.ceil(endMs / FRAME_MS) : undefined;
    if (link.stitching) {
      // Inside the context by its times (begins before the acknowledged point, ends within 100 ms of it),
      // or the same words again: already shown.
      const startIndex = event.startMs !== undefined ? link.base + Math.floor(event.startMs / FRAME_MS) : undefined;
      if (
        startIndex !== undefined &&
        endIndex !== undefined &&
        startIndex < link.acknowledgedAtStart &&
        endIndex <= link.acknowledgedAtStart + 5
      )
        return null;
      // Without times: a final that came before the link had sent any speech after the context can only
      // be the context's, said again (a new recognizer may word it differently, so its words need not
      // repeat the shown ones exactly). It is dropped whole; the next final still stitches.
      if (endIndex === undefined && link.cursor <= journal.speechFrom(link.acknowledgedAtStart, this.speechPeak, SPEECH_FRAMES))
        return null;
      const words = comparable(event.text);
      const repeated = overlap(this.recentWords, words);
      if (repeated >= words.length) return null;
      if (repeated > 0) event = withoutLeadingWords(event, repeated);
      link.stitching = false;
    }
    const before = journal.acknowledged;
    journal.acknowledge(Math.min(endIndex ?? journal.endOfSpeechBefore(link.cursor, this.speechPeak, QUIET_FRAMES), link.cursor));
    if (journal.acknowledged > before) {
      this.contextFrom = before;
      journal.release(before);
    }
    this.recentWords = [...this.recentWords, ...comparable(event.text)].slice(-60);
    return offsetBy(event, link.base * FRAME_MS);
  }

  /** Counts audio that left the journal before a final covered it, once per stretch. */
  countLost(): void {
    const journal = this.journal;
    const from = Math.max(journal.acknowledged, this.lostCountedUntil);
    if (journal.first > from) this.lostFrames += journal.first - from;
    this.lostCountedUntil = Math.max(this.lostCountedUntil, journal.first);
  }

  /** @returns the seconds of audio counted as lost since the last call (0: none) */
  takeLostSeconds(): number {
    const seconds = (this.lostFrames * FRAME_MS) / 1000;
    this.lostFrames = 0;
    return seconds;
  }
}

/** The final with its times (and its words' times) moved by `offsetMs`. */
function offsetBy(event: FinalResult, offsetMs: number): FinalResult {
  if (offsetMs === 0) return event;
  return {
    ...event,
    ...(event.startMs !== undefined ? { startMs: event.startMs + offsetMs } : {}),
    ...(event.words ? { words: event.words.map((w) => (w.startMs !== undefined ? { ...w, startMs: w.startMs + offsetMs } : w)) } : {}),
  };
}
