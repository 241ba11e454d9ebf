/**
 * Pronunciations for words the recognizer's dictionary lacks, from flite's CMU lexicon and its
 * letter-to-sound rules (Debian's libflite1, through koffi). Phones come back in the CMU phone set the
 * en-us acoustic model uses (ARPAbet without stress marks).
 */
import koffi from 'koffi';

/** A word → its phones (e.g. `D AE SH W UH D`), or null when none can be made. */
export type LetterToSound = (word: string) => string | null;

/** flite's phones that the en-us model names otherwise. */
const PHONE_NAMES: Readonly<Record<string, string>> = { AX: 'AH', AXR: 'ER', PAU: '' };

/** The en-us acoustic model's phones (its `mdef`, less SIL). */
const MODEL_PHONES = new Set(
  'AA AE AH AO AW AY B CH D DH EH ER EY F G HH IH IY JH K L M N NG OW OY P R S SH T TH UH UW V W Y Z ZH'.split(' '),
);

let loaded: LetterToSound | null | undefined;

/**
 * flite's letter to sound, loaded on first use.
 * @returns null when libflite1 is not installed (words the dictionary lacks then need a hint)
 */
export function fliteLetterToSound(): LetterToSound | null {
  if (loaded !== undefined) return loaded;
  try {
    const flite = koffi.load('libflite.so.1');
    const lexLib = koffi.load('libflite_cmulex.so.1');
    const lexicon = (lexLib.func('void *cmu_lex_init()') as () => unknown)();
    const lookup = flite.func('void *lex_lookup(void *l, const char *word, const char *pos, void *feats)') as (...a: unknown[]) => unknown;
    const car = flite.func('void *val_car(void *v)') as (v: unknown) => unknown;
    const cdr = flite.func('void *val_cdr(void *v)') as (v: unknown) => unknown;
    const text = flite.func('const char *val_string(void *v)') as (v: unknown) => string | null;
    const free = flite.func('void delete_val(void *v)') as (v: unknown) => void;
    loaded = (word) => {
      const letters = word.toLowerCase().replace(/[^a-z']/g, '');
      if (!letters) return null;
      const list = lookup(lexicon, letters, null, null);
      if (!list) return null;
      const phones: string[] = [];
      for (let v: unknown = list; v; v = cdr(v)) phones.push(text(car(v)) ?? '');
      free(list);
      return toModelPhones(phones);
    };
  } catch {
    loaded = null;
  }
  return loaded;
}

/**
 * flite's phones (`d ae1 sh w uh1 d`) → the model's (`D AE SH W UH D`).
 * @returns null when nothing is left, or a phone the model does not have
 */
export function toModelPhones(phones: readonly string[]): string | null {
  const out: string[] = [];
  for (const phone of phones) {
    const bare = phone.replace(/\d/g, '').toUpperCase();
    const name = PHONE_NAMES[bare] ?? bare;
    if (!name) continue;
    if (!MODEL_PHONES.has(name)) return null;
    out.push(name);
  }
  return out.length > 0 ? out.join(' ') : null;
}
