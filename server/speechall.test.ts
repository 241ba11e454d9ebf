import type { Server } from 'node:http';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FIXTURES_DIR, referenceFor } from '../e2e/support/fixtures';
import { readWav } from '../e2e/support/wav';
import { wordErrorRate } from '../e2e/support/wer';
import { loadPocketSphinx } from './engine/pocketsphinx';
import { SPEECHALL_LOCAL_MODEL, SPEECHALL_PATH } from '../src/protocol/speechall-contract';
import { TestClient } from './test-client';
import { pcmBytes, startTestServer } from './test-server';

const engine = loadPocketSphinx();
const CLIP = 'sense_and_sensibility_01_austen_64kb-0920.wav';
const clip = readWav(join(FIXTURES_DIR, CLIP));
const reference = referenceFor(CLIP);

/** The clip as 4096-sample chunks (the size Speechall's documentation recommends), then 1 s of silence so the VAD ends the utterance. */
function streamClip(client: TestClient) {
  for (let i = 0; i < clip.samples.length; i += 4096) client.ws.send(pcmBytes(clip.samples.subarray(i, i + 4096)));
  client.ws.send(pcmBytes(new Int16Array(16_000)));
}

function query(params: Record<string, string | string[]>): string {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) for (const value of [v].flat()) q.append(k, value);
  return q.toString();
}

describe('Speechall streaming endpoint', () => {
  let server: Server;
  let url: string;
  beforeAll(async () => {
    const started = await startTestServer(engine);
    server = started.server;
    url = started.base + SPEECHALL_PATH;
  });
  afterAll(() => server.close());

  it('sends plain text chunks for output_format=text (the default)', async () => {
    const client = await TestClient.connect(`${url}?${query({ model: SPEECHALL_LOCAL_MODEL, language: 'en' })}`);
    streamClip(client);
    await client.waitFor((ms) => ms.length > 0, 'a result', 20_000);
    expect(client.messages[0].type).toBe('<text>');
    expect(wordErrorRate(reference, client.texts.join(' '))).toBeLessThan(0.35);
    client.ws.close();
  });

  it('hears custom_vocabulary (repeated parameters, a hint in parentheses) in that session only', async () => {
    const name = readWav(join(FIXTURES_DIR, 'sense_and_sensibility_01_austen_64kb-0870.wav')).samples;
    const session = async (params: Record<string, string | string[]>) => {
      const client = await TestClient.connect(`${url}?${query({ model: SPEECHALL_LOCAL_MODEL, ...params })}`);
      for (let i = 0; i < name.length; i += 4096) client.ws.send(pcmBytes(name.subarray(i, i + 4096)));
      client.ws.send(pcmBytes(new Int16Array(16_000)));
      await client.waitFor(() => /how|do|power/.test(client.texts.join(' ')), 'the end of the sentence', 30_000);
      client.ws.close();
      return client.texts.join(' ');
    };
    expect(await session({ custom_vocabulary: ['Dashwoode (dash wood)', 'Norland'] })).toContain('john Dashwoode');
    expect(await session({})).not.toMatch(/dashwood/i);
  });

  it('sends {id, text, language, words[{text, start, end, confidence}]} for output_format=json, as documented', async () => {
    const client = await TestClient.connect(
      `${url}?${query({ model: SPEECHALL_LOCAL_MODEL, language: 'en', output_format: 'json', punctuation: 'true' })}`,
    );
    streamClip(client);
    await client.waitFor((ms) => ms.length > 0, 'a result', 20_000);
    const result = JSON.parse(client.texts[0]) as {
      id: string;
      text: string;
      language: string;
      words: { text: string; start: number; end: number; confidence: number }[];
    };
    expect(Object.keys(result).sort()).toEqual(['id', 'language', 'text', 'words']);
    expect(result.id).toMatch(/^[0-9a-f-]{36}$/);
    expect(result.language).toBe('en');
    expect(wordErrorRate(reference, result.text)).toBeLessThan(0.35);
    expect(result.words.map((w) => w.text).join(' ')).toBe(result.text);
    for (const w of result.words) {
      expect(w.end).toBeGreaterThan(w.start);
      expect(w.confidence).toBeGreaterThanOrEqual(0);
      expect(w.confidence).toBeLessThanOrEqual(1);
    }
    // Seconds, not ms: the clip is 6 s long.
    expect(result.words.at(-1)!.end).toBeLessThan(6.2);
    expect(result.words[0].start).toBeLessThan(0.6);
  });

  it('adds the utterance start, end and duration for verbose_json', async () => {
    const client = await TestClient.connect(`${url}?${query({ model: SPEECHALL_LOCAL_MODEL, output_format: 'verbose_json' })}`);
    streamClip(client);
    await client.waitFor((ms) => ms.length > 0, 'a result', 20_000);
    const result = JSON.parse(client.texts[0]) as Record<string, number> & { words: { start: number; end: number }[] };
    expect(result.start).toBe(result.words[0].start);
    expect(result.end).toBe(result.words.at(-1)!.end);
    expect(result.duration).toBeCloseTo(result.end - result.start, 3);
  });

  it('accepts every documented parameter', async () => {
    const { status } = await TestClient.upgradeStatus(
      `${url}?${query({
        model: SPEECHALL_LOCAL_MODEL,
        language: 'auto',
        output_format: 'json',
        punctuation: 'false',
        diarization: 'false',
        temperature: '0.2',
        initial_prompt: 'Sense and Sensibility',
        speakers_expected: '1',
        custom_vocabulary: ['Dashwood', 'Norland'],
      })}`,
    );
    expect(status).toBe(101);
  });

  it.each([
    [{ model: '' }, /model is required/],
    [{ model: 'deepgram.nova-2' }, /Unknown model "deepgram.nova-2"/],
    [{ language: 'de' }, /Language "de"/],
    [{ output_format: 'srt' }, /output_format must be/],
    [{ temperature: '3' }, /temperature/],
    [{ speakers_expected: '11' }, /speakers_expected/],
    [{ punctuation: 'yes' }, /punctuation must be true or false/],
    [{ custom_vocabulary: '["a", 1]' }, /custom_vocabulary/],
  ])('refuses the upgrade with 400 for %j', async (params: Record<string, string>, message) => {
    const { status, body } = await TestClient.upgradeStatus(`${url}?${query({ model: SPEECHALL_LOCAL_MODEL, ...params })}`);
    expect(status).toBe(400);
    expect(body).toEqual({ error: { code: 'invalid_request', message: expect.stringMatching(message) } });
  });

  it('closes with 1003 on a text frame (audio is binary)', async () => {
    const client = await TestClient.connect(`${url}?model=${SPEECHALL_LOCAL_MODEL}`);
    client.send('{"type":"audio"}');
    expect(await client.closed()).toBe(1003);
    expect(client.closeReason).toMatch(/binary/);
  });
});

describe('Speechall streaming endpoint with a key', () => {
  const KEY = 'sa-local-key';
  let server: Server;
  let url: string;
  beforeAll(async () => {
    const started = await startTestServer(engine, { apiKey: KEY });
    server = started.server;
    url = `${started.base}${SPEECHALL_PATH}?model=${SPEECHALL_LOCAL_MODEL}`;
  });
  afterAll(() => server.close());

  it('accepts the api_key query parameter (the documented browser example) and transcribes', async () => {
    const client = await TestClient.connect(`${url}&api_key=${KEY}&output_format=json`);
    streamClip(client);
    await client.waitFor((ms) => ms.length > 0, 'a result', 20_000);
    expect(wordErrorRate(reference, String(client.messages[0].text))).toBeLessThan(0.35);
  });

  it('accepts Authorization: Bearer (server-side clients)', async () => {
    expect((await TestClient.upgradeStatus(url, { headers: { Authorization: `Bearer ${KEY}` } })).status).toBe(101);
  });

  it.each([
    ['no key', ''],
    ['a wrong api_key', '&api_key=wrong'],
  ])('refuses the upgrade with 401 for %s', async (_name, suffix) => {
    const { status, body } = await TestClient.upgradeStatus(url + suffix);
    expect(status).toBe(401);
    expect(body).toMatchObject({ error: { code: 'unauthorized' } });
  });

  it('refuses the bearer subprotocol, which Speechall does not document', async () => {
    expect((await TestClient.upgradeStatus(url, { protocols: ['bearer', KEY] })).status).toBe(401);
  });
});
