/**
 * What each service is sent of the user's vocabulary (docs/protocols.md, "Vocabulary"), through its own
 * biasing mechanism as its documentation names it: VoiceRun `session.prompt` (keywords for Deepgram,
 * context for OpenAI), Speechall `custom_vocabulary` (and `initial_prompt` for OpenAI models), and
 * nothing to Reson8, whose realtime API documents only `custom_model_id`. Pure: Settings shows the same
 * plan the adapter sends.
 */
import { writeTerm, type VocabularyTerm } from '../core/vocabulary';

/** Most terms Dictate sends on one connection (the local server's limit, too). */
export const MAX_SENT_TERMS = 500;

/**
 * Longest `custom_vocabulary` part of a Speechall URL, characters once encoded. Speechall documents no
 * limit; servers and proxies commonly refuse request lines over 8 KB, and the rest of the URL needs room.
 */
export const SPEECHALL_VOCABULARY_CHARS = 6000;

/** How a service takes a vocabulary. */
export interface VocabularySupport {
  /** Its parameter, as its documentation names it (e.g. `session.prompt`); null when it has none. */
  readonly field: string | null;
  /** One sentence for Settings: what is sent, or why nothing is. */
  readonly note: string;
}

/** What one connection sends: the terms as written on the wire, and what was left out and why. */
export interface VocabularyPlan {
  /** Each term as sent (`Dashwood`, or `Dashwood (dash wood)` to the local engine, which reads hints). */
  readonly sent: readonly string[];
  readonly cut: readonly VocabularyTerm[];
  /** Why terms were cut, when some were. */
  readonly reason: string | null;
}

/** The terms as the wire carries them: hints only where the receiver reads them (the local engine). */
function written(terms: readonly VocabularyTerm[], hints: boolean): string[] {
  return terms.map((t) => (hints ? writeTerm(t) : t.text));
}

/** At most {@link MAX_SENT_TERMS}, then as many as fit in `budget` (each costing `cost(term)`). */
export function planVocabulary(
  terms: readonly VocabularyTerm[],
  hints: boolean,
  budget: { readonly chars: number; readonly cost: (written: string) => number; readonly why: string } | null = null,
): VocabularyPlan {
  const sent: string[] = [];
  const cut: VocabularyTerm[] = [];
  let used = 0;
  let reason: string | null = null;
  written(terms, hints).forEach((w, i) => {
    if (sent.length >= MAX_SENT_TERMS) {
      cut.push(terms[i]);
      reason ??= `Dictate sends at most ${MAX_SENT_TERMS} terms.`;
      return;
    }
    const cost = budget ? budget.cost(w) : 0;
    if (budget && used + cost > budget.chars) {
      cut.push(terms[i]);
      reason ??= budget.why;
      return;
    }
    used += cost;
    sent.push(w);
  });
  return { sent, cut, reason };
}

/** The URL budget of Speechall's repeated `custom_vocabulary` parameters. */
export const SPEECHALL_BUDGET = {
  chars: SPEECHALL_VOCABULARY_CHARS,
  cost: (w: string) => '&custom_vocabulary='.length + encodeURIComponent(w).length,
  why: `Speechall takes the vocabulary in the connection URL: what did not fit in ${SPEECHALL_VOCABULARY_CHARS} characters is left out.`,
} as const;

/**
 * How each service takes a vocabulary, by service id. Kept here, not in the service definitions: only
 * Settings and the adapters (both loaded when first needed) use it.
 */
export const VOCABULARY_SUPPORT: Readonly<Record<string, VocabularySupport>> = {
  voicerun: {
    field: 'session.prompt',
    note: 'Sent in session.prompt, comma-separated: keyterms for Deepgram and ElevenLabs models, context for OpenAI, Qwen and Soniox (Cartesia takes none).',
  },
  speechall: {
    field: 'custom_vocabulary',
    note: 'Sent as custom_vocabulary, one parameter per term, beside the words in its own Custom vocabulary field; OpenAI models also get them in initial_prompt.',
  },
  reson8: {
    field: null,
    note: 'Reson8 realtime documents no vocabulary or prompt, only custom_model_id (a model trained for you): the vocabulary is not sent.',
  },
};

/**
 * What a connection to `serviceId` sends of `terms`: the plan its adapter follows, for Settings to show.
 * @param local - the local engine speaking that dialect (it reads "sounds like" hints)
 */
export function servicePlan(serviceId: string, terms: readonly VocabularyTerm[], local: boolean): VocabularyPlan {
  if (!VOCABULARY_SUPPORT[serviceId]?.field) {
    return { sent: [], cut: terms, reason: terms.length ? 'This service documents no way to send a vocabulary.' : null };
  }
  return planVocabulary(terms, local, serviceId === 'speechall' ? SPEECHALL_BUDGET : null);
}

/** Terms and the user's own text for a prompt, comma-separated as the services' examples write keywords. */
export function joinPrompt(own: string, sent: readonly string[]): string {
  return [own.trim(), ...sent].filter(Boolean).join(', ');
}
