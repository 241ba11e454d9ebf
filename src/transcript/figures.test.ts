/** Session figures from synthetic timelines, edge cases of the definitions included (docs/metrics.md). */
import { describe, expect, it } from 'vitest';
import { percentile, revisedWords, sessionFigures, type TimelineEvent } from './figures';

const start = (at: number): TimelineEvent => ({ type: 'speech-start', at });
const end = (at: number): TimelineEvent => ({ type: 'speech-end', at });
const partial = (at: number, text: string): TimelineEvent => ({ type: 'partial', at, text });
const final = (at: number, text: string, words?: { text: string; endMs: number }[]): TimelineEvent => ({
  type: 'final',
  at,
  text,
  ...(words && { words }),
});

describe('percentiles', () => {
  it('nearest rank', () => {
    expect(percentile([], 0.5)).toBeNull();
    expect(percentile([3, 1, 2], 0.5)).toBe(2);
    expect(percentile([1, 2, 3, 4], 0.5)).toBe(2);
    expect(
      percentile(
        [...Array(100).keys()].map((i) => i + 1),
        0.95,
      ),
    ).toBe(95);
    expect(percentile([5], 0.99)).toBe(5);
  });
});

describe('final latency after end of speech', () => {
  it('the final’s arrival minus the stop of the speech it covers; p50 and p95', () => {
    const f = sessionFigures({
      events: [start(0), partial(400, 'hello'), end(1000), final(1300, 'hello there'), start(2000), end(3000), final(3500, 'again')],
    });
    expect(f.finalLatencyMs).toMatchObject({ count: 2, p50: 300, p95: 500 });
    expect(f.finalsNotMeasurable).toBe(0);
    expect(f.finalLatencySeries).toEqual([
      { atSeconds: 1.3, latencyMs: 300 },
      { atSeconds: 3.5, latencyMs: 500 },
    ]);
  });

  it('a final that arrives before the speech it covers has stopped is not measurable, not fast', () => {
    const f = sessionFigures({ events: [start(0), final(800, 'early words'), end(1500), final(1700, 'the rest')] });
    expect(f.finalsNotMeasurable).toBe(1);
    expect(f.finalLatencyMs).toMatchObject({ count: 1, p50: 200 });
  });

  it('a turn finalised in two pieces is measured to its last piece; a final during the next speech is still measured from its stop', () => {
    const split = sessionFigures({ events: [start(0), end(1000), final(1200, 'one'), final(1600, 'two'), start(2000)] });
    expect(split.finalLatencyMs).toMatchObject({ count: 1, p50: 600 });
    const overlapping = sessionFigures({
      events: [start(0), end(1000), start(1100), final(1400, 'first turn'), end(3000), final(3250, 'second')],
    });
    expect(overlapping.finalLatencyMs).toMatchObject({ count: 2, p50: 250, p95: 400 });
  });
});

describe('time to first partial, and stability', () => {
  it('speech onset → the first text of that utterance (a final, for a service without partials)', () => {
    const f = sessionFigures({
      events: [
        start(100),
        partial(450, 'he'),
        partial(650, 'he was'),
        end(1000),
        final(1200, 'he was'),
        start(2000),
        end(2600),
        final(2900, 'ok'),
      ],
    });
    expect(f.firstPartialMs).toMatchObject({ count: 2, p50: 350, p95: 900 });
  });

  it('revised words per final word, and flicker: shown words that change or disappear in the next update', () => {
    expect(revisedWords(['he', 'was', 'not'], ['he', 'was', 'knot', 'an'])).toBe(1);
    expect(revisedWords(['he', 'was'], ['he'])).toBe(1);
    const f = sessionFigures({
      events: [
        start(0),
        partial(300, 'he'),
        partial(500, 'he was knot'),
        partial(700, 'he was not an'),
        end(900),
        final(1000, 'He was not an ill-disposed man.'),
      ],
    });
    // "knot" → "not" is one revision; the final keeps (case and punctuation aside) every shown word.
    expect(f.revisionsPerFinalWord).toBeCloseTo(1 / 6, 3);
    expect(f.flicker).toBeCloseTo(1 / 3, 3);
  });

  it('a service with one final per utterance and no partials has no revisions and no flicker', () => {
    const f = sessionFigures({ events: [start(0), end(1000), final(1400, 'all at once')] });
    expect(f.revisionsPerFinalWord).toBe(0);
    expect(f.flicker).toBeNull();
  });
});

describe('word emission latency', () => {
  it('end of a spoken word → its first appearance, for services with word times', () => {
    // Audio time 0 was captured at 1000 ms: "hello" ends at audio 500 ms (1500) and was first shown at 1700.
    const f = sessionFigures({
      audioEpoch: 1000,
      events: [
        start(1100),
        partial(1700, 'hello'),
        end(2200),
        final(2400, 'hello world', [
          { text: 'hello', endMs: 500 },
          { text: 'world', endMs: 1000 },
        ]),
      ],
    });
    expect(f.wordEmissionMs).toMatchObject({ count: 2, p50: 200, p95: 400 });
  });

  it('no word times: not reported', () => {
    expect(sessionFigures({ audioEpoch: 0, events: [start(0), end(500), final(700, 'hello')] }).wordEmissionMs).toBeNull();
  });
});

describe('delivery', () => {
  it('capture → frame sent percentiles, reconnects and audio replayed, a reconnect in the middle included', () => {
    const f = sessionFigures({
      sendDelaysMs: [...Array(99).fill(2), 40],
      events: [
        start(0),
        partial(300, 'one two'),
        { type: 'reconnect', at: 500 },
        { type: 'replayed', at: 520, audioMs: 1840 },
        partial(900, 'one two three'),
        end(1200),
        final(1500, 'one two three'),
      ],
    });
    expect(f.sendDelayMs).toEqual({ count: 100, p50: 2, p95: 2, p99: 2 });
    expect(sessionFigures({ events: [], sendDelaysMs: [...Array(98).fill(2), 40, 40] }).sendDelayMs.p99).toBe(40);
    expect(f.reconnects).toBe(1);
    expect(f.replayedSeconds).toBe(1.8);
    expect(f.finalLatencyMs.p50).toBe(300);
  });
});
