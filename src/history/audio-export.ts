/**
 * The compressed export of kept audio (docs/protocols.md, "Keeping audio"): a session's track as an Ogg
 * Opus file (RFC 7845), muxed by mediabunny. Audio kept as Opus is muxed as it is stored, packet for
 * packet (no second encoding); audio kept as PCM16, or runs that do not follow each other on the time
 * base, are encoded again from the track through WebCodecs. Loaded when the user first asks for it.
 */
import { BufferTarget, EncodedAudioPacketSource, EncodedPacket, OggOutputFormat, Output } from 'mediabunny';
import { OpusStreamEncoder, canEncodeOpus } from '../audio/opus';
import { FRAME_MS, FRAME_SAMPLES, TARGET_SAMPLE_RATE } from '../core/frames';
import type { SessionAudio } from './audio-read';
import { opusBreaksHere } from './audio-keeper';
import { packetsOf } from './audio-store';

/** Opus packets of 20 ms, in order, with the OpusHead they decode with. */
export interface OpusPackets {
  readonly packets: readonly Uint8Array[];
  /** The identification header (RFC 7845 §5.1). */
  readonly head: Uint8Array;
}

/** Pre-skip libopus asks for at 16 kHz (its lookahead), in 48 kHz samples (RFC 7845 §4.2). */
const DEFAULT_PRE_SKIP = 312;

/**
 * An OpusHead for mono audio encoded at 16 kHz (RFC 7845 §5.1): 19 bytes, channel mapping family 0.
 * @param preSkip - samples at 48 kHz to drop from the decoder's output
 */
export function opusHead(preSkip: number = DEFAULT_PRE_SKIP): Uint8Array {
  const head = new Uint8Array(19);
  head.set([...'OpusHead'].map((c) => c.charCodeAt(0)));
  const view = new DataView(head.buffer);
  view.setUint8(8, 1); // version
  view.setUint8(9, 1); // channels
  view.setUint16(10, preSkip, true);
  view.setUint32(12, TARGET_SAMPLE_RATE, true);
  view.setInt16(16, 0, true); // output gain
  view.setUint8(18, 0); // mapping family
  return head;
}

/** Whether a description the encoder gave is an OpusHead (some browsers give none, or another shape). */
function isOpusHead(bytes: Uint8Array): boolean {
  return bytes.byteLength >= 19 && String.fromCharCode(...bytes.subarray(0, 8)) === 'OpusHead';
}

/**
 * The stored packets as they are, when they can be laid end to end: every run Opus, each beginning
 * within one frame of where the one before ended. Null otherwise.
 */
export function storedPackets(track: SessionAudio): OpusPackets | null {
  if (track.runs.length === 0 || track.runs.some((run) => run[0]?.codec !== 'opus')) return null;
  const packets: Uint8Array[] = [];
  for (const run of track.runs) {
    const gapMs = run[0].runStartMs - packets.length * FRAME_MS;
    if (Math.abs(gapMs) >= FRAME_MS) return null;
    for (const chunk of run) packets.push(...packetsOf(chunk));
  }
  const description = track.runs[0].find((c) => c.description)?.description;
  const given = description ? new Uint8Array(description) : null;
  return { packets, head: given && isOpusHead(given) ? given : opusHead() };
}

/**
 * The whole track encoded again: 20 ms Opus packets through WebCodecs.
 * @throws Error when this browser cannot encode Opus, or the encoder fails
 */
export async function encodedPackets(track: SessionAudio): Promise<OpusPackets> {
  const breaks = typeof navigator !== 'undefined' && opusBreaksHere(navigator.userAgent);
  if (breaks || !(await canEncodeOpus())) throw new Error('This browser cannot encode Opus; export the audio as WAV instead.');
  const packets: Uint8Array[] = [];
  const failed: { error: Error | null } = { error: null };
  const encoder = new OpusStreamEncoder(
    (packet) => packets.push(packet),
    (error) => (failed.error = error),
  );
  try {
    const frames = Math.ceil(track.pcm.length / FRAME_SAMPLES);
    for (let f = 0; f < frames && !failed.error; f++) {
      const frame = new Int16Array(FRAME_SAMPLES);
      frame.set(track.pcm.subarray(f * FRAME_SAMPLES, (f + 1) * FRAME_SAMPLES));
      encoder.encode(frame.buffer);
    }
    await encoder.flush();
  } finally {
    encoder.close();
  }
  if (failed.error) throw failed.error;
  const given = encoder.description ? new Uint8Array(encoder.description) : null;
  return { packets, head: given && isOpusHead(given) ? given : opusHead() };
}

/**
 * Opus packets → an Ogg Opus file.
 * @returns the file's bytes (`audio/ogg; codecs=opus`)
 */
export async function oggOpus({ packets, head }: OpusPackets): Promise<Blob> {
  const output = new Output({ format: new OggOutputFormat(), target: new BufferTarget() });
  const source = new EncodedAudioPacketSource('opus');
  output.addAudioTrack(source);
  await output.start();
  const seconds = FRAME_MS / 1000;
  for (let i = 0; i < packets.length; i++) {
    const packet = new EncodedPacket(packets[i], 'key', i * seconds, seconds);
    await source.add(
      packet,
      i === 0 ? { decoderConfig: { codec: 'opus', sampleRate: TARGET_SAMPLE_RATE, numberOfChannels: 1, description: head } } : undefined,
    );
  }
  await output.finalize();
  const buffer = output.target.buffer;
  if (!buffer) throw new Error('The Ogg file could not be written.');
  return new Blob([buffer], { type: 'audio/ogg; codecs=opus' });
}

/**
 * A session's track as an Ogg Opus file: its stored packets where it can, encoded again otherwise.
 * @throws Error when it has to be encoded again and this browser cannot encode Opus
 */
export async function oggOf(track: SessionAudio): Promise<Blob> {
  return oggOpus(storedPackets(track) ?? (await encodedPackets(track)));
}
