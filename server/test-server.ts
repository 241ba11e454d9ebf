/** Starts the local server on a free port for tests. */
import type { AddressInfo } from 'node:net';
import { createDictateServer, type DictateServer, type DictateServerOptions } from './app';
import { unavailableEngine, type SpeechEngine } from './engine/engine';
import { INSTALL_HINT } from './engine/pocketsphinx';

/** A running test server and its `ws://127.0.0.1:<port>` base. */
export async function startTestServer(
  engine: SpeechEngine,
  options: Partial<
    Pick<
      DictateServerOptions,
      'apiKey' | 'faults' | 'maxSessions' | 'allowedOrigins' | 'allowedHosts' | 'idleTimeoutMs' | 'handshakeTimeoutMs' | 'log'
    >
  > & {
    unavailable?: boolean;
  } = {},
): Promise<{ server: DictateServer; base: string }> {
  const server = createDictateServer({
    engine: options.unavailable ? unavailableEngine(INSTALL_HINT) : engine,
    log: () => {},
    ...options,
    // Tests open many connections at once; the cap has tests of its own.
    maxSessions: options.maxSessions ?? 32,
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, base: `ws://127.0.0.1:${(server.address() as AddressInfo).port}` };
}

/** PCM16 samples as little-endian bytes. */
export function pcmBytes(samples: Int16Array): Buffer {
  return Buffer.from(samples.buffer, samples.byteOffset, samples.byteLength);
}
