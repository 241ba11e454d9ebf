/**
 * Transcribing a file: the browser decodes it (WAV, MP3, OGG, WebM, M4A: whatever it can play), a
 * worker resamples it to 16 kHz PCM16 frames with the microphone's resampler, and the frames go to the
 * session as a capture source, as fast as the service takes them.
 */
import { dictationError, type DictationError } from '../core/errors';
import { FRAME_BYTES, type Pcm16Frame } from '../core/frames';
import type { Capture, CaptureHandlers, StartCapture } from './capture';
import type { FileWorkerRequest, FileWorkerResponse } from './file.worker';
import { speexWasm } from './speex-wasm';

/** Decoding rate, Hz: a rate every browser decodes to; the resampler takes it to 16 kHz. */
const DECODE_RATE = 48_000;
/** The source waits while this many frames (2 s) are waiting to be sent. */
const MAX_BACKLOG_FRAMES = 100;
/** How often it looks again while waiting, ms. */
const POLL_MS = 20;

/** The file could not be decoded. `detail`: the browser's message. */
export const fileUnreadable = (name: string, detail?: string): DictationError =>
  dictationError(
    'file-unreadable',
    `“${name}” could not be read as audio. Use a WAV, MP3, OGG, WebM or M4A file this browser can play.`,
    detail,
  );

/** A decoded file as mono samples at {@link DECODE_RATE}. */
async function decode(file: File): Promise<Float32Array> {
  let audio: AudioBuffer;
  try {
    const context = new OfflineAudioContext(1, 1, DECODE_RATE);
    audio = await context.decodeAudioData(await file.arrayBuffer());
  } catch (cause) {
    throw fileUnreadable(file.name, cause instanceof Error ? cause.message : undefined);
  }
  if (audio.numberOfChannels === 1) return audio.getChannelData(0);
  const mono = new Float32Array(audio.length);
  for (let c = 0; c < audio.numberOfChannels; c++) {
    const channel = audio.getChannelData(c);
    for (let i = 0; i < mono.length; i++) mono[i] += channel[i] / audio.numberOfChannels;
  }
  return mono;
}

/** 16 kHz PCM16 frames back to back (640 bytes each) and each frame's peak (0–1). */
export interface Pcm16Frames {
  readonly pcm: ArrayBuffer;
  readonly peaks: Float32Array;
}

/**
 * 16 kHz PCM16 frames of mono samples, made in a worker with the microphone's resampler.
 * @param sampleRate - the samples' rate, Hz (8 000–96 000)
 * @param name - what to call the audio in an error
 * @throws DictationError `file-unreadable` when the worker fails
 */
export async function resampleToFrames(samples: Float32Array, sampleRate: number, name: string): Promise<Pcm16Frames> {
  const wasm = await speexWasm();
  return new Promise((resolve, reject) => {
    const worker = new Worker(new URL('./file.worker.ts', import.meta.url), { type: 'module' });
    worker.onmessage = ({ data }: MessageEvent<FileWorkerResponse>) => {
      worker.terminate();
      if (data.type === 'frames') resolve(data);
      else reject(fileUnreadable(name, data.message));
    };
    worker.onerror = (e) => {
      worker.terminate();
      reject(fileUnreadable(name, e.message));
    };
    const request: FileWorkerRequest = { samples, sampleRate, speexWasm: wasm };
    worker.postMessage(request, wasm ? [samples.buffer, wasm] : [samples.buffer]);
  });
}

/**
 * A capture source that plays a file into the session.
 * @param onProgress - the fraction of the file handed to the session (0–1), as it goes
 * @throws DictationError `file-unreadable` (from the returned start) when the browser cannot decode it
 */
export function fileCapture(file: File, onProgress: (fraction: number) => void): StartCapture {
  return framesCapture(async () => resampleToFrames(await decode(file), DECODE_RATE, file.name), onProgress);
}

/**
 * A capture source that plays frames into the session as fast as it takes them (a file, or kept audio).
 * @param frames - made when the session starts the capture; its rejection is the capture's
 * @param onProgress - the fraction handed to the session (0–1), as it goes
 */
export function framesCapture(frames: () => Promise<Pcm16Frames>, onProgress: (fraction: number) => void): StartCapture {
  return async (handlers: CaptureHandlers): Promise<Capture> => {
    const { pcm, peaks } = await frames();
    const total = peaks.length;
    let next = 0;
    let stopped = false;
    let timer: ReturnType<typeof setTimeout> | undefined;
    onProgress(0);
    const feed = () => {
      if (stopped) return;
      const room = MAX_BACKLOG_FRAMES - (handlers.backlog?.() ?? 0);
      for (let i = 0; i < room && next < total; i++, next++) {
        const frame: Pcm16Frame = { pcm: pcm.slice(next * FRAME_BYTES, (next + 1) * FRAME_BYTES), peak: peaks[next] };
        handlers.onFrame(frame);
      }
      onProgress(total === 0 ? 1 : next / total);
      if (next >= total) {
        stopped = true;
        handlers.onEnd?.();
        return;
      }
      timer = setTimeout(feed, POLL_MS);
    };
    // After the session has the capture: the first frames go out once it is connected.
    timer = setTimeout(feed, 0);
    return {
      sampleRate: DECODE_RATE,
      stop() {
        stopped = true;
        clearTimeout(timer);
        return Promise.resolve();
      },
    };
  };
}
