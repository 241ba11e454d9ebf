/**
 * Corrections that stick (docs/protocols.md, "Your words"): which word or phrase a hand edit replaced,
 * for the offer to write it that way from now on. Loaded with the first edit.
 */
/** A word as compared for corrections: lower case, no punctuation around it. */
const bare = (word: string) => word.toLowerCase().replace(/^[^\p{L}\p{N}]+|[^\p{L}\p{N}]+$/gu, '');

/** Longest phrase a correction offer is made for, words. */
const MAX_CORRECTION_WORDS = 4;

/**
 * The word or phrase an edit replaced, when it replaced one: `and mister dash wood had` →
 * `and mister Dashwood had` gives `{from: 'dash wood', to: 'Dashwood'}`. Null for an edit that only
 * changes case or punctuation, inserts or deletes words, or rewrites more than a few words.
 */
export function correctionOf(before: string, after: string): { readonly from: string; readonly to: string } | null {
  const a = before.trim().split(/\s+/).filter(Boolean);
  const b = after.trim().split(/\s+/).filter(Boolean);
  let start = 0;
  while (start < a.length && start < b.length && bare(a[start]) === bare(b[start])) start++;
  let endA = a.length;
  let endB = b.length;
  while (endA > start && endB > start && bare(a[endA - 1]) === bare(b[endB - 1])) {
    endA--;
    endB--;
  }
  const from = a.slice(start, endA).map(bare).filter(Boolean);
  const to = b
    .slice(start, endB)
    .map((w) => w.replace(/^[^\p{L}\p{N}]+|[^\p{L}\p{N}]+$/gu, ''))
    .filter(Boolean);
  if (from.length === 0 || to.length === 0 || from.length > MAX_CORRECTION_WORDS || to.length > MAX_CORRECTION_WORDS) return null;
  if (from.join(' ') === to.join(' ').toLowerCase()) return null;
  return { from: from.join(' '), to: to.join(' ') };
}
