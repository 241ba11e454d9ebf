/**
 * Kept audio read back (docs/protocols.md, "Keeping audio"): a session's chunks decoded, run by run, and
 * laid on the session's time base as one 16 kHz PCM16 track, for playback, export and transcribing again.
 */
import { resampleToFrames } from '../audio/file';
import { decodeOpus } from '../audio/opus';
import { wavFile } from '../audio/wav';
import { FRAME_MS, FRAME_SAMPLES, TARGET_SAMPLE_RATE } from '../core/frames';
import { packetsOf, runsOf, type AudioChunkRecord, type AudioCodec } from './audio-store';

/** Samples per ms at 16 kHz. */
const PER_MS = TARGET_SAMPLE_RATE / 1000;

/** A session's kept audio as one track. */
export interface SessionAudio {
  /** PCM16 mono at 16 kHz, from the session's 0 ms (silence where nothing was kept). */
  readonly pcm: Int16Array;
  readonly durationMs: number;
  /** How it is stored. */
  readonly codec: AudioCodec;
  /** Stored bytes. */
  readonly bytes: number;
  /** The stored packets of each run, for the compressed export. */
  readonly runs: readonly AudioChunkRecord[][];
}

/** One run's chunks → 16 kHz PCM16 samples. */
export type RunDecoder = (run: readonly AudioChunkRecord[]) => Promise<Int16Array>;

/**
 * Decodes one run: PCM16 as it is; Opus through WebCodecs, resampled to 16 kHz where the browser
 * decodes at another rate (48 kHz in Chromium and Firefox).
 * @throws Error when this browser cannot decode the run
 */
export const decodeRun: RunDecoder = async (run) => {
  const packets = run.flatMap(packetsOf);
  if (run[0]?.codec !== 'opus') {
    const out = new Int16Array(packets.reduce((n, p) => n + p.byteLength / 2, 0));
    let at = 0;
    for (const p of packets) {
      out.set(new Int16Array(p.buffer.slice(p.byteOffset, p.byteOffset + p.byteLength)), at);
      at += p.byteLength / 2;
    }
    return out;
  }
  const { samples, sampleRate } = await decodeOpus(packets, run.find((c) => c.description)?.description);
  if (sampleRate === TARGET_SAMPLE_RATE) {
    const out = new Int16Array(samples.length);
    for (let i = 0; i < samples.length; i++) out[i] = Math.max(-32768, Math.min(32767, Math.round(samples[i] * 32767)));
    return out;
  }
  return new Int16Array((await resampleToFrames(samples, sampleRate, 'The kept audio')).pcm);
};

/**
 * A session's chunks as one track; null when it has none.
 * @throws Error when a run cannot be decoded in this browser
 */
export async function sessionAudio(chunks: readonly AudioChunkRecord[], decode: RunDecoder = decodeRun): Promise<SessionAudio | null> {
  if (chunks.length === 0) return null;
  const runs = runsOf(chunks);
  const endMs = Math.max(...chunks.map((c) => c.startMs + c.durationMs));
  const pcm = new Int16Array(Math.round(endMs * PER_MS));
  for (const run of runs) {
    const samples = await decode(run);
    const at = Math.round(run[0].runStartMs * PER_MS);
    const length = Math.min(samples.length, Math.round(run.reduce((n, c) => n + c.durationMs, 0) * PER_MS), pcm.length - at);
    pcm.set(samples.subarray(0, Math.max(0, length)), at);
  }
  return {
    pcm,
    durationMs: endMs,
    codec: chunks[0].codec,
    bytes: chunks.reduce((n, c) => n + c.data.byteLength, 0),
    runs,
  };
}

/** The track as a WAV file (16 kHz PCM16 mono). */
export function wavOf(track: SessionAudio): Blob {
  return wavFile(track.pcm, TARGET_SAMPLE_RATE);
}

/**
 * Frames `[from, to)` of one run (0 is its first frame), decoded from the chunks that hold them (and the
 * chunk before, so the Opus decoder has settled when they begin).
 * @returns PCM16 frames of 640 bytes; fewer than asked when some were never stored
 * @throws Error when this browser cannot decode the run
 */
export async function runFrames(
  chunks: readonly AudioChunkRecord[],
  runId: string,
  from: number,
  to: number,
  decode: RunDecoder = decodeRun,
): Promise<ArrayBuffer[]> {
  const run = chunks.filter((c) => c.runId === runId).sort((a, b) => a.seq - b.seq);
  if (run.length === 0 || to <= from) return [];
  const frameOf = (c: AudioChunkRecord) => (c.startMs - c.runStartMs) / FRAME_MS;
  let first = run.findIndex((c) => frameOf(c) + c.durationMs / FRAME_MS > from);
  if (first < 0) return [];
  first = Math.max(0, first - 1);
  const last = run.findIndex((c) => frameOf(c) >= to);
  const part = run.slice(first, last < 0 ? undefined : last);
  const description = run.find((c) => c.description)?.description;
  const samples = await decode(part.map((c, i) => (i === 0 && description && !c.description ? { ...c, description } : c)));
  const origin = frameOf(part[0]);
  const out: ArrayBuffer[] = [];
  for (let f = from; f < to; f++) {
    const at = (f - origin) * FRAME_SAMPLES;
    if (at < 0 || at + FRAME_SAMPLES > samples.length) break;
    out.push(samples.slice(at, at + FRAME_SAMPLES).buffer);
  }
  return out;
}

/**
 * The track from `fromMs` as 20 ms frames with their peaks, to play into a session (transcribing again).
 * @returns frames back to back (640 bytes each) and each frame's peak (0–1)
 */
export function framesFrom(track: SessionAudio, fromMs: number): { pcm: ArrayBuffer; peaks: Float32Array } {
  const start = Math.max(0, Math.round((fromMs / FRAME_MS) | 0)) * FRAME_SAMPLES;
  const count = Math.max(0, Math.floor((track.pcm.length - start) / FRAME_SAMPLES));
  const pcm = track.pcm.slice(start, start + count * FRAME_SAMPLES);
  const peaks = new Float32Array(count);
  for (let f = 0; f < count; f++) {
    let peak = 0;
    for (let i = f * FRAME_SAMPLES; i < (f + 1) * FRAME_SAMPLES; i++) peak = Math.max(peak, Math.abs(pcm[i]));
    peaks[f] = peak / 32768;
  }
  return { pcm: pcm.buffer, peaks };
}
