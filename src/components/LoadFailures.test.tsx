/** Parts loaded on first use whose code cannot be fetched (offline and never cached, or replaced by an update). */
import { render, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { App } from '../App';
import { sessionSink } from '../store/dictation';
import { resetStores } from '../test/stores';

vi.mock('./HistoryPanel', () => {
  throw new TypeError('Failed to fetch dynamically imported module');
});
vi.mock('../transcript/export', () => {
  throw new TypeError('Failed to fetch dynamically imported module');
});

beforeEach(resetStores);

describe('a part that cannot be loaded', () => {
  it('History says so in its place, and the rest of the app stays', async () => {
    vi.spyOn(console, 'error').mockImplementation(() => undefined); // React reports the caught error
    const user = userEvent.setup();
    render(<App />);
    await user.click(screen.getByRole('button', { name: 'History' }));
    expect(await screen.findByRole('alert')).toHaveTextContent(
      'History could not be loaded: the network may be down, or Dictate was updated.',
    );
    expect(screen.getByRole('button', { name: 'Start recording' })).toBeInTheDocument();
    expect(screen.getByRole('log', { name: 'Transcript' })).toBeInTheDocument();
    vi.restoreAllMocks();
  });

  it('Export says so, and the transcript stays', async () => {
    sessionSink.transcript({ type: 'final', text: 'kept words' });
    const user = userEvent.setup();
    render(<App />);
    await user.click(screen.getByRole('button', { name: 'Export ▾' }));
    await user.click(within(screen.getByRole('list', { name: 'Export formats' })).getByRole('button', { name: 'Text (.txt)' }));
    expect(await screen.findByText(/^Export could not be loaded/)).toBeInTheDocument();
    expect(screen.getByRole('log', { name: 'Transcript' })).toHaveTextContent('kept words');
  });
});
