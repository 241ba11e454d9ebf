/**
 * The messages between the server's event loop and a decoder thread (`threaded.ts` ↔ `thread-host.ts`).
 * Each stream has an id the main thread chooses; a reply names the stream (and, for a request that
 * waits for one, the request's own `seq`).
 */
import type { RecognizerOptions, Utterance } from './engine';

/** Main thread → decoder thread. */
export type ToThread =
  /** `profile`: which of the thread's engines (`hostEngine`'s keys) opens the stream. */
  | { readonly op: 'open'; readonly id: number; readonly profile: string; readonly options: RecognizerOptions }
  /** PCM16 at 16 kHz, in order; the buffer is transferred (the main thread keeps no view of it). */
  | { readonly op: 'write'; readonly id: number; readonly samples: Int16Array }
  | { readonly op: 'finish'; readonly id: number; readonly seq: number }
  | { readonly op: 'close'; readonly id: number; readonly seq: number };

/** Decoder thread → main thread. */
export type FromThread =
  | { readonly ev: 'opened'; readonly id: number }
  | { readonly ev: 'open-failed'; readonly id: number; readonly message: string }
  | { readonly ev: 'speechStarted'; readonly id: number }
  | { readonly ev: 'partial'; readonly id: number; readonly text: string }
  | { readonly ev: 'final'; readonly id: number; readonly utterance: Utterance }
  | { readonly ev: 'speechStopped'; readonly id: number }
  | { readonly ev: 'error'; readonly id: number; readonly message: string }
  | { readonly ev: 'backpressure'; readonly id: number; readonly paused: boolean }
  /** A `finish` or `close` request is done; `close` carries the stream's decode time. */
  | {
      readonly ev: 'done';
      readonly id: number;
      readonly seq: number;
      readonly decodeTime?: { readonly decodeMs: number; readonly audioMs: number };
    }
  /** Decoders loaded and free on this thread, after any change. */
  | { readonly ev: 'idle'; readonly decoders: number }
  /** A line for the server's log (never user text). */
  | { readonly ev: 'report'; readonly message: string };
