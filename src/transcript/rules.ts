/**
 * Replacement rules and text expansions (docs/protocols.md, "Your words"): "find → replace" applied, in
 * order, to the text Dictate shows, copies and exports (the service's words stay in a segment's `raw`).
 * A rule matches whole words or phrases (Unicode letters and digits count as word characters),
 * case-insensitively unless asked, and keeps the case the words were found in; or it is a regular
 * expression. An expansion is a spoken phrase that inserts a snippet as written.
 */

/** One "find → replace" rule. */
export interface ReplacementRule {
  readonly id: string;
  /** The words or phrase to find (or a regular expression, with `regex`). */
  readonly find: string;
  /** What to write instead (with `regex`, `$1` and `$<name>` refer to groups). */
  readonly replace: string;
  /** `find` is a JavaScript regular expression (flag `u`, and `i` unless `caseSensitive`). */
  readonly regex?: boolean;
  /** Match only in the case written, and write `replace` as it is. */
  readonly caseSensitive?: boolean;
  /** False: kept in the list, not applied. */
  readonly enabled?: boolean;
}

/** A spoken phrase that inserts a snippet, e.g. "insert signature" → "Best regards,\nAda". */
export interface TextExpansion {
  readonly id: string;
  readonly phrase: string;
  readonly snippet: string;
}

/** A rule that cannot be applied, and why (it is skipped; the others still apply). */
export interface RuleProblem {
  readonly id: string;
  readonly message: string;
}

/** Rules compiled once, applied to every text. */
export interface CompiledRules {
  /** The text with every valid rule applied, in order. */
  apply(text: string): string;
  readonly problems: readonly RuleProblem[];
  /** Whether any rule applies at all. */
  readonly empty: boolean;
}

/** Letters, digits (any script) and the underscore: what "whole word" is measured against. */
const WORD_CHAR = '[\\p{L}\\p{N}\\p{M}_]';
const WORD_CHAR_TEST = /[\p{L}\p{N}\p{M}_]/u;

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\/-]/g, '\\$&');
}

/** A phrase as a whole-word pattern: its spaces match any run of spaces. */
export function phrasePattern(phrase: string): string {
  const words = phrase.trim().split(/\s+/).map(escapeRegExp).join('\\s+');
  const first = phrase.trim()[0] ?? '';
  const last = phrase.trim().at(-1) ?? '';
  // A boundary is asked for only where the phrase begins or ends with a word character ("C++" ends with none).
  const before = WORD_CHAR_TEST.test(first) ? `(?<!${WORD_CHAR})` : '';
  const after = WORD_CHAR_TEST.test(last) ? `(?!${WORD_CHAR})` : '';
  return `${before}${words}${after}`;
}

/** `replacement` in the case `found` was in: ALL CAPS, Capitalised, or as written. */
export function matchCase(found: string, replacement: string): string {
  const letters = found.replace(/[^\p{L}]/gu, '');
  if (letters.length > 1 && letters === letters.toUpperCase() && letters !== letters.toLowerCase()) return replacement.toUpperCase();
  const first = letters[0];
  if (first && first === first.toUpperCase() && first !== first.toLowerCase()) {
    return replacement.replace(/\p{L}/u, (c) => c.toUpperCase());
  }
  return replacement;
}

type Step = (text: string) => string;

function ruleStep(rule: ReplacementRule): Step | string {
  const find = rule.regex ? rule.find : rule.find.trim();
  if (!find) return 'Find is empty.';
  const flags = `gu${rule.caseSensitive ? '' : 'i'}`;
  let pattern: RegExp;
  try {
    pattern = new RegExp(rule.regex ? find : phrasePattern(find), flags);
  } catch (cause) {
    return `The regular expression is not valid: ${cause instanceof Error ? cause.message.replace(/^Invalid regular expression: /, '') : String(cause)}`;
  }
  if (pattern.test('')) return 'The regular expression matches empty text: it would insert everywhere.';
  if (rule.regex) return (text) => text.replace(pattern, rule.replace);
  // A function replacer: `$` in the replacement is written as it is.
  if (rule.caseSensitive) return (text) => text.replace(pattern, () => rule.replace);
  return (text) => text.replace(pattern, (found) => matchCase(found, rule.replace));
}

/**
 * Compiles rules (in order) and expansions (before the rules: a snippet is then subject to them).
 * Invalid ones are reported and skipped.
 */
export function compileRules(rules: readonly ReplacementRule[], expansions: readonly TextExpansion[] = []): CompiledRules {
  const steps: Step[] = [];
  const problems: RuleProblem[] = [];
  for (const e of expansions) {
    const step = ruleStep({ id: e.id, find: e.phrase, replace: e.snippet, caseSensitive: false });
    if (typeof step === 'string') problems.push({ id: e.id, message: step });
    // A snippet is inserted as written, whatever case the phrase was heard in.
    else steps.push((text) => text.replace(new RegExp(phrasePattern(e.phrase), 'giu'), () => e.snippet));
  }
  for (const rule of rules) {
    if (rule.enabled === false) continue;
    const step = ruleStep(rule);
    if (typeof step === 'string') problems.push({ id: rule.id, message: step });
    else steps.push(step);
  }
  return {
    problems,
    empty: steps.length === 0,
    apply(text) {
      let out = text;
      for (const step of steps) {
        try {
          out = step(out);
        } catch {
          // A rule that throws on some text (none should) leaves that text as it was.
        }
      }
      return out;
    },
  };
}

/** What a rule does to a sample: its problem, or the sample after it. */
export function tryRule(rule: ReplacementRule, sample: string): { readonly after: string; readonly problem: string | null } {
  const compiled = compileRules([{ ...rule, enabled: true }]);
  return { after: compiled.apply(sample), problem: compiled.problems[0]?.message ?? null };
}
