/** Test and benchmark audio built from the LibriVox fixtures (16 kHz PCM16). */
import { join } from 'node:path';
import { FIXTURES_DIR, referenceFor } from './fixtures';
import { readWav } from './wav';

/** `ms` of digital silence. */
export const silence = (ms: number): Int16Array => new Int16Array((ms * 16_000) / 1000);

/** The parts one after another. */
export function concatSamples(parts: readonly Int16Array[]): Int16Array {
  const out = new Int16Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

const FIRST = 'sense_and_sensibility_01_austen_64kb-0880.wav';
const SECOND = 'sense_and_sensibility_01_austen_64kb-0920.wav';

/**
 * Two sentences with a pause between: 1 s of silence, the first (2.99 s), 1.5 s, the second (6.05 s),
 * 1 s. `reference` is what was said; `midSecond` is the frame (20 ms) 2.5 s into the second sentence.
 */
export function twoSentences(): { samples: Int16Array; reference: string; midSecond: number } {
  const first = readWav(join(FIXTURES_DIR, FIRST)).samples;
  const samples = concatSamples([silence(1000), first, silence(1500), readWav(join(FIXTURES_DIR, SECOND)).samples, silence(1000)]);
  const midSecond = Math.round((1000 + first.length / 16 + 1500 + 2500) / 20);
  return { samples, reference: `${referenceFor(FIRST)} ${referenceFor(SECOND)}`, midSecond };
}
