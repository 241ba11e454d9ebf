/**
 * The open session as a file: plain text, Markdown, SRT, WebVTT or JSON. Caption files are written by
 * `@deepgram/captions` (timestamps and file layout); what goes into each cue is decided here, because
 * only Dictate knows its segments.
 */
import { srt, webvtt, type IConverter, type WordBase } from '@deepgram/captions';
import { formatDuration, segmentEndMs, sessionTitle, transcriptText, type Segment, type SessionMeta } from './model';

/** The formats of the Export menu. */
export type ExportFormat = 'txt' | 'md' | 'srt' | 'vtt' | 'json';

/** Cue limits (the usual broadcast caption rules): characters per line, lines per cue, seconds per cue. */
export const CUE_LIMITS = { lineChars: 42, lines: 2, maxMs: 7000 } as const;

/** Assumed speaking time of a word when the service gave no times, ms. */
const WORD_MS = 350;

/** A word placed in time, ms since the session began. */
interface TimedWord {
  readonly text: string;
  readonly startMs: number;
  readonly endMs: number;
  /** The first word of its segment. */
  readonly first: boolean;
}

/**
 * Every word of the session with a time. Where the segment's words are its text (no edit, no spoken
 * command), their own times; otherwise the segment's span shared out by word length; with no times at
 * all, one word every {@link WORD_MS} ms after the previous segment. Times never run backwards.
 */
export function timedWords(segments: readonly Segment[]): TimedWord[] {
  const out: TimedWord[] = [];
  let clock = 0;
  for (const segment of segments) {
    const texts = segment.text.split(/\s+/).filter(Boolean);
    if (texts.length === 0) continue;
    const firstIndex = out.length;
    const own = segment.words;
    const useOwn = own !== undefined && own.length === texts.length && own.every((w, i) => w.startMs !== undefined && w.text === texts[i]);
    if (useOwn) {
      for (const w of own) {
        const startMs = Math.max(clock, w.startMs ?? clock);
        const endMs = Math.max(startMs + 1, startMs + (w.durationMs ?? WORD_MS));
        out.push({ text: w.text, startMs, endMs, first: out.length === firstIndex });
        clock = endMs;
      }
      continue;
    }
    const start = Math.max(clock, segment.startMs ?? clock);
    const end = Math.max(start + texts.length, segmentEndMs(segment) ?? start + texts.length * WORD_MS);
    const chars = texts.reduce((n, t) => n + t.length, 0);
    let at = start;
    for (const text of texts) {
      const next = at + ((end - start) * text.length) / chars;
      out.push({ text, startMs: Math.round(at), endMs: Math.max(Math.round(next), Math.round(at) + 1), first: out.length === firstIndex });
      at = next;
    }
    clock = Math.max(clock, out.at(-1)!.endMs);
  }
  return out;
}

/**
 * Splits the session into caption cues of one line each: at most {@link CUE_LIMITS}.lineChars characters
 * and {@link CUE_LIMITS}.maxMs long, starting afresh at each segment. A word longer than a line is cut.
 * @returns the cues as the caption library's word lists (times in seconds)
 */
export function cueWords(segments: readonly Segment[]): WordBase[][] {
  const cues: WordBase[][] = [];
  let cue: WordBase[] = [];
  let chars = 0;
  const flush = () => {
    if (cue.length) cues.push(cue);
    cue = [];
    chars = 0;
  };
  const words = timedWords(segments);
  for (const w of words) {
    const pieces = w.text.match(new RegExp(`.{1,${CUE_LIMITS.lineChars}}`, 'gu')) ?? [];
    for (const [i, piece] of pieces.entries()) {
      // A word cut into pieces shares its time among them.
      const share = (w.endMs - w.startMs) / pieces.length;
      const word: WordBase = { word: piece, start: (w.startMs + i * share) / 1000, end: (w.startMs + (i + 1) * share) / 1000 };
      const tooLong = cue.length > 0 && chars + 1 + piece.length > CUE_LIMITS.lineChars;
      const tooSlow = cue.length > 0 && word.end - cue[0].start > CUE_LIMITS.maxMs / 1000;
      if ((w.first && i === 0) || tooLong || tooSlow) flush();
      chars += (cue.length ? 1 : 0) + piece.length;
      cue.push({ ...word, end: Math.min(word.end, (cue[0]?.start ?? word.start) + CUE_LIMITS.maxMs / 1000) });
    }
  }
  flush();
  return cues;
}

/** The session as the caption library's converter. */
function converter(segments: readonly Segment[]): IConverter {
  const cues = cueWords(segments);
  return { transcriptionData: cues, getLines: () => cues };
}

/** The session's date as a local `YYYY-MM-DD HH:MM`. */
function localDate(epochMs: number): string {
  const d = new Date(epochMs);
  const two = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${two(d.getMonth() + 1)}-${two(d.getDate())} ${two(d.getHours())}:${two(d.getMinutes())}`;
}

/** Markdown that reads as the dictated text: line breaks kept, a line never taken for a heading or list. */
function markdownText(text: string): string {
  return text
    .split('\n')
    .map((line) => line.replace(/^(\s*)([#>*+-]|\d+\.)/, '$1\\$2'))
    .join('  \n')
    .replace(/ {2}\n {2}\n/g, '\n\n');
}

/** A segment in the JSON export: times in seconds since the session began. */
interface JsonSegment {
  readonly id: number;
  readonly text: string;
  readonly raw?: string;
  readonly edited?: boolean;
  readonly start: number | null;
  readonly end: number | null;
  readonly speaker?: string;
  readonly language?: string;
  readonly words: readonly { text: string; start: number | null; end: number | null; confidence?: number; speaker?: string }[];
}

const seconds = (ms: number | undefined) => (ms === undefined ? null : Math.round(ms) / 1000);

/**
 * Writes the session in one format.
 * @param meta - the session (title, date, duration, provider)
 * @param segments - its segments, in order
 * @returns the file's text (UTF-8)
 */
export function exportSession(format: ExportFormat, meta: SessionMeta, segments: readonly Segment[]): string {
  const text = transcriptText(segments);
  switch (format) {
    case 'txt':
      return text + '\n';
    case 'md':
      return `# ${sessionTitle(meta)}\n\n*${localDate(meta.startedAt)} · ${formatDuration(meta.durationMs)} · ${meta.provider}*\n\n${markdownText(text)}\n`;
    case 'srt':
      return segments.some((s) => s.text.trim()) ? srt(converter(segments)) : '';
    case 'vtt':
      return segments.some((s) => s.text.trim()) ? webvtt(converter(segments)) : 'WEBVTT\n';
    case 'json': {
      const out: JsonSegment[] = segments.map((s) => ({
        id: s.id,
        text: s.text,
        ...(s.raw !== undefined && { raw: s.raw }),
        ...(s.edited && { edited: true }),
        start: seconds(s.startMs),
        end: seconds(segmentEndMs(s)),
        ...(s.speaker !== undefined && { speaker: s.speaker }),
        ...(s.language !== undefined && { language: s.language }),
        words: (s.words ?? []).map((w) => ({
          text: w.text,
          start: seconds(w.startMs),
          end: seconds(w.startMs === undefined ? undefined : w.startMs + (w.durationMs ?? 0)),
          ...(w.confidence !== undefined && { confidence: w.confidence }),
          ...(w.speaker !== undefined && { speaker: w.speaker }),
        })),
      }));
      const doc = {
        title: sessionTitle(meta),
        startedAt: new Date(meta.startedAt).toISOString(),
        duration: meta.durationMs / 1000,
        provider: meta.provider,
        text,
        segments: out,
        ...(meta.figures && { figures: meta.figures }),
      };
      return JSON.stringify(doc, null, 2) + '\n';
    }
  }
}

/** Kept audio's export formats: WAV (16 kHz PCM16), and the stored Opus in an Ogg file. */
export type AudioExportFormat = 'wav' | 'ogg';

/** The MIME type of each format. */
export const EXPORT_TYPES: Readonly<Record<ExportFormat, string>> = {
  txt: 'text/plain;charset=utf-8',
  md: 'text/markdown;charset=utf-8',
  srt: 'application/x-subrip;charset=utf-8',
  vtt: 'text/vtt;charset=utf-8',
  json: 'application/json',
};

/** `dictate-YYYY-MM-DD-HHMM-<title>.<format>`: the session's local date and a file-safe title. */
export function exportFileName(meta: SessionMeta, format: ExportFormat | AudioExportFormat): string {
  const date = localDate(meta.startedAt).replace(' ', '-').replace(':', '');
  const slug = sessionTitle(meta)
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 40)
    .replace(/-+$/, '');
  return `dictate-${date}${slug ? '-' + slug : ''}.${format}`;
}
