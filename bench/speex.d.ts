/** The speexdsp WebAssembly build (Emscripten module factory); bench/resampler.ts types what it uses. */
declare module '@echogarden/speex-resampler-wasm/simd' {
  const factory: () => Promise<unknown>;
  export default factory;
}
