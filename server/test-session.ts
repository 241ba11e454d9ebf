/**
 * The app's real session, driven from Node against the real server: a `ws` client that follows the
 * browser transport's contract, a microphone that plays a clip, and a runner that dictates it,
 * optionally killing the connection mid-way through the server's fault switch.
 */
import WebSocket from 'ws';
import type { Capture, StartCapture } from '../src/audio/capture';
import type { FinalResult } from '../src/core/events';
import { FRAME_SAMPLES } from '../src/core/frames';
import { providerEntry } from '../src/protocol/registry';
import type { SessionStatus } from '../src/core/status';
import { createSession, type ReconnectOptions, type SessionSink } from '../src/session/session';
import { defaultProfile } from '../src/protocol/settings';
import type { Connect } from '../src/session/transport';

/** The browser transport's contract over a `ws` client. */
export const connectNodeWs: Connect = (request, handlers) => {
  const ws = new WebSocket(request.url, [...request.protocols]);
  ws.binaryType = 'arraybuffer';
  let opened = false;
  ws.on('error', () => undefined); // a close always follows, and that is what the session reads
  ws.on('open', () => {
    opened = true;
    handlers.open();
  });
  ws.on('message', (data: ArrayBuffer, isBinary) => handlers.message(isBinary ? data : Buffer.from(data).toString('utf8')));
  ws.on('close', (code, reason) => handlers.close(code, reason.toString(), opened));
  return {
    send(data) {
      if (ws.readyState !== WebSocket.OPEN) return false;
      ws.send(data);
      return true;
    },
    close(code, reason) {
      if (ws.readyState === WebSocket.CONNECTING) ws.terminate();
      else if (ws.readyState === WebSocket.OPEN) ws.close(code, reason);
    },
    get bufferedAmount() {
      return ws.bufferedAmount;
    },
  };
};

/** A microphone that plays `samples` as 20 ms frames, one every `intervalMs`, then waits to be stopped. */
export function clipMicrophone(samples: Int16Array, intervalMs: number): { start: StartCapture; played: Promise<void>; frames: number } {
  const frames = Math.ceil(samples.length / FRAME_SAMPLES);
  let donePlaying: () => void = () => undefined;
  const played = new Promise<void>((resolve) => (donePlaying = resolve));
  const start: StartCapture = (handlers) => {
    let next = 0;
    const timer = setInterval(() => {
      if (next >= frames) {
        clearInterval(timer);
        return donePlaying();
      }
      const pcm = new Int16Array(FRAME_SAMPLES);
      pcm.set(samples.subarray(next * FRAME_SAMPLES, (next + 1) * FRAME_SAMPLES));
      let peak = 0;
      for (const s of pcm) peak = Math.max(peak, Math.abs(s) / 32768);
      handlers.onFrame({ pcm: pcm.buffer, peak, capturedAt: performance.now() });
      next++;
    }, intervalMs);
    const capture: Capture = {
      sampleRate: 16_000,
      stop: () => {
        clearInterval(timer);
        return Promise.resolve();
      },
    };
    return Promise.resolve(capture);
  };
  return { start, played, frames };
}

/** What a dictation gave. */
export interface DictationResult {
  readonly finals: FinalResult[];
  readonly text: string;
  readonly statuses: SessionStatus[];
  readonly notices: string[];
  readonly error: string | null;
  /** ms from the drop until streaming again (null without a drop). */
  readonly recoveryMs: number | null;
}

/**
 * Dictates `samples` through the local engine's `provider` dialect (e.g. `local-reson8`) at `base`
 * (`ws://127.0.0.1:port`), frames every `intervalMs`. With `dropAtFrame`, the server kills every
 * connection when that frame has been captured, holding upgrades for `holdMs`.
 */
export async function dictate(
  base: string,
  provider: string,
  samples: Int16Array,
  options: {
    intervalMs?: number;
    dropAtFrame?: number;
    holdMs?: number;
    apiKey?: string;
    onConnect?: () => void;
    /** Reconnect policy (default: first retry within 200 ms). */
    reconnect?: ReconnectOptions;
    /** Endpoint to use instead of the local engine at `base` (e.g. a server that stalls). */
    url?: string;
    /** Resolves when the run should stop (default: when the clip has played). */
    until?: Promise<void>;
    /** Abandon the run then (the page going away) instead of pressing Stop. */
    abandon?: boolean;
    /** Called as each final arrives. */
    onFinal?: (final: FinalResult) => void;
    /**
     * How long Stop waits for the last words, ms (default 60 000: sized for a busy machine, where the
     * engine decodes a replayed backlog slower than real time; the app's own default is 5000).
     */
    finishTimeoutMs?: number;
    /** Also told what the session reports (the figures' recorder, say). */
    tap?: Pick<SessionSink, 'transcript' | 'reconnecting' | 'speech' | 'frameSent' | 'replayed'>;
    /** The microphone to hear (default: one that plays `samples` alone), e.g. a capture shared with another run. */
    microphone?: { start: StartCapture; played: Promise<void> };
  } = {},
): Promise<DictationResult> {
  const entry = providerEntry(provider);
  if (!entry) throw new Error(`No provider ${provider}`);
  const mic = options.microphone ?? clipMicrophone(samples, options.intervalMs ?? 5);
  const finals: FinalResult[] = [];
  const statuses: SessionStatus[] = [];
  const notices: string[] = [];
  let error: string | null = null;
  let droppedAt: number | null = null;
  let recoveryMs: number | null = null;
  let framesSeen = 0;
  let ended: () => void = () => undefined;
  const over = new Promise<void>((resolve) => (ended = resolve));
  const host = base.replace(/^ws:\/\//, '');
  const sink: SessionSink = {
    status(status) {
      statuses.push(status);
      if (status === 'recording' && droppedAt !== null && recoveryMs === null) recoveryMs = Date.now() - droppedAt;
      if (status === 'idle') ended();
    },
    transcript(update) {
      options.tap?.transcript(update);
      if (update.type === 'final') {
        finals.push(update);
        options.onFinal?.(update);
      }
    },
    fail(e) {
      error = e.message;
      ended();
    },
    notice: (e) => notices.push(e.message),
    level() {},
    reconnecting: (attempt) => options.tap?.reconnecting(attempt),
    network() {},
    waiting() {},
    speech: (edge, audioMs) => options.tap?.speech?.(edge, audioMs),
    frameSent: (delayMs) => options.tap?.frameSent?.(delayMs),
    replayed: (audioMs) => options.tap?.replayed?.(audioMs),
  };
  const start: StartCapture = (handlers) =>
    mic.start({
      ...handlers,
      onFrame(frame) {
        handlers.onFrame(frame);
        if (++framesSeen === options.dropAtFrame) {
          droppedAt = Date.now();
          void fetch(`http://${host}/__faults/drop?holdMs=${options.holdMs ?? 0}`, { method: 'POST' });
        }
      },
    });
  const connect: typeof connectNodeWs = (request, handlers) => {
    options.onConnect?.();
    return connectNodeWs(request, handlers);
  };
  const probeLocalEngine = async () => (await fetch(`http://${host}/healthz`).catch(() => null))?.ok ?? false;
  const control = createSession({
    startCapture: start,
    connect,
    location: { protocol: 'http:', host },
    reconnect: { baseDelayMs: 200 },
    probeLocalEngine,
    finishTimeoutMs: options.finishTimeoutMs ?? 60_000,
    lastResultTimeoutMs: options.finishTimeoutMs ?? 60_000,
  });
  const profile = defaultProfile(entry);
  // With a key: the first auth method the service documents for browsers.
  const auth = options.apiKey ? (entry.authMethods.find((m) => m !== 'none') ?? 'none') : profile.auth;
  control.start({ provider, profile: { ...profile, auth, url: options.url ?? profile.url }, apiKey: options.apiKey ?? '' }, sink);
  await Promise.race([options.until ?? mic.played, over]); // a run that fails stops the microphone first
  if (options.abandon) {
    control.abort(); // the page going away: no end to wait for
  } else {
    control.stop();
    await over;
  }
  return { finals, text: finals.map((f) => f.text).join(' '), statuses, notices, error, recoveryMs };
}
