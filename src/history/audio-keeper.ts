/**
 * Where runs' audio is kept (docs/protocols.md, "Keeping audio"): a worker that encodes Opus and writes
 * IndexedDB off the main thread ({@link workerAudioKeeper}), or the same writer in this thread
 * ({@link localAudioKeeper}, for tests and browsers without module workers).
 */
import { canEncodeOpus, OpusStreamEncoder } from '../audio/opus';
import { dictationError, type DictationError } from '../core/errors';
import type { AudioKeeper, KeepAudioRequest, RunAudioWriter } from '../core/kept-audio';
import { runFrames } from './audio-read';
import { ChunkedAudioWriter, Pcm16PacketEncoder, type AudioChunkRecord, type ChunkSink, type PacketEncoder } from './audio-store';

/**
 * Audio stopped being kept: what happened, that the words are safe, and what to do.
 * @param cause - the storage's DOMException (`QuotaExceededError` when full) or the encoder's Error
 */
export function audioNotKept(cause: unknown): DictationError {
  const name = (cause as { name?: string } | null)?.name;
  const detail = (cause as { message?: string } | null)?.message;
  return dictationError(
    'storage-failed',
    name === 'QuotaExceededError'
      ? "This browser's storage is full, so the audio of this recording is no longer kept. Your words are still saved. Delete old audio in History to make room."
      : 'The audio of this recording could not be kept (the browser refused to store or encode it). Your words are still saved.',
    detail,
  );
}

/** Opus packets through WebCodecs, collected for {@link ChunkedAudioWriter}. */
export class OpusPacketEncoder implements PacketEncoder {
  readonly codec = 'opus' as const;
  private packets: Uint8Array[] = [];
  private failure: Error | null = null;
  private readonly encoder = new OpusStreamEncoder(
    (packet) => this.packets.push(packet),
    (error) => (this.failure = error),
  );
  get description(): ArrayBuffer | undefined {
    return this.encoder.description;
  }
  encode(pcm: ArrayBuffer): void {
    if (this.failure) throw this.failure;
    this.encoder.encode(pcm);
  }
  take(): Uint8Array[] {
    const out = this.packets;
    this.packets = [];
    return out;
  }
  async flush(): Promise<void> {
    await this.encoder.flush();
    if (this.failure) throw this.failure;
  }
  close(): void {
    this.encoder.close();
  }
}

let opus: Promise<boolean> | null = null;

/**
 * WebKit's engine (not Chromium's or Gecko's): in WebKitGTK 2.50.6 the page crashed or hung while the
 * audio worker encoded Opus, although `isConfigSupported` says yes (seen in the cross-browser e2e test;
 * the same test passes with PCM16). Until that is understood, WebKit keeps PCM16.
 */
export function opusBreaksHere(userAgent: string): boolean {
  return /AppleWebKit/.test(userAgent) && !/Chrome|Chromium|Edg|Firefox/.test(userAgent);
}

/** Opus where this browser encodes it (and reliably), else PCM16 as it is. */
export async function bestPacketEncoder(): Promise<PacketEncoder> {
  opus ??= opusBreaksHere(typeof navigator === 'undefined' ? '' : navigator.userAgent) ? Promise.resolve(false) : canEncodeOpus();
  return (await opus) ? new OpusPacketEncoder() : new Pcm16PacketEncoder();
}

/** A writer made asynchronously: frames wait, in order, until it is. */
export function deferredWriter(made: Promise<RunAudioWriter>): Omit<RunAudioWriter, 'read'> {
  let writer: RunAudioWriter | null = null;
  const waiting: ArrayBuffer[] = [];
  const ready = made.then((w) => {
    writer = w;
    for (const pcm of waiting.splice(0)) w.frame(pcm);
    return w;
  });
  return {
    frame(pcm) {
      if (writer) writer.frame(pcm);
      else waiting.push(pcm.slice(0));
    },
    close: () => ready.then((w) => w.close()),
  };
}

const nothing: RunAudioWriter = { frame: () => undefined, close: () => Promise.resolve() };

/**
 * One run's writer over `sink`, its encoder chosen first.
 * @param onFailure - told once, with the raw cause, when audio stops being kept
 */
export function openRunWriter(
  sink: Promise<ChunkSink>,
  request: KeepAudioRequest,
  onFailure: (cause: unknown) => void,
  encoder: () => Promise<PacketEncoder> = request.lossless ? () => Promise.resolve(new Pcm16PacketEncoder()) : bestPacketEncoder,
): RunAudioWriter {
  let told = false;
  const failed = (cause: unknown) => {
    if (told) return;
    told = true;
    onFailure(cause);
  };
  const withId = { ...request, runId: request.runId ?? crypto.randomUUID() };
  const writer = deferredWriter(
    Promise.all([sink, encoder()]).then(
      ([s, e]) => new ChunkedAudioWriter(withId, s, e, failed),
      (cause: unknown) => {
        failed(cause);
        return nothing;
      },
    ),
  );
  return { ...writer, read: keptFrames(withId, async () => (await sink).chunks(withId.sessionId)) };
}

/** Reads a run's frames back from its session's chunks (see {@link runFrames}). */
function keptFrames(request: KeepAudioRequest & { runId: string }, chunks: () => Promise<AudioChunkRecord[]>) {
  return async (from: number, to: number) => runFrames(await chunks(), request.runId, from, to);
}

/** Runs' audio written in this thread, through `sink`. */
export function localAudioKeeper(sink: ChunkSink | Promise<ChunkSink>, encoder?: () => Promise<PacketEncoder>): AudioKeeper {
  return {
    open: (request, onError) => openRunWriter(Promise.resolve(sink), request, (cause) => onError(audioNotKept(cause)), encoder),
  };
}

/** What the audio worker is sent. */
export type AudioWorkerRequest =
  | { readonly type: 'open'; readonly run: number; readonly request: KeepAudioRequest }
  | { readonly type: 'frame'; readonly run: number; readonly pcm: ArrayBuffer }
  | { readonly type: 'close'; readonly run: number };

/** What it answers. */
export type AudioWorkerResponse =
  | { readonly type: 'closed'; readonly run: number }
  | { readonly type: 'failed'; readonly run: number; readonly name: string; readonly message: string };

/**
 * Runs' audio encoded and written by a worker (`audio.worker.ts`), started at the first run. If the
 * worker cannot start, audio is kept in this thread instead.
 * @param startWorker - makes the worker (the app passes Vite's `new Worker(new URL(…))`)
 * @param fallback - the in-thread keeper used when the worker fails to start
 * @param chunks - reads a session's stored chunks (for a replay past the journal)
 */
export function workerAudioKeeper(
  startWorker: () => Worker,
  fallback: () => AudioKeeper,
  chunks: (sessionId: string) => Promise<AudioChunkRecord[]>,
): AudioKeeper {
  let worker: Worker | null = null;
  let broken = false;
  let next = 1;
  const runs = new Map<number, { onError: (error: DictationError) => void; closed?: () => void }>();
  const start = (): Worker | null => {
    if (worker || broken) return worker;
    try {
      worker = startWorker();
    } catch {
      broken = true;
      return null;
    }
    worker.onmessage = ({ data }: MessageEvent<AudioWorkerResponse>) => {
      const run = runs.get(data.run);
      if (!run) return;
      if (data.type === 'failed') run.onError(audioNotKept({ name: data.name, message: data.message }));
      else {
        runs.delete(data.run);
        run.closed?.();
      }
    };
    worker.onerror = (e) => {
      e.preventDefault();
      for (const [id, run] of runs) {
        run.onError(audioNotKept({ message: e.message || 'The audio worker stopped.' }));
        run.closed?.();
        runs.delete(id);
      }
    };
    return worker;
  };
  return {
    open(request, onError) {
      const w = start();
      if (!w) return fallback().open(request, onError);
      const run = next++;
      runs.set(run, { onError });
      const withId = { ...request, runId: request.runId ?? crypto.randomUUID() };
      w.postMessage({ type: 'open', run, request: withId } satisfies AudioWorkerRequest);
      return {
        read: keptFrames(withId, () => chunks(withId.sessionId)),
        frame(pcm) {
          if (runs.has(run)) w.postMessage({ type: 'frame', run, pcm } satisfies AudioWorkerRequest);
        },
        close() {
          const entry = runs.get(run);
          if (!entry) return Promise.resolve();
          return new Promise<void>((resolve) => {
            entry.closed = resolve;
            w.postMessage({ type: 'close', run } satisfies AudioWorkerRequest);
          });
        },
      };
    },
  };
}
