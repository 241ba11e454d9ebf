import { useEffect, useRef, useState } from 'react';
import type { SessionFigures } from '../transcript/figures';

/** One line of the chart: a session's (or a comparison column's) final latency per utterance. */
export interface LatencyLine {
  readonly label: string;
  readonly points: SessionFigures['finalLatencySeries'];
}

/** Line colours, in order (Tailwind's indigo, emerald, amber and rose 600: 4.5:1 on white or better). */
const STROKES = ['#4f46e5', '#059669', '#d97706', '#e11d48'];

/**
 * Final latency per utterance over the run, drawn by uPlot (loaded with the view that shows it); the
 * same numbers are the image's accessible name.
 */
export function LatencyChart({ lines }: { lines: readonly LatencyLine[] }) {
  const box = useRef<HTMLDivElement>(null);
  const [failed, setFailed] = useState<string | null>(null);
  const drawn = lines.filter((l) => l.points.length > 0);
  // Redrawn when the lines' content changes, not the array's identity.
  const key = JSON.stringify(drawn);
  useEffect(() => {
    const el = box.current;
    const drawn = JSON.parse(key) as LatencyLine[];
    if (!el || drawn.length === 0) return;
    let plot: { destroy(): void } | null = null;
    let cancelled = false;
    // uPlot draws lines over one shared x: every moment any line has a point; a line's other moments are gaps.
    const xs = [...new Set(drawn.flatMap((l) => l.points.map((p) => p.atSeconds)))].sort((a, b) => a - b);
    const ys = drawn.map((l) => xs.map((x) => l.points.find((p) => p.atSeconds === x)?.latencyMs ?? null));
    void Promise.all([import('uplot'), import('uplot/dist/uPlot.min.css')])
      .then(([{ default: UPlot }]) => {
        if (cancelled) return;
        plot = new UPlot(
          {
            width: Math.max(240, el.clientWidth || 480),
            height: 160,
            scales: { x: { time: false } },
            axes: [{ label: 'seconds into the run' }, { label: 'ms' }],
            series: [
              { label: 's' },
              ...drawn.map((l, i) => ({
                label: l.label,
                stroke: STROKES[i % STROKES.length],
                width: 2,
                spanGaps: true,
                points: { show: true },
              })),
            ],
            legend: { show: drawn.length > 1 },
          },
          [xs, ...ys],
          el,
        );
      })
      .catch((cause: unknown) => setFailed(cause instanceof Error ? cause.message : String(cause)));
    return () => {
      cancelled = true;
      plot?.destroy();
    };
  }, [key]);
  if (drawn.length === 0) return null;
  const label = `Final latency per utterance: ${drawn
    .map((l) => `${drawn.length > 1 ? `${l.label}: ` : ''}${l.points.map((p) => `${p.latencyMs} ms at ${p.atSeconds} s`).join(', ')}`)
    .join('; ')}`;
  return (
    <figure className="mt-2">
      <div ref={box} role="img" aria-label={label} />
      {failed && (
        <figcaption className="text-sm text-slate-600">
          The chart could not be drawn here ({failed}); the figures are complete without it.
        </figcaption>
      )}
    </figure>
  );
}
