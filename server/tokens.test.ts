import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DictateServer } from './app';
import { loadPocketSphinx } from './engine/pocketsphinx';
import { TestClient } from './test-client';
import { startTestServer } from './test-server';
import { TokenLedger, issueToken } from './tokens';

const KEY = 'sk-backend-only-9f8e';
const engine = loadPocketSphinx();
const RESON8 = '/v1/speech-to-text/realtime?encoding=pcm_s16le&sample_rate=16000&channels=1';

describe('short-lived tokens', () => {
  let one: { server: DictateServer; base: string };
  let two: { server: DictateServer; base: string };
  const http = (base: string) => base.replace('ws://', 'http://');
  const token = async (base = one.base): Promise<string> => {
    const response = await fetch(`${http(base)}/v1/auth/token`, { method: 'POST', headers: { Authorization: `Bearer ${KEY}` } });
    const body = (await response.json()) as { token: string; expires_in: number };
    expect(body.expires_in).toBe(60);
    return body.token;
  };
  beforeAll(async () => {
    one = await startTestServer(engine, { apiKey: KEY });
    two = await startTestServer(engine, { apiKey: KEY }); // a second replica with the same key
  });
  afterAll(() => {
    one.server.close();
    two.server.close();
  });

  it('are issued only to a caller with DICTATE_API_KEY, by POST', async () => {
    expect((await fetch(`${http(one.base)}/v1/auth/token`, { method: 'POST' })).status).toBe(401);
    expect((await fetch(`${http(one.base)}/v1/auth/token`, { method: 'POST', headers: { Authorization: 'Bearer sk-guess' } })).status).toBe(
      401,
    );
    expect((await fetch(`${http(one.base)}/v1/auth/token`)).status).toBe(405);
    const response = await fetch(`${http(one.base)}/v1/auth/token`, { method: 'POST', headers: { Authorization: `Bearer ${KEY}` } });
    expect(response.headers.get('cache-control')).toBe('no-store');
    expect(await response.json()).toEqual({ token: expect.stringMatching(/^dt1\.[\w-]+\.[\w-]+$/), expires_in: 60 });
  });

  it('work in every dialect’s auth position', async () => {
    expect((await TestClient.upgradeStatus(`${one.base}/ws?api_key=${await token()}`)).status).toBe(101);
    expect((await TestClient.upgradeStatus(`${one.base}/ws`, { protocols: ['bearer', await token()] })).status).toBe(101);
    expect((await TestClient.upgradeStatus(`${one.base}${RESON8}`, { protocols: ['bearer', await token()] })).status).toBe(101);
    expect(
      (await TestClient.upgradeStatus(`${one.base}/v1/transcribe?model=local.pocketsphinx-en-us&api_key=${await token()}`)).status,
    ).toBe(101);
    const firstMessage = await TestClient.connect(`${one.base}/ws`);
    firstMessage.send({ type: 'auth', token: await token() });
    expect(await firstMessage.next('session.created')).toMatchObject({ type: 'session.created' });
    firstMessage.ws.close();
  });

  it('are good for one connection only', async () => {
    const t = await token();
    expect((await TestClient.upgradeStatus(`${one.base}${RESON8}`, { protocols: ['bearer', t] })).status).toBe(101);
    expect((await TestClient.upgradeStatus(`${one.base}${RESON8}`, { protocols: ['bearer', t] })).status).toBe(401);
  });

  it('are accepted by another replica with the same key, without shared state', async () => {
    const t = await token(one.base);
    expect((await TestClient.upgradeStatus(`${two.base}${RESON8}`, { protocols: ['bearer', t] })).status).toBe(101);
  });

  it('expire after 60 s, and a forged or altered one is refused', () => {
    const ledger = new TokenLedger();
    const issued = issueToken(KEY, 1_000_000).token;
    expect(ledger.accept(KEY, issued, 1_000_000 + 61_000)).toBe(false);
    // Altered: its last character changed (to 'A' would be no change one time in 16: 32 bytes in base64url
    // end in one of 16 characters).
    const genuine = issueToken('another-key').token;
    expect(ledger.accept('another-key', genuine.slice(0, -1) + (genuine.endsWith('A') ? 'B' : 'A'))).toBe(false);
    expect(ledger.accept(KEY, issueToken('another-key').token)).toBe(false);
    expect(ledger.accept(KEY, issued, 1_000_000 + 59_000)).toBe(true);
  });
});
