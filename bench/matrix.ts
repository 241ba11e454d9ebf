/**
 * The input matrix (server/test-input-matrix.ts) with the WER of each case: the clip after a noise
 * floor, dither, a long pause, another session on the same pooled decoder, and spoken 20 dB quieter,
 * beside the clean run of the same speech on a fresh decoder. `npm run bench -- --only matrix`.
 */
import { loadPocketSphinx } from '../server/engine/pocketsphinx';
import { inputMatrix, runCase, type MatrixResult } from '../server/test-input-matrix';

/** One row of the table. */
export interface MatrixRow {
  readonly case: string;
  readonly group: MatrixResult['group'];
  readonly wer: number;
  readonly cleanWer: number;
  /** Words by which the case's text differs from the clean run's. */
  readonly wordsFromClean: number;
  readonly text: string;
}

const round = (x: number) => Math.round(x * 1000) / 1000;

/** Runs every case against the real engine, in order. */
export async function benchMatrix(): Promise<MatrixRow[]> {
  const engines = { fresh: () => loadPocketSphinx({ poolSize: 0 }), pooled: () => loadPocketSphinx({ poolSize: 1 }) };
  const cleanRuns = new Map<string, string>();
  const rows: MatrixRow[] = [];
  for (const kase of inputMatrix()) {
    const r = await runCase(kase, engines, cleanRuns);
    rows.push({
      case: r.name,
      group: r.group,
      wer: round(r.wer),
      cleanWer: round(r.cleanWer),
      wordsFromClean: r.wordsFromClean,
      text: r.text,
    });
  }
  return rows;
}

/** Prints the table: case, WER, the clean run's WER, and how far the words are from it. */
export function printMatrix(rows: readonly MatrixRow[]): void {
  console.log('Input matrix (PocketSphinx directly; WER against the reference, beside the clean run on a fresh decoder)');
  const width = Math.max(...rows.map((r) => r.case.length));
  for (const r of rows)
    console.log(
      `  ${r.case.padEnd(width)}  WER ${(r.wer * 100).toFixed(1).padStart(5)}%  (clean ${(r.cleanWer * 100).toFixed(1)}%, ${r.wordsFromClean} word(s) from it)`,
    );
}
