import { describe, expect, it } from 'vitest';
import { InputMeter } from './meter';

describe('the input meter', () => {
  it('reports the peak of every 100 ms (five frames)', () => {
    const meter = new InputMeter(0.03);
    const levels = [0.1, 0.5, 0.2, 0.1, 0.1, 0.01, 0.01, 0.02, 0.01, 0.01].map((p) => meter.push(p).level);
    expect(levels).toEqual([undefined, undefined, undefined, undefined, 0.5, undefined, undefined, undefined, undefined, 0.02]);
  });

  it('says once when 3 s of exact zeros have come, and again only after sound', () => {
    const meter = new InputMeter(0.03);
    const silentAt = (frames: number[]) => frames.map((p) => meter.push(p).silent).flatMap((s, i) => (s ? [i] : []));
    expect(silentAt(Array<number>(400).fill(0))).toEqual([149]);
    expect(silentAt([0.001, ...Array<number>(150).fill(0)])).toEqual([150]);
  });

  it('hears speech start and stop from the level', () => {
    const meter = new InputMeter(0.03);
    const vad = [...Array<number>(30).fill(0.2), ...Array<number>(60).fill(0.001)].map((p) => meter.push(p).vad).filter(Boolean);
    expect(vad).toEqual(['started', 'stopped']);
  });

  it('ends speech that was still on when the audio ends, at its last loud frame; nothing when it had stopped', () => {
    const meter = new InputMeter(0.03);
    for (const p of [...Array<number>(30).fill(0.2), ...Array<number>(5).fill(0.001)]) meter.push(p);
    expect(meter.end()).toBe(5); // 5 quiet frames since the last loud one
    expect(meter.end()).toBeNull();
    const quiet = new InputMeter(0.03);
    for (const p of [...Array<number>(30).fill(0.2), ...Array<number>(40).fill(0.001)]) quiet.push(p);
    expect(quiet.end()).toBeNull(); // the VAD had said "stopped" already
  });

  it('says where the speech stopped: its last loud frame, a hangover before the frame that reports it', () => {
    const meter = new InputMeter(0.03);
    const readings = [...Array<number>(30).fill(0.2), ...Array<number>(60).fill(0.001)].map((p) => meter.push(p));
    const at = readings.findIndex((r) => r.vad === 'stopped');
    // 30 loud frames (0–29): the speech ended with frame 29, so at the end of 30 frames of audio.
    expect(at + 1 - (readings[at].stoppedFramesAgo ?? 0)).toBe(30);
  });
});
