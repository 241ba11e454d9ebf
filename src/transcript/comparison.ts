/**
 * A comparison of services on the same speech (docs/metrics.md, "Comparing services"): what each
 * column heard, its figures, and its WER against the reference the user chose; the table and the
 * exports (Markdown, CSV, JSON). Pure: the store keeps the columns, this scores and writes them.
 */
import { alignWords, wordErrors, type AlignedWord } from './align';
import type { SessionFigures } from './figures';
import { transcriptText, type ComparisonRecord } from './model';

export type { ComparisonColumn, ComparisonRecord, ComparisonReference } from './model';

/** One row of the figures table. */
export interface ComparisonRow {
  readonly label: string;
  readonly words: number;
  /** Against the reference; null for the reference column itself, or with no reference words. */
  readonly wer: number | null;
  readonly substitutions: number;
  readonly deletions: number;
  readonly insertions: number;
  readonly figures: SessionFigures | null;
  readonly error?: string;
}

/** The reference's text, or '' when it names no column. */
export function referenceText(record: Pick<ComparisonRecord, 'columns' | 'reference'>): string {
  const r = record.reference;
  if (r.kind === 'text') return r.text;
  const column = record.columns[r.index];
  return column ? transcriptText(column.segments) : '';
}

/** Each column aligned against the reference (docs/metrics.md, "WER"). */
export function alignColumns(record: Pick<ComparisonRecord, 'columns' | 'reference'>): AlignedWord[][] {
  const reference = referenceText(record);
  return record.columns.map((c) => alignWords(reference, transcriptText(c.segments)));
}

/** The figures table: one row per column, WER against the reference. */
export function comparisonRows(record: Pick<ComparisonRecord, 'columns' | 'reference'>): ComparisonRow[] {
  const aligned = alignColumns(record);
  return record.columns.map((c, i) => {
    const e = wordErrors(aligned[i]);
    const isReference = record.reference.kind === 'column' && record.reference.index === i;
    const wer = isReference || e.referenceWords === 0 ? null : (e.substitutions + e.deletions + e.insertions) / e.referenceWords;
    return {
      label: c.label,
      words: aligned[i].filter((w) => w.op !== 'deleted').length,
      wer,
      substitutions: e.substitutions,
      deletions: e.deletions,
      insertions: e.insertions,
      figures: c.figures,
      ...(c.error !== undefined && { error: c.error }),
    };
  });
}

/** The table's columns, in order: header and how a row shows it. */
const TABLE: readonly [string, (r: ComparisonRow) => string][] = [
  ['Service', (r) => r.label],
  ['Words', (r) => String(r.words)],
  ['WER', (r) => (r.wer === null ? '' : `${(r.wer * 100).toFixed(1)} %`)],
  ['Substitutions', (r) => String(r.substitutions)],
  ['Deletions', (r) => String(r.deletions)],
  ['Insertions', (r) => String(r.insertions)],
  ['Final latency p50 (ms)', (r) => num(r.figures?.finalLatencyMs.p50)],
  ['Final latency p95 (ms)', (r) => num(r.figures?.finalLatencyMs.p95)],
  ['First partial p50 (ms)', (r) => num(r.figures?.firstPartialMs.p50)],
  ['Word emission p50 (ms)', (r) => num(r.figures?.wordEmissionMs?.p50)],
  ['Revised words per final word', (r) => num(r.figures?.revisionsPerFinalWord)],
  ['Flicker', (r) => num(r.figures?.flicker)],
  ['Capture → send p50 (ms)', (r) => num(r.figures?.sendDelayMs.p50)],
  ['Capture → send p99 (ms)', (r) => num(r.figures?.sendDelayMs.p99)],
  ['Reconnects', (r) => num(r.figures?.reconnects)],
  ['Seconds replayed', (r) => num(r.figures?.replayedSeconds)],
  ['Error', (r) => r.error ?? ''],
];

const num = (x: number | null | undefined) => (x === null || x === undefined ? '' : String(x));

/** The table's headers and cells, as the view and the exports show them. */
export function comparisonTable(record: Pick<ComparisonRecord, 'columns' | 'reference'>): { headers: string[]; rows: string[][] } {
  return { headers: TABLE.map(([h]) => h), rows: comparisonRows(record).map((r) => TABLE.map(([, cell]) => cell(r))) };
}

/** The reference, named as the view names it. */
export function referenceName(record: Pick<ComparisonRecord, 'columns' | 'reference'>): string {
  const r = record.reference;
  return r.kind === 'text' ? 'your text' : (record.columns[r.index]?.label ?? 'no column');
}

/** A CSV field (RFC 4180): quoted where it must be. */
function csvField(value: string): string {
  return /[",\r\n]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}

/** The figures table as CSV (RFC 4180, CRLF line ends), one row per service. */
export function comparisonCsv(record: ComparisonRecord): string {
  const { headers, rows } = comparisonTable(record);
  return [headers, ...rows].map((row) => row.map(csvField).join(',')).join('\r\n') + '\r\n';
}

/** A Markdown table cell: pipes escaped, on one line. */
const mdCell = (value: string) => value.replace(/\|/g, '\\|').replace(/\s*\n\s*/g, ' ');

/** The comparison as Markdown: the figures table, then each service's words, then the reference. */
export function comparisonMarkdown(record: ComparisonRecord, title: string): string {
  const { headers, rows } = comparisonTable(record);
  const lines = [
    `# ${title}`,
    '',
    `Heard from: ${record.source}. WER against: ${referenceName(record)}.`,
    '',
    `| ${headers.map(mdCell).join(' | ')} |`,
    `| ${headers.map(() => '---').join(' | ')} |`,
    ...rows.map((row) => `| ${row.map(mdCell).join(' | ')} |`),
  ];
  for (const c of record.columns) lines.push('', `## ${c.label}`, '', transcriptText(c.segments) || '(no words)');
  if (record.reference.kind === 'text') lines.push('', '## Reference (your text)', '', record.reference.text || '(empty)');
  return lines.join('\n') + '\n';
}

/** The comparison as JSON: everything kept, with the table's figures and each column's alignment. */
export function comparisonJson(record: ComparisonRecord, title: string): string {
  const aligned = alignColumns(record);
  const rows = comparisonRows(record);
  return JSON.stringify(
    {
      title,
      source: record.source,
      reference: { ...record.reference, name: referenceName(record), text: referenceText(record) },
      columns: record.columns.map((c, i) => ({
        ...c,
        text: transcriptText(c.segments),
        score: rows[i],
        alignment: aligned[i],
      })),
    },
    null,
    2,
  );
}
