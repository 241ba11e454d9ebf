import { resetStores } from '../test/stores';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { providerEntry } from '../protocol/registry';
import { profileOf } from '../session/settings';
import { useCredentials } from './credentials';
import { sessionSink, transcriptText, useDictation } from './dictation';

const state = () => useDictation.getState();

beforeEach(resetStores);

describe('the dictation store', () => {
  it('persists settings and the transcript, never the API key', () => {
    state().selectProvider('voicerun');
    state().updateProfile({ url: 'wss://stt.example.com/ws', auth: 'query' });
    useCredentials.getState().setKey('voicerun', 'sk-secret');
    sessionSink.transcript({ type: 'final', text: 'kept' });
    const stored = localStorage.getItem('dictate') ?? '';
    expect(stored).toContain('wss://stt.example.com/ws');
    expect(stored).toContain('kept');
    expect(JSON.stringify({ ...localStorage })).not.toContain('sk-secret');
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
    expect(state().segments).toEqual([{ id: 1, text: 'good' }]);
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

  it('writes storage when the transcript or settings change, not for level or partial updates', () => {
    const writes = vi.spyOn(Storage.prototype, 'setItem');
    for (let i = 0; i < 50; i++) sessionSink.level(0.3);
    sessionSink.transcript({ type: 'partial', text: 'in progress' });
    sessionSink.transcript({ type: 'speech-started' });
    expect(writes).not.toHaveBeenCalled();
    sessionSink.transcript({ type: 'final', text: 'done' });
    expect(writes).toHaveBeenCalledTimes(1);
    expect(localStorage.getItem('dictate')).toContain('done');
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

  it('shows a full storage instead of failing silently, keeps the words in memory, and saves again once there is room', async () => {
    const setItem = vi.spyOn(Storage.prototype, 'setItem').mockImplementation(() => {
      throw new DOMException('The quota has been exceeded.', 'QuotaExceededError');
    });
    sessionSink.transcript({ type: 'final', text: 'precious words' });
    await Promise.resolve();
    expect(state().error?.code).toBe('storage-failed');
    expect(state().error?.message).toMatch(/storage for Dictate is full.*Download or copy it now/);
    expect(transcriptText(state().segments)).toBe('precious words');
    setItem.mockRestore();
    sessionSink.transcript({ type: 'final', text: 'more' });
    expect(localStorage.getItem('dictate')).toContain('precious words');
  });

  it('undoes a Clear, putting the cleared words before anything said since', () => {
    sessionSink.transcript({ type: 'final', text: 'one' });
    sessionSink.transcript({ type: 'final', text: 'two' });
    state().clear();
    expect(state().segments).toEqual([]);
    sessionSink.transcript({ type: 'final', text: 'three' });
    state().undoClear();
    expect(transcriptText(state().segments)).toBe('one two three');
    expect(state().segments.map((s) => s.id)).toEqual([1, 2, 3]);
    expect(state().cleared).toBeNull();
  });

  it('clears the transcript', () => {
    useDictation.setState({ segments: [{ id: 1, text: 'a' }], partial: 'b' });
    state().clear();
    expect(state().segments).toEqual([]);
    expect(state().partial).toBe('');
  });

  it('says dictation is unavailable when no session is attached', () => {
    state().start();
    expect(state().status).toBe('error');
    expect(state().error?.code).toBe('no-session');
  });
});
