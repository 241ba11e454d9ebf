/** Starts the local server on a free port for tests. */
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { createDictateServer } from './app';
import { unavailableEngine, type SpeechEngine } from './engine/engine';
import { INSTALL_HINT } from './engine/pocketsphinx';

/** A running test server and its `ws://127.0.0.1:<port>` base. */
export async function startTestServer(
  engine: SpeechEngine,
  options: { apiKey?: string; unavailable?: boolean; faults?: boolean } = {},
): Promise<{ server: Server; base: string }> {
  const server = createDictateServer({
    engine: options.unavailable ? unavailableEngine(INSTALL_HINT) : engine,
    apiKey: options.apiKey,
    faults: options.faults,
    log: () => {},
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, base: `ws://127.0.0.1:${(server.address() as AddressInfo).port}` };
}

/** PCM16 samples as little-endian bytes. */
export function pcmBytes(samples: Int16Array): Buffer {
  return Buffer.from(samples.buffer, samples.byteOffset, samples.byteLength);
}
