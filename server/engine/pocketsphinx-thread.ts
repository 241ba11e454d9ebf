/**
 * A decoder thread of the PocketSphinx engine (`threadedPocketSphinx` in `pocketsphinx.ts` starts one
 * per core): loads the two-pass and the one-pass engines here, with every C call made on this thread,
 * and serves their recognizers to the server's event loop (`thread-host.ts`).
 */
import { synchronous } from './pocketsphinx-bindings';
import { loadPocketSphinx, ONE_PASS_PARAMETERS, PROFILES, type DecoderThreadOptions } from './pocketsphinx';
import { hostEngine, reportToServer, threadData } from './thread-host';

const { onePassPoolSize, ...options } = threadData<DecoderThreadOptions>();
const common = { ...options, wrapBindings: synchronous, report: reportToServer };
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
