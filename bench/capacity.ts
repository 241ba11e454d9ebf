/**
 * `npm run bench`, capacity: N concurrent real-time sessions (the app's session in Node, Reson8 dialect,
 * two LibriVox sentences each) against one local server with the cap lifted. Final lag: when a final
 * arrives, minus when the last audio it covers was captured. Then, with the cap at its default, one
 * session more than the cap is refused (1013), not slowed.
 */
import type { AddressInfo } from 'node:net';
import { twoSentences } from '../e2e/support/audio';
import { createDictateServer, DEFAULT_MAX_SESSIONS } from '../server/app';
import type { SpeechEngine } from '../server/engine/engine';
import { dictate } from '../server/test-session';

const percentile = (xs: number[], p: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor((xs.length - 1) * p))];

async function serve(engine: SpeechEngine, maxSessions: number) {
  const server = createDictateServer({ engine, maxSessions, log: () => undefined });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, base: `ws://127.0.0.1:${(server.address() as AddressInfo).port}` };
}

export async function benchCapacity(engine: SpeechEngine, counts = [1, 2, 4, 8]) {
  const { samples } = twoSentences();
  const rows = [];
  for (const n of counts) {
    const { server, base } = await serve(engine, 64);
    const lags: number[] = [];
    const runs = Array.from({ length: n }, async () => {
      const started = Date.now();
      const result = await dictate(base, 'local-reson8', samples, {
        intervalMs: 20,
        onFinal: (f) => {
          if (f.startMs !== undefined) lags.push(Date.now() - (started + f.startMs + (f.durationMs ?? 0)));
        },
      });
      return result.error;
    });
    const errors = (await Promise.all(runs)).filter(Boolean);
    server.close();
    rows.push({
      sessions: n,
      finalLagP50Ms: percentile(lags, 0.5),
      finalLagP95Ms: percentile(lags, 0.95),
      finals: lags.length,
      errors: errors.length,
    });
  }
  // At the default cap, one more session is refused at once rather than slowing everyone.
  const { server, base } = await serve(engine, DEFAULT_MAX_SESSIONS);
  const held = Array.from({ length: DEFAULT_MAX_SESSIONS }, () => dictate(base, 'local-reson8', samples, { intervalMs: 20 }));
  await new Promise((r) => setTimeout(r, 1000));
  const extra = await dictate(base, 'local-reson8', samples.subarray(0, 16_000), {
    intervalMs: 20,
    reconnect: { maxAttempts: 1, baseDelayMs: 10 },
  });
  await Promise.all(held);
  server.close();
  return { rows, defaultCap: DEFAULT_MAX_SESSIONS, beyondCap: { notices: extra.notices.slice(0, 1), error: extra.error } };
}

/** RSS with `count` idle connections (Reson8: connected, no audio), MiB above the baseline. */
export async function benchIdle(engine: SpeechEngine, count = 200) {
  const { default: WebSocket } = await import('ws');
  const { server, base } = await serve(engine, count + 1);
  global.gc?.();
  const before = process.memoryUsage().rss;
  const sockets = await Promise.all(
    Array.from(
      { length: count },
      () =>
        new Promise<InstanceType<typeof WebSocket>>((resolve, reject) => {
          const ws = new WebSocket(`${base}/v1/speech-to-text/realtime?encoding=pcm_s16le&sample_rate=16000&channels=1`);
          ws.once('open', () => resolve(ws));
          ws.once('error', reject);
        }),
    ),
  );
  await new Promise((r) => setTimeout(r, 500));
  global.gc?.();
  const extraMiB = (process.memoryUsage().rss - before) / 2 ** 20;
  for (const ws of sockets) ws.close();
  server.close();
  return { idleConnections: count, rssAboveBaselineMiB: Number(extraMiB.toFixed(1)) };
}

/**
 * RSS above the baseline after the first burst of sessions (which loads the pool) and after ten:
 * with pooled decoders, bursts reuse them and memory goes back to the pool's size.
 */
export async function benchBursts(bursts = 10, perBurst = DEFAULT_MAX_SESSIONS) {
  const { loadPocketSphinx } = await import('../server/engine/pocketsphinx');
  const engine = loadPocketSphinx({ poolSize: DEFAULT_MAX_SESSIONS });
  const { server, base } = await serve(engine, perBurst);
  const { samples } = twoSentences();
  const clip = samples.subarray(0, 16_000 * 4);
  const rss = () => {
    global.gc?.();
    return process.memoryUsage().rss / 2 ** 20;
  };
  const baseline = rss();
  let afterFirst = 0;
  for (let b = 0; b < bursts; b++) {
    await Promise.all(Array.from({ length: perBurst }, () => dictate(base, 'local-reson8', clip, { intervalMs: 5 })));
    await new Promise((r) => setTimeout(r, 200));
    if (b === 0) afterFirst = rss() - baseline;
  }
  const afterAll = rss() - baseline;
  server.close();
  return {
    bursts,
    sessionsPerBurst: perBurst,
    poolSize: DEFAULT_MAX_SESSIONS,
    rssAfterFirstBurstMiB: Number(afterFirst.toFixed(1)),
    rssAfterAllBurstsMiB: Number(afterAll.toFixed(1)),
  };
}
