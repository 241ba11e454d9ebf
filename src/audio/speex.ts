/**
 * speexdsp's resampler (BSD-3-Clause, Xiph.Org; the WebAssembly SIMD build of
 * `@echogarden/speex-resampler-wasm` 0.3.0) bound by hand, so it runs where that package's Emscripten
 * glue cannot: in the AudioWorklet (no `import.meta`, no fetch) and in workers. Pure: give it the
 * compiled module.
 *
 * Chosen by `npm run bench` (bench/resampler.ts): at quality 6 it keeps aliases ≥ 103 dB down from
 * 8.5 kHz, ripple within 0.01 dB to 7 kHz and SINAD above 100 dB at every browser rate, which
 * Dictate's own polyphase filter ({@link Resampler}, still the fallback) does not.
 */
import { TARGET_SAMPLE_RATE } from '../core/frames';

/** The quality Dictate uses (0–10): the lowest that meets the thresholds above at every rate. */
export const SPEEX_QUALITY = 6;

/** The build's export names (Emscripten minifies them; these are for version 0.3.0's SIMD build). */
const EXPORTS = { memory: 'c', ctors: 'd', init: 'e', free: 'h', destroy: 'j', process: 'k', skipZeros: 'z', malloc: 'C' } as const;

type Fn = (...args: number[]) => number;

/** A sample-rate converter as the frame encoder uses it. */
export interface SampleConverter {
  /** Largest number of output samples a call with `inputLength` samples can return. */
  maxOutput(inputLength: number): number;
  /** Converts one block; `output` must hold `maxOutput(input.length)`. @returns samples written */
  process(input: Float32Array, output: Float32Array): number;
}

/** speexdsp resampling one mono stream to 16 kHz. */
export class SpeexResampler implements SampleConverter {
  private readonly memory: WebAssembly.Memory;
  private readonly fn: Record<Exclude<keyof typeof EXPORTS, 'memory'>, Fn>;
  private readonly state: number;
  private readonly lengths: number;
  private inPtr = 0;
  private outPtr = 0;
  private capacity = 0;
  /** Views of the module's memory, made again only when it grows (not once per render quantum). */
  private heap: ArrayBuffer | null = null;
  private f32 = new Float32Array(0);
  private u32 = new Uint32Array(0);

  /**
   * @param module - the compiled speexdsp WebAssembly module
   * @param inputRate - Hz
   * @throws Error when the module is not the expected build, or speexdsp refuses the rates
   */
  constructor(
    module: WebAssembly.Module,
    private readonly inputRate: number,
    private readonly outputRate = TARGET_SAMPLE_RATE,
    quality = SPEEX_QUALITY,
  ) {
    let memory: WebAssembly.Memory | null = null;
    const instance = new WebAssembly.Instance(module, {
      a: {
        // _emscripten_resize_heap: grow to at least `size` bytes; 1 when it did.
        a: (size: number) => {
          const m = memory!;
          const pages = Math.ceil((size - m.buffer.byteLength) / 65536);
          try {
            m.grow(Math.max(pages, 0));
            return 1;
          } catch {
            return 0;
          }
        },
        // __emscripten_memcpy_js
        b: (dest: number, src: number, count: number) => new Uint8Array(memory!.buffer).copyWithin(dest, src, src + count),
      },
    });
    const e = instance.exports as Record<string, unknown>;
    if (!(e[EXPORTS.memory] instanceof WebAssembly.Memory)) throw new Error('Not the expected speexdsp build.');
    memory = e[EXPORTS.memory] as WebAssembly.Memory;
    this.memory = memory;
    const fn = {} as Record<string, Fn>;
    for (const [name, key] of Object.entries(EXPORTS)) {
      if (name === 'memory') continue;
      if (typeof e[key] !== 'function') throw new Error('Not the expected speexdsp build.');
      fn[name] = e[key] as Fn;
    }
    this.fn = fn;
    this.fn.ctors();
    const err = this.fn.malloc(4);
    this.state = this.fn.init(1, inputRate, outputRate, quality, err);
    const code = new Int32Array(this.memory.buffer, err, 1)[0];
    this.fn.free(err);
    if (!this.state || code !== 0) throw new Error(`speexdsp refused ${inputRate} → ${outputRate} Hz (error ${code}).`);
    this.fn.skipZeros(this.state); // no leading silence for the filter's delay
    this.lengths = this.fn.malloc(8);
  }

  maxOutput(inputLength: number): number {
    return Math.ceil((inputLength * this.outputRate) / this.inputRate) + 2;
  }

  process(input: Float32Array, output: Float32Array): number {
    if (input.length > this.capacity) {
      if (this.capacity) {
        this.fn.free(this.inPtr);
        this.fn.free(this.outPtr);
      }
      this.capacity = Math.max(input.length, 1024);
      this.inPtr = this.fn.malloc(this.capacity * 4);
      this.outPtr = this.fn.malloc(this.maxOutput(this.capacity) * 4);
    }
    this.views();
    this.f32.set(input, this.inPtr >> 2);
    let consumed = 0;
    let written = 0;
    const lengths = this.lengths >> 2;
    // speexdsp stops when its output is full: call again until every input sample is taken.
    while (consumed < input.length) {
      this.u32[lengths] = input.length - consumed;
      this.u32[lengths + 1] = Math.min(output.length - written, this.maxOutput(this.capacity));
      this.fn.process(this.state, 0, this.inPtr + consumed * 4, this.lengths, this.outPtr, this.lengths + 4);
      this.views(); // speexdsp does not grow memory here, but a view of a grown memory would be empty
      const taken = this.u32[lengths];
      const produced = this.u32[lengths + 1];
      const from = this.outPtr >> 2;
      for (let i = 0; i < produced; i++) output[written + i] = this.f32[from + i];
      written += produced;
      consumed += taken;
      if (taken === 0 && produced === 0) break; // output full: the caller's buffer was too small
    }
    return written;
  }

  private views(): void {
    if (this.heap === this.memory.buffer) return;
    this.heap = this.memory.buffer;
    this.f32 = new Float32Array(this.heap);
    this.u32 = new Uint32Array(this.heap);
  }

  /** Frees speexdsp's state (the instance's memory goes with the object). */
  destroy(): void {
    this.fn.destroy(this.state);
  }
}
