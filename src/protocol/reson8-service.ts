/** Reson8 realtime as the provider picker and Settings know it; the adapter is in `reson8.ts`. */
import type { ServiceDefinition } from './service';
import { RESON8_CLOUD_URL, RESON8_PATH } from './reson8-contract';

/** Reson8 realtime (docs/protocols.md, "Reson8 realtime"). */
export const reson8Service: ServiceDefinition = {
  id: 'reson8',
  name: 'Reson8',
  product: 'Reson8 realtime',
  cloudUrl: RESON8_CLOUD_URL,
  localPath: RESON8_PATH,
  // "Reson8: authentication": from a browser, the token in Sec-WebSocket-Protocol.
  authMethods: ['subprotocol'],
  keyLabel: 'Access token',
  summary:
    'A cloud service with word times and per-word confidence: cloud-model accuracy, partials as you speak. Needs a Reson8 access token (or a token URL of your own).',
  defaults: () => ({ includeInterim: true, includeTimestamps: true, includeWords: true, includeConfidence: true, customModelId: '' }),
  // The adapter loads when a connection first needs it: it is not part of the first page load.
  load: () => import('./reson8').then((m) => m.createReson8),
};
