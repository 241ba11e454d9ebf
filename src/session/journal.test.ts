import { describe, expect, it } from 'vitest';
import { FRAME_BYTES } from '../core/frames';
import { AudioJournal } from './journal';

/** A frame whose samples all equal `n`, with peak `peak`. */
const frame = (n: number, peak = 0.5) => {
  const pcm = new ArrayBuffer(FRAME_BYTES);
  new Int16Array(pcm).fill(n);
  return { pcm, peak };
};
const sampleOf = (j: AudioJournal, i: number) => new Int16Array(j.at(i) ?? new ArrayBuffer(2))[0];

describe('the audio journal', () => {
  it('numbers frames from the start of the run and gives them back in order', () => {
    const j = new AudioJournal(10);
    for (let n = 0; n < 5; n++) j.append(frame(n));
    expect(j.head).toBe(5);
    expect([0, 1, 2, 3, 4].map((i) => sampleOf(j, i))).toEqual([0, 1, 2, 3, 4]);
    expect(j.at(5)).toBeUndefined();
  });

  it('releases acknowledged audio when asked, and never moves the acknowledged point back', () => {
    const j = new AudioJournal(10);
    for (let n = 0; n < 6; n++) j.append(frame(n));
    j.acknowledge(4);
    expect(j.first).toBe(0); // kept as context until released
    j.release(5); // never past the acknowledged point
    expect(j.first).toBe(4);
    expect(j.at(3)).toBeUndefined();
    expect(sampleOf(j, 4)).toBe(4);
    j.acknowledge(2);
    expect(j.acknowledged).toBe(4);
  });

  it('drops the oldest audio when full, and counts only unacknowledged frames as lost', () => {
    const j = new AudioJournal(4);
    let lost = 0;
    for (let n = 0; n < 4; n++) lost += j.append(frame(n));
    expect(lost).toBe(0);
    lost += j.append(frame(4));
    lost += j.append(frame(5));
    expect(lost).toBe(2);
    expect(j.first).toBe(2);
    expect(sampleOf(j, 5)).toBe(5);
    // Acknowledged frames make room without loss.
    j.acknowledge(4);
    expect(j.append(frame(6))).toBe(0);
  });

  it('bounds memory: a long run keeps only the capacity', () => {
    const j = new AudioJournal(50);
    for (let n = 0; n < 10_000; n++) j.append(frame(n % 100));
    expect(j.head - j.first).toBe(50);
  });

  it('finds where the speech of an untimed final ended: the start of the last quiet stretch', () => {
    const j = new AudioJournal(100);
    // 10 loud, 20 quiet, 5 loud (the next utterance began before the final arrived).
    for (let i = 0; i < 10; i++) j.append(frame(i, 0.5));
    for (let i = 0; i < 20; i++) j.append(frame(i, 0.001));
    for (let i = 0; i < 5; i++) j.append(frame(i, 0.5));
    expect(j.endOfSpeechBefore(35, 0.03, 15)).toBe(10);
    // Without a quiet stretch long enough, everything sent counts as answered.
    expect(j.endOfSpeechBefore(35, 0.03, 25)).toBe(35);
    expect(j.hasSpeech(10, 30, 0.03)).toBe(false);
    expect(j.hasSpeech(10, 31, 0.03)).toBe(true);
    // A run shorter than the minimum (a breath, a click) is not speech to wait for.
    expect(j.hasSpeech(10, 35, 0.03, 10)).toBe(false);
    expect(j.hasSpeech(0, 35, 0.03, 10)).toBe(true);
    // Where speech next begins: frame 30 after the quiet stretch; the journal's end when none is there yet.
    expect(j.speechFrom(10, 0.03)).toBe(30);
    expect(j.speechFrom(10, 0.03, 3, 31)).toBe(31);
    expect(j.speechFrom(31, 0.03, 10)).toBe(35);
  });

  it('refuses a capacity that is not a positive whole number of frames', () => {
    expect(() => new AudioJournal(0)).toThrow(RangeError);
  });
});
