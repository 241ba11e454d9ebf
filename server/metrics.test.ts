/** `GET /metrics` as an operator scrapes it, after real sessions through the real engine. */
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import WebSocket from 'ws';
import { twoSentences } from '../e2e/support/audio';
import { RESON8_PATH } from '../src/protocol/reson8-contract';
import type { DictateServer } from './app';
import { threadedPocketSphinx } from './engine/pocketsphinx';
import { startTestServer } from './test-server';
import { dictate } from './test-session';

// As `npm start` runs it: decoders on a thread, the first session on the two-pass decoder.
const engine = threadedPocketSphinx({ threads: 1, poolSize: 1, twoPassSessions: 1 });
const { samples } = twoSentences();
/** What the server does after a socket event, on another thread: waited for, with room for a busy machine. */
const WAIT = { timeout: 10_000, interval: 50 };

/** One sample's value from the text format, or undefined. */
function sample(text: string, name: string, labels = ''): number | undefined {
  const line = text.split('\n').find((l) => l.startsWith(`${name}${labels ? `{${labels}}` : ''} `));
  return line === undefined ? undefined : Number(line.split(' ').at(-1));
}

describe('metrics', () => {
  let server: DictateServer;
  let base: string;
  let http: string;
  beforeAll(async () => {
    ({ server, base } = await startTestServer(engine, { maxSessions: 1 }));
    http = base.replace('ws:', 'http:');
  });
  afterAll(async () => {
    server.close();
    await engine.stop();
  });

  it('counts sessions by dialect, closes by code, refusals by reason, final lag, real-time factor, the cap and idle decoders, in the Prometheus text format', async () => {
    const run = await dictate(base, 'local-reson8', samples);
    expect(run.error).toBeNull();
    expect(run.finals.length).toBeGreaterThan(0);

    // Once the server has let the dictation go: a second session while one is open is refused with 1013 (the cap is 1).
    await vi.waitFor(async () => expect(((await (await fetch(`${http}/readyz`)).json()) as { sessions: number }).sessions).toBe(0), {
      timeout: 10_000,
    });
    const first = new WebSocket(`${base}${RESON8_PATH}`);
    first.on('error', () => undefined);
    await new Promise((resolve) => first.on('open', resolve));
    // Its first audio opens its stream, on the two-pass decoder.
    first.send(new Uint8Array(640));
    await vi.waitFor(async () => {
      const during = await (await fetch(`${http}/metrics`)).text();
      expect(sample(during, 'dictate_decoder_streams', 'profile="two-pass"')).toBe(1);
      expect(sample(during, 'dictate_decoder_streams', 'profile="one-pass"')).toBe(0);
    }, WAIT);
    const second = new WebSocket(`${base}${RESON8_PATH}`);
    second.on('error', () => undefined);
    expect(await new Promise((resolve) => second.on('close', resolve))).toBe(1013);
    first.close();
    await new Promise((resolve) => first.on('close', resolve));
    // An endpoint that does not exist.
    const nowhere = new WebSocket(`${base}/v2/nowhere`);
    await new Promise((resolve) => nowhere.on('error', resolve));

    const response = await fetch(`${http}/metrics`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
    const text = await response.text();
    expect(text).toContain('# TYPE dictate_final_lag_seconds histogram');
    expect(sample(text, 'dictate_sessions_total', 'dialect="reson8"')).toBe(2);
    expect(sample(text, 'dictate_sessions_active', 'dialect="reson8"')).toBe(0);
    expect(sample(text, 'dictate_connection_closes_total', 'dialect="reson8",code="1000"')).toBeGreaterThanOrEqual(1);
    expect(sample(text, 'dictate_sessions_refused_total', 'reason="busy",dialect="reson8"')).toBe(1);
    expect(sample(text, 'dictate_sessions_refused_total', 'reason="not_found",dialect="none"')).toBe(1);
    // Every final of the dictation, placed against the arrival of its last sample.
    const finals = run.finals.filter((f) => f.text !== '').length;
    expect(sample(text, 'dictate_final_lag_seconds_count', 'dialect="reson8"')).toBe(finals);
    const lagSum = sample(text, 'dictate_final_lag_seconds_sum', 'dialect="reson8"')!;
    expect(lagSum / finals).toBeGreaterThan(0);
    expect(lagSum / finals).toBeLessThan(10);
    expect(sample(text, 'dictate_sessions_max')).toBe(1);
    // The stream's close reaches its decoder thread by message, and the thread reports its idle decoders back:
    // both arrive after the socket's close, later on a busy machine.
    await vi.waitFor(async () => {
      const now = await (await fetch(`${http}/metrics`)).text();
      expect(sample(now, 'dictate_decoders_idle')).toBe(1);
      expect(sample(now, 'dictate_decoder_streams', 'profile="two-pass"')).toBe(0);
    }, WAIT);
    // The dictation's stream (the two short ones sent no audio): its decode time over its audio, well under real time.
    await vi.waitFor(async () => {
      const now = await (await fetch(`${http}/metrics`)).text();
      expect(sample(now, 'dictate_real_time_factor_count', 'dialect="reson8"')).toBe(1);
      const rtf = sample(now, 'dictate_real_time_factor_sum', 'dialect="reson8"')!;
      expect(rtf).toBeGreaterThan(0);
      expect(rtf).toBeLessThan(1);
    }, WAIT);
    expect(sample(text, 'dictate_process_resident_memory_bytes')).toBeGreaterThan(0);
    expect(text).toContain('# TYPE dictate_nodejs_eventloop_lag_seconds gauge');
  }, 60_000);
});
