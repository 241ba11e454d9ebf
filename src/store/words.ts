/**
 * The user's words (docs/protocols.md, "Your words"), kept in this browser: the vocabulary every service
 * is sent, the replacement rules and text expansions applied to what Dictate shows, and the correction
 * offers the user dismissed for good. State and actions only; the rules are compiled once per change.
 */
import { create } from 'zustand';
import { createJSONStorage, persist } from 'zustand/middleware';
import { cleanTerm, uniqueTerms, type VocabularyTerm } from '../core/vocabulary';
import { compileRules, type CompiledRules, type ReplacementRule, type TextExpansion } from '../transcript/rules';

/** Most terms kept (services are sent at most 500; see src/protocol/vocabulary.ts). */
export const MAX_TERMS = 1000;
/** Most rules and expansions kept, each. */
export const MAX_RULES = 500;

/** A correction offer: "Always write *to* for *from*?". */
export interface CorrectionOffer {
  readonly from: string;
  readonly to: string;
}

export interface WordsState {
  readonly vocabulary: readonly VocabularyTerm[];
  readonly rules: readonly ReplacementRule[];
  readonly expansions: readonly TextExpansion[];
  /** `from → to` pairs (lower case) never to offer again. */
  readonly dismissed: readonly string[];
  /** False: no correction is ever offered. */
  readonly offerCorrections: boolean;
  /** The offer shown now, if any. */
  readonly offer: CorrectionOffer | null;
  /** Adds a term (or replaces the one with the same text); false when it has no text. */
  readonly addTerm: (text: string, soundsLike?: string) => boolean;
  readonly removeTerm: (text: string) => void;
  /** Adds terms (a file's) after the ones kept; returns how many were new. */
  readonly addTerms: (terms: readonly VocabularyTerm[]) => number;
  readonly setRules: (rules: readonly ReplacementRule[]) => void;
  readonly setExpansions: (expansions: readonly TextExpansion[]) => void;
  /** Shows an offer (unless dismissed, already a rule, or offers are off). */
  readonly proposeCorrection: (offer: CorrectionOffer) => void;
  /** Takes the offer: a rule, and the new words in the vocabulary. */
  readonly acceptOffer: () => void;
  /** Not now (`forever`: never this pair again). */
  readonly dismissOffer: (forever: boolean) => void;
  readonly setOfferCorrections: (on: boolean) => void;
  /** Everything here as it is exported (settings file). */
  readonly replaceAll: (words: { vocabulary?: unknown; rules?: unknown; expansions?: unknown }) => void;
}

let counter = 0;
/** A new rule or expansion id. */
export function newId(prefix: string): string {
  return `${prefix}-${Date.now().toString(36)}-${(++counter).toString(36)}`;
}

const pairKey = (o: CorrectionOffer) => `${o.from.toLowerCase()}→${o.to.toLowerCase()}`;

/** Rules read back from storage or a file: only well-formed ones. */
export function readRules(value: unknown): ReplacementRule[] {
  if (!Array.isArray(value)) return [];
  return value
    .filter((r): r is Record<string, unknown> => typeof r === 'object' && r !== null)
    .filter((r) => typeof r.find === 'string' && typeof r.replace === 'string')
    .slice(0, MAX_RULES)
    .map((r) => ({
      id: typeof r.id === 'string' ? r.id : newId('rule'),
      find: r.find as string,
      replace: r.replace as string,
      ...(r.regex === true && { regex: true }),
      ...(r.caseSensitive === true && { caseSensitive: true }),
      ...(r.enabled === false && { enabled: false }),
    }));
}

/** Expansions read back from storage or a file. */
export function readExpansions(value: unknown): TextExpansion[] {
  if (!Array.isArray(value)) return [];
  return value
    .filter((e): e is Record<string, unknown> => typeof e === 'object' && e !== null)
    .filter((e) => typeof e.phrase === 'string' && typeof e.snippet === 'string')
    .slice(0, MAX_RULES)
    .map((e) => ({ id: typeof e.id === 'string' ? e.id : newId('exp'), phrase: e.phrase as string, snippet: e.snippet as string }));
}

/** Terms read back from storage or a settings file: only well-formed ones. */
function readTerms(value: unknown): VocabularyTerm[] {
  if (!Array.isArray(value)) return [];
  const terms = value
    .filter((t): t is Record<string, unknown> => typeof t === 'object' && t !== null && typeof (t as { text?: unknown }).text === 'string')
    .map((t) => cleanTerm(t.text as string, typeof t.soundsLike === 'string' ? t.soundsLike : undefined))
    .filter((t): t is VocabularyTerm => t !== null);
  return uniqueTerms(terms).slice(0, MAX_TERMS);
}

export const useWords = create<WordsState>()(
  persist(
    (set, get) => ({
      vocabulary: [],
      rules: [],
      expansions: [],
      dismissed: [],
      offerCorrections: true,
      offer: null,
      addTerm(text, soundsLike) {
        const term = cleanTerm(text, soundsLike);
        if (!term) return false;
        const rest = get().vocabulary.filter((t) => t.text.toLowerCase() !== term.text.toLowerCase());
        set({ vocabulary: [...rest, term].slice(0, MAX_TERMS) });
        return true;
      },
      removeTerm(text) {
        set((s) => ({ vocabulary: s.vocabulary.filter((t) => t.text !== text) }));
      },
      addTerms(terms) {
        const before = get().vocabulary.length;
        const vocabulary = uniqueTerms([...get().vocabulary, ...terms]).slice(0, MAX_TERMS);
        set({ vocabulary });
        return vocabulary.length - before;
      },
      setRules: (rules) => set({ rules: rules.slice(0, MAX_RULES) }),
      setExpansions: (expansions) => set({ expansions: expansions.slice(0, MAX_RULES) }),
      proposeCorrection(offer) {
        const s = get();
        if (!s.offerCorrections || s.offer || s.dismissed.includes(pairKey(offer))) return;
        if (s.rules.some((r) => !r.regex && r.find.trim().toLowerCase() === offer.from.toLowerCase())) return;
        set({ offer });
      },
      acceptOffer() {
        const { offer, rules } = get();
        if (!offer) return;
        set({ rules: [...rules, { id: newId('rule'), find: offer.from, replace: offer.to }].slice(0, MAX_RULES), offer: null });
        // The word as the user writes it, so every service is told of it too.
        get().addTerm(offer.to);
      },
      dismissOffer(forever) {
        const { offer, dismissed } = get();
        if (!offer) return;
        set({ offer: null, dismissed: forever ? [...dismissed, pairKey(offer)] : dismissed });
      },
      setOfferCorrections: (offerCorrections) => set({ offerCorrections, ...(offerCorrections ? {} : { offer: null }) }),
      replaceAll(words) {
        set({
          vocabulary: readTerms(words.vocabulary),
          rules: readRules(words.rules),
          expansions: readExpansions(words.expansions),
        });
      },
    }),
    {
      name: 'dictate-words',
      storage: createJSONStorage(() => localStorage),
      partialize: (s) => ({
        vocabulary: s.vocabulary,
        rules: s.rules,
        expansions: s.expansions,
        dismissed: s.dismissed,
        offerCorrections: s.offerCorrections,
      }),
      // Storage is user-editable: keep only what reads back well-formed.
      merge: (persisted, current) => {
        const p = (persisted ?? {}) as Record<string, unknown>;
        return {
          ...current,
          vocabulary: readTerms(p.vocabulary),
          rules: readRules(p.rules),
          expansions: readExpansions(p.expansions),
          dismissed: Array.isArray(p.dismissed) ? p.dismissed.filter((d): d is string => typeof d === 'string') : [],
          offerCorrections: p.offerCorrections !== false,
        };
      },
    },
  ),
);

let compiledFor: { rules: readonly ReplacementRule[]; expansions: readonly TextExpansion[]; compiled: CompiledRules } | null = null;

/** The rules and expansions compiled (again only when they changed). */
export function compiledRules(): CompiledRules {
  const { rules, expansions } = useWords.getState();
  if (compiledFor?.rules !== rules || compiledFor.expansions !== expansions) {
    compiledFor = { rules, expansions, compiled: compileRules(rules, expansions) };
  }
  return compiledFor.compiled;
}
