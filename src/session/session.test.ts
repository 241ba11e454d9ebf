import { resetStores } from '../test/stores';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { FakeMicrophone, FakeVoiceRunService, settle } from '../test/fakes';
import { attachSession, transcriptText, useDictation } from '../store/dictation';
import { microphoneEnded } from '../audio/errors';
import { createSession } from './session';
import type { AuthMethod } from '../protocol/adapter';
import { useCredentials } from '../store/credentials';
import { DEFAULT_SETTINGS } from './settings';

/** A VoiceRun endpoint chosen in the settings: `serverUrl` picks the cloud entry, else the local one. */
interface Choice {
  serverUrl?: string;
  authMethod?: AuthMethod;
  apiKey?: string;
}

let mic: FakeMicrophone;
let service: FakeVoiceRunService;

function setup(options: ConstructorParameters<typeof FakeVoiceRunService>[0] = {}, choice: Choice = {}, timeouts = {}) {
  mic = new FakeMicrophone();
  service = new FakeVoiceRunService(options);
  attachSession(
    createSession({
      startCapture: mic.start,
      connect: service.connect,
      location: { protocol: 'http:', host: 'localhost:8787' },
      handshakeTimeoutMs: 200,
      finishTimeoutMs: 200,
      ...timeouts,
    }),
  );
  useDictation.setState({ settings: DEFAULT_SETTINGS });
  choose(choice);
}

function choose({ serverUrl, authMethod, apiKey }: Choice) {
  const provider = serverUrl ? 'voicerun' : 'local-voicerun';
  state().selectProvider(provider);
  state().updateProfile({ ...(serverUrl ? { url: serverUrl } : {}), ...(authMethod ? { auth: authMethod } : {}) });
  if (apiKey) useCredentials.getState().setKey(provider, apiKey);
}

const state = () => useDictation.getState();
const waitForStatus = (status: string) => vi.waitFor(() => expect(state().status).toBe(status));

beforeEach(resetStores);

describe('a dictation session', () => {
  it('connects to the local engine by default, configures it, and records', async () => {
    setup();
    state().start();
    expect(state().status).toBe('connecting');
    await waitForStatus('recording');
    expect(service.request).toEqual({ url: 'ws://localhost:8787/ws', protocols: [] });
    expect(service.received[0]).toEqual({
      type: 'session.update',
      session: { model: 'pocketsphinx-en-us', provider: 'LOCAL', language: 'en', input_audio_format: 'pcm16', sample_rate: 16000 },
    });
  });

  it('waits for session.updated before streaming, then sends every frame in order, the first words included', async () => {
    // Frames captured while the handshake is still under way are queued, not dropped.
    setup({ greet: false });
    state().start();
    await vi.waitFor(() => expect(mic.running).toBe(true));
    mic.emit();
    mic.emit();
    expect(service.received.filter((m) => m.type === 'audio.append')).toHaveLength(0);
    expect(state().status).toBe('connecting');
    service.push({ type: 'session.created', session: { id: 'ts_a1b2c3d4e5f6' } });
    service.push({ type: 'session.updated', session: {} });
    mic.emit();
    const frames = service.audioFrames();
    expect(frames.map((f) => f[0])).toEqual([1, 2, 3]);
    expect(frames.every((f) => f.length === 320)).toBe(true);
    expect(state().status).toBe('recording');
  });

  it('shows partials, finals and voice activity as the service reports them', async () => {
    setup();
    state().start();
    await waitForStatus('recording');
    service.push({ type: 'speech.started' });
    expect(state().vad).toBe('speech');
    service.push({ type: 'transcription.partial', text: 'hello how are' });
    expect(state().partial).toBe('hello how are');
    service.push({ type: 'transcription.completed', text: 'hello how are you doing today', language: 'en' });
    service.push({ type: 'speech.stopped' });
    expect(state().vad).toBe('silence');
    expect(state().partial).toBe('');
    expect(state().segments.map((s) => s.text)).toEqual(['hello how are you doing today']);
  });

  it('on stop, drains the microphone, sends session.close and keeps the last words before going idle', async () => {
    setup({ answerClose: false });
    state().start();
    await waitForStatus('recording');
    service.push({ type: 'transcription.completed', text: 'first sentence' });
    mic.emit();
    state().stop();
    expect(state().status).toBe('stopping');
    await vi.waitFor(() => expect(service.received.at(-1)?.type).toBe('session.close'));
    // The flushed last frame went out before session.close.
    expect(service.received.at(-2)?.type).toBe('audio.append');
    expect(mic.stopped).toBe(true);
    service.push({ type: 'transcription.completed', text: 'last words' });
    service.push({ type: 'session.closed' });
    await waitForStatus('idle');
    expect(transcriptText(state().segments)).toBe('first sentence last words');
    expect(service.closedByClient?.code).toBe(1000);
  });

  it('keeps a partial the service never finalised when the finish times out', async () => {
    setup({ answerClose: false });
    state().start();
    await waitForStatus('recording');
    service.push({ type: 'transcription.partial', text: 'almost there' });
    state().stop();
    await waitForStatus('idle');
    expect(state().segments.map((s) => s.text)).toEqual(['almost there']);
    expect(state().partial).toBe('');
  });

  it('sends audio queued before a stop pressed during the handshake, then finishes', async () => {
    setup({ greet: false });
    state().start();
    await vi.waitFor(() => expect(mic.running).toBe(true));
    mic.emit();
    state().stop();
    await settle();
    service.push({ type: 'session.created', session: { id: 'ts_1' } });
    service.push({ type: 'session.updated', session: {} });
    await waitForStatus('idle');
    expect(service.received.map((m) => m.type)).toEqual(['session.update', 'audio.append', 'audio.append', 'session.close']);
  });

  it('authenticates with the first message when asked to', async () => {
    setup({ apiKey: 'secret-key-1' }, { serverUrl: 'wss://stt.example.com/ws', authMethod: 'first-message', apiKey: 'secret-key-1' });
    state().start();
    await waitForStatus('recording');
    expect(service.received[0]).toEqual({ type: 'auth', token: 'secret-key-1' });
  });

  it.each([
    ['query', (s: FakeVoiceRunService) => new URL(s.request!.url).searchParams.get('api_key')],
    ['subprotocol', (s: FakeVoiceRunService) => s.request!.protocols[1]],
  ] as const)('authenticates with %s auth', async (authMethod, presented) => {
    setup({ apiKey: 'secret-key-1' }, { serverUrl: 'wss://stt.example.com/ws', authMethod, apiKey: 'secret-key-1' });
    state().start();
    await waitForStatus('recording');
    expect(presented(service)).toBe('secret-key-1');
  });
});

describe('a dictation session that fails', () => {
  it('explains a rejected key (close 4001) without showing the key', async () => {
    setup({ apiKey: 'right-key' }, { serverUrl: 'wss://stt.example.com/ws', authMethod: 'query', apiKey: 'wrong-key-123' });
    state().start();
    await waitForStatus('error');
    expect(state().error?.message).toMatch(/rejected the API key/);
    expect(JSON.stringify(state().error)).not.toContain('wrong-key-123');
    expect(mic.running).toBe(false);
  });

  it('says it could not connect, naming the host but not the query', async () => {
    setup({ reachable: false }, { serverUrl: 'wss://stt.example.com/ws', authMethod: 'query', apiKey: 'k-123456' });
    state().start();
    await waitForStatus('error');
    expect(state().error?.message).toBe(
      'Could not connect to stt.example.com. Check the endpoint URL in Settings and that the server is running.',
    );
  });

  it('times out a server that never answers', async () => {
    setup({ greet: false });
    state().start();
    await waitForStatus('error');
    expect(state().error?.message).toMatch(/did not answer within/);
    expect(service.closedByClient).not.toBeNull();
  });

  it('explains a denied microphone and closes the socket', async () => {
    setup();
    mic.failWith = new DOMException('Permission denied', 'NotAllowedError');
    state().start();
    await waitForStatus('error');
    expect(state().error?.message).toMatch(/Microphone access is blocked/);
    expect(service.closedByClient).not.toBeNull();
  });

  it('explains a configuration the service rejects, with its detail, redacting the key', async () => {
    setup({}, { authMethod: 'query', apiKey: 'sk-live-abcdef', serverUrl: 'wss://stt.example.com/ws' });
    // A service that answers session.update with an error ("VoiceRun: server messages", error).
    const original = service.push.bind(service);
    service.push = (m) =>
      original(
        typeof m === 'object' && (m as { type?: string }).type === 'session.updated'
          ? { type: 'error', error: { code: 'invalid_model', message: 'Unknown STT model for key sk-live-abcdef' } }
          : m,
      );
    state().start();
    await waitForStatus('error');
    expect(state().error).toMatchObject({
      message: expect.stringMatching(/does not offer the chosen model/),
      detail: 'Unknown STT model for key •••',
    });
  });

  it('keeps recording after a malformed message, and says so', async () => {
    setup();
    state().start();
    await waitForStatus('recording');
    service.push('this is not json');
    expect(state().status).toBe('recording');
    expect(state().error?.message).toMatch(/could not understand/);
    mic.emit();
    expect(service.audioFrames()).toHaveLength(1);
  });

  it('keeps the transcript, and the partial, when the connection dies mid-sentence', async () => {
    setup();
    state().start();
    await waitForStatus('recording');
    service.push({ type: 'transcription.completed', text: 'one' });
    service.push({ type: 'transcription.partial', text: 'two three' });
    service.serverClose(1006);
    await waitForStatus('error');
    expect(state().error?.message).toMatch(/connection to localhost:8787 was lost/);
    expect(transcriptText(state().segments)).toBe('one two three');
    await vi.waitFor(() => expect(mic.running).toBe(false));
  });

  it('stops the socket when the microphone is unplugged', async () => {
    setup();
    state().start();
    await waitForStatus('recording');
    mic.unplug(microphoneEnded());
    await waitForStatus('error');
    expect(state().error?.code).toBe('microphone-ended');
    expect(service.closedByClient).not.toBeNull();
  });

  it('refuses bad settings before connecting', async () => {
    setup({}, { serverUrl: 'http://example.com' });
    state().start();
    await waitForStatus('error');
    expect(state().error?.message).toMatch(/must start with ws:\/\/ or wss:\/\/.*Fix it in Settings/);
    expect(service.request).toBeNull();
  });

  it('turns the microphone off and says so when the service ends the session by itself', async () => {
    setup();
    state().start();
    await waitForStatus('recording');
    service.push({ type: 'transcription.completed', text: 'kept' });
    service.push({ type: 'session.closed' });
    await waitForStatus('idle');
    await vi.waitFor(() => expect(mic.running).toBe(false));
    expect(state().error?.message).toMatch(/localhost:8787 ended the session/);
    expect(transcriptText(state().segments)).toBe('kept');
  });

  it('can start again after an error', async () => {
    setup({ reachable: false });
    state().start();
    await waitForStatus('error');
    service.options.reachable = true;
    state().start();
    await waitForStatus('recording');
    expect(state().error).toBeNull();
  });
});
