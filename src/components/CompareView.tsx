import { useEffect, useId, useState } from 'react';
import { PROVIDERS } from '../protocol/registry';
import {
  COMPARE_MAX,
  COMPARE_MIN,
  comparing,
  comparisonRecord,
  entryLabel,
  isConfigured,
  useCompare,
  type CompareColumnState,
} from '../store/compare';
import { useDictation } from '../store/dictation';
import type { AlignedWord } from '../transcript/align';
import { alignColumns, comparisonCsv, comparisonJson, comparisonMarkdown, comparisonTable, referenceName } from '../transcript/comparison';
import { transcriptText, type ComparisonRecord, type SessionMeta } from '../transcript/model';
import { download } from './download';
import { LatencyChart } from './LatencyChart';

const button =
  'rounded-lg border border-slate-300 bg-white px-3 py-1.5 text-sm font-medium text-slate-700 hover:bg-slate-50 disabled:opacity-50 focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-indigo-600';
const primary =
  'rounded-lg bg-indigo-700 px-4 py-2 text-sm font-semibold text-white hover:bg-indigo-800 disabled:opacity-50 focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-indigo-600';

/** What a column's status says. */
function statusText(c: CompareColumnState): string {
  switch (c.status) {
    case 'connecting':
      return 'Connecting…';
    case 'recording':
      return 'Listening';
    case 'reconnecting':
      return `Reconnecting… (attempt ${c.reconnectAttempt || 1})`;
    case 'stopping':
      return 'Finishing…';
    case 'error':
      return 'Stopped with an error';
    case 'idle':
      return 'Finished';
  }
}

/** One service's live column: its status, its words (finals, then the partial), and its own error. */
function Column({ column }: { column: CompareColumnState }) {
  const text = transcriptText(column.segments);
  return (
    <section aria-label={column.label} className="min-w-0 rounded-xl border border-slate-200 bg-white p-3">
      <h3 className="text-sm font-semibold text-slate-800">{column.label}</h3>
      <p role="status" className="text-xs text-slate-600">
        {statusText(column)}
      </p>
      {column.error && (
        <p role="alert" className="mt-1 text-sm text-rose-800">
          {column.error.message}
        </p>
      )}
      {column.notice && <p className="mt-1 text-sm text-amber-800">{column.notice.message}</p>}
      <p aria-label={`Words from ${column.label}`} className="mt-2 text-sm leading-relaxed whitespace-pre-wrap text-slate-900">
        {text}
        {column.partial && (
          <span className="text-slate-500 italic">
            {text ? ' ' : ''}
            {column.partial}
          </span>
        )}
        {!text && !column.partial && <span className="text-slate-500">No words yet.</span>}
      </p>
    </section>
  );
}

/** A column's words against the reference, differences marked (and spelled out for screen readers). */
function Diff({ alignment }: { alignment: readonly AlignedWord[] }) {
  if (alignment.length === 0) return <span className="text-slate-500">No words on either side.</span>;
  return (
    <>
      {alignment.map((w, i) => {
        const gap = i > 0 ? ' ' : '';
        if (w.op === 'same') return <span key={i}>{`${gap}${w.hyp}`}</span>;
        const word =
          w.op === 'substituted' ? (
            <mark className="rounded bg-amber-100 px-0.5 text-slate-900" title={`reference: ${w.ref}`}>
              {w.hyp}
              <span className="sr-only"> (reference: {w.ref})</span>
            </mark>
          ) : w.op === 'inserted' ? (
            <ins className="rounded bg-emerald-100 px-0.5 text-slate-900 no-underline" title="not in the reference">
              <span className="sr-only">added: </span>
              {w.hyp}
            </ins>
          ) : (
            <del className="rounded bg-rose-100 px-0.5 text-rose-900" title="in the reference, missing here">
              <span className="sr-only">missing: </span>
              {w.ref}
            </del>
          );
        return (
          <span key={i}>
            {gap}
            {word}
          </span>
        );
      })}
    </>
  );
}

/** What a comparison's file is called: `dictate-comparison-<date>.<ext>`. */
function fileName(meta: SessionMeta | null, ext: string): string {
  const at = new Date(meta?.startedAt ?? Date.now());
  const pad = (n: number) => String(n).padStart(2, '0');
  return `dictate-comparison-${at.getFullYear()}-${pad(at.getMonth() + 1)}-${pad(at.getDate())}-${pad(at.getHours())}${pad(at.getMinutes())}.${ext}`;
}

/** After Stop: the reference, the figures table, the word diff, the chart and the exports. */
function Results({ record }: { record: ComparisonRecord }) {
  const { setReference, saved } = useCompare();
  const [draft, setDraft] = useState(record.reference.kind === 'text' ? record.reference.text : '');
  const textId = useId();
  const { headers, rows } = comparisonTable(record);
  const aligned = alignColumns(record);
  const refName = referenceName(record);
  const title = saved?.title ?? 'Comparison';
  const chooseText = (text: string) => {
    setDraft(text);
    setReference({ kind: 'text', text });
  };
  return (
    <div className="space-y-4">
      <fieldset className="space-y-1 text-sm">
        <legend className="font-semibold text-slate-800">Score against</legend>
        {record.columns.map((c, i) => (
          <label key={c.entryId} className="mr-4 inline-flex items-center gap-1.5">
            <input
              type="radio"
              name="reference"
              checked={record.reference.kind === 'column' && record.reference.index === i}
              onChange={() => setReference({ kind: 'column', index: i })}
            />
            {c.label}
          </label>
        ))}
        <label className="inline-flex items-center gap-1.5">
          <input
            type="radio"
            name="reference"
            checked={record.reference.kind === 'text'}
            onChange={() => {
              // Starts from the column scored against so far, for the user to correct.
              const from =
                record.reference.kind === 'column' ? transcriptText(record.columns[record.reference.index]?.segments ?? []) : draft;
              chooseText(draft || from);
            }}
          />
          Your own text (pasted, or corrected from a column)
        </label>
        {record.reference.kind === 'text' && (
          <div>
            <label htmlFor={textId} className="mt-2 block text-slate-700">
              Reference text
            </label>
            <textarea
              id={textId}
              value={draft}
              rows={3}
              onChange={(e) => chooseText(e.target.value)}
              className="mt-1 w-full rounded-lg border border-slate-300 p-2 text-sm"
            />
          </div>
        )}
      </fieldset>

      {/* Services side by side, a figure per row: two to four columns fit the page (the exports have a row per service). */}
      <table className="w-full text-left text-sm">
        <caption className="mb-1 text-left font-semibold text-slate-800">Figures per service (WER against {refName})</caption>
        <thead>
          <tr>
            <th scope="col" className="border-b border-slate-200 px-2 py-1 font-medium text-slate-700">
              Figure
            </th>
            {rows.map((row, i) => (
              <th key={record.columns[i].entryId} scope="col" className="border-b border-slate-200 px-2 py-1 font-medium text-slate-700">
                {row[0]}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {headers.slice(1).map((h, j) => (
            <tr key={h}>
              <th scope="row" className="border-b border-slate-100 px-2 py-1 font-medium text-slate-900">
                {h}
              </th>
              {rows.map((row, i) => (
                <td key={record.columns[i].entryId} className="border-b border-slate-100 px-2 py-1 break-words text-slate-900 tabular-nums">
                  {row[j + 1] || '–'}
                </td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>

      <section aria-label="Word differences" className="space-y-2 text-sm">
        <h3 className="font-semibold text-slate-800">Word differences against {refName}</h3>
        <p className="text-xs text-slate-600">
          <mark className="rounded bg-amber-100 px-0.5">changed</mark> ·{' '}
          <ins className="rounded bg-emerald-100 px-0.5 no-underline">added</ins> ·{' '}
          <del className="rounded bg-rose-100 px-0.5">missing</del>
        </p>
        {record.columns.map((c, i) =>
          record.reference.kind === 'column' && record.reference.index === i ? null : (
            <div key={c.entryId}>
              <h4 className="font-medium text-slate-700">{c.label}</h4>
              <p aria-label={`Differences of ${c.label}`} className="leading-relaxed text-slate-900">
                <Diff alignment={aligned[i]} />
              </p>
            </div>
          ),
        )}
      </section>

      <LatencyChart lines={record.columns.map((c) => ({ label: c.label, points: c.figures?.finalLatencySeries ?? [] }))} />

      <div className="flex flex-wrap items-center gap-2">
        <button
          type="button"
          className={button}
          onClick={() => download(comparisonMarkdown(record, title), fileName(saved, 'md'), 'text/markdown')}
        >
          Export comparison (Markdown)
        </button>
        <button type="button" className={button} onClick={() => download(comparisonCsv(record), fileName(saved, 'csv'), 'text/csv')}>
          Export comparison (CSV)
        </button>
        <button
          type="button"
          className={button}
          onClick={() => download(comparisonJson(record, title), fileName(saved, 'json'), 'application/json')}
        >
          Export comparison (JSON)
        </button>
        {saved && <span className="text-xs text-slate-600">Kept in History as “{saved.title}”</span>}
      </div>
    </div>
  );
}

/**
 * Compare services (docs/metrics.md, "Comparing services"): two to four services hear one capture at
 * once, each in its own column; after Stop, the figures, WER and word differences side by side.
 * `open`: a comparison kept in History, to show.
 */
export function CompareView({ open }: { open?: SessionMeta | null }) {
  const state = useCompare();
  const dictating = useDictation((s) => s.status !== 'idle' && s.status !== 'error');
  const session = useDictation((s) => s.session);
  const { picks, columns, problem, progress, togglePick, start, stop, reset, show } = state;
  const running = comparing(columns);
  const fileId = useId();
  useEffect(() => {
    if (open?.comparison) show(open);
  }, [open, show]);
  const record = columns.length > 0 && !running ? comparisonRecord(state) : null;
  const canStart = !running && !dictating && picks.length >= COMPARE_MIN && picks.length <= COMPARE_MAX;
  return (
    <section aria-labelledby="compare-title" className="space-y-4 rounded-xl border border-slate-200 bg-slate-50 p-4">
      <h2 id="compare-title" className="text-base font-semibold text-slate-900">
        Compare services
      </h2>
      {columns.length === 0 || running ? (
        <>
          <fieldset disabled={running} className="space-y-1 text-sm">
            <legend className="font-semibold text-slate-800">
              Services to compare ({COMPARE_MIN} to {COMPARE_MAX})
            </legend>
            {PROVIDERS.map((p) => {
              const configured = isConfigured(p);
              return (
                <label key={p.id} className="flex items-center gap-2">
                  <input
                    type="checkbox"
                    checked={picks.includes(p.id)}
                    disabled={!configured && !picks.includes(p.id)}
                    onChange={() => togglePick(p.id)}
                  />
                  {entryLabel(p)}
                  {!configured && <span className="text-xs text-slate-600">(add its key in Settings first)</span>}
                </label>
              );
            })}
          </fieldset>
          <p className="text-xs text-slate-600">
            One recording goes to every service at once, each over its own connection. The local engine serves a limited number of sessions
            at once (DICTATE_MAX_SESSIONS, 2 by default).
          </p>
          {problem && (
            <p role="alert" className="text-sm text-rose-800">
              {problem}
            </p>
          )}
          <div className="flex flex-wrap items-center gap-2">
            {running ? (
              <button type="button" className={primary} onClick={stop}>
                Stop comparing
              </button>
            ) : (
              <>
                <button type="button" className={primary} disabled={!canStart} onClick={() => start()}>
                  Compare from the microphone
                </button>
                <label htmlFor={fileId} className={`${button} cursor-pointer`}>
                  Compare a file…
                </label>
                <input
                  id={fileId}
                  type="file"
                  accept="audio/*,video/*"
                  className="sr-only"
                  disabled={!canStart}
                  onChange={(e) => {
                    const file = e.target.files?.[0];
                    e.target.value = '';
                    if (file) start({ kind: 'file', file });
                  }}
                />
                {session && !session.comparison && (
                  <button
                    type="button"
                    className={button}
                    disabled={!canStart}
                    onClick={() =>
                      start({ kind: 'kept', sessionId: session.id, title: session.title || session.preview || 'this session' })
                    }
                  >
                    Compare the open session’s audio
                  </button>
                )}
              </>
            )}
            {dictating && !running && <span className="text-xs text-slate-600">Stop the dictation to compare.</span>}
            {progress !== null && running && (
              <progress aria-label="Audio read" value={progress} max={1} className="h-2 w-40">
                {Math.round(progress * 100)} %
              </progress>
            )}
          </div>
        </>
      ) : (
        <div className="flex flex-wrap items-center gap-2 text-sm text-slate-700">
          <span>Heard from {state.sourceName}.</span>
          <button type="button" className={button} onClick={reset}>
            New comparison
          </button>
        </div>
      )}
      {columns.length > 0 && (
        <div className="grid gap-3" style={{ gridTemplateColumns: `repeat(${Math.min(columns.length, 2)}, minmax(0, 1fr))` }}>
          {columns.map((c) => (
            <Column key={c.entryId} column={c} />
          ))}
        </div>
      )}
      {record && <Results record={record} />}
    </section>
  );
}
