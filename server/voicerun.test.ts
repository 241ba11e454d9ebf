import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FIXTURES_DIR, referenceFor } from '../e2e/support/fixtures';
import { readWav } from '../e2e/support/wav';
import { wordErrorRate } from '../e2e/support/wer';
import { linearToMulaw } from '../src/protocol/mulaw';
import { createDictateServer } from './app';
import { unavailableEngine } from './engine/engine';
import { INSTALL_HINT, loadPocketSphinx } from './engine/pocketsphinx';
import { TestClient } from './test-client';
import { VOICERUN_LOCAL_MODEL_NAME as LOCAL_MODEL, VOICERUN_LOCAL_PROVIDER as LOCAL_PROVIDER } from '../src/protocol/voicerun-contract';

const engine = loadPocketSphinx();
const CLIP = 'sense_and_sensibility_01_austen_64kb-0920.wav';
const clip = readWav(join(FIXTURES_DIR, CLIP));
const reference = referenceFor(CLIP);

async function start(options: { apiKey?: string; unavailable?: boolean } = {}): Promise<{ server: Server; url: string }> {
  const server = createDictateServer({
    engine: options.unavailable ? unavailableEngine(INSTALL_HINT) : engine,
    apiKey: options.apiKey,
    maxSessions: 32, // many connections at once; the cap has tests of its own
    log: () => {},
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, url: `ws://127.0.0.1:${(server.address() as AddressInfo).port}/ws` };
}

const sessionUpdate = (session: Record<string, unknown> = {}) => ({
  type: 'session.update',
  session: { model: LOCAL_MODEL, provider: LOCAL_PROVIDER, language: 'en', input_audio_format: 'pcm16', sample_rate: 16000, ...session },
});

function pcmBase64(samples: Int16Array): string {
  return Buffer.from(samples.buffer, samples.byteOffset, samples.byteLength).toString('base64');
}

/** Sends the clip as 20 ms audio.append messages. */
function streamClip(client: TestClient, encode: (chunk: Int16Array) => string = pcmBase64) {
  for (let i = 0; i < clip.samples.length; i += 320) {
    client.send({ type: 'audio.append', audio: encode(clip.samples.subarray(i, i + 320)) });
  }
}

async function configured(url: string): Promise<TestClient> {
  const client = await TestClient.connect(url);
  await client.next('session.created');
  client.send(sessionUpdate());
  await client.next('session.updated');
  return client;
}

describe('VoiceRun endpoint without a key', () => {
  let server: Server;
  let url: string;
  beforeAll(async () => ({ server, url } = await start()));
  afterAll(() => server.close());

  it('sends session.created with a ts_ id first, and echoes the config in session.updated', async () => {
    const client = await TestClient.connect(url);
    const created = await client.nth(1);
    expect(created.type).toBe('session.created');
    expect((created.session as { id: string }).id).toMatch(/^ts_[0-9a-f]{12}$/);
    client.send(sessionUpdate({ prompt: 'dashwood' }));
    const updated = await client.next('session.updated');
    expect(updated.session).toEqual({
      model: LOCAL_MODEL,
      provider: LOCAL_PROVIDER,
      language: 'en',
      prompt: 'dashwood',
      input_audio_format: 'pcm16',
      sample_rate: 16000,
    });
    client.ws.close();
  });

  it('transcribes real speech: speech.started, partials, the final, speech.stopped, then session.closed', async () => {
    const client = await configured(url);
    streamClip(client);
    client.send({ type: 'session.close' });
    await client.next('session.closed', 20_000);
    expect(await client.closed()).toBe(1000);
    const types = client.messages.map((m) => m.type);
    expect(types[types.length - 1]).toBe('session.closed');
    expect(types.indexOf('speech.started')).toBeGreaterThan(types.indexOf('session.updated'));
    expect(types.indexOf('transcription.partial')).toBeGreaterThan(types.indexOf('speech.started'));
    expect(types.lastIndexOf('transcription.completed')).toBeLessThan(types.lastIndexOf('speech.stopped'));
    const finals = client.messages.filter((m) => m.type === 'transcription.completed');
    expect(finals.every((m) => m.language === 'en')).toBe(true);
    const text = finals.map((m) => m.text).join(' ');
    expect(wordErrorRate(reference, text)).toBeLessThan(0.35);
  });

  it('finishes the utterance in progress on session.close, before session.closed', async () => {
    const client = await configured(url);
    // Only the first 2.5 s: the speaker is mid-sentence, the VAD has not ended the utterance.
    for (let i = 0; i < 40_000; i += 320) client.send({ type: 'audio.append', audio: pcmBase64(clip.samples.subarray(i, i + 320)) });
    client.send({ type: 'session.close' });
    await client.next('session.closed', 20_000);
    const types = client.messages.map((m) => m.type);
    expect(types).toContain('transcription.completed');
    expect(types.indexOf('transcription.completed')).toBeLessThan(types.indexOf('session.closed'));
    const text = String(client.messages.find((m) => m.type === 'transcription.completed')?.text);
    expect(text).toMatch(/married/);
  });

  it('accepts mu-law audio', async () => {
    const client = await TestClient.connect(url);
    client.send(sessionUpdate({ input_audio_format: 'mulaw' }));
    expect(((await client.next('session.updated')).session as { input_audio_format: string }).input_audio_format).toBe('mulaw');
    streamClip(client, (chunk) => Buffer.from(Array.from(chunk, linearToMulaw)).toString('base64'));
    client.send({ type: 'session.close' });
    await client.next('session.closed', 20_000);
    const text = client.messages
      .filter((m) => m.type === 'transcription.completed')
      .map((m) => m.text)
      .join(' ');
    expect(wordErrorRate(reference, text)).toBeLessThan(0.5);
  });

  it.each([
    [{ provider: 'DEEPGRAM' }, 'invalid_provider', /DEEPGRAM/],
    [{ model: 'nova-3' }, 'invalid_model', /Unknown STT model: nova-3/],
    [{ sample_rate: 8000 }, 'invalid_config', /16000/],
    [{ language: 'de' }, 'invalid_config', /Language "de"/],
    [{ input_audio_format: 'opus' }, 'invalid_config', /pcm16/],
    [{ model: 42 }, 'invalid_config', /session.model/],
  ])('rejects session.update %j with %s and keeps the session open', async (patch, code, message) => {
    const client = await TestClient.connect(url);
    await client.next('session.created');
    client.send(sessionUpdate(patch));
    const error = await client.next('error');
    expect(error.error).toMatchObject({ code });
    expect((error.error as { message: string }).message).toMatch(message);
    // The same connection can still be configured correctly.
    client.send(sessionUpdate());
    await client.next('session.updated');
    client.ws.close();
  });

  it('answers malformed, unknown, binary and early messages with invalid_message, and carries on', async () => {
    const client = await TestClient.connect(url);
    await client.next('session.created');
    client.send('{not json');
    client.send({ no: 'type' });
    client.send({ type: 'session.dance' });
    client.ws.send(Buffer.from([1, 2, 3]));
    client.send({ type: 'audio.append', audio: 'AAAA' }); // before session.updated
    await client.nth(6);
    const errors = client.messages.filter((m) => m.type === 'error').map((m) => m.error as { code: string; message: string });
    expect(errors).toHaveLength(5);
    expect(errors.every((e) => e.code === 'invalid_message')).toBe(true);
    expect(errors[0].message).toMatch(/JSON/);
    expect(errors[2].message).toMatch(/session\.dance/);
    expect(errors[3].message).toMatch(/Binary/);
    expect(errors[4].message).toMatch(/before session\.updated/);
    client.send(sessionUpdate());
    await client.next('session.updated');
    client.ws.close();
  });

  it('rejects bad base64 and odd byte counts', async () => {
    const client = await configured(url);
    client.send({ type: 'audio.append', audio: 'not base64!' });
    client.send({ type: 'audio.append', audio: Buffer.from([1, 2, 3]).toString('base64') });
    client.send({ type: 'audio.append', audio: 7 });
    await client.nth(5);
    const errors = client.messages.filter((m) => m.type === 'error').map((m) => (m.error as { message: string }).message);
    expect(errors[0]).toMatch(/not valid base64/);
    expect(errors[1]).toMatch(/3 bytes is not a whole number of 16-bit samples/);
    expect(errors[2]).toMatch(/base64 string/);
    client.ws.close();
  });

  it('answers a frame over 1 MiB with an error, then closes 1009', async () => {
    const client = await configured(url);
    client.send({ type: 'audio.append', audio: 'A'.repeat(1024 * 1024 + 4) });
    const error = await client.next('error');
    expect((error.error as { message: string }).message).toMatch(/exceeds/);
    expect(await client.closed()).toBe(1009);
  });

  it('keeps other sessions working while one misbehaves', async () => {
    const good = await configured(url);
    const bad = await configured(url);
    bad.send({ type: 'audio.append', audio: 'A'.repeat(2 * 1024 * 1024) });
    streamClip(good);
    good.send({ type: 'session.close' });
    await good.next('session.closed', 20_000);
    expect(await bad.closed()).toBe(1009);
    const text = good.messages
      .filter((m) => m.type === 'transcription.completed')
      .map((m) => m.text)
      .join(' ');
    expect(wordErrorRate(reference, text)).toBeLessThan(0.35);
  });

  it('404s unknown WebSocket paths', async () => {
    await expect(TestClient.connect(url.replace('/ws', '/nope'))).rejects.toThrow();
  });
});

describe('VoiceRun endpoint with DICTATE_API_KEY', () => {
  const KEY = 'sk-test-1234567890';
  let server: Server;
  let url: string;
  beforeAll(async () => ({ server, url } = await start({ apiKey: KEY })));
  afterAll(() => server.close());

  it('follows the documented Node.js example: Authorization header, session.created, session.update, session.updated', async () => {
    const client = await TestClient.connect(url, { headers: { Authorization: `Bearer ${KEY}` } });
    expect(await client.next('session.created')).toEqual({
      type: 'session.created',
      session: { id: expect.stringMatching(/^ts_[0-9a-f]{12}$/) },
    });
    client.send(sessionUpdate());
    expect(await client.next('session.updated')).toMatchObject({
      type: 'session.updated',
      session: { provider: LOCAL_PROVIDER, model: LOCAL_MODEL },
    });
    expect(client.texts.join('')).not.toContain(KEY);
    client.ws.close();
  });

  it.each([
    ['query api_key', (u: string) => `${u}?api_key=${KEY}`],
    ['query token', (u: string) => `${u}?token=${KEY}`],
  ])('accepts the key as a %s', async (_name, withKey) => {
    const client = await TestClient.connect(withKey(url));
    expect(await client.next('session.created')).toMatchObject({ type: 'session.created' });
    expect(client.closeCode).toBeNull();
    client.ws.close();
  });

  it('accepts Sec-WebSocket-Protocol "bearer, <token>" and answers "bearer", never the token', async () => {
    const client = await TestClient.connect(url, { protocols: ['bearer', KEY] });
    expect(client.ws.protocol).toBe('bearer');
    await client.next('session.created');
    client.ws.close();
  });

  it('accepts first-message auth and only then sends session.created', async () => {
    const client = await TestClient.connect(url);
    await new Promise((r) => setTimeout(r, 100));
    expect(client.messages).toHaveLength(0);
    client.send({ type: 'auth', token: KEY });
    await client.next('session.created');
    client.send(sessionUpdate());
    await client.next('session.updated');
    client.ws.close();
  });

  it.each([
    ['a wrong Bearer header', { headers: { Authorization: 'Bearer wrong' } }],
    ['a wrong subprotocol token', { protocols: ['bearer', 'wrong'] }],
  ])('closes with 4001 for %s', async (_name, options) => {
    const client = await TestClient.connect(url, options);
    expect(await client.closed()).toBe(4001);
    expect(client.messages).toHaveLength(0);
  });

  it('closes with 4001 for a wrong query key, a wrong auth message, or a first message that is not auth', async () => {
    const wrongQuery = await TestClient.connect(`${url}?api_key=nope`);
    expect(await wrongQuery.closed()).toBe(4001);
    const wrongMessage = await TestClient.connect(url);
    wrongMessage.send({ type: 'auth', token: 'nope' });
    expect(await wrongMessage.closed()).toBe(4001);
    const noAuth = await TestClient.connect(url);
    noAuth.send(sessionUpdate());
    expect(await noAuth.closed()).toBe(4001);
    expect(noAuth.messages).toHaveLength(0);
  });
});

describe('VoiceRun endpoint without PocketSphinx installed', () => {
  let server: Server;
  let url: string;
  beforeAll(async () => ({ server, url } = await start({ unavailable: true })));
  afterAll(() => server.close());

  it('still connects, and answers session.update with provider_error saying what to install', async () => {
    const client = await TestClient.connect(url);
    await client.next('session.created');
    client.send(sessionUpdate());
    const error = await client.next('error');
    expect(error.error).toEqual({ code: 'provider_error', message: INSTALL_HINT });
    expect(INSTALL_HINT).toMatch(/apt-get install libpocketsphinx3 pocketsphinx-en-us/);
    client.ws.close();
  });
});
