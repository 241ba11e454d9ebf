/**
 * The audio Dictate keeps (docs/protocols.md, "Keeping audio"): each run's frames, compressed, in
 * chunks of about one second, written as they arrive. A chunk is one IndexedDB record with the
 * session's totals updated in the same transaction, so a crash loses at most the chunk being filled
 * (and what the encoder holds: one packet).
 */
import type { KeepAudioRequest, RunAudioWriter } from '../core/kept-audio';
import { FRAME_BYTES, FRAME_MS } from '../core/frames';

/** How a chunk's audio is coded: Opus packets (20 ms each), or the frames as they were (PCM16). */
export type AudioCodec = 'opus' | 'pcm16';

/** Frames per chunk: 50 × 20 ms = 1 s of audio at risk in a crash. */
export const CHUNK_FRAMES = 50;

/** One stored chunk. */
export interface AudioChunkRecord {
  readonly sessionId: string;
  /** 0-based, in order across the session's runs. */
  readonly seq: number;
  /** The run it belongs to (random): chunks of one run are one stream. */
  readonly runId: string;
  /** Where its run starts on the session's time base, ms:  */
  readonly runStartMs: number;
  /** Where this chunk starts, ms (its run's start plus the packets before it × 20 ms). */
  readonly startMs: number;
  /** Packets × 20 ms. */
  readonly durationMs: number;
  readonly codec: AudioCodec;
  /** The packets back to back (PCM16: 640 bytes each). */
  readonly data: ArrayBuffer;
  /** Each packet's length, bytes (Opus; PCM16 packets are all {@link FRAME_BYTES}). */
  readonly packetBytes?: readonly number[];
  /** The decoder's configuration (Opus: the OpusHead), when the encoder gave one. */
  readonly description?: ArrayBuffer;
}

/** A session's kept audio, summed (one record per session, updated with each chunk). */
export interface AudioTotals {
  readonly sessionId: string;
  /** Stored bytes (the packets, not IndexedDB's overhead). */
  readonly bytes: number;
  /** Audio kept, ms. */
  readonly durationMs: number;
  /** Where the kept audio ends on the session's time base, ms. */
  readonly endMs: number;
  readonly codec: AudioCodec;
  /** Epoch ms of the last chunk written. */
  readonly updatedAt: number;
}

/** Where chunks go (IndexedDB, or a test's). */
export interface ChunkSink {
  /** The next free `seq` of a session (0 when it has no audio). */
  nextSeq(sessionId: string): Promise<number>;
  /** Stores one chunk and adds it to its session's totals, in one transaction. */
  put(chunk: AudioChunkRecord): Promise<void>;
  /** A session's chunks, in order. */
  chunks(sessionId: string): Promise<AudioChunkRecord[]>;
}

/** Turns frames into packets (Opus through WebCodecs, or PCM16 as is). */
export interface PacketEncoder {
  readonly codec: AudioCodec;
  /** One 20 ms frame. */
  encode(pcm: ArrayBuffer): void;
  /** The packets made since the last call, in order. */
  take(): Uint8Array[];
  /** Makes every packet still inside; then `take()` has the last ones. */
  flush(): Promise<void>;
  /** The decoder's configuration, once known. */
  readonly description?: ArrayBuffer;
  close(): void;
}

/** PCM16 kept as it is: lossless, 115.2 MB per hour (the fallback where no Opus encoder is available). */
export class Pcm16PacketEncoder implements PacketEncoder {
  readonly codec = 'pcm16' as const;
  private packets: Uint8Array[] = [];
  encode(pcm: ArrayBuffer): void {
    this.packets.push(new Uint8Array(pcm.slice(0, FRAME_BYTES)));
  }
  take(): Uint8Array[] {
    const out = this.packets;
    this.packets = [];
    return out;
  }
  flush(): Promise<void> {
    return Promise.resolve();
  }
  close(): void {
    this.packets = [];
  }
}

/**
 * One run's audio, written in chunks of {@link CHUNK_FRAMES} frames as they arrive. Writes are in order,
 * one at a time; the first failure stops keeping audio for this run (reported once), never the run.
 */
export class ChunkedAudioWriter implements RunAudioWriter {
  private framesInChunk = 0;
  private packetsWritten = 0;
  private seq: Promise<number>;
  private writes: Promise<void> = Promise.resolve();
  private failed = false;
  private closed = false;
  private readonly runId: string;

  constructor(
    private readonly request: KeepAudioRequest,
    private readonly sink: ChunkSink,
    private readonly encoder: PacketEncoder,
    /** Told once, with the cause (a DOMException from storage, an Error from the encoder). */
    private readonly onFailure: (cause: unknown) => void,
    private readonly chunkFrames = CHUNK_FRAMES,
  ) {
    this.runId = request.runId ?? crypto.randomUUID();
    this.seq = sink.nextSeq(request.sessionId);
    this.seq.catch((cause: unknown) => this.fail(cause));
  }

  frame(pcm: ArrayBuffer): void {
    if (this.failed || this.closed) return;
    try {
      this.encoder.encode(pcm);
    } catch (cause) {
      return this.fail(cause);
    }
    if (++this.framesInChunk >= this.chunkFrames) {
      this.framesInChunk = 0;
      this.writeTaken();
    }
  }

  async close(): Promise<void> {
    if (this.closed) return this.writes;
    this.closed = true;
    if (!this.failed) {
      try {
        await this.encoder.flush();
      } catch (cause) {
        this.fail(cause);
      }
      this.writeTaken();
    }
    await this.writes;
    this.encoder.close();
  }

  /** Queues a chunk of the packets made so far (none when there are none). */
  private writeTaken(): void {
    if (this.failed) return;
    const packets = this.encoder.take();
    if (packets.length === 0) return;
    const startMs = this.request.startMs + this.packetsWritten * FRAME_MS;
    this.packetsWritten += packets.length;
    this.writes = this.writes.then(async () => {
      if (this.failed) return;
      try {
        const seq = await this.seq;
        this.seq = Promise.resolve(seq + 1);
        await this.sink.put(chunkOf(this.request, this.runId, seq, startMs, packets, this.encoder));
      } catch (cause) {
        this.fail(cause);
      }
    });
  }

  private fail(cause: unknown): void {
    if (this.failed) return;
    this.failed = true;
    this.onFailure(cause);
  }
}

function chunkOf(
  request: KeepAudioRequest,
  runId: string,
  seq: number,
  startMs: number,
  packets: Uint8Array[],
  encoder: PacketEncoder,
): AudioChunkRecord {
  const data = new Uint8Array(packets.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of packets) {
    data.set(p, at);
    at += p.length;
  }
  return {
    sessionId: request.sessionId,
    seq,
    runId,
    runStartMs: request.startMs,
    startMs,
    durationMs: packets.length * FRAME_MS,
    codec: encoder.codec,
    data: data.buffer,
    ...(encoder.codec === 'opus' && { packetBytes: packets.map((p) => p.length) }),
    ...(encoder.description && { description: encoder.description }),
  };
}

/** A chunk's packets, split again. */
export function packetsOf(chunk: AudioChunkRecord): Uint8Array[] {
  const sizes = chunk.packetBytes ?? Array.from({ length: chunk.data.byteLength / FRAME_BYTES }, () => FRAME_BYTES);
  const out: Uint8Array[] = [];
  let at = 0;
  for (const size of sizes) {
    out.push(new Uint8Array(chunk.data, at, size));
    at += size;
  }
  return out;
}

/** The chunks grouped into their runs (one stream each), in order. */
export function runsOf(chunks: readonly AudioChunkRecord[]): AudioChunkRecord[][] {
  const runs = new Map<string, AudioChunkRecord[]>();
  for (const chunk of [...chunks].sort((a, b) => a.seq - b.seq)) {
    const run = runs.get(chunk.runId) ?? [];
    run.push(chunk);
    runs.set(chunk.runId, run);
  }
  return [...runs.values()];
}
