/**
 * What PocketSphinx itself makes of the e2e clip, the yardstick for a round trip through a browser.
 * A microphone starts the clip wherever it falls in the 20 ms frames, and on this clip that alone moves
 * PocketSphinx between 4, 6 and 8 word errors ("woman" → "wall and" or "woman in my head that";
 * "had he" → "i", measured here). So the clip is decoded directly at 20 sub-frame offsets (0–304
 * samples into a noise floor), once per test process, and a round trip is held to the worst of them.
 */
import { basename } from 'node:path';
import { E2E_CLIP } from '../../playwright.config';
import { loadPocketSphinx } from '../../server/engine/pocketsphinx';
import { decodeSession, filler } from '../../server/test-input-matrix';
import { referenceFor } from './fixtures';
import { readWav } from './wav';
import { wordEdits } from './wer';

/** One direct decode: its text and its word errors against the clip's reference. */
export interface DirectRun {
  readonly text: string;
  readonly errors: number;
}

let runs: Promise<DirectRun[]> | undefined;

/** PocketSphinx directly on the e2e clip at 20 sub-frame offsets (decoded once, then shared). */
export function directAtOffsets(): Promise<DirectRun[]> {
  runs ??= (async () => {
    const reference = referenceFor(basename(E2E_CLIP));
    const engine = loadPocketSphinx({ poolSize: 1 });
    const speech = readWav(E2E_CLIP).samples;
    const out: DirectRun[] = [];
    for (let offset = 0; offset < 320; offset += 16) {
      const text = await decodeSession(engine, [filler('dither', 1 + offset / 16_000, offset + 1), speech, filler('dither', 1, 2)]);
      out.push({ text, errors: wordEdits(reference, text) });
    }
    return out;
  })();
  return runs;
}
