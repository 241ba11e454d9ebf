/**
 * The transcript slice: the open session, its final segments and the partial, and how a session's
 * reports change them (each final saved to History as it arrives).
 */
import { isActive } from '../../core/status';
import { currentEntry, profileOf, type Settings } from '../../protocol/settings';
import type { TranscriptUpdate } from '../../session/session';
import { applySpokenCommands } from '../../transcript/commands';
import { previewOf, segmentEndMs, versionKey, versionsOf, type Segment, type SessionMeta } from '../../transcript/model';
import { reportStorageFailure } from '../errors';
import { currentHistory, persist as persistWrite, settled } from '../persistence';
import { compiledRules, useWords } from '../words';
import type { DictationState, Slice, TranscriptSlice } from './types';

/** A new, empty session, not yet recording. */
export function newSessionMeta(settings: Settings): SessionMeta {
  const now = Date.now();
  return {
    id: crypto.randomUUID(),
    title: '',
    startedAt: now,
    updatedAt: now,
    provider: currentEntry(settings).label,
    durationMs: 0,
    segmentCount: 0,
    preview: '',
    recording: false,
    interrupted: false,
  };
}

/** The session's totals after its segments changed; the duration never shrinks. */
function withTotals(meta: SessionMeta, segments: readonly Segment[], endMs = 0): SessionMeta {
  return {
    ...meta,
    updatedAt: Date.now(),
    segmentCount: segments.length,
    preview: segments.length <= 20 || !meta.preview ? previewOf(segments) : meta.preview,
    durationMs: Math.max(meta.durationMs, endMs),
  };
}

/**
 * Saves one segment (new or edited) of the open session, or the whole session after a failed save;
 * whether the next save must write everything is kept in the store (`resaveNeeded`).
 */
function saveSegment(session: SessionMeta, segments: readonly Segment[], segment: Segment, resave: (needed?: boolean) => boolean): void {
  void persistWrite(async (h) => {
    try {
      await (resave() ? h.restore({ meta: session, segments }) : h.saveSegment(session, segment));
      resave(false);
    } catch (cause) {
      resave(true);
      throw cause;
    }
  });
}

/**
 * Times a final in the session (ms since the session began). The service's own times (ms since the run
 * began) are shifted by where the run starts; a final without times (VoiceRun sends none) is placed by
 * this browser's clock, from the utterance's first partial or speech start to its arrival.
 */
function sessionTimes(s: DictationState, final: Omit<Segment, 'id'>): Omit<Segment, 'id'> {
  const run = s.run;
  if (!run) return final;
  if (final.startMs === undefined) {
    const now = Date.now();
    const from = Math.min(s.utteranceAt ?? now, now);
    return { ...final, startMs: Math.max(0, run.offsetMs + from - run.startedAt), durationMs: now - from };
  }
  const offsetMs = run.offsetMs;
  if (offsetMs === 0) return final;
  const at = (ms: number | undefined) => (ms === undefined ? undefined : ms + offsetMs);
  return { ...final, startMs: at(final.startMs), words: final.words?.map((w) => ({ ...w, startMs: at(w.startMs) })) };
}

/** The store's `resaveNeeded` flag, read (no argument) or written. */
export type ResaveFlag = (needed?: boolean) => boolean;

/**
 * Ends the utterance in progress with a final segment (none if its text is empty), saved to History as
 * it is; clears the partial.
 */
export function appendFinal(s: DictationState, final: Omit<Segment, 'id'>, resave: ResaveFlag): Partial<DictationState> {
  const raw = final.text.trim();
  if (!raw) return { partial: '', utteranceAt: null };
  const id = (s.segments.at(-1)?.id ?? 0) + 1;
  const commands = profileOf(s.settings).spokenCommands ?? false;
  // Spoken punctuation, then the user's expansions and replacement rules; the service's words stay in `raw`.
  const text = compiledRules().apply(commands ? applySpokenCommands(raw) : raw);
  const segment: Segment = { ...sessionTimes(s, final), id, text, ...(text !== raw && { raw }) };
  const segments = [...s.segments, segment];
  const session = withTotals(s.session ?? newSessionMeta(s.settings), segments, segmentEndMs(segment));
  saveSegment(session, segments, segment, resave);
  return { partial: '', segments, session, utteranceAt: null };
}

/** What a transcript report changes. */
export function reduceTranscript(s: DictationState, update: TranscriptUpdate, resave: ResaveFlag): Partial<DictationState> {
  switch (update.type) {
    case 'speech-started':
      return { vad: 'speech', utteranceAt: s.utteranceAt ?? Date.now() };
    case 'speech-stopped':
      return { vad: 'silence' };
    case 'partial':
      return { partial: compiledRules().apply(update.text), utteranceAt: s.utteranceAt ?? Date.now() };
    case 'final': {
      const { type: _type, ...final } = update;
      return appendFinal(s, final, resave);
    }
  }
}

export const transcriptSlice: Slice<TranscriptSlice> = (set, get) => {
  const resave = resaveFlag(get, set);
  return {
    session: null,
    segments: [],
    partial: '',
    vad: 'silence',
    utteranceAt: null,
    resaveNeeded: false,
    newSession() {
      if (!isActive(get().status)) set({ session: null, segments: [], partial: '' });
    },
    openSession(meta, segments) {
      if (!isActive(get().status)) set({ session: meta, segments, partial: '' });
    },
    async switchVersion(key) {
      const s = get();
      if (isActive(s.status) || !s.session || !versionsOf(s.session).some((v) => v.key === key) || versionKey(s.session) === key) return;
      await settled();
      const history = await currentHistory();
      try {
        const segments = history ? await history.segmentsOf(key) : [];
        const session = withTotals({ ...s.session, version: key }, segments);
        set({ session, segments, partial: '' });
        void persistWrite((h) => h.saveMeta(session));
      } catch (cause) {
        reportStorageFailure(cause);
      }
    },
    async removeVersion(key) {
      const s = get();
      if (isActive(s.status) || !s.session) return;
      const versions = versionsOf(s.session);
      const left = versions.filter((v) => v.key !== key);
      if (left.length === versions.length || left.length === 0) return;
      if (versionKey(s.session) === key) await get().switchVersion(left[0].key);
      const session = { ...get().session!, versions: left };
      set({ session });
      void persistWrite(async (h) => {
        await h.removeSegments(key);
        await h.saveMeta(session);
      });
    },
    editSegment(id, text) {
      const s = get();
      const old = s.segments.find((seg) => seg.id === id);
      const next = text.replace(/^ +| +$/g, '');
      if (!old || !s.session || !next.trim() || next === old.text) return;
      const segment: Segment = { ...old, text: next, raw: old.raw ?? old.text, edited: true };
      const segments = s.segments.map((seg) => (seg.id === id ? segment : seg));
      const session = withTotals(s.session, segments);
      set({ segments, session });
      saveSegment(session, segments, segment, resave);
      // A word replaced by hand: offered, once and quietly, as a rule for next time.
      void import('../../transcript/corrections').then(({ correctionOf }) => {
        const correction = correctionOf(old.text, next);
        if (correction) useWords.getState().proposeCorrection(correction);
      });
    },
  };
};

/** The `resaveNeeded` flag of a store, for code outside the slice (the session's reports). */
export function resaveFlag(get: () => DictationState, set: (patch: Partial<DictationState>) => void): ResaveFlag {
  return (needed) => {
    if (needed !== undefined) set({ resaveNeeded: needed });
    return get().resaveNeeded;
  };
}
