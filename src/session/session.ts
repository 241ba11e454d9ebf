/**
 * The dictation session: microphone → journal → protocol → socket, reporting to the store.
 *
 * One run per `start()`, an explicit state machine with one way to end:
 *
 *     idle → connecting → streaming ⇄ reconnecting → finishing → ended(outcome)
 *
 * - **connecting**: the microphone is acquired first (a denied microphone never opens a connection),
 *   then the socket; audio captured meanwhile waits in the journal.
 * - **streaming**: every frame goes into the {@link AudioJournal} and is sent from it, in order, as
 *   fast as the socket drains (above a high-water mark frames wait: "Network slow").
 * - **reconnecting**: a close or a dead connection the app did not cause, and that may succeed again,
 *   keeps the microphone running. The session retries with exponential backoff and full jitter,
 *   re-authenticates and configures again, then replays the journal from the end of the audio of the
 *   last final, no faster than the service accepts. Times of the new connection are offset so the
 *   transcript's times stay monotonic. A stale partial is discarded, never promoted.
 * - **finishing**: after Stop, the microphone is drained, everything is sent, and the service is asked
 *   to finish (VoiceRun: session.close → session.closed; Reson8: flush_request → flush_confirmation;
 *   Speechall: trailing silence, then its last result, up to a visible timeout).
 * - **ended**: `completed` (idle) or `failed` (an error with its code, service and whether a retry may
 *   help). The socket closes with 1000 only for a normal end.
 *
 * The session reports to a {@link SessionSink} (the store) and holds the socket and audio objects
 * itself; the store never sees them.
 */
import { microphoneError, microphoneFellBack } from '../audio/errors';
import type { Capture, CaptureInfo, StartCapture } from '../audio/capture';
import { LevelVad } from '../audio/vad';
import { DictationError } from '../core/errors';
import type { SessionStatus } from '../core/status';
import type { FinalResult, ProtocolError, TranscriptEvent } from '../core/events';
import { FRAME_MS, type Pcm16Frame } from '../core/frames';
import type { ProtocolStep, StreamingProtocol } from '../protocol/adapter';
import { providerEntry } from '../protocol/registry';
import {
  audioLost,
  badSettings,
  connectFailed,
  gaveUp,
  handshakeTimeout,
  localEngineDown,
  localEngineRefused,
  noAudio,
  protocolErrorToUser,
  serverBusy,
  noTextYet,
  serverEnded,
  tokenFailed,
} from './errors';
import { AudioJournal, JOURNAL_DEFAULT_SECONDS } from './journal';
import { comparable, overlap, withoutLeadingWords } from './stitch';
import { fetchToken } from './token';
import { serverLabel, type PageLocation, type SessionSettings } from '../protocol/settings';
import { createProtocol as defaultCreateProtocol } from './protocol-factory';
import type { Connect, Transport } from './transport';

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
}

/** What the store calls. */
export interface SessionControl {
  /** Starts a run; `source` replaces the microphone (a file, see `audio/file.ts`). */
  start(settings: SessionSettings, sink: SessionSink, source?: StartCapture): void;
  stop(): void;
  /** Abandons the run at once (the page is going away): microphone off, socket closed with 1001. */
  abort(): void;
  /** Checks the connection now (the tab came back to the foreground); nothing when not dictating. */
  check(): void;
}

/** Reconnect policy. */
export interface ReconnectOptions {
  /** Attempts after a drop before giving up (default 8). */
  readonly maxAttempts?: number;
  /** Upper bound of the first delay, ms (default 500): delay n is uniform in [0, min(max, base · 2ⁿ⁻¹)]. */
  readonly baseDelayMs?: number;
  /** Cap of the delay, ms (default 10 000). */
  readonly maxDelayMs?: number;
  /** Refusals before open in a row (how a browser shows HTTP 401/403) after which it stops (default 3). */
  readonly maxRefusals?: number;
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
  /** Longest wait from connecting to the service's `ready`, ms (default 10 000). */
  readonly handshakeTimeoutMs?: number;
  /** Longest wait for the service to confirm the end of the stream, ms (default 5000). */
  readonly finishTimeoutMs?: number;
  /** Longest wait for the last result of a service with no end message (Speechall), ms (default 10 000). */
  readonly lastResultTimeoutMs?: number;
  readonly reconnect?: ReconnectOptions;
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
}

/** Level updates every 5 frames (100 ms). */
const LEVEL_EVERY_FRAMES = 5;
/** A frame whose peak reaches this counts as speech (−30 dBFS), for acknowledgement and watchdogs. */
const SPEECH_PEAK = 0.03;
/** Loud frames in a row that count as speech still to be answered (200 ms; a breath or click is shorter). */
const SPEECH_RUN_FRAMES = 10;
/** A quiet stretch this long (300 ms) ends an utterance when a final carries no times. */
const QUIET_FRAMES = 15;
/** Digital silence for this long (3 s) means the microphone delivers nothing. */
const SILENT_FRAMES = 150;
/** Frames that may be sent at once before pacing applies (500 ms). */
const BURST_FRAMES = 25;
/** How often the watchdog looks, ms. */
const WATCH_MS = 1000;

/** Creates the controller the store drives; at most one run at a time. */
export function createSession(deps: SessionDeps): SessionControl {
  let current: DictationRun | null = null;
  return {
    start(settings, sink, source) {
      if (current) return;
      current = new DictationRun(settings, sink, deps, () => (current = null), source);
      current.start();
    },
    stop() {
      current?.stop();
    },
    abort() {
      current?.abort();
    },
    check() {
      current?.check();
    },
  };
}

/** The states of a run. */
type RunState = 'idle' | 'connecting' | 'streaming' | 'reconnecting' | 'finishing' | 'ended';

/** How a run ended. */
type Outcome =
  { readonly kind: 'completed' } | { readonly kind: 'abandoned' } | { readonly kind: 'failed'; readonly error: DictationError };

/** One connection attempt. */
interface Link {
  readonly transport: Transport;
  readonly protocol: StreamingProtocol;
  ready: boolean;
  /** Journal index of this connection's stream time 0. */
  base: number;
  /** Next journal index to send. */
  cursor: number;
  /** Whether `protocol.finish()` was sent on this link. */
  finishSent: boolean;
  /** Whether a final arrived after `finish()` was sent. */
  finalAfterFinish: boolean;
  /** The acknowledged point when this connection became ready: its finals up to there repeat the context. */
  acknowledgedAtStart: number;
  /** True on a reconnect until a final brings new words: repeated words are dropped (see stitch.ts). */
  stitching: boolean;
  /** When a speech frame was first sent after the service's last message, ms (null: none since). */
  speechSentAt: number | null;
  /** Watchdog: the largest `bufferedAmount` seen, and since when it has not gone down. */
  buffered: number;
  bufferedSince: number;
}

/** One dictation, from Start to its end. */
class DictationRun {
  private state: RunState = 'idle';
  private readonly journal: AudioJournal;
  private readonly levelVad: LevelVad = new LevelVad({ threshold: SPEECH_PEAK });
  private readonly local: boolean;
  private readonly now: () => number;
  private capture: Capture | null = null;
  private captureOver = false;
  private stopRequested = false;
  /** Set when the microphone ended by itself: the run finishes cleanly, then shows this. */
  private microphoneFailure: DictationError | null = null;
  private link: Link | null = null;
  private server = 'the transcription server';
  private reportsVad = true;
  private refusalHint: string | undefined = undefined;
  /** The endpoint of the last connection (may carry a key in its query: never shown or logged). */
  private endpoint = '';
  /** The key or token of the current connection, removed from anything the service says. */
  private secret = '';
  private attempt = 0;
  private refusals = 0;
  private everReady = false;
  /** Where a replay starts: the end of the audio of the final before the last (one utterance of context). */
  private contextFrom = 0;
  /** The last words shown, comparable (see stitch.ts). */
  private recentWords: string[] = [];
  /** Frames before this index were already reported as lost. */
  private lostReportedUntil = 0;
  private lostFrames = 0;
  private silentFrames = 0;
  private levelPeak = 0;
  private levelFrames = 0;
  private credit = BURST_FRAMES;
  private creditAt = 0;
  private slow = false;
  private handshakeTimer: ReturnType<typeof setTimeout> | undefined = undefined;
  private retryTimer: ReturnType<typeof setTimeout> | undefined = undefined;
  private pumpTimer: ReturnType<typeof setTimeout> | undefined = undefined;
  private finishTimer: ReturnType<typeof setTimeout> | undefined = undefined;
  private quietTimer: ReturnType<typeof setTimeout> | undefined = undefined;
  private watchTimer: ReturnType<typeof setInterval> | undefined = undefined;
  private countdownTimer: ReturnType<typeof setInterval> | undefined = undefined;

  constructor(
    private readonly settings: SessionSettings,
    private readonly sink: SessionSink,
    private readonly deps: SessionDeps,
    private readonly done: () => void,
    private readonly source?: StartCapture,
  ) {
    this.journal = new AudioJournal(((deps.journalSeconds ?? JOURNAL_DEFAULT_SECONDS) * 1000) / FRAME_MS);
    this.local = providerEntry(settings.provider)?.local ?? false;
    this.now = deps.now ?? Date.now;
  }

  // ── idle → connecting ────────────────────────────────────────────────────────────────────────

  /** The microphone first, then the connection. */
  start(): void {
    this.state = 'connecting';
    this.sink.status('connecting');
    const handlers = {
      onFrame: (frame: Pcm16Frame) => this.onFrame(frame),
      onError: (error: DictationError) => this.onCaptureError(error),
      onEnd: () => this.stop(),
      onInfo: (info: CaptureInfo) => this.sink.capture?.(info),
      backlog: () => this.journal.head - (this.link?.ready ? this.link.cursor : this.journal.first),
    };
    (this.source ?? this.deps.startCapture)(handlers, this.settings.microphone).then(
      (capture) => {
        this.capture = capture;
        if (this.state === 'ended') return void capture.stop();
        if (this.stopRequested) return this.end({ kind: 'completed' }); // Stop before the microphone was granted
        if (capture.fellBack) this.sink.notice(microphoneFellBack());
        this.openLink();
      },
      (cause: unknown) => this.end({ kind: 'failed', error: cause instanceof DictationError ? cause : microphoneError(cause) }),
    );
  }

  /** Opens a connection, the first or a reconnect: with a fresh token when the provider has a Token URL. */
  private openLink(): void {
    const tokenUrl = this.settings.profile.tokenUrl?.trim();
    if (!tokenUrl) return this.connectWith(this.settings.apiKey);
    (this.deps.fetchToken ?? fetchToken)(tokenUrl).then(
      (token) => {
        if (this.state !== 'ended') this.connectWith(token);
      },
      (cause: unknown) => {
        if (this.state === 'ended') return;
        const error = tokenFailed(tokenUrl, cause instanceof Error ? cause.message : 'No answer.');
        if (this.everReady) {
          this.sink.notice(error);
          this.reconnect();
        } else this.end({ kind: 'failed', error });
      },
    );
  }

  /** Makes the protocol (its adapter loads on first use), then connects with it. */
  private connectWith(credential: string): void {
    this.secret = credential;
    // A DictationError says itself (an adapter that could not load); anything else is in the settings.
    const invalid = (cause: unknown) =>
      this.end({
        kind: 'failed',
        error:
          cause instanceof DictationError
            ? cause
            : badSettings(cause instanceof Error ? cause.message : 'The connection settings are not valid.'),
      });
    let made: StreamingProtocol | Promise<StreamingProtocol>;
    try {
      made = (this.deps.createProtocol ?? defaultCreateProtocol)({ ...this.settings, apiKey: credential }, this.deps.location);
    } catch (cause) {
      return invalid(cause);
    }
    // A protocol made at once (tests) connects at once; a loading one when it is there.
    if (!(made instanceof Promise)) return this.connectProtocol(made);
    made.then(
      (protocol) => {
        if (this.state !== 'ended') this.connectProtocol(protocol);
      },
      (cause: unknown) => {
        if (this.state !== 'ended') invalid(cause);
      },
    );
  }

  private connectProtocol(protocol: StreamingProtocol): void {
    let transport: Transport;
    try {
      const request = protocol.connection();
      this.server = serverLabel(request.url);
      this.endpoint = request.url;
      this.reportsVad = protocol.reportsVad;
      this.refusalHint = protocol.refusalHint;
      // Events of a connection that was replaced or abandoned are ignored.
      let current: Link | null = null;
      const live = (): Link | null => (current !== null && current === this.link ? current : null);
      transport = this.deps.connect(request, {
        open: () => {
          const l = live();
          if (l) this.onOpen(l);
        },
        message: (data) => {
          const l = live();
          if (l) this.onMessage(l, data);
        },
        close: (code, reason, opened) => {
          const l = live();
          if (l) this.onClose(l, code, reason, opened);
        },
      });
      const now = this.now();
      current = {
        transport,
        protocol,
        ready: false,
        base: 0,
        cursor: 0,
        finishSent: false,
        finalAfterFinish: false,
        acknowledgedAtStart: 0,
        stitching: false,
        speechSentAt: null,
        buffered: 0,
        bufferedSince: now,
      };
      this.link = current;
    } catch (cause) {
      return this.end({
        kind: 'failed',
        error: badSettings(cause instanceof Error ? cause.message : 'The connection settings are not valid.'),
      });
    }
    const handshakeMs = this.deps.handshakeTimeoutMs ?? 10_000;
    this.handshakeTimer = setTimeout(() => this.onHandshakeTimeout(handshakeMs), handshakeMs);
  }

  private onOpen(link: Link): void {
    this.apply(link, link.protocol.open());
  }

  private onHandshakeTimeout(ms: number): void {
    const link = this.link;
    if (!link || link.ready || this.state === 'ended') return;
    if (!this.everReady) return this.end({ kind: 'failed', error: handshakeTimeout(this.server, Math.round(ms / 1000)) });
    this.drop(link, 4000, 'Handshake timed out');
  }

  // ── streaming ────────────────────────────────────────────────────────────────────────────────

  private onFrame(frame: Pcm16Frame): void {
    if (this.state === 'ended') return;
    this.meter(frame.peak);
    const dropped = this.journal.append(frame);
    if (dropped > 0 && (!this.link?.ready || this.link.cursor < this.journal.first)) this.countLost();
    this.pump();
  }

  /** Level meter, the level VAD (for services without one) and the digital-silence check. */
  private meter(peak: number): void {
    if (peak > this.levelPeak) this.levelPeak = peak;
    if (++this.levelFrames === LEVEL_EVERY_FRAMES) {
      this.sink.level(this.levelPeak);
      this.levelPeak = 0;
      this.levelFrames = 0;
    }
    const vad = this.levelVad.push(peak);
    if (vad && !this.reportsVad) this.sink.transcript({ type: vad === 'started' ? 'speech-started' : 'speech-stopped' });
    this.silentFrames = peak === 0 ? this.silentFrames + 1 : 0;
    if (this.silentFrames === SILENT_FRAMES) this.sink.notice(noAudio());
  }

  /** Sends journal frames from the link's cursor: paced while catching up, held above the high-water mark. */
  private pump(): void {
    clearTimeout(this.pumpTimer);
    const link = this.link;
    if (!link?.ready || this.state === 'ended') return;
    const now = this.now();
    const speed = this.deps.replaySpeed ?? (this.local ? 8 : 2);
    this.credit = Math.min(Math.max(BURST_FRAMES, speed), this.credit + ((now - this.creditAt) / FRAME_MS) * speed);
    this.creditAt = now;
    const highWater = this.deps.highWaterBytes ?? 128 * 1024;
    while (link.cursor < this.journal.head) {
      if (link.transport.bufferedAmount > highWater) {
        this.setSlow(true);
        this.pumpTimer = setTimeout(() => this.pump(), 100);
        return;
      }
      if (this.credit < 1) {
        this.pumpTimer = setTimeout(() => this.pump(), FRAME_MS);
        return;
      }
      if (link.cursor < this.journal.first) link.cursor = this.journal.first; // dropped while waiting (counted)
      const pcm = this.journal.at(link.cursor);
      if (!pcm) return;
      const message = link.protocol.encodeAudio(pcm); // null: gathered into a larger chunk, sent later
      if (message !== null && !link.transport.send(message)) return; // not open: its close reconnects
      if (this.journal.peakAt(link.cursor) >= SPEECH_PEAK && link.speechSentAt === null) link.speechSentAt = now;
      link.cursor++;
      this.credit--;
    }
    this.setSlow(false);
    if (this.stopRequested && this.captureOver && !link.finishSent) this.finishStream(link);
  }

  private setSlow(slow: boolean): void {
    if (slow === this.slow) return;
    this.slow = slow;
    this.sink.network(slow);
  }

  private onMessage(link: Link, data: string | ArrayBuffer): void {
    if (this.state === 'ended') return;
    link.speechSentAt = null;
    if (link.finishSent && link.protocol.finishQuietMs !== undefined) this.armQuiet(link);
    this.apply(link, link.protocol.receive(data));
  }

  private apply(link: Link, step: ProtocolStep): void {
    for (const message of step.send) link.transport.send(message);
    for (const event of step.events) {
      if (this.state === 'ended' || this.link !== link) return;
      this.onEvent(link, event);
    }
  }

  private onEvent(link: Link, event: TranscriptEvent): void {
    switch (event.type) {
      case 'ready':
        return this.onReady(link);
      case 'finished':
        if (!this.stopRequested) this.sink.notice(serverEnded(this.server));
        return this.end({ kind: 'completed' });
      case 'error':
        return this.onProtocolError(link, event.error);
      case 'final':
        this.attempt = 0; // the service answers what it hears: later drops start counting anew
        return this.onFinal(link, event);
      default:
        this.attempt = 0;
        this.sink.transcript(event);
    }
  }

  /**
   * The service accepts audio: replay what it has not turned into text yet, after one utterance of
   * context (a new recognizer then hears what the old one heard), then stream live.
   */
  private onReady(link: Link): void {
    clearTimeout(this.handshakeTimer);
    link.ready = true;
    link.base = Math.max(this.contextFrom, this.journal.first);
    link.cursor = link.base;
    link.acknowledgedAtStart = this.journal.acknowledged;
    link.stitching = link.base < link.acknowledgedAtStart;
    if (this.journal.acknowledged < this.journal.first) this.countLost();
    this.reportLost();
    const reconnected = this.everReady;
    this.everReady = true;
    this.refusals = 0;
    if (!reconnected) this.attempt = 0;
    this.state = this.stopRequested ? 'finishing' : 'streaming';
    if (reconnected) this.sink.reconnecting(0);
    this.sink.status(this.stopRequested ? 'stopping' : 'recording');
    this.watch();
    this.pump();
  }

  /** A final: words the context replay repeats dropped, times offset to the run, its audio acknowledged. */
  private onFinal(link: Link, received: FinalResult): void {
    let event = received;
    const offsetMs = link.base * FRAME_MS;
    const endMs = event.startMs !== undefined ? event.startMs + (event.durationMs ?? 0) : undefined;
    const endIndex = endMs !== undefined ? link.base + Math.ceil(endMs / FRAME_MS) : undefined;
    if (link.stitching) {
      // Inside the context by its times (begins before the acknowledged point, ends within 100 ms of it),
      // or the same words again: already shown.
      const startIndex = event.startMs !== undefined ? link.base + Math.floor(event.startMs / FRAME_MS) : undefined;
      if (
        startIndex !== undefined &&
        endIndex !== undefined &&
        startIndex < link.acknowledgedAtStart &&
        endIndex <= link.acknowledgedAtStart + 5
      )
        return;
      const words = comparable(event.text);
      const repeated = overlap(this.recentWords, words);
      if (repeated >= words.length) return;
      if (repeated > 0) event = withoutLeadingWords(event, repeated);
      link.stitching = false;
    }
    const before = this.journal.acknowledged;
    this.journal.acknowledge(Math.min(endIndex ?? this.journal.endOfSpeechBefore(link.cursor, SPEECH_PEAK, QUIET_FRAMES), link.cursor));
    if (this.journal.acknowledged > before) {
      this.contextFrom = before;
      this.journal.release(before);
    }
    this.recentWords = [...this.recentWords, ...comparable(event.text)].slice(-60);
    this.sink.transcript(
      offsetMs === 0
        ? event
        : {
            ...event,
            ...(event.startMs !== undefined ? { startMs: event.startMs + offsetMs } : {}),
            ...(event.words
              ? { words: event.words.map((w) => (w.startMs !== undefined ? { ...w, startMs: w.startMs + offsetMs } : w)) }
              : {}),
          },
    );
    if (link.finishSent) link.finalAfterFinish = true;
    if (link.finishSent && link.protocol.finishQuietMs !== undefined) this.armQuiet(link);
  }

  private onProtocolError(link: Link, error: ProtocolError): void {
    const user = protocolErrorToUser(error, this.server, this.secret);
    if (!error.fatal) {
      if (error.code === 'unknown-message') console.warn(`Dictate: ${error.message}`);
      else this.sink.notice(user);
      return;
    }
    if (error.retryable) return this.drop(link, 4000, 'Retrying');
    this.end({ kind: 'failed', error: user });
  }

  // ── streaming ⇄ reconnecting ─────────────────────────────────────────────────────────────────

  private onClose(link: Link, code: number, reason: string, opened: boolean): void {
    if (this.state === 'ended') return;
    this.link = null;
    clearTimeout(this.handshakeTimer);
    if (!opened) return void this.onRefused();
    const error = link.protocol.describeClose(code, reason);
    if (!error || (this.stopRequested && link.finishSent && code === 1000)) return this.end({ kind: 'completed' });
    if (error.retryable) {
      if (code === 1013) this.sink.notice(serverBusy(this.server, reason.slice(0, 200)));
      return this.reconnect();
    }
    this.end({ kind: 'failed', error: protocolErrorToUser(error, this.server, this.secret) });
  }

  /**
   * The socket closed before it opened: refused (HTTP 401, 403, 404, 500…) or nothing there; a browser
   * cannot tell which. After a working connection, a few refusals are retried (a server restarting);
   * never on the first connection, and never past `maxRefusals` (a refused key stays refused).
   */
  private async onRefused(): Promise<void> {
    if (this.everReady && ++this.refusals < (this.deps.reconnect?.maxRefusals ?? 3)) return this.reconnect();
    const error = await this.refusalError();
    this.end({ kind: 'failed', error });
  }

  /** What to say about a refused connection: the local engine is asked whether it is running at all. */
  private async refusalError(): Promise<DictationError> {
    if (this.local && this.deps.probeLocalEngine) {
      const up = await this.deps.probeLocalEngine(this.endpoint).catch(() => false);
      return up ? localEngineRefused(this.server) : localEngineDown(this.server);
    }
    return connectFailed(this.server, this.refusalHint);
  }

  /** Abandons a connection that is dead or must be replaced, and reconnects. */
  private drop(link: Link, code: number, reason: string): void {
    if (this.link !== link) return;
    this.link = null;
    link.transport.close(code, reason);
    this.reconnect();
  }

  /** reconnecting: the microphone keeps running; a new connection after a backoff with full jitter. */
  private reconnect(): void {
    if (this.state === 'ended') return;
    clearInterval(this.watchTimer);
    const policy = this.deps.reconnect ?? {};
    const max = policy.maxAttempts ?? 8;
    if (this.attempt >= max) return this.end({ kind: 'failed', error: gaveUp(this.server, max) });
    this.attempt++;
    this.state = 'reconnecting';
    this.setSlow(false);
    this.sink.status('reconnecting');
    this.sink.reconnecting(this.attempt);
    const cap = Math.min(policy.maxDelayMs ?? 10_000, (policy.baseDelayMs ?? 500) * 2 ** (this.attempt - 1));
    this.retryTimer = setTimeout(() => this.openLink(), (this.deps.random ?? Math.random)() * cap);
  }

  /** Replaces a connection whose buffer stopped draining, or whose service went silent while hearing speech. */
  private watch(): void {
    clearInterval(this.watchTimer);
    this.watchTimer = setInterval(() => this.inspect(), WATCH_MS);
  }

  /** The watchdog's look at the connection: replaced when its buffer is stuck or the service went silent. */
  private inspect(): void {
    const link = this.link;
    if (!link?.ready || this.state === 'ended') return;
    const now = this.now();
    const deadMs = this.deps.deadAfterMs ?? 10_000;
    const buffered = link.transport.bufferedAmount;
    if (buffered === 0 || buffered < link.buffered) link.bufferedSince = now;
    link.buffered = buffered;
    const stuck = buffered > 0 && now - link.bufferedSince >= deadMs;
    const unanswered = link.speechSentAt !== null && now - link.speechSentAt >= link.protocol.replyWithinMs;
    if (stuck || unanswered) this.drop(link, 4002, 'Connection went dead');
  }

  /**
   * Looks at the connection now (the tab is visible again: timers were throttled while it was hidden):
   * a dead one is replaced at once, and audio held back is sent.
   */
  check(): void {
    if (this.state === 'ended') return;
    this.inspect();
    if (this.link?.ready) this.pump();
  }

  /** Tells the user how much audio could not be kept, once per stretch. */
  private countLost(): void {
    const from = Math.max(this.journal.acknowledged, this.lostReportedUntil);
    if (this.journal.first > from) this.lostFrames += this.journal.first - from;
    this.lostReportedUntil = Math.max(this.lostReportedUntil, this.journal.first);
    if (this.link?.ready) this.reportLost();
  }

  private reportLost(): void {
    if (this.lostFrames === 0) return;
    this.sink.notice(audioLost((this.lostFrames * FRAME_MS) / 1000));
    this.lostFrames = 0;
  }

  // ── finishing → ended ────────────────────────────────────────────────────────────────────────

  abort(): void {
    this.end({ kind: 'abandoned' });
  }

  stop(): void {
    if (this.state === 'ended' || this.stopRequested) return;
    this.stopRequested = true;
    this.sink.status('stopping');
    if (!this.capture) return; // the microphone prompt is still open: start() ends the run
    void this.capture.stop().then(() => {
      this.captureOver = true;
      if (this.state === 'streaming') this.state = 'finishing';
      this.pump();
    });
  }

  /** The microphone ended by itself (unplugged, revoked): finish cleanly with what was captured, no reconnect. */
  private onCaptureError(error: DictationError): void {
    if (this.state === 'ended') return;
    this.microphoneFailure = error;
    this.captureOver = true;
    this.stopRequested = true;
    this.sink.status('stopping');
    if (this.link?.ready) this.pump();
    else if (!this.link && this.state !== 'reconnecting') this.end({ kind: 'failed', error });
  }

  /** Everything is sent: ask the service to finish, and wait for it. */
  private finishStream(link: Link): void {
    link.finishSent = true;
    this.state = 'finishing';
    this.apply(link, link.protocol.finish());
    if (this.link !== link) return; // the finish ended the run, or the connection
    if (link.protocol.finishQuietMs === undefined) {
      const timeoutMs = this.deps.finishTimeoutMs ?? 5_000;
      this.finishTimer = setTimeout(() => this.finishTimedOut(link, timeoutMs), timeoutMs);
      return;
    }
    // No end message (Speechall): wait for its last result, visibly, up to the bound.
    const timeoutMs = this.deps.lastResultTimeoutMs ?? 10_000;
    const deadline = this.now() + timeoutMs;
    const tick = () => this.sink.waiting(Math.max(0, Math.ceil((deadline - this.now()) / 1000)));
    tick();
    this.countdownTimer = setInterval(tick, 1000);
    this.finishTimer = setTimeout(() => this.finishTimedOut(link, timeoutMs), deadline - this.now());
    this.armQuiet(link);
  }

  /**
   * The service did not confirm the end in time. The run ends with what it has, and when speech was
   * sent that no final covers, the user is told how much has no text (never a silent drop).
   */
  private finishTimedOut(link: Link, timeoutMs: number): void {
    const from = this.journal.acknowledged;
    if (this.journal.hasSpeech(from, link.cursor, SPEECH_PEAK, SPEECH_RUN_FRAMES))
      this.sink.notice(noTextYet(this.server, ((link.cursor - from) * FRAME_MS) / 1000, timeoutMs / 1000));
    this.end({ kind: 'completed' });
  }

  /**
   * For a service with no end message: the stream is over once every utterance sent has its final
   * and the service has then been quiet for `finishQuietMs`. Until then, wait (up to the bound).
   */
  private armQuiet(link: Link): void {
    clearTimeout(this.quietTimer);
    // Once the service has answered the end of the stream, a word's end may come a little before the
    // signal falls quiet: a 300 ms tail after the last final is not unanswered speech.
    const from = this.journal.acknowledged + (link.finalAfterFinish ? QUIET_FRAMES : 0);
    if (this.journal.hasSpeech(from, link.cursor, SPEECH_PEAK, SPEECH_RUN_FRAMES)) return;
    this.quietTimer = setTimeout(() => this.end({ kind: 'completed' }), link.protocol.finishQuietMs);
  }

  /** The one way a run ends. */
  private end(outcome: Outcome): void {
    if (this.state === 'ended') return;
    this.state = 'ended';
    for (const timer of [this.handshakeTimer, this.retryTimer, this.pumpTimer, this.finishTimer, this.quietTimer]) clearTimeout(timer);
    clearInterval(this.watchTimer);
    clearInterval(this.countdownTimer);
    void this.capture?.stop();
    const failure = outcome.kind === 'failed' ? outcome.error : outcome.kind === 'completed' ? this.microphoneFailure : null;
    // 1000 only when the stream really ended normally (a microphone that went away still finished it).
    if (outcome.kind === 'abandoned') this.link?.transport.close(1001, 'Going away');
    else if (outcome.kind === 'failed') this.link?.transport.close(4000, 'Ended after an error');
    else this.link?.transport.close(1000, 'Done');
    this.link = null;
    this.sink.level(0);
    this.sink.network(false);
    this.sink.waiting(null);
    this.sink.reconnecting(0);
    if (failure) this.sink.fail(failure);
    else this.sink.status('idle');
    this.done();
  }
}
