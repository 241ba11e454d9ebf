/**
 * Part 15: the endpoint and decoder sweep (docs/metrics.md, "Endpointing"). Each configuration of
 * PocketSphinx's end-of-speech window (`-vad_postspeech`), second passes (`-fwdflat`, `-bestpath`),
 * beams and language weight decodes every LibriVox clip (1 s of silence before, 2 s after), each at
 * four sub-frame offsets ({@link OFFSETS_SAMPLES}), on one decoder that served the clips before it, and
 * is measured for:
 * - WER against the clips' transcripts, all offsets pooled;
 * - real-time factor: the process's CPU time over the audio's duration;
 * - utterances per minute of speech (non-empty finals);
 * - endpoint delay: audio the decoder took after the last word to decide the utterance had ended;
 * - end processing: wall time from ending the utterance to its final (the second passes run then);
 * - final latency after end of speech, as a real-time session would see it: the two added up, plus
 *   half a 20 ms chunk;
 * - peak real-time factor: the decode time of a stream's costliest 500 ms of audio over 500 ms (the
 *   median over the streams), what many sessions speaking at once demand of a core together.
 */
import type { Utterance } from '../server/engine/engine';
import { loadPocketSphinx } from '../server/engine/pocketsphinx';
import type { AsyncFn, Bindings } from '../server/engine/pocketsphinx-bindings';
import { concatSamples, silence } from '../e2e/support/audio';
import { readWav } from '../e2e/support/wav';
import { alignWords, wordErrors } from '../src/transcript/align';

/** One configuration: a name and the decoder arguments it sets over PocketSphinx's defaults. */
export interface DecoderConfig {
  readonly name: string;
  readonly parameters: Readonly<Record<string, string>>;
}

export interface EndpointRow {
  readonly config: string;
  readonly parameters: Readonly<Record<string, string>>;
  readonly wer: number;
  readonly realTimeFactor: number;
  readonly utterancesPerMinute: number;
  readonly endpointDelayP50Ms: number;
  readonly endProcessingP50Ms: number;
  readonly finalLatencyP50Ms: number;
  readonly finalLatencyP95Ms: number;
  readonly peakRealTimeFactor: number;
}

/** PocketSphinx's own values of every parameter Dictate's default sets: each configuration starts from these. */
const POCKETSPHINX = { '-vad_postspeech': '50', '-fwdflat': 'yes', '-lw': '6.5', '-maxhmmpf': '30000' } as const;
/** A 200 ms end-of-speech window with the first pass's result as the final (no second pass). */
const QUICK = { ...POCKETSPHINX, '-vad_postspeech': '20', '-fwdflat': 'no' } as const;

/** The configurations the sweep tries; the first is PocketSphinx's own defaults. */
export const SWEEP: readonly DecoderConfig[] = [
  { name: 'PocketSphinx defaults (500 ms window)', parameters: POCKETSPHINX },
  { name: '300 ms window', parameters: { ...POCKETSPHINX, '-vad_postspeech': '30' } },
  { name: '200 ms window', parameters: { ...POCKETSPHINX, '-vad_postspeech': '20' } },
  {
    name: '200 ms, fwdflat beams 1e-40 / 1e-10',
    parameters: { ...POCKETSPHINX, '-vad_postspeech': '20', '-fwdflatbeam': '1e-40', '-fwdflatwbeam': '1e-10' },
  },
  { name: '200 ms, no fwdflat', parameters: QUICK },
  { name: '150 ms, no fwdflat', parameters: { ...QUICK, '-vad_postspeech': '15' } },
  { name: '200 ms, no fwdflat, no bestpath', parameters: { ...QUICK, '-bestpath': 'no' } },
  { name: '200 ms, no fwdflat, lw 5.5', parameters: { ...QUICK, '-lw': '5.5' } },
  { name: '200 ms, no fwdflat, lw 7.5', parameters: { ...QUICK, '-lw': '7.5' } },
  { name: '200 ms, no fwdflat, beam 1e-60', parameters: { ...QUICK, '-beam': '1e-60', '-pbeam': '1e-60' } },
  { name: '200 ms, no fwdflat, beam 1e-40', parameters: { ...QUICK, '-beam': '1e-40', '-pbeam': '1e-40' } },
  { name: '200 ms, no fwdflat, wbeam 1e-35', parameters: { ...QUICK, '-wbeam': '1e-35' } },
  { name: '200 ms, no fwdflat, maxhmmpf 10000', parameters: { ...QUICK, '-maxhmmpf': '10000' } },
  { name: '200 ms, no fwdflat, lw 6.0, maxhmmpf 10000', parameters: { ...QUICK, '-lw': '6.0', '-maxhmmpf': '10000' } },
  { name: '200 ms, no fwdflat, lw 5.5, maxhmmpf 10000', parameters: { ...QUICK, '-lw': '5.5', '-maxhmmpf': '10000' } },
  { name: '200 ms, no fwdflat, lw 5.0, maxhmmpf 10000', parameters: { ...QUICK, '-lw': '5.0', '-maxhmmpf': '10000' } },
  // Dictate's default (DECODER_PARAMETERS).
  { name: '150 ms (default)', parameters: { ...POCKETSPHINX, '-vad_postspeech': '15' } },
  { name: '150 ms, no fwdflat, maxhmmpf 10000', parameters: { ...QUICK, '-vad_postspeech': '15', '-maxhmmpf': '10000' } },
  { name: '150 ms, no fwdflat, lw 7.5', parameters: { ...QUICK, '-vad_postspeech': '15', '-lw': '7.5' } },
  { name: '100 ms, no fwdflat', parameters: { ...QUICK, '-vad_postspeech': '10' } },
  // The quickest and most accurate on the clips, but a word more wrong after 30 s of dither (input matrix).
  {
    name: '150 ms, no fwdflat, lw 5.5, maxhmmpf 10000',
    parameters: { ...QUICK, '-vad_postspeech': '15', '-lw': '5.5', '-maxhmmpf': '10000' },
  },
  // One pass only (no -bestpath either: with it, 30 s of dither cost a word more than the input matrix allows).
  { name: '150 ms, one pass', parameters: { ...QUICK, '-vad_postspeech': '15', '-bestpath': 'no' } },
  { name: '150 ms, one pass, topn 2', parameters: { ...QUICK, '-vad_postspeech': '15', '-bestpath': 'no', '-topn': '2' } },
  { name: '150 ms, one pass, topn 3', parameters: { ...QUICK, '-vad_postspeech': '15', '-bestpath': 'no', '-topn': '3' } },
  // The one-pass decoder of sessions beyond the two-pass seats (ONE_PASS_PARAMETERS): HMMs a frame capped,
  // which bounds the costliest audio (a session's first words, before its cepstral mean has adapted).
  {
    name: '150 ms, one pass, topn 3, maxhmmpf 5000 (one-pass decoder)',
    parameters: { ...QUICK, '-vad_postspeech': '15', '-bestpath': 'no', '-topn': '3', '-maxhmmpf': '5000' },
  },
  {
    name: '150 ms, one pass, topn 3, maxhmmpf 3000',
    parameters: { ...QUICK, '-vad_postspeech': '15', '-bestpath': 'no', '-topn': '3', '-maxhmmpf': '3000' },
  },
  { name: '150 ms, one pass, ds 2', parameters: { ...QUICK, '-vad_postspeech': '15', '-bestpath': 'no', '-ds': '2' } },
  { name: '150 ms, topn 2', parameters: { ...POCKETSPHINX, '-vad_postspeech': '15', '-topn': '2' } },
  // The same cap on the two-pass decoder (it fails the input matrix: "happy" for "had he" after dither).
  { name: '150 ms, maxhmmpf 5000', parameters: { ...POCKETSPHINX, '-vad_postspeech': '15', '-maxhmmpf': '5000' } },
];

/**
 * Where each clip starts within the first 20 ms frame, samples (0, 2.5, 5, 7.5 ms of zeros first): a
 * decoder's words move with that alignment by a few words, so each configuration is measured at all of them.
 */
export const OFFSETS_SAMPLES = [0, 40, 80, 120] as const;

const percentile = (xs: number[], p: number) =>
  xs.length === 0 ? NaN : [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor((xs.length - 1) * p))];
const round = (x: number, digits = 3) => Number(x.toFixed(digits));

/** `ps_end_utt` with the time of each call noted, so the end's processing can be measured to the final. */
function timedEnd(calls: number[]): (c: Bindings) => Bindings {
  return (c) => {
    const end = c.ps_end_utt;
    const timed: AsyncFn = Object.assign((...args: unknown[]) => end(...args), {
      async: (...args: unknown[]) => {
        calls.push(performance.now());
        end.async(...args);
      },
    });
    return { ...c, ps_end_utt: timed };
  };
}

/** One `ps_process_raw` call: where in the stream its audio starts and how long it took, ms. */
interface ProcessCall {
  readonly atMs: number;
  readonly tookMs: number;
}

/** `ps_process_raw` timed, each call noted in `calls.current` (the stream being decoded). */
function timedProcess(calls: { current: ProcessCall[]; samples: number }): (c: Bindings) => Bindings {
  return (c) => {
    const raw = c.ps_process_raw;
    const timed: AsyncFn = Object.assign((...args: unknown[]) => raw(...args), {
      async: (...args: unknown[]) => {
        const done = args.pop() as (error: unknown, result?: unknown) => void;
        const atMs = calls.samples / 16;
        calls.samples += Number(args[2]);
        const t0 = performance.now();
        const into = calls.current;
        raw.async(...args, (error: unknown, result?: unknown) => {
          into.push({ atMs, tookMs: performance.now() - t0 });
          done(error, result);
        });
      },
    });
    return { ...c, ps_process_raw: timed };
  };
}

/** The decode time of a stream's costliest 500 ms of audio (windows 100 ms apart) over 500 ms. */
function peakOf(calls: readonly ProcessCall[]): number {
  const end = calls.reduce((m, c) => Math.max(m, c.atMs), 0);
  let peak = 0;
  for (let from = 0; from <= end; from += 100) {
    const took = calls.filter((c) => c.atMs >= from && c.atMs < from + 500).reduce((sum, c) => sum + c.tookMs, 0);
    peak = Math.max(peak, took / 500);
  }
  return peak;
}

/**
 * Runs one configuration over `clips`.
 * @throws Error if the engine cannot run or a decode fails
 */
export async function sweepOne(
  config: DecoderConfig,
  clips: readonly { path: string; reference: string }[],
  offsets: readonly number[] = OFFSETS_SAMPLES,
): Promise<EndpointRow> {
  const endCalls: number[] = [];
  const processCalls = { current: [] as ProcessCall[], samples: 0 };
  const engine = loadPocketSphinx({
    poolSize: 1,
    decoderParameters: config.parameters,
    wrapBindings: (c) => timedProcess(processCalls)(timedEnd(endCalls)(c)),
  });
  const health = engine.health();
  if (!health.ready) throw new Error(health.reason);
  const streams = offsets.flatMap((offset) =>
    clips.map((clip) => ({
      clip,
      samples: concatSamples([new Int16Array(offset), silence(1000), readWav(clip.path).samples, silence(2000)]),
      speechSeconds: readWav(clip.path).samples.length / 16_000,
    })),
  );
  // Warm-up: the model's pages, and a decoder that has served a stream before the measured ones.
  await decode(engine, streams[0].samples, () => undefined);
  let errors = 0;
  let words = 0;
  let utterances = 0;
  let audioSeconds = 0;
  let speechSeconds = 0;
  const delays: number[] = [];
  const processing: number[] = [];
  const latencies: number[] = [];
  const peaks: number[] = [];
  const cpu0 = process.cpuUsage();
  for (const stream of streams) {
    const finals: Utterance[] = [];
    processCalls.current = [];
    processCalls.samples = 0;
    await decode(engine, stream.samples, (u) => {
      const endedAt = endCalls.at(-1);
      finals.push(u);
      if (!u.text || u.endpointMs === undefined || endedAt === undefined) return;
      const delay = u.endpointMs - (u.startMs + u.durationMs);
      const took = performance.now() - endedAt;
      delays.push(delay);
      processing.push(took);
      latencies.push(delay + took + 10);
    });
    const text = finals
      .map((f) => f.text)
      .filter(Boolean)
      .join(' ');
    peaks.push(peakOf(processCalls.current));
    utterances += finals.filter((f) => f.text).length;
    const counted = wordErrors(alignWords(stream.clip.reference, text));
    errors += counted.substitutions + counted.deletions + counted.insertions;
    words += counted.referenceWords;
    audioSeconds += stream.samples.length / 16_000;
    speechSeconds += stream.speechSeconds;
  }
  const cpu = process.cpuUsage(cpu0);
  return {
    config: config.name,
    parameters: config.parameters,
    wer: round(errors / words),
    realTimeFactor: round((cpu.user + cpu.system) / 1e6 / audioSeconds),
    utterancesPerMinute: round(utterances / (speechSeconds / 60), 1),
    endpointDelayP50Ms: Math.round(percentile(delays, 0.5)),
    endProcessingP50Ms: Math.round(percentile(processing, 0.5)),
    finalLatencyP50Ms: Math.round(percentile(latencies, 0.5)),
    finalLatencyP95Ms: Math.round(percentile(latencies, 0.95)),
    peakRealTimeFactor: round(percentile(peaks, 0.5), 2),
  };
}

async function decode(engine: ReturnType<typeof loadPocketSphinx>, samples: Int16Array, onFinal: (u: Utterance) => void) {
  const failures: Error[] = [];
  const recognizer = await engine.open({
    speechStarted() {},
    partial() {},
    final: onFinal,
    speechStopped() {},
    error: (e) => failures.push(e),
    backpressure() {},
  });
  recognizer.write(samples);
  await recognizer.finish();
  await recognizer.close();
  if (failures[0]) throw failures[0];
}

/** The whole sweep. */
export async function benchEndpoint(
  clips: readonly { path: string; reference: string }[],
  configs: readonly DecoderConfig[] = SWEEP,
): Promise<EndpointRow[]> {
  const rows: EndpointRow[] = [];
  for (const config of configs) rows.push(await sweepOne(config, clips));
  return rows;
}

export function printEndpoint(rows: readonly EndpointRow[]): void {
  console.log('Endpoint and decoder sweep (LibriVox clips, one decoder serving them in turn)');
  console.log(
    '  configuration | WER | RTF | peak RTF (costliest 500 ms) | utterances/min | endpoint delay p50 | end processing p50 | final latency p50 / p95',
  );
  for (const r of rows)
    console.log(
      `  ${r.config} | ${(r.wer * 100).toFixed(1)} % | ${r.realTimeFactor} | ${r.peakRealTimeFactor} | ${r.utterancesPerMinute} | ${r.endpointDelayP50Ms} ms | ${r.endProcessingP50Ms} ms | ${r.finalLatencyP50Ms} / ${r.finalLatencyP95Ms} ms`,
    );
}
