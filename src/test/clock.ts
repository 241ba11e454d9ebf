/** A clock and timers that move only when a test says: time-dependent logic without real time. */
import type { Timers } from '../session/api';

export class ManualClock implements Timers {
  private at = 0;
  private seq = 0;
  private readonly due = new Map<number, { at: number; callback: () => void }>();

  /** The clock, ms. */
  readonly now = (): number => this.at;

  setTimeout(callback: () => void, ms: number): unknown {
    const id = ++this.seq;
    this.due.set(id, { at: this.at + Math.max(0, ms), callback });
    return id;
  }

  clearTimeout(handle: unknown): void {
    this.due.delete(handle as number);
  }

  /** Timers still waiting. */
  get pending(): number {
    return this.due.size;
  }

  /** Moves the clock on by `ms`, running every timer that falls due, in order. */
  advance(ms: number): void {
    const end = this.at + ms;
    for (;;) {
      let next: [number, { at: number; callback: () => void }] | undefined;
      for (const entry of this.due) if (entry[1].at <= end && (!next || entry[1].at < next[1].at)) next = entry;
      if (!next) break;
      this.due.delete(next[0]);
      this.at = next[1].at;
      next[1].callback();
    }
    this.at = end;
  }
}
