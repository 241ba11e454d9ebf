/**
 * `npm run bench`, faults: the app's real session in Node against the real server (loopback).
 *
 * - Drop: for each dialect, two LibriVox sentences dictated at real time, every connection killed
 *   mid-way through the second. Audio lost is counted at the server: each captured 20 ms frame carries
 *   its index in its first two samples, and the server's tap collects the indices that reached a
 *   recognizer. Also: ms from the drop until streaming again.
 * - Stall: a server that accepts and then stops reading, for 60 s of audio; the session's memory.
 */
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { WebSocketServer } from 'ws';
import { FRAME_SAMPLES } from '../src/core/frames';
import { createDictateServer } from '../server/app';
import type { SpeechEngine } from '../server/engine/engine';
import { dictate } from '../server/test-session';
import { concatSamples, twoSentences } from '../e2e/support/audio';
import { FIXTURES_DIR } from '../e2e/support/fixtures';
import { readWav } from '../e2e/support/wav';

/** Writes each frame's index + 1 into its first two samples (15 bits each). */
function tagFrames(samples: Int16Array): number {
  const frames = Math.ceil(samples.length / FRAME_SAMPLES);
  for (let f = 0; f < frames; f++) {
    const tag = f + 1;
    samples[f * FRAME_SAMPLES] = tag & 0x7fff;
    samples[f * FRAME_SAMPLES + 1] = tag >> 15;
  }
  return frames;
}

async function listen(server: Server): Promise<string> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return `ws://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

export async function benchDrop(engine: SpeechEngine) {
  const received = new Set<number>();
  const server = createDictateServer({
    engine,
    faults: true,
    log: () => undefined,
    tap: (_connection, samples) => {
      if (samples.length % FRAME_SAMPLES !== 0) return;
      for (let i = 0; i < samples.length; i += FRAME_SAMPLES) {
        const tag = samples[i] + (samples[i + 1] << 15);
        if (tag > 0) received.add(tag - 1);
      }
    },
  });
  const base = await listen(server);
  const results = [];
  try {
    for (const provider of ['local-voicerun', 'local-reson8', 'local-speechall']) {
      const { samples: audio, midSecond } = twoSentences();
      const frames = tagFrames(audio);
      received.clear();
      const run = await dictate(base, provider, audio, {
        intervalMs: 20,
        dropAtFrame: midSecond,
        reconnect: {},
      });
      let delivered = 0;
      for (let f = 0; f < frames; f++) if (received.has(f)) delivered++;
      results.push({
        provider,
        capturedFrames: frames,
        lostFrames: frames - delivered,
        lostMs: (frames - delivered) * 20,
        dropToStreamingMs: run.recoveryMs,
        error: run.error,
      });
    }
  } finally {
    server.close();
  }
  return results;
}

export async function benchStall(seconds = 60) {
  // Accepts the upgrade, then never reads again: the client's socket buffers fill, then its own.
  const stall = new WebSocketServer({ port: 0, host: '127.0.0.1' });
  stall.on('connection', (ws) => {
    ws.on('error', () => undefined);
    (ws as unknown as { _socket: { pause(): void } })._socket.pause();
  });
  await new Promise<void>((resolve) => stall.once('listening', resolve));
  const url = `ws://127.0.0.1:${(stall.address() as AddressInfo).port}/v1/speech-to-text/realtime`;
  const audio = concatSamples(
    Array.from({ length: seconds / 3 }, () => readWav(join(FIXTURES_DIR, 'sense_and_sensibility_01_austen_64kb-0880.wav')).samples),
  );
  const used = () => {
    const m = process.memoryUsage();
    return m.heapUsed + m.arrayBuffers;
  };
  global.gc?.();
  const before = used();
  let peak = before;
  // Live memory: collected first, so garbage waiting for the collector does not count.
  const sampler = setInterval(() => {
    global.gc?.();
    peak = Math.max(peak, used());
  }, 500);
  // 60 s of audio at 4× real time; the run is stopped when the clip has played (the stall never answers).
  const run = await dictate('ws://127.0.0.1:1', 'local-reson8', audio, {
    intervalMs: 5,
    url,
    reconnect: { baseDelayMs: 200 },
    abandon: true,
  });
  clearInterval(sampler);
  stall.close();
  return {
    audioSeconds: seconds,
    peakExtraMiB: Number(((peak - before) / 2 ** 20).toFixed(2)),
    journalBoundMiB: Number(((120 * 16_000 * 2) / 2 ** 20).toFixed(2)),
    statuses: [...new Set(run.statuses)],
  };
}
