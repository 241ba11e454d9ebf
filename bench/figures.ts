/**
 * Part 14: session figures of the local engine through each dialect (docs/metrics.md), on the e2e
 * fixture clips: the app's real session in Node, real-time paced (a 20 ms frame every 20 ms, with 1 s
 * of silence before the speech and 2 s after it), against the real server on loopback; recorded by the
 * store's figure recorder and computed by the code the Session figures view shows.
 */
import { join } from 'node:path';
import { concatSamples } from '../e2e/support/audio';
import { FIXTURES_DIR, references } from '../e2e/support/fixtures';
import { readWav } from '../e2e/support/wav';
import { wordErrorRate } from '../e2e/support/wer';
import type { SpeechEngine } from '../server/engine/engine';
import { startTestServer } from '../server/test-server';
import { dictate } from '../server/test-session';
import { figureRecorder } from '../src/store/figures';
import { sessionFigures } from '../src/transcript/figures';

export interface DialectFigures {
  readonly provider: string;
  readonly clips: number;
  readonly wer: number;
  readonly firstPartialP50Ms: number | null;
  readonly finalLatencyP50Ms: number | null;
  readonly finalLatencyP95Ms: number | null;
  readonly finalsMeasured: number;
  readonly finalsNotMeasurable: number;
  readonly wordEmissionP50Ms: number | null;
  readonly revisionsPerFinalWord: number | null;
  readonly flicker: number | null;
  readonly captureToSendP50Ms: number | null;
  readonly captureToSendP99Ms: number | null;
}

const PROVIDERS = ['local-voicerun', 'local-reson8', 'local-speechall'];
const silence = (ms: number) => new Int16Array((16 * ms) | 0);

export async function benchFigures(engine: SpeechEngine): Promise<DialectFigures[]> {
  const { server, base } = await startTestServer(engine);
  const fixtures = Object.entries(references());
  try {
    const out: DialectFigures[] = [];
    for (const provider of PROVIDERS) {
      // One recorder over all of a dialect's clips: each clip is a run, its timeline concatenated in order.
      const timelines: ReturnType<ReturnType<typeof figureRecorder>['end']>[] = [];
      let errors = 0;
      let words = 0;
      for (const [file, reference] of fixtures) {
        const recorder = figureRecorder();
        recorder.begin();
        const samples = concatSamples([silence(1000), readWav(join(FIXTURES_DIR, file)).samples, silence(2000)]);
        const result = await dictate(base, provider, samples, { intervalMs: 20, tap: recorder });
        if (result.error) throw new Error(`${provider} on ${file}: ${result.error}`);
        const n = reference.split(/\s+/).length;
        errors += wordErrorRate(reference, result.text) * n;
        words += n;
        timelines.push(recorder.end());
      }
      const events = timelines.flatMap((t) => t?.events ?? []);
      const f = sessionFigures({ events, sendDelaysMs: timelines.flatMap((t) => t?.sendDelaysMs ?? []) });
      // Word emission needs each run's own audio epoch: the median of the per-clip medians.
      const emission = timelines
        .map((t) => (t ? sessionFigures(t).wordEmissionMs?.p50 : null))
        .filter((x): x is number => typeof x === 'number')
        .sort((a, b) => a - b);
      out.push({
        provider,
        clips: fixtures.length,
        wer: Math.round((errors / words) * 1000) / 1000,
        firstPartialP50Ms: f.firstPartialMs.p50,
        finalLatencyP50Ms: f.finalLatencyMs.p50,
        finalLatencyP95Ms: f.finalLatencyMs.p95,
        finalsMeasured: f.finalLatencyMs.count,
        finalsNotMeasurable: f.finalsNotMeasurable,
        wordEmissionP50Ms: emission.length ? emission[Math.floor((emission.length - 1) / 2)] : null,
        revisionsPerFinalWord: f.revisionsPerFinalWord,
        flicker: f.flicker,
        captureToSendP50Ms: f.sendDelayMs.p50,
        captureToSendP99Ms: f.sendDelayMs.p99,
      });
    }
    return out;
  } finally {
    server.close();
  }
}

export function printFigures(rows: readonly DialectFigures[]): void {
  console.log('Session figures, local engine per dialect (fixture clips, real-time paced; docs/metrics.md)');
  const ms = (x: number | null) => (x === null ? '–' : `${x} ms`);
  for (const r of rows)
    console.log(
      `  ${r.provider}: WER ${(r.wer * 100).toFixed(1)} %; first partial p50 ${ms(r.firstPartialP50Ms)}; final latency p50/p95 ${ms(r.finalLatencyP50Ms)} / ${ms(r.finalLatencyP95Ms)} (${r.finalsMeasured} measured, ${r.finalsNotMeasurable} before the end of speech); word emission p50 ${ms(r.wordEmissionP50Ms)}; revised words per final word ${r.revisionsPerFinalWord ?? '–'}, flicker ${r.flicker ?? '–'}; capture → send p50/p99 ${ms(r.captureToSendP50Ms)} / ${ms(r.captureToSendP99Ms)}`,
    );
}
