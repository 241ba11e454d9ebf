/**
 * Fuzz: 10,000 random and malformed handshakes and frames at every dialect, from a seeded generator,
 * while a well-behaved client on another connection dictates a real sentence. The server must stay up
 * and that client must get its transcript.
 */
import { connect as tcp } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FIXTURES_DIR, referenceFor } from '../e2e/support/fixtures';
import { readWav } from '../e2e/support/wav';
import { wordErrorRate } from '../e2e/support/wer';
import type { DictateServer } from './app';
import { loadPocketSphinx } from './engine/pocketsphinx';
import { TestClient } from './test-client';
import { pcmBytes, startTestServer } from './test-server';

const PATHS = [
  '/ws',
  '/v1/speech-to-text/realtime?encoding=pcm_s16le&sample_rate=16000&channels=1',
  '/v1/transcribe?model=local.pocketsphinx-en-us',
];
const INPUTS = 10_000;

/** A small seeded generator (mulberry32), so a failure can be replayed. */
function generator(seed: number) {
  let a = seed;
  const next = () => {
    a |= 0;
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const int = (n: number) => Math.floor(next() * n);
  const bytes = (n: number) => Buffer.from(Array.from({ length: n }, () => int(256)));
  return { next, int, bytes, pick: <T>(xs: readonly T[]) => xs[int(xs.length)] };
}
type Random = ReturnType<typeof generator>;

const upgrade = (path: string, extra = '') =>
  `GET ${path} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: Upgrade\r\nUpgrade: websocket\r\nSec-WebSocket-Version: 13\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n${extra}\r\n`;

/** One WebSocket frame, valid or not: any opcode, masked or not, any length field, bad UTF-8 in text. */
function frame(r: Random): Buffer {
  const opcode = r.pick([0x0, 0x1, 0x2, 0x3, 0x7, 0x8, 0x9, 0xa, 0xb, 0xf]);
  const fin = r.next() < 0.8 ? 0x80 : 0;
  const masked = r.next() < 0.9 ? 0x80 : 0;
  const payload = opcode === 0x1 && r.next() < 0.5 ? Buffer.from([0xc3, 0x28, 0xff, 0xfe]) : r.bytes(r.int(200));
  let header: Buffer;
  const lie = r.next() < 0.1; // a length field that promises far more than comes
  if (lie) {
    header = Buffer.alloc(10);
    header[0] = fin | opcode;
    header[1] = masked | 127;
    header.writeBigUInt64BE(BigInt(r.pick([2 ** 31, 2 ** 40, 2 ** 53])), 2);
  } else if (payload.length < 126) {
    header = Buffer.from([fin | opcode, masked | payload.length]);
  } else {
    header = Buffer.from([fin | opcode, masked | 126, payload.length >> 8, payload.length & 0xff]);
  }
  const mask = masked ? r.bytes(4) : Buffer.alloc(0);
  if (masked) for (let i = 0; i < payload.length; i++) payload[i] ^= mask[i % 4];
  return Buffer.concat([header, mask, payload]);
}

/** One connection's worth of inputs: a handshake (good or broken), then frames, then a reset or an end. */
function attack(port: number, r: Random, inputs: number): Promise<void> {
  return new Promise((resolve) => {
    const socket = tcp(port, '127.0.0.1');
    const done = () => resolve();
    socket.on('error', done);
    socket.on('close', done);
    socket.on('data', () => undefined);
    socket.on('connect', () => {
      const kind = r.int(4);
      if (kind === 0)
        socket.write(r.bytes(r.int(300))); // garbage instead of HTTP
      else if (kind === 1)
        socket.write(
          upgrade(
            r.pick(PATHS),
            r.pick(['Origin: null\r\n', 'Sec-WebSocket-Protocol: bearer, \u0000\r\n', `X-Junk: ${'a'.repeat(r.int(9000))}\r\n`]),
          ),
        ); // odd headers
      else socket.write(upgrade(r.pick(PATHS)));
      for (let i = 1; i < inputs; i++) socket.write(frame(r));
      if (r.next() < 0.5)
        socket.resetAndDestroy(); // a reset mid-frame
      else socket.end();
    });
    setTimeout(() => socket.destroy(), 2000).unref();
  });
}

describe('fuzzing every dialect', () => {
  let server: DictateServer;
  let base: string;
  beforeAll(async () => ({ server, base } = await startTestServer(loadPocketSphinx(), { maxSessions: 12 })));
  afterAll(() => server.close());

  it(`survives ${INPUTS} random and malformed handshakes and frames while another client still gets its transcript`, async () => {
    const clipName = 'sense_and_sensibility_01_austen_64kb-0920.wav';
    const clip = readWav(join(FIXTURES_DIR, clipName)).samples;
    const good = await TestClient.connect(`${base}/v1/speech-to-text/realtime?encoding=pcm_s16le&sample_rate=16000&channels=1`);
    const port = Number(new URL(base).port);
    const r = generator(20261128);
    const perConnection = 50;
    // The well-behaved client dictates at real time while the attacks run, 8 connections at a time.
    const dictation = (async () => {
      for (let i = 0; i < clip.length; i += 320) {
        good.ws.send(pcmBytes(clip.subarray(i, i + 320)));
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
      good.ws.send(pcmBytes(new Int16Array(16_000)));
      good.send({ type: 'flush_request', id: 'end' });
      return good.next('flush_confirmation', 30_000);
    })();
    let sent = 0;
    const workers = Array.from({ length: 8 }, async () => {
      while (sent < INPUTS) {
        sent += perConnection;
        await attack(port, r, perConnection);
      }
    });
    await Promise.all(workers);
    await dictation;
    expect(sent).toBeGreaterThanOrEqual(INPUTS);
    expect((await fetch(`${base.replace('ws://', 'http://')}/healthz`)).status).toBe(200);
    const text = good.messages
      .filter((m) => m.type === 'transcript')
      .map((m) => String(m.text))
      .join(' ');
    expect(wordErrorRate(referenceFor(clipName), text)).toBeLessThan(0.35);
    good.ws.close();
  }, 90_000);
});
