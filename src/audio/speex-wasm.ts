/**
 * speexdsp's WebAssembly bytes, fetched once (a hashed asset, precached for offline use). The worklet
 * and the file worker compile them; see `speex.ts`.
 */
// A path into the package: its `exports` map offers only the Emscripten glue, which a worklet cannot run.
import wasmUrl from '../../node_modules/@echogarden/speex-resampler-wasm/wasm/speex-resampler-simd.wasm?url';

let bytes: Promise<ArrayBuffer | undefined> | null = null;

/** The module's bytes; undefined when they cannot be fetched (capture then uses Dictate's own resampler). */
export function speexWasm(): Promise<ArrayBuffer | undefined> {
  bytes ??= fetch(wasmUrl)
    .then((r) => (r.ok ? r.arrayBuffer() : undefined))
    .catch(() => undefined);
  // Each user gets a copy: a posted ArrayBuffer may be transferred.
  return bytes.then((b) => b?.slice(0));
}
