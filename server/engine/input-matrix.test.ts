/**
 * The input matrix against the real engine (issue 16): the clip's words must not depend on what came
 * before the speech: a noise floor, dither, a long pause, someone else's session on the same pooled
 * decoder, or a quiet speaker. `npm run bench -- --only matrix` prints the same cases with their WER.
 */
import { describe, expect, it } from 'vitest';
import { inputMatrix, runCase } from '../test-input-matrix';
import { DECODER_PARAMETERS, loadPocketSphinx, ONE_PASS_PARAMETERS } from './pocketsphinx';

const cases = inputMatrix();

// Both decoders the server runs: the two-pass one, and the one-pass one for sessions beyond its seats.
describe.each([
  ['two-pass', DECODER_PARAMETERS],
  ['one-pass', ONE_PASS_PARAMETERS],
])('the same words whatever came before the speech (%s decoder)', (_name, decoderParameters) => {
  // One pooled decoder for every case: each judged session follows the cases before it on that decoder, as
  // on a server (and a decoder is loaded once, not once a case).
  const pooled = loadPocketSphinx({ poolSize: 1, decoderParameters });
  const engines = { fresh: () => loadPocketSphinx({ poolSize: 0, decoderParameters }), pooled: () => pooled };
  const cleanRuns = new Map<string, string>();

  // A 30 s lead is about 6 s of decoding on an idle core: deadlines sized for a busy machine.
  it.each(cases.filter((c) => c.group !== 'pooled'))('$name', { timeout: 180_000 }, async (kase) => {
    const result = await runCase(kase, engines, cleanRuns);
    expect(result.clean, 'the clean run must hear the sentence').toMatch(/married a more amiable/);
    // Within one word of the clean run's errors against the reference.
    expect(result.errors, `"${result.text}"`).toBeLessThanOrEqual(result.cleanErrors + 1);
  });

  it.each(cases.filter((c) => c.group === 'pooled'))('$name: exactly the words of a fresh decoder', { timeout: 180_000 }, async (kase) => {
    const result = await runCase(kase, engines, cleanRuns);
    expect(result.text).toBe(result.clean);
  });
});
