/**
 * The dictation store: state and actions, nothing else, in slices (zustand's slices pattern; shapes in
 * `slices/types.ts`): settings, the open transcript, the run, the meters. It holds no socket and no
 * audio node: `start()` and `stop()` go to the session controller attached with {@link attachSession},
 * which reports back through {@link sessionSink}. Everything, the attached controller included, is
 * store state, so `useDictation.getInitialState()` resets all of it.
 */
import { create } from 'zustand';
import { createJSONStorage, persist, type PersistStorage } from 'zustand/middleware';
import { isObject } from '../core/json';
import { migrateSettingsV1, sanitizeSettings } from '../protocol/settings';
import type { SessionControl, SessionSink } from '../session/session';
import { segmentEndMs, type Segment } from '../transcript/model';
import { onStorageFailure, reportStorageFailure } from './errors';
import { persist as persistWrite } from './persistence';
import { meterReading, metersSlice } from './slices/meters';
import { dictationFigures as figures, onFiguresMeasured } from './figures';
import { endRun, keepPartial, runSlice } from './slices/run';
import { settingsSlice } from './slices/settings';
import { reduceTranscript, resaveFlag, transcriptSlice } from './slices/transcript';
import type { DictationState, FileSource, KeptSource } from './slices/types';

export type { Segment, SessionMeta } from '../transcript/model';
export { transcriptText } from '../transcript/model';
export type { DictationState, FileSource, KeptSource, ProfilePatch, VadState } from './slices/types';

/** What localStorage keeps across reloads: settings (keys are kept apart, in the credentials store; sessions in History). */
type Persisted = Pick<DictationState, 'settings'>;

/** Where a transcript saved by version 2 (in localStorage, before History) waits to be moved into History. */
export const LEGACY_TRANSCRIPT_KEY = 'dictate-transcript-v2';

/**
 * localStorage, written only when the persisted slice changed. `persist` saves on every `setState`,
 * and most of those (level meter at 10 Hz, partials at 5 Hz) do not touch it: serialising the whole
 * transcript for each would be work on the hot path for nothing.
 */
function changeOnlyStorage(): PersistStorage<Persisted> | undefined {
  const json = createJSONStorage<Persisted>(() => localStorage);
  if (!json) return undefined;
  let last: Persisted | null = null;
  const same = (a: Persisted, b: Persisted) => a.settings === b.settings;
  return {
    getItem: json.getItem,
    removeItem: json.removeItem,
    setItem(name, value) {
      if (last && same(last, value.state)) return;
      try {
        json.setItem(name, value);
        last = value.state;
      } catch (cause) {
        // Full (QuotaExceededError) or refused (private mode): say so, once per failure, after this update.
        last = null;
        reportStorageFailure(cause);
      }
    },
  };
}

export const useDictation = create<DictationState>()(
  persist(
    (...a) => ({
      ...settingsSlice(...a),
      ...transcriptSlice(...a),
      ...runSlice(() => sessionSink)(...a),
      ...metersSlice(...a),
    }),
    {
      name: 'dictate',
      version: 3,
      storage: changeOnlyStorage(),
      partialize: (s): Persisted => ({ settings: s.settings }),
      // Version 1 had one flat VoiceRun connection; version 2 kept the transcript here, before History.
      migrate: (persisted, version) => {
        const p = (persisted ?? {}) as Persisted & { segments?: unknown };
        if (version < 3 && Array.isArray(p.segments) && p.segments.length > 0) stashLegacyTranscript(p.segments);
        return { settings: version < 2 ? migrateSettingsV1(p.settings) : p.settings };
      },
      merge: (persisted, current) => {
        const p = (persisted ?? {}) as Partial<Persisted>;
        return { ...current, settings: p.settings ? sanitizeSettings(p.settings) : current.settings };
      },
    },
  ),
);

/**
 * Keeps a version-2 transcript under {@link LEGACY_TRANSCRIPT_KEY} until it is in History: the settings
 * key is rewritten without it on the next save, before IndexedDB is even open.
 */
function stashLegacyTranscript(segments: unknown[]): void {
  try {
    localStorage.setItem(LEGACY_TRANSCRIPT_KEY, JSON.stringify(segments));
  } catch (cause) {
    reportStorageFailure(cause);
  }
}

/**
 * Segments saved by version 2, if any are waiting to be moved into History. Storage is user-editable:
 * only well-formed segments are kept.
 */
export function legacyTranscript(): Segment[] {
  let raw: unknown;
  try {
    raw = JSON.parse(localStorage.getItem(LEGACY_TRANSCRIPT_KEY) ?? '[]');
  } catch {
    return [];
  }
  if (!Array.isArray(raw)) return [];
  return raw
    .filter((s): s is Segment => isObject(s) && typeof s.text === 'string' && s.text.trim() !== '')
    .map((s, i) => ({ ...s, id: i + 1 }));
}

onStorageFailure((error) => useDictation.setState({ error }));

// A run's figures, measured after it ended, are kept with its session (open or not).
onFiguresMeasured((sessionId, figures) => {
  const open = useDictation.getState().session;
  if (open?.id === sessionId) {
    const session = { ...open, figures };
    useDictation.setState({ session });
    void persistWrite((h) => h.saveMeta(session));
  } else {
    void persistWrite(async (h) => {
      const meta = (await h.load(sessionId))?.meta;
      if (meta) await h.saveMeta({ ...meta, figures });
    });
  }
});

/** Attaches how files are read (the app's decoder and worker, or a test's fake). */
export function attachFileSource(source: FileSource | null): void {
  useDictation.setState({ fileSource: source });
}

/** Attaches how kept audio is played into a session (the app's reader, or a test's fake). */
export function attachKeptSource(source: KeptSource | null): void {
  useDictation.setState({ keptSource: source });
}

/** Connects the store to a session controller (the app's, or a test's with fakes). */
export function attachSession(control: SessionControl | null): void {
  useDictation.setState({ controller: control });
}

const resave = resaveFlag(
  () => useDictation.getState(),
  (patch) => useDictation.setState(patch),
);

/** Marks the open session's kept audio after its last words as having no text yet. */
function untranscribed(s: Pick<DictationState, 'session' | 'segments'>): Partial<DictationState> {
  if (!s.session) return {};
  const fromMs = Math.max(0, ...s.segments.map((seg) => segmentEndMs(seg) ?? 0));
  return { session: { ...s.session, untranscribedFromMs: Math.min(fromMs, s.session.untranscribedFromMs ?? fromMs) } };
}

/** How the session reports into the store. */
export const sessionSink: SessionSink = {
  status(status) {
    useDictation.setState((s) => {
      // A partial of a dropped connection is stale: the replay brings its words back as a final.
      if (status === 'reconnecting') return { status, partial: '', vad: 'silence', utteranceAt: null };
      // At the end, words shown that the service never finalised are kept.
      if (status === 'idle') return endRun(s, { status, vad: 'silence', ...keepPartial(s, resave) });
      return { status };
    });
  },
  transcript(update) {
    figures.transcript(update);
    useDictation.setState((s) => reduceTranscript(s, update, resave));
  },
  speech(edge, audioMs) {
    figures.speech(edge, audioMs);
  },
  frameSent(delayMs) {
    figures.frameSent(delayMs);
  },
  replayed(audioMs) {
    figures.replayed(audioMs);
  },
  fail(error) {
    useDictation.setState((s) => {
      const kept = keepPartial(s, resave);
      return endRun(s, { status: 'error', error, vad: 'silence', ...kept, ...untranscribed({ ...s, ...kept }) });
    });
  },
  notice(error) {
    // The last words never came: the audio after the last segment has no text yet.
    useDictation.setState((s) => ({ error, ...(error.code === 'no-text-yet' && untranscribed(s)) }));
  },
  level(peak) {
    useDictation.setState((s) => meterReading(s, peak, Date.now()));
  },
  reconnecting(attempt) {
    figures.reconnecting(attempt);
    useDictation.setState({ reconnectAttempt: attempt });
  },
  capture(info) {
    useDictation.setState({ capture: { sampleRate: info.sampleRate, resampler: info.resampler } });
  },
  network(slow) {
    useDictation.setState({ networkSlow: slow });
  },
  waiting(seconds) {
    useDictation.setState({ waitingSeconds: seconds });
  },
  audioKept() {
    useDictation.setState((s) => ({ audioSaved: s.audioSaved + 1 }));
  },
};
