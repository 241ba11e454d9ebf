import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { resamplerFigures, runInQuanta, type ResampleFn } from './analysis';
import { SpeexResampler } from './speex';

const module = new WebAssembly.Module(readFileSync('node_modules/@echogarden/speex-resampler-wasm/wasm/speex-resampler-simd.wasm'));

/** The resampler as the worklet runs it: 128-sample render quanta, a fresh one per signal. */
const speex =
  (rate: number): ResampleFn =>
  (input) =>
    runInQuanta(new SpeexResampler(module, rate), input);

describe('the capture resampler (speexdsp, quality 6), from every rate a browser may run at', () => {
  it.each([8000, 11025, 16000, 22050, 24000, 32000, 44100, 48000, 88200, 96000])(
    '%i Hz → 16 kHz: aliases ≥ 90 dB down from 8.5 kHz, ripple within ±0.1 dB to 7 kHz, SINAD ≥ 90 dB from 300 Hz to 6 kHz',
    (rate) => {
      const f = resamplerFigures(rate, speex(rate));
      if (rate > 17000) expect(f.worstAliasDb).toBeLessThanOrEqual(-90); // lower rates hold no tone above 8.5 kHz
      expect(f.rippleDb).toBeLessThanOrEqual(0.1);
      expect(f.worstSinadDb).toBeGreaterThanOrEqual(90);
    },
  );

  it('returns every sample in order across render quanta (no drift)', () => {
    const r = new SpeexResampler(module, 44100);
    const out = new Float32Array(r.maxOutput(128));
    let total = 0;
    for (let i = 0; i < 44100 * 10; i += 128) total += r.process(new Float32Array(Math.min(128, 44100 * 10 - i)), out);
    // 10 s in, 10 s out, less the filter's delay still inside it.
    expect(Math.abs(total - 160_000)).toBeLessThan(200);
  });
});
