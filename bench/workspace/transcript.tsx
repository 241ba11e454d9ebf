/**
 * Benchmark page: the Transcript component alone, with the store filled by `window.benchTranscript`.
 * It uses only what every version of the component had (the store's `segments`, `partial` and
 * `status`), so the same page measures the code before and after a change.
 */
import { flushSync } from 'react-dom';
import { createRoot } from 'react-dom/client';
import { Transcript } from '../../src/components/Transcript';
import { useDictation } from '../../src/store/dictation';
import '../../src/index.css';

const WORDS = 'the quick brown fox jumps over the lazy dog while marianne would have thought it all very strange indeed'.split(' ');

/** `n` final segments of 15 words each; in word-detail mode with times and confidences (every 7th word uncertain). */
function makeSegments(n: number, wordDetail: boolean) {
  return Array.from({ length: n }, (_, i) => {
    const words = Array.from({ length: 15 }, (_, k) => WORDS[(i * 3 + k) % WORDS.length]);
    const text = words.join(' ');
    const startMs = i * 5000;
    return {
      id: i + 1,
      text,
      startMs,
      durationMs: 4500,
      ...(wordDetail && {
        words: words.map((w, k) => ({ text: w, startMs: startMs + k * 300, durationMs: 280, confidence: k % 7 === 3 ? 0.3 : 0.92 })),
      }),
    };
  });
}

const root = createRoot(document.getElementById('root')!);
flushSync(() => root.render(<Transcript />));
const log = () => document.querySelector('[role="log"]')!;

declare global {
  interface Window {
    benchTranscript: typeof bench;
    gc?: () => void;
  }
}

/** Main-thread time of one synchronous store update: React render and commit, then style and layout. */
function timed(update: () => void): number {
  const t0 = performance.now();
  flushSync(update);
  void log().scrollHeight; // forces style and layout
  return performance.now() - t0;
}

const bench = {
  /** Fills the transcript (status recording, the reader at the bottom). */
  load(n: number, wordDetail: boolean): void {
    flushSync(() => useDictation.setState({ status: 'recording', segments: makeSegments(n, wordDetail), partial: '' }));
    void log().scrollHeight;
  },
  /** Times `count` partial updates, growing an utterance word by word as a service does. */
  partials(count: number): number[] {
    const times: number[] = [];
    for (let i = 0; i < count; i++) {
      const text = WORDS.slice(0, (i % 12) + 1).join(' ');
      times.push(timed(() => useDictation.setState({ partial: text })));
    }
    return times;
  },
  /** Times `count` finals appended after the loaded ones (each ends the partial). */
  finals(count: number, wordDetail: boolean): number[] {
    const times: number[] = [];
    for (let i = 0; i < count; i++) {
      const s = useDictation.getState().segments;
      const next = { ...makeSegments(1, wordDetail)[0], id: s.length + 1 };
      times.push(timed(() => useDictation.setState({ segments: [...s, next], partial: '' })));
    }
    return times;
  },
  /** Characters of transcript text (the words as stored: text, and word texts in word-detail mode). */
  textChars(): number {
    return useDictation.getState().segments.reduce((n, s) => n + s.text.length, 0);
  },
  /** JS heap in use after a full garbage collection (bytes). */
  heap(): number {
    window.gc?.();
    return (performance as unknown as { memory: { usedJSHeapSize: number } }).memory.usedJSHeapSize;
  },
};
window.benchTranscript = bench;
