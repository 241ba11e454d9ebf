/**
 * The codec for kept audio, chosen by measurement (docs/protocols.md, "Keeping audio"): each fixture
 * clip encoded in headless Chromium by the app's own Opus encoder (WebCodecs) at several bitrates and
 * decoded back by the app's own reader (WebCodecs, then speexdsp to 16 kHz), against PCM16 kept as it
 * is. Per bitrate: bytes per hour of audio, encoding time per audio second, the decoded audio's lag
 * against the original (cross-correlation), and PocketSphinx's words on the decoded audio against its
 * words on the original (the live run hears the original): word edits per clip.
 */
import { chromium } from '@playwright/test';
import { createServer } from 'vite';
import type { SpeechEngine } from '../server/engine/engine';
import { transcribeDirect } from '../e2e/support/direct';
import { FIXTURES_DIR, references } from '../e2e/support/fixtures';
import { readWav } from '../e2e/support/wav';
import { wordEdits } from '../e2e/support/wer';
import { chromiumLaunchOptions } from '../e2e/support/chromium';
import { join } from 'node:path';

export const BITRATES = [16_000, 24_000, 32_000, 48_000];

export interface CodecRow {
  readonly codec: string;
  /** Stored bytes per hour of audio, MB (1 MB = 10^6 bytes). */
  readonly mbPerHour: number;
  /** Wall time to encode (and flush) one second of audio, ms, median over the clips. */
  readonly encodeMsPerAudioSecond: number;
  /** Lag of the decoded audio behind the original, samples at 16 kHz (cross-correlation peak). */
  readonly lagSamples: number[];
  /** Word edits between PocketSphinx on the decoded audio and on the original, per clip. */
  readonly wordEditsVsOriginal: number[];
  /** PocketSphinx's word errors against the clip's reference transcript, per clip (the original's in the PCM16 row). */
  readonly wordErrorsVsReference: number[];
}

const toBase64 = (samples: Int16Array) => Buffer.from(samples.buffer, samples.byteOffset, samples.byteLength).toString('base64');
const fromBase64 = (b64: string) => {
  const buf = Buffer.from(b64, 'base64');
  return new Int16Array(buf.buffer.slice(buf.byteOffset, buf.byteOffset + buf.length));
};

/** The lag (in samples, within ±maxLag) at which `b` best matches `a`. */
export function lagOf(a: Int16Array, b: Int16Array, maxLag = 480): number {
  let best = 0;
  let bestScore = -Infinity;
  const n = Math.min(a.length, b.length) - maxLag;
  for (let lag = -maxLag; lag <= maxLag; lag++) {
    let score = 0;
    for (let i = maxLag; i < n; i += 2) score += a[i] * b[i + lag];
    if (score > bestScore) {
      bestScore = score;
      best = lag;
    }
  }
  return best;
}

// Runs in the page: the app's encoder and reader, from the dev server.
const PAGE_CODE = `async (b64, bitrate) => {
  const { OpusStreamEncoder } = await import('/src/audio/opus.ts');
  const { decodeRun } = await import('/src/history/audio-read.ts');
  const bin = atob(b64); const bytes = new Uint8Array(bin.length); for (let i = 0; i < bin.length; i++) bytes[i] = bin.charCodeAt(i);
  const pcm = bytes.buffer; const frames = Math.floor(pcm.byteLength / 640);
  const packets = []; let failure = null;
  const enc = new OpusStreamEncoder((p) => packets.push(p), (e) => (failure = e), bitrate);
  const t0 = performance.now();
  for (let f = 0; f < frames; f++) enc.encode(pcm.slice(f * 640, f * 640 + 640));
  await enc.flush();
  const encodeMs = performance.now() - t0;
  enc.close();
  if (failure) throw failure;
  const size = packets.reduce((n, p) => n + p.length, 0); const data = new Uint8Array(size); let at = 0;
  for (const p of packets) { data.set(p, at); at += p.length; }
  const chunk = { sessionId: 'bench', seq: 0, runId: 'bench', runStartMs: 0, startMs: 0, durationMs: packets.length * 20, codec: 'opus',
    data: data.buffer, packetBytes: packets.map((p) => p.length), description: enc.description };
  const out = await decodeRun([chunk]);
  let s = ''; const u8 = new Uint8Array(out.buffer, out.byteOffset, out.byteLength);
  for (let i = 0; i < u8.length; i += 0x8000) s += String.fromCharCode(...u8.subarray(i, i + 0x8000));
  return { bytes: size, encodeMs, audioMs: frames * 20, decoded: btoa(s) };
}`;

/** @param root - the checkout (its Vite config and sources are served to the page) */
export async function benchCodec(engine: SpeechEngine, root: string): Promise<CodecRow[]> {
  const clips = Object.keys(references()).map((file) => readWav(join(FIXTURES_DIR, file)).samples);
  const server = await createServer({ root, logLevel: 'silent', server: { port: 8796, strictPort: true } });
  await server.listen();
  const browser = await chromium.launch(chromiumLaunchOptions(join(FIXTURES_DIR, Object.keys(references())[0])));
  try {
    const page = await browser.newPage();
    await page.goto('http://localhost:8796/');
    const refs = Object.values(references());
    const originals = [];
    for (const clip of clips) originals.push((await transcribeDirect(engine, clip)).text);
    const rows: CodecRow[] = [
      {
        codec: 'PCM16 (as captured)',
        mbPerHour: 115.2,
        encodeMsPerAudioSecond: 0,
        lagSamples: clips.map(() => 0),
        wordEditsVsOriginal: clips.map(() => 0),
        wordErrorsVsReference: originals.map((text, i) => wordEdits(refs[i], text)),
      },
    ];
    for (const bitrate of BITRATES) {
      let bytes = 0;
      let audioMs = 0;
      const encodeRates: number[] = [];
      const lags: number[] = [];
      const edits: number[] = [];
      const errors: number[] = [];
      for (let i = 0; i < clips.length; i++) {
        const r = await page.evaluate<{ bytes: number; encodeMs: number; audioMs: number; decoded: string }>(
          `(${PAGE_CODE})(${JSON.stringify(toBase64(clips[i]))}, ${bitrate})`,
        );
        const decoded = fromBase64(r.decoded);
        bytes += r.bytes;
        audioMs += r.audioMs;
        encodeRates.push(r.encodeMs / (r.audioMs / 1000));
        lags.push(lagOf(clips[i], decoded));
        const again = (await transcribeDirect(engine, decoded)).text;
        edits.push(wordEdits(originals[i], again));
        errors.push(wordEdits(refs[i], again));
      }
      rows.push({
        codec: `Opus ${bitrate / 1000} kbit/s (WebCodecs)`,
        mbPerHour: Number((((bytes / audioMs) * 3600 * 1000) / 1e6).toFixed(2)),
        encodeMsPerAudioSecond: Number([...encodeRates].sort((a, b) => a - b)[Math.floor(encodeRates.length / 2)].toFixed(2)),
        lagSamples: lags,
        wordEditsVsOriginal: edits,
        wordErrorsVsReference: errors,
      });
    }
    return rows;
  } finally {
    await browser.close();
    await server.close();
  }
}

export function printCodec(rows: readonly CodecRow[]): void {
  console.log(
    'Kept audio: codec, MB per hour, encode ms per audio second, lag (samples), word edits vs the original and errors vs the reference, per clip',
  );
  for (const r of rows)
    console.log(
      `  ${r.codec.padEnd(30)} ${String(r.mbPerHour).padStart(7)} MB/h  ${String(r.encodeMsPerAudioSecond).padStart(6)} ms/s  lag ${r.lagSamples.join(', ')}  edits ${r.wordEditsVsOriginal.join(', ')}  errors ${r.wordErrorsVsReference.join(', ')}`,
    );
}
