import { describe, expect, it } from 'vitest';
import { decodeMulaw, linearToMulaw, mulawToLinear } from './mulaw';

describe('G.711 mu-law', () => {
  it('matches the standard code points', () => {
    expect(linearToMulaw(0)).toBe(0xff);
    expect(linearToMulaw(32767)).toBe(0x80);
    expect(linearToMulaw(-32768)).toBe(0x00);
    expect(mulawToLinear(0xff)).toBe(0);
    expect(mulawToLinear(0x80)).toBe(32124);
    expect(mulawToLinear(0x00)).toBe(-32124);
  });

  it('round-trips every PCM16 value within the segment quantisation step', () => {
    for (let x = -32768; x <= 32767; x += 7) {
      const y = mulawToLinear(linearToMulaw(x));
      const step = Math.max(8, 2 ** (Math.floor(Math.log2(Math.abs(x) + 132)) - 4));
      expect(Math.abs(y - Math.max(-32124, Math.min(32124, x)))).toBeLessThanOrEqual(step);
    }
  });

  it('decodes a buffer one sample per byte', () => {
    expect(Array.from(decodeMulaw(Uint8Array.of(0xff, 0x80, 0x00)))).toEqual([0, 32124, -32124]);
  });
});
