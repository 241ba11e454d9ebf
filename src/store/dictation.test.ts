import { resetStores } from '../test/stores';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { providerEntry } from '../protocol/registry';
import { profileOf } from '../protocol/settings';
import { useCredentials } from './credentials';
import { attachSession, legacyTranscript, sessionSink, transcriptText, useDictation } from './dictation';
import { currentHistory, settled } from './persistence';

const state = () => useDictation.getState();

/** The open session as History has it, once every write has landed. */
async function savedSession() {
  await settled();
  const id = state().session?.id;
  return id ? (await currentHistory())?.load(id) : undefined;
}

beforeEach(resetStores);

describe('the dictation store', () => {
  it('resets all of itself with getInitialState: the attached session, the clipping hold and the resave flag included', () => {
    const started: string[] = [];
    attachSession({
      start: (settings) => void started.push(settings.provider),
      stop: () => undefined,
      abort: () => undefined,
      check: () => undefined,
    });
    sessionSink.level(1); // full scale: "Clipping" holds for a second
    useDictation.setState({ resaveNeeded: true });
    expect([state().clipping, state().controller]).toEqual([true, expect.anything()]);
    useDictation.setState(useDictation.getInitialState(), true);
    sessionSink.level(0.1);
    expect(state().clipping).toBe(false);
    expect(state().resaveNeeded).toBe(false);
    state().start();
    expect(started).toEqual([]);
    expect(state().error?.message).toMatch(/not available in this page/);
  });

  it('persists settings in localStorage and the transcript in History, never the API key', async () => {
    state().selectProvider('voicerun');
    state().updateProfile({ url: 'wss://stt.example.com/ws', auth: 'query' });
    useCredentials.getState().setKey('voicerun', 'sk-secret');
    sessionSink.transcript({ type: 'final', text: 'kept' });
    const stored = localStorage.getItem('dictate') ?? '';
    expect(stored).toContain('wss://stt.example.com/ws');
    expect(stored).not.toContain('kept');
    expect(JSON.stringify({ ...localStorage })).not.toContain('sk-secret');
    const saved = await savedSession();
    expect(saved?.segments.map((s) => s.text)).toEqual(['kept']);
    expect(JSON.stringify(saved)).not.toContain('sk-secret');
  });

  it('keeps each provider’s settings apart, and brings them back when it is chosen again', () => {
    state().selectProvider('speechall');
    state().updateProfile({ options: { model: 'assemblyai.best' } });
    state().selectProvider('local-reson8');
    state().updateProfile({ options: { includeInterim: false } });
    state().selectProvider('speechall');
    expect(profileOf(state().settings).options.model).toBe('assemblyai.best');
    expect(profileOf(state().settings, providerEntry('local-reson8')).options.includeInterim).toBe(false);
    state().resetProfile();
    expect(profileOf(state().settings).options.model).toBe('deepgram.nova-2');
  });

  it('keeps spoken punctuation as set across other settings changes, for the local engine and a cloud service', () => {
    state().selectProvider('local-reson8');
    expect(profileOf(state().settings).spokenCommands).toBe(true); // on by default for the local engine
    state().updateProfile({ options: { includeInterim: false } });
    expect(profileOf(state().settings).spokenCommands).toBe(true);
    state().selectProvider('speechall');
    expect(profileOf(state().settings).spokenCommands).toBe(false);
    state().updateProfile({ spokenCommands: true });
    state().updateProfile({ options: { model: 'assemblyai.best' } });
    expect(profileOf(state().settings).spokenCommands).toBe(true);
  });

  it('ignores a provider the registry does not know', () => {
    state().selectProvider('telepathy');
    expect(state().settings.provider).toBe('local-voicerun');
  });

  it('restores only well-formed data from storage, never crashing on what it finds there', async () => {
    localStorage.setItem(
      'dictate',
      JSON.stringify({
        state: {
          settings: { serverUrl: 5, authMethod: 'telepathy', model: 'nova-3', apiKey: 'leaked' },
          segments: [{ id: 1, text: 'good' }, null, { id: 'x', text: 3 }, 'junk'],
        },
        version: 1,
      }),
    );
    await useDictation.persist.rehydrate();
    expect(legacyTranscript()).toEqual([{ id: 1, text: 'good' }]);
    expect(state().settings.provider).toBe('local-voicerun');
    expect(profileOf(state().settings).auth).toBe('none');
    expect(JSON.stringify(state().settings)).not.toContain('leaked');
  });

  it('moves version-1 settings (one VoiceRun endpoint) to the VoiceRun provider', async () => {
    localStorage.setItem(
      'dictate',
      JSON.stringify({
        state: {
          settings: {
            serverUrl: 'wss://stt.example.com/ws',
            authMethod: 'subprotocol',
            provider: 'OPENAI',
            model: 'gpt-4o-transcribe',
            language: 'multi',
            prompt: 'Dashwood',
          },
          segments: [],
        },
        version: 1,
      }),
    );
    await useDictation.persist.rehydrate();
    expect(state().settings.provider).toBe('voicerun');
    expect(profileOf(state().settings)).toEqual({
      url: 'wss://stt.example.com/ws',
      auth: 'subprotocol',
      tokenUrl: '',
      options: { model: 'OPENAI:gpt-4o-transcribe', language: 'multi', prompt: 'Dashwood', audioFormat: 'pcm16' },
      spokenCommands: false, // a cloud service's default
    });
  });

  it('drops unknown providers and options, and options of the wrong type, from version-2 storage', async () => {
    localStorage.setItem(
      'dictate',
      JSON.stringify({
        state: {
          settings: {
            provider: 'telepathy',
            profiles: { reson8: { url: 'wss://x.example/rt', auth: 'query', options: { includeInterim: 'yes', junk: 1 } }, evil: {} },
          },
          segments: [],
        },
        version: 2,
      }),
    );
    await useDictation.persist.rehydrate();
    expect(state().settings.provider).toBe('local-voicerun');
    expect(Object.keys(state().settings.profiles)).toEqual(['reson8']);
    const reson8 = profileOf(state().settings, providerEntry('reson8'));
    expect(reson8.auth).toBe('subprotocol');
    expect(reson8.options.includeInterim).toBe(true);
    expect(reson8.options).not.toHaveProperty('junk');
  });

  it('writes localStorage only when settings change, not for level, partial or final updates', () => {
    const writes = vi.spyOn(Storage.prototype, 'setItem');
    for (let i = 0; i < 50; i++) sessionSink.level(0.3);
    sessionSink.transcript({ type: 'partial', text: 'in progress' });
    sessionSink.transcript({ type: 'speech-started' });
    sessionSink.transcript({ type: 'final', text: 'done' });
    expect(writes).not.toHaveBeenCalled();
    state().selectProvider('reson8');
    expect(writes).toHaveBeenCalledTimes(1);
    writes.mockRestore();
  });

  it('turns a partial the service never finalised into text when the session ends, so shown words stay', () => {
    sessionSink.transcript({ type: 'final', text: 'first' });
    sessionSink.transcript({ type: 'partial', text: 'second in progress' });
    sessionSink.status('idle');
    expect(transcriptText(state().segments)).toBe('first second in progress');
    expect(state().partial).toBe('');
  });

  it('numbers segments in order and drops empty finals', () => {
    sessionSink.transcript({ type: 'final', text: 'one', startMs: 100, durationMs: 400 });
    sessionSink.transcript({ type: 'final', text: '   ' });
    sessionSink.transcript({ type: 'final', text: 'two' });
    expect(state().segments).toEqual([
      { id: 1, text: 'one', startMs: 100, durationMs: 400 },
      { id: 2, text: 'two' },
    ]);
  });

  it('shows a full storage instead of failing silently, keeps the words in memory, and saves them all once there is room', async () => {
    const history = (await currentHistory())!;
    const saveSegment = vi
      .spyOn(history, 'saveSegment')
      .mockRejectedValue(new DOMException('The quota has been exceeded.', 'QuotaExceededError'));
    sessionSink.transcript({ type: 'final', text: 'precious words' });
    await settled();
    await Promise.resolve();
    expect(state().error?.code).toBe('storage-failed');
    expect(state().error?.message).toMatch(/storage for Dictate is full.*Export or copy it now/);
    expect(transcriptText(state().segments)).toBe('precious words');
    saveSegment.mockRestore();
    sessionSink.transcript({ type: 'final', text: 'more' });
    expect((await savedSession())?.segments.map((s) => s.text)).toEqual(['precious words', 'more']);
  });

  it('saves each final as it comes, with the session’s totals', async () => {
    sessionSink.transcript({ type: 'final', text: 'one', startMs: 0, durationMs: 800 });
    sessionSink.transcript({ type: 'final', text: 'two', startMs: 1000, durationMs: 900 });
    const saved = await savedSession();
    expect(saved?.meta).toMatchObject({
      segmentCount: 2,
      preview: 'one two',
      durationMs: 1900,
      provider: 'Local engine (PocketSphinx, offline)',
    });
  });

  it('times finals in the session: service times shifted past earlier recordings, and the browser clock where a service sends none', () => {
    const now = vi.spyOn(Date, 'now').mockReturnValue(1_000_000);
    // A second recording of a session that already holds 60 s.
    useDictation.setState({ run: { offsetMs: 60_000, startedAt: 1_000_000 } });
    sessionSink.transcript({ type: 'final', text: 'timed', startMs: 500, durationMs: 1000, words: [{ text: 'timed', startMs: 500 }] });
    now.mockReturnValue(1_003_000);
    sessionSink.transcript({ type: 'partial', text: 'untimed' });
    now.mockReturnValue(1_004_500);
    sessionSink.transcript({ type: 'final', text: 'untimed words' });
    expect(state().segments.map(({ startMs, durationMs, words }) => ({ startMs, durationMs, words }))).toEqual([
      { startMs: 60_500, durationMs: 1000, words: [{ text: 'timed', startMs: 60_500 }] },
      { startMs: 63_000, durationMs: 1500, words: undefined },
    ]);
    now.mockRestore();
  });

  it('turns spoken commands into text for the local engine, keeping the raw words', async () => {
    sessionSink.transcript({ type: 'final', text: 'hello comma world period' });
    expect(state().segments[0]).toMatchObject({ text: 'hello, world.', raw: 'hello comma world period' });
    state().updateProfile({ spokenCommands: false });
    sessionSink.transcript({ type: 'final', text: 'new line' });
    expect(state().segments[1].text).toBe('new line');
    expect((await savedSession())?.segments[0].raw).toBe('hello comma world period');
  });

  it('leaves spoken commands alone for a cloud service unless asked', () => {
    state().selectProvider('reson8');
    sessionSink.transcript({ type: 'final', text: 'a period of time' });
    expect(state().segments[0].text).toBe('a period of time');
  });

  it('edits a segment in place: its times stay, the raw text is kept, and History has the edit', async () => {
    sessionSink.transcript({ type: 'final', text: 'helo world', startMs: 500, durationMs: 700 });
    state().editSegment(1, 'hello world');
    expect(state().segments[0]).toEqual({ id: 1, text: 'hello world', raw: 'helo world', edited: true, startMs: 500, durationMs: 700 });
    state().editSegment(1, '   ');
    expect(state().segments[0].text).toBe('hello world');
    expect((await savedSession())?.segments[0]).toMatchObject({ text: 'hello world', raw: 'helo world', edited: true });
  });

  it('starts a new session, leaving the last one in History', async () => {
    sessionSink.transcript({ type: 'final', text: 'first session' });
    const first = state().session!.id;
    vi.spyOn(Date, 'now').mockReturnValue(Date.now() + 60_000);
    state().newSession();
    expect(state().segments).toEqual([]);
    expect(state().session).toBeNull();
    sessionSink.transcript({ type: 'final', text: 'second session' });
    expect(state().session!.id).not.toBe(first);
    const history = (await currentHistory())!;
    await settled();
    expect((await history.list()).map((s) => s.preview)).toEqual(['second session', 'first session']);
    vi.restoreAllMocks();
  });

  it('moves a transcript saved before History into localStorage for migration, once', async () => {
    localStorage.setItem(
      'dictate',
      JSON.stringify({
        state: {
          settings: { provider: 'reson8', profiles: {} },
          segments: [
            { id: 1, text: 'old words' },
            { id: 2, text: 7 },
          ],
        },
        version: 2,
      }),
    );
    await useDictation.persist.rehydrate();
    expect(state().settings.provider).toBe('reson8');
    expect(legacyTranscript()).toEqual([{ id: 1, text: 'old words' }]);
    expect(localStorage.getItem('dictate')).not.toContain('old words');
  });

  it('says dictation is unavailable when no session is attached', () => {
    state().start();
    expect(state().status).toBe('error');
    expect(state().error?.code).toBe('no-session');
  });
});
