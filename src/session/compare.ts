/**
 * A comparison's sessions (docs/metrics.md, "Comparing services"): one capture (the microphone, a file
 * or a kept session's audio) heard by one session per service at once, through a {@link SharedCapture}.
 * Each session has its own connection, journal, reconnects and end: one that fails or reconnects does
 * not touch the others.
 */
import { SharedCapture } from '../audio/shared';
import type { StartCapture } from '../audio/capture';
import type { KeepAudioRequest } from '../core/kept-audio';
import type { SessionSettings } from '../protocol/settings';
import type { SessionControl, SessionDeps, SessionSink } from './api';
import { createSession } from './session';

/** What the comparison store calls. */
export interface ComparisonControl {
  /**
   * Starts one session per column on one capture: `columns[i]` reports to `sinks[i]`. `source` replaces
   * the microphone (a file, or kept audio); with `keep`, the capture is kept once, with the first
   * column's session (docs/protocols.md, "Keeping audio"). Nothing while a comparison runs.
   * @throws RangeError when `columns` and `sinks` differ in length
   */
  start(columns: readonly SessionSettings[], sinks: readonly SessionSink[], source?: StartCapture, keep?: KeepAudioRequest): void;
  /** Stops every column (each finishes with the service's last words). */
  stop(): void;
  /** Abandons every column at once (the page is going away). */
  abort(): void;
}

/** The comparison's controller, on the same dependencies as the dictation's session. */
export function createComparison(deps: SessionDeps): ComparisonControl {
  let sessions: SessionControl[] = [];
  let running = 0;
  return {
    start(columns, sinks, source, keep) {
      if (columns.length !== sinks.length) throw new RangeError(`${columns.length} columns but ${sinks.length} sinks.`);
      if (running > 0) return;
      const shared = new SharedCapture(source ?? deps.startCapture, columns[0]?.microphone);
      running = columns.length;
      sessions = columns.map((settings, i) => {
        const sink = sinks[i];
        const control = createSession({ ...deps, startCapture: shared.subscribe });
        let over = false;
        const end = () => {
          if (!over) running--;
          over = true;
        };
        const ended: SessionSink = {
          ...sink,
          status(status) {
            if (status === 'idle') end();
            sink.status(status);
          },
          fail(error) {
            end();
            sink.fail(error);
          },
        };
        control.start(settings, ended, undefined, i === 0 ? keep : undefined);
        return control;
      });
    },
    stop() {
      for (const s of sessions) s.stop();
    },
    abort() {
      for (const s of sessions) s.abort();
      running = 0;
    },
  };
}
