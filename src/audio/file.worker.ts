/**
 * Web Worker: a decoded audio file (mono float samples at its decode rate) → 16 kHz PCM16 frames, with
 * the same resampler (speexdsp) and framing as the microphone's worklet, off the main thread.
 */
import { Pcm16FrameEncoder } from './resampler';
import { SpeexResampler } from './speex';

/** What the worker is sent. */
export interface FileWorkerRequest {
  /** Mono samples, −1…1. */
  readonly samples: Float32Array;
  /** Hz */
  readonly sampleRate: number;
  /** speexdsp's WebAssembly bytes; without them, Dictate's own resampler. */
  readonly speexWasm?: ArrayBuffer;
}

/** What it answers: every 20 ms frame back to back (640 bytes each) and each frame's peak (0–1). */
export type FileWorkerResponse =
  | { readonly type: 'frames'; readonly pcm: ArrayBuffer; readonly peaks: Float32Array }
  | { readonly type: 'error'; readonly message: string };

const scope = self as unknown as {
  onmessage: ((e: MessageEvent<FileWorkerRequest>) => void) | null;
  postMessage(m: FileWorkerResponse, t?: Transferable[]): void;
};

scope.onmessage = ({ data }) => {
  try {
    const frames: ArrayBuffer[] = [];
    const peaks: number[] = [];
    const rate = Math.round(data.sampleRate);
    let converter: SpeexResampler | undefined;
    try {
      converter = data.speexWasm ? new SpeexResampler(new WebAssembly.Module(data.speexWasm), rate) : undefined;
    } catch {
      converter = undefined; // no WebAssembly SIMD here: our own resampler
    }
    const encoder = new Pcm16FrameEncoder(
      rate,
      ({ pcm, peak }) => {
        frames.push(pcm);
        peaks.push(peak);
      },
      converter,
    );
    const CHUNK = 4096;
    for (let at = 0; at < data.samples.length; at += CHUNK) encoder.push(data.samples.subarray(at, at + CHUNK));
    encoder.flush();
    const out = new Uint8Array(frames.reduce((n, f) => n + f.byteLength, 0));
    let offset = 0;
    for (const f of frames) {
      out.set(new Uint8Array(f), offset);
      offset += f.byteLength;
    }
    scope.postMessage({ type: 'frames', pcm: out.buffer, peaks: Float32Array.from(peaks) }, [out.buffer]);
  } catch (error) {
    scope.postMessage({ type: 'error', message: error instanceof Error ? error.message : String(error) });
  }
};
