import { useEffect, useRef, useState } from 'react';
import { useDictation } from '../store/dictation';
import type { Distribution, SessionFigures } from '../transcript/figures';

/** "p50 300 ms · p95 520 ms (4)", or what is missing. */
function spread(d: Distribution, unit: string, p = 'p95' as 'p95' | 'p99'): string {
  if (d.count === 0 || d.p50 === null) return 'nothing to measure';
  return `p50 ${d.p50} ${unit} · ${p} ${d[p]} ${unit} (${d.count})`;
}

const percent = (x: number | null) => (x === null ? 'no partials' : `${Math.round(x * 100)} %`);

/** Final latency per utterance, drawn by uPlot (loaded with this view). */
function LatencyChart({ figures }: { figures: SessionFigures }) {
  const box = useRef<HTMLDivElement>(null);
  const [failed, setFailed] = useState<string | null>(null);
  const series = figures.finalLatencySeries;
  useEffect(() => {
    const el = box.current;
    if (!el || series.length === 0) return;
    let plot: { destroy(): void } | null = null;
    let cancelled = false;
    void Promise.all([import('uplot'), import('uplot/dist/uPlot.min.css')])
      .then(([{ default: UPlot }]) => {
        if (cancelled) return;
        plot = new UPlot(
          {
            width: Math.max(240, el.clientWidth || 480),
            height: 160,
            scales: { x: { time: false } },
            axes: [{ label: 'seconds into the run' }, { label: 'ms' }],
            series: [{ label: 's' }, { label: 'final latency', stroke: '#4f46e5', width: 2, points: { show: true } }],
            legend: { show: false },
          },
          [series.map((p) => p.atSeconds), series.map((p) => p.latencyMs)],
          el,
        );
      })
      .catch((cause: unknown) => setFailed(cause instanceof Error ? cause.message : String(cause)));
    return () => {
      cancelled = true;
      plot?.destroy();
    };
  }, [series]);
  if (series.length === 0) return null;
  const label = `Final latency per utterance: ${series.map((p) => `${p.latencyMs} ms at ${p.atSeconds} s`).join(', ')}`;
  return (
    <figure className="mt-2">
      <div ref={box} role="img" aria-label={label} />
      {failed && (
        <figcaption className="text-sm text-slate-600">
          The chart could not be drawn here ({failed}); the figures above are complete.
        </figcaption>
      )}
    </figure>
  );
}

/** The open session's figures (docs/metrics.md): latency, stability, delivery, and a chart of final latency. */
export function SessionFiguresView() {
  const figures = useDictation((s) => (s.run === null ? s.session?.figures : undefined));
  if (!figures) return null;
  const rows: [string, string][] = [
    ['Time to first partial', spread(figures.firstPartialMs, 'ms')],
    [
      'Final latency after end of speech',
      `${spread(figures.finalLatencyMs, 'ms')}${figures.finalsNotMeasurable ? `; ${figures.finalsNotMeasurable} before the speech had stopped (not measurable)` : ''}`,
    ],
    ['Word emission latency', figures.wordEmissionMs ? spread(figures.wordEmissionMs, 'ms') : 'no word times from this service'],
    ['Revised words per final word', figures.revisionsPerFinalWord === null ? 'no final words' : String(figures.revisionsPerFinalWord)],
    ['Flicker', percent(figures.flicker)],
    ['Capture → frame sent', figures.sendDelayMs.count ? spread(figures.sendDelayMs, 'ms', 'p99') : 'not measured in this version'],
    ['Reconnects', `${figures.reconnects}${figures.replayedSeconds ? `, ${figures.replayedSeconds} s replayed` : ''}`],
  ];
  return (
    <section aria-label="Session figures">
      <details className="rounded-xl border border-slate-200 bg-white p-3 text-sm">
        <summary className="cursor-pointer font-semibold text-slate-700">Session figures</summary>
        <dl className="mt-2 grid grid-cols-[auto_1fr] gap-x-4 gap-y-1">
          {rows.map(([name, value]) => (
            <div key={name} className="contents">
              <dt className="text-slate-600">{name}</dt>
              <dd className="text-slate-900 tabular-nums">{value}</dd>
            </div>
          ))}
        </dl>
        <LatencyChart figures={figures} />
      </details>
    </section>
  );
}
