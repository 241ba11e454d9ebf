import { StrictMode } from 'react';
import { fireEvent, render, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { sessionSink, useDictation } from '../store/dictation';
import { currentHistory, settled } from '../store/persistence';
import { resetStores } from '../test/stores';
import { Transcript } from './Transcript';
import { TranscriptActions } from './TranscriptActions';

beforeEach(resetStores);

function renderWith(texts: string[]) {
  for (const text of texts) sessionSink.transcript({ type: 'final', text, startMs: 0, durationMs: 1000 });
  const user = userEvent.setup();
  render(
    <>
      <Transcript />
      <TranscriptActions />
    </>,
  );
  return { user, log: screen.getByRole('log', { name: 'Transcript' }) };
}

describe('editing the transcript', () => {
  it('edits a segment from the keyboard: ↑ chooses it, Enter edits, Enter saves, and focus comes back to it', async () => {
    const { user, log } = renderWith(['first line', 'secund line']);
    log.focus();
    await user.keyboard('{ArrowUp}');
    expect(within(log).getByText('secund line')).toHaveFocus();
    await user.keyboard('{Enter}');
    const editor = within(log).getByRole('textbox', { name: 'Edit segment 2' });
    expect(editor).toHaveFocus();
    await user.clear(editor);
    await user.type(editor, 'second line{Enter}');
    expect(within(log).getByText('second line')).toHaveFocus();
    expect(useDictation.getState().segments[1]).toMatchObject({ text: 'second line', raw: 'secund line', startMs: 0, durationMs: 1000 });
    await settled();
    const saved = await (await currentHistory())!.load(useDictation.getState().session!.id);
    expect(saved?.segments[1].text).toBe('second line');
  });

  it('saves an edit once, also under StrictMode (which runs state updaters twice)', async () => {
    sessionSink.transcript({ type: 'final', text: 'secund line', startMs: 0, durationMs: 1000 });
    const editSegment = vi.fn(useDictation.getState().editSegment);
    useDictation.setState({ editSegment });
    const user = userEvent.setup();
    render(
      <StrictMode>
        <Transcript />
      </StrictMode>,
    );
    const log = screen.getByRole('log', { name: 'Transcript' });
    log.focus();
    await user.keyboard('{ArrowUp}{Enter}');
    const editor = within(log).getByRole('textbox', { name: 'Edit segment 1' });
    await user.clear(editor);
    await user.type(editor, 'second line{Enter}');
    expect(within(log).getByText('second line')).toHaveFocus();
    expect(editSegment).toHaveBeenCalledTimes(1);
    expect(editSegment).toHaveBeenCalledWith(1, 'second line');
  });

  it('cancels an edit with Escape', async () => {
    const { user, log } = renderWith(['keep me']);
    fireEvent.doubleClick(within(log).getByText('keep me'));
    const editor = within(log).getByRole('textbox', { name: 'Edit segment 1' });
    await user.type(editor, ' not this');
    await user.keyboard('{Escape}');
    expect(within(log).queryByRole('textbox')).not.toBeInTheDocument();
    expect(within(log).getByText('keep me')).toHaveFocus();
    expect(useDictation.getState().segments[0].edited).toBeUndefined();
  });

  it('keeps the finals in place while the partial changes, in blocks the browser skips when off screen', async () => {
    // Each sentence 3 s after the last: a paragraph each.
    for (let i = 0; i < 120; i++) sessionSink.transcript({ type: 'final', text: `sentence ${i}`, startMs: i * 4000, durationMs: 1000 });
    const { log } = renderWith([]);
    const before = within(log).getByText('sentence 5');
    sessionSink.transcript({ type: 'partial', text: 'in progress' });
    await within(log).findByText('in progress');
    // The same DOM node: the partial has its own line, the finals are not rebuilt (npm run bench measures the cost).
    expect(within(log).getByText('sentence 5')).toBe(before);
    // Long transcripts are laid out in blocks that the browser skips when off screen.
    expect(log.querySelectorAll('[class*="content-visibility"]').length).toBe(3);
  });
});

describe('saving', () => {
  it('says "Saving…" until the session is in History, then "Saved in History"', async () => {
    renderWith(['first words']);
    expect(screen.getByText('Saving…')).toBeInTheDocument();
    expect(await screen.findByText('Saved in History')).toBeInTheDocument();
    expect((await (await currentHistory())!.load(useDictation.getState().session!.id))?.segments[0].text).toBe('first words');
  });
});

describe('exporting', () => {
  it('offers every format, and writes the chosen one as a file named by the session date', async () => {
    const blobs: Blob[] = [];
    vi.spyOn(URL, 'createObjectURL').mockImplementation((blob) => {
      blobs.push(blob as Blob);
      return 'blob:test';
    });
    const clicks = vi.spyOn(HTMLAnchorElement.prototype, 'click').mockImplementation(function (this: HTMLAnchorElement) {
      expect(this.download).toMatch(/^dictate-\d{4}-\d\d-\d\d-\d{4}-hello-world\.srt$/);
    });
    const { user } = renderWith(['hello world']);
    await user.click(screen.getByRole('button', { name: 'Export ▾' }));
    const formats = screen.getByRole('list', { name: 'Export formats' });
    expect(
      within(formats)
        .getAllByRole('button')
        .map((b) => b.textContent),
    ).toEqual(['Text (.txt)', 'Markdown (.md)', 'Subtitles (.srt)', 'WebVTT subtitles (.vtt)', 'JSON with times (.json)']);
    await user.click(within(formats).getByRole('button', { name: 'Subtitles (.srt)' }));
    expect(await screen.findByText(/^Saved dictate-.*\.srt$/)).toBe(screen.getByRole('status', { name: 'Transcript action result' }));
    expect(clicks).toHaveBeenCalledTimes(1);
    expect(await blobs[0].text()).toBe('1\n00:00:00,000 --> 00:00:01,000\nhello world\n');
    expect(screen.queryByRole('list', { name: 'Export formats' })).not.toBeInTheDocument();
    vi.restoreAllMocks();
  });

  it('closes the menu with Escape, back on its button', async () => {
    const { user } = renderWith(['hello']);
    await user.click(screen.getByRole('button', { name: 'Export ▾' }));
    await user.keyboard('{Escape}');
    expect(screen.queryByRole('list', { name: 'Export formats' })).not.toBeInTheDocument();
    expect(screen.getByRole('button', { name: 'Export ▾' })).toHaveFocus();
  });
});

describe('paragraphs', () => {
  it('flows finals said within a short pause into one paragraph; a 2 s pause or "new paragraph" starts the next', () => {
    const finals = [
      { text: 'the first thought', startMs: 0, durationMs: 900 },
      { text: 'goes on here', startMs: 1300, durationMs: 700 },
      { text: 'and ends', startMs: 2400, durationMs: 500 },
      { text: 'after a long pause', startMs: 5000, durationMs: 900 },
      { text: 'new paragraph', startMs: 6100, durationMs: 600 },
      { text: 'last words', startMs: 7000, durationMs: 600 },
    ];
    for (const f of finals) sessionSink.transcript({ type: 'final', ...f });
    render(<Transcript />);
    const log = screen.getByRole('log', { name: 'Transcript' });
    const paragraphs = within(log)
      .getAllByRole('paragraph')
      .map((p) => p.textContent?.trim());
    expect(paragraphs).toEqual(['the first thought goes on here and ends', 'after a long pause', 'last words']);
    // Each final is still a sentence of its own, to choose and edit.
    expect(within(log).getByText('goes on here')).toHaveAttribute('data-segment', '2');
  });
});
