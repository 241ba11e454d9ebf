/**
 * Dictate's resampler against speexdsp (WebAssembly, SIMD build, `@echogarden/speex-resampler-wasm`)
 * at qualities 5, 6 and 8, from every rate a browser may run at to 16 kHz, on the same tones in the
 * same run: worst alias (tones from 8.5 kHz), ripple up to 7 kHz, worst SINAD (300 Hz–6 kHz), and CPU
 * per audio second (128-sample quanta for ours, as the worklet runs it; one call per second for speexdsp).
 */
import speexModuleFactory from '@echogarden/speex-resampler-wasm/simd';
import { ourResampler, resamplerFigures, runInQuanta, type ResampleFn, type ResamplerFigures } from '../src/audio/analysis';
import { Resampler } from '../src/audio/resampler';
import { SpeexResampler } from '../src/audio/speex';
import { readFileSync } from 'node:fs';

/** The WebAssembly the app ships (src/audio/speex-wasm.ts). */
const SPEEX_WASM = 'node_modules/@echogarden/speex-resampler-wasm/wasm/speex-resampler-simd.wasm';

/** The rates a browser's AudioContext may run at, Hz. */
export const BROWSER_RATES = [8000, 11025, 16000, 22050, 24000, 32000, 44100, 48000, 88200, 96000];

/** The speexdsp WebAssembly module's exports used here (Emscripten names). */
interface SpeexModule {
  HEAPF32: Float32Array;
  HEAPU32: Uint32Array;
  _malloc(bytes: number): number;
  _free(ptr: number): void;
  _speex_resampler_init(channels: number, inRate: number, outRate: number, quality: number, errPtr: number): number;
  _speex_resampler_skip_zeros(state: number): void;
  _speex_resampler_process_float(
    state: number,
    channel: number,
    inPtr: number,
    inLenPtr: number,
    outPtr: number,
    outLenPtr: number,
  ): number;
  _speex_resampler_destroy(state: number): void;
}

export interface ResamplerRow extends ResamplerFigures {
  readonly resampler: string;
  readonly cpuMsPerAudioSecond: number;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

/** speexdsp as a whole-signal {@link ResampleFn}, and its timed run over `seconds` of noise. */
function speex(m: SpeexModule, inRate: number, quality: number): { resample: ResampleFn; cpuMs: () => number } {
  const run = (input: Float32Array, state: number) => {
    const inPtr = m._malloc(input.length * 4);
    const capacity = Math.ceil((input.length * 16000) / inRate) + 64;
    const outPtr = m._malloc(capacity * 4);
    const lens = m._malloc(8);
    new Float32Array(m.HEAPF32.buffer, inPtr, input.length).set(input);
    m.HEAPU32[lens >> 2] = input.length;
    m.HEAPU32[(lens >> 2) + 1] = capacity;
    m._speex_resampler_process_float(state, 0, inPtr, lens, outPtr, lens + 4);
    const out = new Float32Array(m.HEAPF32.buffer, outPtr, m.HEAPU32[(lens >> 2) + 1]).slice();
    m._free(inPtr);
    m._free(outPtr);
    m._free(lens);
    return out;
  };
  const open = () => {
    const err = m._malloc(4);
    const state = m._speex_resampler_init(1, inRate, 16000, quality, err);
    m._free(err);
    return state;
  };
  return {
    resample(input) {
      const state = open();
      m._speex_resampler_skip_zeros(state); // align its output with ours (no leading delay)
      const out = run(input, state);
      m._speex_resampler_destroy(state);
      return out;
    },
    cpuMs() {
      const state = open();
      const second = new Float32Array(inRate).map(() => Math.random() * 2 - 1);
      const inPtr = m._malloc(second.length * 4);
      const outPtr = m._malloc(20_000 * 4);
      const lens = m._malloc(8);
      new Float32Array(m.HEAPF32.buffer, inPtr, second.length).set(second);
      const once = () => {
        m.HEAPU32[lens >> 2] = second.length;
        m.HEAPU32[(lens >> 2) + 1] = 20_000;
        m._speex_resampler_process_float(state, 0, inPtr, lens, outPtr, lens + 4);
      };
      for (let i = 0; i < 5; i++) once();
      const runs: number[] = [];
      for (let r = 0; r < 7; r++) {
        const t0 = performance.now();
        for (let i = 0; i < 5; i++) once();
        runs.push((performance.now() - t0) / 5);
      }
      m._free(inPtr);
      m._free(outPtr);
      m._free(lens);
      m._speex_resampler_destroy(state);
      return median(runs);
    },
  };
}

/** Ours: CPU per audio second in 128-sample quanta. */
function ourCpuMs(rate: number): number {
  const r = new Resampler(rate);
  const quantum = new Float32Array(128).map(() => Math.random() * 2 - 1);
  const out = new Float32Array(r.maxOutput(128));
  const quanta = Math.ceil(rate / 128);
  for (let i = 0; i < quanta * 3; i++) r.process(quantum, out);
  const runs: number[] = [];
  for (let run = 0; run < 7; run++) {
    const t0 = performance.now();
    for (let s = 0; s < 5; s++) for (let i = 0; i < quanta; i++) r.process(quantum, out);
    runs.push((performance.now() - t0) / 5);
  }
  return median(runs);
}

/** The capture path as the worklet runs it: speexdsp q6 through Dictate's binding, in 128-sample quanta. */
function shipped(module: WebAssembly.Module, rate: number): { resample: ResampleFn; cpuMs: () => number } {
  const run = (input: Float32Array, r: SpeexResampler) => runInQuanta(r, input);
  return {
    resample: (input) => run(input, new SpeexResampler(module, rate)),
    cpuMs() {
      const r = new SpeexResampler(module, rate);
      const second = new Float32Array(rate).map(() => Math.random() * 2 - 1);
      for (let i = 0; i < 3; i++) run(second, r);
      const runs: number[] = [];
      for (let k = 0; k < 7; k++) {
        const t0 = performance.now();
        for (let i = 0; i < 5; i++) run(second, r);
        runs.push((performance.now() - t0) / 5);
      }
      return median(runs);
    },
  };
}

/** The table: what capture ships (speexdsp q6 in the worklet), our polyphase fallback, and speexdsp q5, q6, q8 called directly. */
export async function benchResamplers(): Promise<ResamplerRow[]> {
  const m = (await speexModuleFactory()) as SpeexModule;
  const rows: ResamplerRow[] = [];
  const r3 = (x: number) => Number(x.toFixed(3));
  const module = new WebAssembly.Module(readFileSync(SPEEX_WASM));
  for (const rate of BROWSER_RATES) {
    const ship = shipped(module, rate);
    rows.push({
      resampler: 'Dictate (speexdsp q6, worklet)',
      ...resamplerFigures(rate, ship.resample),
      cpuMsPerAudioSecond: r3(ship.cpuMs()),
    });
    rows.push({
      resampler: 'Dictate polyphase (fallback)',
      ...resamplerFigures(rate, ourResampler(rate)),
      cpuMsPerAudioSecond: r3(ourCpuMs(rate)),
    });
    for (const q of [5, 6, 8]) {
      const s = speex(m, rate, q);
      rows.push({ resampler: `speexdsp q${q}`, ...resamplerFigures(rate, s.resample), cpuMsPerAudioSecond: r3(s.cpuMs()) });
    }
  }
  return rows;
}

/** Prints the table, ours beside speexdsp, with the thresholds. */
export function printResamplers(rows: ResamplerRow[]): void {
  console.log('Resampler to 16 kHz: ours beside speexdsp (WASM SIMD), same tones, same run');
  console.log('  wanted: alias ≤ −90 dB (tones ≥ 8.5 kHz), ripple ≤ ±0.1 dB (to 7 kHz), SINAD ≥ 90 dB (300 Hz–6 kHz), CPU ≤ speexdsp q5');
  console.log(`  ${'input Hz'.padStart(8)}  ${'resampler'.padEnd(32)} alias dB  ripple dB  SINAD dB  CPU ms/s`);
  for (const r of rows) {
    const alias = Number.isFinite(r.worstAliasDb) ? r.worstAliasDb.toFixed(1) : '—';
    console.log(
      `  ${String(r.inputRateHz).padStart(8)}  ${r.resampler.padEnd(32)} ${alias.padStart(9)} ${r.rippleDb.toFixed(4).padStart(10)} ${r.worstSinadDb.toFixed(1).padStart(9)} ${r.cpuMsPerAudioSecond.toFixed(3).padStart(9)}`,
    );
  }
}
