/**
 * The decoder's running cepstral mean (sphinxbase's live CMN), read and written through koffi.
 *
 * Why the engine touches it (docs/engines.md, "What came before the speech"): PocketSphinx subtracts a
 * running mean of the cepstra from every frame. In live decoding it starts from the model's `-cmninit`
 * with no weight at all, and at every `ps_end_utt` the mean becomes the average of what the utterance
 * held. Its VAD initialises its noise estimate to 1/20 of the first frame, so any stream that starts
 * with sound (a noise floor, ±1 LSB dither, hum) opens with a short false "utterance" of that sound;
 * its end sets the mean to the noise's cepstrum (c0 ≈ 3 where speech has ≈ 45), and the speech that
 * follows is normalised by it and decodes as nonsense. Exact digital zeros escape only because frames
 * of zero energy are skipped. A pooled decoder kept the mean (and its sums) from the session before.
 *
 * sphinxbase exports `cmn_live_get` / `cmn_live_set`, but `cmn_live_set` also fakes 500 frames of
 * history, which a fresh decoder does not have; so the state is copied field by field instead. The
 * layout is the one in Debian's libsphinxbase3 (`feat_t`, `cmn_t` in sphinxbase/feat.h and cmn.h),
 * checked against the values it must hold when a decoder is loaded: {@link locateCepstralMean}
 * returns null when it does not match, and the engine then never reuses a decoder.
 */
import koffi from 'koffi';

type Pointer = unknown;

/** The head of sphinxbase's `feat_t`, up to `cmn_struct` (the fields after it are not read). */
const FeatHead = koffi.struct('dictate_feat_head', {
  refcount: 'int',
  name: 'const char *',
  cepsize: 'int32',
  n_stream: 'int32',
  stream_len: 'void *',
  window_size: 'int32',
  n_sv: 'int32',
  sv_len: 'void *',
  subvecs: 'void *',
  sv_buf: 'void *',
  sv_dim: 'int32',
  cmn: 'int',
  varnorm: 'int32',
  agc: 'int',
  compute_feat: 'void *',
  cmn_struct: 'void *',
});

/** sphinxbase's `cmn_t`. `mfcc_t` is `float` in Debian's (floating-point) build. */
const CmnStruct = koffi.struct('dictate_cmn', {
  cmn_mean: 'void *',
  cmn_var: 'void *',
  sum: 'void *',
  nframe: 'int32',
  veclen: 'int32',
});

/** A copy of the live CMN: the mean subtracted now, the sums it is learning from, and their frame count. */
export interface CepstralMeanState {
  /** Current mean, one value per cepstral coefficient. */
  readonly mean: readonly number[];
  /** Running sums of the frames counted since the last update. */
  readonly sum: readonly number[];
  /** Frames in `sum`. */
  readonly frames: number;
}

/** Read and write access to one decoder's live CMN. */
export interface CepstralMean {
  read(): CepstralMeanState;
  write(state: CepstralMeanState): void;
}

interface CmnFields {
  cmn_mean: Pointer;
  sum: Pointer;
  nframe: number;
  veclen: number;
}

/**
 * Finds the CMN of a decoder that has just been loaded.
 * @param feat - `ps_get_feat(decoder)`
 * @param cepstra - coefficients per frame the model uses (`-ceplen`, 13)
 * @param cmninit - the first coefficient of the model's initial mean (`-cmninit`), to check the layout
 * @returns null when the memory does not hold what it must (another build of sphinxbase)
 */
export function locateCepstralMean(feat: Pointer, cepstra: number, cmninit: number): CepstralMean | null {
  if (!feat) return null;
  let cmnPointer: Pointer;
  try {
    const head = koffi.decode(feat, FeatHead) as { cepsize: number; cmn_struct: Pointer };
    if (head.cepsize !== cepstra || !head.cmn_struct) return null;
    cmnPointer = head.cmn_struct;
    const fields = koffi.decode(cmnPointer, CmnStruct) as CmnFields;
    if (fields.veclen !== cepstra || fields.nframe !== 0 || !fields.cmn_mean || !fields.sum) return null;
    const mean = koffi.decode(fields.cmn_mean, 'float', cepstra) as number[];
    if (Math.abs(mean[0] - cmninit) > 1e-3) return null;
  } catch {
    return null;
  }
  const fields = () => koffi.decode(cmnPointer, CmnStruct) as CmnFields;
  return {
    read() {
      const f = fields();
      return {
        mean: Array.from(koffi.decode(f.cmn_mean, 'float', f.veclen) as number[]),
        sum: Array.from(koffi.decode(f.sum, 'float', f.veclen) as number[]),
        frames: f.nframe,
      };
    },
    write(state) {
      const f = fields();
      koffi.encode(f.cmn_mean, 'float', state.mean, f.veclen);
      koffi.encode(f.sum, 'float', state.sum, f.veclen);
      // `nframe` is the int32 after three pointers (24 bytes in on a 64-bit build): written alone so the
      // pointers are left as they are.
      koffi.encode(cmnPointer, koffi.offsetof(CmnStruct, 'nframe'), 'int32', state.frames);
    },
  };
}
