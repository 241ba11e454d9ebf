import type { Server } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { RESON8_PATH } from '../src/protocol/reson8-contract';
import { VOICERUN_PATH } from '../src/protocol/voicerun-contract';
import { silence, twoSentences } from '../e2e/support/audio';
import { wordErrorRate } from '../e2e/support/wer';
import { loadPocketSphinx } from './engine/pocketsphinx';
import { dictate } from './test-session';
import { startTestServer } from './test-server';

// Fresh decoders for every session: a pooled one keeps its cepstral mean from the session before,
// which would make the run with a drop and the run without differ for a reason that is not the drop.
const engine = loadPocketSphinx({ poolSize: 0 });
const { samples: audio, reference, midSecond: MID_SECOND } = twoSentences();

describe('a dictation that loses its connection, against the real server', () => {
  let server: Server;
  let base: string;
  beforeAll(async () => ({ server, base } = await startTestServer(engine, { faults: true })));
  afterAll(() => server.close());

  it.each(['local-voicerun', 'local-reson8', 'local-speechall'])(
    '%s: a drop mid-utterance loses no word and repeats none',
    async (provider) => {
      const clean = await dictate(base, provider, audio);
      const dropped = await dictate(base, provider, audio, { dropAtFrame: MID_SECOND });
      expect(clean.error).toBeNull();
      expect(dropped.error).toBeNull();
      // Reconnecting, then finishing: on a busy machine Stop may come before streaming again, and the
      // run still finishes with every word once it is back.
      expect(dropped.statuses.slice(0, 3)).toEqual(['connecting', 'recording', 'reconnecting']);
      expect(dropped.statuses.slice(-2)).toEqual(['stopping', 'idle']);
      expect(dropped.notices).toEqual([]); // nothing lost, nothing to report
      // The same words as without the drop, and as good against the book's text.
      expect(dropped.text).toBe(clean.text);
      expect(wordErrorRate(reference, dropped.text)).toBeLessThan(0.35);
      // Times stay monotonic across the reconnect.
      const starts = dropped.finals.map((f) => f.startMs ?? 0);
      expect([...starts].sort((x, y) => x - y)).toEqual(starts);
    },
    60_000,
  );
});

describe('a refused key against the real server is tried once', () => {
  let server: Server;
  let base: string;
  beforeAll(async () => ({ server, base } = await startTestServer(engine, { apiKey: 'sk-right-key', faults: true })));
  afterAll(() => server.close());

  it.each([
    ['local-voicerun', /rejected the API key/],
    ['local-reson8', /running but refused the connection/],
  ])('%s', async (provider, message) => {
    let connections = 0;
    const result = await dictate(base, provider, silence(500), { apiKey: 'sk-wrong-key', onConnect: () => connections++ });
    expect(result.error).toMatch(message);
    expect(connections).toBe(1);
    expect(result.error).not.toContain('sk-wrong-key');
  });
});

describe('the fault switch narrowed to one endpoint', () => {
  let server: Server;
  let base: string;
  beforeAll(async () => ({ server, base } = await startTestServer(engine, { faults: true })));
  afterAll(() => server.close());

  it('drops only that dialect’s connections, and the others go on', async () => {
    const open = (path: string) =>
      new Promise<WebSocket>((resolve, reject) => {
        const ws = new WebSocket(`${base}${path}`);
        ws.on('error', reject);
        ws.on('open', () => resolve(ws));
      });
    const [voicerun, reson8] = await Promise.all([open(VOICERUN_PATH), open(RESON8_PATH)]);
    const closed = new Promise<number>((resolve) => reson8.on('close', (code) => resolve(code)));
    const response = await fetch(`${base.replace('ws:', 'http:')}/__faults/drop?path=${encodeURIComponent(RESON8_PATH)}`, {
      method: 'POST',
    });
    expect(await response.json()).toEqual({ dropped: 1, holdMs: 0 });
    expect(await closed).toBe(1006);
    expect(voicerun.readyState).toBe(WebSocket.OPEN);
    voicerun.close();
  });
});
