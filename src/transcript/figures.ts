/**
 * A session's figures from its timeline (docs/metrics.md): what the user saw and when, on the browser's
 * clock. Pure: the session records the timeline, this computes the figures, and the same code scores
 * every column of a comparison.
 */

/** One moment of a session, ms on the browser's clock (`performance.now()` or `Date.now()`, one of them throughout). */
export type TimelineEvent =
  /** The local VAD heard speech begin. */
  | { readonly type: 'speech-start'; readonly at: number }
  /** The local VAD heard speech stop (its hangover over). */
  | { readonly type: 'speech-end'; readonly at: number }
  /** The service's running hypothesis arrived. */
  | { readonly type: 'partial'; readonly at: number; readonly text: string }
  /**
   * A final arrived. `words`, where the service gives word times: each word's end, ms on the session's
   * audio time base (0 = the first sample captured, at {@link FigureInputs.audioEpoch}).
   */
  | {
      readonly type: 'final';
      readonly at: number;
      readonly text: string;
      readonly words?: readonly { readonly text: string; readonly endMs: number }[];
    }
  /** The connection was opened again after a drop. */
  | { readonly type: 'reconnect'; readonly at: number }
  /** Audio sent again after a reconnect, ms of audio. */
  | { readonly type: 'replayed'; readonly at: number; readonly audioMs: number };

/** What the figures are computed from. */
export interface FigureInputs {
  readonly events: readonly TimelineEvent[];
  /** Capture → frame sent, ms, one per frame (the worklet's timestamp to the socket's send). */
  readonly sendDelaysMs?: readonly number[];
  /** Browser time of the session's audio time 0, ms (for word emission latency). */
  readonly audioEpoch?: number;
}

/** A distribution's summary: the nearest-rank percentiles, and how many values it summarises. */
export interface Distribution {
  readonly count: number;
  readonly p50: number | null;
  readonly p95: number | null;
  readonly p99: number | null;
}

/** Every figure of one session (docs/metrics.md). */
export interface SessionFigures {
  /** Speech onset → the first partial (or final, for a service without partials) of that utterance, ms. */
  readonly firstPartialMs: Distribution;
  /** End of speech (local VAD) → the final that covers it, ms. */
  readonly finalLatencyMs: Distribution;
  /** Finals that arrived before the speech they cover had stopped: not measurable (not fast). */
  readonly finalsNotMeasurable: number;
  /** End of a spoken word → its first appearance, ms (services with word times only; null otherwise). */
  readonly wordEmissionMs: Distribution | null;
  /** Shown words later changed or removed, per final word. */
  readonly revisionsPerFinalWord: number | null;
  /** Share of updates (partials, and the final after them) in which a shown word changed or disappeared. */
  readonly flicker: number | null;
  /** Capture → frame sent, ms. */
  readonly sendDelayMs: Distribution;
  readonly reconnects: number;
  /** Audio sent again after reconnects, seconds. */
  readonly replayedSeconds: number;
  /** Final latency per utterance, in order, for the chart: when the final arrived (s since the first event) and its latency. */
  readonly finalLatencySeries: readonly { readonly atSeconds: number; readonly latencyMs: number }[];
}

/**
 * The nearest-rank percentile (the smallest value with at least `p` of the values at or below it).
 * @param p - 0–1
 */
export function percentile(values: readonly number[], p: number): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(p * sorted.length) - 1))];
}

export function distribution(values: readonly number[]): Distribution {
  const r = (x: number | null) => (x === null ? null : Math.round(x));
  return { count: values.length, p50: r(percentile(values, 0.5)), p95: r(percentile(values, 0.95)), p99: r(percentile(values, 0.99)) };
}

/** Words as compared between updates: lower case, punctuation around them removed. */
function wordsOf(text: string): string[] {
  return text
    .toLowerCase()
    .split(/\s+/)
    .map((w) => w.replace(/^[^\p{L}\p{N}]+|[^\p{L}\p{N}]+$/gu, ''))
    .filter(Boolean);
}

/** Words of `shown` that `next` changes or removes, position by position. */
export function revisedWords(shown: readonly string[], next: readonly string[]): number {
  let n = 0;
  for (let i = 0; i < shown.length; i++) if (next[i] !== shown[i]) n++;
  return n;
}

/** The figures of one session. */
export function sessionFigures(inputs: FigureInputs): SessionFigures {
  const events = [...inputs.events].sort((a, b) => a.at - b.at);
  const origin = events[0]?.at ?? 0;
  const firstPartial: number[] = [];
  const finalLatency: number[] = [];
  const series: { atSeconds: number; latencyMs: number }[] = [];
  const emission: number[] = [];
  let notMeasurable = 0;
  let anyWordTimes = false;
  let revised = 0;
  let finalWords = 0;
  let updates = 0;
  let flickers = 0;
  let reconnects = 0;
  let replayedMs = 0;

  // The utterance in progress: its onset, whether it has shown text yet, what is shown, and when each shown word first appeared.
  let onset: number | null = null;
  let shown: string[] = [];
  let firstSeen: number[] = [];
  /** The last end of speech, while it is the one finals are measured from. */
  let stop: number | null = null;
  /** Where that stop's latency is recorded, once a final has come for it (a later final of the same turn replaces it). */
  let recorded: number | null = null;

  const update = (at: number, text: string, isFinal: boolean) => {
    if (onset !== null) {
      firstPartial.push(at - onset);
      onset = null;
    }
    const next = wordsOf(text);
    if (shown.length > 0) {
      updates++;
      const changed = revisedWords(shown, next);
      revised += changed;
      if (changed > 0) flickers++;
    }
    firstSeen = next.map((w, i) => (shown[i] === w && firstSeen[i] !== undefined ? firstSeen[i] : at));
    shown = isFinal ? [] : next;
  };

  for (const e of events) {
    switch (e.type) {
      case 'speech-start':
        // A new utterance begins only once the last one's text has come (or none was shown).
        if (onset === null && shown.length === 0) onset = e.at;
        // The turn before is over once its final came; until then, its final is still measured from its stop.
        if (recorded !== null) stop = recorded = null;
        break;
      case 'speech-end':
        stop = e.at;
        recorded = null;
        break;
      case 'partial':
        update(e.at, e.text, false);
        break;
      case 'final': {
        const seen = firstSeen;
        const wordsBefore = shown;
        update(e.at, e.text, true);
        const words = wordsOf(e.text);
        finalWords += words.length;
        if (stop !== null) {
          // The turn's text is complete with its last final: a later one replaces the first.
          const point = { atSeconds: Math.round((e.at - origin) / 100) / 10, latencyMs: Math.round(e.at - stop) };
          if (recorded === null) {
            recorded = finalLatency.length;
            finalLatency.push(e.at - stop);
            series.push(point);
          } else {
            finalLatency[recorded] = e.at - stop;
            series[recorded] = point;
          }
        } else notMeasurable++;
        if (e.words && inputs.audioEpoch !== undefined) {
          anyWordTimes = true;
          e.words.forEach((w, i) => {
            // First shown in a partial at the same place with the same word, else now.
            const appeared = wordsBefore[i] === wordsOf(w.text)[0] && seen[i] !== undefined ? seen[i] : e.at;
            emission.push(appeared - (inputs.audioEpoch! + w.endMs));
          });
        }
        break;
      }
      case 'reconnect':
        reconnects++;
        break;
      case 'replayed':
        replayedMs += e.audioMs;
        break;
    }
  }
  return {
    firstPartialMs: distribution(firstPartial),
    finalLatencyMs: distribution(finalLatency),
    finalsNotMeasurable: notMeasurable,
    wordEmissionMs: anyWordTimes ? distribution(emission) : null,
    revisionsPerFinalWord: finalWords > 0 ? Math.round((revised / finalWords) * 1000) / 1000 : null,
    flicker: updates > 0 ? Math.round((flickers / updates) * 1000) / 1000 : null,
    sendDelayMs: distribution(inputs.sendDelaysMs ?? []),
    reconnects,
    replayedSeconds: Math.round(replayedMs / 100) / 10,
    finalLatencySeries: series,
  };
}
