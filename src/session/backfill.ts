/**
 * Replay from storage (docs/protocols.md, "Reconnecting" and "Keeping audio"): after an outage longer
 * than the journal holds, the frames it no longer has are read back from the kept audio and sent
 * first, paced like any replay; then the journal takes over. An outage of any length delays words and
 * loses none, as long as the audio was kept.
 */
import type { AudioJournal } from './journal';
import type { Link } from './link';
import { sendFrame, type Pacer, type SendResult } from './pacer';

/** Frames read from storage at once (5 s). */
export const BACKFILL_BATCH_FRAMES = 250;

/** The peak of a PCM16 frame, 0–1. */
function peakOf(pcm: ArrayBuffer): number {
  let peak = 0;
  for (const s of new Int16Array(pcm)) peak = Math.max(peak, Math.abs(s));
  return peak / 32768;
}

/** The frames before the journal, for the connection that needs them. */
export class Backfill {
  private owner: Link | null = null;
  private frames: ArrayBuffer[] = [];
  /** Index of `frames[0]`. */
  private from = 0;
  private reading = false;
  /** Storage could not give frames that were asked for: what the journal lost is lost. */
  failed = false;

  /** @param read - frames `[from, to)` of the run from storage (fewer when they were not kept) */
  constructor(private readonly read: (from: number, to: number) => Promise<ArrayBuffer[]>) {}

  /** Whether `link` still needs frames the journal no longer holds, and storage may have them. */
  needed(link: Link, journal: AudioJournal): boolean {
    return !this.failed && link.cursor < journal.first;
  }

  /**
   * Sends stored frames from the link's cursor up to the journal's first frame.
   * @param again - called when a read has finished (send again then)
   * @returns `drained` once the journal holds the rest; `reading` while a read is under way; otherwise as {@link sendFrom}
   */
  send(
    link: Link,
    journal: AudioJournal,
    pacer: Pacer,
    highWaterBytes: number,
    speechPeak: number,
    now: number,
    again: () => void,
  ): SendResult | 'reading' {
    pacer.refill(now);
    while (this.needed(link, journal)) {
      const i = link.cursor - this.from;
      if (this.owner !== link || i < 0 || i >= this.frames.length) {
        if (this.reading) return 'reading';
        this.load(link, link.cursor, Math.min(journal.first, link.cursor + BACKFILL_BATCH_FRAMES), again);
        return 'reading';
      }
      const pcm = this.frames[i];
      const sent = sendFrame(link, pacer, highWaterBytes, pcm, link.speechSentAt === null && peakOf(pcm) >= speechPeak, now);
      if (sent !== 'sent') return sent;
    }
    if (!this.failed) this.frames = [];
    return 'drained';
  }

  private load(link: Link, from: number, to: number, again: () => void): void {
    this.reading = true;
    this.read(from, to).then(
      (frames) => {
        this.reading = false;
        this.owner = link;
        this.from = from;
        this.frames = frames;
        if (frames.length === 0) this.failed = true;
        again();
      },
      () => {
        this.reading = false;
        this.failed = true;
        again();
      },
    );
  }
}
