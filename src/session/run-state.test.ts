import { describe, expect, it } from 'vitest';
import { ManualClock } from '../test/clock';
import type { SessionSink } from './api';
import type { LinkAttempt } from './link';
import { RunMachine, statusOf } from './run-state';

function machine(stop = { requested: false }) {
  const clock = new ManualClock();
  const statuses: string[] = [];
  const sink = { status: (s: string) => statuses.push(s) } as Pick<SessionSink, 'status'> as SessionSink;
  const entered: string[] = [];
  const m = new RunMachine(
    clock,
    sink,
    () => stop.requested,
    (s) => entered.push(s.kind),
  );
  return { m, clock, statuses, entered, stop };
}

/** An attempt as the machine sees it: something to dispose. */
function attempt() {
  const a = { disposed: 0, link: null, dispose: () => void a.disposed++ };
  return a as typeof a & LinkAttempt;
}

describe('the run state machine', () => {
  it('maps each state to the status the UI shows, Stop turning connecting and reconnecting into "stopping"', () => {
    const owned = {};
    expect(statusOf({ kind: 'connecting', attempt: null, owned }, false)).toBe('connecting');
    expect(statusOf({ kind: 'connecting', attempt: null, owned }, true)).toBe('stopping');
    expect(statusOf({ kind: 'reconnecting', attempt: null, owned }, false)).toBe('reconnecting');
    expect(statusOf({ kind: 'reconnecting', attempt: null, owned }, true)).toBe('stopping');
    expect(statusOf({ kind: 'ended', outcome: { kind: 'completed' } }, false)).toBeNull();
  });

  it('disposes the attempt and timers of the state it leaves, keeps what the next state carries, and reports each status once', () => {
    const { m, clock, statuses, entered } = machine();
    const first = attempt();
    const owned = { retry: clock.setTimeout(() => undefined, 1000) };
    m.transition({ kind: 'connecting', attempt: first, owned });
    m.report();
    expect(statuses).toEqual(['connecting']);
    const link = {} as NonNullable<LinkAttempt['link']>;
    m.transition({ kind: 'streaming', attempt: first, link, owned: {} });
    expect(first.disposed).toBe(0); // carried over
    expect(clock.pending).toBe(0); // the connecting state's timer is gone
    expect(entered).toEqual(['streaming']);
    m.transition({ kind: 'reconnecting', attempt: null, owned: {} });
    expect(first.disposed).toBe(1);
    expect(statuses).toEqual(['connecting', 'recording', 'reconnecting']);
  });

  it('never leaves ended', () => {
    const { m } = machine();
    m.transition({ kind: 'ended', outcome: { kind: 'abandoned' } });
    m.transition({ kind: 'connecting', attempt: null, owned: {} });
    expect(m.state.kind).toBe('ended');
  });
});
