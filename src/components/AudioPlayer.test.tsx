/** The player of a session's kept audio, and the transcript in step with it (jsdom: no sound, the element's time is set by hand). */
import { act, fireEvent, render, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { FRAME_BYTES } from '../core/frames';
import { ChunkedAudioWriter, Pcm16PacketEncoder } from '../history/audio-store';
import { useDictation } from '../store/dictation';
import { useHistory } from '../store/history';
import { currentHistory } from '../store/persistence';
import { usePlayback } from '../store/playback';
import { resetStores } from '../test/stores';
import type { Segment, SessionMeta } from '../transcript/model';
import { AudioPlayer } from './AudioPlayer';
import { Transcript } from './Transcript';

const meta: SessionMeta = {
  id: 'kept',
  title: 'Kept audio',
  startedAt: Date.UTC(2026, 11, 2, 9, 30),
  updatedAt: Date.UTC(2026, 11, 2, 9, 31),
  provider: 'Local engine',
  durationMs: 2000,
  segmentCount: 2,
  preview: 'hello there general kenobi',
  recording: false,
  interrupted: false,
};
const word = (text: string, startMs: number) => ({ text, startMs, durationMs: 300 });
const segments: Segment[] = [
  { id: 1, text: 'hello there', startMs: 0, durationMs: 800, words: [word('hello', 0), word('there', 400)] },
  { id: 2, text: 'general kenobi', startMs: 1000, durationMs: 900, words: [word('general', 1000), word('kenobi', 1500)] },
];

/** Stores 2 s of PCM16 for the session, as a run would. */
async function keepTwoSeconds(): Promise<void> {
  const history = (await currentHistory())!;
  await history.restore({ meta, segments });
  const writer = new ChunkedAudioWriter({ sessionId: meta.id, startMs: 0 }, history.audioSink, new Pcm16PacketEncoder(), () => undefined);
  for (let i = 0; i < 100; i++) writer.frame(new Int16Array(FRAME_BYTES / 2).fill(i).buffer);
  await writer.close();
}

beforeEach(async () => {
  resetStores();
  vi.stubGlobal('URL', Object.assign(URL, { createObjectURL: vi.fn(() => 'blob:kept-audio'), revokeObjectURL: vi.fn() }));
  await keepTwoSeconds();
  useDictation.getState().openSession(meta, segments);
});
afterEach(() => vi.unstubAllGlobals());

async function renderPlayer() {
  const user = userEvent.setup();
  render(
    <>
      <AudioPlayer />
      <Transcript />
    </>,
  );
  const player = await screen.findByRole('region', { name: 'Playback' });
  await within(player).findByText(/Audio kept/);
  return { user, player, log: screen.getByRole('log', { name: 'Transcript' }) };
}

describe('playing a session back', () => {
  it('shows what is kept, and marks the sentence and word being played', async () => {
    const { player, log } = await renderPlayer();
    expect(player).toHaveTextContent('Audio kept: 0:02, 64 kB (PCM16)');
    const slider = within(player).getByRole('slider', { name: 'Position' });
    expect(slider).toHaveAttribute('aria-valuetext', '0:00 of 0:02');
    // The element reports 1.6 s (as it would while playing).
    const audio = player.querySelector('audio')!;
    audio.currentTime = 1.6;
    fireEvent.timeUpdate(audio);
    expect(slider).toHaveAttribute('aria-valuetext', '0:02 of 0:02');
    expect(within(log).getByText('kenobi')).toHaveAttribute('aria-current', 'true');
    expect(within(log).getByText('general').closest('[data-segment]')).toHaveAttribute('aria-current', 'true');
    expect(within(log).getByText('hello').closest('[data-segment]')).not.toHaveAttribute('aria-current');
  });

  it('a click on a word plays from there; the slider and speed are the player’s', async () => {
    const play = vi.spyOn(HTMLMediaElement.prototype, 'play').mockResolvedValue(undefined);
    const { user, player, log } = await renderPlayer();
    await user.click(within(log).getByText('there'));
    expect(usePlayback.getState().seekTo).toMatchObject({ ms: 400, play: true });
    expect(player.querySelector('audio')!.currentTime).toBeCloseTo(0.4);
    expect(play).toHaveBeenCalled();
    expect(within(log).getByText('there')).toHaveAttribute('aria-current', 'true');
    fireEvent.change(within(player).getByRole('slider', { name: 'Position' }), { target: { value: '1100' } });
    expect(within(log).getByText('general')).toHaveAttribute('aria-current', 'true');
    await user.selectOptions(within(player).getByRole('combobox', { name: 'Speed' }), '1.5');
    expect(player.querySelector('audio')!.playbackRate).toBe(1.5);
  });

  it('audio kept as PCM16 where Opus cannot be encoded: the Opus export says so and points to WAV', async () => {
    const { user, player } = await renderPlayer();
    await user.click(within(player).getByRole('button', { name: 'Export audio (Opus)' }));
    expect(await within(player).findByRole('alert')).toHaveTextContent(
      'The Opus file could not be made: This browser cannot encode Opus; export the audio as WAV instead.',
    );
    expect(within(player).getByRole('button', { name: 'Export audio (WAV)' })).toBeEnabled();
  });

  it('deleting the audio keeps the words', async () => {
    vi.spyOn(window, 'confirm').mockReturnValue(true);
    const { user, player, log } = await renderPlayer();
    await user.click(within(player).getByRole('button', { name: 'Delete audio' }));
    await act(() => useHistory.getState().measureStorage());
    expect(screen.queryByRole('region', { name: 'Playback' })).not.toBeInTheDocument();
    expect(log).toHaveTextContent('hello there');
    const history = (await currentHistory())!;
    expect(await history.audio(meta.id)).toEqual([]);
    expect((await history.load(meta.id))?.segments).toHaveLength(2);
  });
});
