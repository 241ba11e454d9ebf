/**
 * A level-based voice activity detector for services that report none (Reson8, Speechall): speech
 * when a 20 ms frame's peak passes a threshold, silence after a hangover of quieter frames.
 * Pure: frames in, state changes out.
 */

/** Options, with defaults tuned on the LibriVox fixtures and a laptop microphone. */
export interface LevelVadOptions {
  /** Peak (0–1 of full scale) at or above which a frame counts as speech. Default 0.03 (−30 dBFS). */
  readonly threshold?: number;
  /** Quiet frames before speech is over, each 20 ms. Default 25 (500 ms). */
  readonly hangoverFrames?: number;
}

/** Tracks speech / silence over a stream of frames. */
export class LevelVad {
  private speaking = false;
  private quietFrames = 0;
  private readonly threshold: number;
  /** Quiet frames after which speech is over: a `stopped` edge comes this many frames after the speech stopped. */
  readonly hangoverFrames: number;

  constructor(options: LevelVadOptions = {}) {
    this.threshold = options.threshold ?? 0.03;
    this.hangoverFrames = options.hangoverFrames ?? 25;
  }

  /**
   * Feeds one frame's peak (0–1).
   * @returns `started` or `stopped` when the state changes, else null
   */
  push(peak: number): 'started' | 'stopped' | null {
    if (peak >= this.threshold) {
      this.quietFrames = 0;
      if (this.speaking) return null;
      this.speaking = true;
      return 'started';
    }
    if (!this.speaking) return null;
    if (++this.quietFrames < this.hangoverFrames) return null;
    this.speaking = false;
    return 'stopped';
  }

  /**
   * The audio is over (the microphone stopped). While speech was on, it stopped too: the frames since
   * its last loud frame are returned (0 when the last frame was loud); null when it was already silence.
   */
  end(): number | null {
    if (!this.speaking) return null;
    this.speaking = false;
    const since = this.quietFrames;
    this.quietFrames = 0;
    return since;
  }
}
