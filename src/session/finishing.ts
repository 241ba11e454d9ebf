/**
 * Finishing a stream (docs/protocols.md, "Finishing"): once everything is sent and the service asked
 * to finish, wait for it to confirm the end (VoiceRun `session.closed`, Reson8 `flush_confirmation`)
 * up to a timeout; or, for a service with no end message (Speechall), until every utterance sent has
 * its final and the service has been quiet for a while, up to a visible bound. On a timeout the user
 * is told how much of the recording has no text yet: never a silent drop.
 */
import { FRAME_MS } from '../core/frames';
import type { Timers } from './api';
import type { AudioJournal } from './journal';
import type { Link } from './link';
import { QUIET_FRAMES } from './replay';

/** Loud frames in a row that count as speech still to be answered (10, 200 ms; a breath or click is shorter). */
export const SPEECH_RUN_FRAMES = 10;

/** How long to wait. */
export interface FinishingLimits {
  /** For the end message, ms. */
  readonly finishTimeoutMs: number;
  /** For the last result of a service with no end message, ms. */
  readonly lastResultTimeoutMs: number;
  /** The peak (0–1) from which a frame counts as speech. */
  readonly speechPeak: number;
}

/** What finishing reports. */
export interface FinishingEvents {
  /** The service has answered everything (the quiet rule); an end message is the protocol's `finished`. */
  complete(): void;
  /**
   * It did not confirm in time.
   * @param untranscribedSeconds seconds of sent audio with speech that no final covers; null when every word has its text
   */
  timedOut(untranscribedSeconds: number | null, timeoutMs: number): void;
  /** Whole seconds left of the visible wait, or null once it is over. */
  waiting(seconds: number | null): void;
}

/** The wait for one link's last words; `protocol.finish()` has been applied when it starts. */
export class Finishing {
  private timeout: unknown = undefined;
  private quiet: unknown = undefined;
  private countdown: unknown = undefined;

  constructor(
    private readonly link: Link,
    private readonly journal: AudioJournal,
    private readonly timers: Timers,
    private readonly now: () => number,
    private readonly limits: FinishingLimits,
    private readonly events: FinishingEvents,
  ) {}

  /** Starts waiting. */
  start(): void {
    const quietMs = this.link.protocol.finishQuietMs;
    if (quietMs === undefined) {
      const ms = this.limits.finishTimeoutMs;
      this.timeout = this.timers.setTimeout(() => this.timedOut(ms), ms);
      return;
    }
    // No end message (Speechall): wait for its last result, visibly, up to the bound.
    const ms = this.limits.lastResultTimeoutMs;
    const deadline = this.now() + ms;
    const tick = () => {
      this.events.waiting(Math.max(0, Math.ceil((deadline - this.now()) / 1000)));
      this.countdown = this.timers.setTimeout(tick, 1000);
    };
    tick();
    this.timeout = this.timers.setTimeout(() => this.timedOut(ms), deadline - this.now());
    this.armQuiet();
  }

  /** A message arrived from the service. */
  heard(): void {
    if (this.link.protocol.finishQuietMs !== undefined) this.armQuiet();
  }

  /** A final arrived (after `heard()`, once the journal has acknowledged it). */
  final(): void {
    this.link.finalAfterFinish = true;
    if (this.link.protocol.finishQuietMs !== undefined) this.armQuiet();
  }

  /** Stops every timer; the visible wait is over. */
  dispose(): void {
    this.timers.clearTimeout(this.timeout);
    this.timers.clearTimeout(this.quiet);
    this.timers.clearTimeout(this.countdown);
  }

  /** Seconds of speech sent that no final covers, or null when there is none. */
  private untranscribed(): number | null {
    const from = this.journal.acknowledged;
    if (!this.journal.hasSpeech(from, this.link.cursor, this.limits.speechPeak, SPEECH_RUN_FRAMES)) return null;
    return ((this.link.cursor - from) * FRAME_MS) / 1000;
  }

  private timedOut(ms: number): void {
    this.events.timedOut(this.untranscribed(), ms);
  }

  /**
   * The quiet rule: the stream is over once every utterance sent has its final and the service has
   * then been quiet for `finishQuietMs`. Until then, wait (up to the bound).
   */
  private armQuiet(): void {
    this.timers.clearTimeout(this.quiet);
    // Once the service has answered the end of the stream, a word's end may come a little before the
    // signal falls quiet: a 300 ms tail after the last final is not unanswered speech.
    const from = this.journal.acknowledged + (this.link.finalAfterFinish ? QUIET_FRAMES : 0);
    if (this.journal.hasSpeech(from, this.link.cursor, this.limits.speechPeak, SPEECH_RUN_FRAMES)) return;
    this.quiet = this.timers.setTimeout(() => this.events.complete(), this.link.protocol.finishQuietMs ?? 0);
  }
}
