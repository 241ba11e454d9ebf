/**
 * Session history in IndexedDB, through `idb`. Object stores: `sessions` (one {@link SessionMeta}
 * each) and `segments` (one record per final segment, keyed `[sessionId, id]`), so saving a final writes
 * one small record and the session's totals, never the whole transcript; `audio` (the kept audio in
 * chunks of about a second, keyed `[sessionId, seq]`) and `audioTotals` (its size per session), see
 * `audio-store.ts` and docs/protocols.md, "Keeping audio".
 *
 * Every method rejects with the browser's `DOMException` when storage refuses (`QuotaExceededError` when
 * full, `InvalidStateError` when IndexedDB is disabled); callers show it.
 */
import { openDB, type DBSchema, type IDBPDatabase } from 'idb';
import { sessionOfKey, versionKey, versionsOf, type Segment, type SessionMeta } from '../transcript/model';
import type { AudioChunkRecord, AudioTotals, ChunkSink } from './audio-store';

/** A segment as stored: with the session it belongs to. */
type StoredSegment = Segment & { readonly sessionId: string };

interface HistorySchema extends DBSchema {
  sessions: { key: string; value: SessionMeta; indexes: { startedAt: number } };
  segments: { key: [string, number]; value: StoredSegment; indexes: { session: string } };
  audio: { key: [string, number]; value: AudioChunkRecord };
  audioTotals: { key: string; value: AudioTotals };
}

/** A session with its segments (of the version shown), in order; with `others`, every other version's. */
export interface SessionRecord {
  readonly meta: SessionMeta;
  readonly segments: readonly Segment[];
  /** Segments of the versions not shown, by version key (a delete keeps them for Undo). */
  readonly others?: Readonly<Record<string, readonly Segment[]>>;
}

/** What the store needs of session history (the IndexedDB one below, or a test's). */
export interface History {
  /** Every session, newest first. */
  list(): Promise<SessionMeta[]>;
  /** One session with its segments (with `all`, every version's); undefined when there is none with this id. */
  load(id: string, all?: boolean): Promise<SessionRecord | undefined>;
  /** The segments stored under a version key, in order. */
  segmentsOf(key: string): Promise<Segment[]>;
  /** Deletes the segments stored under a version key. */
  removeSegments(key: string): Promise<void>;
  /** Writes a session's metadata (created or updated). */
  saveMeta(meta: SessionMeta): Promise<void>;
  /** Writes one segment (new or edited) and its session's metadata, in one transaction. */
  saveSegment(meta: SessionMeta, segment: Segment): Promise<void>;
  /** Deletes a session and its segments. */
  remove(id: string): Promise<void>;
  /** Writes a whole session back (after Undo, or a migration). */
  restore(record: SessionRecord): Promise<void>;
  /** Deletes every session. */
  clear(): Promise<void>;
  /** Ids of the sessions whose title or text holds `query` (case-insensitive), newest first. */
  search(query: string): Promise<string[]>;
  /**
   * Marks sessions left `recording` (the tab closed or crashed mid-dictation) as interrupted.
   * @returns the sessions so marked
   */
  recoverInterrupted(): Promise<SessionMeta[]>;
  /** A session's kept audio, in order (empty when none is kept). */
  audio(id: string): Promise<AudioChunkRecord[]>;
  /** Every session's kept audio, summed (sessions without audio have none). */
  audioTotals(): Promise<AudioTotals[]>;
  /** Deletes a session's audio; its words stay. */
  removeAudio(id: string): Promise<void>;
  /** Puts audio back (after Undo of a delete). */
  restoreAudio(chunks: readonly AudioChunkRecord[]): Promise<void>;
  /** Where a run's chunks are written. */
  readonly audioSink: ChunkSink;
}

/** 1: sessions and segments; 2: kept audio. */
const VERSION = 2;
const ALL = ['sessions', 'segments', 'audio', 'audioTotals'] as const;
const sessionRange = (id: string) => IDBKeyRange.bound([id, -Infinity], [id, Infinity]);

const withoutSessionId = ({ sessionId: _sessionId, ...segment }: StoredSegment): Segment => segment;

/** Session history in IndexedDB. */
class IndexedDbHistory implements History {
  readonly audioSink: ChunkSink;

  constructor(private readonly db: IDBPDatabase<HistorySchema>) {
    this.audioSink = {
      async nextSeq(sessionId) {
        const last = await db.transaction('audio').store.openCursor(sessionRange(sessionId), 'prev');
        return last ? last.value.seq + 1 : 0;
      },
      async put(chunk) {
        const tx = db.transaction(['audio', 'audioTotals'], 'readwrite');
        const totals = tx.objectStore('audioTotals');
        const before = await totals.get(chunk.sessionId);
        const next: AudioTotals = {
          sessionId: chunk.sessionId,
          bytes: (before?.bytes ?? 0) + chunk.data.byteLength,
          durationMs: (before?.durationMs ?? 0) + chunk.durationMs,
          endMs: Math.max(before?.endMs ?? 0, chunk.startMs + chunk.durationMs),
          codec: chunk.codec,
          updatedAt: Date.now(),
        };
        await Promise.all([tx.objectStore('audio').put(chunk), totals.put(next), tx.done]);
      },
      chunks: (sessionId) => db.getAll('audio', sessionRange(sessionId)),
    };
  }

  async list(): Promise<SessionMeta[]> {
    return (await this.db.getAllFromIndex('sessions', 'startedAt')).reverse();
  }

  async load(id: string, all = false): Promise<SessionRecord | undefined> {
    const meta = await this.db.get('sessions', id);
    if (!meta) return undefined;
    const segments = await this.segmentsOf(versionKey(meta));
    if (!all) return { meta, segments };
    const others: Record<string, Segment[]> = {};
    for (const v of versionsOf(meta)) if (v.key !== versionKey(meta)) others[v.key] = await this.segmentsOf(v.key);
    return { meta, segments, others };
  }

  async segmentsOf(key: string): Promise<Segment[]> {
    return (await this.db.getAll('segments', sessionRange(key))).map(withoutSessionId);
  }

  async removeSegments(key: string): Promise<void> {
    await this.db.delete('segments', sessionRange(key));
  }

  async saveMeta(meta: SessionMeta): Promise<void> {
    await this.db.put('sessions', meta);
  }

  async saveSegment(meta: SessionMeta, segment: Segment): Promise<void> {
    const tx = this.db.transaction(['sessions', 'segments'], 'readwrite');
    await Promise.all([
      tx.objectStore('segments').put({ ...segment, sessionId: versionKey(meta) }),
      tx.objectStore('sessions').put(meta),
      tx.done,
    ]);
  }

  async remove(id: string): Promise<void> {
    const meta = await this.db.get('sessions', id);
    const keys = meta ? versionsOf(meta).map((v) => v.key) : [id];
    const tx = this.db.transaction(ALL, 'readwrite');
    await Promise.all([
      tx.objectStore('sessions').delete(id),
      ...keys.map((key) => tx.objectStore('segments').delete(sessionRange(key))),
      tx.objectStore('audio').delete(sessionRange(id)),
      tx.objectStore('audioTotals').delete(id),
      tx.done,
    ]);
  }

  async audio(id: string): Promise<AudioChunkRecord[]> {
    return this.db.getAll('audio', sessionRange(id));
  }

  async audioTotals(): Promise<AudioTotals[]> {
    return this.db.getAll('audioTotals');
  }

  async removeAudio(id: string): Promise<void> {
    const tx = this.db.transaction(['audio', 'audioTotals'], 'readwrite');
    await Promise.all([tx.objectStore('audio').delete(sessionRange(id)), tx.objectStore('audioTotals').delete(id), tx.done]);
  }

  async restoreAudio(chunks: readonly AudioChunkRecord[]): Promise<void> {
    for (const chunk of chunks) await this.audioSink.put(chunk);
  }

  async restore({ meta, segments, others = {} }: SessionRecord): Promise<void> {
    const tx = this.db.transaction(['sessions', 'segments'], 'readwrite');
    const store = tx.objectStore('segments');
    const key = versionKey(meta);
    await Promise.all([
      tx.objectStore('sessions').put(meta),
      ...segments.map((s) => store.put({ ...s, sessionId: key })),
      ...Object.entries(others).flatMap(([k, list]) => list.map((s) => store.put({ ...s, sessionId: k }))),
      tx.done,
    ]);
  }

  async clear(): Promise<void> {
    const tx = this.db.transaction(ALL, 'readwrite');
    await Promise.all([...ALL.map((name) => tx.objectStore(name).clear()), tx.done]);
  }

  async search(query: string): Promise<string[]> {
    const needle = query.trim().toLowerCase();
    const sessions = await this.list();
    if (!needle) return sessions.map((s) => s.id);
    const found = new Set(sessions.filter((s) => s.title.toLowerCase().includes(needle)).map((s) => s.id));
    // One read of every segment: a cursor would cost a round trip per record (10× slower in Chromium).
    for (const { sessionId, text } of await this.db.getAll('segments')) {
      const id = sessionOfKey(sessionId);
      if (!found.has(id) && text.toLowerCase().includes(needle)) found.add(id);
    }
    return sessions.filter((s) => found.has(s.id)).map((s) => s.id);
  }

  async recoverInterrupted(): Promise<SessionMeta[]> {
    const tx = this.db.transaction('sessions', 'readwrite');
    const marked: SessionMeta[] = [];
    for (const meta of await tx.store.getAll()) {
      if (!meta.recording) continue;
      const next = { ...meta, recording: false, interrupted: true };
      marked.push(next);
      void tx.store.put(next);
    }
    await tx.done;
    return marked;
  }
}

/**
 * Opens (creating on first use) the history database.
 * @param name - the IndexedDB database name (tests use their own)
 * @throws the browser's `DOMException` when IndexedDB is unavailable or refuses
 */
export async function openHistory(name = 'dictate-history'): Promise<History> {
  if (typeof indexedDB === 'undefined') throw new DOMException('IndexedDB is not available in this browser', 'InvalidStateError');
  const db = await openDB<HistorySchema>(name, VERSION, {
    upgrade(db, oldVersion) {
      if (oldVersion < 1) {
        db.createObjectStore('sessions', { keyPath: 'id' }).createIndex('startedAt', 'startedAt');
        db.createObjectStore('segments', { keyPath: ['sessionId', 'id'] }).createIndex('session', 'sessionId');
      }
      if (oldVersion < 2) {
        db.createObjectStore('audio', { keyPath: ['sessionId', 'seq'] });
        db.createObjectStore('audioTotals', { keyPath: 'sessionId' });
      }
    },
    // A newer version of Dictate opened in another tab needs the database: let it go.
    blocking() {
      db.close();
    },
  });
  return new IndexedDbHistory(db);
}
