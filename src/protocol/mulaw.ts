/**
 * G.711 mu-law (ITU-T G.711, continuous µ = 255 approximated by 8 segments), PCM16 ↔ 8-bit.
 * Pure functions. VoiceRun accepts `input_audio_format: "mulaw"` (docs/protocols.md, "VoiceRun: audio").
 */

const BIAS = 0x84;
const CLIP = 32635;

/** Encodes one PCM16 sample to a mu-law byte. */
export function linearToMulaw(sample: number): number {
  let s = Math.max(-32768, Math.min(32767, Math.round(sample)));
  const sign = s < 0 ? 0x80 : 0;
  if (s < 0) s = -s;
  if (s > CLIP) s = CLIP;
  s += BIAS;
  let exponent = 7;
  for (let mask = 0x4000; (s & mask) === 0 && exponent > 0; mask >>= 1) exponent--;
  const mantissa = (s >> (exponent + 3)) & 0x0f;
  return ~(sign | (exponent << 4) | mantissa) & 0xff;
}

/** Decodes one mu-law byte to a PCM16 sample. */
export function mulawToLinear(byte: number): number {
  const u = ~byte & 0xff;
  const exponent = (u >> 4) & 0x07;
  const magnitude = (((u & 0x0f) << 3) + BIAS) << exponent;
  return u & 0x80 ? BIAS - magnitude : magnitude - BIAS;
}

/** Decodes a mu-law buffer to PCM16 samples (one sample per byte). */
export function decodeMulaw(bytes: Uint8Array): Int16Array {
  const out = new Int16Array(bytes.length);
  for (let i = 0; i < bytes.length; i++) out[i] = mulawToLinear(bytes[i]);
  return out;
}
