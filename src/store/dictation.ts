/**
 * The dictation store: state and actions, nothing else. It holds no socket and no audio node;
 * `start()` and `stop()` go to the session attached with {@link attachSession}, which reports back
 * through {@link sessionSink}.
 */
import { create } from 'zustand';
import { createJSONStorage, persist, type PersistStorage } from 'zustand/middleware';
import { dictationError, type DictationError } from '../core/errors';
import { onStorageFailure, reportStorageFailure } from './errors';
import { isObject } from '../core/json';
import { providerEntry } from '../protocol/registry';
import { applySpokenCommands } from '../transcript/commands';
import { previewOf, segmentEndMs, type Segment, type SessionMeta } from '../transcript/model';
import { persist as persistWrite } from './persistence';
import type { OptionValue } from '../protocol/service';
import type { SessionStatus } from '../core/status';
import type { SessionControl, SessionSink, TranscriptUpdate } from '../session/session';
import {
  currentEntry,
  DEFAULT_SETTINGS,
  migrateSettingsV1,
  profileOf,
  sanitizeSettings,
  type ProviderProfile,
  type Settings,
} from '../protocol/settings';
import { DEFAULT_MICROPHONE, type MicrophoneOptions } from '../core/microphone';
import { useCredentials } from './credentials';
import { isActive } from '../core/status';

export type { Segment, SessionMeta } from '../transcript/model';
export { transcriptText } from '../transcript/model';

/** A change to the current provider's profile; `options` are merged into the saved ones. */
export interface ProfilePatch {
  readonly url?: string;
  readonly auth?: ProviderProfile['auth'];
  readonly tokenUrl?: string;
  readonly options?: Readonly<Record<string, OptionValue>>;
  readonly spokenCommands?: boolean;
}

/** Voice activity as the service reports it. */
export type VadState = 'speech' | 'silence';

export interface DictationState {
  readonly status: SessionStatus;
  /** The open session (what the transcript shows, and what recording continues); null before the first recording. */
  readonly session: SessionMeta | null;
  /** Final utterances of the open session, in order. */
  readonly segments: readonly Segment[];
  /** Interim text of the utterance in progress ('' when none). */
  readonly partial: string;
  readonly vad: VadState;
  /** The last error, until dismissed or a new session starts. */
  readonly error: DictationError | null;
  /** Microphone input level, 0–1. */
  readonly level: number;
  /** True within a second of a peak at full scale (the signal is cut off: too loud). */
  readonly clipping: boolean;
  /** The reconnect attempt under way (1-based); 0 when connected. */
  readonly reconnectAttempt: number;
  /** True while audio waits because the network does not take it fast enough. */
  readonly networkSlow: boolean;
  /** When the utterance in progress began (epoch ms: its first partial or speech start); null between utterances. */
  readonly utteranceAt: number | null;
  /** The recording under way: where its times start in the session (ms), and when it began (epoch ms). */
  readonly run: { readonly offsetMs: number; readonly startedAt: number } | null;
  /** How the last recording was captured: the device's rate (Hz) and the resampler; null before one. */
  readonly capture: { readonly sampleRate: number; readonly resampler: string } | null;
  /** While a file is transcribed: its name and the fraction sent (0–1); null otherwise. */
  readonly file: { readonly name: string; readonly progress: number } | null;
  /** While finishing: seconds left to wait for the service's last words; null when not waiting. */
  readonly waitingSeconds: number | null;
  readonly settings: Settings;

  // Actions are properties, not methods: components take them out of the store (`useDictation((s) => s.stop)`).
  /** Starts dictating (from `idle` or `error`). */
  readonly start: () => void;
  /**
   * Transcribes an audio file into a new session named after it, through the selected service, as fast
   * as it takes the audio. `stop()` cancels: the words so far are kept.
   */
  readonly transcribeFile: (file: File) => void;
  /** Stops dictating; the last words still arrive before the status returns to `idle`. */
  readonly stop: () => void;
  /** Starts a new, empty session (when not recording); the open one stays in History. */
  readonly newSession: () => void;
  /** Opens a session (its meta and segments, from History) when not recording. */
  readonly openSession: (meta: SessionMeta, segments: readonly Segment[]) => void;
  /** Replaces a final segment's text (its times and raw words stay); saved to History. Empty text is ignored. */
  readonly editSegment: (id: number, text: string) => void;
  /** Chooses the provider (a registry entry id); its own profile comes back as it was left. */
  readonly selectProvider: (id: string) => void;
  /** Changes the current provider's profile. */
  readonly updateProfile: (patch: ProfilePatch) => void;
  /** Changes the microphone or its processing (applies to the next recording). */
  readonly setMicrophone: (patch: Partial<MicrophoneOptions>) => void;
  /** Puts the current provider's profile back to its defaults. */
  readonly resetProfile: () => void;
  readonly dismissError: () => void;
}

let session: SessionControl | null = null;

/** A capture source that plays a file (see `audio/file.ts`); the store only passes it to the session. */
export type FileSource = (file: File, onProgress: (fraction: number) => void) => NonNullable<Parameters<SessionControl['start']>[2]>;
let fileSource: FileSource | null = null;

/** Attaches how files are read (the app's decoder and worker, or a test's fake). */
export function attachFileSource(source: FileSource | null): void {
  fileSource = source;
}

/** Connects the store to a session controller (the app's, or a test's with fakes). */
export function attachSession(control: SessionControl | null): void {
  session = control;
}

/** State on first load (tests reset the store with `useDictation.getInitialState()`). */
const initialDictationState = {
  status: 'idle' as SessionStatus,
  session: null as SessionMeta | null,
  run: null as DictationState['run'],
  utteranceAt: null as number | null,
  file: null as DictationState['file'],
  capture: null as DictationState['capture'],
  segments: [] as readonly Segment[],
  partial: '',
  vad: 'silence' as VadState,
  error: null as DictationError | null,
  level: 0,
  clipping: false,
  reconnectAttempt: 0,
  networkSlow: false,
  waitingSeconds: null as number | null,
  settings: DEFAULT_SETTINGS,
};

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
  return {
    ...final,
    startMs: at(final.startMs),
    words: final.words?.map((w) => ({ ...w, startMs: at(w.startMs) })),
  };
}

/** A new, empty session, not yet recording. */
function newSessionMeta(settings: Settings): SessionMeta {
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

/** True after a segment could not be saved: the next save writes the whole session, so what failed is not lost. */
let resave = false;

/** Saves one segment (new or edited) of the open session, or the whole session after a failed save. */
function saveSegment(session: SessionMeta, segments: readonly Segment[], segment: Segment): void {
  void persistWrite(async (h) => {
    try {
      await (resave ? h.restore({ meta: session, segments }) : h.saveSegment(session, segment));
      resave = false;
    } catch (cause) {
      resave = true;
      throw cause;
    }
  });
}

/**
 * Ends the utterance in progress with a final segment (none if its text is empty), saved to History as
 * it is; clears the partial.
 */
function appendFinal(s: DictationState, final: Omit<Segment, 'id'>): Partial<DictationState> {
  const raw = final.text.trim();
  if (!raw) return { partial: '', utteranceAt: null };
  const id = (s.segments.at(-1)?.id ?? 0) + 1;
  const commands = profileOf(s.settings).spokenCommands ?? false;
  const text = commands ? applySpokenCommands(raw) : raw;
  const segment: Segment = { ...sessionTimes(s, final), id, text, ...(text !== raw && { raw }) };
  const segments = [...s.segments, segment];
  const session = withTotals(s.session ?? newSessionMeta(s.settings), segments, segmentEndMs(segment));
  saveSegment(session, segments, segment);
  return { partial: '', segments, session, utteranceAt: null };
}

/** Moves an unfinished partial into the transcript, so words already shown are never lost. */
const keepPartial = (s: DictationState) => appendFinal(s, { text: s.partial });

/** The run ended (stopped, failed or given up): its time is added and the session is no longer recording. */
function endRun(s: DictationState, patch: Partial<DictationState>): Partial<DictationState> {
  const session = patch.session ?? s.session;
  const run = s.run;
  if (!run || !session) return patch;
  const now = Date.now();
  const ended = {
    ...session,
    recording: false,
    updatedAt: now,
    // A file goes faster than real time: its length is where its last words end, not the time taken.
    durationMs: s.file ? session.durationMs : Math.max(session.durationMs, run.offsetMs + now - run.startedAt),
  };
  void persistWrite((h) => h.saveMeta(ended));
  return { ...patch, session: ended, run: null, file: null };
}

function reduceTranscript(s: DictationState, update: TranscriptUpdate): Partial<DictationState> {
  switch (update.type) {
    case 'speech-started':
      return { vad: 'speech', utteranceAt: s.utteranceAt ?? Date.now() };
    case 'speech-stopped':
      return { vad: 'silence' };
    case 'partial':
      return { partial: update.text, utteranceAt: s.utteranceAt ?? Date.now() };
    case 'final': {
      const { type: _type, ...final } = update;
      return appendFinal(s, final);
    }
  }
}

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
    (set, get) => ({
      ...initialDictationState,
      start() {
        startRun();
      },
      transcribeFile(file) {
        const { status } = get();
        if (isActive(status)) return;
        if (!fileSource) {
          set({
            status: 'error',
            error: dictationError('no-session', 'Transcribing files is not available in this page. Reload and try again.'),
          });
          return;
        }
        const name = file.name;
        const source = fileSource(file, (progress) => useDictation.setState((s) => (s.file ? { file: { name, progress } } : {})));
        // A new session, named after the file.
        set({ session: { ...newSessionMeta(get().settings), title: name }, segments: [], partial: '', file: { name, progress: 0 } });
        startRun(source);
      },
      stop() {
        session?.stop();
      },
      newSession() {
        const { status } = get();
        if (isActive(status)) return;
        set({ session: null, segments: [], partial: '' });
      },
      openSession(meta, segments) {
        const { status } = get();
        if (isActive(status)) return;
        set({ session: meta, segments, partial: '' });
      },
      editSegment(id, text) {
        set((s) => {
          const old = s.segments.find((seg) => seg.id === id);
          const next = text.replace(/^ +| +$/g, '');
          if (!old || !s.session || !next.trim() || next === old.text) return {};
          const segment: Segment = { ...old, text: next, raw: old.raw ?? old.text, edited: true };
          const segments = s.segments.map((seg) => (seg.id === id ? segment : seg));
          const session = withTotals(s.session, segments);
          saveSegment(session, segments, segment);
          return { segments, session };
        });
      },
      selectProvider(id) {
        if (!providerEntry(id)) return;
        set((s) => ({ settings: { ...s.settings, provider: id } }));
      },
      updateProfile(patch) {
        set((s) => {
          const entry = currentEntry(s.settings);
          const profile = profileOf(s.settings, entry);
          const next: ProviderProfile = {
            url: patch.url ?? profile.url,
            auth: patch.auth ?? profile.auth,
            tokenUrl: patch.tokenUrl ?? profile.tokenUrl ?? '',
            options: patch.options ? { ...profile.options, ...patch.options } : profile.options,
            spokenCommands: patch.spokenCommands ?? profile.spokenCommands,
          };
          return { settings: { ...s.settings, profiles: { ...s.settings.profiles, [entry.id]: next } } };
        });
      },
      setMicrophone(patch) {
        set((s) => ({ settings: { ...s.settings, microphone: { ...DEFAULT_MICROPHONE, ...s.settings.microphone, ...patch } } }));
      },
      resetProfile() {
        set((s) => {
          const { [currentEntry(s.settings).id]: _dropped, ...profiles } = s.settings.profiles;
          return { settings: { ...s.settings, profiles } };
        });
      },
      dismissError() {
        set({ error: null });
      },
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

/** Starts a run of the open session (a new one when none is open), from the microphone or `source`. */
function startRun(source?: Parameters<SessionControl['start']>[2]): void {
  const { status, settings } = useDictation.getState();
  if (isActive(status)) return;
  const entry = currentEntry(settings);
  const apiKey = useCredentials.getState().keys[entry.id] ?? '';
  if (!session) {
    useDictation.setState({
      status: 'error',
      file: null,
      error: dictationError('no-session', 'Dictation is not available in this page. Reload and try again.'),
    });
    return;
  }
  const now = Date.now();
  const open = useDictation.getState().session;
  const meta: SessionMeta = {
    ...(open ?? newSessionMeta(settings)),
    provider: entry.label,
    updatedAt: now,
    recording: true,
    interrupted: false,
  };
  void persistWrite((h) => h.saveMeta(meta));
  useDictation.setState({ error: null, partial: '', vad: 'silence', session: meta, run: { offsetMs: meta.durationMs, startedAt: now } });
  session.start({ provider: entry.id, profile: profileOf(settings, entry), apiKey, microphone: settings.microphone }, sessionSink, source);
}

/** A peak at or above this (0–1 of full scale) is clipping. */
const CLIPPING_PEAK = 0.99;
/** How long "Clipping" stays after the last clipped peak, ms. */
const CLIPPING_HOLD_MS = 1000;
let clippedAt = -Infinity;

/** How the session reports into the store. */
export const sessionSink: SessionSink = {
  status(status) {
    useDictation.setState((s) => {
      // A partial of a dropped connection is stale: the replay brings its words back as a final.
      if (status === 'reconnecting') return { status, partial: '', vad: 'silence', utteranceAt: null };
      // At the end, words shown that the service never finalised are kept.
      if (status === 'idle') return endRun(s, { status, vad: 'silence', ...keepPartial(s) });
      return { status };
    });
  },
  transcript(update) {
    useDictation.setState((s) => reduceTranscript(s, update));
  },
  fail(error) {
    useDictation.setState((s) => endRun(s, { status: 'error', error, vad: 'silence', ...keepPartial(s) }));
  },
  notice(error) {
    useDictation.setState({ error });
  },
  level(peak) {
    const now = Date.now();
    if (peak >= CLIPPING_PEAK) clippedAt = now;
    useDictation.setState({ level: peak, clipping: now - clippedAt < CLIPPING_HOLD_MS });
  },
  reconnecting(attempt) {
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
};
