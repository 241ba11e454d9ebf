/**
 * One connection attempt: a fresh token when the provider has a Token URL, the protocol (its adapter
 * loads on first use), the transport, and the handshake timer. Events of an attempt that was replaced
 * or abandoned are never delivered (the stale-event guard): the session sees only its current one.
 */
import { DictationError } from '../core/errors';
import type { StreamingProtocol, WireMessage } from '../protocol/adapter';
import { serverLabel, type SessionSettings } from '../protocol/settings';
import type { SessionDeps, Timers } from './api';
import { badSettings, tokenFailed } from './errors';
import { createProtocol as defaultCreateProtocol } from './protocol-factory';
import { fetchToken } from './token';
import type { Transport } from './transport';
import { Watchdog } from './watchdog';

/** A connection that was made (its socket may not be open yet), with what replay and finishing track on it. */
export interface Link {
  readonly transport: Transport;
  readonly protocol: StreamingProtocol;
  /** Journal index of this connection's stream time 0. */
  base: number;
  /** Next journal index to send. */
  cursor: number;
  /** Whether `protocol.finish()` was sent on this link. */
  finishSent: boolean;
  /** Whether a final arrived after `finish()` was sent. */
  finalAfterFinish: boolean;
  /** The acknowledged point when this connection became ready: its finals up to there repeat the context. */
  acknowledgedAtStart: number;
  /** True on a reconnect until a final brings new words: repeated words are dropped (see replay.ts). */
  stitching: boolean;
  /** When a speech frame was first sent after the service's last message, ms (null: none since). */
  speechSentAt: number | null;
  readonly watchdog: Watchdog;
}

/** What an attempt reports, only while it is current. */
export interface LinkEvents {
  opened(link: Link): void;
  message(link: Link, data: WireMessage): void;
  closed(link: Link, code: number, reason: string, opened: boolean): void;
  /** The service was not ready within the handshake timeout (ms). */
  handshakeTimedOut(link: Link, ms: number): void;
  /** No connection could be made: the token could not be fetched, or the settings cannot form a connection. */
  failed(error: DictationError, cause: 'token' | 'settings'): void;
  /** Which endpoint this attempt connects to, once the protocol says (before `opened`). */
  endpoint(endpoint: Endpoint): void;
}

/** What the endpoint is, for messages: never the URL itself, whose query may hold a key. */
export interface Endpoint {
  /** A name safe to show (the host). */
  readonly server: string;
  /** The URL (may carry a key in its query: never shown or logged). */
  readonly url: string;
  /** The key or token of this connection, removed from anything the service says. */
  readonly secret: string;
  readonly reportsVad: boolean;
  readonly refusalHint?: string;
}

/** One attempt to connect. */
export class LinkAttempt {
  link: Link | null = null;
  /** True once the socket has closed (or the attempt closed it): it is not closed again. */
  closed = false;
  private current = true;
  private handshake: unknown = undefined;

  constructor(
    private readonly settings: SessionSettings,
    private readonly deps: SessionDeps,
    private readonly timers: Timers,
    private readonly now: () => number,
    private readonly events: LinkEvents,
  ) {}

  /** Starts: the token first when there is a Token URL, else the stored key. */
  start(): void {
    const tokenUrl = this.settings.profile.tokenUrl?.trim();
    if (!tokenUrl) return this.connectWith(this.settings.apiKey);
    (this.deps.fetchToken ?? fetchToken)(tokenUrl).then(
      (token) => this.current && this.connectWith(token),
      (cause: unknown) => {
        if (this.current) this.events.failed(tokenFailed(tokenUrl, cause instanceof Error ? cause.message : 'No answer.'), 'token');
      },
    );
  }

  /** The service is ready: the handshake timer stops. */
  ready(): void {
    this.timers.clearTimeout(this.handshake);
  }

  /** No more events from this attempt (the transport is left as it is). */
  dispose(): void {
    this.current = false;
    this.timers.clearTimeout(this.handshake);
  }

  /** Disposes of the attempt and closes its socket with `code`. */
  close(code: number, reason: string): void {
    this.dispose();
    if (!this.closed) this.link?.transport.close(code, reason);
    this.closed = true;
  }

  private connectWith(credential: string): void {
    // A DictationError says itself (an adapter that could not load); anything else is in the settings.
    const invalid = (cause: unknown) => {
      if (!this.current) return;
      const error =
        cause instanceof DictationError
          ? cause
          : badSettings(cause instanceof Error ? cause.message : 'The connection settings are not valid.');
      this.events.failed(error, 'settings');
    };
    let made: StreamingProtocol | Promise<StreamingProtocol>;
    try {
      made = (this.deps.createProtocol ?? defaultCreateProtocol)({ ...this.settings, apiKey: credential }, this.deps.location);
    } catch (cause) {
      return invalid(cause);
    }
    // A protocol made at once (tests) connects at once; a loading one when it is there.
    if (!(made instanceof Promise)) return this.connectProtocol(made, credential, invalid);
    made.then((protocol) => this.current && this.connectProtocol(protocol, credential, invalid), invalid);
  }

  private connectProtocol(protocol: StreamingProtocol, secret: string, invalid: (cause: unknown) => void): void {
    let link: Link;
    try {
      const request = protocol.connection();
      this.events.endpoint({
        server: serverLabel(request.url),
        url: request.url,
        secret,
        reportsVad: protocol.reportsVad,
        ...(protocol.refusalHint !== undefined ? { refusalHint: protocol.refusalHint } : {}),
      });
      const live = () => (this.current ? link : null);
      const transport = this.deps.connect(request, {
        open: () => {
          const l = live();
          if (l) this.events.opened(l);
        },
        message: (data) => {
          const l = live();
          if (l) this.events.message(l, data);
        },
        close: (code, reason, opened) => {
          const l = live();
          if (!l) return;
          this.closed = true;
          this.timers.clearTimeout(this.handshake);
          this.events.closed(l, code, reason, opened);
        },
      });
      link = {
        transport,
        protocol,
        base: 0,
        cursor: 0,
        finishSent: false,
        finalAfterFinish: false,
        acknowledgedAtStart: 0,
        stitching: false,
        speechSentAt: null,
        watchdog: new Watchdog(this.now()),
      };
      this.link = link;
    } catch (cause) {
      return invalid(cause);
    }
    const ms = this.deps.handshakeTimeoutMs ?? 10_000;
    this.handshake = this.timers.setTimeout(() => this.current && this.events.handshakeTimedOut(link, ms), ms);
  }
}
