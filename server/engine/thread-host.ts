/**
 * The decoder thread's side of a threaded engine (`threaded.ts`): it runs an ordinary
 * {@link SpeechEngine} on this worker thread and serves its recognizers to the main thread by message
 * (`thread-protocol.ts`). The engine's calls may block this thread: that is what it is for; the
 * server's event loop never waits on them.
 */
import { parentPort, workerData } from 'node:worker_threads';
import type { Recognizer, RecognizerEvents, SpeechEngine } from './engine';
import type { FromThread, ToThread } from './thread-protocol';

/** What the main thread handed this thread (`ThreadedEngineOptions.workerData`). */
export function threadData<T>(): T {
  return (workerData as { data: T }).data;
}

/** Sends a line to the server's log (never user text). */
export function reportToServer(message: string): void {
  parentPort?.postMessage({ ev: 'report', message } satisfies FromThread);
}

const messageOf = (cause: unknown) => (cause instanceof Error ? cause.message : String(cause));

/**
 * Serves engines to the thread that started this one, each under its profile's name.
 * @param engines - the engines, built on this thread, by profile (a stream names the one it wants)
 * @param idleDecoders - decoders loaded and free (reported after every open and close)
 * @throws Error if not called on a worker thread
 */
export function hostEngine(engines: Readonly<Record<string, SpeechEngine>>, idleDecoders: () => number = () => 0): void {
  const port = parentPort;
  if (!port) throw new Error('hostEngine runs on a worker thread.');
  const post = (message: FromThread) => port.postMessage(message);
  const streams = new Map<number, Promise<Recognizer | null>>();
  let lastIdle = -1;
  const reportIdle = () => {
    const decoders = idleDecoders();
    if (decoders !== lastIdle) post({ ev: 'idle', decoders });
    lastIdle = decoders;
  };

  const eventsFor = (id: number): RecognizerEvents => ({
    speechStarted: () => post({ ev: 'speechStarted', id }),
    partial: (text) => post({ ev: 'partial', id, text }),
    final: (utterance) => post({ ev: 'final', id, utterance }),
    speechStopped: () => post({ ev: 'speechStopped', id }),
    error: (error) => post({ ev: 'error', id, message: error.message }),
    backpressure: (paused) => post({ ev: 'backpressure', id, paused }),
  });

  port.on('message', (message: ToThread) => {
    switch (message.op) {
      case 'open': {
        const engine = engines[message.profile] as SpeechEngine | undefined;
        const opening = (
          engine ? engine.open(eventsFor(message.id), message.options) : Promise.reject(new Error(`No engine for ${message.profile}.`))
        ).then(
          (recognizer) => {
            post({ ev: 'opened', id: message.id });
            reportIdle();
            return recognizer;
          },
          (cause: unknown) => {
            streams.delete(message.id);
            post({ ev: 'open-failed', id: message.id, message: messageOf(cause) });
            return null;
          },
        );
        streams.set(message.id, opening);
        return;
      }
      case 'write':
        void streams.get(message.id)?.then((r) => r?.write(message.samples));
        return;
      case 'finish': {
        const { id, seq } = message;
        void (streams.get(id) ?? Promise.resolve(null))
          .then((r) => r?.finish())
          .catch((cause: unknown) => post({ ev: 'error', id, message: messageOf(cause) }))
          .finally(() => post({ ev: 'done', id, seq }));
        return;
      }
      case 'close': {
        const { id, seq } = message;
        const stream = streams.get(id) ?? Promise.resolve(null);
        streams.delete(id);
        void stream.then(async (r) => {
          await r?.close().catch(() => undefined); // closing cannot be retried; the decoder is freed either way
          reportIdle(); // before `done`: whoever waited for the close sees the decoder back in the pool
          post({ ev: 'done', id, seq, decodeTime: r?.decodeTime?.() });
        });
        return;
      }
    }
  });
}
