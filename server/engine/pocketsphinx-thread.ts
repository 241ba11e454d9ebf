/**
 * A decoder thread of the PocketSphinx engine (`threadedPocketSphinx` in `pocketsphinx.ts` starts one
 * per core): loads the engine here, with every C call made on this thread, and serves its recognizers to
 * the server's event loop (`thread-host.ts`).
 */
import { synchronous } from './pocketsphinx-bindings';
import { loadPocketSphinx, type EngineOptions } from './pocketsphinx';
import { hostEngine, reportToServer, threadData } from './thread-host';

const options = threadData<Omit<EngineOptions, 'report' | 'wrapBindings'>>();
const engine = loadPocketSphinx({ ...options, wrapBindings: synchronous, report: reportToServer });
hostEngine(engine, () => {
  const health = engine.health();
  return health.ready ? (health.idleDecoders ?? 0) : 0;
});
