/**
 * The comparison store (docs/metrics.md, "Comparing services"): which services are compared, each
 * column's live partial, finals, status and figures, and the reference its WER is scored against.
 * State and actions only: the sessions run in the {@link ComparisonControl} attached with
 * `attachComparison` (compare-control.ts; a test may set `control` instead), each column reporting
 * through its own sink. The columns keep what the
 * services sent (no spoken commands or replacement rules), so the comparison is of the services.
 * When every column has ended, the comparison is kept in History as one session with a version per
 * column.
 */
import { create } from 'zustand';
import { dictationError, type DictationError } from '../core/errors';
import { isActive, type SessionStatus } from '../core/status';
import { PROVIDERS, providerEntry, type ProviderEntry } from '../protocol/registry';
import { profileOf } from '../protocol/settings';
import type { ComparisonControl } from '../session/compare';
import type { SessionSink } from '../session/session';
import type { ComparisonRecord, ComparisonReference, Segment, SessionMeta } from '../transcript/model';
import { sessionFigures, type SessionFigures } from '../transcript/figures';
import { useCredentials } from './credentials';
import { useDictation } from './dictation';
import { attachedComparison } from './compare-control';
import { figureRecorder } from './figures';
import { persist } from './persistence';
import { usePreferences } from './preferences';
import { useWords } from './words';

/** Fewest and most services in one comparison. */
export const COMPARE_MIN = 2;
export const COMPARE_MAX = 4;

/** One service's column while it runs and after. */
export interface CompareColumnState {
  readonly entryId: string;
  readonly label: string;
  readonly status: SessionStatus;
  readonly partial: string;
  readonly segments: readonly Segment[];
  /** Why the column ended early. */
  readonly error: DictationError | null;
  /** Something the column's session noticed and went on after (no text yet, audio lost…). */
  readonly notice: DictationError | null;
  /** The reconnect attempt under way (1-based), or 0. */
  readonly reconnectAttempt: number;
  readonly figures: SessionFigures | null;
}

/** Where a comparison's audio comes from. */
export type CompareSource =
  | { readonly kind: 'microphone' }
  | { readonly kind: 'file'; readonly file: File }
  /** The audio kept with a History session. */
  | { readonly kind: 'kept'; readonly sessionId: string; readonly title: string };

export interface CompareState {
  /** The provider entries picked, in the order picked. */
  readonly picks: readonly string[];
  readonly columns: readonly CompareColumnState[];
  /** What the last comparison heard, as the results name it. */
  readonly sourceName: string;
  /** A file or kept audio being read: how far, 0–1. */
  readonly progress: number | null;
  readonly reference: ComparisonReference;
  /** The History session the last comparison is kept as. */
  readonly saved: SessionMeta | null;
  /** Why a comparison could not start. */
  readonly problem: string | null;
  /** The controller (a test's); null: the one attached with `attachComparison`. */
  readonly control: ComparisonControl | null;
  readonly togglePick: (entryId: string) => void;
  /** Starts a comparison of the picks, from the microphone or `source`. */
  readonly start: (source?: CompareSource) => void;
  readonly stop: () => void;
  /** Scores against `reference` (and keeps that choice with the comparison in History). */
  readonly setReference: (reference: ComparisonReference) => void;
  /** Shows a comparison kept in History. */
  readonly show: (meta: SessionMeta) => void;
  /** Back to choosing services, the last results cleared. */
  readonly reset: () => void;
}

/** A provider's name as the comparison shows it: the local engine with its protocol. */
export function entryLabel(entry: ProviderEntry): string {
  return entry.dialect ? `${entry.label} (${entry.dialect})` : entry.label;
}

/**
 * Whether an entry can be compared: the local engine always; a cloud service once it has a key or
 * settings of its own (a token URL, a custom endpoint).
 */
export function isConfigured(entry: ProviderEntry): boolean {
  if (entry.local) return true;
  return Boolean(useCredentials.getState().keys[entry.id]) || Boolean(useDictation.getState().settings.profiles[entry.id]);
}

/** Any column still running. */
export function comparing(columns: readonly CompareColumnState[]): boolean {
  return columns.some((c) => isActive(c.status));
}

/** The comparison as kept: columns with their words and figures, and the reference. */
export function comparisonRecord(s: Pick<CompareState, 'columns' | 'reference' | 'sourceName'>): ComparisonRecord {
  return {
    source: s.sourceName,
    reference: s.reference,
    columns: s.columns.map((c) => ({
      entryId: c.entryId,
      label: c.label,
      segments: c.partial ? [...c.segments, { id: c.segments.length + 1, text: c.partial }] : c.segments,
      figures: c.figures,
      ...(c.error && { error: c.error.message }),
    })),
  };
}

const idle = (entryId: string): CompareColumnState => {
  const entry = providerEntry(entryId);
  return {
    entryId,
    label: entry ? entryLabel(entry) : entryId,
    status: 'idle',
    partial: '',
    segments: [],
    error: null,
    notice: null,
    reconnectAttempt: 0,
    figures: null,
  };
};

/** The default picks: the first two local dialects (they need no key). */
const DEFAULT_PICKS = PROVIDERS.filter((p) => p.local)
  .slice(0, COMPARE_MIN)
  .map((p) => p.id);

export const useCompare = create<CompareState>()((set, get) => {
  /** Updates column `i`, while it is the run's (a later run's columns are not this one's). */
  const column = (run: number, i: number, patch: (c: CompareColumnState) => Partial<CompareColumnState>) => {
    if (run !== current) return;
    set((s) => ({ columns: s.columns.map((c, j) => (j === i ? { ...c, ...patch(c) } : c)) }));
  };
  let current = 0;

  /** Every column has ended: the comparison is kept in History. */
  const finish = (run: number, meta: SessionMeta) => {
    if (run !== current || comparing(get().columns)) return;
    const s = get();
    const record = comparisonRecord(s);
    const versions = record.columns.map((c, i) => ({
      key: i === 0 ? meta.id : `${meta.id}~${i + 1}`,
      label: c.label,
      createdAt: meta.startedAt,
    }));
    const first = record.columns[0]?.segments ?? [];
    const lastEnd = (segs: readonly Segment[]) => Math.max(0, ...segs.map((g) => (g.startMs ?? 0) + (g.durationMs ?? 0)));
    const saved: SessionMeta = {
      ...meta,
      recording: false,
      updatedAt: Date.now(),
      durationMs: Math.max(Date.now() - meta.startedAt, ...record.columns.map((c) => lastEnd(c.segments))),
      segmentCount: first.length,
      preview: first
        .map((g) => g.text)
        .join(' ')
        .slice(0, 120),
      versions,
      version: meta.id,
      comparison: record,
      ...(record.columns[0]?.figures && { figures: record.columns[0].figures }),
    };
    set({ saved, progress: null });
    void persist(async (h) => {
      for (const [i, c] of record.columns.entries())
        for (const g of c.segments) await h.saveSegment({ ...saved, version: versions[i].key }, g);
      await h.saveMeta(saved);
    });
  };

  return {
    picks: DEFAULT_PICKS,
    columns: [],
    sourceName: '',
    progress: null,
    reference: { kind: 'column', index: 0 },
    saved: null,
    problem: null,
    control: null,
    togglePick(entryId) {
      if (comparing(get().columns)) return;
      set((s) => {
        if (s.picks.includes(entryId)) return { picks: s.picks.filter((p) => p !== entryId), problem: null };
        if (s.picks.length >= COMPARE_MAX) return { problem: `A comparison takes at most ${COMPARE_MAX} services.` };
        return { picks: [...s.picks, entryId], problem: null };
      });
    },
    start(source = { kind: 'microphone' }) {
      const { picks, columns } = get();
      const control = get().control ?? attachedComparison();
      if (comparing(columns)) return;
      const dictation = useDictation.getState();
      if (isActive(dictation.status))
        return set({ problem: 'Stop the dictation first: the comparison needs the microphone and the engine.' });
      if (picks.length < COMPARE_MIN || picks.length > COMPARE_MAX)
        return set({ problem: `Pick ${COMPARE_MIN} to ${COMPARE_MAX} services to compare.` });
      if (!control) return set({ problem: 'Comparing is not available in this page. Reload and try again.' });
      const entries = picks.map((id) => providerEntry(id)).filter((e): e is ProviderEntry => e !== undefined);
      let capture: Parameters<ComparisonControl['start']>[2];
      let sourceName = 'the microphone';
      const progress = (p: number) => set({ progress: p });
      if (source.kind === 'file') {
        if (!dictation.fileSource) return set({ problem: 'Reading files is not available in this page. Reload and try again.' });
        capture = dictation.fileSource(source.file, progress);
        sourceName = source.file.name;
      } else if (source.kind === 'kept') {
        if (!dictation.keptSource) return set({ problem: 'Kept audio is not available in this page. Reload and try again.' });
        capture = dictation.keptSource(source.sessionId, 0, progress);
        sourceName = `the audio of “${source.title}”`;
      }
      const run = ++current;
      const now = Date.now();
      const meta: SessionMeta = {
        id: crypto.randomUUID(),
        title: `Comparison: ${entries.map(entryLabel).join(' vs ')}`,
        startedAt: now,
        updatedAt: now,
        provider: entries.map(entryLabel).join(', '),
        durationMs: 0,
        segmentCount: 0,
        preview: '',
        recording: true,
        interrupted: false,
      };
      set({
        columns: entries.map((e) => ({ ...idle(e.id), status: 'connecting' })),
        sourceName,
        progress: source.kind === 'microphone' ? null : 0,
        saved: null,
        problem: null,
        reference: { kind: 'column', index: 0 },
      });
      void persist((h) => h.saveMeta(meta));
      const { settings } = dictation;
      const vocabulary = useWords.getState().vocabulary;
      const sinks = entries.map((_, i) => columnSink(run, i, () => finish(run, meta)));
      // The audio is kept once, with the first column's session; kept audio played in is not kept again.
      const audio = usePreferences.getState();
      const keep =
        source.kind === 'kept' || audio.keepAudio === 'never'
          ? undefined
          : { sessionId: meta.id, startMs: 0, lossless: audio.losslessAudio };
      control.start(
        entries.map((entry) => ({
          provider: entry.id,
          profile: profileOf(settings, entry),
          apiKey: useCredentials.getState().keys[entry.id] ?? '',
          microphone: settings.microphone,
          vocabulary,
        })),
        sinks,
        capture,
        keep,
      );
    },
    stop() {
      (get().control ?? attachedComparison())?.stop();
    },
    setReference(reference) {
      set({ reference });
      const { saved } = get();
      if (!saved || comparing(get().columns)) return;
      const kept: SessionMeta = { ...saved, comparison: comparisonRecord(get()), updatedAt: Date.now() };
      set({ saved: kept });
      void persist((h) => h.saveMeta(kept));
    },
    show(meta) {
      const record = meta.comparison;
      if (!record || comparing(get().columns)) return;
      current++;
      set({
        picks: record.columns.map((c) => c.entryId),
        columns: record.columns.map((c) => ({
          ...idle(c.entryId),
          label: c.label,
          status: c.error ? 'error' : 'idle',
          segments: c.segments,
          figures: c.figures,
          error: c.error ? dictationError('connection-lost', c.error) : null,
        })),
        sourceName: record.source,
        reference: record.reference,
        saved: meta,
        problem: null,
        progress: null,
      });
    },
    reset() {
      if (comparing(get().columns)) return;
      current++;
      set({ columns: [], saved: null, problem: null, progress: null, reference: { kind: 'column', index: 0 } });
    },
  };

  /** How column `i` of run `run` reports: into its column, with its own figures. */
  function columnSink(run: number, i: number, ended: () => void): SessionSink {
    const figures = figureRecorder();
    figures.begin();
    let done = false;
    const over = (patch: (c: CompareColumnState) => Partial<CompareColumnState>) => {
      if (done) return;
      done = true;
      const timeline = figures.end();
      const measured = timeline && sessionFigures(timeline);
      column(run, i, (c) => ({ ...patch(c), figures: measured, partial: '', reconnectAttempt: 0 }));
      ended();
    };
    // Words shown that the service never finalised are kept, as a dictation keeps them.
    const keepPartial = (c: CompareColumnState) =>
      c.partial ? { segments: [...c.segments, { id: c.segments.length + 1, text: c.partial }] } : {};
    return {
      status(status) {
        if (status === 'idle') return over((c) => ({ status, ...keepPartial(c) }));
        column(run, i, () => (status === 'reconnecting' ? { status, partial: '' } : { status }));
      },
      transcript(update) {
        figures.transcript(update);
        if (update.type === 'partial') column(run, i, () => ({ partial: update.text }));
        else if (update.type === 'final') {
          const { type: _type, ...final } = update;
          if (final.text.trim() === '') return column(run, i, () => ({ partial: '' }));
          column(run, i, (c) => ({ partial: '', segments: [...c.segments, { ...final, id: c.segments.length + 1 }] }));
        }
      },
      fail(error) {
        over((c) => ({ status: 'error', error, ...keepPartial(c) }));
      },
      notice(error) {
        column(run, i, () => ({ notice: error }));
      },
      level: () => undefined,
      reconnecting(attempt) {
        figures.reconnecting(attempt);
        column(run, i, () => ({ reconnectAttempt: attempt }));
      },
      network: () => undefined,
      waiting: () => undefined,
      speech: (edge, audioMs) => figures.speech(edge, audioMs),
      frameSent: (delayMs) => figures.frameSent(delayMs),
      replayed: (audioMs) => figures.replayed(audioMs),
    };
  }
});
