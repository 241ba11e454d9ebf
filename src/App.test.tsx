import { fireEvent, render, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { App } from './App';
import { createSession } from './session/session';
import { attachSession, useDictation } from './store/dictation';
import { useCredentials } from './store/credentials';
import { RESON8_TRANSCRIPT_EXAMPLE } from './test/documented-examples';
import { FakeMicrophone, FakeReson8Service, FakeSpeechallService, FakeVoiceRunService } from './test/fakes';
import { resetStores } from './test/stores';

let mic: FakeMicrophone;
let service: FakeVoiceRunService;

beforeEach(() => {
  resetStores();
  mic = new FakeMicrophone();
  service = new FakeVoiceRunService({ answerClose: true });
  attachSession(
    createSession({
      startCapture: mic.start,
      connect: service.connect,
      location: { protocol: 'http:', host: 'localhost' },
      finishTimeoutMs: 300,
    }),
  );
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
    // Shown, but not announced: a screen reader hears each final once, never the partials.
    expect(partial).toHaveAttribute('aria-live', 'off');
    expect(log).toHaveAttribute('aria-live', 'polite');

    service.push({ type: 'transcription.completed', text: 'hello how are you doing today', language: 'en' });
    service.push({ type: 'speech.stopped' });
    expect(await within(vad).findByText('Silence')).toBeInTheDocument();
    expect(within(log).getByText('hello how are you doing today')).not.toHaveClass('italic');
    service.push({ type: 'transcription.partial', text: 'and more' });
    expect(await within(log).findByText('and more')).toBeInTheDocument();
    // The final is in its paragraph; the partial follows on its own line.
    expect(log).toHaveTextContent(/^hello how are you doing today\s*and more$/);

    await user.click(screen.getByRole('button', { name: 'Copy transcript' }));
    expect(await navigator.clipboard.readText()).toBe('hello how are you doing today');
    expect(screen.getByRole('status', { name: 'Transcript action result' })).toHaveTextContent('Copied');
  });

  it('stops on a second click and returns to Start recording once the last words are in', async () => {
    const user = await renderRecording();
    service.push({ type: 'transcription.partial', text: 'the last' });
    await user.click(screen.getByRole('button', { name: 'Stop recording' }));
    expect(await screen.findByRole('button', { name: 'Start recording' })).toBeEnabled();
    expect(screen.getByRole('status', { name: 'Connection' })).toHaveTextContent('Stopped');
    expect(screen.getByRole('log', { name: 'Transcript' })).toHaveTextContent('the last');
  });

  it('keeps the reader’s place when they scroll up, offers "Jump to latest", and the log can be reached by keyboard', async () => {
    const user = await renderRecording();
    const log = screen.getByRole('log', { name: 'Transcript' });
    expect(log).toHaveAttribute('tabindex', '0');
    // jsdom has no layout: give the log a size, and scroll it up.
    Object.defineProperty(log, 'scrollHeight', { configurable: true, value: 2000 });
    Object.defineProperty(log, 'clientHeight', { configurable: true, value: 300 });
    log.scrollTop = 400;
    fireEvent.scroll(log);
    service.push({ type: 'transcription.completed', text: 'new words arrive' });
    await screen.findByText('new words arrive');
    expect(log.scrollTop).toBe(400); // not pulled to the bottom
    await user.click(screen.getByRole('button', { name: 'Jump to latest' }));
    expect(log.scrollTop).toBe(2000);
    expect(log).toHaveFocus();
    expect(screen.queryByRole('button', { name: 'Jump to latest' })).not.toBeInTheDocument();
  });

  it('keeps the record button focusable while finishing, so focus is still on it after Stop', async () => {
    service.options.answerClose = false; // the service takes its time: Dictate waits (finishTimeoutMs)
    const user = await renderRecording();
    await user.click(screen.getByRole('button', { name: 'Stop recording' }));
    // A disabled button would drop focus to the page; this one says it is busy instead.
    const finishing = screen.getByRole('button', { name: 'Stop recording' });
    expect(finishing).toHaveAttribute('aria-disabled', 'true');
    expect(finishing).toBeEnabled();
    await user.click(finishing); // a second click while finishing does nothing
    expect(await screen.findByRole('button', { name: 'Start recording' })).toHaveFocus();
  });

  it('starts a new session when asked, keeping the last one in History', async () => {
    const user = await renderRecording();
    service.push({ type: 'transcription.completed', text: 'Marianne would have thought' });
    await screen.findByText('Marianne would have thought');
    expect(screen.getByRole('button', { name: 'New session' })).toBeDisabled(); // not while recording
    await user.click(screen.getByRole('button', { name: 'Stop recording' }));
    await user.click(await screen.findByRole('button', { name: 'New session' }));
    expect(screen.getByRole('log', { name: 'Transcript' })).not.toHaveTextContent('Marianne');
    await user.click(screen.getByRole('button', { name: 'History' }));
    const history = await screen.findByRole('region', { name: 'History' });
    expect(await within(history).findByRole('heading', { name: 'Marianne would have thought' })).toBeInTheDocument();
    await user.click(within(history).getByRole('button', { name: 'Open Marianne would have thought' }));
    expect(await within(screen.getByRole('log', { name: 'Transcript' })).findByText('Marianne would have thought')).toBeInTheDocument();
  });

  it('shows a denied microphone as a sentence that says what to do', async () => {
    const user = userEvent.setup();
    mic.failWith = new DOMException('Permission denied', 'NotAllowedError');
    render(<App />);
    await user.click(screen.getByRole('button', { name: 'Start recording' }));
    const alert = await screen.findByRole('alert');
    expect(alert).toHaveTextContent(
      'Microphone access is blocked. Allow the microphone for this site in your browser, then press Start recording again.',
    );
    expect(alert).not.toHaveTextContent(/NotAllowedError|at \w+ \(/);
    expect(screen.getByRole('button', { name: 'Start recording' })).toBeEnabled();
    await user.click(within(alert).getByRole('button', { name: 'Dismiss' }));
    expect(screen.queryByRole('alert')).not.toBeInTheDocument();
  });

  it('shows a level meter that follows the microphone', async () => {
    await renderRecording();
    for (let i = 0; i < 5; i++) mic.emit(0.42);
    await vi.waitFor(() => expect(screen.getByRole('meter', { name: 'Input level' })).toHaveAttribute('aria-valuenow', '42'));
  });

  it('lets a developer point it at their own endpoint, warns about keys in URLs, and hides the key', async () => {
    const user = userEvent.setup();
    render(<App />);
    await user.click(screen.getByText('Settings'));
    await screen.findByRole('combobox', { name: 'Provider' }); // the form loads on first open
    await user.selectOptions(screen.getByRole('combobox', { name: 'Provider' }), 'VoiceRun Transcribe');
    const url = screen.getByLabelText('Endpoint URL');
    expect(url).toHaveValue('wss://transcribe.voicerun.com/ws');
    await user.clear(url);
    await user.type(url, 'wss://stt.example.com/ws');
    await user.selectOptions(screen.getByLabelText('Auth method'), 'query');
    expect(screen.getByText(/can appear in server and proxy logs.*short-lived token/)).toBeInTheDocument();
    const key = screen.getByLabelText('API key');
    expect(key).toHaveAttribute('type', 'password');
    await user.type(key, 'sk-123456');
    await user.selectOptions(screen.getByLabelText('Model'), 'gpt-4o-transcribe');
    await user.selectOptions(screen.getByLabelText('Audio encoding'), 'mulaw');
    expect(document.body.textContent).not.toContain('sk-123456');
    await user.click(screen.getByRole('button', { name: 'Start recording' }));
    await screen.findByText('Listening');
    expect(new URL(service.request!.url).searchParams.get('api_key')).toBe('sk-123456');
    expect(service.received[0]).toMatchObject({
      type: 'session.update',
      session: { provider: 'OPENAI', model: 'gpt-4o-transcribe', input_audio_format: 'mulaw' },
    });
    expect(screen.getByLabelText('Endpoint URL')).toBeDisabled();
    expect(document.body.textContent).not.toContain('sk-123456');
    // Not in the page's HTML either: the password field holds it only as a property.
    expect(document.documentElement.outerHTML).not.toContain('sk-123456');
    expect(screen.getByLabelText('API key')).toHaveValue('sk-123456');
  });

  it('offers the local engine once (its protocol under Advanced) and every cloud service, with only that provider’s fields and hints', async () => {
    const user = userEvent.setup();
    render(<App />);
    await user.click(screen.getByText('Settings'));
    await screen.findByRole('combobox', { name: 'Provider' }); // the form loads on first open
    const picker = screen.getByRole('combobox', { name: 'Provider' });
    expect(
      within(picker)
        .getAllByRole('option')
        .map((o) => o.textContent),
    ).toEqual([
      // One entry for the one local engine; its protocol is an advanced choice.
      'Local engine (PocketSphinx, offline)',
      'VoiceRun Transcribe',
      'Reson8 realtime',
      'Speechall streaming',
    ]);
    await user.selectOptions(picker, 'Reson8 realtime');
    expect(screen.getByLabelText('Access token')).toHaveAttribute('type', 'password');
    expect(screen.getByRole('checkbox', { name: 'Interim results' })).toBeChecked();
    expect(screen.queryByLabelText('Auth method')).not.toBeInTheDocument(); // a browser has one way: the subprotocol
    expect(screen.queryByLabelText('Output format')).not.toBeInTheDocument();
    await user.selectOptions(picker, 'Speechall streaming');
    expect(screen.getByLabelText('Output format')).toBeInTheDocument();
    expect(screen.getByText(/can appear in server and proxy logs/)).toBeInTheDocument(); // Speechall's only browser auth is the query
    expect(screen.queryByRole('checkbox', { name: 'Interim results' })).not.toBeInTheDocument();
    await user.selectOptions(picker, 'Local engine (PocketSphinx, offline)');
    expect(picker).toHaveAccessibleDescription(
      /PocketSphinx.*offline.*lower accuracy than cloud models.*lowercase words without punctuation/,
    );
    await user.click(screen.getByText('Advanced: protocol'));
    const protocol = screen.getByRole('combobox', { name: 'Protocol' });
    expect(
      within(protocol)
        .getAllByRole('option')
        .map((o) => o.textContent),
    ).toEqual(['VoiceRun protocol', 'Reson8 protocol', 'Speechall protocol']);
    await user.selectOptions(protocol, 'Speechall protocol');
    expect(screen.getByLabelText('Model')).toHaveValue('local.pocketsphinx-en-us');
    expect(screen.queryByLabelText('API key')).not.toBeInTheDocument();
  });

  it('dictates through Reson8: interim words, then the final with uncertain words marked; Stop flushes first', async () => {
    const reson8 = new FakeReson8Service({ apiKey: 'tok_abc' });
    attachSession(
      createSession({
        startCapture: mic.start,
        connect: reson8.connect,
        location: { protocol: 'http:', host: 'localhost' },
        finishTimeoutMs: 2000,
      }),
    );
    const user = userEvent.setup();
    render(<App />);
    await user.click(screen.getByText('Settings'));
    await screen.findByRole('combobox', { name: 'Provider' }); // the form loads on first open
    await user.selectOptions(screen.getByRole('combobox', { name: 'Provider' }), 'Reson8 realtime');
    await user.type(screen.getByLabelText('Access token'), 'tok_abc');
    await user.click(screen.getByRole('button', { name: 'Start recording' }));
    await screen.findByText('Listening');
    expect(reson8.request!.protocols).toEqual(['bearer', 'tok_abc']);
    mic.emit(0.4);
    expect(reson8.samples()).toHaveLength(1);
    // No VAD messages in Reson8: the level shows speech.
    await vi.waitFor(() => expect(screen.getByRole('status', { name: 'Voice activity' })).toHaveTextContent('Speech'));
    reson8.push({ type: 'transcript', text: 'the patient presented', is_final: false });
    const log = screen.getByRole('log', { name: 'Transcript' });
    expect(await within(log).findByText('the patient presented')).toHaveClass('italic');
    // "Reson8: server messages": the transcript example with words, one of them uncertain.
    reson8.push({
      ...RESON8_TRANSCRIPT_EXAMPLE,
      words: RESON8_TRANSCRIPT_EXAMPLE.words.map((w) => (w.text === 'chest' ? { ...w, confidence: 0.31 } : w)),
    });
    expect(await screen.findByTitle('Low confidence: 31%')).toHaveTextContent(/^chest$/);
    // The words read exactly as the text: one space between each, none doubled around the marked one.
    expect(log.querySelector('[data-segment="1"]')?.textContent).toBe(RESON8_TRANSCRIPT_EXAMPLE.text);
    // Described, not spoken inline after the word.
    expect(screen.getByRole('log', { name: 'Transcript' })).not.toHaveTextContent('uncertain');
    expect(screen.getByText(/words are ones the recognizer was unsure of/)).toBeInTheDocument();
    await user.click(screen.getByRole('button', { name: 'Stop recording' }));
    await screen.findByRole('button', { name: 'Start recording' });
    expect(reson8.received).toEqual([{ type: 'flush_request', id: expect.any(String) }]);
    expect(reson8.closedByClient?.code).toBe(1000);
    await user.click(screen.getByRole('button', { name: 'Copy transcript' }));
    expect(await navigator.clipboard.readText()).toBe('the patient presented with chest pain');
  });

  it('says why a Reson8 connection may have been refused (a browser cannot see the 401)', async () => {
    const reson8 = new FakeReson8Service({ apiKey: 'tok_right' });
    attachSession(createSession({ startCapture: mic.start, connect: reson8.connect, location: { protocol: 'http:', host: 'localhost' } }));
    useDictation.getState().selectProvider('reson8');
    useCredentials.getState().setKey('reson8', 'tok_wrong');
    const user = userEvent.setup();
    render(<App />);
    await user.click(screen.getByRole('button', { name: 'Start recording' }));
    const alert = await screen.findByRole('alert');
    expect(reson8.refusedWith).toBe(401);
    expect(alert).toHaveTextContent(/Could not connect to api.reson8.dev.*expired token \(401\)/);
    expect(alert.textContent).not.toContain('tok_wrong');
  });

  it('dictates through Speechall: JSON and plain-text results; Stop sends trailing silence and waits for the last words', async () => {
    const speechall = new FakeSpeechallService({ apiKey: 'sa-key' });
    attachSession(
      createSession({
        startCapture: mic.start,
        connect: speechall.connect,
        location: { protocol: 'http:', host: 'localhost' },
        finishTimeoutMs: 5000,
      }),
    );
    useDictation.getState().selectProvider('speechall');
    useCredentials.getState().setKey('speechall', 'sa-key');
    const user = await renderRecording();
    const url = new URL(speechall.request!.url);
    expect(Object.fromEntries(url.searchParams)).toMatchObject({
      api_key: 'sa-key',
      model: 'deepgram.nova-2',
      language: 'en',
      output_format: 'json',
      punctuation: 'true',
    });
    // "Speechall: server messages": the JSON example.
    speechall.push({
      id: '123e4567-e89b-12d3-a456-426614174000',
      text: 'Hello, this is a test transcription.',
      language: 'en',
      words: [{ text: 'Hello', start: 0.0, end: 0.5, confidence: 0.98 }],
    });
    const log = screen.getByRole('log', { name: 'Transcript' });
    expect(await within(log).findByText(/Hello, this is a test transcription\./)).toBeInTheDocument();
    await user.click(screen.getByRole('button', { name: 'Stop recording' }));
    // Audio goes in chunks of 4096 samples ("Speechall: audio"); the trailing second of silence ends it.
    await vi.waitFor(() => expect(speechall.samples().reduce((n, c) => n + c.length, 0)).toBeGreaterThanOrEqual(16000));
    const chunks = speechall.samples();
    expect(chunks.slice(0, -1).every((c) => c.length === 4096)).toBe(true);
    const tail = chunks.slice(-4).flatMap((c) => [...c]);
    expect(tail.slice(-16000).every((x) => x === 0)).toBe(true);
    // The last words arrive after the silence; the session ends once the service is quiet.
    speechall.push('and the last words');
    expect(screen.getByRole('status', { name: 'Connection' })).toHaveTextContent('Finishing');
    await screen.findByRole('button', { name: 'Start recording' }, { timeout: 3000 });
    expect(speechall.closedByClient?.code).toBe(1000);
    await user.click(screen.getByRole('button', { name: 'Copy transcript' }));
    expect(await navigator.clipboard.readText()).toBe('Hello, this is a test transcription. and the last words');
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
