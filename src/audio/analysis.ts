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
