/**
 * Opus through WebCodecs, for the audio Dictate keeps (docs/protocols.md, "Keeping audio"): 16 kHz
 * mono PCM16 in 20 ms frames → one Opus packet per frame, at {@link OPUS_BITRATE}; and back. Runs in a
 * worker or a page. Chromium and Firefox decode Opus at 48 kHz whatever it was encoded at; WebKit at
 * the encoded rate: {@link decodeOpus} reports the rate it got.
 */
import { FRAME_SAMPLES, FRAME_MS, TARGET_SAMPLE_RATE } from '../core/frames';

/** Bits per second: 24 kbit/s is 10.8 MB per hour of audio (see docs/protocols.md for the measurement). */
export const OPUS_BITRATE = 24_000;

/** The encoder's configuration: mono 16 kHz, 20 ms packets, tuned for speech. */
export const OPUS_CONFIG = {
  codec: 'opus',
  sampleRate: TARGET_SAMPLE_RATE,
  numberOfChannels: 1,
  bitrate: OPUS_BITRATE,
  opus: { frameDuration: FRAME_MS * 1000, application: 'voip' },
} as const;

/** Whether this browser (or worker) can encode Opus as {@link OPUS_CONFIG} says. */
export async function canEncodeOpus(): Promise<boolean> {
  if (typeof AudioEncoder === 'undefined' || typeof AudioData === 'undefined') return false;
  try {
    return (await AudioEncoder.isConfigSupported(OPUS_CONFIG)).supported === true;
  } catch {
    return false;
  }
}

/** PCM16 little-endian → float samples in −1…1. */
export function pcm16ToFloat(pcm: ArrayBuffer): Float32Array<ArrayBuffer> {
  const ints = new Int16Array(pcm);
  const out = new Float32Array(ints.length);
  for (let i = 0; i < ints.length; i++) out[i] = ints[i] / 32768;
  return out;
}

/** A stream of frames → Opus packets, in order; packets arrive asynchronously through `onPacket`. */
export class OpusStreamEncoder {
  private readonly encoder: AudioEncoder;
  private frames = 0;
  /** The decoder's configuration (its `description` is the OpusHead), once the encoder gives it. */
  description: ArrayBuffer | undefined;

  /**
   * @param onPacket - one packet (20 ms), in order
   * @param onError - the encoder failed (no more packets will come)
   * @param bitrate - bits per second (the bench compares several)
   * @throws DOMException when the configuration is not supported (check {@link canEncodeOpus} first)
   */
  constructor(onPacket: (packet: Uint8Array) => void, onError: (error: Error) => void, bitrate: number = OPUS_BITRATE) {
    this.encoder = new AudioEncoder({
      output: (chunk, metadata) => {
        const description = metadata?.decoderConfig?.description;
        if (description && !this.description) this.description = copyDescription(description);
        const packet = new Uint8Array(chunk.byteLength);
        chunk.copyTo(packet);
        onPacket(packet);
      },
      error: (e) => onError(e instanceof Error ? e : new Error(String(e))),
    });
    this.encoder.configure({ ...OPUS_CONFIG, bitrate });
  }

  /** One 20 ms PCM16 frame (640 bytes). */
  encode(pcm: ArrayBuffer): void {
    const data = new AudioData({
      format: 'f32',
      sampleRate: TARGET_SAMPLE_RATE,
      numberOfChannels: 1,
      numberOfFrames: FRAME_SAMPLES,
      timestamp: this.frames * FRAME_MS * 1000,
      data: pcm16ToFloat(pcm),
    });
    this.frames++;
    this.encoder.encode(data);
    data.close();
  }

  /** Emits every packet still inside the encoder. */
  flush(): Promise<void> {
    return this.encoder.flush();
  }

  close(): void {
    if (this.encoder.state !== 'closed') this.encoder.close();
  }
}

function copyDescription(source: AllowSharedBufferSource): ArrayBuffer {
  const bytes = ArrayBuffer.isView(source) ? new Uint8Array(source.buffer, source.byteOffset, source.byteLength) : new Uint8Array(source);
  return bytes.slice().buffer;
}

/** Decoded audio: mono float samples at the decoder's rate. */
export interface DecodedAudio {
  readonly samples: Float32Array;
  /** Hz (48 000 in Chromium and Firefox, 16 000 in WebKit). */
  readonly sampleRate: number;
}

/**
 * Decodes one run's Opus packets (20 ms each, in order) with one decoder.
 * @param description - the OpusHead the encoder gave, when it gave one
 * @throws Error when this browser cannot decode Opus, or a packet is corrupt
 */
export async function decodeOpus(packets: readonly Uint8Array[], description?: ArrayBuffer): Promise<DecodedAudio> {
  if (typeof AudioDecoder === 'undefined') throw new Error('This browser cannot decode Opus (no WebCodecs AudioDecoder).');
  const parts: Float32Array[] = [];
  let sampleRate = TARGET_SAMPLE_RATE;
  const failed: { error: Error | null } = { error: null };
  const decoder = new AudioDecoder({
    output: (data) => {
      sampleRate = data.sampleRate;
      const part = new Float32Array(data.numberOfFrames);
      data.copyTo(part, { planeIndex: 0, format: 'f32-planar' });
      parts.push(part);
      data.close();
    },
    error: (e) => (failed.error = e instanceof Error ? e : new Error(String(e))),
  });
  decoder.configure({ codec: 'opus', sampleRate: TARGET_SAMPLE_RATE, numberOfChannels: 1, ...(description ? { description } : {}) });
  packets.forEach((data, i) =>
    decoder.decode(new EncodedAudioChunk({ type: 'key', timestamp: i * FRAME_MS * 1000, duration: FRAME_MS * 1000, data })),
  );
  await decoder.flush();
  decoder.close();
  if (failed.error) throw failed.error;
  const samples = new Float32Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    samples.set(p, at);
    at += p.length;
  }
  return { samples, sampleRate };
}
