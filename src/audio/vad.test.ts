import { describe, expect, it } from 'vitest';
import { LevelVad } from './vad';

describe('LevelVad', () => {
  it('starts on a loud frame and stops only after 500 ms of quiet frames', () => {
    const vad = new LevelVad();
    expect(vad.push(0.01)).toBeNull();
    expect(vad.push(0.2)).toBe('started');
    expect(vad.push(0.2)).toBeNull();
    // A short pause between words does not end the speech.
    for (let i = 0; i < 20; i++) expect(vad.push(0.005)).toBeNull();
    expect(vad.push(0.1)).toBeNull();
    const quiet = Array.from({ length: 25 }, () => vad.push(0.005));
    expect(quiet.slice(0, 24).every((x) => x === null)).toBe(true);
    expect(quiet[24]).toBe('stopped');
    expect(vad.push(0.005)).toBeNull();
  });
});
