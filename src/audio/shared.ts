/**
 * One capture, many consumers: a microphone (or a file) that several sessions hear at once, so that one
 * recording can feed two services. Each consumer subscribes with its own handlers and keeps its own
 * journal and cursor (the session does); the first subscriber starts the capture, and it stops when the
 * last one leaves. A file is the same kind of source: it goes as fast as the slowest consumer takes it.
 */
import type { DictationError } from '../core/errors';
import type { Pcm16Frame } from '../core/frames';
import type { MicrophoneOptions } from '../core/microphone';
import type { Capture, CaptureHandlers, CaptureInfo, StartCapture } from './capture';

/** A capture shared by its subscribers. */
export class SharedCapture {
  private readonly consumers = new Set<CaptureHandlers>();
  private running: Promise<Capture> | null = null;
  private info: CaptureInfo | null = null;

  /**
   * @param start the capture to share (the microphone's, or a file's)
   * @param microphone which microphone, for every subscriber (the first one starts it)
   */
  constructor(
    private readonly start: StartCapture,
    private readonly microphone?: MicrophoneOptions,
  ) {}

  /** How many consumers hear the capture now. */
  get size(): number {
    return this.consumers.size;
  }

  /**
   * A {@link StartCapture} for one consumer: it hears every frame from now on, and its `stop()` leaves.
   * @throws DictationError (rejects) when the capture cannot start, for every consumer waiting on it
   */
  readonly subscribe: StartCapture = async (handlers) => {
    this.consumers.add(handlers);
    if (this.info) handlers.onInfo?.(this.info);
    const running = (this.running ??= this.begin());
    let capture: Capture;
    try {
      capture = await running;
    } catch (cause) {
      this.consumers.delete(handlers);
      throw cause;
    }
    let left = false;
    return {
      sampleRate: capture.sampleRate,
      ...(capture.fellBack !== undefined ? { fellBack: capture.fellBack } : {}),
      stop: async () => {
        if (left) return;
        left = true;
        // The last consumer stops the capture itself, and so hears every sample captured until then.
        if (this.consumers.size === 1 && this.running === running) {
          this.running = null;
          await capture.stop();
        }
        this.consumers.delete(handlers);
      },
    };
  };

  private begin(): Promise<Capture> {
    // Per frame (50 a second): over the set itself, no copy (a Set may lose members while iterated).
    const each = (call: (h: CaptureHandlers) => void) => {
      for (const h of this.consumers) call(h);
    };
    const started = this.start(
      {
        onFrame: (frame: Pcm16Frame) => each((h) => h.onFrame(frame)),
        onError: (error: DictationError) => {
          this.running = null;
          each((h) => h.onError(error));
        },
        onEnd: () => each((h) => h.onEnd?.()),
        onInfo: (info: CaptureInfo) => {
          this.info = info;
          each((h) => h.onInfo?.(info));
        },
        // The slowest consumer sets the pace of a file.
        backlog: () => Math.max(0, ...[...this.consumers].map((h) => h.backlog?.() ?? 0)),
      },
      this.microphone,
    );
    started.catch(() => (this.running = null));
    return started;
  }
}
