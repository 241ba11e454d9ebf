/** The meters slice: the input level and clipping, 10 times a second while recording. */
import type { MetersSlice, Slice } from './types';

/** A peak at or above this (0–1 of full scale) is clipping. */
const CLIPPING_PEAK = 0.99;
/** How long "Clipping" stays after the last clipped peak, ms. */
const CLIPPING_HOLD_MS = 1000;

export const metersSlice: Slice<MetersSlice> = () => ({ level: 0, clipping: false, clippedAt: -Infinity });

/** What a level report changes. */
export function meterReading(s: MetersSlice, peak: number, now: number): Partial<MetersSlice> {
  const clippedAt = peak >= CLIPPING_PEAK ? now : s.clippedAt;
  return { level: peak, clipping: now - clippedAt < CLIPPING_HOLD_MS, ...(clippedAt !== s.clippedAt ? { clippedAt } : {}) };
}
