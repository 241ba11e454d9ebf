/** One recording, two services: a shared capture feeds two sessions at once, each with its own journal. */
import type { Server } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { twoSentences } from '../e2e/support/audio';
import { SharedCapture } from '../src/audio/shared';
import { loadPocketSphinx } from './engine/pocketsphinx';
import { clipMicrophone, dictate } from './test-session';
import { startTestServer } from './test-server';

const engine = loadPocketSphinx({ poolSize: 0 });
const { samples: audio } = twoSentences();

describe('one microphone, two services', () => {
  let server: Server;
  let base: string;
  beforeAll(async () => ({ server, base } = await startTestServer(engine)));
  afterAll(() => server.close());

  it('gives each service the whole recording: the same words as each dictation alone', async () => {
    const alone = await dictate(base, 'local-reson8', audio);
    const mic = clipMicrophone(audio, 5);
    const shared = new SharedCapture(mic.start);
    const microphone = { start: shared.subscribe, played: mic.played };
    const [reson8, speechall] = await Promise.all([
      dictate(base, 'local-reson8', audio, { microphone }),
      dictate(base, 'local-speechall', audio, { microphone }),
    ]);
    expect([reson8.error, speechall.error]).toEqual([null, null]);
    expect(reson8.text).toBe(alone.text);
    // The same recognizer on the same audio: the same words, whatever the dialect wraps them in.
    expect(speechall.text.toLowerCase()).toBe(alone.text.toLowerCase());
    expect(shared.size).toBe(0);
  });
});
