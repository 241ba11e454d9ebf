import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { FIXTURES_DIR } from '../../e2e/support/fixtures';
import { readWav } from '../../e2e/support/wav';
import { loadEngine } from './pocketsphinx';

describe('loading PocketSphinx', () => {
  it('says exactly what to install when the model is missing', () => {
    const engine = loadEngine({ modelDir: '/nonexistent/model' });
    expect(engine).toEqual({ unavailable: expect.stringContaining('sudo apt-get install pocketsphinx-en-us') });
    expect((engine as { unavailable: string }).unavailable).toContain('/nonexistent/model');
  });

  it('loads with Debian’s packages installed', () => {
    expect('unavailable' in loadEngine()).toBe(false);
  });
});

describe('a recognizer fed faster than real time', () => {
  it('asks its source to pause past 10 s of backlog, resumes, and still decodes everything', async () => {
    const engine = loadEngine();
    if ('unavailable' in engine) throw new Error(engine.unavailable);
    const clip = readWav(join(FIXTURES_DIR, 'sense_and_sensibility_01_austen_64kb-0880.wav')).samples;
    const silence = new Int16Array(16_000);
    const pressure: boolean[] = [];
    const finals: string[] = [];
    const recognizer = await engine.createRecognizer({
      speechStarted() {},
      partial() {},
      final: ({ text }) => finals.push(text),
      speechStopped() {},
      error: (e) => {
        throw e;
      },
      backpressure: (paused) => pressure.push(paused),
    });
    // Five copies of a 3 s sentence with 1 s of silence between: 20 s written at once.
    for (let i = 0; i < 5; i++) {
      recognizer.write(clip);
      recognizer.write(silence);
    }
    expect(pressure).toEqual([true]);
    await recognizer.finish();
    expect(pressure).toEqual([true, false]);
    expect(finals.filter((t) => /young man/.test(t))).toHaveLength(5);
    await recognizer.close();
  });
});
