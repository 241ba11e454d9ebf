/**
 * The run's timeline, as the session reports it to the store, for the session's figures
 * (docs/metrics.md): the local VAD's edges, each partial and final as it arrived, and the reconnects,
 * on the page's monotonic clock. The figures are computed when the run ends and kept with the session.
 */
import type { TranscriptUpdate } from '../session/session';
import { sessionFigures, type SessionFigures, type TimelineEvent } from '../transcript/figures';

let clock: () => number = () => performance.now();
let events: TimelineEvent[] = [];
/** Page time of the run's audio time 0, ms (from the first VAD edge: its time less the audio before it). */
let audioEpoch: number | undefined;
/** Whether a reconnect is under way (its end is the reconnect counted). */
let reconnecting = false;

/** For tests: the clock the timeline is on. */
export function setFigureClock(now: () => number): void {
  clock = now;
}

/** A run begins: a new timeline. */
export function beginFigures(): void {
  events = [];
  audioEpoch = undefined;
  reconnecting = false;
}

/** The local VAD's edge, after `audioMs` of the run's audio. */
export function recordSpeech(edge: 'started' | 'stopped', audioMs: number): void {
  const at = clock();
  audioEpoch ??= at - audioMs;
  events.push({ type: edge === 'started' ? 'speech-start' : 'speech-end', at });
}

/** A partial or a final as it arrived (the service's own VAD events are not the local VAD: left out). */
export function recordTranscript(update: TranscriptUpdate): void {
  const at = clock();
  if (update.type === 'partial') events.push({ type: 'partial', at, text: update.text });
  else if (update.type === 'final') {
    // The session reports word times on the run's time base, as the audio epoch is.
    const words = update.words?.flatMap((w) => (w.startMs === undefined ? [] : [{ text: w.text, endMs: w.startMs + (w.durationMs ?? 0) }]));
    events.push({ type: 'final', at, text: update.text, ...(words?.length ? { words } : {}) });
  }
}

/** The reconnect attempt under way, or 0 once streaming again (a reconnect is counted when it succeeds). */
export function recordReconnecting(attempt: number): void {
  if (attempt > 0) reconnecting = true;
  else if (reconnecting) {
    reconnecting = false;
    events.push({ type: 'reconnect', at: clock() });
  }
}

/** The run is over: its figures; null when nothing was recorded. */
export function endFigures(): SessionFigures | null {
  if (events.length === 0) return null;
  const figures = sessionFigures({ events, ...(audioEpoch !== undefined && { audioEpoch }) });
  events = [];
  return figures;
}
