/** Benchmark page: History in IndexedDB (saves, opening the panel, search), through `window.benchHistory`. */
import { flushSync } from 'react-dom';
import { createRoot } from 'react-dom/client';
import { HistoryPanel } from '../../src/components/HistoryPanel';
import { openHistory } from '../../src/history/db';
import { useHistory } from '../../src/store/history';
import { attachHistory } from '../../src/store/persistence';
import type { Segment, SessionMeta } from '../../src/transcript/model';
import '../../src/index.css';

const text = 'the quick brown fox jumps over the lazy dog while marianne would have thought it all very strange';

function segment(id: number): Segment {
  const words = text.split(' ').map((w, k) => ({ text: w, startMs: id * 5000 + k * 300, durationMs: 280, confidence: 0.9 }));
  return { id, text, startMs: id * 5000, durationMs: 4500, words };
}

function meta(id: string, startedAt: number, segmentCount: number): SessionMeta {
  return {
    id,
    title: '',
    startedAt,
    updatedAt: startedAt,
    provider: 'Local engine (PocketSphinx, offline)',
    durationMs: segmentCount * 5000,
    segmentCount,
    preview: text,
    recording: false,
    interrupted: false,
  };
}

declare global {
  interface Window {
    benchHistory: typeof bench;
  }
}

const bench = {
  /** Times `count` saves of one final each (segment and session totals in one transaction), ms each. */
  async saves(count: number): Promise<number[]> {
    const history = await openHistory('bench-saves');
    await history.clear();
    const times: number[] = [];
    for (let i = 1; i <= count; i++) {
      const t0 = performance.now();
      await history.saveSegment(meta('s', 0, i), segment(i));
      times.push(performance.now() - t0);
    }
    return times;
  },
  /** Writes `sessions` sessions of `segments` segments each. */
  async seed(sessions: number, segments: number): Promise<void> {
    const history = await openHistory('bench-open');
    await history.clear();
    for (let i = 0; i < sessions; i++) {
      await history.restore({
        meta: meta(`s${i}`, 1_700_000_000_000 + i * 60_000, segments),
        segments: Array.from({ length: segments }, (_, k) => segment(k + 1)),
      });
    }
  },
  /** Opens the History panel on the seeded database: ms until every session is listed. */
  async open(expected: number): Promise<number> {
    attachHistory(openHistory('bench-open'));
    useHistory.setState(useHistory.getInitialState(), true);
    const root = createRoot(document.getElementById('root')!);
    const t0 = performance.now();
    flushSync(() => root.render(<HistoryPanel />));
    while (document.querySelectorAll('[aria-label="Sessions"] > li').length < expected) await new Promise(requestAnimationFrame);
    const ms = performance.now() - t0;
    root.unmount();
    return ms;
  },
  /** Searches every session's text: ms until the result is known. */
  async search(query: string): Promise<{ ms: number; matches: number }> {
    const t0 = performance.now();
    await useHistory.getState().search(query);
    return { ms: performance.now() - t0, matches: useHistory.getState().matches?.length ?? 0 };
  },
};
window.benchHistory = bench;
