/** A run's figures, recorded from what the session reports, kept with the session and exported (docs/metrics.md). */
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { resetStores } from '../test/stores';
import { exportSession } from '../transcript/export';
import { attachSession, sessionSink, useDictation } from './dictation';
import { setFigureClock } from './figures';
import { currentHistory, settled } from './persistence';

let now = 0;
beforeEach(() => {
  resetStores();
  now = 0;
  setFigureClock(() => now);
  attachSession({ start: () => undefined, stop: () => undefined, abort: () => undefined, check: () => undefined });
});

/** Moves the clock to `at` ms and reports. */
const at = (ms: number, report: () => void) => {
  now = ms;
  report();
};

describe('session figures', () => {
  it('from the local VAD and the service’s results, on the page’s clock; kept with the session and in its JSON export', async () => {
    useDictation.getState().start();
    at(1000, () => sessionSink.speech?.('started', 200));
    at(1400, () => sessionSink.transcript({ type: 'partial', text: 'hello' }));
    at(1600, () => sessionSink.transcript({ type: 'partial', text: 'hello word' }));
    at(2000, () => sessionSink.speech?.('stopped', 1200));
    at(2300, () =>
      sessionSink.transcript({
        type: 'final',
        text: 'hello world',
        startMs: 300,
        durationMs: 900,
        words: [
          { text: 'hello', startMs: 300, durationMs: 400 },
          { text: 'world', startMs: 800, durationMs: 400 },
        ],
      }),
    );
    // A drop, and streaming again: one reconnect.
    at(2500, () => sessionSink.reconnecting(1));
    at(3500, () => sessionSink.reconnecting(0));
    at(3600, () => sessionSink.status('idle'));
    // Measured by code loaded when the run ends, then kept with the session.
    await vi.waitFor(() => expect(useDictation.getState().session?.figures).toBeDefined());
    const figures = useDictation.getState().session?.figures;
    expect(figures).toMatchObject({
      firstPartialMs: { count: 1, p50: 400 },
      finalLatencyMs: { count: 1, p50: 300, p95: 300 },
      finalsNotMeasurable: 0,
      // Audio time 0 was at 800 ms: "hello" ended at 1500 and was shown at 1400 (before it ended: −100);
      // "world" ended at 2000 and was first shown right in the final, at 2300.
      wordEmissionMs: { count: 2, p50: -100, p95: 300 },
      // "word" became "world": one revision over two final words; one update of two flickered.
      revisionsPerFinalWord: 0.5,
      flicker: 0.5,
      reconnects: 1,
    });
    await settled();
    const saved = await (await currentHistory())!.load(useDictation.getState().session!.id);
    expect(saved?.meta.figures?.finalLatencyMs.p50).toBe(300);
    const json = JSON.parse(exportSession('json', saved!.meta, saved!.segments)) as { figures: { finalLatencyMs: { p50: number } } };
    expect(json.figures.finalLatencyMs.p50).toBe(300);
  });

  it('measures a final that came before the VAD’s hangover was over from where the speech ended', async () => {
    useDictation.getState().start();
    at(1000, () => sessionSink.speech?.('started', 200));
    at(1400, () => sessionSink.transcript({ type: 'partial', text: 'hello' }));
    // The speech ended at audio 1200 ms (page 2000); the final came at 2250, and the VAD said "stopped"
    // after its 500 ms of quiet, at 2500.
    at(2250, () => sessionSink.transcript({ type: 'final', text: 'hello world' }));
    at(2500, () => sessionSink.speech?.('stopped', 1200));
    at(2600, () => sessionSink.status('idle'));
    await vi.waitFor(() => expect(useDictation.getState().session?.figures).toBeDefined());
    expect(useDictation.getState().session?.figures).toMatchObject({
      finalLatencyMs: { count: 1, p50: 250 },
      finalsNotMeasurable: 0,
    });
  });

  it('a run with nothing to measure keeps no figures', async () => {
    useDictation.getState().start();
    sessionSink.status('idle');
    await settled();
    await import('../transcript/figures');
    expect(useDictation.getState().session?.figures).toBeUndefined();
  });
});

describe('figures measured after the session was closed', () => {
  it('are kept with that session in History, not with the one open now', async () => {
    useDictation.getState().start();
    const first = useDictation.getState().session!.id;
    at(100, () => sessionSink.speech?.('started', 0));
    at(900, () => sessionSink.speech?.('stopped', 800));
    at(1200, () => sessionSink.transcript({ type: 'final', text: 'first' }));
    at(1300, () => sessionSink.status('idle'));
    useDictation.getState().newSession(); // before the figures' code has loaded
    await vi.waitFor(async () => {
      await settled();
      const saved = await (await currentHistory())!.load(first);
      expect(saved?.meta.figures?.finalLatencyMs.p50).toBe(300);
    });
    expect(useDictation.getState().session).toBeNull();
  });
});
