/**
 * An engine whose decoders live on worker threads, one per core by default: every recognizer call runs
 * there, so decoding uses every core and no call into the engine ever blocks the server's event loop
 * (or waits in libuv's shared pool of four threads; only a decoder's load goes there, from the thread,
 * so that it does not hold up the thread's streams). The main thread holds a proxy {@link Recognizer}
 * per stream; audio and events cross by message (`thread-protocol.ts`).
 *
 * A stream goes to the thread with the fewest open streams (ties: the one with more idle decoders, so a
 * pooled decoder is reused). If a thread dies, each of its streams gets `error` (the session says so
 * and the client reconnects) and the next stream starts a new thread in its place.
 *
 * Each thread may host several engines, one per decoder profile (PocketSphinx's two-pass and one-pass
 * decoders): a stream gets the first profile, in order, with a seat free, else the last.
 */
import { Worker } from 'node:worker_threads';
import type { EngineHealth, Recognizer, RecognizerEvents, RecognizerOptions, SpeechEngine } from './engine';
import type { FromThread, ToThread } from './thread-protocol';

const ENTRY = new URL('./thread-entry.mjs', import.meta.url);

/** How to start the threads. */
export interface ThreadedEngineOptions {
  /** The module a thread runs: it builds the engine and calls `hostEngine` (e.g. `pocketsphinx-thread.ts`). */
  readonly entry: URL;
  /** Threads, at least 1 (the cores, or fewer when fewer sessions are allowed). */
  readonly threads: number;
  /** Handed to each thread, as `threadData()` returns it there. */
  readonly workerData?: unknown;
  /**
   * The thread's engines, in order of preference, with how many streams each may hold at once; a stream
   * beyond every profile's seats gets the last (the server's session cap bounds the total).
   */
  readonly profiles: readonly DecoderProfile[];
  /** The engine's name for `/healthz`. */
  readonly name: string;
  /** Told what a thread reports, and when one stops. */
  readonly report?: (message: string) => void;
}

/** One of a thread's engines (its key in `hostEngine`), and the streams it may hold at once. */
export interface DecoderProfile {
  readonly name: string;
  readonly seats: number;
}

interface Stream {
  readonly profile: string;
  readonly events: RecognizerEvents;
  opened?: { resolve: () => void; reject: (error: Error) => void };
  readonly done: Map<number, (decodeTime?: { decodeMs: number; audioMs: number }) => void>;
  closed: boolean;
}

/** One decoder thread and the streams it holds. */
class DecoderThread {
  readonly streams = new Map<number, Stream>();
  idleDecoders = 0;
  dead = false;
  private readonly worker: Worker;

  constructor(options: ThreadedEngineOptions, onDeath: (thread: DecoderThread) => void) {
    // The thread starts in plain JavaScript and loads its TypeScript module itself (thread-entry.mjs).
    this.worker = new Worker(ENTRY, { workerData: { module: options.entry.href, data: options.workerData } });
    this.worker.unref();
    this.worker.on('message', (message: FromThread) => this.receive(message, options.report));
    const die = (why: string) => {
      if (this.dead) return;
      this.dead = true;
      options.report?.(`a decoder thread stopped (${why}); its sessions are told, new ones start a new thread`);
      for (const [, stream] of this.streams) {
        const error = new Error(`The decoder thread stopped (${why}).`);
        stream.opened?.reject(error);
        if (!stream.opened) stream.events.error(error);
        for (const settle of stream.done.values()) settle();
      }
      this.streams.clear();
      onDeath(this);
    };
    this.worker.on('error', (error) => die(error.message));
    this.worker.on('exit', (code) => die(`exit code ${code}`));
  }

  post(message: ToThread, transfer: ArrayBuffer[] = []): void {
    if (!this.dead) this.worker.postMessage(message, transfer);
  }

  stop(): Promise<number> {
    this.dead = true;
    return this.worker.terminate();
  }

  private receive(message: FromThread, report?: (message: string) => void): void {
    if (message.ev === 'idle') {
      this.idleDecoders = message.decoders;
      return;
    }
    if (message.ev === 'report') {
      report?.(message.message);
      return;
    }
    const stream = this.streams.get(message.id);
    if (!stream) return;
    const events = stream.events;
    switch (message.ev) {
      case 'opened':
        stream.opened?.resolve();
        stream.opened = undefined;
        return;
      case 'open-failed':
        stream.opened?.reject(new Error(message.message));
        this.streams.delete(message.id);
        return;
      case 'done':
        stream.done.get(message.seq)?.(message.decodeTime);
        stream.done.delete(message.seq);
        if (stream.closed && stream.done.size === 0) this.streams.delete(message.id);
        return;
    }
    if (stream.closed) return;
    switch (message.ev) {
      case 'speechStarted':
        return events.speechStarted();
      case 'partial':
        return events.partial(message.text);
      case 'final':
        return events.final(message.utterance);
      case 'speechStopped':
        return events.speechStopped();
      case 'error':
        return events.error(new Error(message.message));
      case 'backpressure':
        return events.backpressure(message.paused);
    }
  }
}

/** The main thread's side of one stream. */
class ThreadRecognizer implements Recognizer {
  private seq = 0;
  private time?: { decodeMs: number; audioMs: number };

  constructor(
    private readonly thread: DecoderThread,
    private readonly id: number,
    private readonly stream: Stream,
  ) {}

  write(samples: Int16Array): void {
    if (this.stream.closed || samples.length === 0) return;
    // A copy of its own: the caller's view may share a larger buffer, and this one is transferred.
    const copy = samples.slice();
    this.thread.post({ op: 'write', id: this.id, samples: copy }, [copy.buffer]);
  }

  finish(): Promise<void> {
    if (this.stream.closed) return Promise.resolve();
    return this.request('finish').then(() => undefined);
  }

  async close(): Promise<void> {
    if (this.stream.closed) return;
    const closing = this.request('close');
    this.stream.closed = true;
    this.time = await closing;
  }

  /** As the thread reported it when the stream closed; nothing decoded before that. */
  decodeTime(): { decodeMs: number; audioMs: number } {
    return this.time ?? { decodeMs: 0, audioMs: 0 };
  }

  private request(op: 'finish' | 'close'): Promise<{ decodeMs: number; audioMs: number } | undefined> {
    if (this.thread.dead) return Promise.resolve(undefined);
    const seq = ++this.seq;
    return new Promise((resolve) => {
      this.stream.done.set(seq, resolve);
      this.thread.post({ op, id: this.id, seq });
    });
  }
}

/**
 * An engine on `options.threads` worker threads, started when the first stream opens.
 * @param local - the same engine's health as seen from the main thread (libraries and model present):
 *   an engine that cannot run starts no thread
 */
export function threadedEngine(options: ThreadedEngineOptions, local: EngineHealth): SpeechEngine & { stop(): Promise<void> } {
  const threads: DecoderThread[] = [];
  let nextId = 0;
  const count = Math.max(1, Math.floor(options.threads));
  const start = () => {
    for (let i = threads.length; i < count; i++)
      threads.push(new DecoderThread(options, (dead) => threads.splice(threads.indexOf(dead), 1)));
  };
  /** Open (or opening, or closing) streams by profile, counted on the live threads. */
  const streams = (): Record<string, number> => {
    const open: Record<string, number> = Object.fromEntries(options.profiles.map((p) => [p.name, 0]));
    for (const thread of threads) for (const stream of thread.streams.values()) open[stream.profile] = (open[stream.profile] ?? 0) + 1;
    return open;
  };
  const profileFor = (): string => {
    const open = streams();
    return (options.profiles.find((p) => (open[p.name] ?? 0) < p.seats) ?? options.profiles[options.profiles.length - 1]).name;
  };

  const pick = (): DecoderThread => {
    start();
    return threads.reduce((best, t) =>
      t.streams.size < best.streams.size || (t.streams.size === best.streams.size && t.idleDecoders > best.idleDecoders) ? t : best,
    );
  };

  return {
    health(): EngineHealth {
      if (!local.ready) return local;
      return {
        ready: true,
        name: options.name,
        idleDecoders: threads.reduce((n, t) => n + t.idleDecoders, 0),
        ...(options.profiles.length > 1 ? { streams: streams() } : {}),
      };
    },

    /**
     * @throws Error (rejects) if the engine cannot run, the thread could not open a recognizer, or the
     *   thread stopped before it did
     */
    async open(events: RecognizerEvents, recognizerOptions: RecognizerOptions = {}): Promise<Recognizer> {
      if (!local.ready) throw new Error(local.reason);
      const thread = pick();
      const id = ++nextId;
      const profile = profileFor();
      const stream: Stream = { profile, events, done: new Map(), closed: false };
      const opened = new Promise<void>((resolve, reject) => (stream.opened = { resolve, reject }));
      thread.streams.set(id, stream);
      thread.post({ op: 'open', id, profile, options: { vocabulary: recognizerOptions.vocabulary } });
      await opened;
      return new ThreadRecognizer(thread, id, stream);
    },

    async stop(): Promise<void> {
      await Promise.all(threads.splice(0).map((t) => t.stop()));
    },
  };
}
