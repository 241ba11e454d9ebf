import { describe, expect, it } from 'vitest';
import { clip, collector, decodeSession, filler, MATRIX_CLIP } from '../test-input-matrix';
import { loadPocketSphinx, ONE_PASS_PARAMETERS, threadedPocketSphinx } from './pocketsphinx';
import { threadedEngine } from './threaded';

describe('the engine on decoder threads', () => {
  it(
    'hears what the engine hears on the event loop, with streams on every thread at once, and pools their decoders',
    { timeout: 120_000 },
    async () => {
      const audio = [filler('dither', 2), clip(MATRIX_CLIP), filler('dither', 1)];
      const expected = await decodeSession(loadPocketSphinx({ poolSize: 0 }), audio);
      expect(expected).toMatch(/married a more amiable woman/);
      const reports: string[] = [];
      const engine = threadedPocketSphinx({ threads: 2, poolSize: 4, report: (m) => reports.push(m) });
      try {
        expect(engine.health()).toMatchObject({
          ready: true,
          name: expect.stringMatching(/^PocketSphinx .* on 2 threads, two passes for 4 of 4 sessions$/),
        });
        // Three streams over two threads, then a fourth on a decoder a stream before it used.
        expect(await Promise.all([1, 2, 3].map(() => decodeSession(engine, audio)))).toEqual([expected, expected, expected]);
        expect(engine.health()).toMatchObject({ idleDecoders: 3 });
        expect(await decodeSession(engine, audio)).toBe(expected);
        // The vocabulary crosses to the thread with the stream (and the unpronounceable term is reported from there).
        await decodeSession(engine, audio, { vocabulary: [{ text: '1234' }] });
        expect(reports).toEqual(['no pronunciation for 1 vocabulary word(s); they are left out']);
      } finally {
        await engine.stop();
      }
    },
  );

  it('gives the two-pass decoder to the first sessions and the one-pass decoder beyond them', { timeout: 120_000 }, async () => {
    const audio = [clip(MATRIX_CLIP), filler('zeros', 1)];
    const twoPass = await decodeSession(loadPocketSphinx({ poolSize: 0 }), audio);
    const onePass = await decodeSession(loadPocketSphinx({ poolSize: 0, decoderParameters: ONE_PASS_PARAMETERS }), audio);
    expect(onePass).not.toBe(twoPass); // on this clip the two decoders differ, so the test sees which one heard
    const engine = threadedPocketSphinx({ threads: 2, poolSize: 3, twoPassSessions: 1 });
    try {
      const sessions = [collector(), collector(), collector()];
      const recognizers = await Promise.all(sessions.map((s) => engine.open(s.events)));
      expect(engine.health()).toMatchObject({ streams: { 'two-pass': 1, 'one-pass': 2 } });
      for (const r of recognizers) for (const part of audio) r.write(part);
      await Promise.all(recognizers.map(async (r) => (await r.finish(), await r.close())));
      const texts = sessions.map((s) =>
        s.finals
          .map((u) => u.text)
          .filter(Boolean)
          .join(' '),
      );
      expect(texts).toEqual([twoPass, onePass, onePass]);
      expect(engine.health()).toMatchObject({ streams: { 'two-pass': 0, 'one-pass': 0 } });
      // The seat is free again: the next session gets two passes.
      expect(await decodeSession(engine, audio)).toBe(twoPass);
    } finally {
      await engine.stop();
    }
  });

  // PocketSphinx's log is one FILE for the process. When each decoder named a log file (`-logfn`), ps_init
  // opened it and fclosed the one before while a decoder loading on the other thread wrote to it: within
  // three rounds of this, glibc aborted ("free(): unaligned chunk detected in tcache 2") or a thread blocked
  // for good in fgets.
  it('loads decoders on every thread at once, round after round, and hears each stream', { timeout: 60_000 }, async () => {
    const engine = threadedPocketSphinx({ threads: 2, poolSize: 0 });
    try {
      for (let round = 0; round < 10; round++) {
        const sessions = [collector(), collector(), collector(), collector()];
        const recognizers = await Promise.all(sessions.map((s) => engine.open(s.events)));
        for (const r of recognizers) r.write(clip(MATRIX_CLIP).subarray(0, 16_000 * 2));
        await Promise.all(recognizers.map(async (r) => (await r.finish(), await r.close())));
        for (const s of sessions) expect(s.failures).toEqual([]);
        expect(sessions.every((s) => s.finals.some((u) => u.text !== ''))).toBe(true);
      }
    } finally {
      await engine.stop();
    }
  });

  it('goes on decoding the streams of a thread while it loads a decoder for a new one', { timeout: 60_000 }, async () => {
    const engine = threadedPocketSphinx({ threads: 1, poolSize: 0 });
    try {
      const first = collector();
      const recognizer = await engine.open(first.events);
      recognizer.write(clip(MATRIX_CLIP).subarray(0, 1600)); // 100 ms: its finish is quick next to a load
      // The new stream's decoder takes hundreds of ms to load (ps_init reads the model); the first stream's
      // finish, sent after it to the same thread, is answered before it.
      const order: string[] = [];
      const opening = engine.open(collector().events).then((r) => (order.push('opened'), r));
      await recognizer.finish().then(() => order.push('finished'));
      const second = await opening;
      expect(order).toEqual(['finished', 'opened']);
      await Promise.all([recognizer.close(), second.close()]);
      expect(first.failures).toEqual([]);
    } finally {
      await engine.stop();
    }
  });

  it('keeps the events of a stream in order and reports its decode time when it closes', { timeout: 60_000 }, async () => {
    const engine = threadedPocketSphinx({ threads: 1, poolSize: 1 });
    try {
      const { events, finals, failures } = collector();
      const order: string[] = [];
      const recognizer = await engine.open({
        ...events,
        speechStarted: () => order.push('start'),
        final: (u) => (order.push('final'), events.final(u)),
        speechStopped: () => order.push('stop'),
      });
      recognizer.write(clip(MATRIX_CLIP));
      recognizer.write(filler('zeros', 1));
      await recognizer.finish();
      await recognizer.close();
      expect(failures).toEqual([]);
      expect(order.slice(0, 3)).toEqual(['start', 'final', 'stop']);
      expect(finals.map((u) => u.text).join(' ')).toMatch(/amiable/);
      expect(recognizer.decodeTime?.()).toMatchObject({ audioMs: expect.any(Number), decodeMs: expect.any(Number) });
      expect(recognizer.decodeTime?.()?.audioMs).toBeGreaterThan(5000);
    } finally {
      await engine.stop();
    }
  });

  it('tells the streams of a thread that dies, and opens the next stream on a new thread', { timeout: 60_000 }, async () => {
    const reports: string[] = [];
    const engine = threadedEngine(
      {
        entry: new URL('../test-thread.ts', import.meta.url),
        threads: 1,
        profiles: [{ name: 'loudness', seats: 4 }],
        name: 'loudness',
        report: (m) => reports.push(m),
      },
      { ready: true, name: 'loudness' },
    );
    try {
      const doomed = collector();
      const failed = new Promise<Error>((resolve) => (doomed.events.error = resolve));
      await engine.open(doomed.events, { vocabulary: [{ text: 'exit' }] });
      expect((await failed).message).toBe('The decoder thread stopped (exit code 3).');
      expect(reports).toEqual(['a decoder thread stopped (exit code 3); its sessions are told, new ones start a new thread']);

      const next = collector();
      const recognizer = await engine.open(next.events);
      // 0.5 s loud, then quiet: the loudness engine's final, from the new thread.
      recognizer.write(new Int16Array(8000).map((_, i) => (i % 2 ? 8000 : -8000)));
      recognizer.write(new Int16Array(8000));
      await recognizer.finish();
      await recognizer.close();
      expect(next.finals.map((u) => u.text)).toEqual(['loud for 500 ms']);
    } finally {
      await engine.stop();
    }
  });

  it('that cannot run starts no thread and says what to install', async () => {
    const engine = threadedEngine(
      { entry: new URL('../test-thread.ts', import.meta.url), threads: 2, profiles: [{ name: 'loudness', seats: 1 }], name: 'x' },
      { ready: false, reason: 'install it' },
    );
    expect(engine.health()).toEqual({ ready: false, reason: 'install it' });
    await expect(engine.open(collector().events)).rejects.toThrow('install it');
  });
});
