/**
 * A team's deployment on loopback, for e2e/cluster.spec.ts: replicas of the server (`server/main.ts`, as
 * `npm start` runs it, each in its own process) behind Debian's nginx, configured with the README's
 * nginx block. Only the addresses change: the replicas' ports, and `listen` on a loopback port without
 * TLS (a page on localhost is a secure context already).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

/** A free loopback port. */
export async function freePort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const { port } = probe.address() as AddressInfo;
  await new Promise((resolve) => probe.close(resolve));
  return port;
}

/** Polls `url` until it answers 2xx. @throws Error after `timeoutMs`, or when `child` exits first. */
async function answered(url: string, child: ChildProcess, timeoutMs: number, what: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`${what} exited (${child.exitCode}) before answering ${url}.`);
    if (Date.now() > deadline) throw new Error(`${what} did not answer ${url} within ${timeoutMs / 1000} s.`);
    const ok = await fetch(url).then(
      (r) => r.ok,
      () => false,
    );
    if (ok) return;
    await new Promise((r) => setTimeout(r, 200));
  }
}

/** A process the test started, and how to end it. */
export interface Started {
  readonly port: number;
  readonly child: ChildProcess;
  /** Ends it with `signal` (SIGKILL: a replica that dies), then waits for the exit. */
  kill(): Promise<void>;
}

function started(port: number, child: ChildProcess, signal: NodeJS.Signals = 'SIGKILL'): Started {
  return {
    port,
    child,
    kill: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null || child.signalCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill(signal);
      }),
  };
}

/** One replica on `port` (127.0.0.1), serving the built app; resolves once `/healthz` answers. */
export async function startReplica(port: number, env: Record<string, string> = {}): Promise<Started> {
  const child = spawn(process.execPath, ['--import', 'tsx', join(root, 'server', 'main.ts')], {
    cwd: root,
    env: { ...process.env, HOST: '127.0.0.1', PORT: String(port), DICTATE_QUIET: '1', ...env },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  child.on('error', () => undefined);
  await answered(`http://127.0.0.1:${port}/healthz`, child, 60_000, `The replica on port ${port}`);
  return started(port, child);
}

/** The README's nginx block, as an operator copies it. @throws Error if the README has none. */
export function readmeNginxBlock(): string {
  const readme = readFileSync(join(root, 'README.md'), 'utf8');
  const block = /```nginx\n([\s\S]*?)```/.exec(readme)?.[1];
  if (!block) throw new Error('The README has no nginx block.');
  return block;
}

/**
 * nginx in front of `replicas` with the README's block; resolves once `/healthz` answers through it.
 * @throws Error if the block's upstreams are not the README's 8787 and 8788, or nginx does not start
 */
export async function startNginx(port: number, replicas: readonly [number, number]): Promise<Started & { dispose(): void }> {
  const block = readmeNginxBlock();
  if (!block.includes('127.0.0.1:8787') || !block.includes('127.0.0.1:8788') || !/listen 443 ssl;/.test(block))
    throw new Error('The README’s nginx block no longer has the upstreams and listen line this test rewrites.');
  const site = block
    .replace('127.0.0.1:8787', `127.0.0.1:${replicas[0]}`)
    .replace('127.0.0.1:8788', `127.0.0.1:${replicas[1]}`)
    .replace('listen 443 ssl;', `listen 127.0.0.1:${port};`);
  const dir = mkdtempSync(join(tmpdir(), 'dictate-nginx-'));
  // Workers may run as another user (nginx started as root): they buffer responses here.
  chmodSync(dir, 0o777);
  writeFileSync(
    join(dir, 'nginx.conf'),
    `worker_processes 1;
pid ${dir}/nginx.pid;
error_log ${dir}/error.log warn;
events { worker_connections 256; }
http {
  access_log ${dir}/access.log;
  client_body_temp_path ${dir}/body;
  proxy_temp_path ${dir}/proxy;
  fastcgi_temp_path ${dir}/fastcgi;
  uwsgi_temp_path ${dir}/uwsgi;
  scgi_temp_path ${dir}/scgi;
${site}
}
`,
  );
  const child = spawn('nginx', ['-e', `${dir}/error.log`, '-p', dir, '-c', join(dir, 'nginx.conf'), '-g', 'daemon off;'], {
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  child.on('error', () => undefined);
  await answered(`http://127.0.0.1:${port}/healthz`, child, 20_000, 'nginx');
  // SIGTERM: nginx's master stops its workers first (SIGKILL would leave them holding the port).
  const s = started(port, child, 'SIGTERM');
  return { ...s, dispose: () => rmSync(dir, { recursive: true, force: true }) };
}

/** A replica's open sessions, from its `/readyz`; 0 when it does not answer (a dead replica holds none). */
export async function sessionsOn(port: number): Promise<number> {
  return fetch(`http://127.0.0.1:${port}/readyz`)
    .then((r) => r.json() as Promise<{ sessions?: number }>)
    .then(
      (r) => r.sessions ?? 0,
      () => 0,
    );
}
