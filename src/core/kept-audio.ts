/**
 * Keeping a session's audio (docs/protocols.md, "Keeping audio"): the 16 kHz PCM16 frames a run sends
 * to the service are handed, as they are captured, to a writer that compresses them off the main
 * thread and stores them in small chunks beside the session's words. Types only: `src/history`
 * implements them, the session calls them.
 */
import type { DictationError } from './errors';

/** Where a run's audio goes in its session. */
export interface KeepAudioRequest {
  /** The session (its History id). */
  readonly sessionId: string;
  /** Where the run starts on the session's time base, ms (the segments' times use the same base). */
  readonly startMs: number;
  /** Keep the frames as they are (PCM16, 115 MB per hour) rather than as Opus (11 MB per hour). */
  readonly lossless?: boolean;
  /** The run's id in storage (random); the keeper sets it when the caller does not. */
  readonly runId?: string;
}

/** One run's audio, being written. */
export interface RunAudioWriter {
  /** One 20 ms frame: PCM16 little-endian mono at 16 kHz, 640 bytes (copied; the caller keeps it). */
  frame(pcm: ArrayBuffer): void;
  /** Writes what is left; resolves once it is stored (never rejects: failures go to `onError`). */
  close(): Promise<void>;
  /**
   * Frames `[from, to)` of this run (0 is its first frame) read back from storage, decoded to PCM16
   * (640 bytes each): the replay after a long outage reads what the journal no longer holds. Resolves
   * with fewer frames (possibly none) when some were never stored.
   */
  read?(from: number, to: number): Promise<ArrayBuffer[]>;
}

/** Opens a writer per run. */
export interface AudioKeeper {
  /**
   * @param onError - told once when audio stops being kept (storage full or refused), with what to do;
   *   the run and its words go on
   */
  open(request: KeepAudioRequest, onError: (error: DictationError) => void): RunAudioWriter;
}

/**
 * A keeper whose code loads at the first run: frames wait, in order, until it has.
 * @param load - imports the real keeper; if it fails, `onError` of the run hears it and nothing is kept
 */
export function lazyAudioKeeper(load: () => Promise<AudioKeeper>, failed: (cause: unknown) => DictationError): AudioKeeper {
  let loading: Promise<AudioKeeper> | null = null;
  return {
    open(request, onError) {
      loading ??= load();
      let writer: RunAudioWriter | null = null;
      let waiting: ArrayBuffer[] | null = [];
      const ready = loading.then(
        (keeper) => {
          writer = keeper.open(request, onError);
          for (const pcm of waiting ?? []) writer.frame(pcm);
          waiting = null;
          return writer;
        },
        (cause: unknown) => {
          waiting = null;
          onError(failed(cause));
          return null;
        },
      );
      return {
        frame(pcm) {
          if (writer) writer.frame(pcm);
          else waiting?.push(pcm.slice(0));
        },
        close: () => ready.then((w) => w?.close()),
        read: (from, to) => ready.then((w) => w?.read?.(from, to) ?? []),
      };
    },
  };
}
