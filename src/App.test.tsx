import { render, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { App } from './App';
import { createSession } from './session/session';
import { attachSession, initialDictationState, useDictation } from './store/dictation';
import { FakeMicrophone, FakeVoiceRunService } from './test/fakes';

let mic: FakeMicrophone;
let service: FakeVoiceRunService;

beforeEach(() => {
  localStorage.clear();
  useDictation.setState({ ...initialDictationState });
  mic = new FakeMicrophone();
  service = new FakeVoiceRunService({ answerClose: true });
  attachSession(createSession({ startCapture: mic.start, connect: service.connect, location: { protocol: 'http:', host: 'localhost' }, finishTimeoutMs: 300 }));
});

/** Renders the app and starts recording; resolves once it is Listening. */
async function renderRecording() {
  const user = userEvent.setup();
  render(<App />);
  await user.click(screen.getByRole('button', { name: 'Start recording' }));
  await screen.findByText('Listening');
  return user;
}

describe('Dictate', () => {
  it('greets a first visit with one button and nothing to copy', () => {
    render(<App />);
    expect(screen.getByRole('button', { name: 'Start recording' })).toBeEnabled();
    expect(screen.getByRole('status', { name: 'Connection' })).toHaveTextContent('Stopped');
    expect(screen.getByRole('status', { name: 'Voice activity' })).toHaveTextContent('Silence');
    expect(screen.getByRole('log', { name: 'Transcript' })).toHaveAttribute('aria-live', 'polite');
    expect(screen.getByRole('button', { name: 'Copy transcript' })).toBeDisabled();
    expect(screen.queryByRole('alert')).not.toBeInTheDocument();
  });

  it('records, shows the partial apart from final text, follows the VAD, and copies the finals', async () => {
    const user = userEvent.setup();
    render(<App />);
    await user.click(screen.getByRole('button', { name: 'Start recording' }));
    expect(await screen.findByRole('button', { name: 'Stop recording' })).toBeInTheDocument();
    expect(await screen.findByText('Listening')).toBeInTheDocument();

    const log = screen.getByRole('log', { name: 'Transcript' });
    const vad = screen.getByRole('status', { name: 'Voice activity' });
    service.push({ type: 'speech.started' });
    expect(await within(vad).findByText('Speech')).toBeInTheDocument();
    service.push({ type: 'transcription.partial', text: 'hello how are' });
    const partial = await within(log).findByText('hello how are');
    expect(partial).toHaveClass('italic');

    service.push({ type: 'transcription.completed', text: 'hello how are you doing today', language: 'en' });
    service.push({ type: 'speech.stopped' });
    expect(await within(vad).findByText('Silence')).toBeInTheDocument();
    expect(within(log).getByText('hello how are you doing today')).not.toHaveClass('italic');
    service.push({ type: 'transcription.partial', text: 'and more' });
    expect(await within(log).findByText('and more')).toBeInTheDocument();
    expect(log).toHaveTextContent('hello how are you doing today and more');

    await user.click(screen.getByRole('button', { name: 'Copy transcript' }));
    expect(await navigator.clipboard.readText()).toBe('hello how are you doing today');
    expect(screen.getByRole('status', { name: 'Copy result' })).toHaveTextContent('Copied');
  });

  it('stops on a second click and returns to Start recording once the last words are in', async () => {
    const user = await renderRecording();
    service.push({ type: 'transcription.partial', text: 'the last' });
    await user.click(screen.getByRole('button', { name: 'Stop recording' }));
    expect(await screen.findByRole('button', { name: 'Start recording' })).toBeEnabled();
    expect(screen.getByRole('status', { name: 'Connection' })).toHaveTextContent('Stopped');
    expect(screen.getByRole('log', { name: 'Transcript' })).toHaveTextContent('the last');
  });

  it('shows a denied microphone as a sentence that says what to do', async () => {
    const user = userEvent.setup();
    mic.failWith = new DOMException('Permission denied', 'NotAllowedError');
    render(<App />);
    await user.click(screen.getByRole('button', { name: 'Start recording' }));
    const alert = await screen.findByRole('alert');
    expect(alert).toHaveTextContent('Microphone access is blocked. Allow the microphone for this site in your browser, then press Start recording again.');
    expect(alert).not.toHaveTextContent(/NotAllowedError|at \w+ \(/);
    expect(screen.getByRole('button', { name: 'Start recording' })).toBeEnabled();
    await user.click(within(alert).getByRole('button', { name: 'Dismiss' }));
    expect(screen.queryByRole('alert')).not.toBeInTheDocument();
  });

  it('shows a level meter that follows the microphone', async () => {
    await renderRecording();
    for (let i = 0; i < 5; i++) mic.emit(0.42);
    await vi.waitFor(() => expect(screen.getByRole('meter', { name: 'Microphone level' })).toHaveAttribute('aria-valuenow', '42'));
  });

  it('lets a developer point it at their own endpoint, warns about keys in URLs, and hides the key', async () => {
    const user = userEvent.setup();
    render(<App />);
    await user.click(screen.getByText('Settings'));
    await user.type(screen.getByLabelText('Server URL'), 'wss://stt.example.com/ws');
    await user.selectOptions(screen.getByLabelText('Auth method'), 'query');
    expect(screen.getByText(/can appear in server and proxy logs/)).toBeInTheDocument();
    const key = screen.getByLabelText('API key');
    expect(key).toHaveAttribute('type', 'password');
    await user.type(key, 'sk-123456');
    expect(document.body.textContent).not.toContain('sk-123456');
    await user.click(screen.getByRole('button', { name: 'Start recording' }));
    await screen.findByText('Listening');
    expect(new URL(service.request!.url).searchParams.get('api_key')).toBe('sk-123456');
    expect(screen.getByLabelText('Server URL')).toBeDisabled();
  });

  it('asks before the tab closes while recording, and not after', async () => {
    const user = userEvent.setup();
    render(<App />);
    const leave = () => {
      const event = new Event('beforeunload', { cancelable: true });
      window.dispatchEvent(event);
      return event.defaultPrevented;
    };
    expect(leave()).toBe(false);
    await user.click(screen.getByRole('button', { name: 'Start recording' }));
    await screen.findByText('Listening');
    expect(leave()).toBe(true);
    await user.click(screen.getByRole('button', { name: 'Stop recording' }));
    await screen.findByRole('button', { name: 'Start recording' });
    expect(leave()).toBe(false);
  });

  it('renders transcript text as text, never as markup', async () => {
    await renderRecording();
    service.push({ type: 'transcription.completed', text: '<img src=x onerror=alert(1)>' });
    const log = screen.getByRole('log', { name: 'Transcript' });
    expect(await within(log).findByText('<img src=x onerror=alert(1)>')).toBeInTheDocument();
    expect(log.querySelector('img')).toBeNull();
  });
});
