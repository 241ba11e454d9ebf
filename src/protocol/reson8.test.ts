import { describe, expect, it } from 'vitest';
import { RESON8_TRANSCRIPT_EXAMPLE } from '../test/documented-examples';
import { Reson8Protocol, type Reson8Options } from './reson8';
import { reson8Fields } from './reson8-fields';
import { reson8Service } from './reson8-service';

const all: Reson8Options = {
  includeInterim: true,
  includeTimestamps: true,
  includeWords: true,
  includeConfidence: true,
  customModelId: '',
};
const connection = { url: 'wss://api.reson8.dev/v1/speech-to-text/realtime', auth: 'subprotocol' as const, key: 'your_access_token' };

function streaming(options: Reson8Options = all) {
  const p = new Reson8Protocol(connection, options);
  expect(p.open()).toEqual({ events: [{ type: 'ready' }], send: [] });
  return p;
}

describe('Reson8 client: connection ("Reson8: query parameters", "Reson8: authentication")', () => {
  it('asks for raw PCM16 at 16 kHz mono and the chosen include_ flags, with the token as "bearer, <token>"', () => {
    const c = new Reson8Protocol(connection, { ...all, includeConfidence: false, customModelId: 'med-v2' }).connection();
    const url = new URL(c.url);
    expect(url.origin + url.pathname).toBe('wss://api.reson8.dev/v1/speech-to-text/realtime');
    expect(Object.fromEntries(url.searchParams)).toEqual({
      encoding: 'pcm_s16le',
      sample_rate: '16000',
      channels: '1',
      include_interim: 'true',
      include_timestamps: 'true',
      include_words: 'true',
      include_confidence: 'false',
      custom_model_id: 'med-v2',
    });
  });

  it('sends the token only in Sec-WebSocket-Protocol', () => {
    const c = new Reson8Protocol({ ...connection, key: 'tok_abc.123' }, all).connection();
    expect(c.protocols).toEqual(['bearer', 'tok_abc.123']);
    expect(c.url).not.toContain('tok_abc');
  });

  it.each([
    [{ key: '' }, /needs a key/],
    [{ key: 'a b' }, /Sec-WebSocket-Protocol/],
    [{ auth: 'query' as const }, /does not take a key in the URL/],
    [{ url: 'https://api.reson8.dev/v1/speech-to-text/realtime' }, /ws:\/\/ or wss:\/\//],
  ])('refuses %j with a clear message', (patch, message) => {
    expect(() => new Reson8Protocol({ ...connection, ...patch }, all).connection()).toThrow(message);
  });
});

describe('Reson8 client: messages ("Reson8: server messages")', () => {
  it('maps the minimal transcript example to a final (no is_final: every transcript is final)', () => {
    const p = streaming({ ...all, includeInterim: false });
    expect(p.receive('{ "type": "transcript", "text": "the patient presented with chest pain" }').events).toEqual([
      { type: 'final', text: 'the patient presented with chest pain' },
    ]);
  });

  it('maps the full transcript example: timing and every word with its confidence', () => {
    const p = streaming();
    const example = RESON8_TRANSCRIPT_EXAMPLE;
    const [event] = p.receive(JSON.stringify(example)).events;
    expect(event).toEqual({
      type: 'final',
      text: 'the patient presented with chest pain',
      startMs: 1200,
      durationMs: 2400,
      words: example.words.map((w) => ({ text: w.text, startMs: w.start_ms, durationMs: w.duration_ms, confidence: w.confidence })),
    });
  });

  it('maps is_final: false to a partial', () => {
    expect(streaming().receive('{"type":"transcript","text":"the patient","is_final":false}').events).toEqual([
      { type: 'partial', text: 'the patient' },
    ]);
  });

  it('keeps words without timestamps or confidence when those flags are off', () => {
    const [event] = streaming().receive('{"type":"transcript","text":"hi there","words":[{"text":"hi"},{"text":"there"}]}').events;
    expect(event).toEqual({ type: 'final', text: 'hi there', words: [{ text: 'hi' }, { text: 'there' }] });
  });

  it('finishes with flush_request {id} and ends on the flush_confirmation with that id only', () => {
    const p = streaming();
    const finish = p.finish();
    expect(finish.send).toHaveLength(1);
    const request = JSON.parse(finish.send[0] as string) as { type: string; id: string };
    expect(request).toEqual({ type: 'flush_request', id: expect.stringMatching(/^dictate-/) });
    expect(p.finish().send).toEqual([]); // asked once
    expect(p.receive('{ "type": "flush_confirmation", "id": "abc123" }').events).toEqual([]);
    expect(p.receive('{"type":"flush_confirmation","id":null}').events).toEqual([]);
    expect(p.receive(JSON.stringify({ type: 'flush_confirmation', id: request.id })).events).toEqual([{ type: 'finished' }]);
    expect(p.describeClose(1000, '')).toBeNull();
  });

  it('sends audio as the binary PCM16 frame itself', () => {
    const frame = new ArrayBuffer(640);
    expect(streaming().encodeAudio(frame)).toBe(frame);
  });

  it.each([
    ['binary', new ArrayBuffer(4), /binary/],
    ['not JSON', 'nope', /not JSON/],
    ['no type', '{"text":"x"}', /without a "type"/],
    ['no text', '{"type":"transcript"}', /without a "text"/],
    ['is_final not boolean', '{"type":"transcript","text":"x","is_final":"yes"}', /is_final/],
    ['words not an array', '{"type":"transcript","text":"x","words":"x"}', /not an array/],
    ['a word with a string confidence', '{"type":"transcript","text":"x","words":[{"text":"x","confidence":"high"}]}', /non-numeric/],
  ])('reports %s as a malformed message and goes on', (_name, data, message) => {
    const p = streaming();
    const [event] = p.receive(data).events;
    expect(event).toEqual({ type: 'error', error: { code: 'malformed-message', message: expect.stringMatching(message), fatal: false } });
    expect(p.receive('{"type":"transcript","text":"still here"}').events).toEqual([{ type: 'final', text: 'still here' }]);
  });

  it('reports an unknown message type once', () => {
    const p = streaming();
    expect(p.receive('{"type":"metrics"}').events[0]).toMatchObject({ type: 'error', error: { code: 'unknown-message' } });
    expect(p.receive('{"type":"metrics"}').events).toEqual([]);
  });

  it('treats a close before the flush was confirmed as a lost connection, retryable when the server failed', () => {
    const p = streaming();
    expect(p.describeClose(1011, 'Recognizer failed')).toEqual({
      code: 'connection-lost',
      message: 'Connection closed with code 1011: Recognizer failed.',
      fatal: true,
      retryable: true,
    });
    // A malformed message from Dictate would be refused again: not retried.
    expect(p.describeClose(1007, 'Malformed message')).toMatchObject({ code: 'connection-lost', retryable: false });
  });
});

describe('Reson8 client: what a real service may send besides the documented example', () => {
  it('reads a negative confidence as a natural log-probability, and never gives one outside 0–1', () => {
    const [event] = streaming().receive(
      JSON.stringify({
        type: 'transcript',
        text: 'a b c',
        is_final: true,
        words: [
          { text: 'a', confidence: Math.log(0.9) },
          { text: 'b', confidence: 0.4 },
          { text: 'c', confidence: 1.7 },
        ],
      }),
    ).events;
    const confidences = (event as unknown as { words: { confidence: number }[] }).words.map((w) => w.confidence);
    expect(confidences[0]).toBeCloseTo(0.9, 6);
    expect(confidences.slice(1)).toEqual([0.4, 1]);
  });

  it('ignores extra fields and missing optional ones, and an unknown message type does not end the session', () => {
    const p = streaming();
    expect(p.receive('{"type":"transcript","text":"hi","is_final":true,"channel":0,"request_id":"r1"}').events).toEqual([
      { type: 'final', text: 'hi' },
    ]);
    const [unknown] = p.receive('{"type":"session_info","model":"x"}').events;
    expect(unknown).toMatchObject({ type: 'error', error: { code: 'unknown-message', fatal: false } });
    expect(p.receive('{"type":"transcript","text":"still here"}').events).toEqual([{ type: 'final', text: 'still here' }]);
  });
});

describe('Reson8 service definition', () => {
  it('offers interim results and the include_ options, all on by default, and only subprotocol auth', async () => {
    expect(reson8Fields(false).map((f) => f.label)).toEqual([
      'Interim results',
      'Timestamps',
      'Word detail',
      'Word confidence',
      'Custom model ID',
    ]);
    expect(reson8Service.defaults(false)).toMatchObject({
      includeInterim: true,
      includeTimestamps: true,
      includeWords: true,
      includeConfidence: true,
    });
    expect(reson8Service.authMethods).toEqual(['subprotocol']);
    const c = (await reson8Service.load())(connection, { ...reson8Service.defaults(false), includeInterim: false }).connection();
    expect(new URL(c.url).searchParams.get('include_interim')).toBe('false');
  });
});
