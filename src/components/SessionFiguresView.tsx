import { useDictation } from '../store/dictation';
import type { Distribution } from '../transcript/figures';
import { LatencyChart } from './LatencyChart';

/** "p50 300 ms · p95 520 ms (4)", or what is missing. */
export function spread(d: Distribution, unit: string, p = 'p95' as 'p95' | 'p99'): string {
  if (d.count === 0 || d.p50 === null) return 'nothing to measure';
  return `p50 ${d.p50} ${unit} · ${p} ${d[p]} ${unit} (${d.count})`;
}

const percent = (x: number | null) => (x === null ? 'no partials' : `${Math.round(x * 100)} %`);

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
    ['Capture → frame sent', figures.sendDelayMs.count ? spread(figures.sendDelayMs, 'ms', 'p99') : 'no capture times (a file has none)'],
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
        <LatencyChart lines={[{ label: 'final latency', points: figures.finalLatencySeries }]} />
      </details>
    </section>
  );
}
