/** The open session's figures, as a user reads them (docs/metrics.md). */
import { act, render, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { beforeEach, describe, expect, it } from 'vitest';
import { useDictation } from '../store/dictation';
import { resetStores } from '../test/stores';
import { sessionFigures } from '../transcript/figures';
import type { SessionMeta } from '../transcript/model';
import { SessionFiguresView } from './SessionFiguresView';

beforeEach(resetStores);

const meta = (figures?: SessionMeta['figures']): SessionMeta => ({
  id: 'f1',
  title: '',
  startedAt: 0,
  updatedAt: 0,
  provider: 'Local engine (PocketSphinx, offline)',
  durationMs: 4000,
  segmentCount: 2,
  preview: 'hello world',
  recording: false,
  interrupted: false,
  ...(figures && { figures }),
});

describe('Session figures', () => {
  it('lists each figure by name, and charts final latency per utterance with a text alternative', async () => {
    const figures = sessionFigures({
      events: [
        { type: 'speech-start', at: 0 },
        { type: 'partial', at: 350, text: 'hello' },
        { type: 'speech-end', at: 1000 },
        { type: 'final', at: 1300, text: 'hello' },
        { type: 'speech-start', at: 2000 },
        { type: 'final', at: 2500, text: 'early' },
        { type: 'speech-end', at: 3000 },
        { type: 'final', at: 3450, text: 'world' },
        { type: 'reconnect', at: 3500 },
        { type: 'replayed', at: 3500, audioMs: 400 },
      ],
      sendDelaysMs: [4, 5, 6],
    });
    act(() => useDictation.getState().openSession(meta(figures), []));
    render(<SessionFiguresView />);
    await userEvent.setup().click(screen.getByText('Session figures', { selector: 'summary' }));
    const list = screen.getByRole('region', { name: 'Session figures' });
    const value = (name: string) => within(list).getByText(name).nextElementSibling?.textContent;
    expect(value('Time to first partial')).toBe('p50 350 ms · p95 500 ms (2)');
    expect(value('Final latency after end of speech')).toBe(
      'p50 300 ms · p95 450 ms (2); 1 before the speech had stopped (not measurable)',
    );
    expect(value('Word emission latency')).toBe('no word times from this service');
    expect(value('Capture → frame sent')).toBe('p50 5 ms · p99 6 ms (3)');
    expect(value('Reconnects')).toBe('1, 0.4 s replayed');
    expect(screen.getByRole('img', { name: 'Final latency per utterance: 300 ms at 1.3 s, 450 ms at 3.5 s' })).toBeInTheDocument();
  });

  it('shows nothing for a session without figures, or while recording', () => {
    act(() => useDictation.getState().openSession(meta(), []));
    const { container } = render(<SessionFiguresView />);
    expect(container).toBeEmptyDOMElement();
  });
});
