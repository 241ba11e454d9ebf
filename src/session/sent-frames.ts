/**
 * What the session's figures learn from each send (docs/metrics.md, "Capture → send" and "Seconds
 * replayed"): the frames a pump moved the link's cursor over are either sent for the first time (their
 * capture → send delay is reported, where the frame has a capture time) or sent again after a reconnect
 * (their audio counts as replayed). Frames captured before the first connection was ready waited
 * for the handshake, not for the network: they are not measured.
 */
import { FRAME_MS } from '../core/frames';
import type { AudioJournal } from './journal';
import type { SessionSink } from './api';

export class SentFrames {
  /** Frames before this index have been sent at least once. */
  private high = 0;
  /** Frames from this index on are measured; none until the first connection is ready. */
  private measuredFrom = Infinity;

  /**
   * @param monotonic - the clock of `Pcm16Frame.capturedAt`, ms (`performance.now`)
   */
  constructor(
    private readonly journal: AudioJournal,
    private readonly sink: Pick<SessionSink, 'frameSent' | 'replayed'>,
    private readonly monotonic: () => number,
  ) {}

  /** A connection is ready to stream, with `head` frames captured so far: the first one starts the measure. */
  ready(head: number): void {
    if (this.measuredFrom === Infinity) this.measuredFrom = head;
  }

  /** The link's cursor moved from `before` to `after`: those frames went out now. */
  sent(before: number, after: number): void {
    if (after <= before) return;
    const again = Math.min(after, this.high) - before;
    if (again > 0) this.sink.replayed?.(again * FRAME_MS);
    if (after <= this.high) return;
    if (this.sink.frameSent) {
      const now = this.monotonic();
      for (let i = Math.max(before, this.high, this.measuredFrom); i < after; i++) {
        const at = this.journal.capturedAt(i);
        if (at !== undefined) this.sink.frameSent(Math.max(0, now - at));
      }
    }
    this.high = after;
  }
}
