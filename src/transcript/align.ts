/**
 * Word alignment and word error rate (docs/metrics.md, "WER"): the word-level Levenshtein alignment of a
 * hypothesis against a reference, which both scores a comparison's columns and draws their diff.
 * Words are compared case-folded with punctuation removed (letters, digits and apostrophes of any
 * script count); what is shown keeps the words as they were written.
 */

/** A transcript's words for scoring: lower-case, punctuation removed. */
export function scoringWords(text: string): string[] {
  return text
    .toLocaleLowerCase()
    .replace(/[^\p{L}\p{N}\p{M}' ]+/gu, ' ')
    .split(/\s+/)
    .filter(Boolean);
}

/** One step of an alignment: a word both have, a substitution, a word only the reference has (deleted) or only the hypothesis (inserted). */
export type AlignedWord =
  | { readonly op: 'same'; readonly ref: string; readonly hyp: string }
  | { readonly op: 'substituted'; readonly ref: string; readonly hyp: string }
  | { readonly op: 'deleted'; readonly ref: string }
  | { readonly op: 'inserted'; readonly hyp: string };

/** Splits shown text into words as written (for display), alongside their scoring forms. */
function shownWords(text: string): { shown: string; key: string }[] {
  return text
    .split(/\s+/)
    .filter(Boolean)
    .map((shown) => ({ shown, key: scoringWords(shown).join(' ') }))
    .filter((w) => w.key !== '');
}

/**
 * The minimum-edit alignment of `hypothesis` against `reference`, in reading order; words as written.
 * Ties prefer a substitution to a deletion and insertion, so parallel words line up.
 * O(n·m) time and memory in words: a 2000-word pair is 4 M cells.
 */
export function alignWords(reference: string, hypothesis: string): AlignedWord[] {
  const ref = shownWords(reference);
  const hyp = shownWords(hypothesis);
  const n = ref.length;
  const m = hyp.length;
  const cost = new Uint32Array((n + 1) * (m + 1));
  const at = (i: number, j: number) => i * (m + 1) + j;
  for (let i = 0; i <= n; i++) cost[at(i, 0)] = i;
  for (let j = 0; j <= m; j++) cost[at(0, j)] = j;
  for (let i = 1; i <= n; i++) {
    for (let j = 1; j <= m; j++) {
      const diagonal = cost[at(i - 1, j - 1)] + (ref[i - 1].key === hyp[j - 1].key ? 0 : 1);
      cost[at(i, j)] = Math.min(diagonal, cost[at(i - 1, j)] + 1, cost[at(i, j - 1)] + 1);
    }
  }
  const out: AlignedWord[] = [];
  let i = n;
  let j = m;
  while (i > 0 || j > 0) {
    if (i > 0 && j > 0) {
      const same = ref[i - 1].key === hyp[j - 1].key;
      if (cost[at(i, j)] === cost[at(i - 1, j - 1)] + (same ? 0 : 1)) {
        out.push({ op: same ? 'same' : 'substituted', ref: ref[i - 1].shown, hyp: hyp[j - 1].shown });
        i--;
        j--;
        continue;
      }
    }
    if (i > 0 && cost[at(i, j)] === cost[at(i - 1, j)] + 1) {
      out.push({ op: 'deleted', ref: ref[i - 1].shown });
      i--;
    } else {
      out.push({ op: 'inserted', hyp: hyp[j - 1].shown });
      j--;
    }
  }
  return out.reverse();
}

/** Errors of an alignment, by kind, and the reference's length in words. */
export interface WordErrors {
  readonly substitutions: number;
  readonly deletions: number;
  readonly insertions: number;
  readonly referenceWords: number;
}

/** Counts an alignment's errors. */
export function wordErrors(alignment: readonly AlignedWord[]): WordErrors {
  let substitutions = 0;
  let deletions = 0;
  let insertions = 0;
  let referenceWords = 0;
  for (const w of alignment) {
    if (w.op !== 'inserted') referenceWords++;
    if (w.op === 'substituted') substitutions++;
    else if (w.op === 'deleted') deletions++;
    else if (w.op === 'inserted') insertions++;
  }
  return { substitutions, deletions, insertions, referenceWords };
}

/**
 * Word error rate: (substitutions + deletions + insertions) / reference words. 0 is perfect; it can
 * exceed 1. An empty reference scores 0 against an empty hypothesis and 1 against any other.
 */
export function wordErrorRate(reference: string, hypothesis: string): number {
  const e = wordErrors(alignWords(reference, hypothesis));
  if (e.referenceWords === 0) return e.insertions === 0 ? 0 : 1;
  return (e.substitutions + e.deletions + e.insertions) / e.referenceWords;
}

/** Word-level edits that turn `reference` into `hypothesis` (the WER's numerator). */
export function wordEdits(reference: string, hypothesis: string): number {
  const e = wordErrors(alignWords(reference, hypothesis));
  return e.substitutions + e.deletions + e.insertions;
}
