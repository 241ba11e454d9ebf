/**
 * Playing a session's kept audio back, in step with its words (docs/protocols.md, "Keeping audio"):
 * which session is loaded, where playback is, and what the transcript should show as being played. The
 * audio element is the player component's; this store holds its state and the requests made of it
 * (seek, speed). The decoded track is built when first asked for, by code loaded then.
 */
import { create } from 'zustand';
import type { SessionAudio } from '../history/audio-read';
import type { AudioCodec } from '../history/audio-store';
import { currentHistory, settled } from './persistence';

/** Playback speeds offered. */
export const PLAYBACK_RATES = [0.75, 1, 1.25, 1.5, 2] as const;

export interface PlaybackState {
  /** The session whose audio is loaded (or loading). */
  readonly sessionId: string | null;
  /** `none`: that session has no kept audio. */
  readonly state: 'idle' | 'loading' | 'ready' | 'none' | 'failed';
  /** A blob URL of the track as WAV (16 kHz PCM16), while ready. */
  readonly url: string | null;
  readonly durationMs: number;
  /** Stored size, bytes, and how it is stored. */
  readonly bytes: number;
  readonly codec: AudioCodec | null;
  /** Why it could not be loaded. */
  readonly error: string | null;
  /** Where playback is, ms on the session's time base. */
  readonly positionMs: number;
  readonly playing: boolean;
  readonly rate: number;
  /** The last seek asked for (`n` counts requests, so the same place can be asked twice), and whether to play from there. */
  readonly seekTo: { readonly ms: number; readonly n: number; readonly play: boolean } | null;
  /** Loads a session's audio (again, when `force`: more was stored since). */
  readonly load: (sessionId: string, force?: boolean) => Promise<void>;
  /** Forgets the loaded audio. */
  readonly unload: () => void;
  /** Asks the player to go to `ms` (and play, when `play`). */
  readonly seek: (ms: number, play?: boolean) => void;
  readonly setRate: (rate: number) => void;
  /** The player reports where it is. */
  readonly report: (positionMs: number, playing: boolean) => void;
  /** The loaded track as a WAV file (16 kHz PCM16); null when none is loaded. */
  readonly wav: () => Blob | null;
  /**
   * The loaded track as an Ogg Opus file (its stored packets where it is kept as Opus), made by code
   * loaded now; null when none is loaded.
   * @throws Error when it must be encoded and this browser cannot encode Opus
   */
  readonly ogg: () => Promise<Blob | null>;
}

let wav: Blob | null = null;
let track: SessionAudio | null = null;
let loads = 0;

function release(url: string | null): void {
  if (url) URL.revokeObjectURL(url);
}

export const usePlayback = create<PlaybackState>()((set, get) => ({
  sessionId: null,
  state: 'idle',
  url: null,
  durationMs: 0,
  bytes: 0,
  codec: null,
  error: null,
  positionMs: 0,
  playing: false,
  rate: 1,
  seekTo: null,
  async load(sessionId, force = false) {
    if (!force && get().sessionId === sessionId && get().state !== 'failed') return;
    const load = ++loads;
    const keepPosition = get().sessionId === sessionId;
    release(get().url);
    wav = null;
    track = null;
    set({
      sessionId,
      state: 'loading',
      url: null,
      error: null,
      ...(!keepPosition && { positionMs: 0, playing: false, seekTo: null }),
    });
    try {
      await settled();
      const history = await currentHistory();
      const { sessionAudio, wavOf } = await import('../history/audio-read');
      const loaded = history ? await sessionAudio(await history.audio(sessionId)) : null;
      if (load !== loads) return;
      track = loaded;
      if (!loaded) {
        set({ state: 'none', durationMs: 0, bytes: 0, codec: null });
        return;
      }
      wav = wavOf(loaded);
      set({ state: 'ready', url: URL.createObjectURL(wav), durationMs: loaded.durationMs, bytes: loaded.bytes, codec: loaded.codec });
    } catch (cause) {
      if (load !== loads) return;
      set({ state: 'failed', error: cause instanceof Error ? cause.message : String(cause) });
    }
  },
  unload() {
    loads++;
    release(get().url);
    wav = null;
    track = null;
    set({ sessionId: null, state: 'idle', url: null, durationMs: 0, bytes: 0, codec: null, error: null, positionMs: 0, playing: false });
  },
  seek(ms, play = false) {
    const to = Math.max(0, Math.min(ms, get().durationMs));
    set((s) => ({ seekTo: { ms: to, n: (s.seekTo?.n ?? 0) + 1, play }, positionMs: to }));
  },
  setRate(rate) {
    set({ rate });
  },
  report(positionMs, playing) {
    set({ positionMs, playing });
  },
  wav: () => wav,
  async ogg() {
    const loaded = track;
    if (!loaded) return null;
    const { oggOf } = await import('../history/audio-export');
    return oggOf(loaded);
  },
}));
