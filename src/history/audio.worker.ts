/**
 * Web Worker: runs' audio encoded (Opus through WebCodecs, else PCM16) and written to IndexedDB in
 * chunks, off the main thread (docs/protocols.md, "Keeping audio"). Protocol: `audio-keeper.ts`.
 */
import type { RunAudioWriter } from '../core/kept-audio';
import { openRunWriter, type AudioWorkerRequest, type AudioWorkerResponse } from './audio-keeper';
import { openHistory } from './db';

const scope = self as unknown as {
  onmessage: ((e: MessageEvent<AudioWorkerRequest>) => void) | null;
  postMessage(m: AudioWorkerResponse): void;
};

const sink = openHistory().then((h) => h.audioSink);
const runs = new Map<number, RunAudioWriter>();

scope.onmessage = ({ data }) => {
  const { run } = data;
  if (data.type === 'open') {
    const failed = (cause: unknown) => {
      const error = cause instanceof Error || cause instanceof DOMException ? cause : new Error(String(cause));
      scope.postMessage({ type: 'failed', run, name: error.name, message: error.message });
    };
    runs.set(run, openRunWriter(sink, data.request, failed));
    return;
  }
  const writer = runs.get(run);
  if (!writer) return;
  if (data.type === 'frame') writer.frame(data.pcm);
  else {
    runs.delete(run);
    void writer.close().then(() => scope.postMessage({ type: 'closed', run }));
  }
};
