/**
 * What the session offers the store, and what it needs from the outside world (docs/protocols.md,
 * "Reconnecting" and "Finishing"). Types only; `session.ts` implements them.
 */
import type { CaptureInfo, StartCapture } from '../audio/capture';
import type { DictationError } from '../core/errors';
import type { AudioKeeper, KeepAudioRequest } from '../core/kept-audio';
import type { TranscriptEvent } from '../core/events';
import type { SessionStatus } from '../core/status';
import type { StreamingProtocol } from '../protocol/adapter';
import type { PageLocation, SessionSettings } from '../protocol/settings';
import type { ReconnectOptions, ReconnectPolicy } from './reconnect-policy';
import type { Connect } from './transport';

/** Transcript events the store renders. */
export type TranscriptUpdate = Extract<TranscriptEvent, { type: 'speech-started' | 'speech-stopped' | 'partial' | 'final' }>;

/** Where a session reports. Implemented by the store. */
export interface SessionSink {
  status(status: Exclude<SessionStatus, 'error'>): void;
  transcript(update: TranscriptUpdate): void;
  /** The session ended with this error (status becomes `error`). */
  fail(error: DictationError): void;
  /** Something went wrong but the session goes on. */
  notice(error: DictationError): void;
  /** Input level, 0–1 (peak over the last 100 ms). */
  level(peak: number): void;
  /** The reconnect attempt under way (1-based), or 0 once streaming again. */
  reconnecting(attempt: number): void;
  /** True while frames wait because the network does not take them fast enough. */
  network(slow: boolean): void;
  /** While finishing: whole seconds left to wait for the service's last words; null when not waiting. */
  waiting(seconds: number | null): void;
  /** How the microphone is captured (its rate and the resampler), once capture runs. */
  capture?(info: CaptureInfo): void;
  /** The run's audio is all stored (its writer closed), so it can be played back or exported. */
  audioKept?(): void;
  /**
   * The local VAD heard speech start or stop, whatever the service reports (for the session's figures,
   * docs/metrics.md). `audioMs` is where in the run's audio the edge is: for a start, the audio captured
   * then; for a stop, the end of the speech, which the VAD reports only after its hangover (500 ms) of
   * quiet frames.
   */
  speech?(edge: 'started' | 'stopped', audioMs: number): void;
  /** A captured frame went out for the first time, `delayMs` after its capture (docs/metrics.md, "Capture → send"). */
  frameSent?(delayMs: number): void;
  /** Audio went out again after a reconnect, ms of audio (docs/metrics.md, "Seconds replayed"). */
  replayed?(audioMs: number): void;
}

/** What the store calls. */
export interface SessionControl {
  /**
   * Starts a run; `source` replaces the microphone (a file, see `audio/file.ts`); with `keep`, the run's
   * frames are kept in that session (docs/protocols.md, "Keeping audio").
   */
  start(settings: SessionSettings, sink: SessionSink, source?: StartCapture, keep?: KeepAudioRequest): void;
  stop(): void;
  /** Abandons the run at once (the page is going away): microphone off, socket closed with 1001. */
  abort(): void;
  /** Checks the connection now (the tab came back to the foreground); nothing when not dictating. */
  check(): void;
}

/** A timer API, for tests that run the session on their own clock. */
export interface Timers {
  setTimeout(callback: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

/** Everything the session needs from the outside world; tests pass fakes. */
export interface SessionDeps {
  readonly startCapture: StartCapture;
  readonly connect: Connect;
  /** Page location, for the local engine's URL. */
  readonly location: PageLocation;
  readonly createProtocol?: (settings: SessionSettings, location: PageLocation) => StreamingProtocol | Promise<StreamingProtocol>;
  /** Gets a short-lived token from a provider's Token URL (default: `token.ts`). */
  readonly fetchToken?: (tokenUrl: string) => Promise<string>;
  /** Whether the local engine at this WebSocket endpoint answers `GET /healthz` (asked after it refused a connection). */
  readonly probeLocalEngine?: (endpoint: string) => Promise<boolean>;
  /** Where runs' audio is kept (none: not kept). */
  readonly audioKeeper?: AudioKeeper;
  /** Longest wait from connecting to the service's `ready`, ms (default 10 000). */
  readonly handshakeTimeoutMs?: number;
  /** Longest wait for the service to confirm the end of the stream, ms (default 5000). */
  readonly finishTimeoutMs?: number;
  /** Longest wait for the last result of a service with no end message (Speechall), ms (default 10 000). */
  readonly lastResultTimeoutMs?: number;
  /** The default reconnect policy's numbers (full-jitter backoff); ignored when `reconnectPolicy` is given. */
  readonly reconnect?: ReconnectOptions;
  /** When and whether to reconnect (default: full-jitter backoff with `reconnect`'s numbers). */
  readonly reconnectPolicy?: ReconnectPolicy;
  /** Journal bound, s (default 120). */
  readonly journalSeconds?: number;
  /** A socket whose buffer has not drained for this long counts as dead, ms (default 10 000). */
  readonly deadAfterMs?: number;
  /** `bufferedAmount` above which frames wait in the journal, bytes (default 128 KiB). */
  readonly highWaterBytes?: number;
  /** Replay pace while catching up, in frames per 20 ms (default 2: twice real time; 8 for the local engine). */
  readonly replaySpeed?: number;
  /** Random numbers in [0, 1) for the backoff jitter (default Math.random). */
  readonly random?: () => number;
  /** Clock, ms (default Date.now). */
  readonly now?: () => number;
  /** The clock of `Pcm16Frame.capturedAt`, ms (default performance.now). */
  readonly monotonic?: () => number;
  /** Timers (default the global ones). */
  readonly timers?: Timers;
}
