import 'fake-indexeddb/auto';
import { describe, expect, it } from 'vitest';
import { openHistory } from './db';
import type { Segment, SessionMeta } from '../transcript/model';

let n = 0;
const fresh = () => openHistory(`history-test-${++n}`);

const meta = (id: string, startedAt: number, patch: Partial<SessionMeta> = {}): SessionMeta => ({
  id,
  title: '',
  startedAt,
  updatedAt: startedAt,
  provider: 'Local engine',
  durationMs: 0,
  segmentCount: 0,
  preview: '',
  recording: false,
  interrupted: false,
  ...patch,
});
const segment = (id: number, text: string): Segment => ({ id, text, startMs: id * 1000, durationMs: 900 });

describe('session history (IndexedDB)', () => {
  it('keeps each segment as it is saved, and lists sessions newest first', async () => {
    const history = await fresh();
    const first = meta('a', 1);
    await history.saveSegment(first, segment(1, 'first words'));
    await history.saveSegment({ ...first, segmentCount: 2 }, segment(2, 'second'));
    await history.saveMeta(meta('b', 2));
    expect((await history.list()).map((s) => s.id)).toEqual(['b', 'a']);
    const loaded = await history.load('a');
    expect(loaded?.meta.segmentCount).toBe(2);
    expect(loaded?.segments).toEqual([segment(1, 'first words'), segment(2, 'second')]);
  });

  it('saves an edited segment over the old one, keeping its times', async () => {
    const history = await fresh();
    await history.saveSegment(meta('a', 1), segment(1, 'helo world'));
    await history.saveSegment(meta('a', 1), { ...segment(1, 'hello world'), raw: 'helo world', edited: true });
    expect((await history.load('a'))?.segments).toEqual([{ ...segment(1, 'hello world'), raw: 'helo world', edited: true }]);
  });

  it('searches titles and text, case-insensitively', async () => {
    const history = await fresh();
    await history.saveSegment(meta('a', 1), segment(1, 'The Quick brown fox'));
    await history.saveSegment(meta('b', 2, { title: 'Quickly noted' }), segment(1, 'nothing here'));
    await history.saveSegment(meta('c', 3), segment(1, 'slow'));
    expect(await history.search('quick')).toEqual(['b', 'a']);
    expect(await history.search('  ')).toEqual(['c', 'b', 'a']);
    expect(await history.search('absent')).toEqual([]);
  });

  it('deletes a session with its segments, and restores it whole', async () => {
    const history = await fresh();
    await history.saveSegment(meta('a', 1), segment(1, 'keep me'));
    await history.saveSegment(meta('b', 2), segment(1, 'other'));
    const record = await history.load('a');
    await history.remove('a');
    expect(await history.load('a')).toBeUndefined();
    expect(await history.search('keep')).toEqual([]);
    await history.restore(record!);
    expect(await history.load('a')).toEqual(record);
    await history.clear();
    expect(await history.list()).toEqual([]);
  });

  it('marks sessions left recording as interrupted, once', async () => {
    const history = await fresh();
    await history.saveMeta(meta('a', 1, { recording: true }));
    await history.saveMeta(meta('b', 2));
    expect((await history.recoverInterrupted()).map((s) => s.id)).toEqual(['a']);
    expect((await history.load('a'))?.meta).toMatchObject({ recording: false, interrupted: true });
    expect(await history.recoverInterrupted()).toEqual([]);
  });

  it('keeps sessions across a reopen', async () => {
    const history = await openHistory('history-reopen');
    await history.saveSegment(meta('a', 1), segment(1, 'still here'));
    const again = await openHistory('history-reopen');
    expect((await again.load('a'))?.segments[0].text).toBe('still here');
  });
});
