/** How long audio is kept: under "for 30 days", audio last written more than 30 days ago goes at start-up; the words stay. */
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { FRAME_BYTES } from '../core/frames';
import { ChunkedAudioWriter, Pcm16PacketEncoder } from '../history/audio-store';
import { resetStores } from '../test/stores';
import type { SessionMeta } from '../transcript/model';
import { useHistory } from './history';
import { currentHistory } from './persistence';
import { KEEP_AUDIO_30_DAYS_MS, usePreferences } from './preferences';

const meta = (id: string): SessionMeta => ({
  id,
  title: id,
  startedAt: 1,
  updatedAt: 1,
  provider: 'Local',
  durationMs: 1000,
  segmentCount: 1,
  preview: `${id} words`,
  recording: false,
  interrupted: false,
});

/** A session with words and 0.2 s of audio, its audio last written `ageMs` ago. */
async function keptSession(id: string, ageMs: number): Promise<void> {
  const history = (await currentHistory())!;
  await history.restore({ meta: meta(id), segments: [{ id: 1, text: `${id} words` }] });
  const writer = new ChunkedAudioWriter({ sessionId: id, startMs: 0 }, history.audioSink, new Pcm16PacketEncoder(), () => undefined);
  for (let i = 0; i < 10; i++) writer.frame(new Int16Array(FRAME_BYTES / 2).buffer);
  await writer.close();
  const chunks = await history.audio(id);
  await history.removeAudio(id);
  const realNow = Date.now;
  Date.now = () => realNow() - ageMs; // the totals record when the chunk was written
  try {
    await history.restoreAudio(chunks);
  } finally {
    Date.now = realNow;
  }
}

beforeEach(resetStores);

describe('keeping audio for 30 days', () => {
  it('deletes audio older than 30 days at start-up, keeping its words and newer audio', async () => {
    await keptSession('old', KEEP_AUDIO_30_DAYS_MS + 60_000);
    await keptSession('new', 60_000);
    usePreferences.getState().setKeepAudio('30-days');
    await useHistory.getState().load();
    const history = (await currentHistory())!;
    expect(await history.audio('old')).toEqual([]);
    expect((await history.audio('new')).length).toBe(1);
    expect((await history.load('old'))?.segments.map((s) => s.text)).toEqual(['old words']);
    await vi.waitFor(() => expect(Object.keys(useHistory.getState().audio)).toEqual(['new']));
  });

  it('keeps it all under "always"', async () => {
    await keptSession('old', KEEP_AUDIO_30_DAYS_MS + 60_000);
    await useHistory.getState().load();
    expect((await (await currentHistory())!.audio('old')).length).toBe(1);
  });
});
