/**
 * The user's vocabulary (docs/protocols.md, "Vocabulary"): words and phrases every service should hear,
 * each with an optional "sounds like" hint; as plain text (one per line, `Dashwood (dash wood)`) and
 * as JSON (`[{ "text": "Dashwood", "soundsLike": "dash wood" }]`).
 */

/** One word or phrase. */
export interface VocabularyTerm {
  /** As it should be written, e.g. `Dashwood`, `John Dashwood`, `Kubernetes`. At most {@link MAX_TERM_CHARS}. */
  readonly text: string;
  /** Words that sound like it, e.g. `dash wood` (used by the local engine for words it does not know). */
  readonly soundsLike?: string;
}

/** Longest term or hint, characters. */
export const MAX_TERM_CHARS = 100;

/** A term with its text and hint trimmed and cut to length; null when it has no text. */
export function cleanTerm(text: string, soundsLike?: string): VocabularyTerm | null {
  const t = text.replace(/\s+/g, ' ').trim().slice(0, MAX_TERM_CHARS);
  const s = soundsLike?.replace(/\s+/g, ' ').trim().slice(0, MAX_TERM_CHARS);
  if (!t) return null;
  return s ? { text: t, soundsLike: s } : { text: t };
}

/** `Dashwood (dash wood)`: the term and its hint as one line (the local dialects' form, too). */
export function writeTerm(term: VocabularyTerm): string {
  return term.soundsLike ? `${term.text} (${term.soundsLike})` : term.text;
}

/** One line → a term: `Dashwood (dash wood)` or `Dashwood`. */
export function readTerm(line: string): VocabularyTerm | null {
  const m = /^(.*?)\s*\(([^()]*)\)\s*$/.exec(line.trim());
  return m ? cleanTerm(m[1], m[2]) : cleanTerm(line);
}

/** Terms with the same text (ignoring case) as an earlier one dropped. */
export function uniqueTerms(terms: readonly VocabularyTerm[]): VocabularyTerm[] {
  const seen = new Set<string>();
  return terms.filter((t) => {
    const key = t.text.toLowerCase();
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/** What a file held: its terms, and how many lines or entries could not be read. */
export interface ReadVocabulary {
  readonly terms: VocabularyTerm[];
  readonly skipped: number;
}

/**
 * A vocabulary file: JSON (an array of `{text, soundsLike?}` or of strings, or `{vocabulary: [...]}`)
 * or plain text, one term per line (`#` starts a comment line).
 */
export function readVocabulary(content: string): ReadVocabulary {
  const trimmed = content.trim();
  if (trimmed.startsWith('[') || trimmed.startsWith('{')) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(trimmed);
    } catch {
      parsed = undefined;
    }
    const list = Array.isArray(parsed) ? parsed : isRecord(parsed) && Array.isArray(parsed.vocabulary) ? parsed.vocabulary : null;
    if (list) {
      const terms: VocabularyTerm[] = [];
      let skipped = 0;
      for (const item of list as unknown[]) {
        const term =
          typeof item === 'string'
            ? readTerm(item)
            : isRecord(item) && typeof item.text === 'string'
              ? cleanTerm(item.text, typeof item.soundsLike === 'string' ? item.soundsLike : undefined)
              : null;
        if (term) terms.push(term);
        else skipped++;
      }
      return { terms: uniqueTerms(terms), skipped };
    }
  }
  const lines = content.split(/\r?\n/).filter((l) => l.trim() && !l.trim().startsWith('#'));
  const terms = lines.map(readTerm).filter((t): t is VocabularyTerm => t !== null);
  return { terms: uniqueTerms(terms), skipped: lines.length - terms.length };
}

/** The vocabulary as plain text, one term per line. */
export function vocabularyText(terms: readonly VocabularyTerm[]): string {
  return terms.map(writeTerm).join('\n') + (terms.length ? '\n' : '');
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
