/**
 * The History panel's state: every saved session, the search, and what the last delete removed (for
 * Undo). Sessions live in IndexedDB (see `persistence.ts`); this store holds their list and calls it.
 */
import { create } from 'zustand';
import type { AudioChunkRecord, AudioTotals } from '../history/audio-store';
import type { History, SessionRecord } from '../history/db';
import { previewOf, segmentEndMs, type SessionMeta } from '../transcript/model';
import { legacyTranscript, LEGACY_TRANSCRIPT_KEY, useDictation } from './dictation';
import { reportStorageFailure } from './errors';
import { currentHistory, persist, settled } from './persistence';
import { isActive } from '../core/status';
import { usePlayback } from './playback';
import { KEEP_AUDIO_30_DAYS_MS, usePreferences } from './preferences';

/** What the browser says of this site's storage (`navigator.storage`), bytes. */
export interface StorageUse {
  readonly usage: number;
  readonly quota: number;
  /** True once the browser agreed not to evict Dictate's data under storage pressure. */
  readonly persisted: boolean;
}

/** Above this fraction of the quota, and when the user chose it, the oldest audio is deleted before recording. */
export const FREE_OLD_AUDIO_ABOVE = 0.9;

export interface HistoryState {
  /** Every session, newest first. */
  readonly sessions: readonly SessionMeta[];
  /** True once History was read at start-up. */
  readonly loaded: boolean;
  /** The search text ('' lists every session). */
  readonly query: string;
  /** Ids of the sessions matching `query`, newest first; null when not searching. */
  readonly matches: readonly string[] | null;
  /** What the last delete removed, until Undo or the next delete (its audio too). */
  readonly removed: (SessionRecord & { readonly audio: readonly AudioChunkRecord[] }) | null;
  /** Each session's kept audio, by session id (sessions without audio have none). */
  readonly audio: Readonly<Record<string, AudioTotals>>;
  /** This site's storage, when the browser tells. */
  readonly storage: StorageUse | null;

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
  /** Deletes a session's audio; its words stay. Not while it is being recorded. */
  readonly removeAudio: (id: string) => Promise<void>;
  /** Reads the audio sizes and the storage estimate again. */
  readonly measureStorage: () => Promise<void>;
  /**
   * Deletes the oldest sessions' audio (never their words, never the open session's) until this site
   * uses less than {@link FREE_OLD_AUDIO_ABOVE} of its quota. Only when the user chose it.
   * @returns how many sessions lost their audio
   */
  readonly freeOldAudio: () => Promise<number>;
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
  audio: {},
  storage: null,
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
      await applyRetention(history);
      const sessions = await history.list();
      set({ sessions, loaded: true });
      void askPersistence();
      void get().measureStorage();
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
      void get().measureStorage();
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
      const record = await history.load(id, true);
      const audio = await history.audio(id);
      await history.remove(id);
      set((s) => ({
        sessions: s.sessions.filter((m) => m.id !== id),
        matches: s.matches?.filter((m) => m !== id) ?? null,
        removed: record ? { ...record, audio } : null,
        audio: without(s.audio, id),
      }));
      if (open?.id === id) useDictation.getState().newSession();
      if (usePlayback.getState().sessionId === id) usePlayback.getState().unload();
    } catch (cause) {
      reportStorageFailure(cause);
    }
  },
  undoRemove() {
    const record = get().removed;
    if (!record) return;
    set((s) => ({ removed: null, sessions: upsert(s.sessions, record.meta), matches: s.matches ? [...s.matches, record.meta.id] : null }));
    void persist(async (h) => {
      await h.restore(record);
      await h.restoreAudio(record.audio);
    }).then(() => get().measureStorage());
  },
  async removeAll() {
    if (recording()) return;
    await settled();
    const history = await currentHistory();
    if (!history) return;
    try {
      await history.clear();
      set({ sessions: [], matches: null, query: '', removed: null, audio: {} });
      useDictation.getState().newSession();
      usePlayback.getState().unload();
      void get().measureStorage();
    } catch (cause) {
      reportStorageFailure(cause);
    }
  },
  async removeAudio(id) {
    const dictation = useDictation.getState();
    if (dictation.session?.id === id && dictation.run) return;
    await settled();
    const history = await currentHistory();
    if (!history) return;
    try {
      await history.removeAudio(id);
      set((s) => ({ audio: without(s.audio, id) }));
      if (usePlayback.getState().sessionId === id) await usePlayback.getState().load(id, true);
      void get().measureStorage();
    } catch (cause) {
      reportStorageFailure(cause);
    }
  },
  async measureStorage() {
    const history = await currentHistory();
    try {
      const totals = history ? await history.audioTotals() : [];
      set({ audio: Object.fromEntries(totals.map((t) => [t.sessionId, t])), storage: await estimate() });
    } catch (cause) {
      reportStorageFailure(cause);
    }
  },
  async freeOldAudio() {
    if (!usePreferences.getState().freeOldAudio) return 0;
    const history = await currentHistory();
    if (!history) return 0;
    let freed = 0;
    try {
      const open = useDictation.getState().session?.id;
      const oldest = (await history.audioTotals()).filter((t) => t.sessionId !== open).sort((a, b) => a.updatedAt - b.updatedAt);
      for (const totals of oldest) {
        const use = await estimate();
        if (!use || use.usage < use.quota * FREE_OLD_AUDIO_ABOVE) break;
        await history.removeAudio(totals.sessionId);
        freed++;
      }
      if (freed > 0) await get().measureStorage();
    } catch (cause) {
      reportStorageFailure(cause);
    }
    return freed;
  },
}));

function without<T>(record: Readonly<Record<string, T>>, id: string): Record<string, T> {
  const { [id]: _gone, ...rest } = record;
  return rest;
}

/** This site's storage use, when the browser tells (`navigator.storage.estimate()`). */
async function estimate(): Promise<StorageUse | null> {
  const storage = typeof navigator === 'undefined' ? undefined : navigator.storage;
  if (!storage?.estimate) return null;
  try {
    const [{ usage = 0, quota = 0 }, persisted] = await Promise.all([storage.estimate(), storage.persisted?.() ?? false]);
    return { usage, quota, persisted };
  } catch {
    return null;
  }
}

/** Asks the browser not to evict Dictate's data under storage pressure (it may grant it silently, or not). */
async function askPersistence(): Promise<void> {
  try {
    if (typeof navigator !== 'undefined' && navigator.storage?.persist && !(await navigator.storage.persisted()))
      await navigator.storage.persist();
  } catch {
    // Not granted: the estimate shows it, and nothing else changes.
  }
}

/** Under "keep audio for 30 days", audio last written more than 30 days ago is deleted (the words stay). */
async function applyRetention(history: History, now = Date.now()): Promise<void> {
  if (usePreferences.getState().keepAudio !== '30-days') return;
  for (const totals of await history.audioTotals())
    if (now - totals.updatedAt > KEEP_AUDIO_30_DAYS_MS) await history.removeAudio(totals.sessionId);
}

// The open session changes as it is recorded, renamed or started: keep its line in the list current.
useDictation.subscribe((state, previous) => {
  if (state.session && state.session !== previous.session) useHistory.setState((s) => ({ sessions: upsert(s.sessions, state.session!) }));
  // A recording starts: make room for its audio if the user chose that; once its audio is stored, sizes change.
  if (state.run && !previous.run) void useHistory.getState().freeOldAudio();
  if (state.audioSaved !== previous.audioSaved) void useHistory.getState().measureStorage();
});
