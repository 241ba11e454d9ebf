/**
 * The audio journal: every 20 ms PCM16 frame of a dictation, kept until the service has turned it
 * into final text, so a dropped connection can be replayed without losing a word.
 *
 * Frames are numbered from the first frame of the run (index × 20 ms is stream time). The journal
 * holds at most `capacityFrames`; past that the oldest frames are dropped and counted, so the session
 * can tell the user how much audio could not be kept. Frames before the acknowledged point (the end of
 * the audio of the last final) are no longer needed; the session releases them, keeping one utterance
 * of context for a replay.
 */
import { FRAME_MS, type Pcm16Frame } from '../core/frames';

/** Default bound: 120 s of audio (6000 frames, 3.84 MB of PCM16). */
export const JOURNAL_DEFAULT_SECONDS = 120;

export class AudioJournal {
  private readonly frames: (ArrayBuffer | undefined)[];
  private readonly peaks: Float32Array;
  /** Each frame's capture time (`Pcm16Frame.capturedAt`, ms), NaN where it has none. */
  private readonly captured: Float64Array;
  /** Index of the next frame to append. */
  private next = 0;
  /** Oldest index still held. */
  private oldest = 0;
  /** Frames before this index are covered by a final (acknowledged). */
  private acked = 0;

  /** @param capacityFrames most frames held at once (default 120 s worth) */
  constructor(readonly capacityFrames = (JOURNAL_DEFAULT_SECONDS * 1000) / FRAME_MS) {
    if (!Number.isInteger(capacityFrames) || capacityFrames < 1)
      throw new RangeError(`Journal capacity must be a positive whole number of frames (got ${capacityFrames}).`);
    this.frames = new Array<ArrayBuffer | undefined>(capacityFrames);
    this.peaks = new Float32Array(capacityFrames);
    this.captured = new Float64Array(capacityFrames);
  }

  /** Index the next frame will get (= frames appended so far). */
  get head(): number {
    return this.next;
  }

  /** Oldest index still held. */
  get first(): number {
    return this.oldest;
  }

  /** Frames before this index are covered by final text. */
  get acknowledged(): number {
    return this.acked;
  }

  /**
   * Appends a frame.
   * @returns how many unacknowledged frames were dropped to make room (0 unless the journal is full)
   */
  append(frame: Pcm16Frame): number {
    let dropped = 0;
    if (this.next - this.oldest === this.capacityFrames) {
      if (this.oldest >= this.acked) dropped = 1;
      this.frames[this.oldest % this.capacityFrames] = undefined;
      this.oldest++;
    }
    const slot = this.next % this.capacityFrames;
    this.frames[slot] = frame.pcm;
    this.peaks[slot] = frame.peak;
    this.captured[slot] = frame.capturedAt ?? NaN;
    this.next++;
    return dropped;
  }

  /** The PCM16 of frame `index`, or undefined when it is not held. */
  at(index: number): ArrayBuffer | undefined {
    return index >= this.oldest && index < this.next ? this.frames[index % this.capacityFrames] : undefined;
  }

  /** The peak (0–1) of frame `index`, or 0 when it is not held. */
  peakAt(index: number): number {
    return index >= this.oldest && index < this.next ? this.peaks[index % this.capacityFrames] : 0;
  }

  /** When frame `index` was captured (`Pcm16Frame.capturedAt`, ms), or undefined when unknown or not held. */
  capturedAt(index: number): number | undefined {
    if (index < this.oldest || index >= this.next) return undefined;
    const at = this.captured[index % this.capacityFrames];
    return Number.isNaN(at) ? undefined : at;
  }

  /** Marks the audio before `index` as turned into final text. Never moves back. */
  acknowledge(index: number): void {
    this.acked = Math.min(Math.max(index, this.acked), this.next);
  }

  /** Frees the frames before `index` (at most up to the acknowledged point). */
  release(index: number): void {
    const to = Math.min(index, this.acked);
    for (; this.oldest < to; this.oldest++) this.frames[this.oldest % this.capacityFrames] = undefined;
  }

  /**
   * Where the audio of an untimed final most likely ends, given that the final arrived when the
   * frames before `sent` had been sent: the start of the last quiet stretch (at least `quietFrames`
   * frames under `threshold`) before `sent`, after the acknowledged point. When there is none, `sent`.
   * Replaying from a quiet stretch repeats silence at worst, never a word already final.
   */
  endOfSpeechBefore(sent: number, threshold: number, quietFrames: number): number {
    let quietEnd = -1;
    for (let i = Math.min(sent, this.next) - 1; i >= Math.max(this.acked, this.oldest); i--) {
      const quiet = this.peakAt(i) < threshold;
      if (quiet && quietEnd < 0) quietEnd = i + 1;
      if (!quiet && quietEnd >= 0) {
        if (quietEnd - (i + 1) >= quietFrames) return i + 1;
        quietEnd = -1;
      }
    }
    return sent;
  }

  /**
   * Where speech next begins in `[from, to)`: the first frame of a run of `minFrames` frames with a peak
   * at or above `threshold`, the whole run before `to`; `min(to, end of the journal)` when there is none.
   */
  speechFrom(from: number, threshold: number, minFrames = 1, to = this.next): number {
    const end = Math.min(to, this.next);
    let run = 0;
    for (let i = Math.max(from, this.oldest); i < end; i++) {
      run = this.peakAt(i) >= threshold ? run + 1 : 0;
      if (run >= minFrames) return i + 1 - minFrames;
    }
    return end;
  }

  /**
   * True when `[from, to)` holds speech: at least `minFrames` frames in a row with a peak at or above
   * `threshold` (a breath or a click after the last word is shorter, and is not speech to wait for).
   */
  hasSpeech(from: number, to: number, threshold: number, minFrames = 1): boolean {
    return this.speechFrom(from, threshold, minFrames, to) < Math.min(to, this.next);
  }
}
