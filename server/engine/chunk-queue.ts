/**
 * The audio queue in front of a decoder, for any engine: writes of any size are cut into fixed-size
 * chunks, decoded strictly in order with one decode in flight, and the source is asked to pause while
 * too much waits (hysteresis between a high and a low water mark). Jobs that are not audio (ending an
 * utterance, closing) run in the same order, so nothing touches the decoder while a decode is in flight.
 *
 * A fixed chunk size matters when the engine reads voice activity between decodes: utterance
 * boundaries, and with them the transcript, are then the same however the audio arrived (live, in a
 * burst, or replayed after a reconnect).
 */

/** What the queue needs from its engine. */
export interface ChunkQueueOptions {
  /** Samples per decode; every chunk but the last one flushed has exactly this many. */
  readonly chunkSamples: number;
  /** Queued samples above which `backpressure(true)` is called. */
  readonly highWaterSamples: number;
  /** Queued samples under which `backpressure(false)` follows. */
  readonly lowWaterSamples: number;
  /** Decodes one chunk (off the event loop). A rejection fails the queue: nothing more is decoded. */
  decode(chunk: Int16Array): Promise<void>;
  /** Pause (true) or resume (false) the source. */
  backpressure(paused: boolean): void;
  /** The queue failed (a decode or a job rejected); called once. */
  error(cause: Error): void;
}

type Job =
  | { readonly kind: 'audio'; readonly chunk: Int16Array }
  | { readonly kind: 'task'; readonly run: () => Promise<void>; readonly settle: () => void };

/** A serial queue of audio chunks and tasks over one decoder. */
export class ChunkQueue {
  private readonly jobs: Job[] = [];
  /** Written samples that do not fill a chunk yet. */
  private remainder: Int16Array = new Int16Array(0);
  private running = false;
  private queuedSamples = 0;
  private paused = false;
  private failure: Error | null = null;
  private waiters: (() => void)[] = [];

  constructor(private readonly options: ChunkQueueOptions) {}

  /** Whether a decode or task failed (nothing more runs). */
  get failed(): boolean {
    return this.failure !== null;
  }

  /** Queues samples; whole chunks are decoded in order as the decoder is free. */
  write(samples: Int16Array): void {
    if (this.failure || samples.length === 0) return;
    const size = this.options.chunkSamples;
    const all = this.remainder.length ? concat(this.remainder, samples) : samples;
    const whole = all.length - (all.length % size);
    for (let i = 0; i < whole; i += size) this.jobs.push({ kind: 'audio', chunk: all.subarray(i, i + size) });
    this.remainder = all.slice(whole);
    this.queuedSamples += samples.length;
    if (!this.paused && this.queuedSamples > this.options.highWaterSamples) {
      this.paused = true;
      this.options.backpressure(true);
    }
    this.run();
  }

  /** Queues the samples short of a chunk as a last, shorter chunk. */
  flush(): void {
    if (this.failure || this.remainder.length === 0) return;
    this.jobs.push({ kind: 'audio', chunk: this.remainder });
    this.remainder = new Int16Array(0);
    this.run();
  }

  /**
   * Runs `task` once everything queued before it has run, and nothing else meanwhile.
   * @returns when it has run; at once (without running it) if the queue has failed
   */
  after(task: () => Promise<void>): Promise<void> {
    if (this.failure) return Promise.resolve();
    return new Promise((resolve) => {
      this.jobs.push({ kind: 'task', run: () => task().finally(resolve), settle: resolve });
      this.run();
    });
  }

  /** Drops queued audio (not tasks, nor the decode in flight). */
  clear(): void {
    for (let i = this.jobs.length - 1; i >= 0; i--) if (this.jobs[i].kind === 'audio') this.jobs.splice(i, 1);
    this.remainder = new Int16Array(0);
    this.queuedSamples = 0;
  }

  /** Resolves when nothing runs and nothing is queued (or the queue failed). */
  idle(): Promise<void> {
    if (!this.running && (this.jobs.length === 0 || this.failure)) return Promise.resolve();
    return new Promise((resolve) => this.waiters.push(resolve));
  }

  private run(): void {
    if (this.running) return;
    const job = this.failure ? undefined : this.jobs.shift();
    if (!job) {
      // Failed: what is still queued never runs, and whoever waits for a task is told it is over.
      for (const left of this.jobs.splice(0)) if (left.kind === 'task') left.settle();
      const waiters = this.waiters;
      this.waiters = [];
      waiters.forEach((w) => w());
      return;
    }
    this.running = true;
    let done: Promise<void>;
    if (job.kind === 'audio') {
      this.queuedSamples -= job.chunk.length;
      if (this.paused && this.queuedSamples < this.options.lowWaterSamples) {
        this.paused = false;
        this.options.backpressure(false);
      }
      done = this.options.decode(job.chunk);
    } else done = job.run();
    done
      .catch((cause: unknown) => {
        if (this.failure) return;
        this.failure = cause instanceof Error ? cause : new Error(String(cause));
        this.options.error(this.failure);
      })
      .finally(() => {
        this.running = false;
        this.run();
      });
  }
}

function concat(a: Int16Array, b: Int16Array): Int16Array {
  const out = new Int16Array(a.length + b.length);
  out.set(a);
  out.set(b, a.length);
  return out;
}
