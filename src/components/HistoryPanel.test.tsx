import { render, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { beforeEach, describe, expect, it } from 'vitest';
import { App } from '../App';
import { useDictation } from '../store/dictation';
import { useHistory } from '../store/history';
import { currentHistory, settled } from '../store/persistence';
import { resetStores } from '../test/stores';
import type { Segment, SessionMeta } from '../transcript/model';

beforeEach(resetStores);

const meta = (id: string, startedAt: number, patch: Partial<SessionMeta> = {}): SessionMeta => ({
  id,
  title: '',
  startedAt,
  updatedAt: startedAt,
  provider: 'Local engine (PocketSphinx, offline)',
  durationMs: 65_000,
  segmentCount: 1,
  preview: '',
  recording: false,
  interrupted: false,
  ...patch,
});

/** Saves sessions to History as the app would have, then starts the app as a reload does. */
async function seed(sessions: { meta: SessionMeta; text: string }[]) {
  const history = (await currentHistory())!;
  for (const { meta: m, text } of sessions) {
    const segments: Segment[] = [{ id: 1, text, startMs: 0, durationMs: 1000 }];
    await history.restore({ meta: { ...m, preview: text }, segments });
  }
  await useHistory.getState().load();
}

async function openHistory() {
  const user = userEvent.setup();
  render(<App />);
  await user.click(screen.getByRole('button', { name: 'History' }));
  const panel = await screen.findByRole('region', { name: 'History' });
  await within(panel).findByRole('list', { name: 'Sessions' });
  return { user, panel };
}

describe('History', () => {
  it('opens the newest session on load, lists every session with its date, duration and first words', async () => {
    await seed([
      { meta: meta('old', Date.UTC(2026, 10, 1)), text: 'an older dictation' },
      { meta: meta('new', Date.UTC(2026, 10, 27)), text: 'the newest words' },
    ]);
    const { panel } = await openHistory();
    expect(screen.getByRole('log', { name: 'Transcript' })).toHaveTextContent('the newest words');
    const items = within(panel).getAllByRole('listitem');
    expect(items.map((li) => within(li).getByRole('heading').textContent)).toEqual(['the newest words(open)', 'an older dictation']);
    expect(items[1]).toHaveTextContent('1:05 · 1 segment · Local engine (PocketSphinx, offline)');
  });

  it('marks a session left recording by a closed tab as interrupted, and says so over its transcript', async () => {
    await seed([{ meta: meta('a', 1, { recording: true }), text: 'words before the crash' }]);
    const { panel } = await openHistory();
    expect(within(panel).getByText('Interrupted')).toBeInTheDocument();
    expect(screen.getByText(/This session was interrupted/)).toBeInTheDocument();
    expect(screen.getByRole('log', { name: 'Transcript' })).toHaveTextContent('words before the crash');
  });

  it('searches titles and text', async () => {
    await seed([
      { meta: meta('a', 1), text: 'buy milk and eggs' },
      { meta: meta('b', 2, { title: 'Letter to Sam' }), text: 'dear sam' },
      { meta: meta('c', 3), text: 'meeting notes' },
    ]);
    const { user, panel } = await openHistory();
    await user.type(within(panel).getByRole('searchbox', { name: 'Search history' }), 'MILK');
    expect(await within(panel).findByRole('heading', { name: 'buy milk and eggs' })).toBeInTheDocument();
    expect(within(panel).getAllByRole('listitem')).toHaveLength(1);
    await user.clear(within(panel).getByRole('searchbox', { name: 'Search history' }));
    await user.type(within(panel).getByRole('searchbox', { name: 'Search history' }), 'letter');
    expect(await within(panel).findByRole('heading', { name: 'Letter to Sam' })).toBeInTheDocument();
    await user.type(within(panel).getByRole('searchbox', { name: 'Search history' }), 'zzz');
    expect(await within(panel).findByText('No session holds “letterzzz”.')).toBeInTheDocument();
  });

  it('renames a session (Escape cancels), and the name is kept in History', async () => {
    await seed([{ meta: meta('a', 1), text: 'first words here' }]);
    const { user, panel } = await openHistory();
    await user.click(within(panel).getByRole('button', { name: 'Rename first words here' }));
    await user.keyboard('{Escape}');
    expect(within(panel).getByRole('heading', { name: /first words here/ })).toBeInTheDocument();
    await user.click(within(panel).getByRole('button', { name: 'Rename first words here' }));
    const field = within(panel).getByRole('textbox', { name: 'New title for first words here' });
    await user.clear(field);
    await user.type(field, 'Shopping list{Enter}');
    expect(within(panel).getByRole('heading', { name: /Shopping list/ })).toBeInTheDocument();
    await settled();
    expect((await (await currentHistory())!.load('a'))?.meta.title).toBe('Shopping list');
    expect(useDictation.getState().session?.title).toBe('Shopping list');
  });

  it('deletes a session with Undo, which brings it back whole', async () => {
    await seed([
      { meta: meta('a', 1), text: 'keep this one' },
      { meta: meta('b', 2), text: 'delete me maybe' },
    ]);
    const { user, panel } = await openHistory();
    await user.click(within(panel).getByRole('button', { name: 'Delete keep this one' }));
    // Gone once History has deleted it (IndexedDB answers when it answers: wait for it, not for a time).
    await waitFor(() => expect(within(panel).getByRole('status')).toHaveTextContent('Deleted “keep this one”.'));
    expect(within(panel).queryByRole('heading', { name: 'keep this one' })).not.toBeInTheDocument();
    expect(await (await currentHistory())!.load('a')).toBeUndefined();
    await user.click(within(panel).getByRole('button', { name: 'Undo' }));
    expect(within(panel).getByRole('heading', { name: 'keep this one' })).toBeInTheDocument();
    await settled();
    expect((await (await currentHistory())!.load('a'))?.segments[0].text).toBe('keep this one');
  });

  it('deletes the open session and shows an empty transcript', async () => {
    await seed([{ meta: meta('a', 1), text: 'the only session' }]);
    const { user, panel } = await openHistory();
    await user.click(within(panel).getByRole('button', { name: 'Delete the only session' }));
    await waitFor(() => expect(screen.getByRole('log', { name: 'Transcript' })).not.toHaveTextContent('the only session'));
  });

  it('deletes everything only after a confirmation', async () => {
    await seed([
      { meta: meta('a', 1), text: 'one' },
      { meta: meta('b', 2), text: 'two' },
    ]);
    const { user, panel } = await openHistory();
    await user.click(within(panel).getByRole('button', { name: 'Delete all…' }));
    const confirm = within(panel).getByRole('alert');
    expect(confirm).toHaveTextContent('Delete all 2 sessions? This cannot be undone.');
    await user.click(within(confirm).getByRole('button', { name: 'Cancel' }));
    expect(within(panel).getAllByRole('listitem')).toHaveLength(2);
    await user.click(within(panel).getByRole('button', { name: 'Delete all…' }));
    await user.click(within(panel).getByRole('button', { name: 'Delete all 2 sessions' }));
    expect(await within(panel).findByText('No sessions yet. Each recording is kept here.')).toBeInTheDocument();
    expect(await (await currentHistory())!.list()).toEqual([]);
  });

  it('moves a transcript saved by the previous version into a first session, once', async () => {
    localStorage.setItem(
      'dictate',
      JSON.stringify({
        state: { settings: { provider: 'local-voicerun', profiles: {} }, segments: [{ id: 1, text: 'words from before' }] },
        version: 2,
      }),
    );
    await useDictation.persist.rehydrate();
    await useHistory.getState().load();
    await useHistory.getState().load();
    const { panel } = await openHistory();
    expect(within(panel).getAllByRole('listitem')).toHaveLength(1);
    expect(within(panel).getByRole('heading', { name: /Transcript from before History/ })).toBeInTheDocument();
    expect(screen.getByRole('log', { name: 'Transcript' })).toHaveTextContent('words from before');
  });

  it('shows a History that cannot be opened as a storage error, and dictation still works in memory', async () => {
    const { attachHistory } = await import('../store/persistence');
    attachHistory(Promise.reject(new DOMException('blocked', 'InvalidStateError')));
    await useHistory.getState().load();
    await Promise.resolve();
    render(<App />);
    expect(await screen.findByRole('alert')).toHaveTextContent(/does not let Dictate save/);
  });
});
