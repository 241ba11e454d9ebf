import { describe, expect, it } from 'vitest';
import { correctionOf } from './corrections';
import { compileRules, matchCase, tryRule, type ReplacementRule } from './rules';

const rule = (find: string, replace: string, more: Partial<ReplacementRule> = {}): ReplacementRule => ({
  id: find,
  find,
  replace,
  ...more,
});
const apply = (rules: ReplacementRule[], text: string) => compileRules(rules).apply(text);

describe('replacement rules', () => {
  it('match whole words and phrases only, across any spaces', () => {
    const rules = [rule('dash wood', 'Dashwood'), rule('cat', 'dog')];
    expect(apply(rules, 'mister dash  wood has a cat, a catalogue and a bobcat')).toBe(
      'mister Dashwood has a dog, a catalogue and a bobcat',
    );
  });

  it('Unicode letters are word characters: no match inside a word in any script', () => {
    const rules = [rule('café', 'coffee shop'), rule('straße', 'street'), rule('ok', 'okay')];
    expect(apply(rules, 'café, cafés, Straße, Hauptstraße, ok, okéy, Łok')).toBe(
      'coffee shop, cafés, Street, Hauptstraße, okay, okéy, Łok',
    );
    expect(apply([rule('日本', 'Japan')], '日本 and 日本語')).toBe('Japan and 日本語');
  });

  it('case-insensitive by default and case-preserving; case-sensitive writes the replacement as it is', () => {
    expect(apply([rule('teh', 'the')], 'teh Teh TEH')).toBe('the The THE');
    expect(apply([rule('dash wood', 'Dashwood')], 'dash wood, Dash Wood, DASH WOOD')).toBe('Dashwood, Dashwood, DASHWOOD');
    expect(apply([rule('Apple', 'Pear', { caseSensitive: true })], 'Apple apple APPLE')).toBe('Pear apple APPLE');
    expect(matchCase('i', 'I')).toBe('I');
  });

  it('apply in order: a later rule sees what an earlier one wrote; overlapping matches take the first', () => {
    expect(apply([rule('dash wood', 'Dashwood'), rule('Dashwood', 'Mr Dashwood')], 'dash wood')).toBe('Mr Dashwood');
    expect(apply([rule('Dashwood', 'Mr Dashwood'), rule('dash wood', 'Dashwood')], 'dash wood')).toBe('Dashwood');
    expect(apply([rule('new york', 'NYC'), rule('york city', 'YC')], 'new york city')).toBe('NYC city');
  });

  it('a replacement’s $ is written as it is; with a regular expression, groups can be used', () => {
    expect(apply([rule('price', '$5')], 'the price')).toBe('the $5');
    expect(apply([rule('(\\d+) percent', '$1 %', { regex: true })], '20 percent and 3 PERCENT')).toBe('20 % and 3 %');
    expect(apply([rule('c++', 'C++')], 'I write c++ and c++code')).toBe('I write C++ and C++code');
  });

  it('an invalid rule is reported with its own message and skipped; the others still apply', () => {
    const compiled = compileRules([
      rule('(unclosed', 'x', { regex: true }),
      rule('', 'y'),
      rule('a*', 'z', { regex: true }),
      rule('cat', 'dog'),
    ]);
    expect(compiled.problems.map((p) => p.message)).toEqual([
      expect.stringMatching(/^The regular expression is not valid: .*unterminated group/i),
      'Find is empty.',
      'The regular expression matches empty text: it would insert everywhere.',
    ]);
    expect(compiled.apply('a cat')).toBe('a dog');
  });

  it('a disabled rule is kept but not applied; the test box shows a rule’s effect', () => {
    expect(apply([rule('cat', 'dog', { enabled: false })], 'cat')).toBe('cat');
    expect(tryRule(rule('cat', 'dog', { enabled: false }), 'my cat')).toEqual({ after: 'my dog', problem: null });
    expect(tryRule(rule('[', 'x', { regex: true }), 'my cat').problem).toMatch(/^The regular expression is not valid/);
  });
});

describe('text expansions', () => {
  it('a spoken phrase inserts its snippet as written, before the rules apply', () => {
    const compiled = compileRules(
      [rule('regards', 'wishes')],
      [{ id: 'sig', phrase: 'insert signature', snippet: 'Best regards,\nAda $1' }],
    );
    expect(compiled.apply('thanks Insert Signature')).toBe('thanks Best wishes,\nAda $1');
    expect(compiled.apply('insert signatures')).toBe('insert signatures');
  });
});

describe('corrections', () => {
  it('an edit that replaces a word or phrase is a correction: from the service’s words to the user’s', () => {
    expect(correctionOf('and mister john dash wood had then', 'and mister john Dashwood had then')).toEqual({
      from: 'dash wood',
      to: 'Dashwood',
    });
    expect(correctionOf('the cat sat.', 'the dog sat.')).toEqual({ from: 'cat', to: 'dog' });
    expect(correctionOf('he was ill', 'he was unwell.')).toEqual({ from: 'ill', to: 'unwell' });
  });

  it('case or punctuation only, an insertion, a deletion or a rewrite is not', () => {
    expect(correctionOf('hello world', 'Hello, world.')).toBeNull();
    expect(correctionOf('hello world', 'hello big world')).toBeNull();
    expect(correctionOf('hello big world', 'hello world')).toBeNull();
    expect(correctionOf('one two three four five six', 'seven eight nine ten eleven twelve')).toBeNull();
  });
});
