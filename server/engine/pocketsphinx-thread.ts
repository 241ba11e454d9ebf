/**
 * A decoder thread of the PocketSphinx engine (`threadedPocketSphinx` in `pocketsphinx.ts` starts one
 * per core): loads the two-pass and the one-pass engines here, with every C call but a decoder's load
 * made on this thread, and serves their recognizers to the server's event loop (`thread-host.ts`).
 */
import { synchronous, type Bindings } from './pocketsphinx-bindings';
import { loadPocketSphinx, ONE_PASS_PARAMETERS, PROFILES, type DecoderThreadOptions } from './pocketsphinx';
import { hostEngine, reportToServer, threadData } from './thread-host';

const { onePassPoolSize, ...options } = threadData<DecoderThreadOptions>();
// Every call on this thread but a decoder's load, which runs on libuv's pool: loading one for a new
// session takes hundreds of ms, and the sessions already on this thread go on decoding meanwhile.
const common = { ...options, wrapBindings: (c: Bindings) => synchronous(c, ['ps_init']), report: reportToServer };
const engines = {
  [PROFILES.twoPass]: loadPocketSphinx(common),
  [PROFILES.onePass]: loadPocketSphinx({
    ...common,
    poolSize: onePassPoolSize,
    decoderParameters: { ...ONE_PASS_PARAMETERS, ...options.decoderParameters },
  }),
};
hostEngine(engines, () =>
  Object.values(engines).reduce((n, engine) => {
    const health = engine.health();
    return n + (health.ready ? (health.idleDecoders ?? 0) : 0);
  }, 0),
);
