/**
 * The watchdog's look at a ready connection (docs/protocols.md, "Reconnecting"): it counts as dead
 * when its send buffer has not gone down for `deadAfterMs` (the network took nothing), or when speech
 * was sent and the service has said nothing for `replyWithinMs` (it stopped listening).
 */

/** Why a connection counts as dead. */
export type DeadReason = 'stuck' | 'unanswered';

/** One per connection. */
export class Watchdog {
  /** The largest `bufferedAmount` seen, bytes, and since when it has not gone down, ms. */
  private buffered = 0;
  private bufferedSince: number;

  /** @param now the clock when the connection was made, ms */
  constructor(now: number) {
    this.bufferedSince = now;
  }

  /**
   * @param bufferedAmount the socket's queued bytes now
   * @param speechSentAt when a speech frame was first sent after the service's last message, ms (null: none since)
   * @returns why the connection is dead, or null
   */
  look(
    bufferedAmount: number,
    speechSentAt: number | null,
    limits: { deadAfterMs: number; replyWithinMs: number },
    now: number,
  ): DeadReason | null {
    if (bufferedAmount === 0 || bufferedAmount < this.buffered) this.bufferedSince = now;
    this.buffered = bufferedAmount;
    if (bufferedAmount > 0 && now - this.bufferedSince >= limits.deadAfterMs) return 'stuck';
    if (speechSentAt !== null && now - speechSentAt >= limits.replyWithinMs) return 'unanswered';
    return null;
  }
}
