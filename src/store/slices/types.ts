/**
 * The dictation store's shape, one slice per concern (zustand's slices pattern): the settings, the open
 * transcript, the run, the meters. Every action is a property (`useDictation((s) => s.stop)`), made by
 * its slice's creator from `set` and `get`.
 */
import type { StateCreator } from 'zustand';
import type { DictationError } from '../../core/errors';
import type { MicrophoneOptions } from '../../core/microphone';
import type { SessionStatus } from '../../core/status';
import type { ProviderProfile, Settings } from '../../protocol/settings';
import type { OptionValue } from '../../protocol/service';
import type { SessionControl } from '../../session/session';
import type { Segment, SessionMeta } from '../../transcript/model';

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

/** What the user configures (persisted in localStorage; keys are apart, in the credentials store). */
export interface SettingsSlice {
  readonly settings: Settings;
  /** Chooses the provider (a registry entry id); its own profile comes back as it was left. */
  readonly selectProvider: (id: string) => void;
  /** Changes the current provider's profile. */
  readonly updateProfile: (patch: ProfilePatch) => void;
  /** Changes the microphone or its processing (applies to the next recording). */
  readonly setMicrophone: (patch: Partial<MicrophoneOptions>) => void;
  /** Puts the current provider's profile back to its defaults. */
  readonly resetProfile: () => void;
}

/** The open session's transcript. */
export interface TranscriptSlice {
  /** The open session (what the transcript shows, and what recording continues); null before the first recording. */
  readonly session: SessionMeta | null;
  /** Final utterances of the open session, in order. */
  readonly segments: readonly Segment[];
  /** Interim text of the utterance in progress ('' when none). */
  readonly partial: string;
  readonly vad: VadState;
  /** When the utterance in progress began (epoch ms: its first partial or speech start); null between utterances. */
  readonly utteranceAt: number | null;
  /** True after a segment could not be saved: the next save writes the whole session, so what failed is not lost. */
  readonly resaveNeeded: boolean;
  /** Starts a new, empty session (when not recording); the open one stays in History. */
  readonly newSession: () => void;
  /** Opens a session (its meta and segments, from History) when not recording. */
  readonly openSession: (meta: SessionMeta, segments: readonly Segment[]) => void;
  /** Replaces a final segment's text (its times and raw words stay); saved to History. Empty text is ignored. */
  readonly editSegment: (id: number, text: string) => void;
  /** Shows (and edits) another version of the open session's transcript. Not while recording. */
  readonly switchVersion: (key: string) => Promise<void>;
  /** Deletes a version (not the only one); the one shown becomes the first left. Not while recording. */
  readonly removeVersion: (key: string) => Promise<void>;
}

/**
 * A capture source that plays a session's kept audio from `fromMs` (ms on its time base) into the
 * session, as fast as the service takes it; the store only passes it to the session.
 */
export type KeptSource = (
  sessionId: string,
  fromMs: number,
  onProgress: (fraction: number) => void,
) => NonNullable<Parameters<SessionControl['start']>[2]>;

/** What to transcribe of the open session's kept audio, and with which service. */
export interface TranscribeKeptOptions {
  /** A provider (registry entry id); default the current one. */
  readonly provider?: string;
  /** `again`: all of it, into a new version; `rest`: the audio with no text yet, into the version shown. */
  readonly what: 'again' | 'rest';
}

/** A capture source that plays a file (see `audio/file.ts`); the store only passes it to the session. */
export type FileSource = (file: File, onProgress: (fraction: number) => void) => NonNullable<Parameters<SessionControl['start']>[2]>;

/** The recording under way, and what the session reports about it. */
export interface RunSlice {
  readonly status: SessionStatus;
  /** The last error, until dismissed or a new session starts. */
  readonly error: DictationError | null;
  /** The recording under way: where its times start in the session (ms), and when it began (epoch ms). */
  readonly run: { readonly offsetMs: number; readonly startedAt: number } | null;
  /** How the last recording was captured: the device's rate (Hz) and the resampler; null before one. */
  readonly capture: { readonly sampleRate: number; readonly resampler: string } | null;
  /** While a file is transcribed: its name and the fraction sent (0–1); null otherwise. */
  readonly file: { readonly name: string; readonly progress: number } | null;
  /** The reconnect attempt under way (1-based); 0 when connected. */
  readonly reconnectAttempt: number;
  /** True while audio waits because the network does not take it fast enough. */
  readonly networkSlow: boolean;
  /** While finishing: seconds left to wait for the service's last words; null when not waiting. */
  readonly waitingSeconds: number | null;
  /** Counts runs whose audio is all stored (the player loads the session's audio again). */
  readonly audioSaved: number;
  /** How kept audio is played into a session (attached by the app, or a test's fake). */
  readonly keptSource: KeptSource | null;
  /**
   * Transcribes the open session's kept audio with a service: all of it into a new version, or the part
   * with no text yet into the version shown.
   */
  readonly transcribeKept: (options: TranscribeKeptOptions) => void;
  /** The session controller (the app's, or a test's with fakes); null until attached. */
  readonly controller: SessionControl | null;
  /** How files are read (the app's decoder and worker, or a test's fake); null until attached. */
  readonly fileSource: FileSource | null;
  /** Starts dictating (from `idle` or `error`). */
  readonly start: () => void;
  /**
   * Transcribes an audio file into a new session named after it, through the selected service, as fast
   * as it takes the audio. `stop()` cancels: the words so far are kept.
   */
  readonly transcribeFile: (file: File) => void;
  /** Stops dictating; the last words still arrive before the status returns to `idle`. */
  readonly stop: () => void;
  readonly dismissError: () => void;
}

/** The input level, 10 times a second while recording. */
export interface MetersSlice {
  /** Microphone input level, 0–1. */
  readonly level: number;
  /** True within a second of a peak at full scale (the signal is cut off: too loud). */
  readonly clipping: boolean;
  /** When the last peak at full scale came (epoch ms). */
  readonly clippedAt: number;
}

export type DictationState = SettingsSlice & TranscriptSlice & RunSlice & MetersSlice;

/** A slice's creator, in a store persisted with zustand's `persist`. */
export type Slice<T> = StateCreator<DictationState, [['zustand/persist', unknown]], [], T>;
