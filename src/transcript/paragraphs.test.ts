import { describe, expect, it } from 'vitest';
import { PARAGRAPH_PAUSE_MS, paragraphsOf, separatorBetween } from './paragraphs';

const at = (text: string, startMs?: number, durationMs?: number) => ({ text, startMs, durationMs });
const texts = (ps: { text: string }[][]) => ps.map((p) => p.map((s) => s.text));

describe('paragraphsOf', () => {
  it('flows finals within a short pause into one paragraph, and a longer pause starts the next', () => {
    const segments = [at('one', 0, 800), at('two', 1000, 500), at('three', 1500 + PARAGRAPH_PAUSE_MS - 1, 400), at('four', 6000, 300)];
    // 'three' starts 1999 ms after 'two' ends; 'four' 2101 ms after 'three'.
    expect(texts(paragraphsOf(segments))).toEqual([['one', 'two', 'three'], ['four']]);
  });

  it('starts a paragraph at exactly the pause, measured from the last word when words run past the duration', () => {
    const words = [{ text: 'one', startMs: 0, durationMs: 1500 }];
    const segments = [{ text: 'one', startMs: 0, durationMs: 500, words }, at('two', 3500, 100)];
    expect(texts(paragraphsOf(segments))).toEqual([['one'], ['two']]);
    expect(texts(paragraphsOf(segments, 2001))).toEqual([['one', 'two']]);
  });

  it('breaks where "new paragraph" was said, before or after, and not at a "new line"', () => {
    const segments = [at('one\n\n', 0, 100), at('two', 200, 100), at('\n\nthree', 400, 100), at('four\n', 600, 100), at('five', 800, 100)];
    expect(texts(paragraphsOf(segments))).toEqual([['one\n\n'], ['two'], ['\n\nthree', 'four\n', 'five']]);
    // Said on its own, it ends the paragraph before it.
    expect(texts(paragraphsOf([at('one', 0, 100), at('\n\n', 200, 100), at('two', 400, 100)]))).toEqual([['one', '\n\n'], ['two']]);
  });

  it('flows segments without times (a service that sends none) until a spoken break', () => {
    expect(texts(paragraphsOf([at('a'), at('b', 0, 100), at('c'), at('d \n \n'), at('e')]))).toEqual([['a', 'b', 'c', 'd \n \n'], ['e']]);
  });

  it('gives no paragraph for no segments', () => {
    expect(paragraphsOf([])).toEqual([]);
  });
});

describe('separatorBetween', () => {
  it('puts a space between words, none before punctuation or after a line break', () => {
    expect(separatorBetween('one', 'two')).toBe(' ');
    expect(separatorBetween('one', '. Two')).toBe('');
    expect(separatorBetween('one\n', 'two')).toBe('');
  });
});
