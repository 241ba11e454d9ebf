import { resetStores } from '../test/stores';
import { render, screen } from '@testing-library/react';
import { createElement } from 'react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { ConnectionStatus } from '../components/ConnectionStatus';
import { FakeMicrophone, FakeReson8Service, FakeSpeechallService, FakeVoiceRunService, settle } from '../test/fakes';
import { attachSession, transcriptText, useDictation } from '../store/dictation';
import { microphoneEnded } from '../audio/errors';
import { createSession, type SessionControl, type SessionDeps } from './session';
import type { Connect } from './transport';
import type { AuthMethod } from '../protocol/adapter';
import { useCredentials } from '../store/credentials';
import { DEFAULT_SETTINGS } from '../protocol/settings';
import { voiceRunService } from '../protocol/voicerun-service';
import type { AudioKeeper } from '../core/kept-audio';

/** A VoiceRun endpoint chosen in the settings: `serverUrl` picks the cloud entry, else the local one. */
interface Choice {
  serverUrl?: string;
  authMethod?: AuthMethod;
  apiKey?: string;
}

let mic: FakeMicrophone;
let service: FakeVoiceRunService;
let control: SessionControl | null = null;

function setup(options: ConstructorParameters<typeof FakeVoiceRunService>[0] = {}, choice: Choice = {}, timeouts = {}) {
  mic = new FakeMicrophone();
  service = new FakeVoiceRunService(options);
  attachSession(
    (control = createSession({
      startCapture: mic.start,
      connect: service.connect,
      location: { protocol: 'http:', host: 'localhost:8787' },
      handshakeTimeoutMs: 200,
      finishTimeoutMs: 200,
      ...timeouts,
    })),
  );
  useDictation.setState({ settings: DEFAULT_SETTINGS });
  choose(choice);
}

/** A session with a fresh microphone and another fake service (Reson8, Speechall). */
function attachWith(fake: { connect: Connect }, deps: Partial<SessionDeps> = {}) {
  mic = new FakeMicrophone();
  attachSession(
    (control = createSession({
      startCapture: mic.start,
      connect: fake.connect,
      location: { protocol: 'http:', host: 'localhost:8787' },
      ...deps,
    })),
  );
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
// A run a test left going must not report into the next test's store.
afterEach(() => control?.abort());

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
    // The microphone first, then the connection.
    await vi.waitFor(() => expect(service.connections).toBe(1));
    await settle();
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

  it('says how much of the recording has no text when the service does not confirm the end in time', async () => {
    setup({ answerClose: false });
    state().start();
    await waitForStatus('recording');
    service.push({ type: 'transcription.completed', text: 'first sentence' });
    for (let i = 0; i < 50; i++) mic.emit(); // a second of speech that the service never answers
    state().stop();
    await waitForStatus('idle');
    expect(transcriptText(state().segments)).toBe('first sentence');
    expect(state().error?.code).toBe('no-text-yet');
    expect(state().error?.message).toMatch(/sent no text for the last 1\.\d s of the recording within 0 s of Stop/);
  });

  it('ends quietly when the service does not confirm the end but every word has its text', async () => {
    setup({ answerClose: false });
    state().start();
    await waitForStatus('recording');
    for (let i = 0; i < 50; i++) mic.emit();
    await vi.waitFor(() => expect(service.audioFrames()).toHaveLength(50)); // the final covers what was sent
    service.push({ type: 'transcription.completed', text: 'all of it' });
    for (let i = 0; i < 25; i++) mic.emit(0.001); // silence after the last word
    state().stop();
    await waitForStatus('idle');
    expect(transcriptText(state().segments)).toBe('all of it');
    expect(state().error).toBeNull();
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
    // A browser cannot tell a refusal from an absent server: the likely causes, none as fact, never the key.
    expect(state().error?.message).toBe(
      'Could not connect to stt.example.com. It may be down or unreachable from this network, or the endpoint URL in Settings may be wrong.',
    );
    expect(service.connections).toBe(1); // the first connection is not retried
  });

  it('asks the local engine whether it is running when it refuses, and says which', async () => {
    for (const [running, message] of [
      [false, 'The local engine at localhost:8787 is not running. Start it with `npm start`'],
      [true, 'The local engine at localhost:8787 is running but refused the connection'],
    ] as const) {
      const probed: string[] = [];
      setup({ reachable: false }, {}, { probeLocalEngine: (endpoint: string) => (probed.push(endpoint), Promise.resolve(running)) });
      state().start();
      await waitForStatus('error');
      expect(state().error?.message).toContain(message);
      expect(probed).toEqual(['ws://localhost:8787/ws']);
      control?.abort();
      resetStores();
    }
  });

  it('times out a server that never answers', async () => {
    setup({ greet: false });
    state().start();
    await waitForStatus('error');
    expect(state().error?.message).toMatch(/did not answer within/);
    expect(service.closedByClient).not.toBeNull();
  });

  it('explains a denied microphone and never opens a connection', async () => {
    setup();
    mic.failWith = new DOMException('Permission denied', 'NotAllowedError');
    state().start();
    await waitForStatus('error');
    expect(state().error?.message).toMatch(/Microphone access is blocked/);
    expect(service.connections).toBe(0);
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

  it('finishes cleanly when the microphone is unplugged: the audio so far, session.close, no reconnect', async () => {
    setup({ answerClose: true }, {}, { reconnect: { baseDelayMs: 10 } });
    state().start();
    await waitForStatus('recording');
    mic.emit(0.5);
    mic.unplug(microphoneEnded());
    await waitForStatus('error');
    expect(state().error?.code).toBe('microphone-ended');
    expect(service.received.map((m) => m.type)).toEqual(['session.update', 'audio.append', 'session.close']);
    expect(service.closedByClient?.code).toBe(1000); // the stream itself ended normally
    expect(service.connections).toBe(1);
  });

  it('says so when the microphone delivers only digital silence for 3 s', async () => {
    setup();
    state().start();
    await waitForStatus('recording');
    for (let i = 0; i < 149; i++) mic.emit(0);
    expect(state().error).toBeNull();
    mic.emit(0);
    expect(state().error?.code).toBe('no-audio');
    expect(state().error?.message).toMatch(/No audio from the microphone/);
    expect(state().status).toBe('recording');
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

/** Frames `from`..`to` (sample values, see FakeMicrophone.emit), as the service received them on connection `n` (1-based). */
function framesOnConnection(n: number): number[] {
  let connection = 0;
  const out: number[] = [];
  for (const m of service.received) {
    if (m.type === 'session.update') connection++;
    if (connection === n && m.type === 'audio.append') {
      const bytes = Uint8Array.from(atob(String(m.audio)), (c) => c.charCodeAt(0));
      out.push(new Int16Array(bytes.buffer)[0]);
    }
  }
  return out;
}

const range = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => from + i);

describe('a dictation session that loses its connection', () => {
  /** Reconnects at once (no jitter delay), for tests. */
  const quick = { reconnect: { baseDelayMs: 10 }, random: () => 0 };

  it('reconnects after a drop mid-sentence, drops the stale partial, replays with one utterance of context, and shows no word twice', async () => {
    setup({}, {}, quick);
    state().start();
    await waitForStatus('recording');
    for (let i = 0; i < 10; i++) mic.emit(0.5); // frames 1–10: "one"
    for (let i = 0; i < 20; i++) mic.emit(0); // frames 11–30: a pause
    service.push({ type: 'transcription.completed', text: 'one' });
    for (let i = 0; i < 5; i++) mic.emit(0.5); // frames 31–35: "two three…"
    service.push({ type: 'transcription.partial', text: 'two three' });
    service.serverClose(1006);
    expect(state().status).toBe('reconnecting');
    expect(screenText()).toBe('Reconnecting… (attempt 1)');
    expect(state().partial).toBe(''); // stale: never promoted to final
    expect(mic.running).toBe(true); // capture goes on
    mic.emit(0.5); // frame 36, captured while disconnected
    await waitForStatus('recording');
    expect(state().reconnectAttempt).toBe(0);
    // The utterance of context ("one"), the partial's words, and what came meanwhile.
    await vi.waitFor(() => expect(framesOnConnection(2)).toEqual(range(1, 36)));
    mic.emit(0.5);
    await vi.waitFor(() => expect(framesOnConnection(2).at(-1)).toBe(37));
    // The new recognizer says the context again, then the rest: nothing is shown twice.
    service.push({ type: 'transcription.completed', text: 'One.' });
    service.push({ type: 'transcription.completed', text: 'two three four' });
    expect(transcriptText(state().segments)).toBe('one two three four');
    expect(service.connections).toBe(2);
  });

  it('measures capture → send for frames sent the first time, and counts what a reconnect sends again as replayed', async () => {
    let monotonic = 1000;
    setup({}, {}, { ...quick, monotonic: () => monotonic });
    state().start();
    await waitForStatus('recording');
    for (let i = 0; i < 10; i++) {
      monotonic += 20;
      mic.emit(0.5, monotonic - 7); // each frame leaves 7 ms after its capture
    }
    service.serverClose(1006);
    await waitForStatus('recording'); // the replay sends frames 1–10 again, 20 ms of audio each
    await vi.waitFor(() => expect(framesOnConnection(2)).toEqual(range(1, 10)));
    monotonic += 20;
    mic.emit(0.5, monotonic - 3);
    await vi.waitFor(() => expect(framesOnConnection(2).at(-1)).toBe(11));
    state().stop();
    await waitForStatus('idle');
    await vi.waitFor(() => expect(state().session?.figures).toBeDefined());
    const figures = state().session?.figures;
    expect(figures?.sendDelayMs).toMatchObject({ count: 11, p50: 7, p99: 7 });
    expect(figures?.replayedSeconds).toBe(0.2);
    expect(figures?.reconnects).toBe(1);
  });

  it('offsets the times of the new connection, so the transcript’s times stay monotonic', async () => {
    const reson8 = new FakeReson8Service();
    attachWith(reson8, quick);
    state().selectProvider('local-reson8');
    state().start();
    await waitForStatus('recording');
    for (let i = 0; i < 100; i++) mic.emit(0.5); // 2 s, sent paced
    await vi.waitFor(() => expect(reson8.audio.length).toBe(100));
    reson8.push({ type: 'transcript', text: 'first', is_final: true, start_ms: 100, duration_ms: 900 }); // ends at frame 50
    reson8.push({ type: 'transcript', text: 'second', is_final: true, start_ms: 1100, duration_ms: 700 }); // ends at frame 90
    reson8.serverClose(1011, 'Recognizer failed');
    await waitForStatus('recording');
    expect(reson8.connections).toBe(2);
    // Replayed from the end of "first": "second" as context, then the rest (frames 51–100).
    await vi.waitFor(() => expect(reson8.samples().length).toBe(100 + 50));
    expect(new Int16Array(reson8.audio[100])[0]).toBe(51);
    // The new connection's 0 ms is the run's 1000 ms. Its "second" lies in the context: not shown again.
    reson8.push({ type: 'transcript', text: 'second', is_final: true, start_ms: 100, duration_ms: 700 });
    reson8.push({
      type: 'transcript',
      text: 'third',
      is_final: true,
      start_ms: 850,
      duration_ms: 100,
      words: [{ text: 'third', start_ms: 850, duration_ms: 100 }],
    });
    expect(state().segments.map((s) => [s.text, s.startMs])).toEqual([
      ['first', 100],
      ['second', 1100],
      ['third', 1850],
    ]);
    expect(state().segments[2].words).toEqual([{ text: 'third', startMs: 1850, durationMs: 100 }]);
  });

  it('never retries a refused key (close 4001): one attempt, and the reason', async () => {
    setup({}, {}, quick);
    state().start();
    await waitForStatus('recording');
    service.serverClose(4001, 'Unauthorized');
    await waitForStatus('error');
    expect(state().error?.code).toBe('unauthorized');
    expect(service.connections).toBe(1);
    expect(service.closedByClient).toBeNull(); // the server closed it; nothing more was sent
  });

  it('stops after a bounded number of refused reconnects, and says what to check', async () => {
    setup({}, {}, { ...quick, reconnect: { baseDelayMs: 10, maxRefusals: 3 } });
    state().start();
    await waitForStatus('recording');
    service.options.reachable = false;
    service.serverClose(1006);
    await waitForStatus('error');
    expect(service.connections).toBe(1 + 3);
    expect(state().error?.message).toMatch(/^Could not connect to localhost:8787\./);
    expect(transcriptText(state().segments)).toBe('');
  });

  it('gives up after the last attempt, keeping the transcript', async () => {
    setup({}, {}, { ...quick, reconnect: { baseDelayMs: 10, maxAttempts: 2 } });
    state().start();
    await waitForStatus('recording');
    service.push({ type: 'transcription.completed', text: 'kept' });
    service.options.greet = false; // connections open, but the service never answers
    service.serverClose(1006);
    await waitForStatus('error');
    expect(state().error?.message).toMatch(/could not reconnect after 2 attempts/);
    expect(transcriptText(state().segments)).toBe('kept');
  });

  it('tells how many seconds were lost when the journal overflows while disconnected', async () => {
    setup({}, {}, { ...quick, journalSeconds: 0.2, reconnect: { baseDelayMs: 50 } }); // 10 frames
    state().start();
    await waitForStatus('recording');
    service.serverClose(1006);
    for (let i = 0; i < 30; i++) mic.emit(0.5);
    await waitForStatus('recording');
    expect(state().error?.code).toBe('audio-lost');
    expect(state().error?.message).toMatch(/0\.4 s of audio could not be kept/);
    expect(framesOnConnection(2)).toEqual(range(21, 30));
  });

  /** A keeper that holds the frames in memory; `readable: false` makes its reads come back empty (never stored). */
  function memoryKeeper(readable = true): { keeper: AudioKeeper; stored: ArrayBuffer[]; reads: [number, number][] } {
    const stored: ArrayBuffer[] = [];
    const reads: [number, number][] = [];
    const keeper: AudioKeeper = {
      open: () => ({
        frame: (pcm) => void stored.push(pcm.slice(0)),
        close: () => Promise.resolve(),
        read: (from, to) => {
          reads.push([from, to]);
          return Promise.resolve(readable ? stored.slice(from, to) : []);
        },
      }),
    };
    return { keeper, stored, reads };
  }

  it('an outage longer than the journal holds loses nothing: what it dropped is replayed from the kept audio, then the journal', async () => {
    const kept = memoryKeeper();
    setup({}, {}, { ...quick, journalSeconds: 0.2, reconnect: { baseDelayMs: 50 }, audioKeeper: kept.keeper }); // 10 frames
    state().start();
    await waitForStatus('recording');
    service.serverClose(1006);
    for (let i = 0; i < 30; i++) mic.emit(0.5);
    await waitForStatus('recording');
    await vi.waitFor(() => expect(framesOnConnection(2)).toEqual(range(1, 30)));
    expect(kept.reads[0]).toEqual([0, 20]); // frames 1–20 (indexes 0–19) had left the journal
    expect(state().error).toBeNull();
    mic.emit(0.5);
    await vi.waitFor(() => expect(framesOnConnection(2)).toEqual(range(1, 31)));
  });

  it('when the kept audio does not have what the journal dropped, the user is told how much is missing', async () => {
    const kept = memoryKeeper(false);
    setup({}, {}, { ...quick, journalSeconds: 0.2, reconnect: { baseDelayMs: 50 }, audioKeeper: kept.keeper });
    state().start();
    await waitForStatus('recording');
    service.serverClose(1006);
    for (let i = 0; i < 30; i++) mic.emit(0.5);
    await waitForStatus('recording');
    await vi.waitFor(() => expect(state().error?.code).toBe('audio-lost'));
    expect(state().error?.message).toMatch(/0\.4 s of audio could not be kept/);
    expect(framesOnConnection(2)).toEqual(range(21, 30));
  });

  it('holds frames while the network does not drain, shows "Network slow", then sends them in order', async () => {
    setup({}, {}, { highWaterBytes: 1000 });
    state().start();
    await waitForStatus('recording');
    service.bufferedAmount = 5000;
    for (let i = 0; i < 5; i++) mic.emit(0.5);
    expect(framesOnConnection(1)).toEqual([]);
    expect(screenText()).toBe('Listening · Network slow');
    service.bufferedAmount = 0;
    await vi.waitFor(() => expect(framesOnConnection(1)).toEqual(range(1, 5)));
    expect(state().networkSlow).toBe(false);
  });

  it('replaces a connection whose buffer stopped draining', async () => {
    setup({}, {}, { ...quick, deadAfterMs: 500 });
    state().start();
    await waitForStatus('recording');
    mic.emit(0.5);
    service.bufferedAmount = 640; // nothing leaves the socket any more
    await vi.waitFor(() => expect(service.connections).toBe(2), { timeout: 4000 });
    expect(service.clientCloses.map((c) => c.code)).toEqual([4002]);
  });

  it('looks at the connection at once when the tab comes back, rather than at the next (throttled) watchdog tick', async () => {
    let clock = 0;
    setup({}, {}, { ...quick, deadAfterMs: 500, now: () => clock });
    state().start();
    await waitForStatus('recording');
    mic.emit(0.5);
    service.bufferedAmount = 640; // stuck while the tab was hidden
    clock = 60_000;
    expect(service.clientCloses).toEqual([]);
    control!.check();
    expect(service.clientCloses.map((c) => c.code)).toEqual([4002]);
    await vi.waitFor(() => expect(service.connections).toBe(2));
  });

  it('says a protocol adapter that cannot be loaded is a loading problem, not the settings', async () => {
    setup();
    vi.spyOn(voiceRunService, 'load').mockRejectedValueOnce(new TypeError('Failed to fetch dynamically imported module'));
    state().start();
    await waitForStatus('error');
    expect(state().error?.code).toBe('load-failed');
    expect(state().error?.message).toMatch(/^The VoiceRun Transcribe client could not be loaded.*Reload the page/);
    expect(service.connections).toBe(0);
  });

  it('gives up on a server that accepts every reconnect but never drains, instead of trying forever', async () => {
    setup({}, {}, { ...quick, deadAfterMs: 300, reconnect: { baseDelayMs: 10, maxAttempts: 2 } });
    state().start();
    await waitForStatus('recording');
    mic.emit(0.5);
    service.bufferedAmount = 640; // accepted, then nothing leaves the socket, on every connection
    await vi.waitFor(() => expect(state().status).toBe('error'), { timeout: 8000 });
    expect(state().error?.message).toMatch(/could not reconnect after 2 attempts/);
    expect(service.connections).toBe(3);
  }, 10_000);

  it('finishes normally after a reconnect: the replayed audio, then session.close', async () => {
    setup({ answerClose: true }, {}, quick);
    state().start();
    await waitForStatus('recording');
    mic.emit(0.5);
    service.serverClose(1012, 'Service restart');
    await waitForStatus('recording');
    state().stop();
    await waitForStatus('idle');
    expect(service.received.at(-1)?.type).toBe('session.close');
    expect(service.closedByClient?.code).toBe(1000);
  });

  it('reconnects a drop that comes while finishing, then finishes on the new connection', async () => {
    setup({ answerClose: false }, {}, quick);
    state().start();
    await waitForStatus('recording');
    mic.emit(0.5);
    state().stop();
    await vi.waitFor(() => expect(service.received.at(-1)?.type).toBe('session.close'));
    service.serverClose(1006); // before session.closed
    await vi.waitFor(() => expect(service.connections).toBe(2));
    expect(state().status).toBe('stopping'); // still finishing, not recording again
    await vi.waitFor(() => expect(framesOnConnection(2).length).toBeGreaterThan(0));
    await vi.waitFor(() => expect(service.received.at(-1)?.type).toBe('session.close'));
    service.push({ type: 'transcription.completed', text: 'last words' });
    service.push({ type: 'session.closed' });
    await waitForStatus('idle');
    expect(transcriptText(state().segments)).toBe('last words');
  });

  it('authenticates again on the new connection: VoiceRun’s first message, then the session config', async () => {
    setup({ apiKey: 'sk-live-123456' }, { serverUrl: 'wss://stt.example.com/ws', apiKey: 'sk-live-123456' }, quick);
    expect(state().settings.profiles.voicerun?.auth ?? 'first-message').toBe('first-message'); // the documented browser default
    state().start();
    await waitForStatus('recording');
    service.serverClose(1006);
    await waitForStatus('recording');
    const types = service.received.map((m) => m.type);
    expect(types.filter((t) => t === 'auth')).toHaveLength(2);
    expect(types.filter((t) => t === 'session.update')).toHaveLength(2);
    expect(service.request?.protocols).toEqual([]); // nothing in the handshake: the key goes in the first message
  });

  it('fetches a fresh token from the Token URL before each connection, reconnects included, and never stores it', async () => {
    const tokens = ['dt1.first', 'dt1.second'];
    const asked: string[] = [];
    setup(
      {},
      { serverUrl: 'wss://stt.example.com/ws', apiKey: '' },
      { ...quick, fetchToken: (url: string) => (asked.push(url), Promise.resolve(tokens.shift() ?? '')) },
    );
    state().updateProfile({ tokenUrl: 'https://backend.example/dictate-token' });
    state().start();
    await waitForStatus('recording');
    service.serverClose(1006);
    await waitForStatus('recording');
    expect(asked).toEqual(['https://backend.example/dictate-token', 'https://backend.example/dictate-token']);
    expect(service.received.filter((m) => m.type === 'auth').map((m) => m.token)).toEqual(['dt1.first', 'dt1.second']);
    expect(JSON.stringify({ ...localStorage, ...sessionStorage })).not.toContain('dt1.');
  });

  it('says when the Token URL gives no token', async () => {
    setup({}, { serverUrl: 'wss://stt.example.com/ws' }, { fetchToken: () => Promise.reject(new Error('backend.example answered 401.')) });
    state().updateProfile({ tokenUrl: 'https://backend.example/dictate-token' });
    state().start();
    await waitForStatus('error');
    expect(state().error).toMatchObject({
      code: 'token-failed',
      message: expect.stringMatching(/^Could not get a token from backend\.example\./),
      detail: 'backend.example answered 401.',
    });
    expect(service.connections).toBe(0);
  });

  it('shows the reason of a busy server (1013) and tries again', async () => {
    setup({}, {}, quick);
    state().start();
    await waitForStatus('recording');
    service.serverClose(1013, 'The local engine is busy (2 sessions); try again shortly.');
    expect(state().error?.message).toBe(
      'The local engine is busy (2 sessions); try again shortly. Dictate keeps recording and tries again.',
    );
    await waitForStatus('recording');
    expect(service.connections).toBe(2);
  });

  it('closes with a code other than 1000 when it ends after an error', async () => {
    setup();
    state().start();
    await waitForStatus('recording');
    service.push({ type: 'error', error: { code: 'invalid_config', message: 'bad' } });
    await waitForStatus('error');
    expect(service.closedByClient?.code).toBe(4000);
  });
});

/** What the Connection status line reads, rendered by the real component. */
function screenText(): string {
  const { unmount } = render(createElement(ConnectionStatus));
  const text = screen.getByRole('status', { name: 'Connection' }).textContent ?? '';
  unmount();
  return text;
}

describe('a Speechall session finishing', () => {
  it('keeps the last result when it comes late, showing how long it still waits', async () => {
    const speechall = new FakeSpeechallService();
    attachWith(speechall, { lastResultTimeoutMs: 5000 });
    state().selectProvider('local-speechall');
    state().start();
    await waitForStatus('recording');
    for (let i = 0; i < 10; i++) mic.emit(0.5); // speech, not yet answered
    state().stop();
    await vi.waitFor(() => expect(state().waitingSeconds).toBe(5));
    expect(screenText()).toBe('Finishing… waiting for the last words (5 s)');
    await new Promise((r) => setTimeout(r, 2000)); // longer than the old 1.5 s quiet period
    expect(state().status).toBe('stopping');
    speechall.push(JSON.stringify({ id: '1', text: 'the last words', language: 'en', words: [{ text: 'the', start: 0, end: 0.1 }] }));
    await vi.waitFor(() => expect(state().status).toBe('idle'), { timeout: 3000 });
    expect(transcriptText(state().segments)).toBe('the last words');
    expect(state().waitingSeconds).toBeNull();
    expect(speechall.closedByClient?.code).toBe(1000);
  });
});
