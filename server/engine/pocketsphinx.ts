/**
 * CMU PocketSphinx (Debian's libpocketsphinx3 + pocketsphinx-en-us), called through koffi.
 *
 * The engine room, one module each: the C functions (`pocketsphinx-bindings.ts`), the decoders kept
 * for reuse (`pocketsphinx-pool.ts`), the recognizer over one decoder (`pocketsphinx-recognizer.ts`)
 * and the engine-agnostic audio queue in front of it (`chunk-queue.ts`). {@link loadPocketSphinx} runs
 * every call that can take milliseconds on koffi's worker threads (libuv's pool), one at a time per
 * decoder; the server runs it on decoder threads of its own instead ({@link threadedPocketSphinx}), a
 * thread per core making every call itself, so sessions never block the event loop.
 *
 * A pooled decoder must decode exactly like a fresh one, so every stream starts from a fresh decoder's
 * state. What came before the speech must not change its words (docs/engines.md): an utterance in
 * which the decoder found no word (its VAD heard noise, hum or dither) leaves the cepstral mean as it
 * was before it; see `cepstral-mean.ts` for why this is the root of "a pause before speaking turns the
 * dictation into nonsense".
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import {
  ENGINE_SAMPLE_RATE,
  MAX_VOCABULARY_TERMS,
  unavailableEngine,
  type RecognizerOptions,
  type EngineHealth,
  type Recognizer,
  type RecognizerEvents,
  type SpeechEngine,
} from './engine';
import { bindPocketSphinx, type Bindings } from './pocketsphinx-bindings';
import { fliteLetterToSound } from './letter-to-sound';
import { DecoderPool } from './pocketsphinx-pool';
import { VOCABULARY_WEIGHT } from './pocketsphinx-vocabulary';
import { PocketSphinxRecognizer } from './pocketsphinx-recognizer';
import { threadedEngine } from './threaded';

/** What to install when the engine cannot load (printed on the console and sent to clients). */
export const INSTALL_HINT =
  'PocketSphinx is not installed: run `sudo apt-get install libpocketsphinx3 pocketsphinx-en-us` (Debian/Ubuntu) and restart the server.';

/** Default model directory of Debian's pocketsphinx-en-us. */
export const DEFAULT_MODEL_DIR = '/usr/share/pocketsphinx/model/en-us';

/**
 * The decoder's arguments besides the model's files, chosen by the bench's endpoint sweep
 * (docs/metrics.md, "Endpointing"): a 150 ms end-of-speech window (PocketSphinx's is 500 ms), with
 * PocketSphinx's own second pass, beams and language weight. Over the fixture clips at four sub-frame
 * offsets: WER 31.7 % (37.0 % with PocketSphinx's defaults), final 298 ms after end of speech (858 ms).
 * Without the second pass and at language weight 5.5 it was quicker still (232 ms, WER 31.0 %), but
 * after 30 s of a ±1 LSB noise floor it got a word more wrong, which the input matrix does not allow.
 */
export const DECODER_PARAMETERS: Readonly<Record<string, string>> = { '-vad_postspeech': '15' };

/**
 * CPU seconds the server spends per second of one real-time session's audio, decoding, partials and
 * the protocol, measured in the server's own process by `npm run bench` (capacity table: 8 sessions on
 * 2 cores, 2 of them on the two-pass decoder and 6 on the one-pass decoder). The default session cap is
 * derived from it and the cores (`sessionCapacity`).
 */
export const CPU_PER_SESSION = 0.115;

/** Engine options. */
export interface EngineOptions {
  /** Directory holding `en-us/`, `en-us.lm.bin`, `cmudict-en-us.dict`. */
  readonly modelDir?: string;
  /** Shortest audio between two partials, ms (default 200). */
  readonly partialIntervalMs?: number;
  /** Decoders kept loaded for reuse between sessions (the session cap; default 2). */
  readonly poolSize?: number;
  /** The vocabulary model's interpolation weight (the bench compares several; default {@link VOCABULARY_WEIGHT}). */
  readonly vocabularyWeight?: number;
  /** Told what a stream's vocabulary could not use (one line, no user text). */
  readonly report?: (message: string) => void;
  /**
   * Decoder arguments over {@link DECODER_PARAMETERS} (the bench's endpoint sweep tries others), e.g.
   * `{ '-vad_postspeech': '30' }`. Names and values as `pocketsphinx_continuous` takes them.
   */
  readonly decoderParameters?: Readonly<Record<string, string>>;
  /** For tests: wraps the C functions (e.g. to see how each is called). */
  readonly wrapBindings?: (bindings: Bindings) => Bindings;
}

/** The loaded engine; {@link loadPocketSphinx} returns one, or an engine that cannot run. */
class PocketSphinxEngine implements SpeechEngine {
  constructor(
    private readonly c: Bindings,
    private readonly pool: DecoderPool,
    private readonly partialIntervalMs: number,
    private readonly report: (message: string) => void,
    private readonly vocabularyWeight: number,
  ) {}

  health(): EngineHealth {
    return { ready: true, name: `PocketSphinx (${this.pool.modelDir})`, idleDecoders: this.pool.available };
  }

  /**
   * A recognizer for one stream, on a pooled decoder or a newly loaded one.
   * @throws Error if a decoder cannot be initialised.
   */
  async open(events: RecognizerEvents, options: RecognizerOptions = {}): Promise<Recognizer> {
    const loaded = await this.pool.acquire();
    const interval = (this.partialIntervalMs * ENGINE_SAMPLE_RATE) / 1000;
    const terms = (options.vocabulary ?? []).slice(0, MAX_VOCABULARY_TERMS);
    const vocabulary =
      terms.length > 0 ? { terms, lts: fliteLetterToSound(), report: this.report, weight: this.vocabularyWeight } : undefined;
    return PocketSphinxRecognizer.start(this.c, loaded, events, interval, (d, healthy) => this.pool.release(d, healthy), vocabulary);
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
    c = bindPocketSphinx();
  } catch {
    return unavailableEngine(INSTALL_HINT);
  }
  if (options.wrapBindings) c = options.wrapBindings(c);
  if (missing.length > 0) {
    return unavailableEngine(
      `The PocketSphinx English model is missing from ${modelDir} (${missing.join(', ')}): run \`sudo apt-get install pocketsphinx-en-us\` and restart the server.`,
    );
  }
  const report = options.report ?? (() => undefined);
  const pool = new DecoderPool(c, modelDir, options.poolSize ?? 2, { ...DECODER_PARAMETERS, ...options.decoderParameters });
  return new PocketSphinxEngine(c, pool, options.partialIntervalMs ?? 200, report, options.vocabularyWeight ?? VOCABULARY_WEIGHT);
}

/**
 * The one-pass decoder: {@link DECODER_PARAMETERS} without the second and third passes (`-fwdflat`,
 * `-bestpath`), which run when an utterance ends and take time in proportion to its length, and with
 * the 3 best Gaussians per frame (`-topn`, 4 by default). Over the fixture clips (bench, "Endpointing"):
 * WER 31.7 % as with the passes, and the final 4–5 ms after the end of the utterance is decided (92–124
 * ms with them); on the input matrix's clip it gets 6 words wrong where the two-pass
 * decoder gets 4. Sessions beyond the two-pass seats get it, so that many sessions ending utterances at
 * once do not queue behind each other's second passes (docs/metrics.md, "Capacity"). It passes the
 * input matrix; with `-bestpath` kept, 30 s of dither before the speech cost it a word more than the
 * matrix allows.
 *
 * It also searches at most 5000 HMMs a frame (`-maxhmmpf`, 30000 by default). A session's first words,
 * before its cepstral mean has adapted, are the costliest audio it sends: the beam admits many HMMs. The
 * bench's peak real-time factor ("Endpointing": a stream's costliest 500 ms, median over the clips) was
 * 0.38 without the cap and 0.18 with it, at the same WER, and the mean real-time factor 0.072 and 0.052;
 * so sessions starting together do not queue behind each other's first words. The two-pass decoder keeps PocketSphinx's 30000: with 5000, 7000 or
 * 10000, a ±1 LSB noise floor before the speech turned "had he" into "happy", a word more than the input
 * matrix allows.
 */
export const ONE_PASS_PARAMETERS: Readonly<Record<string, string>> = {
  ...DECODER_PARAMETERS,
  '-fwdflat': 'no',
  '-bestpath': 'no',
  '-topn': '3',
  '-maxhmmpf': '5000',
};

/**
 * Sessions per core on the two-pass decoder, the default of `DICTATE_TWO_PASS_SESSIONS`. Measured (npm
 * run bench, capacity, 8 sessions on 2 cores speaking in unison): final lag p95 472–673 ms with 1 two-pass
 * session per core, 831–929 ms with 2 (its second pass holds up every session on its thread).
 */
export const TWO_PASS_SESSIONS_PER_CORE = 1;

/** The decoder profiles of {@link threadedPocketSphinx}, in order of preference. */
export const PROFILES = { twoPass: 'two-pass', onePass: 'one-pass' } as const;

/** What a decoder thread (`pocketsphinx-thread.ts`) is handed. */
export interface DecoderThreadOptions extends Omit<EngineOptions, 'report' | 'wrapBindings'> {
  /** One-pass decoders this thread keeps loaded between sessions. */
  readonly onePassPoolSize: number;
}

/** What {@link threadedPocketSphinx} takes: the engine's options, threads and seats. */
export interface ThreadedPocketSphinxOptions extends Omit<EngineOptions, 'wrapBindings'> {
  /** Decoder threads (the cores this process may use; fewer when fewer sessions are allowed). */
  readonly threads: number;
  /** Sessions at once on the two-pass decoder; the rest get the one-pass decoder (default: all of `poolSize`). */
  readonly twoPassSessions?: number;
}

/**
 * The server's PocketSphinx: decoders on `threads` worker threads (`pocketsphinx-thread.ts`), every C
 * call made on its thread (`server/engine/threaded.ts`). The first `twoPassSessions` open sessions get
 * the two-pass decoder ({@link DECODER_PARAMETERS}); sessions beyond them, the one-pass decoder
 * ({@link ONE_PASS_PARAMETERS}). Each thread keeps its share of the `poolSize` decoders loaded. Health is
 * checked here, so an engine that cannot run starts no thread and says what to install.
 * @returns the engine, with `stop()` to end its threads
 */
export function threadedPocketSphinx(options: ThreadedPocketSphinxOptions) {
  const { threads, report, twoPassSessions, ...engine } = options;
  const local = loadPocketSphinx(engine).health();
  const count = Math.max(1, Math.floor(threads));
  const sessions = engine.poolSize ?? 2;
  const twoPass = Math.max(0, Math.min(sessions, twoPassSessions ?? sessions));
  const workerData: DecoderThreadOptions = {
    ...engine,
    poolSize: Math.ceil(twoPass / count),
    onePassPoolSize: Math.ceil((sessions - twoPass) / count),
  };
  return threadedEngine(
    {
      entry: new URL('./pocketsphinx-thread.ts', import.meta.url),
      threads: count,
      workerData,
      profiles: [
        { name: PROFILES.twoPass, seats: twoPass },
        { name: PROFILES.onePass, seats: sessions - twoPass },
      ],
      name: local.ready
        ? `${local.name} on ${count} thread${count === 1 ? '' : 's'}, two passes for ${twoPass} of ${sessions} sessions`
        : 'PocketSphinx',
      report,
    },
    local,
  );
}
