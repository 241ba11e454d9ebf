/**
 * When to reconnect after a connection is lost, and when to stop trying (docs/protocols.md,
 * "Reconnecting"). An interface, as LiveKit's `ReconnectPolicy` is, so that another policy (a fixed
 * schedule, a budget in time) is one more implementation; full-jitter exponential backoff is the default.
 */

/** What the policy decides by. */
export interface ReconnectContext {
  /** The attempt about to be made, 1-based (it resets once the service answers again). */
  readonly attempt: number;
  /** Whether the connection that ended was refused before it opened: HTTP 401, 403, 404 or nothing listening, which a browser cannot tell apart. */
  readonly refused: boolean;
  /** Refusals in a row, this one included, since the last connection that worked. */
  readonly refusalsInARow: number;
  /** Whether a connection of this run has ever been ready. */
  readonly everConnected: boolean;
}

/** Decides the delay before the next attempt. */
export interface ReconnectPolicy {
  /** @returns the delay before attempt `context.attempt`, ms, or null to stop trying */
  nextDelayMs(context: ReconnectContext): number | null;
}

/** The default policy's numbers. */
export interface ReconnectOptions {
  /** Attempts after a drop before giving up (default 8). */
  readonly maxAttempts?: number;
  /** Upper bound of the first delay, ms (default 500): delay n is uniform in [0, min(max, base · 2ⁿ⁻¹)]. */
  readonly baseDelayMs?: number;
  /** Cap of the delay, ms (default 10 000). */
  readonly maxDelayMs?: number;
  /** Refusals before open in a row after which it stops (default 3). */
  readonly maxRefusals?: number;
}

/**
 * Exponential backoff with full jitter (delay n uniform in [0, min(cap, base · 2ⁿ⁻¹)]). A refusal is
 * retried only after a connection has worked (a server restarting), and never `maxRefusals` times in a
 * row: a refused key stays refused, and the first connection's refusal is the user's to fix.
 * @param random numbers in [0, 1)
 */
export function fullJitterBackoff(options: ReconnectOptions = {}, random: () => number = Math.random): ReconnectPolicy {
  const maxAttempts = options.maxAttempts ?? 8;
  const base = options.baseDelayMs ?? 500;
  const cap = options.maxDelayMs ?? 10_000;
  const maxRefusals = options.maxRefusals ?? 3;
  return {
    nextDelayMs({ attempt, refused, refusalsInARow, everConnected }) {
      if (refused && (!everConnected || refusalsInARow >= maxRefusals)) return null;
      if (attempt > maxAttempts) return null;
      return random() * Math.min(cap, base * 2 ** (attempt - 1));
    },
  };
}

/** What the run should do after losing a connection. */
export type NextStep =
  { readonly retry: true; readonly attempt: number; readonly delayMs: number } | { readonly retry: false; readonly attempts: number };

/**
 * The reconnect bookkeeping of one run, over a policy: the attempt count (reset when the service
 * answers what it hears), refusals in a row (reset by a connection that works), and whether any
 * connection ever worked.
 */
export class Reconnects {
  private attempt = 0;
  private refusals = 0;
  private connectedOnce = false;

  constructor(private readonly policy: ReconnectPolicy) {}

  /** Whether a connection of this run has ever been ready. */
  get everConnected(): boolean {
    return this.connectedOnce;
  }

  /**
   * A connection is ready.
   * @returns whether it is a reconnect
   */
  connected(): boolean {
    const again = this.connectedOnce;
    this.connectedOnce = true;
    this.refusals = 0;
    if (!again) this.attempt = 0;
    return again;
  }

  /** The service answered what it heard: later drops start counting anew. */
  answered(): void {
    this.attempt = 0;
  }

  /** A connection was lost (`refused`: before it opened); the policy says whether and when to try again. */
  lost(refused: boolean): NextStep {
    if (refused) this.refusals++;
    const attempt = this.attempt + 1;
    const delayMs = this.policy.nextDelayMs({ attempt, refused, refusalsInARow: this.refusals, everConnected: this.connectedOnce });
    if (delayMs === null) return { retry: false, attempts: attempt - 1 };
    this.attempt = attempt;
    return { retry: true, attempt, delayMs };
  }
}
