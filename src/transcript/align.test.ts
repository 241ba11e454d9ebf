import { describe, expect, it } from 'vitest';
import { alignWords, scoringWords, wordEdits, wordErrorRate, wordErrors } from './align';

describe('word alignment', () => {
  it('lines up parallel words, keeping them as written', () => {
    expect(alignWords('Had he married a more amiable woman,', 'had he married a more amiable wall')).toEqual([
      { op: 'same', ref: 'Had', hyp: 'had' },
      { op: 'same', ref: 'he', hyp: 'he' },
      { op: 'same', ref: 'married', hyp: 'married' },
      { op: 'same', ref: 'a', hyp: 'a' },
      { op: 'same', ref: 'more', hyp: 'more' },
      { op: 'same', ref: 'amiable', hyp: 'amiable' },
      { op: 'substituted', ref: 'woman,', hyp: 'wall' },
    ]);
  });

  it('marks words only one side has', () => {
    const a = alignWords('the cat sat down', 'the black cat sat');
    expect(a).toEqual([
      { op: 'same', ref: 'the', hyp: 'the' },
      { op: 'inserted', hyp: 'black' },
      { op: 'same', ref: 'cat', hyp: 'cat' },
      { op: 'same', ref: 'sat', hyp: 'sat' },
      { op: 'deleted', ref: 'down' },
    ]);
    expect(wordErrors(a)).toEqual({ substitutions: 0, deletions: 1, insertions: 1, referenceWords: 4 });
    // Equal cost either way: a substitution, so parallel words stay side by side.
    expect(alignWords('the cat sat', 'the black cat').map((w) => w.op)).toEqual(['same', 'substituted', 'substituted']);
  });

  it('ignores case and punctuation, in any script, and skips punctuation-only tokens', () => {
    expect(scoringWords('Zürich — «Straße», don’t 42!')).toEqual(['zürich', 'straße', 'don', 't', '42']);
    expect(wordEdits('Hello, world.', 'hello world')).toBe(0);
    expect(alignWords('a - b', 'a b').map((w) => w.op)).toEqual(['same', 'same']);
  });

  it('scores WER, with the empty cases defined', () => {
    expect(wordErrorRate('one two three four', 'one two tree')).toBe(0.5);
    expect(wordErrorRate('', '')).toBe(0);
    expect(wordErrorRate('', 'words')).toBe(1);
    expect(wordErrorRate('one two', '')).toBe(1);
    expect(wordErrorRate('a', 'b c d')).toBe(3);
  });
});
