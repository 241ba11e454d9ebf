import { render, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { App } from '../App';
import { createSession } from '../session/session';
import { attachSession } from '../store/dictation';
import { FakeMicrophone, FakeVoiceRunService } from '../test/fakes';
import { resetStores } from '../test/stores';

beforeEach(() => {
  resetStores();
  const mic = new FakeMicrophone();
  const service = new FakeVoiceRunService({ answerClose: true });
  attachSession(createSession({ startCapture: mic.start, connect: service.connect, location: { protocol: 'http:', host: 'localhost' } }));
});

describe('keyboard', () => {
  it('starts and stops with Ctrl+Enter from anywhere but a text box', async () => {
    const user = userEvent.setup();
    render(<App />);
    await user.keyboard('{Control>}{Enter}{/Control}');
    expect(await screen.findByText('Listening')).toBeInTheDocument();
    await user.keyboard('{Control>}{Enter}{/Control}');
    expect(await screen.findByRole('button', { name: 'Start recording' })).toBeInTheDocument();
    expect(screen.getByRole('button', { name: 'Start recording' })).toHaveAttribute('aria-keyshortcuts', 'Control+Enter Meta+Enter');
  });

  it('records while Space is held (push to talk), and stops when it is released', async () => {
    const user = userEvent.setup();
    render(<App />);
    await user.keyboard('[Space>]');
    expect(await screen.findByText('Listening')).toBeInTheDocument();
    await user.keyboard('[/Space]');
    expect(await screen.findByRole('button', { name: 'Start recording' })).toBeInTheDocument();
  });

  it('leaves Space to a focused button or text field', async () => {
    const user = userEvent.setup();
    render(<App />);
    await user.click(screen.getByRole('button', { name: 'History' }));
    await user.type(await screen.findByRole('searchbox', { name: 'Search history' }), 'a b');
    expect(screen.getByRole('searchbox', { name: 'Search history' })).toHaveValue('a b');
    expect(screen.getByRole('status', { name: 'Connection' })).toHaveTextContent('Stopped');
  });

  it('lists the shortcuts in a dialog opened with ?, closed with Escape, focus back where it was', async () => {
    const user = userEvent.setup();
    render(<App />);
    await user.keyboard('?');
    const dialog = await screen.findByRole('dialog', { name: 'Keyboard shortcuts' }); // loads on first open
    expect(within(dialog).getByText('Ctrl + Enter (⌘ + Enter on a Mac)')).toBeInTheDocument();
    expect(within(dialog).getByText(/Push to talk/)).toBeInTheDocument();
    await vi.waitFor(() => expect(within(dialog).getByRole('button', { name: 'Close' })).toHaveFocus());
    await user.keyboard('{Escape}');
    expect(screen.queryByRole('dialog')).not.toBeInTheDocument();
    expect(screen.getByRole('button', { name: 'Keyboard shortcuts' })).toHaveFocus();
    await user.click(screen.getByRole('button', { name: 'Keyboard shortcuts' }));
    await user.click(await screen.findByRole('button', { name: 'Close' }));
    expect(screen.queryByRole('dialog')).not.toBeInTheDocument();
  });
});

describe('display', () => {
  it('follows the system theme until one is chosen, and remembers the choice and the text size', async () => {
    const user = userEvent.setup();
    render(<App />);
    const html = document.documentElement;
    expect(screen.getByRole('combobox', { name: 'Theme' })).toHaveValue('system');
    expect(html).not.toHaveClass('dark');
    expect(html).not.toHaveClass('light');
    await user.selectOptions(screen.getByRole('combobox', { name: 'Theme' }), 'Dark');
    expect(html).toHaveClass('dark');
    await user.selectOptions(screen.getByRole('combobox', { name: 'Theme' }), 'Light');
    expect(html).toHaveClass('light');
    expect(html).not.toHaveClass('dark');
    await user.selectOptions(screen.getByRole('combobox', { name: 'Text size' }), 'Largest text');
    expect(screen.getByRole('log', { name: 'Transcript' })).toHaveClass('text-3xl');
    expect(JSON.parse(localStorage.getItem('dictate-preferences') ?? '{}')).toMatchObject({
      state: { theme: 'light', textSize: 'xx-large' },
    });
  });
});
