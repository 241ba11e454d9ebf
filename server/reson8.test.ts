import type { Server } from 'node:http';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FIXTURES_DIR, referenceFor } from '../e2e/support/fixtures';
import { readWav } from '../e2e/support/wav';
import { wordErrorRate } from '../e2e/support/wer';
import { loadPocketSphinx } from './engine/pocketsphinx';
import { RESON8_PATH } from '../src/protocol/reson8-contract';
import { TestClient } from './test-client';
import { pcmBytes, startTestServer } from './test-server';

const engine = loadPocketSphinx();
const CLIP = 'sense_and_sensibility_01_austen_64kb-0920.wav';
const clip = readWav(join(FIXTURES_DIR, CLIP));
const reference = referenceFor(CLIP);
const ALL =
  'encoding=pcm_s16le&sample_rate=16000&channels=1&include_interim=true&include_timestamps=true&include_words=true&include_confidence=true';

/** Sends the clip as 20 ms binary frames. */
function streamClip(client: TestClient, samples = clip.samples) {
  for (let i = 0; i < samples.length; i += 320) client.ws.send(pcmBytes(samples.subarray(i, i + 320)));
}

async function flush(client: TestClient, id: string | null = 'abc123') {
  client.send(id === null ? { type: 'flush_request' } : { type: 'flush_request', id });
  return client.next('flush_confirmation', 20_000);
}

describe('Reson8 realtime endpoint', () => {
  let server: Server;
  let url: string;
  beforeAll(async () => {
    const started = await startTestServer(engine);
    server = started.server;
    url = started.base + RESON8_PATH;
  });
  afterAll(() => server.close());

  it('transcribes real speech with every include_ option: interim, then a final with timestamps, words and confidence', async () => {
    const client = await TestClient.connect(`${url}?${ALL}`);
    streamClip(client);
    const confirmation = await flush(client);
    expect(confirmation).toEqual({ type: 'flush_confirmation', id: 'abc123' });
    const transcripts = client.messages.filter((m) => m.type === 'transcript');
    const interim = transcripts.filter((m) => m.is_final === false);
    const finals = transcripts.filter((m) => m.is_final === true);
    expect(interim.length).toBeGreaterThan(2);
    expect(interim[0]).toEqual({ type: 'transcript', text: expect.any(String), is_final: false });
    expect(finals.length).toBeGreaterThan(0);
    expect(wordErrorRate(reference, finals.map((m) => m.text).join(' '))).toBeLessThan(0.35);
    const final = finals[0] as unknown as {
      start_ms: number;
      duration_ms: number;
      words: { text: string; start_ms: number; duration_ms: number; confidence: number }[];
      text: string;
    };
    expect(final.words.map((w) => w.text).join(' ')).toBe(final.text);
    // The clip's speech starts within its first half second and lasts about 5.5 s.
    expect(final.start_ms).toBeGreaterThanOrEqual(0);
    expect(final.start_ms).toBeLessThan(600);
    expect(final.duration_ms).toBeGreaterThan(4000);
    expect(final.start_ms + final.duration_ms).toBeLessThanOrEqual(clip.samples.length / 16 + 50);
    for (const [i, w] of final.words.entries()) {
      expect(w.confidence).toBeGreaterThanOrEqual(0);
      expect(w.confidence).toBeLessThanOrEqual(1);
      expect(w.duration_ms).toBeGreaterThan(0);
      if (i > 0) expect(w.start_ms).toBeGreaterThanOrEqual(final.words[i - 1].start_ms + final.words[i - 1].duration_ms);
    }
    // The confirmation comes after the flushed transcript.
    expect(client.messages.at(-1)?.type).toBe('flush_confirmation');
    client.ws.close();
  });

  it('times words in stream time: a second utterance after silence starts later by the gap', async () => {
    const client = await TestClient.connect(`${url}?include_timestamps=true`);
    streamClip(client);
    streamClip(client, new Int16Array(16_000));
    streamClip(client);
    await flush(client);
    const finals = client.messages.filter((m) => m.type === 'transcript') as unknown as { start_ms: number }[];
    expect(finals).toHaveLength(2);
    const expected = clip.samples.length / 16 + 1000;
    expect(Math.abs(finals[1].start_ms - finals[0].start_ms - expected)).toBeLessThan(100);
  });

  it('without include_interim sends only finals, without is_final; without the other flags only text', async () => {
    const client = await TestClient.connect(url);
    streamClip(client);
    await flush(client);
    const transcripts = client.messages.filter((m) => m.type === 'transcript');
    expect(transcripts.length).toBeGreaterThan(0);
    for (const t of transcripts) expect(Object.keys(t).sort()).toEqual(['text', 'type']);
  });

  it('finalises the utterance in progress on flush_request, and returns id null when none was given', async () => {
    const client = await TestClient.connect(`${url}?include_interim=true`);
    streamClip(client, clip.samples.subarray(0, 40_000)); // 2.5 s: mid-sentence
    const confirmation = await flush(client, null);
    expect(confirmation).toEqual({ type: 'flush_confirmation', id: null });
    const finals = client.messages.filter((m) => m.type === 'transcript' && m.is_final === true);
    expect(String(finals.at(-1)?.text)).toMatch(/married/);
    // The session goes on after a flush.
    streamClip(client);
    client.send({ type: 'flush_request', id: 'second' });
    await client.waitFor((ms) => ms.filter((m) => m.type === 'flush_confirmation').length === 2, 'second confirmation', 20_000);
    expect(client.messages.filter((m) => m.type === 'flush_confirmation').map((m) => m.id)).toEqual([null, 'second']);
  });

  it('joins frames that split a sample (odd byte counts) without losing audio', async () => {
    const client = await TestClient.connect(url);
    const bytes = pcmBytes(clip.samples);
    for (let i = 0; i < bytes.length; i += 333) client.ws.send(bytes.subarray(i, i + 333));
    await flush(client);
    const text = client.messages
      .filter((m) => m.type === 'transcript')
      .map((m) => m.text)
      .join(' ');
    expect(wordErrorRate(reference, text)).toBeLessThan(0.35);
  });

  it.each([
    ['encoding=opus', /encoding/],
    ['sample_rate=8000', /sample_rate 8000/],
    ['channels=2', /channels 2/],
    ['include_words=maybe', /include_words must be true or false/],
    ['custom_model_id=medical-v2', /Unknown custom_model_id "medical-v2"/],
  ])('refuses the upgrade with 400 INVALID_REQUEST for %s', async (query, message) => {
    const { status, body } = await TestClient.upgradeStatus(`${url}?${query}`);
    expect(status).toBe(400);
    expect(body).toEqual({ error: { code: 'INVALID_REQUEST', message: expect.stringMatching(message) } });
  });

  it('closes with 1007 and a reason on a malformed text message', async () => {
    const client = await TestClient.connect(url);
    client.send('{not json');
    expect(await client.closed()).toBe(1007);
    expect(client.closeReason).toMatch(/not valid JSON/);
  });

  it('closes with 1009 on a frame over 1 MiB', async () => {
    const client = await TestClient.connect(url);
    client.ws.send(Buffer.alloc(2 * 1024 * 1024));
    expect(await client.closed()).toBe(1009);
  });
});

describe('Reson8 realtime endpoint with a key', () => {
  const KEY = 'r8-local-key';
  let server: Server;
  let url: string;
  beforeAll(async () => {
    const started = await startTestServer(engine, { apiKey: KEY });
    server = started.server;
    url = started.base + RESON8_PATH;
  });
  afterAll(() => server.close());

  it('accepts Sec-WebSocket-Protocol "bearer, <token>" (the documented browser example) and answers "bearer", never the token', async () => {
    const client = await TestClient.connect(url, { protocols: ['bearer', KEY] });
    expect(client.ws.protocol).toBe('bearer');
    streamClip(client, clip.samples.subarray(0, 16_000));
    expect(await flush(client)).toEqual({ type: 'flush_confirmation', id: 'abc123' });
  });

  it.each([
    ['Authorization: ApiKey (the documented Python example)', { headers: { Authorization: `ApiKey ${KEY}` } }],
    ['Authorization: Bearer', { headers: { Authorization: `Bearer ${KEY}` } }],
  ])('accepts %s', async (_name, options) => {
    expect((await TestClient.upgradeStatus(url, options)).status).toBe(101);
  });

  it.each([
    ['no credentials', {}],
    ['a wrong bearer token', { protocols: ['bearer', 'wrong'] }],
    ['a wrong ApiKey header', { headers: { Authorization: 'ApiKey wrong' } }],
    ['the key as a query parameter (not a Reson8 method)', { query: `api_key=${KEY}` }],
  ])(
    'refuses the upgrade with 401 UNAUTHORIZED for %s',
    async (_name, options: { protocols?: string[]; headers?: Record<string, string>; query?: string }) => {
      const { status, body } = await TestClient.upgradeStatus(options.query ? `${url}?${options.query}` : url, options);
      expect(status).toBe(401);
      expect(body).toMatchObject({ error: { code: 'UNAUTHORIZED' } });
      expect(JSON.stringify(body)).not.toContain('wrong');
    },
  );
});

describe('Reson8 realtime endpoint without PocketSphinx', () => {
  it('refuses the upgrade with 500 INTERNAL_ERROR naming what to install', async () => {
    const { server, base } = await startTestServer(engine, { unavailable: true });
    try {
      const { status, body } = await TestClient.upgradeStatus(base + RESON8_PATH);
      expect(status).toBe(500);
      expect(body).toEqual({ error: { code: 'INTERNAL_ERROR', message: expect.stringContaining('apt-get install') } });
    } finally {
      server.close();
    }
  });
});
