/**
 * The transcript as Dictate keeps it: sessions of final segments. Pure types and text helpers, used by
 * the history database, the store, the export formats and the components.
 */
import type { FinalResult } from '../core/events';
import type { SessionFigures } from './figures';

/**
 * One final utterance of a session: a final result with its number in the session. Times (`startMs`,
 * `durationMs`, and the words' times) are ms since the session began, counting only time spent recording.
 */
export type Segment = Omit<FinalResult, 'type'> & {
  /** 1-based, unique in its session, in order. */
  readonly id: number;
  /** What the service sent, where the text shown differs (spoken commands applied, or edited by hand). */
  readonly raw?: string;
  /** True once the user changed the text by hand. */
  readonly edited?: boolean;
};

/** A dictation session as History lists it (its segments are stored apart, one record each). */
export interface SessionMeta {
  /** Random id (UUID). */
  readonly id: string;
  /** Set by the user; '' shows the first words instead. */
  readonly title: string;
  /** Epoch ms of the first recording. */
  readonly startedAt: number;
  /** Epoch ms of the last change. */
  readonly updatedAt: number;
  /** The provider's label when it was last recorded, e.g. "Local engine (PocketSphinx, offline)". */
  readonly provider: string;
  /** Time spent recording, ms, summed over every run of the session. */
  readonly durationMs: number;
  readonly segmentCount: number;
  /** The first words, up to {@link PREVIEW_CHARS} characters. */
  readonly preview: string;
  /** True while a recording is under way; a session found so after a reload was interrupted. */
  readonly recording: boolean;
  /** The tab closed or crashed while recording: words up to the last final are kept, the partial is not. */
  readonly interrupted: boolean;
  /**
   * Where kept audio with no text yet begins, ms on the session's time base: set when a run ended before
   * the service gave the last words (a finish that timed out, a service that failed); cleared once
   * that audio is transcribed. An interrupted session's untranscribed audio begins after its last segment.
   */
  readonly untranscribedFromMs?: number;
  /** The transcripts of this session (the first is the one recorded); absent while there is only that one. */
  readonly versions?: readonly TranscriptVersion[];
  /** The key of the version shown and edited (default: the session's id, the recorded one). */
  readonly version?: string;
  /** The last run's figures (docs/metrics.md): latency, stability, delivery. */
  readonly figures?: SessionFigures;
  /** Set when the session is a comparison of services: its columns (also kept as the session's versions) and their reference. */
  readonly comparison?: ComparisonRecord;
}

/** What the words of a comparison are scored against. */
export type ComparisonReference =
  /** One column's transcript, by its index. */
  | { readonly kind: 'column'; readonly index: number }
  /** Text the user pasted, typed, or edited from a column. */
  | { readonly kind: 'text'; readonly text: string };

/** One service's column of a comparison, as kept. */
export interface ComparisonColumn {
  /** The provider entry's id, e.g. `local-reson8`. */
  readonly entryId: string;
  /** The provider picker's name for it, with the protocol for a local entry. */
  readonly label: string;
  readonly segments: readonly Segment[];
  /** Its run's figures; null when it recorded nothing. */
  readonly figures: SessionFigures | null;
  /** Why it ended early, where it failed. */
  readonly error?: string;
}

/** A comparison of services on the same speech (docs/metrics.md, "Comparing services"), as History keeps it. */
export interface ComparisonRecord {
  readonly columns: readonly ComparisonColumn[];
  readonly reference: ComparisonReference;
  /** What was heard: "the microphone", a file's name, or a kept session's title. */
  readonly source: string;
}

/** One transcript of a session's audio: the one recorded, or one transcribed again with another service. */
export interface TranscriptVersion {
  /** Where its segments are stored: the session's id for the recorded one, `<id>~<n>` for the others. */
  readonly key: string;
  /** The service that made it, as the provider picker names it. */
  readonly label: string;
  /** Epoch ms. */
  readonly createdAt: number;
}

/** The key the shown version's segments are stored under. */
export function versionKey(meta: Pick<SessionMeta, 'id' | 'version'>): string {
  return meta.version ?? meta.id;
}

/** The session a version key belongs to. */
export function sessionOfKey(key: string): string {
  return key.split('~')[0];
}

/** A session's versions, the recorded one included. */
export function versionsOf(meta: SessionMeta): readonly TranscriptVersion[] {
  return meta.versions ?? [{ key: meta.id, label: meta.provider, createdAt: meta.startedAt }];
}

/** How much of a session's text History shows. */
export const PREVIEW_CHARS = 120;

/** The transcript as plain text: segments in order, space-joined (none after a spoken line break). */
export function transcriptText(segments: readonly Pick<Segment, 'text'>[]): string {
  let out = '';
  for (const s of segments) {
    const text = s.text.replace(/^ +| +$/g, '');
    if (!text) continue;
    out += out === '' || out.endsWith('\n') || /^[\n.,?!;:]/.test(text) ? text : ' ' + text;
  }
  return out.replace(/^\s+|\s+$/g, '');
}

/** The first words of a transcript, cut at a word boundary to at most {@link PREVIEW_CHARS} characters. */
export function previewOf(segments: readonly Pick<Segment, 'text'>[]): string {
  const text = transcriptText(segments.slice(0, 20)).replace(/\s+/g, ' ');
  if (text.length <= PREVIEW_CHARS) return text;
  const cut = text.slice(0, PREVIEW_CHARS);
  return cut.slice(0, Math.max(cut.lastIndexOf(' '), 1)) + '…';
}

/** What History calls a session: its title, else its first words, else its date. */
export function sessionTitle(meta: Pick<SessionMeta, 'title' | 'preview' | 'startedAt'>): string {
  if (meta.title.trim()) return meta.title.trim();
  if (meta.preview) return meta.preview.length > 48 ? meta.preview.slice(0, 48).replace(/\s+\S*$/, '') + '…' : meta.preview;
  return `Dictation of ${new Date(meta.startedAt).toLocaleString()}`;
}

/** A size in bytes as MB with one decimal (kB below 0.1 MB); 1 MB = 10^6 bytes. */
export function formatBytes(bytes: number): string {
  if (bytes < 100_000) return `${Math.max(1, Math.round(bytes / 1000))} kB`;
  return `${(bytes / 1_000_000).toFixed(1)} MB`;
}

/** h:mm:ss or m:ss for a duration in ms. */
export function formatDuration(ms: number): string {
  const total = Math.max(0, Math.round(ms / 1000));
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = String(total % 60).padStart(2, '0');
  return h > 0 ? `${h}:${String(m).padStart(2, '0')}:${s}` : `${m}:${s}`;
}

/** End of a segment, ms since the session began (its start when it has no duration; undefined without times). */
export function segmentEndMs(segment: Pick<Segment, 'startMs' | 'durationMs' | 'words'>): number | undefined {
  if (segment.startMs === undefined) return undefined;
  const lastWord = segment.words?.at(-1);
  const wordsEnd = lastWord?.startMs !== undefined ? lastWord.startMs + (lastWord.durationMs ?? 0) : 0;
  return Math.max(segment.startMs + (segment.durationMs ?? 0), wordsEnd);
}
