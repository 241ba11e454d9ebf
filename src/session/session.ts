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
import type { FinalResult } from '../core/events';
import type { KeepAudioRequest, RunAudioWriter } from '../core/kept-audio';
import { FRAME_MS, type Pcm16Frame } from '../core/frames';
import { providerEntry } from '../protocol/registry';
import type { SessionSettings } from '../protocol/settings';
import type { SessionControl, SessionDeps, SessionSink, Timers } from './api';
import * as say from './errors';
import { Backfill } from './backfill';
import { Finishing } from './finishing';
import { AudioJournal, JOURNAL_DEFAULT_SECONDS } from './journal';
import type { Link } from './link';
import { InputMeter } from './meter';
import { Pacer, sendFrom } from './pacer';
import { SentFrames } from './sent-frames';
import { Replay } from './replay';
import { Supervisor, type RunHooks } from './supervisor';
import { RunMachine, type Outcome, type ReadyState, type RunState } from './run-state';

export type { ReconnectOptions } from './reconnect-policy';
export type { SessionControl, SessionDeps, SessionSink, TranscriptUpdate } from './api';

/** A frame whose peak reaches this counts as speech (−30 dBFS), for acknowledgement and watchdogs. */
const SPEECH_PEAK = 0.03;

const GLOBAL_TIMERS: Timers = {
  setTimeout: (callback, ms) => setTimeout(callback, ms),
  clearTimeout: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>),
};

/** Creates the controller the store drives; at most one run at a time. */
export function createSession(deps: SessionDeps): SessionControl {
  let current: DictationRun | null = null;
  return {
    start(settings, sink, source, keep) {
      if (current) return;
      current = new DictationRun(settings, sink, deps, () => (current = null), source, keep);
      current.start();
    },
    stop: () => current?.stop(),
    abort: () => current?.abort(),
    check: () => current?.check(),
  };
}

/** One dictation, from Start to its end. */
class DictationRun implements RunHooks {
  readonly machine: RunMachine;
  private readonly links: Supervisor;
  private readonly journal: AudioJournal;
  private readonly replay: Replay;
  private readonly sentFrames: SentFrames;
  private readonly meter = new InputMeter(SPEECH_PEAK);
  private readonly pacer: Pacer;
  private readonly local: boolean;
  private readonly now: () => number;
  private readonly timers: Timers;
  private capture: Capture | null = null;
  /** Where the frames are kept, as they are captured (null: not kept). */
  private readonly kept: RunAudioWriter | null;
  /** Frames the journal no longer holds, read back from the kept audio for a replay. */
  private readonly backfill: Backfill | null;
  /** The user asked to stop (or the microphone ended): the run finishes once everything is sent. */
  private stopAsked = false;
  /** The microphone has delivered its last frame. */
  private captureOver = false;
  /** Frames captured in this run. */
  private framesIn = 0;
  /** Set when the microphone ended by itself: the run finishes cleanly, then shows this. */
  private microphoneFailure: DictationError | null = null;

  constructor(
    private readonly settings: SessionSettings,
    readonly sink: SessionSink,
    private readonly deps: SessionDeps,
    private readonly done: () => void,
    private readonly source?: StartCapture,
    keep?: KeepAudioRequest,
  ) {
    this.kept = keep && deps.audioKeeper ? deps.audioKeeper.open(keep, (error) => this.sink.notice(error)) : null;
    const kept = this.kept;
    this.backfill = kept?.read ? new Backfill((from, to) => kept.read!(from, to)) : null;
    this.journal = new AudioJournal(((deps.journalSeconds ?? JOURNAL_DEFAULT_SECONDS) * 1000) / FRAME_MS);
    this.replay = new Replay(this.journal, SPEECH_PEAK);
    this.sentFrames = new SentFrames(this.journal, sink, deps.monotonic ?? (() => performance.now()));
    this.local = providerEntry(settings.provider)?.local ?? false;
    this.now = deps.now ?? Date.now;
    this.timers = deps.timers ?? GLOBAL_TIMERS;
    this.pacer = new Pacer(deps.replaySpeed ?? (this.local ? 8 : 2));
    this.links = new Supervisor(settings, deps, this.timers, this.now, this.local, this);
    this.machine = new RunMachine(
      this.timers,
      sink,
      () => this.stopAsked,
      (s) => this.links.watch(s),
    );
  }

  stopRequested(): boolean {
    return this.stopAsked;
  }

  /** A final: shown without what the context replay repeats, on the run's time base; finishing hears of it. */
  final(link: Link, event: FinalResult): void {
    const shown = this.replay.final(link, event);
    if (!shown) return;
    this.sink.transcript(shown);
    const s = this.state;
    if (s.kind === 'finishing' && s.finishing) s.finishing.final();
  }

  private get state(): RunState {
    return this.machine.state;
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
        if (this.stopAsked) return this.end({ kind: 'completed' }); // Stop before the microphone was granted
        if (capture.fellBack) this.sink.notice(microphoneFellBack());
        this.links.connect();
      },
      (cause: unknown) => this.end({ kind: 'failed', error: cause instanceof DictationError ? cause : microphoneError(cause) }),
    );
  }

  /**
   * The service accepts audio: replay what it has not turned into text yet, after one utterance of
   * context (a new recognizer then hears what the old one heard), then stream live.
   */
  ready(link: Link): void {
    const s = this.state;
    if ((s.kind !== 'connecting' && s.kind !== 'reconnecting') || !s.attempt) return;
    s.attempt.ready();
    this.replay.begin(link, this.fromStorage());
    this.sentFrames.ready(this.journal.head);
    this.reportLost();
    if (this.links.reconnects.connected()) this.sink.reconnecting(0);
    const attempt = s.attempt;
    this.machine.transition(
      this.stopAsked ? { kind: 'finishing', attempt, link, finishing: null, owned: {} } : { kind: 'streaming', attempt, link, owned: {} },
    );
    this.pump();
  }

  // ── streaming ────────────────────────────────────────────────────────────────────────────────

  private onFrame(frame: Pcm16Frame): void {
    if (this.state.kind === 'ended') return;
    const reading = this.meter.push(frame.peak);
    this.framesIn++;
    if (reading.level !== undefined) this.sink.level(reading.level);
    // Where in the audio the edge is: a stop is where the speech ended, before the VAD's hangover.
    if (reading.vad) this.sink.speech?.(reading.vad, (this.framesIn - (reading.stoppedFramesAgo ?? 0)) * FRAME_MS);
    if (reading.vad && !this.links.reportsVad)
      this.sink.transcript({ type: reading.vad === 'started' ? 'speech-started' : 'speech-stopped' });
    if (reading.silent) this.sink.notice(say.noAudio());
    this.kept?.frame(frame.pcm);
    const dropped = this.journal.append(frame);
    const ready = this.machine.ready();
    if (dropped > 0 && !this.fromStorage() && (!ready || ready.link.cursor < this.journal.first)) this.countLost();
    this.pump();
  }

  /** Whether what the journal drops can still be replayed from the kept audio. */
  private fromStorage(): boolean {
    return this.backfill !== null && !this.backfill.failed;
  }

  /** Sends journal frames from the link's cursor: paced while catching up, held above the high-water mark. */
  private pump(): void {
    const s = this.machine.ready();
    if (!s) return;
    const before = s.link.cursor;
    try {
      this.pumpLink(s);
    } finally {
      this.sentFrames.sent(before, s.link.cursor);
    }
  }

  private pumpLink(s: NonNullable<ReturnType<RunMachine['ready']>>): void {
    this.timers.clearTimeout(s.owned.pump);
    if (this.backfill?.needed(s.link, this.journal)) {
      const highWater = this.deps.highWaterBytes ?? 128 * 1024;
      const stored = this.backfill.send(s.link, this.journal, this.pacer, highWater, SPEECH_PEAK, this.now(), () => this.pump());
      if (stored === 'reading' || stored === 'stopped') return;
      if (stored === 'held') this.links.setSlow(true);
      if (stored !== 'drained') {
        s.owned.pump = this.timers.setTimeout(() => this.pump(), stored === 'held' ? 100 : FRAME_MS);
        return;
      }
    }
    // Storage did not have it all: the rest of what the journal dropped is lost, and the user told.
    if (this.backfill?.failed && s.link.cursor < this.journal.first) this.countLost();
    const result = sendFrom(s.link, this.journal, this.pacer, this.deps.highWaterBytes ?? 128 * 1024, SPEECH_PEAK, this.now());
    if (result === 'held') this.links.setSlow(true);
    if (result === 'held' || result === 'paced')
      s.owned.pump = this.timers.setTimeout(() => this.pump(), result === 'held' ? 100 : FRAME_MS);
    if (result !== 'drained') return;
    this.links.setSlow(false);
    if (this.stopAsked && this.captureOver && !s.link.finishSent) this.finishStream(s);
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

  /** Looks at the connection now (the tab is visible again: timers were throttled while it was hidden). */
  check(): void {
    this.links.inspect();
    this.pump();
  }

  // ── finishing → ended ────────────────────────────────────────────────────────────────────────

  abort(): void {
    this.end({ kind: 'abandoned' });
  }

  stop(): void {
    if (this.state.kind === 'ended' || this.stopAsked) return;
    this.requestStop();
    if (!this.capture) return; // the microphone prompt is still open: start() ends the run
    void this.capture.stop().then(() => {
      this.captureOver = true;
      this.audioOver();
      this.pump();
    });
  }

  /**
   * No more audio will come: speech the local VAD was still hearing stopped at its last loud frame (a
   * Stop pressed within the VAD's hangover would otherwise leave the run's last utterance with no end).
   */
  private audioOver(): void {
    const since = this.meter.end();
    if (since === null) return;
    this.sink.speech?.('stopped', (this.framesIn - since) * FRAME_MS);
    if (!this.links.reportsVad) this.sink.transcript({ type: 'speech-stopped' });
  }

  /** Stop is asked: a ready run starts finishing (sending what is left); any other shows "stopping". */
  private requestStop(): void {
    this.stopAsked = true;
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
    this.audioOver();
    this.requestStop();
    const s = this.state;
    if (s.kind === 'connecting' && !s.attempt?.link) this.end({ kind: 'failed', error });
  }

  /** Everything is sent: ask the service to finish, and wait for it. */
  private finishStream(s: ReadyState): void {
    const { link, attempt } = s;
    link.finishSent = true;
    this.links.apply(link, link.protocol.finish());
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
          if (seconds !== null) this.sink.notice(say.noTextYet(this.links.server, seconds, ms / 1000));
          this.end({ kind: 'completed' });
        },
        waiting: (seconds) => this.sink.waiting(seconds),
      },
    );
    this.machine.transition({ kind: 'finishing', attempt, link, finishing, owned: {} });
    finishing.start();
  }

  /** The one way a run ends. */
  end(outcome: Outcome): void {
    const s = this.state;
    if (s.kind === 'ended') return;
    void this.capture?.stop();
    void this.kept?.close().then(() => this.sink.audioKept?.());
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
