/**
 * PCM16 frames: the unit of audio everywhere in Dictate, from the capture worklet to the wire and the
 * local server (docs/protocols.md, "Audio").
 */

/** The rate every wire protocol here is sent at, Hz. */
export const TARGET_SAMPLE_RATE = 16_000;
/** Length of one frame, ms. */
export const FRAME_MS = 20;
/** Samples in one 20 ms frame at 16 kHz. */
export const FRAME_SAMPLES = (TARGET_SAMPLE_RATE * FRAME_MS) / 1000;
/** Bytes in one PCM16 frame (320 samples × 2 bytes = 640). */
export const FRAME_BYTES = FRAME_SAMPLES * 2;

/** One frame of capture output. */
export interface Pcm16Frame {
  /** PCM16 little-endian mono at 16 kHz, exactly {@link FRAME_BYTES} (640) bytes. */
  readonly pcm: ArrayBuffer;
  /** Peak absolute sample value of the frame, 0–1 (for a level meter). */
  readonly peak: number;
  /**
   * When the frame's last sample was captured, ms on the page's monotonic clock (`performance.now()`),
   * from the worklet's own timestamp; absent where the source has no clock of its own (a file).
   */
  readonly capturedAt?: number;
}
