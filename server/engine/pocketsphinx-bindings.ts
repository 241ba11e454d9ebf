/**
 * The C functions of Debian's libpocketsphinx3 and libsphinxbase3 that the engine calls, bound through
 * koffi once per process. Every call that can take milliseconds (loading, decoding, ending an
 * utterance, the hypothesis, the segmentation, freeing) is made with {@link call}, on koffi's worker
 * threads (or, on a decoder thread, on that thread: {@link synchronous}); only field reads (`ps_get_in_speech`, a segment's word and frames) and the configuration's few
 * strings (`cmd_ln_init`) are called directly.
 */
import koffi from 'koffi';

/** A C pointer, opaque to JavaScript. */
export type Pointer = unknown;

/** A koffi function: called directly, or with `.async(...args, callback)` on a worker thread. */
export interface AsyncFn {
  (...args: unknown[]): unknown;
  async(...args: unknown[]): void;
}

/** The C functions used. */
export interface Bindings {
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
  ps_get_logmath: AsyncFn;
  ps_get_feat: AsyncFn;
  ps_seg_iter: AsyncFn;
  ps_seg_next: AsyncFn;
  ps_seg_word: AsyncFn;
  ps_seg_frames: AsyncFn;
  ps_seg_prob: AsyncFn;
  logmath_exp: AsyncFn;
  // Vocabulary (pocketsphinx-vocabulary.ts): the dictionary and a language model set per stream.
  ps_lookup_word: AsyncFn;
  ps_add_word: AsyncFn;
  ps_get_lm: AsyncFn;
  ps_set_lm: AsyncFn;
  ps_get_search: AsyncFn;
  ps_set_search: AsyncFn;
  ps_unset_search: AsyncFn;
  ngram_model_read: AsyncFn;
  ngram_model_set_init: AsyncFn;
  ngram_model_free: AsyncFn;
  ngram_model_set_iter: AsyncFn;
  ngram_model_set_iter_model: AsyncFn;
  ngram_model_set_iter_free: AsyncFn;
}

/**
 * Loads the libraries and binds the functions.
 * @throws Error if a library or a symbol is missing (PocketSphinx not installed)
 */
export function bindPocketSphinx(): Bindings {
  const sb = koffi.load('libsphinxbase.so.3');
  const ps = koffi.load('libpocketsphinx.so.3');
  // PocketSphinx's log off, for the whole process, once, before any decoder. Its log is one FILE for the
  // process: a decoder given `-logfn` opens that file and fcloses the previous one, and with decoders
  // loading on several threads at once another thread could still be writing to the closed FILE (seen
  // here: a decoder thread blocked for good in fgets inside ps_init, and the server could not exit).
  // err_set_logfp(NULL) only sets the pointer and a flag, so every thread calling it is harmless.
  (sb.func('void err_set_logfp(void *stream)') as AsyncFn)(null);
  return {
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
    ps_get_logmath: ps.func('void *ps_get_logmath(void *ps)') as AsyncFn,
    ps_get_feat: ps.func('void *ps_get_feat(void *ps)') as AsyncFn,
    // 5prealpha: ps_seg_iter(ps); later releases add an out-score pointer (not used here).
    ps_seg_iter: ps.func('void *ps_seg_iter(void *ps)') as AsyncFn,
    ps_seg_next: ps.func('void *ps_seg_next(void *seg)') as AsyncFn,
    ps_seg_word: ps.func('const char *ps_seg_word(void *seg)') as AsyncFn,
    ps_seg_frames: ps.func('void ps_seg_frames(void *seg, _Out_ int *sf, _Out_ int *ef)') as AsyncFn,
    ps_seg_prob: ps.func('int ps_seg_prob(void *seg, _Out_ int *ascr, _Out_ int *lscr, _Out_ int *lback)') as AsyncFn,
    logmath_exp: sb.func('double logmath_exp(void *lmath, int logb_p)') as AsyncFn,
    // The phones string is allocated by the library: freed with ckd_free once koffi has copied it.
    ps_lookup_word: ps.func('ps_lookup_word', koffi.disposable('const char *', sb.func('void ckd_free(void *ptr)')), [
      'void *',
      'const char *',
    ]) as AsyncFn,
    ps_add_word: ps.func('int ps_add_word(void *ps, const char *word, const char *phones, int update)') as AsyncFn,
    ps_get_lm: ps.func('void *ps_get_lm(void *ps, const char *name)') as AsyncFn,
    ps_set_lm: ps.func('int ps_set_lm(void *ps, const char *name, void *lm)') as AsyncFn,
    ps_get_search: ps.func('const char *ps_get_search(void *ps)') as AsyncFn,
    ps_set_search: ps.func('int ps_set_search(void *ps, const char *name)') as AsyncFn,
    ps_unset_search: ps.func('int ps_unset_search(void *ps, const char *name)') as AsyncFn,
    ngram_model_read: sb.func('void *ngram_model_read(void *config, const char *file, int type, void *lmath)') as AsyncFn,
    ngram_model_set_init: sb.func(
      'void *ngram_model_set_init(void *config, void **models, const char **names, const float *weights, int n)',
    ) as AsyncFn,
    ngram_model_free: sb.func('int ngram_model_free(void *model)') as AsyncFn,
    ngram_model_set_iter: sb.func('void *ngram_model_set_iter(void *set)') as AsyncFn,
    ngram_model_set_iter_model: sb.func('void *ngram_model_set_iter_model(void *itor, _Out_ const char **name)') as AsyncFn,
    ngram_model_set_iter_free: sb.func('void ngram_model_set_iter_free(void *itor)') as AsyncFn,
  };
}

/**
 * Calls `fn` on a koffi worker thread.
 * @returns its result
 * @throws Error (the promise rejects) if koffi reports the call failed
 */
export function call<T>(fn: AsyncFn, ...args: unknown[]): Promise<T> {
  return new Promise((resolve, reject) =>
    fn.async(...args, (err: unknown, res: T) =>
      err ? reject(err instanceof Error ? err : new Error('A PocketSphinx call failed.')) : resolve(res),
    ),
  );
}

/**
 * The same functions, with `.async` running the call at once on the calling thread: for a decoder
 * thread (`pocketsphinx-thread.ts`), whose own thread is the one that should block, not libuv's pool.
 * @param pooled - functions whose `.async` stays on libuv's pool: calls long enough to hold up every
 *   other stream on the thread (a decoder's load, `ps_init`, reads the model: hundreds of ms), and that
 *   share no state with the decoders the thread is running
 */
export function synchronous(bindings: Bindings, pooled: readonly (keyof Bindings)[] = []): Bindings {
  const wrap = (fn: AsyncFn): AsyncFn =>
    Object.assign((...args: unknown[]) => fn(...args), {
      async: (...args: unknown[]) => {
        const callback = args.pop() as (err: unknown, res?: unknown) => void;
        let result: unknown;
        try {
          result = fn(...args);
        } catch (cause) {
          return callback(cause);
        }
        callback(null, result);
      },
    });
  return Object.fromEntries(
    Object.entries(bindings).map(([name, fn]) => [name, pooled.includes(name as keyof Bindings) ? fn : wrap(fn as AsyncFn)]),
  ) as unknown as Bindings;
}
