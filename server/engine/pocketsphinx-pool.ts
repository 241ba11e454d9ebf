/**
 * Loaded PocketSphinx decoders, kept for reuse between sessions: a load takes ~100–300 ms and
 * ~25–90 MiB, a reset well under a millisecond. A decoder a session is done with is kept while the pool
 * has room (`poolSize`), else freed. Loading and freeing run off the event loop.
 */
import { join } from 'node:path';
import { locateCepstralMean, type CepstralMean, type CepstralMeanState } from './cepstral-mean';
import { ENGINE_SAMPLE_RATE } from './engine';
import { call, type Bindings, type Pointer } from './pocketsphinx-bindings';

/** A loaded decoder, with its live cepstral mean and that mean as it was when the model was loaded. */
export interface LoadedDecoder {
  readonly config: Pointer;
  readonly decoder: Pointer;
  /** Null when this build's memory layout is not the one known: such a decoder is never reused. */
  readonly cmn: CepstralMean | null;
  /** The CMN of the freshly loaded decoder, which every stream on it starts from. */
  readonly freshCmn: CepstralMeanState | null;
}

/** Cepstral coefficients per frame (`-ceplen`, the en-us model's 13). */
const CEPSTRA = 13;

/** Decoders for one model directory. */
export class DecoderPool {
  private readonly idle: LoadedDecoder[] = [];

  /**
   * @param modelDir directory holding `en-us/`, `en-us.lm.bin`, `cmudict-en-us.dict`
   * @param poolSize decoders kept loaded while no session uses them
   * @param parameters decoder arguments besides the model's files, e.g. `{ '-vad_postspeech': '30' }`
   */
  constructor(
    private readonly c: Bindings,
    readonly modelDir: string,
    private readonly poolSize: number,
    private readonly parameters: Readonly<Record<string, string>> = {},
  ) {}

  /** Decoders loaded and free. */
  get available(): number {
    return this.idle.length;
  }

  /**
   * A free decoder, or a newly loaded one.
   * @throws Error if PocketSphinx rejects its configuration or cannot load the model
   */
  async acquire(): Promise<LoadedDecoder> {
    return this.idle.pop() ?? (await this.load());
  }

  /** A decoder back from a session: kept for the next one while the pool has room (and it is healthy), else freed. */
  release(loaded: LoadedDecoder, healthy: boolean): void {
    if (healthy && loaded.cmn && this.idle.length < this.poolSize) {
      this.idle.push(loaded);
      return;
    }
    void call(this.c.ps_free, loaded.decoder)
      .then(() => call(this.c.cmd_ln_free_r, loaded.config))
      .catch(() => undefined); // freeing cannot be retried; the process keeps running
  }

  /** Loads the model into a new decoder. */
  private async load(): Promise<LoadedDecoder> {
    const c = this.c;
    const dir = this.modelDir;
    // Called directly: it only copies a few strings (variadic, which koffi cannot call asynchronously).
    const extra = Object.entries(this.parameters).flatMap(([name, value]) => ['str', name, 'str', value]);
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
      // No `-logfn`: sphinxbase's log file is one for the process, and each decoder that names one opens it
      // and closes the one before while other threads may be writing to it (bindPocketSphinx turns the log off).
      ...extra,
      'void *',
      null,
    );
    if (!config) throw new Error('PocketSphinx rejected its configuration.');
    const decoder = await call<Pointer>(c.ps_init, config);
    if (!decoder) {
      void call(c.cmd_ln_free_r, config).catch(() => undefined);
      throw new Error(`PocketSphinx could not load the model from ${dir}.`);
    }
    // The model's feat.params has been merged into the config by now: its -cmninit is the mean a fresh
    // decoder starts from, and checks that the CMN's memory is where this build keeps it.
    const cmninit = Number.parseFloat(((c.cmd_ln_str_r(config, '-cmninit') as string | null) ?? '').split(',')[0]);
    const cmn = locateCepstralMean(c.ps_get_feat(decoder), CEPSTRA, cmninit);
    return { config, decoder, cmn, freshCmn: cmn?.read() ?? null };
  }
}
