/**
 * PocketSphinx run directly on PCM (no browser, no socket): the baseline the browser pipeline is
 * compared with, and the engine benchmark.
 */
import { performance } from 'node:perf_hooks';
import type { SpeechEngine } from '../../server/engine/engine';

export interface DirectResult {
  /** Final utterances, space-joined. */
  readonly text: string;
  /** Partials emitted. */
  readonly partials: number;
  /** Wall time to decode, ms (model loading excluded). */
  readonly decodeMs: number;
  /** Audio duration, ms. */
  readonly audioMs: number;
}

/**
 * Streams 16 kHz PCM16 through a fresh recognizer in 20 ms writes, as fast as it decodes, then
 * finishes the utterance in progress.
 */
export async function transcribeDirect(engine: SpeechEngine, samples: Int16Array): Promise<DirectResult> {
  const finals: string[] = [];
  let partials = 0;
  const failures: Error[] = [];
  const recognizer = await engine.open({
    speechStarted() {},
    partial() {
      partials++;
    },
    final({ text }) {
      if (text) finals.push(text);
    },
    speechStopped() {},
    backpressure() {}, // every write is queued; the recognizer decodes them all before `finish` resolves
    error(cause) {
      failures.push(cause); // reported below: throwing here would escape from a native callback
    },
  });
  const start = performance.now();
  for (let i = 0; i < samples.length; i += 320) recognizer.write(samples.slice(i, i + 320));
  await recognizer.finish();
  const decodeMs = performance.now() - start;
  await recognizer.close();
  if (failures[0]) throw failures[0];
  return { text: finals.join(' '), partials, decodeMs, audioMs: (samples.length / 16000) * 1000 };
}
