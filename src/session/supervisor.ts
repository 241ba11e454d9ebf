/**
 * The connection side of a run (docs/protocols.md, "Reconnecting"): what each event of the current
 * link means, when a connection is replaced or given up, and the watchdog. It reports to the run
 * through {@link RunHooks}: a link that is ready, a final, the end.
 */
import type { DictationError } from '../core/errors';
import type { FinalResult, ProtocolError, TranscriptEvent } from '../core/events';
import type { ProtocolStep } from '../protocol/adapter';
import type { SessionSettings } from '../protocol/settings';
import type { SessionDeps, SessionSink, Timers } from './api';
import * as say from './errors';
import { LinkAttempt, type Endpoint, type Link, type LinkEvents } from './link';
import { fullJitterBackoff, Reconnects } from './reconnect-policy';
import type { Outcome, Owned, ReadyState, RunMachine } from './run-state';

/** How often the watchdog looks, ms. */
const WATCH_MS = 1000;

/** What the supervisor needs of the run it serves. */
export interface RunHooks {
  readonly machine: RunMachine;
  readonly sink: SessionSink;
  /** Whether the user asked to stop. */
  stopRequested(): boolean;
  /** The current link's service is ready: replay, then stream or finish. */
  ready(link: Link): void;
  /** A final from the current link. */
  final(link: Link, event: FinalResult): void;
  /** The one way a run ends. */
  end(outcome: Outcome): void;
}

/** The connections of one run. */
export class Supervisor implements LinkEvents {
  readonly reconnects: Reconnects;
  private endpointSeen: Endpoint | null = null;
  private slow = false;

  /** @param local whether the provider is the local engine (a refusal then asks whether it runs) */
  constructor(
    private readonly settings: SessionSettings,
    private readonly deps: SessionDeps,
    private readonly timers: Timers,
    private readonly now: () => number,
    private readonly local: boolean,
    private readonly run: RunHooks,
  ) {
    this.reconnects = new Reconnects(deps.reconnectPolicy ?? fullJitterBackoff(deps.reconnect, deps.random));
  }

  /** Whether the service reports voice activity itself (until a connection says, it is assumed to). */
  get reportsVad(): boolean {
    return this.endpointSeen?.reportsVad ?? true;
  }

  get server(): string {
    return this.endpointSeen?.server ?? 'the transcription server';
  }

  /** A new connection attempt, the first or a reconnect. */
  connect(): void {
    const s = this.run.machine.state;
    if (s.kind !== 'connecting' && s.kind !== 'reconnecting') return;
    const attempt = new LinkAttempt(this.settings, this.deps, this.timers, this.now, this);
    this.run.machine.transition({ kind: s.kind, attempt, owned: {} });
    attempt.start();
  }

  endpoint(endpoint: Endpoint): void {
    this.endpointSeen = endpoint;
  }

  opened(link: Link): void {
    this.apply(link, link.protocol.open());
  }

  failed(error: DictationError, cause: 'token' | 'settings'): void {
    if (cause === 'token' && this.reconnects.everConnected) {
      this.run.sink.notice(error);
      return this.reconnect(false);
    }
    this.run.end({ kind: 'failed', error });
  }

  handshakeTimedOut(link: Link, ms: number): void {
    if (this.run.machine.ready() || !this.run.machine.isCurrent(link)) return;
    if (!this.reconnects.everConnected)
      return this.run.end({ kind: 'failed', error: say.handshakeTimeout(this.server, Math.round(ms / 1000)) });
    this.drop(link, 4000, 'Handshake timed out');
  }

  setSlow(slow: boolean): void {
    if (slow === this.slow) return;
    this.slow = slow;
    this.run.sink.network(slow);
  }

  message(link: Link, data: string | ArrayBuffer): void {
    link.speechSentAt = null;
    const s = this.run.machine.state;
    if (s.kind === 'finishing' && s.finishing) s.finishing.heard();
    this.apply(link, link.protocol.receive(data));
  }

  apply(link: Link, step: ProtocolStep): void {
    for (const message of step.send) link.transport.send(message);
    for (const event of step.events) {
      if (!this.run.machine.isCurrent(link)) return;
      this.onEvent(link, event);
    }
  }

  private onEvent(link: Link, event: TranscriptEvent): void {
    switch (event.type) {
      case 'ready':
        return this.run.ready(link);
      case 'finished':
        if (!this.run.stopRequested()) this.run.sink.notice(say.serverEnded(this.server));
        return this.run.end({ kind: 'completed' });
      case 'error':
        return this.onProtocolError(link, event.error);
      case 'final': {
        this.reconnects.answered(); // the service answers what it hears: later drops start counting anew
        return this.run.final(link, event);
      }
      default:
        this.reconnects.answered();
        this.run.sink.transcript(event);
    }
  }

  private onProtocolError(link: Link, error: ProtocolError): void {
    const user = say.protocolErrorToUser(error, this.server, this.endpointSeen?.secret ?? '');
    if (!error.fatal) {
      if (error.code === 'unknown-message') console.warn(`Dictate: ${error.message}`);
      else this.run.sink.notice(user);
      return;
    }
    if (error.retryable) return this.drop(link, 4000, 'Retrying');
    this.run.end({ kind: 'failed', error: user });
  }

  closed(link: Link, code: number, reason: string, opened: boolean): void {
    if (!opened) return this.reconnect(true);
    const error = link.protocol.describeClose(code, reason);
    if (!error || (this.run.stopRequested() && link.finishSent && code === 1000)) return this.run.end({ kind: 'completed' });
    if (error.retryable) {
      if (code === 1013) this.run.sink.notice(say.serverBusy(this.server, reason.slice(0, 200)));
      return this.reconnect(false);
    }
    this.run.end({ kind: 'failed', error: say.protocolErrorToUser(error, this.server, this.endpointSeen?.secret ?? '') });
  }

  /** Abandons a connection that is dead or must be replaced, and reconnects. */
  private drop(link: Link, code: number, reason: string): void {
    const s = this.run.machine.state;
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
    if (this.run.machine.state.kind === 'ended') return;
    const next = this.reconnects.lost(refused);
    if (!next.retry) {
      if (refused) return void this.refusalError().then((error) => this.run.end({ kind: 'failed', error }));
      return this.run.end({ kind: 'failed', error: say.gaveUp(this.server, next.attempts) });
    }
    this.setSlow(false);
    this.run.sink.reconnecting(next.attempt);
    const owned: Owned = {};
    this.run.machine.transition({ kind: 'reconnecting', attempt: null, owned });
    owned.retry = this.timers.setTimeout(() => this.connect(), next.delayMs);
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
  watch(s: ReadyState): void {
    s.owned.watch = this.timers.setTimeout(() => {
      this.inspect();
      if (this.run.machine.state === s) this.watch(s);
    }, WATCH_MS);
  }

  /** Replaces a connection whose buffer stopped draining, or whose service went silent while hearing speech. */
  inspect(): void {
    const s = this.run.machine.ready();
    if (!s) return;
    const limits = { deadAfterMs: this.deps.deadAfterMs ?? 10_000, replyWithinMs: s.link.protocol.replyWithinMs };
    if (s.link.watchdog.look(s.link.transport.bufferedAmount, s.link.speechSentAt, limits, this.now()))
      this.drop(s.link, 4002, 'Connection went dead');
  }
}
