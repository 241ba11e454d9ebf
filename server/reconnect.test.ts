import type { Server } from 'node:http';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FIXTURES_DIR, referenceFor } from '../e2e/support/fixtures';
import { readWav } from '../e2e/support/wav';
import { wordErrorRate } from '../e2e/support/wer';
import { loadPocketSphinx } from './engine/pocketsphinx';
import { dictate } from './test-session';
import { startTestServer } from './test-server';

const engine = loadPocketSphinx();
const FIRST = 'sense_and_sensibility_01_austen_64kb-0880.wav';
const SECOND = 'sense_and_sensibility_01_austen_64kb-0920.wav';
const silence = (ms: number) => new Int16Array((ms * 16_000) / 1000);

/** Two sentences with a pause between: 1 s, the first (3 s), 1.5 s, the second (6 s), 1 s. */
function twoSentences(): Int16Array {
  const parts = [
    silence(1000),
    readWav(join(FIXTURES_DIR, FIRST)).samples,
    silence(1500),
    readWav(join(FIXTURES_DIR, SECOND)).samples,
    silence(1000),
  ];
  const out = new Int16Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}
const reference = `${referenceFor(FIRST)} ${referenceFor(SECOND)}`;
/** Frame 2.5 s into the second sentence: mid-utterance. */
const MID_SECOND = Math.round((1000 + 2990 + 1500 + 2500) / 20);

describe('a dictation that loses its connection, against the real server', () => {
  let server: Server;
  let base: string;
  beforeAll(async () => ({ server, base } = await startTestServer(engine, { faults: true })));
  afterAll(() => server.close());

  it.each(['local-voicerun', 'local-reson8', 'local-speechall'])(
    '%s: a drop mid-utterance loses no word and repeats none',
    async (provider) => {
      const audio = twoSentences();
      const clean = await dictate(base, provider, audio);
      const dropped = await dictate(base, provider, audio, { dropAtFrame: MID_SECOND });
      expect(clean.error).toBeNull();
      expect(dropped.error).toBeNull();
      expect(dropped.statuses).toEqual(['connecting', 'recording', 'reconnecting', 'recording', 'stopping', 'idle']);
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
