/**
 * A second engine for tests, loaded as a module through `DICTATE_ENGINE` (server/engine/module.ts): it
 * hears loud and quiet stretches and names each utterance by its length, so a test sees which engine
 * answered. Not a recogniser: it exists to show that dialects serve any {@link SpeechEngine}, and that the
 * engine-agnostic {@link ChunkQueue} serves a second engine (20 ms chunks, one at a time, backpressure).
 */
import { ChunkQueue } from './engine/chunk-queue';
import type { EngineModuleOptions } from './engine/module';
import type { Recognizer, RecognizerEvents, SpeechEngine } from './engine/engine';

const LOUD = 2000;
/** Quiet this long ends an utterance, samples (300 ms). */
const QUIET_END = 4800;

export function createEngine(options: EngineModuleOptions): SpeechEngine {
  return {
    health: () => ({ ready: true, name: `loudness engine (up to ${options.maxSessions} sessions)` }),
    open(events: RecognizerEvents): Promise<Recognizer> {
      let at = 0;
      let start: number | null = null;
      let quiet = 0;
      const end = () => {
        if (start === null) return;
        const durationMs = Math.round(((at - quiet - start) / 16000) * 1000);
        events.final({ text: `loud for ${durationMs} ms`, startMs: Math.round((start / 16000) * 1000), durationMs, words: [] });
        events.speechStopped();
        start = null;
      };
      const queue = new ChunkQueue({
        chunkSamples: 320,
        highWaterSamples: 10 * 16_000,
        lowWaterSamples: 2 * 16_000,
        decode(samples) {
          for (const s of samples) {
            at++;
            if (Math.abs(s) >= LOUD) {
              if (start === null) {
                start = at - 1;
                events.speechStarted();
              }
              quiet = 0;
            } else if (start !== null && ++quiet >= QUIET_END) end();
          }
          return Promise.resolve();
        },
        backpressure: (paused) => events.backpressure(paused),
        error: (cause) => events.error(cause),
      });
      return Promise.resolve({
        write: (samples) => queue.write(samples),
        finish() {
          queue.flush();
          return queue.after(() => Promise.resolve(end()));
        },
        close() {
          queue.clear();
          return queue.idle();
        },
      });
    },
  };
}
