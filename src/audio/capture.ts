/**
 * Microphone capture in the browser: getUserMedia → AudioContext at the device's native rate →
 * AudioWorklet (capture.worklet.ts) → 20 ms PCM16 frames at 16 kHz on the main thread.
 *
 * The context is never created at 16 kHz (Firefox refuses to connect a MediaStream of another
 * rate); the worklet resamples. Echo cancellation, noise suppression and automatic gain control are
 * off unless the user turns them on ({@link MicrophoneOptions}): they reshape the signal in ways speech
 * recognizers are not trained on, but help with loudspeakers, a noisy room, or a quiet voice.
 */
import workletUrl from './capture.worklet.ts?worker&url';
import { speexWasm } from './speex-wasm';
import { CAPTURE_PROCESSOR, type CaptureProcessorOptions, type WorkletCommand, type WorkletMessage } from './messages';
import { DEFAULT_MICROPHONE, type MicrophoneOptions } from '../core/microphone';
import type { DictationError } from '../core/errors';
import type { Pcm16Frame } from '../core/frames';
import { microphoneEnded, microphoneError, microphoneUnavailable, unsupportedRate, workletFailed } from './errors';

/** How audio is captured, for the user to see. */
export interface CaptureInfo {
  /** Hz */
  readonly sampleRate: number;
  readonly resampler: string;
}

/** Receives capture output. */
export interface CaptureHandlers {
  /** One 20 ms frame (640 bytes PCM16 LE, 16 kHz mono). */
  onFrame(frame: Pcm16Frame): void;
  /** Capture failed after it started (device unplugged, worklet error). Capture is over. */
  onError(error: DictationError): void;
  /** The source has no more audio (a file's end): the run finishes as after Stop. */
  onEnd?(): void;
  /** How the audio is captured: the device's sample rate (Hz) and the resampler taking it to 16 kHz. */
  onInfo?(info: CaptureInfo): void;
  /** Frames captured and not yet sent: a file source waits while it is high, so it goes as fast as the service takes it. */
  backlog?(): number;
}

/** A running capture. */
export interface Capture {
  /** The device / context sample rate, Hz. */
  readonly sampleRate: number;
  /** True when the chosen microphone was not there and the default one is used instead. */
  readonly fellBack?: boolean;
  /** Stops capture after posting every sample captured so far (last frame padded to 20 ms). */
  stop(): Promise<void>;
}

/**
 * Starts capture.
 * @throws DictationError when the microphone cannot be opened: `microphone-*` or
 *   `capture-failed` (see `audio/errors.ts`).
 */
export type StartCapture = (handlers: CaptureHandlers, microphone?: MicrophoneOptions) => Promise<Capture>;

const FLUSH_TIMEOUT_MS = 1000;

/** Capture from the default microphone with an AudioWorklet. */
export const startMicrophoneCapture: StartCapture = async (handlers, microphone = DEFAULT_MICROPHONE) => {
  if (!navigator.mediaDevices?.getUserMedia || typeof AudioWorkletNode === 'undefined') throw microphoneUnavailable();
  const { deviceId, echoCancellation, noiseSuppression, autoGainControl } = microphone;
  const open = (device: string) =>
    navigator.mediaDevices.getUserMedia({
      audio: { channelCount: 1, echoCancellation, noiseSuppression, autoGainControl, ...(device ? { deviceId: { exact: device } } : {}) },
    });
  let stream: MediaStream;
  let fellBack = false;
  try {
    stream = await open(deviceId);
  } catch (cause) {
    // The chosen microphone is gone (unplugged, or another computer's id): the default one instead.
    const gone =
      deviceId !== '' &&
      typeof cause === 'object' &&
      cause !== null &&
      'name' in cause &&
      /Overconstrained|NotFound/.test(String(cause.name));
    if (!gone) throw microphoneError(cause);
    try {
      stream = await open('');
      fellBack = true;
    } catch (again) {
      throw microphoneError(again);
    }
  }
  const context = new AudioContext({ latencyHint: 'interactive' });
  const release = () => {
    stream.getTracks().forEach((t) => t.stop());
    void context.close().catch(() => undefined);
  };
  let node: AudioWorkletNode;
  try {
    const [, wasm] = await Promise.all([context.audioWorklet.addModule(workletUrl), speexWasm()]);
    node = new AudioWorkletNode(context, CAPTURE_PROCESSOR, {
      processorOptions: { speexWasm: wasm } satisfies CaptureProcessorOptions,
      numberOfInputs: 1,
      numberOfOutputs: 1,
      channelCount: 1,
      channelCountMode: 'explicit',
      channelInterpretation: 'speakers',
    });
  } catch (cause) {
    release();
    throw workletFailed(cause instanceof Error ? cause.message : undefined);
  }
  let ended = false;
  let resolveFlushed: (() => void) | null = null;
  const fail = (error: DictationError) => {
    if (ended) return;
    ended = true;
    teardown();
    handlers.onError(error);
  };
  node.port.onmessage = (event: MessageEvent<WorkletMessage>) => {
    const message = event.data;
    // The worklet's timestamp is on the audio clock: how long ago that was, on the page's clock (docs/metrics.md, "Capture → send").
    if (message.type === 'frame')
      handlers.onFrame({
        pcm: message.pcm,
        peak: message.peak,
        capturedAt: performance.now() - Math.max(0, context.currentTime - message.contextTime) * 1000,
      });
    else if (message.type === 'flushed') resolveFlushed?.();
    else if (message.type === 'ready') handlers.onInfo?.({ sampleRate: context.sampleRate, resampler: message.resampler });
    else if (message.type === 'error') {
      fail(unsupportedRate(message.message));
    }
  };
  const source = context.createMediaStreamSource(stream);
  source.connect(node);
  node.connect(context.destination); // keeps the node pulled; it writes silence
  const track = stream.getAudioTracks()[0];
  if (track) track.onended = () => fail(microphoneEnded());
  await context.resume().catch(() => undefined);
  // A context created after the permission prompt may start suspended (no user gesture left):
  // resume it on the user's next click or key press.
  const resumeOnGesture = () => void context.resume().catch(() => undefined);
  if (context.state === 'suspended') {
    window.addEventListener('pointerdown', resumeOnGesture, { once: true });
    window.addEventListener('keydown', resumeOnGesture, { once: true });
  }

  function teardown() {
    window.removeEventListener('pointerdown', resumeOnGesture);
    window.removeEventListener('keydown', resumeOnGesture);
    if (track) track.onended = null;
    source.disconnect();
    node.disconnect();
    node.port.onmessage = null;
    release();
  }

  return {
    sampleRate: context.sampleRate,
    fellBack,
    async stop() {
      if (ended) return;
      ended = true;
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, FLUSH_TIMEOUT_MS);
        resolveFlushed = () => {
          clearTimeout(timer);
          resolve();
        };
        node.port.postMessage({ type: 'flush' } satisfies WorkletCommand);
      });
      teardown();
    },
  };
};
