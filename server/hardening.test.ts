import { connect as tcp, type Socket } from 'node:net';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { FIXTURES_DIR } from '../e2e/support/fixtures';
import { readWav } from '../e2e/support/wav';
import { DEFAULT_MAX_SESSIONS, sessionCapacity, type DictateServer } from './app';
import type { SpeechEngine } from './engine/engine';
import { loadPocketSphinx } from './engine/pocketsphinx';
import { TestClient } from './test-client';
import { pcmBytes, startTestServer } from './test-server';

const engine = loadPocketSphinx();
const RESON8 = '/v1/speech-to-text/realtime?encoding=pcm_s16le&sample_rate=16000&channels=1&include_interim=true';
const running: DictateServer[] = [];
afterEach(() => running.splice(0).forEach((s) => s.close()));

async function start(options: Parameters<typeof startTestServer>[1] = {}, withEngine: SpeechEngine = engine) {
  const logs: string[] = [];
  const started = await startTestServer(withEngine, { log: (line) => logs.push(line), ...options });
  running.push(started.server);
  const http = started.base.replace('ws://', 'http://');
  return { ...started, http, logs, port: Number(new URL(http).port) };
}

/** Writes raw bytes on a TCP connection and resolves with what comes back until it closes. */
function raw(port: number, data: string | Buffer, then?: (socket: Socket) => void): Promise<string> {
  return new Promise((resolve) => {
    const socket = tcp(port, '127.0.0.1');
    let received = '';
    socket.on('error', () => resolve(received));
    socket.on('data', (chunk) => (received += chunk.toString('latin1')));
    socket.on('close', () => resolve(received));
    socket.on('connect', () => {
      socket.write(data);
      if (then) then(socket);
    });
  });
}

const alive = async (http: string) => (await fetch(`${http}/healthz`)).status;

describe('the local server survives the inputs that crashed it', () => {
  it('an upgrade to a refused path followed by a reset', async () => {
    const { http, port } = await start();
    for (let i = 0; i < 20; i++) {
      await raw(
        port,
        'GET /nowhere HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: Upgrade\r\nUpgrade: websocket\r\nSec-WebSocket-Version: 13\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n\r\n',
        (s) => s.resetAndDestroy(),
      );
    }
    expect(await alive(http)).toBe(200);
  });

  it('an upgrade with an absolute URL the parser rejects, without printing the key it carries', async () => {
    const { http, port, logs } = await start();
    const answer = await raw(
      port,
      'GET http://a:99999/ws?api_key=sk-leak-me HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: Upgrade\r\nUpgrade: websocket\r\nSec-WebSocket-Version: 13\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n\r\n',
    );
    expect(answer).toMatch(/^HTTP\/1\.1 400/);
    expect(await alive(http)).toBe(200);
    expect(logs.join('\n')).not.toContain('sk-leak-me');
  });

  it('a VoiceRun connection with a wrong key that sends a bad frame and a 17 MiB message while it is closed', async () => {
    const { base, http } = await start({ apiKey: 'sk-right' });
    for (let i = 0; i < 5; i++) {
      const ws = new WebSocket(`${base}/ws?api_key=sk-wrong`, { maxPayload: 0 });
      ws.on('error', () => undefined);
      await new Promise<void>((resolve) => {
        ws.on('open', () => {
          ws.send(Buffer.alloc(17 * 1024 * 1024));
          (ws as unknown as { _socket: Socket })._socket.write(Buffer.from([0x8f, 0xff, 0x00]));
          resolve();
        });
        ws.on('close', () => resolve());
      });
    }
    await new Promise((r) => setTimeout(r, 300));
    expect(await alive(http)).toBe(200);
  });
});

describe('the local server is locked to its own page', () => {
  it('refuses a WebSocket from another site with 403 and a reason, and accepts its own page and clients without Origin', async () => {
    const { base, port } = await start();
    expect(await TestClient.upgradeStatus(`${base}${RESON8}`, { headers: { Origin: 'https://evil.example' } })).toEqual({
      status: 403,
      body: { error: { code: 'forbidden', message: expect.stringContaining('DICTATE_ALLOWED_ORIGINS') } },
    });
    expect((await TestClient.upgradeStatus(`${base}${RESON8}`, { headers: { Origin: `http://127.0.0.1:${port}` } })).status).toBe(101);
    expect((await TestClient.upgradeStatus(`${base}${RESON8}`)).status).toBe(101);
  });

  it('accepts the origins listed in DICTATE_ALLOWED_ORIGINS', async () => {
    const { base } = await start({ allowedOrigins: ['https://app.example'] });
    expect((await TestClient.upgradeStatus(`${base}${RESON8}`, { headers: { Origin: 'https://app.example' } })).status).toBe(101);
  });

  it('checks the Host header when bound to loopback, which defeats DNS rebinding', async () => {
    const { http, base } = await start({ allowedHosts: ['localhost', '127.0.0.1', '[::1]'] });
    expect((await fetch(`${http}/healthz`)).status).toBe(200);
    expect(
      await raw(Number(new URL(http).port), 'GET /healthz HTTP/1.1\r\nHost: rebound.evil.example\r\nConnection: close\r\n\r\n'),
    ).toMatch(/^HTTP\/1\.1 403/);
    expect((await TestClient.upgradeStatus(`${base}${RESON8}`, { headers: { Host: 'rebound.evil.example' } })).status).toBe(403);
  });

  it('answers other methods with 405, and sends its security headers on every response', async () => {
    const { http } = await start();
    const post = await fetch(`${http}/`, { method: 'POST', body: 'x' });
    expect(post.status).toBe(405);
    expect(post.headers.get('allow')).toBe('GET, HEAD');
    for (const response of [post, await fetch(`${http}/healthz`), await fetch(`${http}/nothing-here`)]) {
      expect(response.headers.get('content-security-policy')).toBe(
        "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; connect-src 'self' ws: wss: https:; media-src 'self' blob:; frame-ancestors 'none'; object-src 'none'; base-uri 'none'",
      );
      expect(response.headers.get('x-content-type-options')).toBe('nosniff');
      expect(response.headers.get('referrer-policy')).toBe('no-referrer');
      expect(response.headers.get('cross-origin-opener-policy')).toBe('same-origin');
    }
  });
});

describe('admission control', () => {
  it('derives the default cap from the cores and the engine’s measured CPU per session, with headroom', () => {
    // 2 cores at 0.115 CPU s per audio s (this machine, measured): 8 sessions; 16 cores: 69.
    expect(sessionCapacity(2, 0.115)).toBe(8);
    expect(sessionCapacity(16, 0.115)).toBe(69);
    expect(sessionCapacity(2, 0.28, 0.3)).toBe(2);
    // A machine too slow for one still serves one session; nonsense inputs fall back to the fixed default.
    expect(sessionCapacity(1, 2)).toBe(1);
    expect(sessionCapacity(0, 0.2)).toBe(DEFAULT_MAX_SESSIONS);
    expect(sessionCapacity(4, Number.NaN)).toBe(DEFAULT_MAX_SESSIONS);
  });

  it('holds at most DICTATE_MAX_SESSIONS sessions: one more is closed with 1013 and a reason; /readyz says so', async () => {
    const { base, http } = await start({ maxSessions: 1 });
    expect(await (await fetch(`${http}/readyz`)).json()).toMatchObject({ ready: true, sessions: 0, max_sessions: 1 });
    const first = await TestClient.connect(`${base}${RESON8}`);
    const ready = await fetch(`${http}/readyz`);
    expect(ready.status).toBe(503);
    expect(await ready.json()).toMatchObject({ ready: false, sessions: 1, max_sessions: 1 });
    const second = await TestClient.connect(`${base}${RESON8}`);
    expect(await second.closed()).toBe(1013);
    expect(second.closeReason).toBe('The local engine is busy (1 sessions); try again shortly.');
    first.ws.close();
    await first.closed();
    await new Promise((r) => setTimeout(r, 50));
    expect((await fetch(`${http}/readyz`)).status).toBe(200);
  });

  it('opens a recognizer only when audio arrives: an idle connection costs no decoder', async () => {
    let opened = 0;
    const counting: SpeechEngine = { health: () => engine.health(), open: (events) => (opened++, engine.open(events)) };
    const { base } = await start({}, counting);
    const client = await TestClient.connect(`${base}${RESON8}`);
    await new Promise((r) => setTimeout(r, 200));
    expect(opened).toBe(0);
    client.ws.send(pcmBytes(new Int16Array(320)));
    await new Promise((r) => setTimeout(r, 200));
    expect(opened).toBe(1);
    client.ws.close();
  });

  it('drops a client that does not finish its handshake in time', async () => {
    const { port, http } = await start({ handshakeTimeoutMs: 300 });
    const started = Date.now();
    const answer = await raw(port, 'GET /ws HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\n'); // never ends its headers
    expect(Date.now() - started).toBeLessThan(3000);
    expect(answer).toMatch(/^(HTTP\/1\.1 408|$)/);
    expect(await alive(http)).toBe(200);
  });

  it('closes a connection that sends no audio for the idle timeout', async () => {
    const { base } = await start({ idleTimeoutMs: 400 });
    const client = await TestClient.connect(`${base}${RESON8}`);
    expect(await client.closed(3000)).toBe(1000);
    expect(client.closeReason).toMatch(/^Idle timeout/);
  });
});

describe('graceful shutdown', () => {
  it('finishes open sessions: the last final, session.closed, then 1001', async () => {
    const { base, server } = await start();
    const client = await TestClient.connect(`${base}/ws`);
    await client.next('session.created');
    client.send({ type: 'session.update', session: { model: 'pocketsphinx-en-us', provider: 'LOCAL' } });
    await client.next('session.updated');
    const clip = readWav(join(FIXTURES_DIR, 'sense_and_sensibility_01_austen_64kb-0880.wav')).samples;
    for (let i = 0; i < clip.length; i += 320) {
      client.send({ type: 'audio.append', audio: pcmBytes(clip.subarray(i, i + 320)).toString('base64') });
    }
    await client.next('transcription.partial'); // the engine is in the middle of it
    // A grace sized for a busy machine: the backlog of 3 s is decoded before the end.
    await server.shutdown(30_000);
    expect(await client.closed()).toBe(1001);
    const types = client.messages.map((m) => m.type);
    expect(types).toContain('transcription.completed');
    expect(types.at(-1)).toBe('session.closed');
    expect(types.lastIndexOf('transcription.completed')).toBeLessThan(types.indexOf('session.closed'));
  });

  it('closes a session it could not finish within the grace with 1001 too, never an abnormal close', async () => {
    const { base, server } = await start();
    const client = await TestClient.connect(`${base}${RESON8}`);
    const clip = readWav(join(FIXTURES_DIR, 'sense_and_sensibility_01_austen_64kb-0920.wav')).samples;
    for (let i = 0; i < 4; i++) client.ws.send(pcmBytes(clip)); // 24 s of backlog: more than any grace of 1 ms
    await new Promise((r) => setTimeout(r, 200));
    await server.shutdown(1);
    expect(await client.closed()).toBe(1001);
  });
});

describe('resources and secrets', () => {
  it('frees the decoder of a client that disconnects within 1 s, even while reading is paused', async () => {
    let closedAt = 0;
    const watching: SpeechEngine = {
      health: () => engine.health(),
      open: async (events) => {
        const r = await engine.open(events);
        return { write: (s) => r.write(s), finish: () => r.finish(), close: () => ((closedAt = Date.now()), r.close()) };
      },
    };
    const { base } = await start({}, watching);
    const client = await TestClient.connect(`${base}${RESON8}`);
    const clip = readWav(join(FIXTURES_DIR, 'sense_and_sensibility_01_austen_64kb-0920.wav')).samples;
    for (let i = 0; i < 4; i++) client.ws.send(pcmBytes(clip)); // 24 s at once: far past the backlog limit, reading pauses
    await new Promise((r) => setTimeout(r, 300));
    const gone = Date.now();
    client.ws.terminate();
    await new Promise((r) => setTimeout(r, 1000));
    expect(closedAt).toBeGreaterThanOrEqual(gone);
    expect(closedAt - gone).toBeLessThan(1000);
  });

  it('never writes a key into its log, whatever the faults', async () => {
    const KEY = 'sk-server-secret-42';
    const WRONG = 'sk-wrong-guess-17';
    const { base, port, logs } = await start({ apiKey: KEY });
    for (const url of [
      `${base}/ws?api_key=${WRONG}`,
      `${base}/ws?token=${KEY}`,
      `${base}${RESON8}`,
      `${base}/v1/transcribe?model=x&api_key=${WRONG}`,
    ]) {
      await TestClient.upgradeStatus(url, { protocols: ['bearer', WRONG] }).catch(() => undefined);
    }
    const firstMessage = await TestClient.connect(`${base}/ws`);
    firstMessage.send({ type: 'auth', token: WRONG });
    await firstMessage.closed();
    await raw(
      port,
      `GET http://a:99999/ws?api_key=${KEY} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: Upgrade\r\nUpgrade: websocket\r\n\r\n`,
    );
    await new Promise((r) => setTimeout(r, 100));
    expect(logs.length).toBeGreaterThan(3);
    expect(logs.join('\n')).not.toMatch(new RegExp(`${KEY}|${WRONG}`));
  });
});
