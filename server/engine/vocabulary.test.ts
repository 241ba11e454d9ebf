/**
 * A stream's vocabulary in the real engine (docs/protocols.md, "Vocabulary"): PocketSphinx hears the
 * words it is given, in the user's spelling, for that stream only; the next stream on the same pooled
 * decoder hears as a fresh one does.
 */
import { describe, expect, it } from 'vitest';
import { clip, decodeSession } from '../test-input-matrix';
import { parseVocabularyTerm, vocabularyOf } from './engine';
import { toModelPhones, fliteLetterToSound } from './letter-to-sound';
import { loadPocketSphinx } from './pocketsphinx';
import { speller, unigramArpa } from './pocketsphinx-vocabulary';

const NAME_CLIP = 'sense_and_sensibility_01_austen_64kb-0870.wav';

describe('terms as the local dialects carry them', () => {
  it('a hint in parentheses; duplicates and empty terms dropped', () => {
    expect(parseVocabularyTerm('Dashwood (dash wood)')).toEqual({ text: 'Dashwood', soundsLike: 'dash wood' });
    expect(parseVocabularyTerm('  Norland Park ')).toEqual({ text: 'Norland Park' });
    expect(parseVocabularyTerm(' ( ) ')).toBeNull();
    expect(vocabularyOf(['Dashwood', 'dashwood', '', 'Elinor (el in or)'])).toEqual([
      { text: 'Dashwood' },
      { text: 'Elinor', soundsLike: 'el in or' },
    ]);
  });

  it('recognised words take the term’s spelling, phrases first', () => {
    const spell = speller([{ text: 'Dashwood' }, { text: 'John Dashwood' }, { text: 'iPhone' }]);
    expect(spell(['and', 'mr', 'john', 'dashwood', 'had'])).toEqual(['and', 'mr', 'John', 'Dashwood', 'had']);
    expect(spell(['dashwood', 'iphone', 'john'])).toEqual(['Dashwood', 'iPhone', 'john']);
  });

  it('the vocabulary model is a unigram ARPA file', () => {
    expect(unigramArpa(['dashwood', 'john'])).toBe(
      '\\data\\\nngram 1=4\n\n\\1-grams:\n-0.3010 dashwood\n-0.3010 john\n-99.0000 <s>\n-99.0000 </s>\n\n\\end\\\n',
    );
  });

  it('flite’s phones in the model’s phone set', () => {
    expect(toModelPhones(['d', 'ae1', 'sh', 'w', 'uh1', 'd'])).toBe('D AE SH W UH D');
    expect(toModelPhones(['k', 'ax0', 'b', 'er1'])).toBe('K AH B ER');
    expect(toModelPhones(['pau'])).toBeNull();
    const lts = fliteLetterToSound();
    expect(lts, 'libflite1 is installed by npm test').not.toBeNull();
    expect(lts!('Zustand')).toBe('Z AH S T AE N D');
  });
});

describe('the local engine hears the vocabulary', { timeout: 120_000 }, () => {
  const speech = [clip(NAME_CLIP)];

  it('a name in its dictionary: heard with the vocabulary, spelt as the user spells it', async () => {
    const engine = loadPocketSphinx({ poolSize: 1 });
    const without = await decodeSession(engine, speech);
    expect(without).not.toMatch(/dashwood/i);
    const withIt = await decodeSession(engine, speech, { vocabulary: [{ text: 'Dashwood' }] });
    expect(withIt).toContain('john Dashwood');
    // The same pooled decoder, no vocabulary: as before.
    expect(await decodeSession(engine, speech)).toBe(without);
    expect(engine.health()).toMatchObject({ idleDecoders: 1 });
  });

  it('a word it does not know: added with the user’s hint, for that stream only', async () => {
    const reports: string[] = [];
    const engine = loadPocketSphinx({ poolSize: 1, report: (m) => reports.push(m) });
    const without = await decodeSession(engine, speech);
    const withIt = await decodeSession(engine, speech, { vocabulary: [{ text: 'Dashwoode', soundsLike: 'dash wood' }] });
    expect(withIt).toContain('Dashwoode');
    // That decoder's dictionary grew: it is freed, and the next stream gets a fresh one.
    expect(engine.health()).toMatchObject({ idleDecoders: 0 });
    const after = await decodeSession(engine, speech);
    expect(after).not.toMatch(/dashwoode/i);
    expect(after).toBe(without);
    expect(reports).toEqual([]);
  });

  it('a word with no pronunciation is left out and said so; the stream goes on', async () => {
    const reports: string[] = [];
    const engine = loadPocketSphinx({ poolSize: 1, report: (m) => reports.push(m) });
    const text = await decodeSession(engine, speech, { vocabulary: [{ text: '1234' }, { text: 'Dashwood' }] });
    expect(text).toContain('Dashwood');
    expect(reports).toEqual(['no pronunciation for 1 vocabulary word(s); they are left out']);
  });
});
