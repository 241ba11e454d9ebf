/**
 * What a speech engine is to the server: something that opens one {@link Recognizer} per stream.
 * Dialect code knows only this interface; a second engine is one more implementation of it.
 *
 * An engine that cannot run (missing libraries or model) is still an engine: its `open()` rejects
 * with what to install, and `health()` says the same for `/healthz` and for the dialects that refuse
 * at the upgrade.
 */

/** Sample rate every recognizer takes, Hz (PCM16 mono). */
export const ENGINE_SAMPLE_RATE = 16_000;

/** One recognised word, in stream time (since the recognizer's first sample). */
export interface RecognizedWord {
  readonly text: string;
  /** ms */
  readonly startMs: number;
  /** ms */
  readonly durationMs: number;
  /** Posterior probability, 0–1. */
  readonly confidence: number;
}

/** A finished utterance, in stream time as the engine reports it. */
export interface Utterance {
  /** The words, space-joined; may be empty when the VAD heard noise but no word. */
  readonly text: string;
  /** Start of the first word (of the speech, when there is no word), ms since the first sample. */
  readonly startMs: number;
  /** From `startMs` to the end of the last word (of the speech), ms. */
  readonly durationMs: number;
  readonly words: readonly RecognizedWord[];
  /**
   * Where the end of the utterance was decided, ms since the first sample: the audio decoded when the
   * engine's VAD heard enough silence (or `finish()` was called). Minus the end of the last word, it is
   * the endpoint delay (docs/metrics.md, "Endpointing").
   */
  readonly endpointMs?: number;
}

/** Events of one recognition stream, in order. */
export interface RecognizerEvents {
  speechStarted(): void;
  /** The running hypothesis changed. */
  partial(text: string): void;
  /** An utterance ended. Its `text` may be empty when the VAD heard noise but no word. */
  final(utterance: Utterance): void;
  speechStopped(): void;
  /** The recognizer failed; it is unusable afterwards. */
  error(error: Error): void;
  /**
   * Too much audio is waiting to be decoded (`true`): stop reading input until it is called with
   * `false`. Nothing is dropped either way.
   */
  backpressure(paused: boolean): void;
}

/**
 * A word or phrase the user wants heard (docs/protocols.md, "Vocabulary"): its spelling, and how it
 * sounds where that is not obvious from the spelling.
 */
export interface VocabularyTerm {
  /** As the user writes it, e.g. `Dashwood` or `John Dashwood`. */
  readonly text: string;
  /** Words that sound like it, e.g. `dash wood`. */
  readonly soundsLike?: string;
}

/** Most terms one stream takes; more are ignored (the client is told its own limits). */
export const MAX_VOCABULARY_TERMS = 500;

/**
 * One term as the local dialects carry it: `Dashwood (dash wood)` is the term `Dashwood` that sounds
 * like "dash wood"; a term without parentheses has no hint. Null for an empty term.
 */
export function parseVocabularyTerm(written: string): VocabularyTerm | null {
  const m = /^(.*?)\s*\(([^()]*)\)\s*$/.exec(written.trim());
  const text = (m ? m[1] : written).trim().slice(0, 100);
  const soundsLike = m?.[2].trim().slice(0, 100);
  if (!text) return null;
  return soundsLike ? { text, soundsLike } : { text };
}

/** Terms as a dialect received them (one per item): parsed, duplicates dropped, at most {@link MAX_VOCABULARY_TERMS}. */
export function vocabularyOf(items: readonly string[]): VocabularyTerm[] {
  const seen = new Set<string>();
  const out: VocabularyTerm[] = [];
  for (const item of items) {
    const term = parseVocabularyTerm(item);
    if (!term || seen.has(term.text.toLowerCase())) continue;
    seen.add(term.text.toLowerCase());
    out.push(term);
    if (out.length === MAX_VOCABULARY_TERMS) break;
  }
  return out;
}

/** Options of one stream. */
export interface RecognizerOptions {
  /** Words and phrases to favour, for this stream only. */
  readonly vocabulary?: readonly VocabularyTerm[];
}

/** A streaming recognizer: PCM16 at {@link ENGINE_SAMPLE_RATE} in, {@link RecognizerEvents} out. */
export interface Recognizer {
  /** Queues samples for decoding, in order. Ignored after `close()` or a failure. */
  write(samples: Int16Array): void;
  /** Decodes everything written so far and ends the utterance in progress (its `final` is emitted first). */
  finish(): Promise<void>;
  /** Frees the recognizer once pending work is done. Idempotent. */
  close(): Promise<void>;
  /**
   * Time spent decoding so far, ms of wall time (each chunk from its call into the engine to its
   * result), and the audio decoded, ms: their ratio is the stream's real-time factor, which
   * `GET /metrics` reports (docs/metrics.md, "Server metrics"). Optional for engines that cannot say.
   */
  decodeTime?(): { readonly decodeMs: number; readonly audioMs: number };
}

/** Whether an engine can run, and if not, what to install. */
export type EngineHealth =
  | {
      readonly ready: true;
      readonly name: string;
      /** Decoders loaded and free for the next session, where the engine pools them. */
      readonly idleDecoders?: number;
      /** Open streams by decoder profile, where the engine has more than one (e.g. `two-pass`, `one-pass`). */
      readonly streams?: Readonly<Record<string, number>>;
    }
  | { readonly ready: false; readonly reason: string };

/** A speech engine. */
export interface SpeechEngine {
  /** Whether it can run (for `/healthz`, the start-up banner, and refusals at the upgrade). */
  health(): EngineHealth;
  /**
   * Opens a recognizer for one stream.
   * @throws Error (rejects) with an install instruction when the engine cannot run, or why the
   *   recognizer could not be created.
   */
  open(events: RecognizerEvents, options?: RecognizerOptions): Promise<Recognizer>;
}

/** An engine that cannot run: every `open()` rejects with `reason` (what to install). */
export function unavailableEngine(reason: string): SpeechEngine {
  return {
    health: () => ({ ready: false, reason }),
    open: () => Promise.reject(new Error(reason)),
  };
}
