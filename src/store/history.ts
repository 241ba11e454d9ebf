/**
 * The History panel's state: every saved session, the search, and what the last delete removed (for
 * Undo). Sessions live in IndexedDB (see `persistence.ts`); this store holds their list and calls it.
 */
import { create } from 'zustand';
import type { SessionRecord } from '../history/db';
import { previewOf, segmentEndMs, type SessionMeta } from '../transcript/model';
import { legacyTranscript, LEGACY_TRANSCRIPT_KEY, useDictation } from './dictation';
import { reportStorageFailure } from './errors';
import { currentHistory, persist, settled } from './persistence';
import { isActive } from '../core/status';

export interface HistoryState {
  /** Every session, newest first. */
  readonly sessions: readonly SessionMeta[];
  /** True once History was read at start-up. */
  readonly loaded: boolean;
  /** The search text ('' lists every session). */
  readonly query: string;
  /** Ids of the sessions matching `query`, newest first; null when not searching. */
  readonly matches: readonly string[] | null;
  /** What the last delete removed, until Undo or the next delete. */
  readonly removed: SessionRecord | null;

  /**
   * Reads History at start-up: moves a transcript saved before History into a first session, marks
   * sessions left recording as interrupted, lists them all, and opens the newest.
   */
  readonly load: () => Promise<void>;
  /** Reads the session list again (when History is shown: another tab may have changed it). */
  readonly refresh: () => Promise<void>;
  /** Searches titles and text; '' shows every session. */
  readonly search: (query: string) => Promise<void>;
  /** Opens a session in the transcript (not while recording). */
  readonly open: (id: string) => Promise<void>;
  /** Renames a session ('' goes back to its first words). */
  readonly rename: (id: string, title: string) => void;
  /** Deletes a session; `undoRemove` brings it back. Not the one being recorded. */
  readonly remove: (id: string) => Promise<void>;
  readonly undoRemove: () => void;
  /** Deletes every session (not while recording). */
  readonly removeAll: () => Promise<void>;
}

const recording = () => {
  const { status } = useDictation.getState();
  return isActive(status);
};

/** The session list with one session put in its place (newest first). */
function upsert(sessions: readonly SessionMeta[], meta: SessionMeta): SessionMeta[] {
  return [...sessions.filter((s) => s.id !== meta.id), meta].sort((a, b) => b.startedAt - a.startedAt);
}

export const useHistory = create<HistoryState>()((set, get) => ({
  sessions: [],
  loaded: false,
  query: '',
  matches: null,
  removed: null,
  async load() {
    const history = await currentHistory();
    if (!history) {
      set({ loaded: true });
      return;
    }
    try {
      const legacy = legacyTranscript();
      if (legacy.length > 0) {
        const now = Date.now();
        const meta: SessionMeta = {
          id: crypto.randomUUID(),
          title: 'Transcript from before History',
          startedAt: now,
          updatedAt: now,
          provider: 'Dictate',
          durationMs: Math.max(0, ...legacy.map((s) => segmentEndMs(s) ?? 0)),
          segmentCount: legacy.length,
          preview: previewOf(legacy),
          recording: false,
          interrupted: false,
        };
        await history.restore({ meta, segments: legacy });
        localStorage.removeItem(LEGACY_TRANSCRIPT_KEY);
      }
      await history.recoverInterrupted();
      const sessions = await history.list();
      set({ sessions, loaded: true });
      const dictation = useDictation.getState();
      if (!dictation.session && dictation.segments.length === 0 && sessions[0]) await get().open(sessions[0].id);
    } catch (cause) {
      set({ loaded: true });
      reportStorageFailure(cause);
    }
  },
  async refresh() {
    await settled();
    const history = await currentHistory();
    try {
      set({ sessions: history ? await history.list() : get().sessions, loaded: true });
    } catch (cause) {
      set({ loaded: true });
      reportStorageFailure(cause);
    }
  },
  async search(query) {
    set({ query });
    if (!query.trim()) {
      set({ matches: null });
      return;
    }
    const history = await currentHistory();
    try {
      const matches = history ? await history.search(query) : [];
      // A slower search for older text must not overwrite a newer one.
      if (get().query === query) set({ matches });
    } catch (cause) {
      reportStorageFailure(cause);
    }
  },
  async open(id) {
    if (recording()) return;
    await settled();
    const history = await currentHistory();
    try {
      const record = await history?.load(id);
      if (record) useDictation.getState().openSession(record.meta, record.segments);
    } catch (cause) {
      reportStorageFailure(cause);
    }
  },
  rename(id, title) {
    const meta = get().sessions.find((s) => s.id === id);
    if (!meta) return;
    const open = useDictation.getState().session;
    // The open session's meta is the newest (it may be recording): rename that one.
    const renamed = { ...(open?.id === id ? open : meta), title: title.trim(), updatedAt: Date.now() };
    if (open?.id === id) useDictation.setState({ session: renamed });
    set((s) => ({ sessions: upsert(s.sessions, renamed) }));
    void persist((h) => h.saveMeta(renamed));
  },
  async remove(id) {
    const open = useDictation.getState().session;
    if (open?.id === id && recording()) return;
    await settled();
    const history = await currentHistory();
    if (!history) return;
    try {
      const record = await history.load(id);
      await history.remove(id);
      set((s) => ({
        sessions: s.sessions.filter((m) => m.id !== id),
        matches: s.matches?.filter((m) => m !== id) ?? null,
        removed: record ?? null,
      }));
      if (open?.id === id) useDictation.getState().newSession();
    } catch (cause) {
      reportStorageFailure(cause);
    }
  },
  undoRemove() {
    const record = get().removed;
    if (!record) return;
    set((s) => ({ removed: null, sessions: upsert(s.sessions, record.meta), matches: s.matches ? [...s.matches, record.meta.id] : null }));
    void persist((h) => h.restore(record));
  },
  async removeAll() {
    if (recording()) return;
    await settled();
    const history = await currentHistory();
    if (!history) return;
    try {
      await history.clear();
      set({ sessions: [], matches: null, query: '', removed: null });
      useDictation.getState().newSession();
    } catch (cause) {
      reportStorageFailure(cause);
    }
  },
}));

// The open session changes as it is recorded, renamed or started: keep its line in the list current.
useDictation.subscribe((state, previous) => {
  if (state.session && state.session !== previous.session) useHistory.setState((s) => ({ sessions: upsert(s.sessions, state.session!) }));
});
