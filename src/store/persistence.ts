/**
 * Where the stores keep sessions: the history attached at start-up (IndexedDB in the app, a fresh one per
 * test), and one queue of writes so they land in the order they were made. A failed write is shown
 * (see {@link reportStorageFailure}), never swallowed, and does not stop the writes after it.
 */
import { create } from 'zustand';
import type { History } from '../history/db';
import { reportStorageFailure } from './errors';

/** Whether writes are waiting to land: the page says "Saving…" until they have. */
export const useSaving = create<{ readonly pending: number }>()(() => ({ pending: 0 }));

let history: Promise<History> | null = null;
let queue: Promise<unknown> = Promise.resolve();

/** Attaches session history (null detaches it: nothing is saved, as in tests that do not need it). */
export function attachHistory(opened: Promise<History> | null): void {
  history = opened;
  useSaving.setState({ pending: 0 });
  // An unavailable history is reported once, here; each write then fails quietly against it.
  opened?.catch((cause: unknown) => reportStorageFailure(cause));
  queue = Promise.resolve();
}

/** The attached history, once open; null when none is attached or it could not be opened. */
export async function currentHistory(): Promise<History | null> {
  if (!history) return null;
  try {
    return await history;
  } catch {
    return null;
  }
}

/**
 * Queues a write, after every write queued before it.
 * @returns when it is done (never rejects: a failure is reported instead)
 */
export function persist(write: (history: History) => Promise<unknown>): Promise<void> {
  useSaving.setState((s) => ({ pending: s.pending + 1 }));
  const run = queue.then(async () => {
    const h = await currentHistory();
    try {
      if (h) await write(h);
    } catch (cause) {
      reportStorageFailure(cause);
    } finally {
      useSaving.setState((s) => ({ pending: s.pending - 1 }));
    }
  });
  queue = run;
  return run;
}

/** Resolves once every write queued so far has landed (or failed and been reported). */
export function settled(): Promise<void> {
  return queue.then(() => undefined);
}
