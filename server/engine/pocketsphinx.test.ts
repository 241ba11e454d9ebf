import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { FIXTURES_DIR } from '../../e2e/support/fixtures';
import { readWav } from '../../e2e/support/wav';
import koffi from 'koffi';
import { locateCepstralMean } from './cepstral-mean';
import { loadPocketSphinx } from './pocketsphinx';
import type { AsyncFn } from './pocketsphinx-bindings';
import { collector } from '../test-input-matrix';

const clip = (name: string) => readWav(join(FIXTURES_DIR, name)).samples;
const silence = (ms: number) => new Int16Array((ms * 16_000) / 1000);

/**
 * Where speech is in a clip, ms, read off the signal alone: the first and last 20 ms frame whose RMS
 * passes −34 dBFS.
 */
function speechSpan(samples: Int16Array): { startMs: number; endMs: number } {
  const loud: number[] = [];
  for (let f = 0; f + 320 <= samples.length; f += 320) {
    let sum = 0;
    for (let i = f; i < f + 320; i++) sum += samples[i] * samples[i];
    if (Math.sqrt(sum / 320) > 32768 * 0.02) loud.push(f / 16);
  }
  return { startMs: loud[0], endMs: loud[loud.length - 1] + 20 };
}

describe('loading PocketSphinx', () => {
  it('is an engine that cannot run when the model is missing, and says exactly what to install', async () => {
    const engine = loadPocketSphinx({ modelDir: '/nonexistent/model' });
    const health = engine.health();
    expect(health).toEqual({ ready: false, reason: expect.stringContaining('sudo apt-get install pocketsphinx-en-us') });
    expect(health.ready === false && health.reason).toContain('/nonexistent/model');
    await expect(engine.open(collector().events)).rejects.toThrow(/apt-get install pocketsphinx-en-us/);
  });

  it('loads with Debian’s packages installed', () => {
    expect(loadPocketSphinx().health()).toEqual({ ready: true, name: expect.stringContaining('PocketSphinx'), idleDecoders: 0 });
  });
});

describe('a PocketSphinx recognizer', () => {
  it('asks its source to pause past 10 s of backlog, resumes, and still decodes everything', async () => {
    const sentence = clip('sense_and_sensibility_01_austen_64kb-0880.wav');
    const { events, finals, pressure, failures } = collector();
    const recognizer = await loadPocketSphinx().open(events);
    // Five copies of a 3 s sentence with 1 s of silence between: 20 s written at once.
    for (let i = 0; i < 5; i++) {
      recognizer.write(sentence);
      recognizer.write(silence(1000));
    }
    expect(pressure).toEqual([true]);
    await recognizer.finish();
    expect(pressure).toEqual([true, false]);
    expect(finals.filter((u) => /young man/.test(u.text))).toHaveLength(5);
    await recognizer.close();
    expect(failures).toEqual([]);
  });

  it('places two utterances separated by silence at their own stream times', async () => {
    const first = clip('sense_and_sensibility_01_austen_64kb-0880.wav');
    const second = clip('sense_and_sensibility_01_austen_64kb-0920.wav');
    const lead = 1500;
    const gap = 4000;
    const secondAt = lead + first.length / 16 + gap;
    const { events, finals, failures } = collector();
    const recognizer = await loadPocketSphinx().open(events);
    for (const part of [silence(lead), first, silence(gap), second, silence(1000)]) recognizer.write(part);
    await recognizer.finish();
    await recognizer.close();
    expect(failures).toEqual([]);

    // A clip may end in more than one utterance (a 150 ms end-of-speech window cuts at its short
    // pauses): each clip's finals are those that start before the middle of the gap, or after it.
    const spoken = finals.filter((u) => u.text);
    const boundary = secondAt - gap / 2;
    const groups = [spoken.filter((u) => u.startMs < boundary), spoken.filter((u) => u.startMs >= boundary)];
    const expected = [
      { offset: lead, span: speechSpan(first) },
      { offset: secondAt, span: speechSpan(second) },
    ];
    for (const [i, group] of groups.entries()) {
      const { offset, span } = expected[i];
      expect(group.length, `clip ${i + 1}`).toBeGreaterThan(0);
      const [head, tail] = [group[0], group.at(-1)!];
      // The first word starts where the signal does, and the last word ends where it stops.
      expect(Math.abs(head.startMs - (offset + span.startMs))).toBeLessThan(200);
      expect(Math.abs(tail.startMs + tail.durationMs - (offset + span.endMs))).toBeLessThan(300);
      // Words are inside their utterance, in order, and utterances follow each other.
      for (const [k, u] of group.entries()) {
        expect(u.words[0].startMs).toBe(u.startMs);
        if (k > 0) expect(u.startMs).toBeGreaterThanOrEqual(group[k - 1].startMs + group[k - 1].durationMs);
        for (let w = 1; w < u.words.length; w++)
          expect(u.words[w].startMs).toBeGreaterThanOrEqual(u.words[w - 1].startMs + u.words[w - 1].durationMs);
      }
    }
  });
});

describe('the decoder pool', () => {
  it('keeps a decoder a session is done with for the next one (reset, not reloaded), up to the pool size', async () => {
    const pooled = loadPocketSphinx({ poolSize: 1 });
    const idle = () => (pooled.health() as { idleDecoders: number }).idleDecoders;
    const a = await pooled.open(collector().events);
    const b = await pooled.open(collector().events);
    expect(idle()).toBe(0);
    await a.close();
    await b.close();
    expect(idle()).toBe(1); // the second is freed: the pool holds one
    await pooled.open(collector().events);
    expect(idle()).toBe(0); // taken from the pool
  });

  it('gives a reused decoder’s stream its own times and words', async () => {
    const pooled = loadPocketSphinx({ poolSize: 1 });
    const first = collector();
    const r1 = await pooled.open(first.events);
    r1.write(clip('sense_and_sensibility_01_austen_64kb-0880.wav'));
    r1.write(silence(1000));
    await r1.finish();
    await r1.close();

    const second = collector();
    const r2 = await pooled.open(second.events);
    const sentence = clip('sense_and_sensibility_01_austen_64kb-0920.wav');
    r2.write(silence(1500));
    r2.write(sentence);
    r2.write(silence(1000));
    await r2.finish();
    await r2.close();
    const [u] = second.finals.filter((f) => f.text);
    const span = speechSpan(sentence);
    expect(Math.abs(u.startMs - (1500 + span.startMs))).toBeLessThan(200);
    expect(Math.abs(u.startMs + u.durationMs - (1500 + span.endMs))).toBeLessThan(300);
    expect(u.text).toMatch(/had he married a more amiable woman/);
    expect([...first.failures, ...second.failures]).toEqual([]);
  });
});

describe('a pooled decoder', () => {
  it('decodes exactly like a fresh one after a session of tone: the same words, times and confidences', async () => {
    const sentence = clip('sense_and_sensibility_01_austen_64kb-0920.wav');
    const hum = Int16Array.from({ length: 11 * 16_000 }, (_, i) => Math.round(8000 * Math.sin((2 * Math.PI * 1000 * i) / 16_000)));
    const decode = async (engine: ReturnType<typeof loadPocketSphinx>, parts: Int16Array[]) => {
      const { events, finals, failures } = collector();
      const recognizer = await engine.open(events);
      parts.forEach((p) => recognizer.write(p));
      await recognizer.finish();
      await recognizer.close();
      expect(failures).toEqual([]);
      return finals.filter((u) => u.text);
    };
    const fresh = await decode(loadPocketSphinx({ poolSize: 0 }), [silence(700), sentence, silence(1000)]);
    const pooled = loadPocketSphinx({ poolSize: 1 });
    await decode(pooled, [hum]);
    expect((pooled.health() as { idleDecoders: number }).idleDecoders).toBe(1);
    const reused = await decode(pooled, [silence(700), sentence, silence(1000)]);
    expect(reused).toEqual(fresh);
    expect(fresh[0].text).toMatch(/had he married a more amiable woman/);
  });
});

describe('finding the cepstral mean', () => {
  it('refuses memory that does not hold it (another build of sphinxbase), so that such a decoder is never reused', () => {
    expect(locateCepstralMean(null, 13, 41)).toBeNull();
    const zeros = koffi.alloc('uint8', 256);
    expect(locateCepstralMean(zeros, 13, 41)).toBeNull();
    koffi.free(zeros);
  });
});

describe('the event loop while PocketSphinx works', () => {
  it('is never blocked by a call that can take milliseconds: loading, decoding, ending utterances, words, freeing', async () => {
    /** Functions that do real work (a search, a backtrace, a load); only field reads may be called directly. */
    const heavy = ['ps_init', 'ps_free', 'ps_start_utt', 'ps_end_utt', 'ps_process_raw', 'ps_get_hyp', 'ps_seg_iter', 'cmd_ln_free_r'];
    const direct = new Set<string>();
    const offLoop = new Set<string>();
    const engine = loadPocketSphinx({
      poolSize: 0, // so that close() frees the decoder as well
      wrapBindings: (c) =>
        Object.fromEntries(
          (Object.entries(c) as [string, AsyncFn][]).map(([name, fn]) => {
            const wrapped = Object.assign((...args: unknown[]) => (direct.add(name), fn(...args)), {
              async: (...args: unknown[]) => (offLoop.add(name), fn.async(...args)),
            });
            return [name, wrapped];
          }),
        ) as unknown as typeof c,
    });
    const { events, finals, failures } = collector();
    const recognizer = await engine.open(events);
    // Two sentences with a pause, so an utterance ends inside the stream and another at finish().
    recognizer.write(clip('sense_and_sensibility_01_austen_64kb-0880.wav'));
    recognizer.write(silence(1500));
    recognizer.write(clip('sense_and_sensibility_01_austen_64kb-0880.wav'));
    await recognizer.finish();
    await recognizer.close();
    await expect.poll(() => offLoop.has('cmd_ln_free_r')).toBe(true);
    expect(finals.length).toBeGreaterThanOrEqual(2);
    expect(failures).toEqual([]);
    expect(heavy.filter((name) => direct.has(name))).toEqual([]);
    expect(heavy.filter((name) => !offLoop.has(name))).toEqual([]);
  });
});
