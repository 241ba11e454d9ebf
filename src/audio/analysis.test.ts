import { describe, expect, it } from 'vitest';
import { resamplerFigures } from './analysis';

describe('resampler figures (the measuring tool for npm run bench)', () => {
  it('finds no loss in a 16 kHz pass-through, and the aliases of a decimator without a filter', () => {
    const through = resamplerFigures(16000, (x) => x);
    expect(through.rippleDb).toBeLessThan(1e-6);
    expect(through.worstSinadDb).toBeGreaterThan(120);
    // Keeping every third sample of 48 kHz folds a 9 kHz tone onto 7 kHz at full level.
    const naive = resamplerFigures(48000, (x) => x.filter((_, i) => i % 3 === 0));
    expect(naive.worstAliasDb).toBeGreaterThan(-1);
    expect(naive.rippleDb).toBeLessThan(0.01);
  });
});
