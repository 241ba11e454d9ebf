/**
 * The vocabulary in the local engine (docs/engines.md, "Vocabulary"): on the LibriVox clips, the share of
 * vocabulary words PocketSphinx writes where they were said, and the WER, without a vocabulary, with the
 * book's words at several interpolation weights, and with a vocabulary of words never said (what a
 * vocabulary costs the rest of the speech). `npm run bench -- --only vocabulary`.
 */
import type { VocabularyTerm } from '../server/engine/engine';
import { loadPocketSphinx } from '../server/engine/pocketsphinx';
import { VOCABULARY_WEIGHT } from '../server/engine/pocketsphinx-vocabulary';
import { decodeSession } from '../server/test-input-matrix';
import { readWav } from '../e2e/support/wav';
import { wordEdits, words } from '../e2e/support/wer';
import { clips } from './clips';

/** Words a reader of this book would add: the name, and the words PocketSphinx gets wrong in these clips. */
export const BOOK_VOCABULARY: readonly VocabularyTerm[] = [
  { text: 'Dashwood' },
  { text: 'John Dashwood' },
  { text: 'ill disposed' },
  { text: 'amiable' },
  { text: 'respectable' },
  { text: 'prudently' },
  { text: 'cold hearted' },
  { text: 'selfish' },
];
/** Words never said in the clips, two of them unknown to the dictionary. */
export const UNRELATED_VOCABULARY: readonly VocabularyTerm[] = [
  { text: 'Kubernetes' },
  { text: 'Zustand' },
  { text: 'WebSocket' },
  { text: 'microphone' },
  { text: 'transcript' },
  { text: 'Speechall', soundsLike: 'speech all' },
];

/** One row of the table. */
export interface VocabularyRow {
  readonly vocabulary: 'none' | 'book' | 'unrelated';
  /** Interpolation weight of the vocabulary model (null: none). */
  readonly weight: number | null;
  readonly wer: number;
  /** Book terms said in the clips, and how many of them were written. */
  readonly termsSaid: number;
  readonly termsHeard: number;
  /** The clip with the name, as written. */
  readonly nameClip: string;
}

/** How often a term's words occur, in order, in a text's words. */
function occurrences(term: VocabularyTerm, text: string): number {
  const t = words(term.text);
  const w = words(text);
  let n = 0;
  for (let i = 0; i + t.length <= w.length; i++) if (t.every((x, k) => w[i + k] === x)) n++;
  return n;
}

/** Book terms said (from the references) and written (at most as often as said, per clip). */
function termCounts(pairs: readonly { reference: string; text: string }[]): { said: number; heard: number } {
  let said = 0;
  let heard = 0;
  // "John Dashwood" is counted once, not as "Dashwood" again.
  const terms = BOOK_VOCABULARY.filter((t) => !BOOK_VOCABULARY.some((o) => o !== t && occurrences(t, o.text) > 0));
  for (const { reference, text } of pairs)
    for (const term of terms) {
      const s = occurrences(term, reference);
      said += s;
      heard += Math.min(s, occurrences(term, text));
    }
  return { said, heard };
}

const round = (x: number) => Math.round(x * 1000) / 1000;

/** Decodes every clip in each configuration. */
export async function benchVocabulary(): Promise<VocabularyRow[]> {
  const list = clips().map((c) => ({ ...c, samples: readWav(c.path).samples }));
  const configs: { vocabulary: VocabularyRow['vocabulary']; weight: number | null }[] = [
    { vocabulary: 'none', weight: null },
    ...[0.01, VOCABULARY_WEIGHT, 0.2].map((weight) => ({ vocabulary: 'book' as const, weight })),
    ...[0.01, VOCABULARY_WEIGHT, 0.2].map((weight) => ({ vocabulary: 'unrelated' as const, weight })),
  ];
  const rows: VocabularyRow[] = [];
  for (const config of configs) {
    const engine = loadPocketSphinx({ poolSize: 1, ...(config.weight !== null && { vocabularyWeight: config.weight }) });
    const vocabulary = config.vocabulary === 'book' ? BOOK_VOCABULARY : config.vocabulary === 'unrelated' ? UNRELATED_VOCABULARY : [];
    const pairs: { reference: string; text: string; path: string }[] = [];
    for (const clip of list) {
      // Each clip twice on the same pooled decoder: the second run is the one measured (a decoder warmed by speech, as in use).
      await decodeSession(engine, [clip.samples], { vocabulary });
      pairs.push({ reference: clip.reference, path: clip.path, text: await decodeSession(engine, [clip.samples], { vocabulary }) });
    }
    const edits = pairs.reduce((n, p) => n + wordEdits(p.reference, p.text), 0);
    const refWords = pairs.reduce((n, p) => n + words(p.reference).length, 0);
    const { said, heard } = termCounts(pairs);
    rows.push({
      ...config,
      wer: round(edits / refWords),
      termsSaid: said,
      termsHeard: heard,
      nameClip: pairs.find((p) => p.path.endsWith('-0870.wav'))?.text ?? '',
    });
  }
  return rows;
}

/** Prints the table. */
export function printVocabulary(rows: readonly VocabularyRow[]): void {
  console.log('Vocabulary (PocketSphinx, LibriVox clips; book terms written where said, and WER)');
  for (const r of rows)
    console.log(
      `  ${r.vocabulary.padEnd(9)} ${r.weight === null ? '     ' : r.weight.toFixed(2).padStart(5)}  terms ${r.termsHeard}/${r.termsSaid}  WER ${(r.wer * 100).toFixed(1).padStart(5)}%  0870: ${r.nameClip}`,
    );
}
