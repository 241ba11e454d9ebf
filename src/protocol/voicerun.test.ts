import { describe, expect, it } from 'vitest';
import type { TranscriptEvent } from '../core/events';
import type { WireMessage } from './adapter';
import { VoiceRunProtocol, type VoiceRunSettings } from './voicerun';

/** A message the client sends, parsed ("VoiceRun: client messages"). */
interface SentMessage {
  readonly type: string;
  readonly session: Readonly<Record<string, unknown>>;
  readonly audio: string;
  readonly token?: string;
}
const sent = (m: WireMessage): SentMessage => JSON.parse(m as string) as SentMessage;

const documented: VoiceRunSettings = {
  url: 'wss://transcribe.voicerun.com/ws',
  auth: 'none',
  apiKey: '',
  model: 'nova-3',
  provider: 'DEEPGRAM',
  language: 'en',
  prompt: 'insurance, policy, premium',
};

/** A protocol that has completed the handshake (the documented examples). */
function streaming(settings: Partial<VoiceRunSettings> = {}) {
  const p = new VoiceRunProtocol({ ...documented, ...settings });
  p.open();
  p.receive('{ "type": "session.created", "session": { "id": "ts_a1b2c3d4e5f6" } }');
  const ready = p.receive(
    '{ "type": "session.updated", "session": { "model": "nova-3", "provider": "DEEPGRAM", "language": "en", "sample_rate": 16000, "input_audio_format": "pcm16" } }',
  );
  expect(ready.events).toEqual([{ type: 'ready' }]);
  return p;
}

const events = (p: VoiceRunProtocol, data: string | ArrayBuffer): readonly TranscriptEvent[] => p.receive(data).events;

describe('VoiceRun client: connection and auth', () => {
  it('connects to the URL as given, with no credential, for auth "none"', () => {
    expect(new VoiceRunProtocol(documented).connection()).toEqual({ url: 'wss://transcribe.voicerun.com/ws', protocols: [] });
  });

  it('puts the key in the api_key query parameter for query auth', () => {
    const c = new VoiceRunProtocol({ ...documented, auth: 'query', apiKey: 'k y/+' }).connection();
    expect(new URL(c.url).searchParams.get('api_key')).toBe('k y/+');
    expect(c.protocols).toEqual([]);
  });

  it('offers Sec-WebSocket-Protocol "bearer, <token>" for subprotocol auth', () => {
    expect(new VoiceRunProtocol({ ...documented, auth: 'subprotocol', apiKey: 'tok_123' }).connection().protocols).toEqual([
      'bearer',
      'tok_123',
    ]);
  });

  it('sends {"type":"auth","token":…} first for first-message auth ("VoiceRun: authentication")', () => {
    const p = new VoiceRunProtocol({ ...documented, auth: 'first-message', apiKey: 'YOUR_API_KEY' });
    expect(p.connection().protocols).toEqual([]);
    expect(p.open().send.map((m) => sent(m))).toEqual([{ type: 'auth', token: 'YOUR_API_KEY' }]);
  });

  it.each([
    [{ url: 'https://example.com/ws' }, /ws:\/\/ or wss:\/\//],
    [{ url: 'not a url' }, /not a valid URL/],
    [{ auth: 'query' as const, apiKey: '  ' }, /needs a key/],
    [{ auth: 'subprotocol' as const, apiKey: 'has space' }, /Sec-WebSocket-Protocol/],
  ])('refuses settings %j with a clear message', (patch, message) => {
    expect(() => new VoiceRunProtocol({ ...documented, ...patch }).connection()).toThrow(message);
  });
});

describe('VoiceRun client: messages ("VoiceRun: client messages", "VoiceRun: server messages")', () => {
  it('answers session.created with the session.update of the documented example', () => {
    const p = new VoiceRunProtocol(documented);
    expect(p.open().send).toEqual([]);
    const step = p.receive('{ "type": "session.created", "session": { "id": "ts_a1b2c3d4e5f6" } }');
    expect(step.events).toEqual([]);
    expect(step.send.map((m) => sent(m))).toEqual([
      {
        type: 'session.update',
        session: {
          model: 'nova-3',
          provider: 'DEEPGRAM',
          language: 'en',
          prompt: 'insurance, policy, premium',
          input_audio_format: 'pcm16',
          sample_rate: 16000,
        },
      },
    ]);
  });

  it('leaves out an empty language and prompt (service defaults apply)', () => {
    const p = new VoiceRunProtocol({ ...documented, language: '', prompt: ' ' });
    p.open();
    const update = sent(p.receive('{"type":"session.created","session":{"id":"ts_1"}}').send[0]);
    expect(update.session).toEqual({ model: 'nova-3', provider: 'DEEPGRAM', input_audio_format: 'pcm16', sample_rate: 16000 });
  });

  it('is ready only after session.updated', () => {
    const p = new VoiceRunProtocol(documented);
    p.open();
    expect(events(p, '{"type":"session.created","session":{"id":"ts_1"}}')).toEqual([]);
    expect(events(p, '{"type":"session.updated","session":{"model":"nova-3","provider":"DEEPGRAM"}}')).toEqual([{ type: 'ready' }]);
  });

  it('maps speech and transcription events from the documented examples', () => {
    const p = streaming();
    expect(events(p, '{ "type": "speech.started" }')).toEqual([{ type: 'speech-started' }]);
    expect(events(p, '{ "type": "transcription.partial", "text": "hello how are" }')).toEqual([{ type: 'partial', text: 'hello how are' }]);
    expect(events(p, '{ "type": "transcription.completed", "text": "hello how are you doing today", "language": "en" }')).toEqual([
      { type: 'final', text: 'hello how are you doing today', language: 'en' },
    ]);
    expect(events(p, '{ "type": "speech.stopped" }')).toEqual([{ type: 'speech-stopped' }]);
  });

  it('encodes a 640-byte PCM16 frame as audio.append with base64 audio', () => {
    const p = streaming();
    const pcm = new Int16Array(320).map((_, i) => i * 100 - 16000);
    const message = sent(p.encodeAudio(pcm.buffer));
    expect(Object.keys(message)).toEqual(['type', 'audio']);
    expect(message.type).toBe('audio.append');
    const bytes = Uint8Array.from(atob(message.audio), (c) => c.charCodeAt(0));
    expect(Array.from(new Int16Array(bytes.buffer))).toEqual(Array.from(pcm));
  });

  it('finishes with session.close and reports session.closed as finished', () => {
    const p = streaming();
    expect(p.finish().send.map((m) => sent(m))).toEqual([{ type: 'session.close' }]);
    expect(events(p, '{ "type": "session.closed" }')).toEqual([{ type: 'finished' }]);
    expect(p.describeClose(1000, '')).toBeNull();
  });
});

describe('VoiceRun client: errors', () => {
  it('maps the documented error example to a fatal error in Dictate’s codes before the session is ready', () => {
    const p = new VoiceRunProtocol(documented);
    p.open();
    p.receive('{"type":"session.created","session":{"id":"ts_1"}}');
    expect(events(p, '{ "type": "error", "error": { "code": "invalid_model", "message": "Unknown STT model: foo-bar" } }')).toEqual([
      { type: 'error', error: { code: 'unsupported-model', message: 'Unknown STT model: foo-bar', fatal: true } },
    ]);
  });

  it.each([
    ['invalid_message', 'rejected-message', false],
    ['invalid_config', 'rejected-settings', true],
    ['invalid_model', 'unsupported-model', true],
    ['invalid_provider', 'unsupported-model', true],
    ['provider_error', 'service-failed', false],
    ['internal_error', 'service-failed', false],
  ])('maps service code %s to %s while streaming (fatal: %s)', (vendorCode, code, fatal) => {
    const p = streaming();
    expect(events(p, JSON.stringify({ type: 'error', error: { code: vendorCode, message: 'm' } }))).toEqual([
      { type: 'error', error: { code, message: 'm', fatal } },
    ]);
  });

  it('reads an unlisted service code as service-failed, naming it', () => {
    const p = streaming();
    expect(events(p, '{"type":"error","error":{"code":"rate_limited","message":"slow down"}}')).toEqual([
      { type: 'error', error: { code: 'service-failed', message: 'rate_limited: slow down', fatal: false } },
    ]);
  });

  it.each([
    ['text that is not JSON', 'hello'],
    ['JSON without a type', '{"text":"x"}'],
    ['a JSON array', '[1,2]'],
    ['a partial without text', '{"type":"transcription.partial"}'],
    ['a completed with a numeric text', '{"type":"transcription.completed","text":5}'],
    ['an error without a code', '{"type":"error","error":"boom"}'],
  ])('turns %s into a malformed-message error, never an exception', (_name, data) => {
    const p = streaming();
    const out = events(p, data);
    expect(out).toHaveLength(1);
    expect(out[0]).toMatchObject({ type: 'error', error: { code: 'malformed-message', fatal: false } });
  });

  it('reports binary data as malformed', () => {
    expect(events(streaming(), new ArrayBuffer(4))[0]).toMatchObject({ type: 'error', error: { code: 'malformed-message' } });
  });

  it('reports an unknown message type once, then ignores it', () => {
    const p = streaming();
    expect(events(p, '{"type":"session.ping"}')).toEqual([
      { type: 'error', error: { code: 'unknown-message', message: 'Unknown message type "session.ping".', fatal: false } },
    ]);
    expect(events(p, '{"type":"session.ping"}')).toEqual([]);
  });

  it('maps close code 4001 to unauthorized (never retried), and an early close to a retryable connection-lost', () => {
    expect(streaming().describeClose(4001, 'Unauthorized')).toEqual({
      code: 'unauthorized',
      message: 'Unauthorized',
      fatal: true,
      retryable: false,
    });
    expect(streaming().describeClose(1006, '')).toEqual({
      code: 'connection-lost',
      message: 'Connection closed with code 1006.',
      fatal: true,
      retryable: true,
    });
    for (const code of [1001, 1011, 1012, 1013, 1014]) expect(streaming().describeClose(code, '')?.retryable).toBe(true);
    for (const code of [1000, 1002, 1003, 1007, 1008, 1009, 4000]) expect(streaming().describeClose(code, '')?.retryable).toBe(false);
  });
});

describe('VoiceRun client: mu-law, languages and models ("VoiceRun: audio", "VoiceRun: models")', () => {
  it('asks for mu-law and sends 320 bytes per 20 ms frame, G.711-encoded', async () => {
    const { decodeMulaw } = await import('./mulaw');
    const p = new VoiceRunProtocol({ ...documented, audioFormat: 'mulaw' });
    expect(sent(p.sessionUpdate()).session.input_audio_format).toBe('mulaw');
    const pcm = new Int16Array(320).map((_, i) => Math.round(8000 * Math.sin(i / 5)));
    const message = sent(p.encodeAudio(pcm.buffer));
    const bytes = Uint8Array.from(atob(message.audio), (c) => c.charCodeAt(0));
    expect(bytes).toHaveLength(320);
    const back = decodeMulaw(bytes);
    for (let i = 0; i < pcm.length; i++) expect(Math.abs(back[i] - pcm[i])).toBeLessThanOrEqual(Math.abs(pcm[i]) / 16 + 8);
  });

  it('sends language "multi" for auto-detection', () => {
    expect(sent(new VoiceRunProtocol({ ...documented, language: 'multi' }).sessionUpdate()).session.language).toBe('multi');
  });

  it('offers every model of the table, and sends its provider and model', async () => {
    const { voiceRunService } = await import('./voicerun-service');
    const { VOICERUN_MODELS } = await import('./voicerun-fields');
    expect(VOICERUN_MODELS.map((m) => m.label)).toEqual([
      'nova-3',
      'flux-general-en',
      'qwen3-asr-flash-realtime',
      'gpt-4o-transcribe',
      'gpt-4o-mini-transcribe',
      'gpt-realtime',
      'ink-whisper',
      'scribe-v2-realtime',
      'stt-rt-v4',
    ]);
    const create = await voiceRunService.load();
    const p = create(
      { url: 'wss://transcribe.voicerun.com/ws', auth: 'subprotocol', key: 'k' },
      { ...voiceRunService.defaults(false), model: 'QWEN3:qwen3-asr-flash-realtime' },
    ) as VoiceRunProtocol;
    expect(sent(p.sessionUpdate()).session).toMatchObject({ provider: 'QWEN3', model: 'qwen3-asr-flash-realtime' });
  });
});
