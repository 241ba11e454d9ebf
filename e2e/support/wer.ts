/** Word error rate, for comparing transcripts with a reference. */

/** Lower-case words, punctuation removed. */
export function words(text: string): string[] {
  return text
    .toLowerCase()
    .replace(/[^a-z0-9' ]+/g, ' ')
    .split(/\s+/)
    .filter(Boolean);
}

/** Word-level edits (substitutions + deletions + insertions) that turn `reference` into `hypothesis`. */
export function wordEdits(reference: string, hypothesis: string): number {
  const ref = words(reference);
  const hyp = words(hypothesis);
  let previous = Array.from({ length: hyp.length + 1 }, (_, j) => j);
  for (let i = 1; i <= ref.length; i++) {
    const current = [i];
    for (let j = 1; j <= hyp.length; j++) {
      const cost = ref[i - 1] === hyp[j - 1] ? 0 : 1;
      current[j] = Math.min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost);
    }
    previous = current;
  }
  return previous[hyp.length];
}

/**
 * Word error rate: (substitutions + deletions + insertions) / reference words, by word-level
 * Levenshtein distance. 0 is perfect; it can exceed 1.
 */
export function wordErrorRate(reference: string, hypothesis: string): number {
  const n = words(reference).length;
  if (n === 0) return words(hypothesis).length === 0 ? 0 : 1;
  return wordEdits(reference, hypothesis) / n;
}
