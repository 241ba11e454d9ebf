/**
 * `npm run bench`, capacity: the server alone, in a process of its own (`server/main.ts`, as `npm start`
 * runs it, cap lifted), loaded by a generator in another process (bench/load.ts: N concurrent Reson8
 * sessions of two LibriVox sentences, paced in real time). Final lag: when a final arrives, minus when
 * the last audio it covers was sent. The server's CPU (user + system, from /proc) over the run's wall
 * time, in cores, and its peak RSS. Then, at the cap the server derives by itself, one session more is
 * refused at once (1013) rather than slowed.
 */
import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { createServer } from 'node:net';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { twoSentences } from '../e2e/support/audio';
import { createDictateServer, DEFAULT_MAX_SESSIONS } from '../server/app';
import type { SpeechEngine } from '../server/engine/engine';
import { dictate } from '../server/test-session';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const percentile = (xs: number[], p: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor((xs.length - 1) * p))];

async function serve(engine: SpeechEngine, maxSessions: number) {
  const server = createDictateServer({ engine, maxSessions, log: () => undefined });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, base: `ws://127.0.0.1:${(server.address() as AddressInfo).port}` };
}

/** A free loopback port. */
async function freePort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const { port } = probe.address() as AddressInfo;
  await new Promise((resolve) => probe.close(resolve));
  return port;
}

/** The server in its own process; resolves once `/healthz` answers. @throws Error if it exits or takes over 120 s. */
async function serverProcess(env: Record<string, string>) {
  const port = await freePort();
  const child = spawn(process.execPath, ['--import', 'tsx', join(root, 'server', 'main.ts')], {
    cwd: root,
    env: { ...process.env, HOST: '127.0.0.1', PORT: String(port), DICTATE_QUIET: '1', ...env },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  child.on('error', () => undefined);
  const deadline = Date.now() + 120_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`The server exited (${child.exitCode}).`);
    if (Date.now() > deadline) throw new Error('The server did not answer /healthz within 120 s.');
    const ok = await fetch(`http://127.0.0.1:${port}/healthz`).then(
      (r) => r.ok,
      () => false,
    );
    if (ok) break;
    await new Promise((r) => setTimeout(r, 200));
  }
  return {
    pid: child.pid!,
    /** How it exited (code or signal), or null while it runs. */
    exit: () => child.exitCode ?? child.signalCode,
    base: `ws://127.0.0.1:${port}`,
    http: `http://127.0.0.1:${port}`,
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGKILL');
      }),
  };
}

/** A process's CPU time (user + system), s, from /proc/<pid>/stat (clock ticks of 1/100 s on Linux). */
function cpuSeconds(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
  return (Number(fields[11]) + Number(fields[12])) / 100;
}

/** A process's resident memory, MiB, from /proc/<pid>/status; 0 once it has exited. */
function rssMiB(pid: number): number {
  if (!existsSync(`/proc/${pid}/status`)) return 0;
  const kb = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1];
  return Number(kb ?? 0) / 1024;
}

interface LoadResult {
  lags: number[];
  errors: string[];
}

/** How far apart independent users start in the spread runs, ms (over all sessions; see bench/load.ts). */
export const SPREAD_MS = 2000;

/** bench/load.ts in a process of its own: `sessions` real-time sessions against `base`, started over `spreadMs`. */
function load(base: string, sessions: number, spreadMs = 0): Promise<LoadResult> {
  const args = ['--import', 'tsx', join(root, 'bench', 'load.ts'), base, String(sessions), String(spreadMs)];
  const child = spawn(process.execPath, args, {
    cwd: root,
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  let out = '';
  child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
  return new Promise((resolve, reject) => {
    child.on('error', reject);
    child.on('exit', (code) => {
      if (code !== 0) return reject(new Error(`bench/load.ts exited (${code}).`));
      resolve(JSON.parse(out.trim().split('\n').at(-1) ?? '{}') as LoadResult);
    });
  });
}

/**
 * Runs of the load per row and way of starting, their finals pooled: a run of 8 sessions gives 24 finals,
 * too few for a steady p95 (one run's p95 at 8 in unison ranged 472–816 ms over four runs).
 */
export const RUNS = 3;

/** {@link load} {@link RUNS} times in turn, the lags and errors pooled. */
async function loadRuns(base: string, sessions: number, spreadMs = 0): Promise<LoadResult> {
  const pooled: LoadResult = { lags: [], errors: [] };
  for (let run = 0; run < RUNS; run++) {
    const { lags, errors } = await load(base, sessions, spreadMs);
    pooled.lags.push(...lags);
    pooled.errors.push(...errors);
  }
  return pooled;
}

/** One row of the capacity table. */
export interface CapacityRow {
  readonly sessions: number;
  /** Final lag when every session speaks in unison (each utterance ends at the same moment in all), over {@link RUNS} runs: ms. */
  readonly finalLagP50Ms: number;
  readonly finalLagP95Ms: number;
  /** Final lag when the sessions start {@link SPREAD_MS} apart in all, as independent users do: ms. */
  readonly spreadFinalLagP50Ms: number;
  readonly spreadFinalLagP95Ms: number;
  /** Finals received and sessions failed, every run of both ways together. */
  readonly finals: number;
  readonly errors: number;
  /** The server's CPU time over the unison runs' wall time: 1 is one core busy all the time. */
  readonly serverCpuCores: number;
  /** The server's CPU seconds per second of audio per session (its real-time factor per session). */
  readonly serverCpuPerSession: number;
  /** The server's peak resident memory during the run, MiB. */
  readonly serverPeakRssMiB: number;
}

/**
 * The capacity table: for each count, a fresh server process (cap lifted) and the load generator,
 * {@link RUNS} times with the sessions in unison, then {@link RUNS} times spread.
 * @param counts concurrent sessions per run
 */
export async function benchCapacity(counts = [1, 2, 4, 6, 8, 10]) {
  const audioSeconds = twoSentences().samples.length / 16_000;
  const rows: CapacityRow[] = [];
  for (const n of counts) {
    const server = await serverProcess({ DICTATE_MAX_SESSIONS: String(Math.max(64, n)) });
    let sampler: NodeJS.Timeout | undefined;
    try {
      // Warm the page cache and the decoders' first allocation, then measure.
      await load(server.base, 1);
      let peak = rssMiB(server.pid);
      sampler = setInterval(() => (peak = Math.max(peak, rssMiB(server.pid))), 250);
      const cpu0 = cpuSeconds(server.pid);
      const t0 = performance.now();
      const result = await loadRuns(server.base, n);
      const wall = (performance.now() - t0) / 1000;
      const cpu = cpuSeconds(server.pid) - cpu0;
      const spread = await loadRuns(server.base, n, SPREAD_MS);
      const exit = server.exit();
      if (exit !== null) throw new Error(`The server exited (${exit}) during the run of ${n} sessions.`);
      rows.push({
        sessions: n,
        finalLagP50Ms: Math.round(percentile(result.lags, 0.5)),
        finalLagP95Ms: Math.round(percentile(result.lags, 0.95)),
        spreadFinalLagP50Ms: Math.round(percentile(spread.lags, 0.5)),
        spreadFinalLagP95Ms: Math.round(percentile(spread.lags, 0.95)),
        finals: result.lags.length + spread.lags.length,
        errors: result.errors.length + spread.errors.length,
        serverCpuCores: Number((cpu / wall).toFixed(2)),
        serverCpuPerSession: Number((cpu / (RUNS * n * audioSeconds)).toFixed(3)),
        serverPeakRssMiB: Math.round(Math.max(peak, rssMiB(server.pid))),
      });
    } finally {
      clearInterval(sampler);
      await server.stop();
    }
  }
  // The cap the server derives by itself (no DICTATE_MAX_SESSIONS): one session more is refused at once.
  const server = await serverProcess({ DICTATE_MAX_SESSIONS: '' });
  try {
    const ready = (await fetch(`${server.http}/readyz`).then((r) => r.json())) as { max_sessions: number };
    const cap = ready.max_sessions;
    const beyond = await load(server.base, cap + 1);
    return { rows, derivedCap: cap, beyondCap: { sessions: cap + 1, refused: beyond.errors } };
  } finally {
    await server.stop();
  }
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

/** Part 6 whole: the table, the cap, idle connections and bursts. */
export async function measureCapacity(engine: SpeechEngine) {
  const table = await benchCapacity();
  const idle = await benchIdle(engine, 200);
  const bursts = await benchBursts();
  return { ...table, idle, bursts };
}

export function printCapacity(c: Awaited<ReturnType<typeof measureCapacity>>): void {
  console.log('Capacity (the server alone in its own process; concurrent real-time Reson8 sessions from another)');
  console.log(
    `  sessions | final lag p50 / p95, in unison | spread over ${SPREAD_MS / 1000} s | server CPU | CPU s per audio s per session | peak RSS | errors`,
  );
  for (const r of c.rows)
    console.log(
      `  ${r.sessions} | ${r.finalLagP50Ms} / ${r.finalLagP95Ms} ms | ${r.spreadFinalLagP50Ms} / ${r.spreadFinalLagP95Ms} ms | ${r.serverCpuCores} cores | ${r.serverCpuPerSession} | ${r.serverPeakRssMiB} MiB | ${r.errors}`,
    );
  console.log(`  beyond the derived cap of ${c.derivedCap}: ${c.beyondCap.refused[0] ?? 'not refused'}`);
  console.log(
    `  ${c.idle.idleConnections} idle connections: RSS ${c.idle.rssAboveBaselineMiB} MiB above the baseline (no decoder until audio)`,
  );
  console.log(
    `  ${c.bursts.bursts} bursts of ${c.bursts.sessionsPerBurst} sessions (pool ${c.bursts.poolSize}): RSS +${c.bursts.rssAfterFirstBurstMiB} MiB after the first, +${c.bursts.rssAfterAllBurstsMiB} MiB after all`,
  );
}
