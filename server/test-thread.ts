/**
 * A decoder thread for `engine/threaded.test.ts`: the loudness engine of `test-engine.ts`, hosted as the
 * PocketSphinx threads are. A stream whose vocabulary is the single term `exit` ends this thread 50 ms
 * after it opens (a thread that dies with streams on it).
 */
import { hostEngine } from './engine/thread-host';
import { createEngine } from './test-engine';

const engine = createEngine({ maxSessions: 4 });
hostEngine({
  loudness: {
    health: () => engine.health(),
    async open(events, options) {
      const recognizer = await engine.open(events, options);
      if (options?.vocabulary?.[0]?.text === 'exit') setTimeout(() => process.exit(3), 50);
      return recognizer;
    },
  },
});
