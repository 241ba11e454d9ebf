/**
 * A streaming recognizer over one pooled PocketSphinx decoder. Write PCM16 at 16 kHz; events arrive as
 * the decoder hears speech. Audio goes through a {@link ChunkQueue} (20 ms chunks, one decode in flight);
 * ending an utterance, reading its words and closing are jobs in the same queue, so the decoder is never
 * touched by two calls at once, and every call that can take milliseconds runs off the event loop.
 *
 * Voice activity comes from the decoder's own VAD (`ps_get_in_speech`): an utterance starts when it
 * reports speech and ends, with a final hypothesis, when it reports silence again. Times are the
 * decoder's own: its frame counter (10 ms frames) runs across utterances from the start of the stream,
 * so a word's segment frames are its stream time.
 */
import type { CepstralMeanState } from './cepstral-mean';
import { ChunkQueue } from './chunk-queue';
import { ENGINE_SAMPLE_RATE, type RecognizedWord, type Recognizer, type RecognizerEvents, type VocabularyTerm } from './engine';
import type { LetterToSound } from './letter-to-sound';
import { call, type Bindings, type Pointer } from './pocketsphinx-bindings';
import type { LoadedDecoder } from './pocketsphinx-pool';
import { applyVocabulary, type StreamVocabulary } from './pocketsphinx-vocabulary';

/** A stream's vocabulary and where pronunciations for its unknown words come from. */
export interface VocabularyRequest {
  readonly terms: readonly VocabularyTerm[];
  readonly lts: LetterToSound | null;
  /** Told what could not be applied (a log line; the stream goes on without it). */
  readonly report: (message: string) => void;
  /** The vocabulary model's interpolation weight. */
  readonly weight?: number;
}

/**
 * Audio decoded per call, samples (20 ms). Always exactly this much (but the last piece at `finish()`):
 * voice activity is read between calls, so a fixed size makes utterance boundaries the same however
 * the audio arrives.
 */
export const CHUNK_SAMPLES = 320;
/** Queued audio above which the recognizer asks its source to pause, samples (10 s). */
export const BACKLOG_HIGH_SAMPLES = 10 * 16_000;
/** Queued audio under which it asks the source to resume, samples (2 s). */
export const BACKLOG_LOW_SAMPLES = 2 * 16_000;

/** Samples per decoder frame (-frate 100: 10 ms at 16 kHz). */
const SAMPLES_PER_FRAME = ENGINE_SAMPLE_RATE / 100;
/** Silences and fillers in a segmentation: <s>, </s>, <sil>, [NOISE], ++BREATH++ … */
const FILLER = /^(<.*>|\[.*\]|\+\+.*\+\+)$/;
/** `word(2)`: the dictionary's second pronunciation of `word`. */
const ALTERNATE_PRONUNCIATION = /\(\d+\)$/;

function samplesToMs(samples: number): number {
  return Math.round((samples * 1000) / ENGINE_SAMPLE_RATE);
}

/** A recognizer for one stream; the decoder goes back to its pool on `close()`. */
export class PocketSphinxRecognizer implements Recognizer {
  private readonly queue: ChunkQueue;
  private readonly decoder: Pointer;
  private inUtterance = false;
  private samplesSincePartial = 0;
  private lastPartial = '';
  private closed = false;
  /** Samples decoded since the recognizer started. */
  private decodedSamples = 0;
  /** Wall time spent in {@link decode}, ms. */
  private decodeMs = 0;
  /** Stream position where the decoder's VAD reported speech, samples (the end of that chunk). */
  private speechStartSample = 0;
  /** The cepstral mean when the utterance in progress started: kept again if it ends without a word. */
  private cmnBeforeUtterance: CepstralMeanState | null = null;
  /** The stream's vocabulary, while it has one. */
  private vocabulary: StreamVocabulary | null = null;
  /** False once the decoder has been changed in a way a later stream must not inherit. */
  private reusable = true;

  /**
   * Use {@link start}: the decoder is reset (off the event loop) before the recognizer is handed out.
   * @param partialIntervalSamples shortest audio between two partials, samples
   */
  private constructor(
    private readonly c: Bindings,
    private readonly loaded: LoadedDecoder,
    private readonly events: RecognizerEvents,
    private readonly partialIntervalSamples: number,
    private readonly release: (loaded: LoadedDecoder, healthy: boolean) => void,
  ) {
    this.decoder = loaded.decoder;
    this.queue = new ChunkQueue({
      chunkSamples: CHUNK_SAMPLES,
      highWaterSamples: BACKLOG_HIGH_SAMPLES,
      lowWaterSamples: BACKLOG_LOW_SAMPLES,
      decode: async (chunk) => {
        const t0 = performance.now();
        try {
          await this.decode(chunk);
        } finally {
          this.decodeMs += performance.now() - t0;
        }
      },
      backpressure: (paused) => events.backpressure(paused),
      error: (cause) => events.error(cause),
    });
  }

  /**
   * A recognizer on `loaded`, in a fresh decoder's state whoever it served before. ps_start_stream
   * resets the front end's noise estimate (which the VAD decides by) and the frame counter; the cepstral
   * mean is not part of the stream in sphinxbase, so it is put back as it was when the model was loaded.
   * @throws Error if the decoder cannot start an utterance
   */
  static async start(
    c: Bindings,
    loaded: LoadedDecoder,
    events: RecognizerEvents,
    partialIntervalSamples: number,
    release: (loaded: LoadedDecoder, healthy: boolean) => void,
    vocabulary?: VocabularyRequest,
  ): Promise<PocketSphinxRecognizer> {
    const recognizer = new PocketSphinxRecognizer(c, loaded, events, partialIntervalSamples, release);
    c.ps_start_stream(loaded.decoder);
    if (loaded.cmn && loaded.freshCmn) loaded.cmn.write(loaded.freshCmn);
    if (vocabulary && vocabulary.terms.length > 0) {
      try {
        recognizer.vocabulary = await applyVocabulary(
          c,
          loaded.config,
          loaded.decoder,
          vocabulary.terms,
          vocabulary.lts,
          vocabulary.weight,
        );
        const missing = recognizer.vocabulary?.missing ?? [];
        if (missing.length > 0) vocabulary.report(`no pronunciation for ${missing.length} vocabulary word(s); they are left out`);
      } catch (cause) {
        // The stream goes on with the model's own language model; this decoder is not reused.
        vocabulary.report(`vocabulary not applied: ${cause instanceof Error ? cause.message : String(cause)}`);
        recognizer.reusable = false;
      }
    }
    try {
      await recognizer.startUtterance();
    } catch (cause) {
      release(loaded, false);
      throw cause;
    }
    return recognizer;
  }

  write(samples: Int16Array): void {
    if (!this.closed) this.queue.write(samples);
  }

  decodeTime(): { decodeMs: number; audioMs: number } {
    return { decodeMs: this.decodeMs, audioMs: samplesToMs(this.decodedSamples) };
  }

  /** Decodes everything queued, then ends the utterance in progress (`final` and `speechStopped` first). */
  async finish(): Promise<void> {
    if (this.closed) return;
    this.queue.flush();
    await this.queue.after(async () => {
      if (!this.closed && this.inUtterance) await this.endUtterance();
    });
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.queue.clear();
    // Ends the utterance in progress (its words are not wanted) so the decoder can serve another stream.
    await this.queue.after(() => call(this.c.ps_end_utt, this.decoder));
    await this.queue.idle();
    // A decoder whose dictionary grew keeps those words: it is freed, not pooled (docs/engines.md).
    const restored = this.vocabulary ? await this.vocabulary.restore().catch(() => false) : true;
    this.release(this.loaded, !this.queue.failed && this.reusable && restored);
  }

  /** Starts an utterance, noting the cepstral mean it starts from. */
  private async startUtterance(): Promise<void> {
    const result = await call<number>(this.c.ps_start_utt, this.decoder);
    if (result < 0) throw new Error(`ps_start_utt failed (${result}).`);
    this.cmnBeforeUtterance = this.loaded.cmn?.read() ?? null;
  }

  /** One chunk through the decoder, then what its VAD says now. */
  private async decode(chunk: Int16Array): Promise<void> {
    const result = await call<number>(this.c.ps_process_raw, this.decoder, chunk, chunk.length, 0, 0);
    if (result < 0) throw new Error(`ps_process_raw failed (${result}).`);
    if (this.closed) return;
    this.decodedSamples += chunk.length;
    const inSpeech = Boolean(this.c.ps_get_in_speech(this.decoder));
    if (inSpeech && !this.inUtterance) {
      this.inUtterance = true;
      this.speechStartSample = this.decodedSamples;
      this.samplesSincePartial = 0;
      this.lastPartial = '';
      this.events.speechStarted();
    } else if (!inSpeech && this.inUtterance) return this.endUtterance();
    if (!this.inUtterance) return;
    this.samplesSincePartial += chunk.length;
    if (this.samplesSincePartial < this.partialIntervalSamples) return;
    this.samplesSincePartial = 0;
    const text = await this.hypothesis();
    if (text && text !== this.lastPartial && !this.closed) {
      this.lastPartial = text;
      this.events.partial(text);
    }
  }

  private async endUtterance(): Promise<void> {
    const ended = await call<number>(this.c.ps_end_utt, this.decoder);
    if (ended < 0) throw new Error(`ps_end_utt failed (${ended}).`);
    const text = await this.hypothesis();
    const words = await this.words();
    // ps_end_utt has set the cepstral mean to the average of this utterance. With no word in it, it was
    // not speech (the VAD's false start on a noise floor, a hum, a click), and learning its cepstrum
    // would ruin the speech after it: keep the mean the utterance started from.
    if (words.length === 0 && this.cmnBeforeUtterance) this.loaded.cmn?.write(this.cmnBeforeUtterance);
    this.inUtterance = false;
    this.lastPartial = '';
    // Where the decoder placed the words; an utterance without words spans the speech its VAD heard.
    const last = words.at(-1);
    const startMs = words[0]?.startMs ?? samplesToMs(this.speechStartSample);
    const endMs = last ? last.startMs + last.durationMs : samplesToMs(this.decodedSamples);
    this.events.final({
      text,
      startMs,
      durationMs: Math.max(0, endMs - startMs),
      words,
      endpointMs: samplesToMs(this.decodedSamples),
    });
    this.events.speechStopped();
    await this.startUtterance();
  }

  /** The best path's words with stream times and posteriors (fillers and silences left out). */
  private async words(): Promise<RecognizedWord[]> {
    const c = this.c;
    const logmath = c.ps_get_logmath(this.decoder);
    const words: RecognizedWord[] = [];
    const sf = [0];
    const ef = [0];
    const scores = [[0], [0], [0]];
    // The segmentation is computed by ps_seg_iter (a backtrace): off the event loop. Reading each
    // segment is a few field reads.
    for (let seg = await call<Pointer>(c.ps_seg_iter, this.decoder); seg; seg = c.ps_seg_next(seg)) {
      const raw = c.ps_seg_word(seg) as string | null;
      if (!raw || FILLER.test(raw)) continue;
      c.ps_seg_frames(seg, sf, ef);
      const logProb = c.ps_seg_prob(seg, scores[0], scores[1], scores[2]) as number;
      const confidence = Math.min(1, Math.max(0, c.logmath_exp(logmath, logProb) as number));
      // Segment frames count from the start of the stream (see the module comment).
      words.push({
        text: raw.replace(ALTERNATE_PRONUNCIATION, ''),
        startMs: samplesToMs(sf[0] * SAMPLES_PER_FRAME),
        durationMs: samplesToMs((ef[0] + 1 - sf[0]) * SAMPLES_PER_FRAME),
        confidence: Math.round(confidence * 1000) / 1000,
      });
    }
    if (!this.vocabulary) return words;
    const spelt = this.vocabulary.spell(words.map((w) => w.text));
    return words.map((w, i) => ({ ...w, text: spelt[i] }));
  }

  /** The running hypothesis, in the vocabulary's spelling. */
  private async hypothesis(): Promise<string> {
    const hyp = ((await call<string | null>(this.c.ps_get_hyp, this.decoder, null)) ?? '').trim();
    return this.vocabulary && hyp ? this.vocabulary.spell(hyp.split(/\s+/)).join(' ') : hyp;
  }
}
