import { describe, expect, it } from 'vitest';
import { comparisonCsv, comparisonJson, comparisonMarkdown, comparisonRows, referenceText } from './comparison';
import type { ComparisonRecord } from './model';
import { sessionFigures } from './figures';

const figures = sessionFigures({
  events: [
    { type: 'speech-start', at: 0 },
    { type: 'partial', at: 300, text: 'one' },
    { type: 'speech-end', at: 1000 },
    { type: 'final', at: 1400, text: 'one two' },
  ],
});

const record = (reference: ComparisonRecord['reference']): ComparisonRecord => ({
  source: 'the microphone',
  reference,
  columns: [
    { entryId: 'local-voicerun', label: 'A, "quoted"', segments: [{ id: 1, text: 'one two three four' }], figures },
    {
      entryId: 'local-reson8',
      label: 'B | piped',
      segments: [{ id: 1, text: 'one too three' }],
      figures: null,
      error: 'It failed,\nbadly',
    },
  ],
});

describe('a comparison', () => {
  it('scores every column but the reference, by kind of error', () => {
    const rows = comparisonRows(record({ kind: 'column', index: 0 }));
    expect(rows[0].wer).toBeNull();
    expect(rows[1]).toMatchObject({ wer: 0.5, substitutions: 1, deletions: 1, insertions: 0, words: 3 });
    const againstText = comparisonRows(record({ kind: 'text', text: 'one two three' }));
    expect(againstText.map((r) => r.wer)).toEqual([1 / 3, 1 / 3]);
    expect(referenceText(record({ kind: 'column', index: 1 }))).toBe('one too three');
  });

  it('exports CSV a spreadsheet reads back: one row per service, fields quoted where needed', () => {
    const csv = comparisonCsv(record({ kind: 'column', index: 0 }));
    expect(csv.endsWith('\r\n')).toBe(true);
    const lines = csv.split('\r\n');
    expect(lines[0].split(',').slice(0, 3)).toEqual(['Service', 'Words', 'WER']);
    expect(lines[1].startsWith('"A, ""quoted""",4,,0,0,0,400,400,300')).toBe(true);
    expect(lines[2].startsWith('B | piped,3,50.0 %,1,1,0')).toBe(true);
    expect(csv).toContain('"It failed,\nbadly"');
  });

  it('exports Markdown with the table (pipes escaped) and each service’s words', () => {
    const md = comparisonMarkdown(record({ kind: 'text', text: 'one two three' }), 'Comparison: A vs B');
    expect(md).toContain('# Comparison: A vs B');
    expect(md).toContain('WER against: your text.');
    expect(md).toContain('| B \\| piped | 3 | 33.3 % |');
    expect(md).toContain('## A, "quoted"\n\none two three four');
    expect(md).toContain('## Reference (your text)\n\none two three');
    expect(md).toContain('It failed, badly');
  });

  it('exports JSON with the reference, the scores and each alignment', () => {
    const json = JSON.parse(comparisonJson(record({ kind: 'column', index: 0 }), 'C')) as {
      reference: { name: string; text: string };
      columns: { text: string; score: { wer: number | null }; alignment: { op: string }[] }[];
    };
    expect(json.reference).toMatchObject({ kind: 'column', index: 0, name: 'A, "quoted"', text: 'one two three four' });
    expect(json.columns[1].score.wer).toBe(0.5);
    expect(json.columns[1].alignment.map((a) => a.op)).toEqual(['same', 'substituted', 'same', 'deleted']);
  });
});
