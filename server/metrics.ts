/**
 * What an operator scrapes (`GET /metrics`, the Prometheus text format, through `prom-client`): sessions
 * open, refused and allowed, connections closed by code, idle decoders, each stream's real-time factor, and how soon after its audio arrived
 * each final left the engine, per dialect (with the process's own: CPU, memory, event-loop lag). One registry per server, so two servers in one process (the tests) keep
 * their own counts. Labels are bounded: dialect names, close codes and refusal reasons, never a client's
 * address, a key or words.
 */
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { EngineHealth } from './engine/engine';

/** A dialect as metrics name it. */
export type DialectName = 'voicerun' | 'reson8' | 'speechall';

/** Why a session was refused before it began. */
export type RefusalReason = 'busy' | 'unauthorized' | 'forbidden' | 'bad_request' | 'not_found' | 'shutting_down' | 'unavailable';

export interface ServerMetrics {
  readonly registry: Registry;
  /** A session began (its socket opened and a dialect took it). */
  sessionOpened(dialect: DialectName): void;
  /** A session's socket closed with `code`. */
  sessionClosed(dialect: DialectName, code: number): void;
  /** A session was refused before it began. */
  refused(reason: RefusalReason, dialect?: DialectName): void;
  /** A final left the engine `lagSeconds` after the audio it covers had arrived. */
  finalLag(dialect: DialectName, lagSeconds: number): void;
  /** A stream ended after `audioSeconds` of audio that took `decodeSeconds` (wall time) to decode. */
  streamDecoded(dialect: DialectName, decodeSeconds: number, audioSeconds: number): void;
}

/**
 * The server's metrics.
 * @param engine - the engine's health, read at each scrape: its idle decoders and its open streams by
 *   decoder profile, where it says them
 * @param maxSessions - the session cap (beyond it, close 1013)
 */
export function createMetrics(engine: () => EngineHealth = () => ({ ready: false, reason: '' }), maxSessions?: number): ServerMetrics {
  const registry = new Registry();
  // The process's own (dictate_process_cpu_seconds_total, dictate_process_resident_memory_bytes, dictate_nodejs_eventloop_lag_seconds…).
  collectDefaultMetrics({ register: registry, prefix: 'dictate_' });
  const active = new Gauge({
    name: 'dictate_sessions_active',
    help: 'Sessions open now, by dialect.',
    labelNames: ['dialect'],
    registers: [registry],
  });
  const opened = new Counter({
    name: 'dictate_sessions_total',
    help: 'Sessions begun, by dialect.',
    labelNames: ['dialect'],
    registers: [registry],
  });
  const refusedTotal = new Counter({
    name: 'dictate_sessions_refused_total',
    help: 'Sessions refused before they began, by reason (busy is the session cap, close 1013) and dialect.',
    labelNames: ['reason', 'dialect'],
    registers: [registry],
  });
  const closes = new Counter({
    name: 'dictate_connection_closes_total',
    help: 'Session sockets closed, by dialect and WebSocket close code.',
    labelNames: ['dialect', 'code'],
    registers: [registry],
  });
  const lag = new Histogram({
    name: 'dictate_final_lag_seconds',
    help: 'From the arrival of the audio a final covers to the final leaving the engine, seconds, by dialect.',
    labelNames: ['dialect'],
    buckets: [0.05, 0.1, 0.2, 0.3, 0.5, 0.75, 1, 1.5, 2, 3, 5, 10],
    registers: [registry],
  });
  const rtf = new Histogram({
    name: 'dictate_real_time_factor',
    help: 'Per stream (at least 1 s of audio): decode wall time over audio duration, by dialect; above 1 the engine falls behind.',
    labelNames: ['dialect'],
    buckets: [0.05, 0.1, 0.15, 0.2, 0.3, 0.5, 0.75, 1, 1.5, 2],
    registers: [registry],
  });
  if (maxSessions !== undefined)
    new Gauge({ name: 'dictate_sessions_max', help: 'The session cap: one more is closed with 1013.', registers: [registry] }).set(
      maxSessions,
    );
  new Gauge({
    name: 'dictate_decoders_idle',
    help: 'Decoders loaded and waiting for a session (the pool the engine keeps between sessions).',
    registers: [registry],
    collect() {
      const health = engine();
      if (health.ready && health.idleDecoders !== undefined) this.set(health.idleDecoders);
    },
  });
  new Gauge({
    name: 'dictate_decoder_streams',
    help: 'Streams open now by decoder profile (PocketSphinx: two-pass for the first sessions, one-pass beyond them).',
    labelNames: ['profile'],
    registers: [registry],
    collect() {
      const health = engine();
      if (health.ready) for (const [profile, n] of Object.entries(health.streams ?? {})) this.set({ profile }, n);
    },
  });
  return {
    registry,
    sessionOpened(dialect) {
      active.inc({ dialect });
      opened.inc({ dialect });
    },
    sessionClosed(dialect, code) {
      active.dec({ dialect });
      closes.inc({ dialect, code: String(code) });
    },
    refused(reason, dialect) {
      refusedTotal.inc({ reason, dialect: dialect ?? 'none' });
    },
    finalLag(dialect, lagSeconds) {
      lag.observe({ dialect }, Math.max(0, lagSeconds));
    },
    streamDecoded(dialect, decodeSeconds, audioSeconds) {
      // A second of audio at least: a few chunks say nothing of the rate.
      if (audioSeconds >= 1) rtf.observe({ dialect }, decodeSeconds / audioSeconds);
    },
  };
}
