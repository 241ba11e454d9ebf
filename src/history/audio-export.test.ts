import { ALL_FORMATS, BufferSource, EncodedPacketSink, Input, OGG } from 'mediabunny';
import { describe, expect, it } from 'vitest';
import { FRAME_MS } from '../core/frames';
import { oggOpus, opusHead, storedPackets } from './audio-export';
import type { SessionAudio } from './audio-read';
import type { AudioChunkRecord } from './audio-store';

/** A SILK wideband 20 ms Opus packet (TOC config 9, mono, one frame) with `n` as its payload. */
const packet = (n: number) => new Uint8Array([0x48, n & 0xff, (n >> 8) & 0xff, 0x55]);

/** A run's chunk of Opus packets numbered from `first`. */
function chunk(runId: string, runStartMs: number, seq: number, first: number, count: number, description?: ArrayBuffer): AudioChunkRecord {
  const packets = Array.from({ length: count }, (_, i) => packet(first + i));
  const data = new Uint8Array(packets.reduce((n, p) => n + p.length, 0));
  packets.reduce((at, p) => (data.set(p, at), at + p.length), 0);
  return {
    sessionId: 's',
    seq,
    runId,
    runStartMs,
    startMs: runStartMs + (first - 1) * FRAME_MS,
    durationMs: count * FRAME_MS,
    codec: 'opus',
    data: data.buffer,
    packetBytes: packets.map((p) => p.length),
    ...(description && { description }),
  };
}

const track = (runs: AudioChunkRecord[][]): SessionAudio => ({
  pcm: new Int16Array(0),
  durationMs: 0,
  codec: runs[0]?.[0]?.codec ?? 'opus',
  bytes: 0,
  runs,
});

describe('the compressed export (Ogg Opus)', () => {
  it('lays the stored packets of runs that follow each other end to end, with an OpusHead', () => {
    const first = [chunk('a', 0, 0, 1, 50), chunk('a', 0, 1, 51, 25)];
    const second = [chunk('b', 75 * FRAME_MS + 7, 2, 1, 10)];
    const got = storedPackets(track([first, second]));
    expect(got?.packets).toHaveLength(85);
    expect(got?.packets[75]).toEqual(packet(1));
    expect(String.fromCharCode(...(got?.head.subarray(0, 8) ?? []))).toBe('OpusHead');
  });

  it('keeps the OpusHead the encoder gave; ignores a description of another shape', () => {
    const given = opusHead(156);
    expect(storedPackets(track([[chunk('a', 0, 0, 1, 3, given.slice().buffer)]]))?.head).toEqual(given);
    expect(storedPackets(track([[chunk('a', 0, 0, 1, 3, new Uint8Array([1, 2, 3]).buffer)]]))?.head).toEqual(opusHead());
  });

  it('encodes again (null here) where runs leave a gap on the time base, or the audio is PCM16', () => {
    expect(storedPackets(track([[chunk('a', 0, 0, 1, 10)], [chunk('b', 5000, 1, 1, 10)]]))).toBeNull();
    const pcm = { ...chunk('a', 0, 0, 1, 10), codec: 'pcm16' as const };
    expect(storedPackets(track([[pcm]]))).toBeNull();
    expect(storedPackets(track([]))).toBeNull();
  });

  it('the head says mono, 16 kHz input, the pre-skip, mapping family 0 (RFC 7845 §5.1)', () => {
    const view = new DataView(opusHead(312).buffer);
    expect([view.getUint8(8), view.getUint8(9), view.getUint16(10, true), view.getUint32(12, true), view.getUint8(18)]).toEqual([
      1, 1, 312, 16_000, 0,
    ]);
  });

  it('writes an Ogg Opus file that a demuxer reads back: every packet, in order, and the duration', async () => {
    const packets = Array.from({ length: 150 }, (_, i) => packet(i));
    const file = await oggOpus({ packets, head: opusHead(0) });
    expect(file.type).toBe('audio/ogg; codecs=opus');
    const input = new Input({ source: new BufferSource(await file.arrayBuffer()), formats: ALL_FORMATS });
    expect(await input.getFormat()).toBe(OGG);
    const audio = await input.getPrimaryAudioTrack();
    expect(audio?.codec).toBe('opus');
    expect(audio?.numberOfChannels).toBe(1);
    expect(await input.computeDuration()).toBeCloseTo(3, 2);
    const read: Uint8Array[] = [];
    for await (const p of new EncodedPacketSink(audio!).packets()) read.push(p.data);
    expect(read).toEqual(packets);
  });
});
