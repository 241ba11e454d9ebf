/**
 * The dictation session: microphone → journal → protocol → socket, reporting to the store.
 *
 * One run per `start()`, a state machine with one way to end (docs/protocols.md, "Reconnecting" and
 * "Finishing"):
 *
 *     connecting → streaming ⇄ reconnecting → finishing → ended(outcome)
 *
 * State is data ({@link RunState}): each state holds what it owns (its connection attempt, its
 * timers, its finishing wait), and one `transition()` disposes what the old state owned and reports
 * the status through one mapping. The parts, each in its own module:
 * - `link.ts`: one connection attempt (token, protocol, transport, handshake timer, stale-event guard);
 * - `reconnect-policy.ts`: when to try again (full-jitter backoff) and when to stop;
 * - `replay.ts`: replay and stitching over the journal (what a final acknowledges, audio lost);
 * - `pacer.ts`: pacing and backpressure; `watchdog.ts`: a stuck buffer, unanswered speech;
 * - `finishing.ts`: the wait for the last words, which on a timeout says what has no text yet;
 * - `meter.ts`: the input level, the level VAD and digital silence.
 *
 * Stop is an intent, not a state: connecting or reconnecting after Stop shows "stopping", and the
 * run finishes once a connection is ready. The session holds the socket and audio objects itself;
 * the store never sees them.
 */
import { microphoneError, microphoneFellBack } from '../audio/errors';
import type { Capture, CaptureInfo, StartCapture } from '../audio/capture';
import { DictationError } from '../core/errors';
import type { ProtocolError, TranscriptEvent } from '../core/events';
import { FRAME_MS, type Pcm16Frame } from '../core/frames';
import type { ProtocolStep } from '../protocol/adapter';
import { providerEntry } from '../protocol/registry';
import type { SessionSettings } from '../protocol/settings';
import type { SessionControl, SessionDeps, SessionSink, Timers } from './api';
import * as say from './errors';
import { Finishing } from './finishing';
import { AudioJournal, JOURNAL_DEFAULT_SECONDS } from './journal';
import { LinkAttempt, type Endpoint, type Link, type LinkEvents } from './link';
import { InputMeter } from './meter';
import { Pacer, sendFrom } from './pacer';
import { fullJitterBackoff, type ReconnectPolicy } from './reconnect-policy';
import { Replay } from './replay';
import { RunMachine, type Outcome, type Owned, type ReadyState, type RunState } from './run-state';

export type { ReconnectOptions } from './reconnect-policy';
export type { SessionControl, SessionDeps, SessionSink, TranscriptUpdate } from './api';

/** A frame whose peak reaches this counts as speech (−30 dBFS), for acknowledgement and watchdogs. */
const SPEECH_PEAK = 0.03;
/** How often the watchdog looks, ms. */
const WATCH_MS = 1000;

const GLOBAL_TIMERS: Timers = {
  setTimeout: (callback, ms) => setTimeout(callback, ms),
  clearTimeout: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>),
};

/** Creates the controller the store drives; at most one run at a time. */
export function createSession(deps: SessionDeps): SessionControl {
  let current: DictationRun | null = null;
  return {
    start(settings, sink, source) {
      if (current) return;
      current = new DictationRun(settings, sink, deps, () => (current = null), source);
      current.start();
    },
    stop: () => current?.stop(),
    abort: () => current?.abort(),
    check: () => current?.check(),
  };
}

/** One dictation, from Start to its end. */
class DictationRun implements LinkEvents {
  private readonly machine: RunMachine;
  private readonly journal: AudioJournal;
  private readonly replay: Replay;
  private readonly meter = new InputMeter(SPEECH_PEAK);
  private readonly pacer: Pacer;
  private readonly policy: ReconnectPolicy;
  private readonly local: boolean;
  private readonly now: () => number;
  private readonly timers: Timers;
  private capture: Capture | null = null;
  /** The user asked to stop (or the microphone ended): the run finishes once everything is sent. */
  private stopRequested = false;
  /** The microphone has delivered its last frame. */
  private captureOver = false;
  /** Set when the microphone ended by itself: the run finishes cleanly, then shows this. */
  private microphoneFailure: DictationError | null = null;
  private endpointSeen: Endpoint | null = null;
  private attemptNo = 0;
  private refusals = 0;
  private everConnected = false;
  private slow = false;

  constructor(
    private readonly settings: SessionSettings,
    private readonly sink: SessionSink,
    private readonly deps: SessionDeps,
    private readonly done: () => void,
    private readonly source?: StartCapture,
  ) {
    this.journal = new AudioJournal(((deps.journalSeconds ?? JOURNAL_DEFAULT_SECONDS) * 1000) / FRAME_MS);
    this.replay = new Replay(this.journal, SPEECH_PEAK);
    this.local = providerEntry(settings.provider)?.local ?? false;
    this.now = deps.now ?? Date.now;
    this.timers = deps.timers ?? GLOBAL_TIMERS;
    this.pacer = new Pacer(deps.replaySpeed ?? (this.local ? 8 : 2));
    this.policy = deps.reconnectPolicy ?? fullJitterBackoff(deps.reconnect, deps.random);
    this.machine = new RunMachine(
      this.timers,
      sink,
      () => this.stopRequested,
      (s) => this.watch(s),
    );
  }

  private get state(): RunState {
    return this.machine.state;
  }

  private get server(): string {
    return this.endpointSeen?.server ?? 'the transcription server';
  }

  // ── connecting ───────────────────────────────────────────────────────────────────────────────

  /** The microphone first (a denied microphone never opens a connection), then the connection. */
  start(): void {
    this.machine.report();
    const handlers = {
      onFrame: (frame: Pcm16Frame) => this.onFrame(frame),
      onError: (error: DictationError) => this.onCaptureError(error),
      onEnd: () => this.stop(),
      onInfo: (info: CaptureInfo) => this.sink.capture?.(info),
      backlog: () => this.journal.head - (this.machine.ready()?.link.cursor ?? this.journal.first),
    };
    (this.source ?? this.deps.startCapture)(handlers, this.settings.microphone).then(
      (capture) => {
        this.capture = capture;
        if (this.state.kind === 'ended') return void capture.stop();
        if (this.stopRequested) return this.end({ kind: 'completed' }); // Stop before the microphone was granted
        if (capture.fellBack) this.sink.notice(microphoneFellBack());
        this.connect();
      },
      (cause: unknown) => this.end({ kind: 'failed', error: cause instanceof DictationError ? cause : microphoneError(cause) }),
    );
  }

  /** A new connection attempt, the first or a reconnect. */
  private connect(): void {
    const s = this.state;
    if (s.kind !== 'connecting' && s.kind !== 'reconnecting') return;
    const attempt = new LinkAttempt(this.settings, this.deps, this.timers, this.now, this);
    this.machine.transition({ kind: s.kind, attempt, owned: {} });
    attempt.start();
  }

  endpoint(endpoint: Endpoint): void {
    this.endpointSeen = endpoint;
  }

  opened(link: Link): void {
    this.apply(link, link.protocol.open());
  }

  failed(error: DictationError, cause: 'token' | 'settings'): void {
    if (cause === 'token' && this.everConnected) {
      this.sink.notice(error);
      return this.reconnect(false);
    }
    this.end({ kind: 'failed', error });
  }

  handshakeTimedOut(link: Link, ms: number): void {
    if (this.machine.ready() || !this.machine.isCurrent(link)) return;
    if (!this.everConnected) return this.end({ kind: 'failed', error: say.handshakeTimeout(this.server, Math.round(ms / 1000)) });
    this.drop(link, 4000, 'Handshake timed out');
  }

  /**
   * The service accepts audio: replay what it has not turned into text yet, after one utterance of
   * context (a new recognizer then hears what the old one heard), then stream live.
   */
  private onReady(link: Link): void {
    const s = this.state;
    if ((s.kind !== 'connecting' && s.kind !== 'reconnecting') || !s.attempt) return;
    s.attempt.ready();
    this.replay.begin(link);
    this.reportLost();
    const reconnected = this.everConnected;
    this.everConnected = true;
    this.refusals = 0;
    if (!reconnected) this.attemptNo = 0;
    if (reconnected) this.sink.reconnecting(0);
    const attempt = s.attempt;
    this.machine.transition(
      this.stopRequested
        ? { kind: 'finishing', attempt, link, finishing: null, owned: {} }
        : { kind: 'streaming', attempt, link, owned: {} },
    );
    this.pump();
  }

  // ── streaming ────────────────────────────────────────────────────────────────────────────────

  private onFrame(frame: Pcm16Frame): void {
    if (this.state.kind === 'ended') return;
    const reading = this.meter.push(frame.peak);
    if (reading.level !== undefined) this.sink.level(reading.level);
    if (reading.vad && !(this.endpointSeen?.reportsVad ?? true))
      this.sink.transcript({ type: reading.vad === 'started' ? 'speech-started' : 'speech-stopped' });
    if (reading.silent) this.sink.notice(say.noAudio());
    const dropped = this.journal.append(frame);
    const ready = this.machine.ready();
    if (dropped > 0 && (!ready || ready.link.cursor < this.journal.first)) this.countLost();
    this.pump();
  }

  /** Sends journal frames from the link's cursor: paced while catching up, held above the high-water mark. */
  private pump(): void {
    const s = this.machine.ready();
    if (!s) return;
    this.timers.clearTimeout(s.owned.pump);
    const result = sendFrom(s.link, this.journal, this.pacer, this.deps.highWaterBytes ?? 128 * 1024, SPEECH_PEAK, this.now());
    if (result === 'held') this.setSlow(true);
    if (result === 'held' || result === 'paced')
      s.owned.pump = this.timers.setTimeout(() => this.pump(), result === 'held' ? 100 : FRAME_MS);
    if (result !== 'drained') return;
    this.setSlow(false);
    if (this.stopRequested && this.captureOver && !s.link.finishSent) this.finishStream(s);
  }

  private setSlow(slow: boolean): void {
    if (slow === this.slow) return;
    this.slow = slow;
    this.sink.network(slow);
  }

  message(link: Link, data: string | ArrayBuffer): void {
    link.speechSentAt = null;
    const s = this.state;
    if (s.kind === 'finishing' && s.finishing) s.finishing.heard();
    this.apply(link, link.protocol.receive(data));
  }

  private apply(link: Link, step: ProtocolStep): void {
    for (const message of step.send) link.transport.send(message);
    for (const event of step.events) {
      if (!this.machine.isCurrent(link)) return;
      this.onEvent(link, event);
    }
  }

  private onEvent(link: Link, event: TranscriptEvent): void {
    switch (event.type) {
      case 'ready':
        return this.onReady(link);
      case 'finished':
        if (!this.stopRequested) this.sink.notice(say.serverEnded(this.server));
        return this.end({ kind: 'completed' });
      case 'error':
        return this.onProtocolError(link, event.error);
      case 'final': {
        this.attemptNo = 0; // the service answers what it hears: later drops start counting anew
        const shown = this.replay.final(link, event);
        if (!shown) return;
        this.sink.transcript(shown);
        const s = this.state;
        if (s.kind === 'finishing' && s.finishing) s.finishing.final();
        return;
      }
      default:
        this.attemptNo = 0;
        this.sink.transcript(event);
    }
  }

  private onProtocolError(link: Link, error: ProtocolError): void {
    const user = say.protocolErrorToUser(error, this.server, this.endpointSeen?.secret ?? '');
    if (!error.fatal) {
      if (error.code === 'unknown-message') console.warn(`Dictate: ${error.message}`);
      else this.sink.notice(user);
      return;
    }
    if (error.retryable) return this.drop(link, 4000, 'Retrying');
    this.end({ kind: 'failed', error: user });
  }

  /** Tells the user how much audio could not be kept, once per stretch. */
  private countLost(): void {
    this.replay.countLost();
    if (this.machine.ready()) this.reportLost();
  }

  private reportLost(): void {
    const seconds = this.replay.takeLostSeconds();
    if (seconds > 0) this.sink.notice(say.audioLost(seconds));
  }

  // ── streaming ⇄ reconnecting ─────────────────────────────────────────────────────────────────

  closed(link: Link, code: number, reason: string, opened: boolean): void {
    if (!opened) return this.reconnect(true);
    const error = link.protocol.describeClose(code, reason);
    if (!error || (this.stopRequested && link.finishSent && code === 1000)) return this.end({ kind: 'completed' });
    if (error.retryable) {
      if (code === 1013) this.sink.notice(say.serverBusy(this.server, reason.slice(0, 200)));
      return this.reconnect(false);
    }
    this.end({ kind: 'failed', error: say.protocolErrorToUser(error, this.server, this.endpointSeen?.secret ?? '') });
  }

  /** Abandons a connection that is dead or must be replaced, and reconnects. */
  private drop(link: Link, code: number, reason: string): void {
    const s = this.state;
    if (s.kind === 'ended' || !s.attempt || s.attempt.link !== link) return;
    s.attempt.close(code, reason);
    this.reconnect(false);
  }

  /**
   * reconnecting: the microphone keeps running; a new connection after the policy's delay. A refusal
   * before open (HTTP 401, 403, 404, 500… or nothing there; a browser cannot tell which) that the
   * policy will not retry ends the run with what can be said about it.
   */
  private reconnect(refused: boolean): void {
    if (this.state.kind === 'ended') return;
    if (refused) this.refusals++;
    const attempt = this.attemptNo + 1;
    const delay = this.policy.nextDelayMs({ attempt, refused, refusalsInARow: this.refusals, everConnected: this.everConnected });
    if (delay === null) {
      if (refused) return void this.refusalError().then((error) => this.end({ kind: 'failed', error }));
      return this.end({ kind: 'failed', error: say.gaveUp(this.server, attempt - 1) });
    }
    this.attemptNo = attempt;
    this.setSlow(false);
    this.sink.reconnecting(attempt);
    const owned: Owned = {};
    this.machine.transition({ kind: 'reconnecting', attempt: null, owned });
    owned.retry = this.timers.setTimeout(() => this.connect(), delay);
  }

  /** What to say about a refused connection: the local engine is asked whether it is running at all. */
  private async refusalError(): Promise<DictationError> {
    if (this.local && this.deps.probeLocalEngine) {
      const up = await this.deps.probeLocalEngine(this.endpointSeen?.url ?? '').catch(() => false);
      return up ? say.localEngineRefused(this.server) : say.localEngineDown(this.server);
    }
    return say.connectFailed(this.server, this.endpointSeen?.refusalHint);
  }

  /** The watchdog looks every second while a connection is ready. */
  private watch(s: ReadyState): void {
    s.owned.watch = this.timers.setTimeout(() => {
      this.inspect();
      if (this.state === s) this.watch(s);
    }, WATCH_MS);
  }

  /** Replaces a connection whose buffer stopped draining, or whose service went silent while hearing speech. */
  private inspect(): void {
    const s = this.machine.ready();
    if (!s) return;
    const limits = { deadAfterMs: this.deps.deadAfterMs ?? 10_000, replyWithinMs: s.link.protocol.replyWithinMs };
    if (s.link.watchdog.look(s.link.transport.bufferedAmount, s.link.speechSentAt, limits, this.now()))
      this.drop(s.link, 4002, 'Connection went dead');
  }

  /** Looks at the connection now (the tab is visible again: timers were throttled while it was hidden). */
  check(): void {
    this.inspect();
    this.pump();
  }

  // ── finishing → ended ────────────────────────────────────────────────────────────────────────

  abort(): void {
    this.end({ kind: 'abandoned' });
  }

  stop(): void {
    if (this.state.kind === 'ended' || this.stopRequested) return;
    this.requestStop();
    if (!this.capture) return; // the microphone prompt is still open: start() ends the run
    void this.capture.stop().then(() => {
      this.captureOver = true;
      this.pump();
    });
  }

  /** Stop is asked: a ready run starts finishing (sending what is left); any other shows "stopping". */
  private requestStop(): void {
    this.stopRequested = true;
    const s = this.state;
    if (s.kind === 'streaming')
      this.machine.transition({ kind: 'finishing', attempt: s.attempt, link: s.link, finishing: null, owned: {} });
    else this.machine.report();
    this.pump();
  }

  /** The microphone ended by itself (unplugged, revoked): finish cleanly with what was captured, no reconnect. */
  private onCaptureError(error: DictationError): void {
    if (this.state.kind === 'ended') return;
    this.microphoneFailure = error;
    this.captureOver = true;
    this.requestStop();
    const s = this.state;
    if (s.kind === 'connecting' && !s.attempt?.link) this.end({ kind: 'failed', error });
  }

  /** Everything is sent: ask the service to finish, and wait for it. */
  private finishStream(s: ReadyState): void {
    const { link, attempt } = s;
    link.finishSent = true;
    this.apply(link, link.protocol.finish());
    if (!this.machine.isCurrent(link)) return; // the finish ended the run, or the connection
    const finishing = new Finishing(
      link,
      this.journal,
      this.timers,
      this.now,
      {
        finishTimeoutMs: this.deps.finishTimeoutMs ?? 5_000,
        lastResultTimeoutMs: this.deps.lastResultTimeoutMs ?? 10_000,
        speechPeak: SPEECH_PEAK,
      },
      {
        complete: () => this.end({ kind: 'completed' }),
        // Never a silent drop: speech sent that no final covers is named.
        timedOut: (seconds, ms) => {
          if (seconds !== null) this.sink.notice(say.noTextYet(this.server, seconds, ms / 1000));
          this.end({ kind: 'completed' });
        },
        waiting: (seconds) => this.sink.waiting(seconds),
      },
    );
    this.machine.transition({ kind: 'finishing', attempt, link, finishing, owned: {} });
    finishing.start();
  }

  /** The one way a run ends. */
  private end(outcome: Outcome): void {
    const s = this.state;
    if (s.kind === 'ended') return;
    void this.capture?.stop();
    const failure = outcome.kind === 'failed' ? outcome.error : outcome.kind === 'completed' ? this.microphoneFailure : null;
    // 1000 only when the stream really ended normally (a microphone that went away still finished it).
    if (outcome.kind === 'abandoned') s.attempt?.close(1001, 'Going away');
    else if (outcome.kind === 'failed') s.attempt?.close(4000, 'Ended after an error');
    else s.attempt?.close(1000, 'Done');
    this.machine.transition({ kind: 'ended', outcome });
    this.sink.level(0);
    this.sink.network(false);
    this.sink.waiting(null);
    this.sink.reconnecting(0);
    if (failure) this.sink.fail(failure);
    else this.sink.status('idle');
    this.done();
  }
}
