/**
 * `npm run bench`: prints the numbers and writes them to bench/results.json.
 *
 * 1. Resampler (48 → 16 kHz, 44.1 → 16 kHz): worst stopband gain from 8.5 kHz to the input Nyquist,
 *    passband deviation 50 Hz–6 kHz, CPU time per second of audio (128-sample quanta, median of 7).
 * 2. Engine: real-time factor of PocketSphinx with partials on, on every LibriVox clip, and the
 *    memory one decoder takes.
 * 3. Pipeline: word error rate of the whole browser path (fake mic → AudioWorklet → WebSocket →
 *    local server) against PocketSphinx run directly on the same clip. `--skip-browser` leaves it out.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { chromium } from '@playwright/test';
import { passbandDeviationDb, worstStopbandDb } from '../src/audio/analysis';
import { Resampler } from '../src/audio/resampler';
import { loadEngine, type PocketSphinxEngine } from '../server/engine/pocketsphinx';
import { transcribeDirect } from '../e2e/support/direct';
import { FIXTURES_DIR, references } from '../e2e/support/fixtures';
import { readWav } from '../e2e/support/wav';
import { wordErrorRate } from '../e2e/support/wer';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const TESTDATA = '/usr/share/pocketsphinx/test/data/librivox';
const skipBrowser = process.argv.includes('--skip-browser');

const round = (x: number, digits = 3) => Number(x.toFixed(digits));
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

/** Clips with reference transcripts: all of pocketsphinx-testdata's LibriVox set when installed, else the fixtures. */
function clips(): { path: string; reference: string }[] {
  const listing = join(TESTDATA, 'transcription');
  const parsed: { path: string; reference: string }[] = [];
  if (existsSync(listing)) {
    for (const line of readFileSync(listing, 'utf8').split('\n')) {
      const m = /^<s> (.*) <\/s> \((.*)\)$/.exec(line.trim());
      if (m && existsSync(join(TESTDATA, `${m[2]}.wav`))) parsed.push({ path: join(TESTDATA, `${m[2]}.wav`), reference: m[1] });
    }
  }
  if (parsed.length > 0) return parsed;
  return Object.entries(references()).map(([file, reference]) => ({ path: join(FIXTURES_DIR, file), reference }));
}

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

async function benchEngine(engine: PocketSphinxEngine, list: { path: string; reference: string }[]) {
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
  const noop = { speechStarted() {}, partial() {}, final() {}, speechStopped() {}, error() {} };
  const held = await Promise.all(Array.from({ length: 5 }, () => engine.createRecognizer(noop)));
  const perDecoderMiB = (process.memoryUsage().rss - before) / 5 / 2 ** 20;
  await Promise.all(held.map((r) => r.close()));
  return { realTimeFactor: round(decodeMs / audioMs), perClip, memoryPerDecoderMiB: round(perDecoderMiB, 1) };
}

async function startServer(port: number): Promise<ChildProcess> {
  const child = spawn(process.execPath, [join(root, 'scripts', 'start.mjs')], {
    cwd: root,
    env: { ...process.env, PORT: String(port), DICTATE_QUIET: '1' },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('The server did not start within 120 s.')), 120_000);
    child.stdout!.on('data', (chunk: Buffer) => {
      if (chunk.toString().includes('Dictate is running')) {
        clearTimeout(timer);
        resolve();
      }
    });
    child.on('exit', (code) => reject(new Error(`The server exited (${code}).`)));
  });
  return child;
}

/** Dictates one clip in Chromium and returns the transcript. */
async function dictateInBrowser(baseUrl: string, clip: string, seconds: number): Promise<string> {
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: [
      '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync',
      '--use-fake-ui-for-media-stream', '--use-fake-device-for-media-stream', `--use-file-for-fake-audio-capture=${clip}%noloop`,
    ],
  });
  try {
    const page = await browser.newPage();
    await page.goto(baseUrl);
    await page.getByRole('button', { name: 'Start recording' }).click();
    await page.getByRole('status', { name: 'Connection' }).getByText('Listening').waitFor({ timeout: 15_000 });
    await page.waitForTimeout(seconds * 1000 + 2500);
    await page.getByRole('button', { name: 'Stop recording' }).click();
    await page.getByRole('button', { name: 'Start recording' }).waitFor({ timeout: 15_000 });
    return ((await page.getByRole('log', { name: 'Transcript' }).textContent()) ?? '').replace(/\s+/g, ' ').trim();
  } finally {
    await browser.close();
  }
}

async function benchPipeline(engine: PocketSphinxEngine, list: { path: string; reference: string }[]) {
  const port = 8797;
  const server = await startServer(port);
  try {
    const perClip = [];
    let refWords = 0;
    let browserErrors = 0;
    let directErrors = 0;
    for (const clip of list) {
      const wav = readWav(clip.path);
      const direct = await transcribeDirect(engine, wav.samples);
      const browser = await dictateInBrowser(`http://localhost:${port}/`, clip.path, wav.samples.length / wav.sampleRate);
      const n = clip.reference.split(' ').length;
      const directWer = wordErrorRate(clip.reference, direct.text);
      const browserWer = wordErrorRate(clip.reference, browser);
      refWords += n;
      directErrors += directWer * n;
      browserErrors += browserWer * n;
      perClip.push({ clip: basename(clip.path), directWer: round(directWer), browserWer: round(browserWer), direct: direct.text, browser });
      console.log(`  ${basename(clip.path)}: direct ${(directWer * 100).toFixed(1)}%, browser ${(browserWer * 100).toFixed(1)}%`);
    }
    return { directWer: round(directErrors / refWords), browserWer: round(browserErrors / refWords), perClip };
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

  const engine = loadEngine();
  if ('unavailable' in engine) {
    console.log(`Engine: skipped (${engine.unavailable})`);
  } else {
    const list = clips();
    console.log(`Engine (${list.length} LibriVox clips, partials on)`);
    const e = await benchEngine(engine, list);
    console.log(`  real-time factor ${e.realTimeFactor}; ${e.memoryPerDecoderMiB} MiB per decoder`);
    results.engine = e;
    if (!skipBrowser) {
      console.log('Pipeline (browser → local server) vs PocketSphinx directly');
      const p = await benchPipeline(engine, list);
      console.log(`  WER: browser ${(p.browserWer * 100).toFixed(1)}%, direct ${(p.directWer * 100).toFixed(1)}%`);
      results.pipeline = p;
    }
  }
  const file = join(root, 'bench', 'results.json');
  writeFileSync(file, JSON.stringify(results, null, 2) + '\n');
  console.log(`Written to ${file}`);
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
