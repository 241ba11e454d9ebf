/**
 * `npm run bench`: prints the numbers and writes them to bench/results.json.
 *
 * 1. Resampler (48 → 16 kHz, 44.1 → 16 kHz): worst stopband gain from 8.5 kHz to the input Nyquist,
 *    passband deviation 50 Hz–6 kHz, CPU time per second of audio (128-sample quanta, median of 7).
 * 2. Engine: real-time factor of PocketSphinx with partials on, on every LibriVox clip, and the
 *    memory one decoder takes.
 * 3. Protocols: CPU time to encode one second of audio (50 frames) for the wire, and the bytes per
 *    second each sends (VoiceRun PCM16 and mu-law in base64 JSON; Reson8 and Speechall binary).
 * 4. Pipeline, for the local engine in each dialect: word error rate of the whole browser path (fake
 *    mic → AudioWorklet → WebSocket → local server) against PocketSphinx run directly on the same
 *    clip, and how long Stop takes until the last words are in. `--skip-browser` leaves it out.
 * 5. Faults (bench/faults.ts): audio lost across a forced drop, counted at the server, and the time
 *    to stream again, per dialect; memory of a session whose server stopped reading for 60 s.
 * 6. Capacity (bench/capacity.ts): the server alone in its own process, loaded from another: final lag
 *    p50/p95, the server's CPU (cores) and peak RSS for 1–10 concurrent real-time sessions, and a session
 *    beyond the cap the server derives refused (1013) rather than slowed; RSS with 200 idle connections
 *    and after 10 bursts of sessions on pooled decoders (`--only capacity`).
 * 7. Transcript workspace (bench/workspace.ts): partial-update cost with 100/300/700 segments, heap,
 *    IndexedDB save per final and History with 200 sessions. `--only workspace` runs just this one
 *    (`--root <checkout> --no-history` measures older code the same way).
 * 8. Bundle (bench/bundle.ts): the JavaScript of the first load, gzipped, and the chunks loaded later
 *    (`--only bundle` for the current build).
 * 9. Resamplers (bench/resampler.ts): ours beside speexdsp q5/q6/q8 for every browser rate: alias,
 *    ripple, SINAD and CPU (`--only resampler`).
 * 10. Input matrix (bench/matrix.ts): WER of a clip after 0–30 s of zeros, dither or −70 dBFS noise,
 *    across a 20 s pause, after other sessions on the same pooled decoder, and 20 dB quieter
 *    (`--only matrix`).
 * 11. Recording (bench/recording.ts): the page's main-thread time, layouts and style recalculations per
 *    second while recording speech and near-silence, beside the transcript's update rate (`--only recording`).
 * 12. Kept audio (bench/codec.ts): Opus at 16–48 kbit/s through the app's WebCodecs encoder and reader in
 *    Chromium, against PCM16: MB per hour, encoding time, lag, and PocketSphinx's words on the decoded
 *    audio against its words on the original (`--only codec`).
 * 13. Vocabulary (bench/vocabulary.ts): vocabulary words written where said, and WER, with and without a
 *    vocabulary, at several weights, and with words never said (`--only vocabulary`).
 * 14. Session figures (bench/figures.ts): the local engine through each dialect on the fixture clips,
 *    real-time paced: first partial, final latency after end of speech, word emission, partial
 *    stability, capture → send (`--only figures`).
 * 15. Endpoints (bench/endpoint.ts): PocketSphinx's end-of-speech window, second passes, beams and
 *    language weight against WER, real-time factor, utterances per minute and final latency
 *    (`--only endpoint`; docs/metrics.md, "Endpointing").
 * `--only engine` runs part 2 alone.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { benchFigures, printFigures } from './figures';
import { basename, dirname, join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { chromium } from '@playwright/test';
import { passbandDeviationDb, worstStopbandDb } from '../src/audio/analysis';
import { Resampler } from '../src/audio/resampler';
import { FRAME_BYTES } from '../src/core/frames';
import type { StreamingProtocol } from '../src/protocol/adapter';
import { createReson8 } from '../src/protocol/reson8';
import { reson8Service } from '../src/protocol/reson8-service';
import { createSpeechall } from '../src/protocol/speechall';
import { speechallService } from '../src/protocol/speechall-service';
import { createVoiceRun } from '../src/protocol/voicerun';
import { voiceRunService } from '../src/protocol/voicerun-service';
import type { SpeechEngine } from '../server/engine/engine';
import { loadPocketSphinx } from '../server/engine/pocketsphinx';
import { chromiumLaunchOptions } from '../e2e/support/chromium';
import { chooseProvider } from '../e2e/support/settings';
import { measureCapacity, printCapacity } from './capacity';
import { benchEndpoint, printEndpoint, type EndpointRow } from './endpoint';
import { benchDrop, benchStall } from './faults';
import { benchMatrix, printMatrix, type MatrixRow } from './matrix';
import { benchBundle, printBundle } from './bundle';
import { benchCodec, printCodec, type CodecRow } from './codec';
import { benchRecording, printRecording, type RecordingRow } from './recording';
import { clips } from './clips';
import { benchVocabulary, printVocabulary } from './vocabulary';
import { startServer } from './server';
import { benchResamplers, printResamplers } from './resampler';
import { benchWorkspace, printWorkspace } from './workspace';
import { transcribeDirect } from '../e2e/support/direct';
import { readWav } from '../e2e/support/wav';
import { wordErrorRate } from '../e2e/support/wer';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const skipBrowser = process.argv.includes('--skip-browser');

const round = (x: number, digits = 3) => Number(x.toFixed(digits));
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

function benchResampler(rate: number) {
  const r = new Resampler(rate);
  const quantum = new Float32Array(128).map(() => Math.random() * 2 - 1);
  const out = new Float32Array(r.maxOutput(128));
  const seconds = 10;
  const quanta = Math.ceil((rate * seconds) / 128);
  for (let i = 0; i < quanta; i++) r.process(quantum, out); // warm-up
  const runs: number[] = [];
  for (let run = 0; run < 7; run++) {
    const t0 = performance.now();
    for (let i = 0; i < quanta; i++) r.process(quantum, out);
    runs.push((performance.now() - t0) / seconds);
  }
  return {
    inputRateHz: rate,
    tapsPerPhase: r.design.tapsPerPhase,
    phases: r.design.up,
    worstStopbandDb: round(worstStopbandDb(rate, 8500, rate / 2 - 50, 50).gainDb, 1),
    passbandDeviationDb: round(passbandDeviationDb(rate, 50, 6000, 50), 4),
    cpuMsPerAudioSecond: round(median(runs), 3),
  };
}

function benchProtocols() {
  const local = (path: string) => ({ url: `ws://localhost${path}`, auth: 'none' as const, key: '' });
  const cases: [string, StreamingProtocol][] = [
    ['VoiceRun PCM16', createVoiceRun(local('/ws'), voiceRunService.defaults(true))],
    ['VoiceRun mu-law', createVoiceRun(local('/ws'), { ...voiceRunService.defaults(true), audioFormat: 'mulaw' })],
    ['Reson8 binary', createReson8(local('/rt'), reson8Service.defaults(true))],
    ['Speechall binary', createSpeechall(local('/tr'), speechallService.defaults(true))],
  ];
  const frames = Array.from(
    { length: 50 },
    () => new Int16Array(FRAME_BYTES / 2).map(() => Math.round((Math.random() - 0.5) * 20000)).buffer,
  );
  return cases.map(([name, protocol]) => {
    const size = (m: string | ArrayBuffer | null) =>
      m === null ? 0 : typeof m === 'string' ? new TextEncoder().encode(m).length : m.byteLength;
    const bytesPerSecond = frames.reduce((n, f) => n + size(protocol.encodeAudio(f)), 0);
    for (let i = 0; i < 20; i++) for (const f of frames) protocol.encodeAudio(f); // warm-up
    const runs: number[] = [];
    for (let run = 0; run < 7; run++) {
      const t0 = performance.now();
      for (let i = 0; i < 20; i++) for (const f of frames) protocol.encodeAudio(f);
      runs.push((performance.now() - t0) / 20);
    }
    return { protocol: name, wireBytesPerAudioSecond: bytesPerSecond, cpuMsPerAudioSecond: round(median(runs), 4) };
  });
}

async function benchEngine(engine: SpeechEngine, list: { path: string; reference: string }[]) {
  await transcribeDirect(engine, readWav(list[0].path).samples); // warm-up (page cache, model)
  const perClip = [];
  let decodeMs = 0;
  let audioMs = 0;
  for (const clip of list) {
    const result = await transcribeDirect(engine, readWav(clip.path).samples);
    decodeMs += result.decodeMs;
    audioMs += result.audioMs;
    perClip.push({
      clip: basename(clip.path),
      audioSeconds: round(result.audioMs / 1000, 2),
      realTimeFactor: round(result.decodeMs / result.audioMs),
      partials: result.partials,
      wer: round(wordErrorRate(clip.reference, result.text)),
      text: result.text,
    });
  }
  // Memory of one decoder: RSS before and after creating (and holding) five of them.
  global.gc?.();
  const before = process.memoryUsage().rss;
  const noop = { speechStarted() {}, partial() {}, final() {}, speechStopped() {}, error() {}, backpressure() {} };
  const held = await Promise.all(Array.from({ length: 5 }, () => engine.open(noop)));
  const perDecoderMiB = (process.memoryUsage().rss - before) / 5 / 2 ** 20;
  await Promise.all(held.map((r) => r.close()));
  return { realTimeFactor: round(decodeMs / audioMs), perClip, memoryPerDecoderMiB: round(perDecoderMiB, 1) };
}

/** Dictates one clip in Chromium through `provider`; the transcript, and ms from Stop until done. */
async function dictateInBrowser(
  baseUrl: string,
  provider: string,
  clip: string,
  seconds: number,
): Promise<{ text: string; stopMs: number }> {
  const browser = await chromium.launch(chromiumLaunchOptions(clip));
  try {
    const page = await browser.newPage();
    await page.goto(baseUrl);
    await chooseProvider(page, provider);
    await page.getByRole('button', { name: 'Start recording' }).click();
    await page.getByRole('status', { name: 'Connection' }).getByText('Listening').waitFor({ timeout: 15_000 });
    await page.waitForTimeout(seconds * 1000 + 2500);
    const t0 = performance.now();
    await page.getByRole('button', { name: 'Stop recording' }).click();
    await page.getByRole('button', { name: 'Start recording' }).waitFor({ timeout: 15_000 });
    const stopMs = performance.now() - t0;
    const text = (await page.getByRole('log', { name: 'Transcript' }).innerText())
      .replace(/ \(uncertain\)/g, '')
      .replace(/\s+/g, ' ')
      .trim();
    return { text, stopMs };
  } finally {
    await browser.close();
  }
}

const DIALECTS = ['Local engine (VoiceRun protocol)', 'Local engine (Reson8 protocol)', 'Local engine (Speechall protocol)'];

async function benchPipeline(engine: SpeechEngine, list: { path: string; reference: string }[]) {
  const port = 8797;
  const server = await startServer(port);
  try {
    const direct = list.map((clip) => ({ clip, wav: readWav(clip.path) }));
    const baselines: string[] = [];
    for (const { wav } of direct) baselines.push((await transcribeDirect(engine, wav.samples)).text);
    const refWords = list.reduce((n, c) => n + c.reference.split(' ').length, 0);
    const directErrors = list.reduce((n, c, i) => n + wordErrorRate(c.reference, baselines[i]) * c.reference.split(' ').length, 0);
    const dialects = [];
    for (const provider of DIALECTS) {
      const perClip = [];
      let browserErrors = 0;
      const stops: number[] = [];
      for (const [i, { clip, wav }] of direct.entries()) {
        const { text, stopMs } = await dictateInBrowser(
          `http://localhost:${port}/`,
          provider,
          clip.path,
          wav.samples.length / wav.sampleRate,
        );
        const browserWer = wordErrorRate(clip.reference, text);
        browserErrors += browserWer * clip.reference.split(' ').length;
        stops.push(stopMs);
        perClip.push({
          clip: basename(clip.path),
          directWer: round(wordErrorRate(clip.reference, baselines[i])),
          browserWer: round(browserWer),
          stopMs: Math.round(stopMs),
          browser: text,
        });
      }
      const result = { provider, browserWer: round(browserErrors / refWords), medianStopMs: Math.round(median(stops)), perClip };
      console.log(`  ${provider}: WER ${(result.browserWer * 100).toFixed(1)}%, Stop → done ${result.medianStopMs} ms (median)`);
      dialects.push(result);
    }
    return { directWer: round(directErrors / refWords), dialects };
  } finally {
    server.kill('SIGTERM');
  }
}

async function main() {
  const results: Record<string, unknown> = { date: new Date().toISOString(), node: process.version };
  console.log('Resampler');
  const resampler = [benchResampler(48000), benchResampler(44100)];
  for (const r of resampler) {
    console.log(
      `  ${r.inputRateHz} → 16000 Hz: stopband ≤ ${r.worstStopbandDb} dB (8.5 kHz–Nyquist), passband deviation ${r.passbandDeviationDb} dB (to 6 kHz), ${r.cpuMsPerAudioSecond} ms CPU per audio second (${r.tapsPerPhase} taps × ${r.phases} phases)`,
    );
  }
  results.resampler = resampler;
  results.resamplers = await benchResamplers();
  printResamplers(results.resamplers as Awaited<ReturnType<typeof benchResamplers>>);

  console.log('Protocols (encoding one second of audio for the wire)');
  const protocols = benchProtocols();
  for (const p of protocols)
    console.log(`  ${p.protocol}: ${p.wireBytesPerAudioSecond} bytes/s, ${p.cpuMsPerAudioSecond} ms CPU per audio second`);
  results.protocols = protocols;

  const engine = loadPocketSphinx();
  const health = engine.health();
  if (!health.ready) {
    console.log(`Engine: skipped (${health.reason})`);
  } else {
    const list = clips();
    console.log(`Engine (${list.length} LibriVox clips, partials on)`);
    const e = await benchEngine(engine, list);
    console.log(`  real-time factor ${e.realTimeFactor}; ${e.memoryPerDecoderMiB} MiB per decoder`);
    results.engine = e;
    if (!skipBrowser) {
      console.log('Pipeline (browser → local server) vs PocketSphinx directly');
      const p = await benchPipeline(engine, list);
      console.log(`  WER of PocketSphinx directly: ${(p.directWer * 100).toFixed(1)}%`);
      results.pipeline = p;
    }
  }
  if (health.ready) {
    console.log('Faults (the session in Node, the real server on loopback)');
    const drop = await benchDrop(engine);
    for (const d of drop)
      console.log(
        `  ${d.provider}: drop mid-sentence: ${d.lostFrames} of ${d.capturedFrames} frames lost; streaming again ${d.dropToStreamingMs} ms after the drop`,
      );
    const stall = await benchStall(60);
    console.log(
      `  server that stops reading, ${stall.audioSeconds} s of audio: peak extra memory ${stall.peakExtraMiB} MiB (journal bound ${stall.journalBoundMiB} MiB); ${stall.statuses.join(' → ')}`,
    );
    results.faults = { drop, stall };
    results.capacity = await measureCapacity(engine);
    printCapacity(results.capacity as Awaited<ReturnType<typeof measureCapacity>>);
    results.endpoint = await benchEndpoint(clips());
    printEndpoint(results.endpoint as EndpointRow[]);
    results.matrix = await benchMatrix();
    printMatrix(results.matrix as MatrixRow[]);
    results.vocabulary = await benchVocabulary();
    printVocabulary(results.vocabulary as Awaited<ReturnType<typeof benchVocabulary>>);
    results.figures = await benchFigures(engine);
    printFigures(results.figures as Awaited<ReturnType<typeof benchFigures>>);
  }
  if (existsSync(join(root, 'dist', 'index.html'))) {
    results.bundle = benchBundle(join(root, 'dist'));
    printBundle(results.bundle as ReturnType<typeof benchBundle>);
  }
  if (!skipBrowser && health.ready) {
    results.recording = await benchRecording();
    printRecording(results.recording as RecordingRow[]);
  }
  if (!skipBrowser && health.ready) {
    results.codec = await benchCodec(engine, root);
    printCodec(results.codec as CodecRow[]);
  }
  if (!skipBrowser) {
    results.workspace = await benchWorkspace(root);
    printWorkspace('this checkout', results.workspace as Awaited<ReturnType<typeof benchWorkspace>>);
  }
  const file = join(root, 'bench', 'results.json');
  writeFileSync(file, JSON.stringify(results, null, 2) + '\n');
  console.log(`Written to ${file}`);
}

/** Runs one part alone, prints it, and merges it into the results of the last full run (bench/results.json). */
async function onlyPart<T>(key: string, measure: () => T | Promise<T>, print: (result: T) => void): Promise<void> {
  const file = join(root, 'bench', 'results.json');
  const results = JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
  const result = await measure();
  print(result);
  results[key] = result;
  writeFileSync(file, JSON.stringify(results, null, 2) + '\n');
  console.log(`Written to ${file}`);
}

/** `--only workspace`; `--root <checkout>` measures another checkout (older code, with bench/workspace copied in), print only. */
async function onlyWorkspace() {
  const other = process.argv.indexOf('--root');
  if (other >= 0) {
    const checkout = process.argv[other + 1];
    printWorkspace(checkout, await benchWorkspace(checkout, { history: !process.argv.includes('--no-history') }));
    return;
  }
  await onlyPart(
    'workspace',
    () => benchWorkspace(root),
    (r) => printWorkspace('this checkout', r),
  );
}

const only = process.argv.indexOf('--only');
const which = only >= 0 ? process.argv[only + 1] : undefined;
/** `--only <part>`: that part alone. */
const runs: Record<string, () => Promise<void>> = {
  workspace: onlyWorkspace,
  resampler: () => onlyPart('resamplers', benchResamplers, printResamplers),
  bundle: () => onlyPart('bundle', () => benchBundle(join(root, 'dist')), printBundle),
  matrix: () => onlyPart('matrix', benchMatrix, printMatrix),
  capacity: () => onlyPart('capacity', () => measureCapacity(loadPocketSphinx()), printCapacity),
  endpoint: () => onlyPart('endpoint', () => benchEndpoint(clips()), printEndpoint),
  recording: () => onlyPart('recording', benchRecording, printRecording),
  vocabulary: () => onlyPart('vocabulary', benchVocabulary, printVocabulary),
  figures: () => onlyPart('figures', () => benchFigures(loadPocketSphinx()), printFigures),
  codec: () => onlyPart('codec', () => benchCodec(loadPocketSphinx({ poolSize: 1 }), root), printCodec),
  engine: () =>
    onlyPart(
      'engine',
      () => benchEngine(loadPocketSphinx(), clips()),
      (e) => console.log(`Engine: real-time factor ${e.realTimeFactor}; ${e.memoryPerDecoderMiB} MiB per decoder`),
    ),
};
(runs[which ?? ''] ?? main)().catch((error) => {
  console.error(error);
  process.exit(1);
});
