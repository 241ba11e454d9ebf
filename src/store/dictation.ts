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
import type { FinalResult } from '../core/events';
import { providerEntry } from '../protocol/registry';
import type { OptionValue } from '../protocol/service';
import type { SessionControl, SessionSink, SessionStatus, TranscriptUpdate } from '../session/session';
import {
  currentEntry,
  DEFAULT_SETTINGS,
  migrateSettingsV1,
  profileOf,
  sanitizeSettings,
  type ProviderProfile,
  type Settings,
} from '../session/settings';
import { useCredentials } from './credentials';

/** One final utterance as the transcript keeps it: a final result (times in ms since the run began) and its number. */
export type Segment = Omit<FinalResult, 'type'> & { readonly id: number };

/** A change to the current provider's profile; `options` are merged into the saved ones. */
export interface ProfilePatch {
  readonly url?: string;
  readonly auth?: ProviderProfile['auth'];
  readonly tokenUrl?: string;
  readonly options?: Readonly<Record<string, OptionValue>>;
}

/** Voice activity as the service reports it. */
export type VadState = 'speech' | 'silence';

export interface DictationState {
  readonly status: SessionStatus;
  /** Final utterances, in order. */
  readonly segments: readonly Segment[];
  /** Interim text of the utterance in progress ('' when none). */
  readonly partial: string;
  readonly vad: VadState;
  /** The last error, until dismissed or a new session starts. */
  readonly error: DictationError | null;
  /** What the last Clear removed, until it is undone or the transcript is cleared again (not persisted). */
  readonly cleared: readonly Segment[] | null;
  /** Microphone input level, 0–1. */
  readonly level: number;
  /** The reconnect attempt under way (1-based); 0 when connected. */
  readonly reconnectAttempt: number;
  /** True while audio waits because the network does not take it fast enough. */
  readonly networkSlow: boolean;
  /** While finishing: seconds left to wait for the service's last words; null when not waiting. */
  readonly waitingSeconds: number | null;
  readonly settings: Settings;

  // Actions are properties, not methods: components take them out of the store (`useDictation((s) => s.stop)`).
  /** Starts dictating (from `idle` or `error`). */
  readonly start: () => void;
  /** Stops dictating; the last words still arrive before the status returns to `idle`. */
  readonly stop: () => void;
  /** Empties the transcript; `undoClear` brings it back. */
  readonly clear: () => void;
  /** Puts back what the last `clear` removed, before anything added since. */
  readonly undoClear: () => void;
  /** Chooses the provider (a registry entry id); its own profile comes back as it was left. */
  readonly selectProvider: (id: string) => void;
  /** Changes the current provider's profile. */
  readonly updateProfile: (patch: ProfilePatch) => void;
  /** Puts the current provider's profile back to its defaults. */
  readonly resetProfile: () => void;
  readonly dismissError: () => void;
}

let session: SessionControl | null = null;

/** Connects the store to a session controller (the app's, or a test's with fakes). */
export function attachSession(control: SessionControl | null): void {
  session = control;
}

/** The transcript as plain text: final utterances in order, space-joined. */
export function transcriptText(segments: readonly Segment[]): string {
  return segments
    .map((s) => s.text.trim())
    .filter(Boolean)
    .join(' ');
}

/** State on first load (tests reset the store with `useDictation.getInitialState()`). */
const initialDictationState = {
  status: 'idle' as SessionStatus,
  segments: [] as readonly Segment[],
  partial: '',
  vad: 'silence' as VadState,
  error: null as DictationError | null,
  cleared: null as readonly Segment[] | null,
  level: 0,
  reconnectAttempt: 0,
  networkSlow: false,
  waitingSeconds: null as number | null,
  settings: DEFAULT_SETTINGS,
};

/** Ends the utterance in progress with a final segment (none if its text is empty); clears the partial. */
function appendFinal(s: DictationState, final: Omit<Segment, 'id'>): Partial<DictationState> {
  const text = final.text.trim();
  if (!text) return { partial: '' };
  const id = (s.segments.at(-1)?.id ?? 0) + 1;
  return { partial: '', segments: [...s.segments, { ...final, id, text }] };
}

/** Moves an unfinished partial into the transcript, so words already shown are never lost. */
const keepPartial = (s: DictationState) => appendFinal(s, { text: s.partial });

function reduceTranscript(s: DictationState, update: TranscriptUpdate): Partial<DictationState> {
  switch (update.type) {
    case 'speech-started':
      return { vad: 'speech' };
    case 'speech-stopped':
      return { vad: 'silence' };
    case 'partial':
      return { partial: update.text };
    case 'final': {
      const { type: _type, ...final } = update;
      return appendFinal(s, final);
    }
  }
}

/** What is kept across reloads: settings (keys are kept apart, in the credentials store) and the final transcript. */
type Persisted = Pick<DictationState, 'settings' | 'segments'>;

/**
 * localStorage, written only when the persisted slice changed. `persist` saves on every `setState`,
 * and most of those (level meter at 10 Hz, partials at 5 Hz) do not touch it: serialising the whole
 * transcript for each would be work on the hot path for nothing.
 */
function changeOnlyStorage(): PersistStorage<Persisted> | undefined {
  const json = createJSONStorage<Persisted>(() => localStorage);
  if (!json) return undefined;
  let last: Persisted | null = null;
  const same = (a: Persisted, b: Persisted) => a.segments === b.segments && a.settings === b.settings;
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
        const { status, settings } = get();
        if (status !== 'idle' && status !== 'error') return;
        const entry = currentEntry(settings);
        const apiKey = useCredentials.getState().keys[entry.id] ?? '';
        if (!session) {
          set({ status: 'error', error: dictationError('no-session', 'Dictation is not available in this page. Reload and try again.') });
          return;
        }
        set({ error: null, partial: '', vad: 'silence' });
        session.start({ provider: entry.id, profile: profileOf(settings, entry), apiKey }, sessionSink);
      },
      stop() {
        session?.stop();
      },
      clear() {
        set((s) => ({ segments: [], partial: '', cleared: s.segments.length > 0 ? s.segments : s.cleared }));
      },
      undoClear() {
        set((s) => {
          if (!s.cleared) return {};
          const restored = [...s.cleared, ...s.segments].map((segment, i) => ({ ...segment, id: i + 1 }));
          return { segments: restored, cleared: null };
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
          };
          return { settings: { ...s.settings, profiles: { ...s.settings.profiles, [entry.id]: next } } };
        });
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
      version: 2,
      storage: changeOnlyStorage(),
      partialize: (s): Persisted => ({ settings: s.settings, segments: s.segments }),
      // Version 1 had one flat VoiceRun connection.
      migrate: (persisted, version) => {
        const p = (persisted ?? {}) as Persisted;
        return version < 2 ? { ...p, settings: migrateSettingsV1(p.settings) } : p;
      },
      merge: (persisted, current) => {
        const p = (persisted ?? {}) as Partial<DictationState>;
        // Storage is user-editable: keep only well-formed segments.
        const segments = Array.isArray(p.segments)
          ? (p.segments as unknown[]).filter((s): s is Segment => isObject(s) && typeof s.id === 'number' && typeof s.text === 'string')
          : current.segments;
        return {
          ...current,
          segments,
          settings: p.settings ? sanitizeSettings(p.settings) : current.settings,
        };
      },
    },
  ),
);

onStorageFailure((error) => useDictation.setState({ error }));

/** How the session reports into the store. */
export const sessionSink: SessionSink = {
  status(status) {
    useDictation.setState((s) => {
      // A partial of a dropped connection is stale: the replay brings its words back as a final.
      if (status === 'reconnecting') return { status, partial: '', vad: 'silence' };
      // At the end, words shown that the service never finalised are kept.
      if (status === 'idle') return { status, vad: 'silence', ...keepPartial(s) };
      return { status };
    });
  },
  transcript(update) {
    useDictation.setState((s) => reduceTranscript(s, update));
  },
  fail(error) {
    useDictation.setState((s) => ({ status: 'error', error, vad: 'silence', ...keepPartial(s) }));
  },
  notice(error) {
    useDictation.setState({ error });
  },
  level(peak) {
    useDictation.setState({ level: peak });
  },
  reconnecting(attempt) {
    useDictation.setState({ reconnectAttempt: attempt });
  },
  network(slow) {
    useDictation.setState({ networkSlow: slow });
  },
  waiting(seconds) {
    useDictation.setState({ waitingSeconds: seconds });
  },
};
