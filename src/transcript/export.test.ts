import { describe, expect, it } from 'vitest';
import { parseCues } from '../../e2e/support/captions';
import { CUE_LIMITS, exportFileName, exportSession } from './export';
import type { Segment, SessionMeta } from './model';

const meta: SessionMeta = {
  id: 's1',
  title: 'Café notes: draft #2',
  startedAt: new Date(2026, 10, 28, 9, 5).getTime(),
  updatedAt: 0,
  provider: 'Local engine (PocketSphinx, offline)',
  durationMs: 95_000,
  segmentCount: 3,
  preview: '',
  recording: false,
  interrupted: false,
};

const word = (text: string, startMs: number, durationMs = 300) => ({ text, startMs, durationMs, confidence: 0.9 });

const segments: Segment[] = [
  {
    id: 1,
    text: 'the quick brown fox jumps over the lazy dog and keeps on running far away',
    startMs: 0,
    durationMs: 9000,
    words: 'the quick brown fox jumps over the lazy dog and keeps on running far away'.split(' ').map((w, i) => word(w, i * 600)),
  },
  // Edited by hand: its words no longer match, so its span is shared out.
  {
    id: 2,
    text: '# Heading-like line\n- not a list',
    raw: 'heading like line not a list',
    edited: true,
    startMs: 10_000,
    durationMs: 3000,
  },
  // No times at all.
  { id: 3, text: 'supercalifragilisticexpialidociouslyandevenlongerthanalineofcaptions end' },
];

describe('export', () => {
  it.each(['srt', 'vtt'] as const)('writes %s cues with monotonic times, at most 42 characters a line, 2 lines and 7 s', (format) => {
    const file = exportSession(format, meta, segments);
    if (format === 'vtt') expect(file.startsWith('WEBVTT\n')).toBe(true);
    const cues = parseCues(file);
    expect(cues.length).toBeGreaterThan(4);
    let previousEnd = 0;
    for (const cue of cues) {
      expect(cue.start).toBeGreaterThanOrEqual(previousEnd);
      expect(cue.end).toBeGreaterThan(cue.start);
      expect(cue.end - cue.start).toBeLessThanOrEqual(CUE_LIMITS.maxMs / 1000);
      expect(cue.lines.length).toBeLessThanOrEqual(CUE_LIMITS.lines);
      for (const line of cue.lines) expect(line.length).toBeLessThanOrEqual(CUE_LIMITS.lineChars);
      previousEnd = cue.end;
    }
    // Every word is in a cue, in order.
    expect(cues.flatMap((c) => c.lines.join(' ').split(' ')).join(' ')).toBe(
      segments
        .map((s) => s.text)
        .join(' ')
        .split(/\s+/)
        .join(' ')
        .replace(
          'supercalifragilisticexpialidociouslyandevenlongerthanalineofcaptions',
          'supercalifragilisticexpialidociouslyandeve nlongerthanalineofcaptions',
        ),
    );
    // The first segment's own word times are used.
    expect(cues[0].start).toBe(0);
  });

  it('writes JSON with segments in seconds and their words', () => {
    const doc = JSON.parse(exportSession('json', meta, segments)) as {
      title: string;
      startedAt: string;
      segments: {
        id: number;
        text: string;
        raw?: string;
        start: number | null;
        end: number | null;
        words: { text: string; start: number }[];
      }[];
    };
    expect(doc.title).toBe('Café notes: draft #2');
    expect(new Date(doc.startedAt).getTime()).toBe(meta.startedAt);
    expect(doc.segments).toHaveLength(3);
    expect(doc.segments[0]).toMatchObject({ id: 1, start: 0, end: 9 });
    expect(doc.segments[0].words[1]).toEqual({ text: 'quick', start: 0.6, end: 0.9, confidence: 0.9 });
    expect(doc.segments[1]).toMatchObject({ raw: 'heading like line not a list', start: 10, end: 13, words: [] });
    expect(doc.segments[2]).toMatchObject({ start: null, end: null });
  });

  it('writes Markdown that keeps line breaks and never turns dictated text into headings or lists', () => {
    const md = exportSession('md', meta, segments);
    expect(md).toContain('# Café notes: draft #2\n\n*2026-11-28 09:05 · 1:35 · Local engine (PocketSphinx, offline)*');
    expect(md).toContain('away # Heading-like line  \n\\- not a list');
  });

  it('writes plain text as Copy does', () => {
    expect(exportSession('txt', meta, segments.slice(0, 1))).toBe(segments[0].text + '\n');
  });

  it('names files by the session date and title', () => {
    expect(exportFileName(meta, 'srt')).toBe('dictate-2026-11-28-0905-cafe-notes-draft-2.srt');
  });
});
