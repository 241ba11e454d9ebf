/**
 * A stream's vocabulary in PocketSphinx (docs/protocols.md, "Vocabulary"): words the dictionary lacks
 * are added with a pronunciation (the user's "sounds like" hint, else flite's letter to sound), and
 * the decoder searches with a language model set that interpolates the model's own n-grams with a
 * unigram model of the vocabulary, so its words become likely wherever they are said. When the stream
 * ends, the decoder goes back to the model's own search; a decoder whose dictionary grew is not reused.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { VocabularyTerm } from './engine';
import type { LetterToSound } from './letter-to-sound';
import { call, type Bindings, type Pointer } from './pocketsphinx-bindings';

/**
 * The vocabulary model's weight in the interpolation (the model's own gets the rest). Chosen by
 * `npm run bench -- --only vocabulary` (docs/engines.md, "Vocabulary").
 */
export const VOCABULARY_WEIGHT = 0.05;

/** The search a stream with a vocabulary decodes with. */
const SEARCH = 'dictate-vocabulary';
/** sphinxbase's `NGRAM_ARPA`. */
const NGRAM_ARPA = 1;

/** A term's words as the dictionary spells them: lower case, letters, digits and apostrophes. */
export function dictionaryWords(text: string): string[] {
  return text
    .toLowerCase()
    .split(/\s+/)
    .map((w) => w.replace(/[^\p{L}\p{N}']/gu, ''))
    .filter(Boolean);
}

/** A vocabulary applied to one decoder. */
export interface StreamVocabulary {
  /** Words added to the dictionary, with the phones they were given. */
  readonly added: ReadonlyMap<string, string>;
  /** Words left out: no pronunciation could be made. */
  readonly missing: readonly string[];
  /** Recognised words → the user's spelling, where a term (one word or a phrase) matches. */
  spell(words: readonly string[]): string[];
  /**
   * Back to the model's own search.
   * @returns whether the decoder is as it was loaded (no word was added to its dictionary)
   */
  restore(): Promise<boolean>;
}

/** Replaces each run of recognised words that spells a term with the term's own spelling. */
export function speller(terms: readonly VocabularyTerm[]): (words: readonly string[]) => string[] {
  const phrases = terms
    .map((t) => ({ match: dictionaryWords(t.text), spelt: t.text.trim().split(/\s+/) }))
    .filter((p) => p.match.length > 0 && p.match.length === p.spelt.length)
    .sort((a, b) => b.match.length - a.match.length);
  return (words) => {
    const out = [...words];
    const lower = words.map((w) => w.toLowerCase());
    for (let i = 0; i < out.length; i++) {
      const phrase = phrases.find((p) => p.match.every((w, k) => lower[i + k] === w));
      if (!phrase) continue;
      phrase.spelt.forEach((w, k) => (out[i + k] = w));
      i += phrase.match.length - 1;
    }
    return out;
  };
}

/** A unigram ARPA model of `words`, equally likely; sentence marks as unlikely as ARPA can say. */
export function unigramArpa(words: readonly string[]): string {
  const p = Math.log10(1 / words.length).toFixed(4);
  const lines = [...words.map((w) => `${p} ${w}`), '-99.0000 <s>', '-99.0000 </s>'];
  return `\\data\\\nngram 1=${lines.length}\n\n\\1-grams:\n${lines.join('\n')}\n\n\\end\\\n`;
}

/**
 * Applies `terms` to a decoder between utterances.
 * @param lts - pronunciations for words neither in the dictionary nor hinted; null when unavailable
 * @returns null when no term has a word the decoder can take (nothing changed)
 * @throws Error when PocketSphinx refuses the model set (the decoder is restored first where it can be)
 */
export async function applyVocabulary(
  c: Bindings,
  config: Pointer,
  decoder: Pointer,
  terms: readonly VocabularyTerm[],
  lts: LetterToSound | null,
  weight: number = VOCABULARY_WEIGHT,
): Promise<StreamVocabulary | null> {
  const lookup = (word: string) => (c.ps_lookup_word(decoder, word) as string | null) || null;
  const added = new Map<string, string>();
  const missing: string[] = [];
  const known = new Set<string>();
  for (const term of terms) {
    const words = dictionaryWords(term.text);
    for (const word of words) {
      if (known.has(word) || added.has(word) || missing.includes(word)) continue;
      if (lookup(word)) {
        known.add(word);
        continue;
      }
      // A hint is how the whole term sounds: it names the phones of a one-word term.
      const hinted = words.length === 1 && term.soundsLike ? pronounce(dictionaryWords(term.soundsLike), lookup, lts) : null;
      const phones = hinted ?? pronounce([word], lookup, lts);
      if (phones && (c.ps_add_word(decoder, word, phones, 0) as number) >= 0) added.set(word, phones);
      else missing.push(word);
    }
  }
  const words = [...known, ...added.keys()];
  const spell = speller(terms);
  if (words.length === 0) return { added, missing, spell, restore: () => Promise.resolve(added.size === 0) };

  const defaultSearch = c.ps_get_search(decoder) as string;
  const dir = await mkdtemp(join(tmpdir(), 'dictate-vocabulary-'));
  let vocabulary: Pointer = null;
  try {
    const file = join(dir, 'vocabulary.arpa');
    await writeFile(file, unigramArpa(words));
    vocabulary = await call<Pointer>(c.ngram_model_read, config, file, NGRAM_ARPA, c.ps_get_logmath(decoder));
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
  if (!vocabulary) throw new Error('PocketSphinx could not read the vocabulary model.');
  const model = languageModel(c, c.ps_get_lm(decoder, defaultSearch));
  const set = model
    ? await call<Pointer>(c.ngram_model_set_init, config, [model, vocabulary], ['model', 'vocabulary'], [1 - weight, weight], 2)
    : null;
  // The set holds its own reference to each model; the search holds one to the set.
  await call(c.ngram_model_free, vocabulary);
  if (!set) throw new Error('PocketSphinx could not combine the vocabulary with its language model.');
  const searched = await call<number>(c.ps_set_lm, decoder, SEARCH, set);
  await call(c.ngram_model_free, set);
  if (searched < 0 || (await call<number>(c.ps_set_search, decoder, SEARCH)) < 0) {
    await call(c.ps_set_search, decoder, defaultSearch);
    throw new Error('PocketSphinx could not search with the vocabulary.');
  }
  return {
    added,
    missing,
    spell,
    async restore() {
      const back = await call<number>(c.ps_set_search, decoder, defaultSearch);
      await call(c.ps_unset_search, decoder, SEARCH);
      return back >= 0 && added.size === 0;
    },
  };
}

/**
 * The model a search decodes with. A search keeps its model inside a set of one; a new search made
 * with that set (a set in a set) decodes differently from the default search, measurably (clip 0920:
 * "woman in my head that" for "woman he might have been", whatever the vocabulary's weight), while one
 * made with the model itself decodes exactly as the default search does.
 */
function languageModel(c: Bindings, searchModel: Pointer): Pointer {
  if (!searchModel) return null;
  const iter = c.ngram_model_set_iter(searchModel);
  if (!iter) return searchModel;
  const inner = c.ngram_model_set_iter_model(iter, [null]);
  c.ngram_model_set_iter_free(iter);
  return inner ?? searchModel;
}

/** Phones for a sequence of words: each from the dictionary, else from letter to sound. */
function pronounce(words: readonly string[], lookup: (w: string) => string | null, lts: LetterToSound | null): string | null {
  if (words.length === 0) return null;
  const phones: string[] = [];
  for (const word of words) {
    const p = lookup(word) ?? lts?.(word) ?? null;
    if (!p) return null;
    phones.push(p);
  }
  return phones.join(' ');
}
