import { describe, expect, it } from 'vitest';
import { FRAME_BYTES, FRAME_SAMPLES, type Pcm16Frame } from '../core/frames';
import { Pcm16FrameEncoder, Resampler, designResampler, floatToPcm16 } from './resampler';
import { toneGainDb, worstStopbandDb } from './analysis';

/** Runs a whole signal through a resampler in chunks of `chunk` samples. */
function resampleAll(input: Float32Array, inputRate: number, chunk: number): Float32Array {
  const r = new Resampler(inputRate);
  const out = new Float32Array(r.maxOutput(input.length) + 16);
  const scratch = new Float32Array(r.maxOutput(chunk));
  let n = 0;
  for (let i = 0; i < input.length; i += chunk) {
    const m = r.process(input.subarray(i, Math.min(input.length, i + chunk)), scratch);
    out.set(scratch.subarray(0, m), n);
    n += m;
  }
  return out.subarray(0, n);
}

describe('resampler frequency response', () => {
  it.each([8000, 11025, 16000, 22050, 24000, 32000, 44100, 48000, 88200, 96000])('passes a 1 kHz tone from %i Hz within 0.5 dB', (rate) => {
    expect(Math.abs(toneGainDb(rate, 1000))).toBeLessThan(0.5);
  });

  it.each([48000, 44100])('attenuates tones from 8.5 kHz up to the Nyquist of %i Hz by at least 60 dB', (rate) => {
    const worst = worstStopbandDb(rate, 8500, rate / 2 - 100, 500);
    expect(worst.gainDb).toBeLessThan(-60);
    // The band edge itself and the Nyquist neighbourhood, exactly.
    expect(toneGainDb(rate, 8500)).toBeLessThan(-60);
    expect(toneGainDb(rate, rate / 2 - 10)).toBeLessThan(-60);
  });

  it('keeps speech frequencies: a 6 kHz tone from 44.1 kHz within 0.5 dB', () => {
    expect(Math.abs(toneGainDb(44100, 6000))).toBeLessThan(0.5);
  });
});

describe('resampler timing', () => {
  it('gives identical output whether fed in render quanta, odd chunks or all at once', () => {
    const rate = 44100;
    const input = new Float32Array(rate * 3);
    for (let i = 0; i < input.length; i++) input[i] = Math.sin(i * 0.013) * 0.5 + Math.sin(i * 0.31) * 0.25;
    const whole = resampleAll(input, rate, input.length);
    const quanta = resampleAll(input, rate, 128);
    const odd = resampleAll(input, rate, 37);
    expect(quanta.length).toBe(whole.length);
    expect(odd.length).toBe(whole.length);
    expect(Array.from(quanta)).toEqual(Array.from(whole));
    expect(Array.from(odd)).toEqual(Array.from(whole));
  });

  it.each([44100, 48000, 22050, 8000])('neither drops nor duplicates samples over a 10-minute run at %i Hz', (rate) => {
    const r = new Resampler(rate);
    const quantum = new Float32Array(128);
    const out = new Float32Array(r.maxOutput(128));
    const seconds = 600;
    const total = rate * seconds;
    // An impulse near the end: it must come out at its exact time, delayed only by the filter.
    const impulseAt = total - rate; // one second before the end
    let produced = 0;
    let peakIndex = -1;
    let peakValue = 0;
    for (let start = 0; start < total; start += 128) {
      quantum.fill(0);
      if (impulseAt >= start && impulseAt < start + 128) quantum[impulseAt - start] = 1;
      const n = r.process(quantum, out);
      for (let i = 0; i < n; i++) {
        if (Math.abs(out[i]) > peakValue) {
          peakValue = Math.abs(out[i]);
          peakIndex = produced + i;
        }
      }
      produced += n;
    }
    // Output count: exactly one output per 1/16000 s of input fed (whole quanta were fed).
    const fed = Math.ceil(total / 128) * 128;
    expect(produced).toBe(Math.ceil((fed * 16000) / rate));
    const delayOut = ((r.design.tapsPerPhase * r.design.up - 1) / 2 / r.design.up) * (16000 / rate);
    const expected = (impulseAt * 16000) / rate + delayOut;
    expect(Math.abs(peakIndex - expected)).toBeLessThanOrEqual(1);
  });

  it('is an exact pass-through at 16 kHz', () => {
    const input = new Float32Array(1000).map((_, i) => ((i % 17) - 8) / 10);
    expect(Array.from(resampleAll(input, 16000, 128))).toEqual(Array.from(input));
  });

  it('rejects rates it cannot convert with a clear RangeError', () => {
    expect(() => designResampler(7999)).toThrow(/7999 Hz/);
    expect(() => designResampler(192000)).toThrow(RangeError);
    expect(() => designResampler(44100.5)).toThrow(/whole number/);
    expect(() => designResampler(47999)).toThrow(/filter phases/);
  });
});

describe('PCM16 conversion', () => {
  it('clips ±1.0 and beyond to 32767 / -32768 instead of wrapping', () => {
    expect(floatToPcm16(1)).toBe(32767);
    expect(floatToPcm16(1.5)).toBe(32767);
    expect(floatToPcm16(1e9)).toBe(32767);
    expect(floatToPcm16(-1)).toBe(-32768);
    expect(floatToPcm16(-3)).toBe(-32768);
    expect(floatToPcm16(Number.NaN)).toBe(0);
    expect(floatToPcm16(0.5)).toBe(16384);
    expect(floatToPcm16(-0.5)).toBe(-16384);
  });
});

describe('Pcm16FrameEncoder', () => {
  function encode(rate: number, signal: Float32Array): Pcm16Frame[] {
    const frames: Pcm16Frame[] = [];
    const enc = new Pcm16FrameEncoder(rate, (f) => frames.push(f));
    for (let i = 0; i < signal.length; i += 128) enc.push(signal.subarray(i, i + 128));
    enc.flush();
    return frames;
  }

  it('posts exact 640-byte frames, each its own buffer, from any rate', () => {
    for (const rate of [44100, 48000, 16000, 8000]) {
      const frames = encode(rate, new Float32Array(rate).fill(0.1));
      expect(frames.length).toBeGreaterThanOrEqual(50);
      expect(frames.every((f) => f.pcm.byteLength === FRAME_BYTES)).toBe(true);
      expect(new Set(frames.map((f) => f.pcm)).size).toBe(frames.length);
    }
  });

  it('carries every 16 kHz sample through, little-endian, across quantum and frame boundaries', () => {
    const n = FRAME_SAMPLES * 7 + 123; // ends mid-frame
    const signal = new Float32Array(n).map((_, i) => ((i % 2000) - 1000) / 1000);
    const frames = encode(16000, signal);
    expect(frames.length).toBe(8);
    const bytes = new Uint8Array(frames.length * FRAME_BYTES);
    frames.forEach((f, i) => bytes.set(new Uint8Array(f.pcm), i * FRAME_BYTES));
    const view = new DataView(bytes.buffer);
    for (let i = 0; i < n; i++) expect(view.getInt16(i * 2, true)).toBe(floatToPcm16(signal[i]));
    // The last frame is padded with silence.
    for (let i = n; i < frames.length * FRAME_SAMPLES; i++) expect(view.getInt16(i * 2, true)).toBe(0);
  });

  it('reports each frame peak for the level meter, and clips a hot signal in the frame', () => {
    const frames = encode(16000, new Float32Array(FRAME_SAMPLES * 2).fill(-2));
    expect(frames[0].peak).toBe(1);
    expect(new DataView(frames[0].pcm).getInt16(0, true)).toBe(-32768);
    const quiet = encode(16000, new Float32Array(FRAME_SAMPLES).fill(0.25));
    expect(quiet[0].peak).toBeCloseTo(0.25, 5);
  });
});
