/**
 * The dictation store: state and actions, nothing else. It holds no socket and no audio node;
 * `start()` and `stop()` go to the session attached with {@link attachSession}, which reports back
 * through {@link sessionSink}.
 */
import { create } from 'zustand';
import { createJSONStorage, persist, type PersistStorage } from 'zustand/middleware';
import type { DictationError } from '../session/errors';
import type { SessionControl, SessionSink, SessionStatus, TranscriptUpdate } from '../session/session';
import { DEFAULT_SETTINGS, sanitizeSettings, type Settings } from '../session/settings';

/** One final utterance. */
export interface Segment {
  readonly id: number;
  readonly text: string;
  readonly language?: string;
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
  /** Microphone input level, 0–1. */
  readonly level: number;
  readonly settings: Settings;

  /** Starts dictating (from `idle` or `error`). */
  start(): void;
  /** Stops dictating; the last words still arrive before the status returns to `idle`. */
  stop(): void;
  /** Empties the transcript. */
  clear(): void;
  updateSettings(patch: Partial<Settings>): void;
  dismissError(): void;
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

/** Initial state, for resetting the store in tests. */
export const initialDictationState = {
  status: 'idle' as SessionStatus,
  segments: [] as readonly Segment[],
  partial: '',
  vad: 'silence' as VadState,
  error: null as DictationError | null,
  level: 0,
  settings: DEFAULT_SETTINGS,
};

/** Ends the utterance in progress with `text` as a final segment (none if empty); clears the partial. */
function appendFinal(s: DictationState, text: string, language?: string): Partial<DictationState> {
  const trimmed = text.trim();
  if (!trimmed) return { partial: '' };
  const id = (s.segments.at(-1)?.id ?? 0) + 1;
  return { partial: '', segments: [...s.segments, { id, text: trimmed, ...(language ? { language } : {}) }] };
}

/** Moves an unfinished partial into the transcript, so words already shown are never lost. */
const keepPartial = (s: DictationState) => appendFinal(s, s.partial);

function reduceTranscript(s: DictationState, update: TranscriptUpdate): Partial<DictationState> {
  switch (update.type) {
    case 'speech-started':
      return { vad: 'speech' };
    case 'speech-stopped':
      return { vad: 'silence' };
    case 'partial':
      return { partial: update.text };
    case 'final':
      return appendFinal(s, update.text, update.language);
  }
}

/** What is kept across reloads: settings without the key, and the final transcript. */
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
  const same = (a: Persisted, b: Persisted) =>
    a.segments === b.segments &&
    (Object.keys(a.settings) as (keyof Settings)[]).every((k) => a.settings[k] === b.settings[k]);
  return {
    getItem: json.getItem,
    removeItem: json.removeItem,
    setItem(name, value) {
      if (last && same(last, value.state)) return;
      last = value.state;
      return json.setItem(name, value);
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
        if (!session) {
          set({ status: 'error', error: { code: 'no-session', message: 'Dictation is not available in this page. Reload and try again.' } });
          return;
        }
        set({ error: null, partial: '', vad: 'silence' });
        session.start(settings, sessionSink);
      },
      stop() {
        session?.stop();
      },
      clear() {
        set({ segments: [], partial: '' });
      },
      updateSettings(patch) {
        set((s) => ({ settings: { ...s.settings, ...patch } }));
      },
      dismissError() {
        set({ error: null });
      },
    }),
    {
      name: 'dictate',
      version: 1,
      storage: changeOnlyStorage(),
      // The API key stays in memory: never written to storage.
      partialize: (s): Persisted => ({
        settings: { ...s.settings, apiKey: '' },
        segments: s.segments,
      }),
      merge: (persisted, current) => {
        const p = (persisted ?? {}) as Partial<DictationState>;
        // Storage is user-editable: keep only well-formed segments.
        const segments = Array.isArray(p.segments)
          ? p.segments.filter((s): s is Segment => typeof s === 'object' && s !== null && typeof s.id === 'number' && typeof s.text === 'string')
          : current.segments;
        return {
          ...current,
          segments,
          settings: p.settings ? { ...sanitizeSettings(p.settings), apiKey: current.settings.apiKey } : current.settings,
        };
      },
    },
  ),
);

/** How the session reports into the store. */
export const sessionSink: SessionSink = {
  status(status) {
    useDictation.setState((s) => (status === 'idle' ? { status, vad: 'silence', ...keepPartial(s) } : { status }));
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
};
