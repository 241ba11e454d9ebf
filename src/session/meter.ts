/**
 * The input meter: what the session reads off each frame's peak before it is sent. The level for the
 * UI (peak per 100 ms), voice activity from the level (for services that report none), and digital
 * silence (a microphone that delivers only zeros).
 */
import { LevelVad } from '../audio/vad';

/** Level updates every 5 frames (100 ms). */
const LEVEL_EVERY_FRAMES = 5;
/** Digital silence for this long (150 frames, 3 s) means the microphone delivers nothing. */
const SILENT_FRAMES = 150;

/** What one frame changed. */
export interface MeterReading {
  /** The peak of the last 100 ms, 0–1, every fifth frame. */
  readonly level?: number;
  /** Speech started or stopped by the level. */
  readonly vad?: 'started' | 'stopped';
  /**
   * Frames since the speech stopped, with `stopped`: the VAD says so only after its hangover of quiet
   * frames, so the speech ended this many frames before the frame that reports it.
   */
  readonly stoppedFramesAgo?: number;
  /** True on the frame that completes 3 s of exact zeros. */
  readonly silent: boolean;
}

/** Reads frame peaks, one call per 20 ms frame. */
export class InputMeter {
  private readonly vad: LevelVad;
  private peak = 0;
  private frames = 0;
  private zeros = 0;

  /** @param speechPeak the peak (0–1) from which a frame counts as loud, for the level VAD */
  constructor(speechPeak: number) {
    this.vad = new LevelVad({ threshold: speechPeak });
  }

  /**
   * The audio is over: when the level VAD was hearing speech, it ends before the VAD's hangover.
   * @returns frames since the speech stopped, or null when it had already stopped
   */
  end(): number | null {
    return this.vad.end();
  }

  /** @param peak the frame's peak, 0–1 */
  push(peak: number): MeterReading {
    if (peak > this.peak) this.peak = peak;
    let level: number | undefined;
    if (++this.frames === LEVEL_EVERY_FRAMES) {
      level = this.peak;
      this.peak = 0;
      this.frames = 0;
    }
    const vad = this.vad.push(peak) ?? undefined;
    this.zeros = peak === 0 ? this.zeros + 1 : 0;
    return {
      ...(level !== undefined ? { level } : {}),
      ...(vad ? { vad } : {}),
      ...(vad === 'stopped' ? { stoppedFramesAgo: this.vad.hangoverFrames } : {}),
      silent: this.zeros === SILENT_FRAMES,
    };
  }
}
