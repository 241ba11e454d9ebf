import { describe, expect, it } from 'vitest';
import { formatDuration, previewOf, sessionTitle, transcriptText } from './model';

describe('transcript text', () => {
  it('joins utterances with spaces, but not before punctuation or after a spoken line break', () => {
    expect(transcriptText([{ text: ' one ' }, { text: 'two' }, { text: '.' }, { text: '\n\n' }, { text: 'Three' }, { text: '  ' }])).toBe(
      'one two.\n\nThree',
    );
  });

  it('previews the first words, cut at a word', () => {
    const preview = previewOf([{ text: 'word '.repeat(60) }]);
    expect(preview.length).toBeLessThanOrEqual(121);
    expect(preview).toMatch(/^word( word)+…$/);
  });

  it('titles a session by its name, else its first words', () => {
    expect(sessionTitle({ title: ' Notes ', preview: 'hello', startedAt: 0 })).toBe('Notes');
    expect(sessionTitle({ title: '', preview: 'hello there', startedAt: 0 })).toBe('hello there');
  });

  it('formats durations', () => {
    expect(formatDuration(65_400)).toBe('1:05');
    expect(formatDuration(3_725_000)).toBe('1:02:05');
  });
});
