/**
 * Messages between the capture AudioWorklet and the main thread (over the node's MessagePort).
 * Types only: shared by both sides.
 */

/** Worklet → main thread. */
export type WorkletMessage =
  /** One 20 ms frame: `pcm` is 640 bytes of PCM16 LE mono at 16 kHz (transferred); `peak` 0–1. */
  | { type: 'frame'; pcm: ArrayBuffer; peak: number; contextTime: number }
  /** The processor could not start (e.g. an unsupported device sample rate). */
  | { type: 'error'; message: string }
  /** Answer to `flush`: every captured sample has been posted. */
  | { type: 'flushed'; paddedSamples: number }
  /** The processor runs: which resampler it uses (speexdsp, or Dictate's own where WebAssembly failed). */
  | { type: 'ready'; resampler: string };

/** Main thread → worklet. */
export type WorkletCommand = { type: 'flush' };

/** Name the processor is registered under. */
export const CAPTURE_PROCESSOR = 'dictate-capture';

/** What the page gives the capture processor: speexdsp's WebAssembly bytes (compiled in the worklet). */
export interface CaptureProcessorOptions {
  readonly speexWasm?: ArrayBuffer;
}
