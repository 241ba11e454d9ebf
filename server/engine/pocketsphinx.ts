/**
 * CMU PocketSphinx (Debian's libpocketsphinx3 + pocketsphinx-en-us), called through koffi.
 *
 * One decoder per session. Audio is decoded on koffi's worker threads (`fn.async`), one call at a
 * time per decoder, so sessions do not block the event loop or each other. Voice activity comes from
 * the decoder's own VAD (`ps_get_in_speech`): an utterance starts when it reports speech and ends,
 * with a final hypothesis, when it reports silence again.
 *
 * Times are the decoder's own: its frame counter (10 ms frames) runs across utterances from the start
 * of the stream, so a word's segment frames are its stream time.
 *
 * Decoders are pooled: one that a session is done with is kept for the next session, up to
 * `poolSize`; more are freed. A pooled decoder must decode exactly like a fresh one, so every stream
 * starts from a fresh decoder's state (see {@link PocketSphinxRecognizer}'s constructor).
 *
 * What came before the speech must not change its words (docs/engines.md): an utterance in which the
 * decoder found no word (its VAD heard noise, hum or dither) leaves the cepstral mean as it was before
 * it; see `cepstral-mean.ts` for why this is the root of "a pause before speaking turns the dictation
 * into nonsense".
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import koffi from 'koffi';
import { locateCepstralMean, type CepstralMean, type CepstralMeanState } from './cepstral-mean';
import {
  ENGINE_SAMPLE_RATE,
  unavailableEngine,
  type EngineHealth,
  type RecognizedWord,
  type Recognizer,
  type RecognizerEvents,
  type SpeechEngine,
} from './engine';

/** What to install when the engine cannot load (printed on the console and sent to clients). */
export const INSTALL_HINT =
  'PocketSphinx is not installed: run `sudo apt-get install libpocketsphinx3 pocketsphinx-en-us` (Debian/Ubuntu) and restart the server.';

/**
 * Audio decoded per call, samples (20 ms). Always exactly this much (but the last piece at `finish()`):
 * voice activity is read between calls, so a fixed size makes utterance boundaries, and with them the
 * transcript, the same however the audio arrives (live, in a burst, or replayed after a reconnect).
 */
const CHUNK_SAMPLES = 320;

/** Default model directory of Debian's pocketsphinx-en-us. */
export const DEFAULT_MODEL_DIR = '/usr/share/pocketsphinx/model/en-us';

type Pointer = unknown;
interface AsyncFn {
  (...args: unknown[]): unknown;
  async(...args: unknown[]): void;
}

/** The C functions used, bound once per process. */
interface Bindings {
  cmd_ln_init: AsyncFn;
  cmd_ln_free_r: AsyncFn;
  cmd_ln_str_r: AsyncFn;
  ps_args: AsyncFn;
  ps_init: AsyncFn;
  ps_free: AsyncFn;
  ps_start_stream: AsyncFn;
  ps_start_utt: AsyncFn;
  ps_end_utt: AsyncFn;
  ps_process_raw: AsyncFn;
  ps_get_hyp: AsyncFn;
  ps_get_in_speech: AsyncFn;
  ps_get_n_frames: AsyncFn;
  ps_get_logmath: AsyncFn;
  ps_get_feat: AsyncFn;
  ps_seg_iter: AsyncFn;
  ps_seg_next: AsyncFn;
  ps_seg_word: AsyncFn;
  ps_seg_frames: AsyncFn;
  ps_seg_prob: AsyncFn;
  ps_seg_free: AsyncFn;
  logmath_exp: AsyncFn;
}

/** Queued audio above which the recognizer asks its source to pause, samples (10 s). */
export const BACKLOG_HIGH_SAMPLES = 10 * 16_000;
/** Queued audio under which it asks the source to resume, samples (2 s). */
export const BACKLOG_LOW_SAMPLES = 2 * 16_000;

/** Engine options. */
export interface EngineOptions {
  /** Directory holding `en-us/`, `en-us.lm.bin`, `cmudict-en-us.dict`. */
  readonly modelDir?: string;
  /** Shortest audio between two partials, ms (default 200). */
  readonly partialIntervalMs?: number;
  /** Decoders kept loaded for reuse between sessions (the session cap; default 2). */
  readonly poolSize?: number;
}

/** A loaded decoder, with its live cepstral mean and that mean as it was when the model was loaded. */
interface LoadedDecoder {
  readonly config: Pointer;
  readonly decoder: Pointer;
  /** Null when this build's memory layout is not the one known: such a decoder is never reused. */
  readonly cmn: CepstralMean | null;
  /** The CMN of the freshly loaded decoder, which every stream on it starts from. */
  readonly freshCmn: CepstralMeanState | null;
}

/** Cepstral coefficients per frame (`-ceplen`, the en-us model's 13). */
const CEPSTRA = 13;

function promisify<T>(fn: AsyncFn, ...args: unknown[]): Promise<T> {
  return new Promise((resolve, reject) =>
    fn.async(...args, (err: unknown, res: T) =>
      err ? reject(err instanceof Error ? err : new Error('A PocketSphinx call failed.')) : resolve(res),
    ),
  );
}

/** The loaded engine; {@link loadPocketSphinx} returns one, or an engine that cannot run. */
class PocketSphinxEngine implements SpeechEngine {
  /** Decoders free for the next session: reset, not reloaded (a load takes ~100–300 ms and ~25–90 MiB). */
  private readonly idle: LoadedDecoder[] = [];

  constructor(
    private readonly c: Bindings,
    readonly modelDir: string,
    private readonly partialIntervalMs: number,
    private readonly poolSize: number,
  ) {}

  health(): EngineHealth {
    return { ready: true, name: `PocketSphinx (${this.modelDir})`, idleDecoders: this.idle.length };
  }

  /**
   * A recognizer for one stream, on a pooled decoder or a newly loaded one.
   * @throws Error if a decoder cannot be initialised.
   */
  async open(events: RecognizerEvents): Promise<Recognizer> {
    const loaded = this.idle.pop() ?? (await this.load());
    const interval = (this.partialIntervalMs * ENGINE_SAMPLE_RATE) / 1000;
    return new PocketSphinxRecognizer(this.c, loaded, events, interval, (d, healthy) => this.release(d, healthy));
  }

  /** A decoder back from a session: kept for the next one while the pool has room, else freed. */
  private release(loaded: LoadedDecoder, healthy: boolean): void {
    if (healthy && loaded.cmn && this.idle.length < this.poolSize) this.idle.push(loaded);
    else {
      this.c.ps_free(loaded.decoder);
      this.c.cmd_ln_free_r(loaded.config);
    }
  }

  /** Loads the model into a new decoder (~100–300 ms, off the event loop). */
  private async load(): Promise<LoadedDecoder> {
    const c = this.c;
    const dir = this.modelDir;
    const config = c.cmd_ln_init(
      null,
      c.ps_args(),
      1,
      'str',
      '-hmm',
      'str',
      join(dir, 'en-us'),
      'str',
      '-lm',
      'str',
      join(dir, 'en-us.lm.bin'),
      'str',
      '-dict',
      'str',
      join(dir, 'cmudict-en-us.dict'),
      'str',
      '-samprate',
      'str',
      String(ENGINE_SAMPLE_RATE),
      'str',
      '-logfn',
      'str',
      '/dev/null',
      'void *',
      null,
    );
    if (!config) throw new Error('PocketSphinx rejected its configuration.');
    const decoder = await promisify<Pointer>(c.ps_init, config);
    if (!decoder) {
      c.cmd_ln_free_r(config);
      throw new Error(`PocketSphinx could not load the model from ${dir}.`);
    }
    // The model's feat.params has been merged into the config by now: its -cmninit is the mean a fresh
    // decoder starts from, and checks that the CMN's memory is where this build keeps it.
    const cmninit = Number.parseFloat(((c.cmd_ln_str_r(config, '-cmninit') as string | null) ?? '').split(',')[0]);
    const cmn = locateCepstralMean(c.ps_get_feat(decoder), CEPSTRA, cmninit);
    return { config, decoder, cmn, freshCmn: cmn?.read() ?? null };
  }
}

/**
 * Loads the libraries and checks the model files. Call once per process.
 * @returns the engine; when it cannot run, an engine whose `open()` rejects with what to install
 */
export function loadPocketSphinx(options: EngineOptions = {}): SpeechEngine {
  const modelDir = options.modelDir ?? process.env.DICTATE_PS_MODEL_DIR ?? DEFAULT_MODEL_DIR;
  const missing = ['en-us/mdef', 'en-us.lm.bin', 'cmudict-en-us.dict'].filter((f) => !existsSync(join(modelDir, f)));
  let c: Bindings;
  try {
    const sb = koffi.load('libsphinxbase.so.3');
    const ps = koffi.load('libpocketsphinx.so.3');
    c = {
      cmd_ln_init: sb.func('void *cmd_ln_init(void *inout, void *defn, int strict, ...)') as AsyncFn,
      cmd_ln_free_r: sb.func('int cmd_ln_free_r(void *cmdln)') as AsyncFn,
      cmd_ln_str_r: sb.func('const char *cmd_ln_str_r(void *cmdln, const char *name)') as AsyncFn,
      ps_args: ps.func('void *ps_args()') as AsyncFn,
      ps_init: ps.func('void *ps_init(void *config)') as AsyncFn,
      ps_free: ps.func('int ps_free(void *ps)') as AsyncFn,
      ps_start_stream: ps.func('int ps_start_stream(void *ps)') as AsyncFn,
      ps_start_utt: ps.func('int ps_start_utt(void *ps)') as AsyncFn,
      ps_end_utt: ps.func('int ps_end_utt(void *ps)') as AsyncFn,
      ps_process_raw: ps.func('int ps_process_raw(void *ps, const int16_t *data, size_t n, int no_search, int full_utt)') as AsyncFn,
      ps_get_hyp: ps.func('const char *ps_get_hyp(void *ps, void *out_score)') as AsyncFn,
      ps_get_in_speech: ps.func('uint8_t ps_get_in_speech(void *ps)') as AsyncFn,
      ps_get_n_frames: ps.func('int ps_get_n_frames(void *ps)') as AsyncFn,
      ps_get_logmath: ps.func('void *ps_get_logmath(void *ps)') as AsyncFn,
      ps_get_feat: ps.func('void *ps_get_feat(void *ps)') as AsyncFn,
      // 5prealpha: ps_seg_iter(ps); later releases add an out-score pointer (not used here).
      ps_seg_iter: ps.func('void *ps_seg_iter(void *ps)') as AsyncFn,
      ps_seg_next: ps.func('void *ps_seg_next(void *seg)') as AsyncFn,
      ps_seg_word: ps.func('const char *ps_seg_word(void *seg)') as AsyncFn,
      ps_seg_frames: ps.func('void ps_seg_frames(void *seg, _Out_ int *sf, _Out_ int *ef)') as AsyncFn,
      ps_seg_prob: ps.func('int ps_seg_prob(void *seg, _Out_ int *ascr, _Out_ int *lscr, _Out_ int *lback)') as AsyncFn,
      ps_seg_free: ps.func('void ps_seg_free(void *seg)') as AsyncFn,
      logmath_exp: sb.func('double logmath_exp(void *lmath, int logb_p)') as AsyncFn,
    };
  } catch {
    return unavailableEngine(INSTALL_HINT);
  }
  if (missing.length > 0) {
    return unavailableEngine(
      `The PocketSphinx English model is missing from ${modelDir} (${missing.join(', ')}): run \`sudo apt-get install pocketsphinx-en-us\` and restart the server.`,
    );
  }
  return new PocketSphinxEngine(c, modelDir, options.partialIntervalMs ?? 200, options.poolSize ?? 2);
}

/**
 * A streaming recognizer over one decoder. Write PCM16 at 16 kHz; events arrive as the decoder
 * hears speech. Writes are cut into 20 ms chunks, queued and decoded in order, one chunk per call.
 */
class PocketSphinxRecognizer implements Recognizer {
  private queue: Int16Array[] = [];
  /** Samples written that do not fill a chunk yet. */
  private remainder: Int16Array = new Int16Array(0);
  private busy = false;
  private inUtterance = false;
  private samplesSincePartial = 0;
  private lastPartial = '';
  private failed = false;
  private closed = false;
  private idleWaiters: (() => void)[] = [];
  private queuedSamples = 0;
  private paused = false;
  /** Samples decoded since the recognizer started. */
  private decodedSamples = 0;
  /** Stream position where the decoder's VAD reported speech, samples (the end of that batch). */
  private speechStartSample = 0;
  /** The cepstral mean when the utterance in progress started: kept again if it ends without a word. */
  private cmnBeforeUtterance: CepstralMeanState | null = null;

  private readonly decoder: Pointer;

  constructor(
    private readonly c: Bindings,
    private readonly loaded: LoadedDecoder,
    private readonly events: RecognizerEvents,
    private readonly partialIntervalSamples: number,
    private readonly release: (loaded: LoadedDecoder, healthy: boolean) => void,
  ) {
    this.decoder = loaded.decoder;
    // A fresh decoder's state, whoever it served before. ps_start_stream resets the front end's noise
    // estimate (which the VAD decides by) and the frame counter; the cepstral mean is not part of the
    // stream in sphinxbase, so it is put back as it was when the model was loaded.
    this.c.ps_start_stream(this.decoder);
    if (loaded.cmn && loaded.freshCmn) loaded.cmn.write(loaded.freshCmn);
    this.startUtterance();
  }

  /** Starts an utterance, noting the cepstral mean it starts from. */
  private startUtterance(): void {
    this.c.ps_start_utt(this.decoder);
    this.cmnBeforeUtterance = this.loaded.cmn?.read() ?? null;
  }

  write(samples: Int16Array): void {
    if (this.closed || this.failed || samples.length === 0) return;
    const all = this.remainder.length ? concat([this.remainder, samples]) : samples;
    const whole = all.length - (all.length % CHUNK_SAMPLES);
    for (let i = 0; i < whole; i += CHUNK_SAMPLES) this.queue.push(all.subarray(i, i + CHUNK_SAMPLES));
    this.remainder = all.slice(whole);
    this.queuedSamples += samples.length;
    if (!this.paused && this.queuedSamples > BACKLOG_HIGH_SAMPLES) {
      this.paused = true;
      this.events.backpressure(true);
    }
    this.pump();
  }

  /** Decodes everything queued, then ends the utterance in progress (`final` and `speechStopped` first). */
  async finish(): Promise<void> {
    if (this.remainder.length && !this.closed && !this.failed) {
      this.queue.push(this.remainder);
      this.remainder = new Int16Array(0);
      this.pump();
    }
    await this.idle();
    if (this.failed || this.closed) return;
    if (this.inUtterance) this.endUtterance();
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.queue = [];
    this.queuedSamples = 0;
    await this.idle();
    // Ends the utterance in progress (its words are not wanted) so the decoder can serve another stream.
    if (!this.failed) this.c.ps_end_utt(this.decoder);
    this.release(this.loaded, !this.failed);
  }

  /** Resolves when no decode is in flight and nothing is queued (or the decoder has failed). */
  private idle(): Promise<void> {
    if (!this.busy && (this.queue.length === 0 || this.failed)) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  private pump(): void {
    if (this.busy) return;
    if (this.queue.length === 0 || this.failed) {
      const waiters = this.idleWaiters;
      this.idleWaiters = [];
      waiters.forEach((w) => w());
      return;
    }
    const batch = this.queue.shift() as Int16Array;
    this.queuedSamples -= batch.length;
    if (this.paused && this.queuedSamples < BACKLOG_LOW_SAMPLES) {
      this.paused = false;
      this.events.backpressure(false);
    }
    this.busy = true;
    this.c.ps_process_raw.async(this.decoder, batch, batch.length, 0, 0, (err: unknown, result: number) => {
      this.busy = false;
      if (err || result < 0) {
        this.failed = true;
        this.events.error(err instanceof Error ? err : new Error(`ps_process_raw failed (${result}).`));
      } else if (!this.closed) {
        this.afterDecode(batch.length);
      }
      this.pump();
    });
  }

  private afterDecode(samples: number): void {
    this.decodedSamples += samples;
    const inSpeech = Boolean(this.c.ps_get_in_speech(this.decoder));
    if (inSpeech && !this.inUtterance) {
      this.inUtterance = true;
      this.speechStartSample = this.decodedSamples;
      this.samplesSincePartial = 0;
      this.lastPartial = '';
      this.events.speechStarted();
    } else if (!inSpeech && this.inUtterance) {
      this.endUtterance();
      return;
    }
    if (this.inUtterance) {
      this.samplesSincePartial += samples;
      if (this.samplesSincePartial >= this.partialIntervalSamples) {
        this.samplesSincePartial = 0;
        const text = this.hypothesis();
        if (text && text !== this.lastPartial) {
          this.lastPartial = text;
          this.events.partial(text);
        }
      }
    }
  }

  private endUtterance(): void {
    this.c.ps_end_utt(this.decoder);
    const text = this.hypothesis();
    const words = this.words();
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
    const durationMs = Math.max(0, endMs - startMs);
    this.events.final({ text, startMs, durationMs, words });
    this.events.speechStopped();
    this.startUtterance();
  }

  /** The best path's words with stream times and posteriors (fillers and silences left out). */
  private words(): RecognizedWord[] {
    const c = this.c;
    const logmath = c.ps_get_logmath(this.decoder);
    const words: RecognizedWord[] = [];
    const sf = [0];
    const ef = [0];
    const scores = [[0], [0], [0]];
    for (let seg = c.ps_seg_iter(this.decoder); seg; seg = c.ps_seg_next(seg)) {
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
    return words;
  }

  private hypothesis(): string {
    const hyp = this.c.ps_get_hyp(this.decoder, null) as string | null;
    return (hyp ?? '').trim();
  }
}

/** Samples per decoder frame (-frate 100: 10 ms at 16 kHz). */
const SAMPLES_PER_FRAME = ENGINE_SAMPLE_RATE / 100;
/** Silences and fillers in a segmentation: <s>, </s>, <sil>, [NOISE], ++BREATH++ … */
const FILLER = /^(<.*>|\[.*\]|\+\+.*\+\+)$/;
/** `word(2)`: the dictionary's second pronunciation of `word`. */
const ALTERNATE_PRONUNCIATION = /\(\d+\)$/;

function samplesToMs(samples: number): number {
  return Math.round((samples * 1000) / ENGINE_SAMPLE_RATE);
}

function concat(chunks: Int16Array[]): Int16Array {
  let total = 0;
  for (const c of chunks) total += c.length;
  const out = new Int16Array(total);
  let offset = 0;
  for (const c of chunks) {
    out.set(c, offset);
    offset += c.length;
  }
  return out;
}
