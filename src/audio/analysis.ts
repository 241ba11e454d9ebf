/**
 * Measurements of the resampler, shared by the unit tests and `npm run bench`.
 * Pure functions: no browser imports.
 */
import { TARGET_SAMPLE_RATE } from '../core/frames';
import { Resampler } from './resampler';

/**
 * Gain of the resampler for a steady sine tone, in dB (0 = unchanged, −60 = a thousandth).
 *
 * Feeds `seconds` of a unit-amplitude sine at `frequencyHz` through a fresh resampler from
 * `inputRate` to 16 kHz in 128-sample quanta, skips the first 50 ms of output (filter start-up),
 * and compares the output RMS with the input RMS (1/√2). Whatever the output holds, the passed tone
 * or its alias, counts.
 */
export function toneGainDb(inputRate: number, frequencyHz: number, seconds = 0.5): number {
  const resampler = new Resampler(inputRate, TARGET_SAMPLE_RATE);
  const total = Math.round(inputRate * seconds);
  const quantum = new Float32Array(128);
  const out = new Float32Array(resampler.maxOutput(128));
  const skip = Math.round(0.05 * TARGET_SAMPLE_RATE);
  let produced = 0;
  let sumSquares = 0;
  let counted = 0;
  const w = (2 * Math.PI * frequencyHz) / inputRate;
  for (let start = 0; start < total; start += 128) {
    for (let i = 0; i < 128; i++) quantum[i] = Math.sin(w * (start + i));
    const n = resampler.process(quantum, out);
    for (let i = 0; i < n; i++, produced++) {
      if (produced >= skip) {
        sumSquares += out[i] * out[i];
        counted++;
      }
    }
  }
  const rms = Math.sqrt(sumSquares / Math.max(1, counted));
  return 20 * Math.log10(Math.max(rms, 1e-12) / Math.SQRT1_2);
}

/** Worst (highest) gain in dB over tones from `fromHz` to `toHz` in `stepHz` steps. */
export function worstStopbandDb(inputRate: number, fromHz: number, toHz: number, stepHz: number): { gainDb: number; atHz: number } {
  let worst = { gainDb: -Infinity, atHz: fromHz };
  for (let f = fromHz; f <= toHz; f += stepHz) {
    const gainDb = toneGainDb(inputRate, f, 0.25);
    if (gainDb > worst.gainDb) worst = { gainDb, atHz: f };
  }
  return worst;
}

/** Largest deviation from 0 dB (peak-to-peak ripple / 2 measure) over passband tones, in dB. */
export function passbandDeviationDb(inputRate: number, fromHz: number, toHz: number, stepHz: number): number {
  let worst = 0;
  for (let f = fromHz; f <= toHz; f += stepHz) worst = Math.max(worst, Math.abs(toneGainDb(inputRate, f, 0.25)));
  return worst;
}

/** Any resampler to 16 kHz, whole signals: input samples in, output samples out. */
export type ResampleFn = (input: Float32Array) => Float32Array;

/** A sine of `seconds` at `frequencyHz`, amplitude `amplitude`, sampled at `rate`. */
function tone(rate: number, frequencyHz: number, seconds: number, amplitude: number): Float32Array {
  const out = new Float32Array(Math.round(rate * seconds));
  const w = (2 * Math.PI * frequencyHz) / rate;
  for (let i = 0; i < out.length; i++) out[i] = amplitude * Math.sin(w * i);
  return out;
}

/**
 * Output of a tone, past the filter's start-up and before its end (the middle 60 %), and the tone's
 * least-squares fit at `frequencyHz` (the output rate is 16 kHz): `signal` is the fitted tone's power,
 * `residual` the power of everything else (noise, distortion, aliases), `total` the output's power.
 */
function fitTone(output: Float32Array, frequencyHz: number): { signal: number; residual: number; total: number } {
  const from = Math.floor(output.length * 0.2);
  const to = Math.floor(output.length * 0.8);
  const w = (2 * Math.PI * frequencyHz) / TARGET_SAMPLE_RATE;
  let ss = 0,
    cc = 0,
    sc = 0,
    ys = 0,
    yc = 0,
    yy = 0;
  for (let n = from; n < to; n++) {
    const s = Math.sin(w * n),
      c = Math.cos(w * n),
      y = output[n];
    ss += s * s;
    cc += c * c;
    sc += s * c;
    ys += y * s;
    yc += y * c;
    yy += y * y;
  }
  const det = ss * cc - sc * sc;
  const a = (ys * cc - yc * sc) / det;
  const b = (yc * ss - ys * sc) / det;
  const count = to - from;
  const fitted = a * a * ss + b * b * cc + 2 * a * b * sc;
  return { signal: fitted / count, residual: Math.max(0, yy - fitted) / count, total: yy / count };
}

/** What the issue asks of a resampler to 16 kHz, measured with tones (dB). */
export interface ResamplerFigures {
  readonly inputRateHz: number;
  /** Loudest output for a tone from 8.5 kHz to the input's Nyquist (anything it makes is alias), dB. */
  readonly worstAliasDb: number;
  /** Largest gain deviation from 0 dB for tones up to 7 kHz, dB. */
  readonly rippleDb: number;
  /** Lowest signal to noise-and-distortion for tones from 300 Hz to 6 kHz, dB. */
  readonly worstSinadDb: number;
}

/**
 * Measures a resampler with 0.5 s tones at amplitude 0.5: aliases every 250 Hz from 8.5 kHz, ripple every
 * 250 Hz to 7 kHz, SINAD at 300 Hz and every 500 Hz from 500 Hz to 6 kHz; ripple and SINAD only below
 * 45 % of the input rate (its own band).
 */
export function resamplerFigures(inputRate: number, resample: ResampleFn): ResamplerFigures {
  const amplitude = 0.5;
  const power = (amplitude * amplitude) / 2;
  const db = (ratio: number) => 10 * Math.log10(Math.max(ratio, 1e-30));
  let worstAliasDb = -Infinity;
  for (let f = 8500; f < inputRate / 2 - 100; f += 250) {
    worstAliasDb = Math.max(worstAliasDb, db(fitTone(resample(tone(inputRate, f, 0.5, amplitude)), 1000).total / power));
  }
  let rippleDb = 0;
  // Below the input's own band edge: a recording at 11.025 kHz holds nothing near 5.5 kHz to keep.
  const band = Math.min(7000, 0.45 * inputRate);
  for (let f = 250; f <= band; f += 250) {
    rippleDb = Math.max(rippleDb, Math.abs(db(fitTone(resample(tone(inputRate, f, 0.5, amplitude)), f).signal / power)));
  }
  let worstSinadDb = Infinity;
  for (const f of [300, ...Array.from({ length: 12 }, (_, i) => 500 * (i + 1))]) {
    if (f > band) continue;
    const fit = fitTone(resample(tone(inputRate, f, 0.5, amplitude)), f);
    worstSinadDb = Math.min(worstSinadDb, db(fit.signal / fit.residual));
  }
  const r = (x: number) => Number(x.toFixed(2));
  return { inputRateHz: inputRate, worstAliasDb: r(worstAliasDb), rippleDb: Number(rippleDb.toFixed(4)), worstSinadDb: r(worstSinadDb) };
}

/** A sample-rate converter as the encoder drives it. */
export interface BlockConverter {
  maxOutput(inputLength: number): number;
  process(input: Float32Array, output: Float32Array): number;
}

/**
 * A converter as a whole-signal {@link ResampleFn}, fed in 128-sample quanta as the worklet feeds it.
 * @param converter - the converter to drive (keeps its state between calls)
 */
export function runInQuanta(converter: BlockConverter, input: Float32Array): Float32Array {
  const out = new Float32Array(converter.maxOutput(input.length) + 256);
  const scratch = new Float32Array(converter.maxOutput(128));
  let produced = 0;
  for (let at = 0; at < input.length; at += 128) {
    const n = converter.process(input.subarray(at, at + 128), scratch);
    out.set(scratch.subarray(0, n), produced);
    produced += n;
  }
  return out.subarray(0, produced);
}

/** Our polyphase resampler as a {@link ResampleFn}, a fresh one per signal. */
export function ourResampler(inputRate: number): ResampleFn {
  return (input) => runInQuanta(new Resampler(inputRate, TARGET_SAMPLE_RATE), input);
}
