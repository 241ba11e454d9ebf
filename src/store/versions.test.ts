/** Versions of a session's transcript: made by transcribing the kept audio again, switched, edited apart, deleted. */
import { beforeEach, describe, expect, it } from 'vitest';
import { resetStores } from '../test/stores';
import type { Segment, SessionMeta } from '../transcript/model';
import { attachKeptSource, attachSession, sessionSink, useDictation } from './dictation';
import { currentHistory, settled } from './persistence';

const meta: SessionMeta = {
  id: 's1',
  title: '',
  startedAt: 1,
  updatedAt: 1,
  provider: 'Local engine (PocketSphinx, offline)',
  durationMs: 4000,
  segmentCount: 1,
  preview: 'recorded words',
  recording: false,
  interrupted: false,
};
const recorded: Segment[] = [{ id: 1, text: 'recorded words', startMs: 0, durationMs: 1500 }];

/** A controller that records what it was asked to start, and lets the test report as the session would. */
function fakeControl() {
  const starts: { provider: string; keep: unknown; source: unknown }[] = [];
  attachSession({
    start: (settings, _sink, source, keep) => void starts.push({ provider: settings.provider, keep, source }),
    stop: () => undefined,
    abort: () => undefined,
    check: () => undefined,
  });
  return starts;
}

const fromMsAsked: number[] = [];
beforeEach(async () => {
  resetStores();
  fromMsAsked.length = 0;
  attachKeptSource((_id, fromMs) => {
    fromMsAsked.push(fromMs);
    return () => Promise.reject(new Error('not played in this test'));
  });
  await (await currentHistory())!.restore({ meta, segments: recorded });
  useDictation.getState().openSession(meta, recorded);
});

describe('transcribing the kept audio again', () => {
  it('makes a new version with the chosen service, from the audio’s start, without keeping the audio again', async () => {
    const starts = fakeControl();
    useDictation.getState().transcribeKept({ provider: 'local-speechall', what: 'again' });
    expect(starts).toEqual([{ provider: 'local-speechall', keep: undefined, source: expect.any(Function) }]);
    expect(fromMsAsked).toEqual([0]);
    const session = useDictation.getState().session!;
    expect(session.versions?.map((v) => v.key)).toEqual(['s1', 's1~2']);
    expect(session.versions?.[1].label).toMatch(/Speechall protocol/);
    expect(session.provider).toBe(meta.provider); // History still names the service that recorded it
    expect(useDictation.getState().segments).toEqual([]);
    sessionSink.transcript({ type: 'final', text: 'new words', startMs: 100, durationMs: 900 });
    sessionSink.status('idle');
    await settled();
    // Switching back shows the recorded words; an edit there stays there.
    await useDictation.getState().switchVersion('s1');
    expect(useDictation.getState().segments.map((s) => s.text)).toEqual(['recorded words']);
    useDictation.getState().editSegment(1, 'recorded words, fixed');
    await settled();
    const history = (await currentHistory())!;
    expect((await history.segmentsOf('s1')).map((s) => s.text)).toEqual(['recorded words, fixed']);
    expect((await history.segmentsOf('s1~2')).map((s) => s.text)).toEqual(['new words']);
    expect((await history.load('s1'))?.meta.version).toBe('s1');
    // Deleting the version shown leaves the other, shown.
    await useDictation.getState().switchVersion('s1~2');
    await useDictation.getState().removeVersion('s1~2');
    await settled();
    expect(useDictation.getState().session?.versions?.map((v) => v.key)).toEqual(['s1']);
    expect(useDictation.getState().segments.map((s) => s.text)).toEqual(['recorded words, fixed']);
    expect(await history.segmentsOf('s1~2')).toEqual([]);
    // The only version left cannot be deleted.
    await useDictation.getState().removeVersion('s1');
    expect(useDictation.getState().segments).toHaveLength(1);
  });

  it('a finish that gave up marks the audio after the last words; "the rest" starts there (less 0.5 s) and clears the mark', () => {
    const starts = fakeControl();
    useDictation.setState({ run: { offsetMs: 0, startedAt: Date.now() } });
    sessionSink.notice(Object.assign(new Error('no text'), { code: 'no-text-yet' }) as never);
    expect(useDictation.getState().session?.untranscribedFromMs).toBe(1500);
    useDictation.setState({ run: null });
    useDictation.getState().transcribeKept({ what: 'rest' });
    expect(fromMsAsked).toEqual([1000]);
    expect(starts).toHaveLength(1);
    expect(useDictation.getState().session?.untranscribedFromMs).toBeUndefined();
    expect(useDictation.getState().run?.offsetMs).toBe(1000);
  });
});
