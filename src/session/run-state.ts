/**
 * The run's state as data (docs/protocols.md, "Reconnecting" and "Finishing"), and the one place it
 * changes. Each state holds what it owns: its connection attempt, its timers, its finishing wait.
 * {@link RunMachine.transition} disposes what the old state owned and the new one does not keep, and
 * reports the status through one mapping ({@link statusOf}).
 */
import type { DictationError } from '../core/errors';
import type { SessionStatus } from '../core/status';
import type { SessionSink, Timers } from './api';
import type { Finishing } from './finishing';
import type { Link, LinkAttempt } from './link';

/** How a run ended. */
export type Outcome =
  { readonly kind: 'completed' } | { readonly kind: 'abandoned' } | { readonly kind: 'failed'; readonly error: DictationError };

/** Timers a state owns; cleared when it is left. */
export interface Owned {
  pump?: unknown;
  watch?: unknown;
  retry?: unknown;
}

/** The states of a run, with what each owns. */
export type RunState =
  /** The microphone starts (no attempt yet), then the first connection is made. */
  | { readonly kind: 'connecting'; readonly attempt: LinkAttempt | null; readonly owned: Owned }
  | { readonly kind: 'streaming'; readonly attempt: LinkAttempt; readonly link: Link; readonly owned: Owned }
  /** Waiting out the backoff (no attempt yet), then connecting again; the microphone keeps recording. */
  | { readonly kind: 'reconnecting'; readonly attempt: LinkAttempt | null; readonly owned: Owned }
  /** Stop while ready: the rest is sent (`finishing` null), then the wait for the last words. */
  | {
      readonly kind: 'finishing';
      readonly attempt: LinkAttempt;
      readonly link: Link;
      readonly finishing: Finishing | null;
      readonly owned: Owned;
    }
  | { readonly kind: 'ended'; readonly outcome: Outcome };

export type ReadyState = Extract<RunState, { kind: 'streaming' | 'finishing' }>;

/** The status the UI shows for a state. */
export function statusOf(state: RunState, stopRequested: boolean): Exclude<SessionStatus, 'error' | 'idle'> | null {
  switch (state.kind) {
    case 'connecting':
      return stopRequested ? 'stopping' : 'connecting';
    case 'streaming':
      return 'recording';
    case 'reconnecting':
      return stopRequested ? 'stopping' : 'reconnecting';
    case 'finishing':
      return 'stopping';
    case 'ended':
      return null;
  }
}

/** Holds the state of one run. */
export class RunMachine {
  private current: RunState = { kind: 'connecting', attempt: null, owned: {} };
  private reported: SessionStatus | null = null;

  /**
   * @param stopRequested whether the user asked to stop (connecting or reconnecting then shows "stopping")
   * @param enteredReady called when a state with a ready connection is entered (the watchdog starts)
   */
  constructor(
    private readonly timers: Timers,
    private readonly sink: SessionSink,
    private readonly stopRequested: () => boolean,
    private readonly enteredReady: (state: ReadyState) => void,
  ) {}

  get state(): RunState {
    return this.current;
  }

  /** The one way the state changes: what the old state owned and the new one does not keep is disposed. Nothing leaves `ended`. */
  transition(next: RunState): void {
    const old = this.current;
    if (old.kind === 'ended') return;
    this.current = next;
    const kept = (x: unknown, key: 'attempt' | 'finishing') => key in next && (next as Record<string, unknown>)[key] === x;
    if (old.attempt && !kept(old.attempt, 'attempt')) old.attempt.dispose();
    if (old.kind === 'finishing' && old.finishing && !kept(old.finishing, 'finishing')) old.finishing.dispose();
    for (const timer of Object.values(old.owned)) this.timers.clearTimeout(timer);
    if (next.kind === 'streaming' || next.kind === 'finishing') this.enteredReady(next);
    this.report();
  }

  /** Reports the status of the current state, when it changed. */
  report(): void {
    const status = statusOf(this.current, this.stopRequested());
    if (status && status !== this.reported) this.sink.status((this.reported = status));
  }

  /** The state when its connection is ready (streaming or finishing), else null. */
  ready(): ReadyState | null {
    const s = this.current;
    return s.kind === 'streaming' || s.kind === 'finishing' ? s : null;
  }

  /** Whether `link` is the current attempt's connection (and the run has not ended). */
  isCurrent(link: Link): boolean {
    const s = this.current;
    return s.kind !== 'ended' && s.attempt?.link === link;
  }
}
