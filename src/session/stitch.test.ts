import { describe, expect, it } from 'vitest';
import { comparable, overlap, withoutLeadingWords } from './stitch';

describe('stitching after a reconnect', () => {
  it('compares words without case or punctuation', () => {
    expect(comparable('Had he married, a more "amiable" woman?')).toEqual(['had', 'he', 'married', 'a', 'more', 'amiable', 'woman']);
  });

  it('finds the longest run of shown words the new final starts with', () => {
    const shown = comparable('he was not an illness those young man');
    expect(overlap(shown, comparable('those young man had he married'))).toBe(3);
    expect(overlap(shown, comparable('he was not an illness those young man'))).toBe(8);
    expect(overlap(shown, comparable('had he married'))).toBe(0);
  });

  it('drops the repeated words and their detail, keeping the times of what is left', () => {
    const final = {
      type: 'final' as const,
      text: 'young man had he',
      startMs: 1000,
      durationMs: 1000,
      words: [
        { text: 'young', startMs: 1000, durationMs: 200 },
        { text: 'man', startMs: 1200, durationMs: 300 },
        { text: 'had', startMs: 1600, durationMs: 200 },
        { text: 'he', startMs: 1800, durationMs: 200 },
      ],
    };
    expect(withoutLeadingWords(final, 2)).toEqual({
      type: 'final',
      text: 'had he',
      startMs: 1600,
      durationMs: 400,
      words: [
        { text: 'had', startMs: 1600, durationMs: 200 },
        { text: 'he', startMs: 1800, durationMs: 200 },
      ],
    });
  });
});
