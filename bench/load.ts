/**
 * The capacity benchmark's load generator, a process of its own so that the server's CPU is the
 * server's: `tsx bench/load.ts <ws base> <sessions> [spread ms]` opens that many Reson8 sessions, each
 * sending the two fixture sentences (with their pauses) in 20 ms frames paced by the wall clock, then
 * a flush. With a spread, session i of n starts i × spread / n ms after the first, as independent
 * users do; without one, all start together and speak in unison (every utterance ends at the same
 * moment in every session: the worst case). It prints one JSON line: every final's lag (its arrival
 * minus when the last sample it covers was sent, ms), the finals counted, and the sessions that failed.
 */
import WebSocket from 'ws';
import { twoSentences } from '../e2e/support/audio';

const FRAME = 320;

interface SessionResult {
  lags: number[];
  error?: string;
}

function session(base: string, samples: Int16Array): Promise<SessionResult> {
  const lags: number[] = [];
  const url = `${base}/v1/speech-to-text/realtime?encoding=pcm_s16le&sample_rate=16000&channels=1&include_timestamps=true`;
  const ws = new WebSocket(url);
  return new Promise((resolve) => {
    let t0 = 0;
    let timer: NodeJS.Timeout | undefined;
    const done = (error?: string) => {
      clearTimeout(timer);
      ws.terminate();
      resolve(error ? { lags, error } : { lags });
    };
    ws.on('error', (e) => done(e.message));
    ws.on('close', (code, reason) => done(`closed ${code} ${reason.toString()}`));
    ws.on('message', (data, isBinary) => {
      if (isBinary) return;
      const m = JSON.parse(Buffer.from(data as Buffer).toString('utf8')) as {
        type: string;
        start_ms?: number;
        duration_ms?: number;
      };
      if (m.type === 'transcript' && m.start_ms !== undefined) lags.push(performance.now() - (t0 + m.start_ms + (m.duration_ms ?? 0)));
      if (m.type === 'flush_confirmation') done();
    });
    ws.on('open', () => {
      t0 = performance.now();
      let next = 0;
      const frames = Math.ceil(samples.length / FRAME);
      // Each frame leaves when its audio would have been spoken: a late timer catches up, never drifts.
      const tick = () => {
        const due = Math.floor((performance.now() - t0) / 20) + 1;
        while (next < Math.min(due, frames)) {
          ws.send(samples.subarray(next * FRAME, (next + 1) * FRAME));
          next++;
        }
        if (next >= frames) ws.send(JSON.stringify({ type: 'flush_request', id: 'end' }));
        else timer = setTimeout(tick, t0 + next * 20 - performance.now());
      };
      tick();
    });
  });
}

const [base, count, spreadMs] = [process.argv[2], Number(process.argv[3] ?? 1), Number(process.argv[4] ?? 0)];
const { samples } = twoSentences();
const results = await Promise.all(
  Array.from(
    { length: count },
    (_, i) => new Promise<SessionResult>((resolve) => setTimeout(() => resolve(session(base, samples)), (i * spreadMs) / count)),
  ),
);
console.log(
  JSON.stringify({
    lags: results.flatMap((r) => r.lags),
    errors: results.flatMap((r) => (r.error ? [r.error] : [])),
  }),
);
