/**
 * A run's timeline, as the session reports it to the store, for the session's figures
 * (docs/metrics.md): the local VAD's edges, each partial and final as it arrived, the reconnects, the
 * audio sent again, and each frame's capture → send delay, on the page's monotonic clock. The figures
 * are computed when the run ends and kept with the session. One recorder per session: the dictation's,
 * and one for each column of a comparison.
 */
import type { TranscriptUpdate } from '../session/session';
import type { FigureInputs, SessionFigures, TimelineEvent } from '../transcript/figures';

let clock: () => number = () => performance.now();

/** For tests: the clock every recorder's timeline is on. */
export function setFigureClock(now: () => number): void {
  clock = now;
}

/** Records one run's timeline. */
export interface FigureRecorder {
  /** A run begins: a new timeline. */
  begin(): void;
  /** The local VAD's edge, at `audioMs` of the run's audio (a stop: where the speech ended, reported after the hangover). */
  speech(edge: 'started' | 'stopped', audioMs: number): void;
  /** A partial or a final as it arrived (the service's own VAD events are not the local VAD: left out). */
  transcript(update: TranscriptUpdate): void;
  /** The reconnect attempt under way, or 0 once streaming again (a reconnect is counted when it succeeds). */
  reconnecting(attempt: number): void;
  /** A frame went out for the first time, `delayMs` after its capture. */
  frameSent(delayMs: number): void;
  /** Audio went out again after a reconnect, ms of audio. */
  replayed(audioMs: number): void;
  /** The run is over: its timeline, for {@link measure}; null when nothing was recorded. */
  end(): FigureInputs | null;
}

/** A recorder on the figures' clock. */
export function figureRecorder(): FigureRecorder {
  let events: TimelineEvent[] = [];
  let sendDelaysMs: number[] = [];
  /** Page time of the run's audio time 0, ms (from the first VAD edge: its time less the audio before it). */
  let audioEpoch: number | undefined;
  /** Whether a reconnect is under way (its end is the reconnect counted). */
  let reconnecting = false;
  return {
    begin() {
      events = [];
      sendDelaysMs = [];
      audioEpoch = undefined;
      reconnecting = false;
    },
    speech(edge, audioMs) {
      const now = clock();
      audioEpoch ??= now - audioMs;
      // A stop is reported after the VAD's hangover: it goes in the timeline where the speech ended (on
      // the page's clock through the audio's), before what arrived since, such as a quick final.
      const at = Math.min(now, audioEpoch + audioMs);
      let i = events.length;
      while (i > 0 && events[i - 1].at > at) i--;
      events.splice(i, 0, { type: edge === 'started' ? 'speech-start' : 'speech-end', at });
    },
    transcript(update) {
      const at = clock();
      if (update.type === 'partial') events.push({ type: 'partial', at, text: update.text });
      else if (update.type === 'final') {
        // The session reports word times on the run's time base, as the audio epoch is.
        const words = update.words?.flatMap((w) =>
          w.startMs === undefined ? [] : [{ text: w.text, endMs: w.startMs + (w.durationMs ?? 0) }],
        );
        events.push({ type: 'final', at, text: update.text, ...(words?.length ? { words } : {}) });
      }
    },
    reconnecting(attempt) {
      if (attempt > 0) reconnecting = true;
      else if (reconnecting) {
        reconnecting = false;
        events.push({ type: 'reconnect', at: clock() });
      }
    },
    frameSent(delayMs) {
      sendDelaysMs.push(delayMs);
    },
    replayed(audioMs) {
      events.push({ type: 'replayed', at: clock(), audioMs });
    },
    end() {
      if (events.length === 0 && sendDelaysMs.length === 0) return null;
      const timeline = { events, sendDelaysMs, ...(audioEpoch !== undefined && { audioEpoch }) };
      events = [];
      sendDelaysMs = [];
      return timeline;
    },
  };
}

/** The dictation's recorder. */
export const dictationFigures = figureRecorder();

/** A timeline's figures, by code loaded when the first run ends (not needed to dictate). */
export async function measure(timeline: FigureInputs): Promise<SessionFigures> {
  const { sessionFigures } = await import('../transcript/figures');
  return sessionFigures(timeline);
}

let measured: (sessionId: string, figures: SessionFigures) => void = () => undefined;

/** Where a run's figures go once measured (the dictation store keeps them with the session). */
export function onFiguresMeasured(apply: typeof measured): void {
  measured = apply;
}

/** Measures a run's timeline and hands the figures to the session `sessionId`. */
export function measureFor(sessionId: string, timeline: FigureInputs | null): void {
  if (!timeline) return;
  void measure(timeline).then(
    (figures) => measured(sessionId, figures),
    // The figures are a view of the run; the words and audio are kept without them.
    () => undefined,
  );
}
