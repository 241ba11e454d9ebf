/**
 * AudioWorklet processor: microphone input at the context's native rate → 16 kHz PCM16 frames.
 *
 * Runs off the main thread. All DSP lives in `resampler.ts`; this file only adapts it to the
 * AudioWorklet API. It never keeps or transfers the arrays `process()` is given (the encoder copies
 * them), and posts one 640-byte frame per 20 ms, transferred, not one message per render quantum.
 * Loaded with `?worker&url` (see capture.ts); it must not use `import.meta`.
 */
import { Pcm16FrameEncoder } from './resampler';
import { CAPTURE_PROCESSOR, type CaptureProcessorOptions, type WorkletCommand, type WorkletMessage } from './messages';
import { SPEEX_QUALITY, SpeexResampler, type SampleConverter } from './speex';

// AudioWorkletGlobalScope, declared here so the main program's types stay clean.
declare const sampleRate: number;
/** Context time of the render quantum being processed, s. */
declare const currentTime: number;
declare class AudioWorkletProcessor {
  readonly port: MessagePort;
  constructor(options?: unknown);
}
declare function registerProcessor(
  name: string,
  processor: new (options?: { processorOptions?: CaptureProcessorOptions }) => AudioWorkletProcessor,
): void;

/** Samples per render quantum (Web Audio's fixed block). */
const QUANTUM = 128;

class CaptureProcessor extends AudioWorkletProcessor {
  private encoder: Pcm16FrameEncoder | null = null;
  private running = true;

  constructor(options?: { processorOptions?: CaptureProcessorOptions }) {
    super();
    const post = (message: WorkletMessage, transfer: Transferable[] = []) => this.port.postMessage(message, transfer);
    try {
      const rate = Math.round(sampleRate);
      const converter = converterFor(rate, options);
      // A frame is completed by the quantum being processed: its last sample is at most one quantum after `currentTime`.
      this.encoder = new Pcm16FrameEncoder(
        rate,
        ({ pcm, peak }) => post({ type: 'frame', pcm, peak, contextTime: currentTime + QUANTUM / rate }, [pcm]),
        converter,
      );
      post({ type: 'ready', resampler: converter ? `speexdsp (quality ${SPEEX_QUALITY})` : 'Dictate polyphase (speexdsp unavailable)' });
    } catch (error) {
      post({ type: 'error', message: error instanceof Error ? error.message : String(error) });
      this.running = false;
    }
    this.port.onmessage = (event: MessageEvent<WorkletCommand>) => {
      if (event.data?.type === 'flush') {
        const paddedSamples = this.encoder?.flush() ?? 0;
        this.running = false;
        post({ type: 'flushed', paddedSamples });
      }
    };
  }

  process(inputs: Float32Array[][]): boolean {
    const channel = inputs[0]?.[0]; // the node downmixes to one channel (channelCount 1, explicit)
    if (this.running && this.encoder && channel) this.encoder.push(channel);
    return this.running;
  }
}

/**
 * speexdsp from the module bytes the page sent; Dictate's own resampler where there are none or they
 * do not compile (a browser without WebAssembly SIMD): lower quality, nothing lost.
 */
function converterFor(rate: number, options?: { processorOptions?: CaptureProcessorOptions }): SampleConverter | undefined {
  const bytes = options?.processorOptions?.speexWasm;
  if (!bytes) return undefined;
  try {
    return new SpeexResampler(new WebAssembly.Module(bytes), rate);
  } catch {
    return undefined;
  }
}

registerProcessor(CAPTURE_PROCESSOR, CaptureProcessor);
