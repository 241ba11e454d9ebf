import { describe, expect, it } from 'vitest';
import { SPEECHALL_QUIET_MS, SpeechallProtocol, type SpeechallOptions } from './speechall';
import { speechallFields } from './speechall-fields';
import { speechallService } from './speechall-service';

const base: SpeechallOptions = {
  model: 'deepgram.nova-2',
  language: 'en',
  outputFormat: 'json',
  punctuation: true,
  diarization: false,
  temperature: '',
  initialPrompt: '',
  speakersExpected: '',
  customVocabulary: [],
  chunkSamples: 4096,
};
const connection = { url: 'wss://api.speechall.com/v1/transcribe', auth: 'query' as const, key: 'YOUR_API_KEY' };

function streaming(options: Partial<SpeechallOptions> = {}) {
  const p = new SpeechallProtocol(connection, { ...base, ...options });
  expect(p.open().events).toEqual([{ type: 'ready' }]);
  return p;
}

describe('Speechall client: connection ("Speechall: query parameters", "Speechall: authentication")', () => {
  it('builds the documented browser example URL: api_key, model, language, output_format, punctuation', () => {
    const c = new SpeechallProtocol(connection, base).connection();
    const url = new URL(c.url);
    expect(url.origin + url.pathname).toBe('wss://api.speechall.com/v1/transcribe');
    expect(Object.fromEntries(url.searchParams)).toEqual({
      api_key: 'YOUR_API_KEY',
      model: 'deepgram.nova-2',
      language: 'en',
      output_format: 'json',
      punctuation: 'true',
      diarization: 'false',
    });
    expect(c.protocols).toEqual([]);
  });

  it('sends every optional parameter of the table, the vocabulary as repeated parameters', () => {
    const c = new SpeechallProtocol(connection, {
      ...base,
      model: 'assemblyai.best',
      language: 'auto',
      outputFormat: 'verbose_json',
      diarization: true,
      temperature: '0.2',
      initialPrompt: 'Sense and Sensibility',
      speakersExpected: '2',
      customVocabulary: ['Dashwood', 'Norland Park'],
    }).connection();
    const q = new URL(c.url).searchParams;
    expect(q.get('temperature')).toBe('0.2');
    expect(q.get('initial_prompt')).toBe('Sense and Sensibility');
    expect(q.get('speakers_expected')).toBe('2');
    expect(q.get('diarization')).toBe('true');
    expect(q.getAll('custom_vocabulary')).toEqual(['Dashwood', 'Norland Park']);
  });

  it.each([
    [{ model: '' }, /needs a model/],
    [{ model: 'nova-2' }, /provider\.model/],
    [{ temperature: '2' }, /Temperature/],
    [{ speakersExpected: '11' }, /Speakers expected/],
  ])('refuses %j with a clear message', (patch, message) => {
    expect(() => new SpeechallProtocol(connection, { ...base, ...patch }).connection()).toThrow(message);
  });

  it('needs a key for query auth', () => {
    expect(() => new SpeechallProtocol({ ...connection, key: '' }, base).connection()).toThrow(/needs a key/);
  });
});

describe('Speechall client: results ("Speechall: server messages")', () => {
  it('maps the JSON example to a final with language and word timing in ms', () => {
    const example = `{
"id": "123e4567-e89b-12d3-a456-426614174000",
"text": "Hello, this is a test transcription.",
"language": "en",
"words": [
{
"text": "Hello",
"start": 0.0,
"end": 0.5,
"confidence": 0.98
}
]
}`;
    expect(streaming().receive(example).events).toEqual([
      {
        type: 'final',
        text: 'Hello, this is a test transcription.',
        language: 'en',
        startMs: 0,
        durationMs: 500,
        words: [{ text: 'Hello', startMs: 0, durationMs: 500, confidence: 0.98 }],
      },
    ]);
  });

  it('maps the text example (a plain-text chunk) to a final', () => {
    expect(streaming({ outputFormat: 'text' }).receive('Hello, this is a test transcription.').events).toEqual([
      { type: 'final', text: 'Hello, this is a test transcription.' },
    ]);
  });

  it('takes plain text even when JSON was asked for, and JSON even when text was', () => {
    expect(streaming().receive('plain words').events).toEqual([{ type: 'final', text: 'plain words' }]);
    expect(streaming({ outputFormat: 'text' }).receive('{"text":"json words"}').events).toEqual([{ type: 'final', text: 'json words' }]);
  });

  it('uses the utterance start and end of verbose_json', () => {
    const [event] = streaming({ outputFormat: 'verbose_json' }).receive(
      '{"id":"x","text":"hi","language":"en","start":1.25,"end":2,"duration":0.75,"words":[]}',
    ).events;
    expect(event).toEqual({ type: 'final', text: 'hi', language: 'en', startMs: 1250, durationMs: 750 });
  });

  it('ignores empty results', () => {
    expect(streaming({ outputFormat: 'text' }).receive('  ').events).toEqual([]);
    expect(streaming().receive('{"id":"x","text":""}').events).toEqual([]);
  });

  it.each([
    ['an error object', '{"error":{"message":"Rate limit exceeded"}}', 'service-failed', /Rate limit/],
    ['JSON without text', '{"id":"x"}', 'malformed-message', /without "text"/],
    ['broken JSON when JSON was asked for', '{"text": "x"', 'malformed-message', /not valid JSON/],
    ['binary', new ArrayBuffer(2), 'malformed-message', /binary/],
  ])('reports %s and goes on', (_name, data, code, message) => {
    const p = streaming();
    expect(p.receive(data).events).toEqual([{ type: 'error', error: { code, message: expect.stringMatching(message), fatal: false } }]);
    expect(p.receive('{"text":"next"}').events).toEqual([{ type: 'final', text: 'next' }]);
  });
});

describe('Speechall client: what the real service may send besides the documented examples', () => {
  it('reads words named `word` (the published schema) as well as `text`, with their speaker', () => {
    const [event] = streaming().receive(
      JSON.stringify({
        text: 'hello there',
        words: [
          { word: 'hello', start: 0.5, end: 0.9, speaker: 1 },
          { text: 'there', start: 1, end: 1.4, confidence: 0.7 },
        ],
      }),
    ).events;
    expect(event).toEqual({
      type: 'final',
      text: 'hello there',
      startMs: 500,
      durationMs: 900,
      words: [
        { text: 'hello', startMs: 500, durationMs: 400, speaker: '1' },
        { text: 'there', startMs: 1000, durationMs: 400, confidence: 0.7 },
      ],
    });
  });

  it('keeps segments: one final per segment, with its times, speaker and words', () => {
    const events = streaming({ outputFormat: 'verbose_json' }).receive(
      JSON.stringify({
        id: 'x',
        text: 'good morning. how are you',
        language: 'en',
        segments: [
          { start: 0, end: 1.2, text: 'good morning.', speaker: 'A' },
          { start: 1.5, end: 2.5, text: 'how are you', speaker: 'B' },
        ],
        words: [
          { word: 'good', start: 0.1, end: 0.4 },
          { word: 'how', start: 1.6, end: 1.8 },
        ],
        extra_field: true,
      }),
    ).events;
    expect(events).toEqual([
      {
        type: 'final',
        text: 'good morning.',
        language: 'en',
        speaker: 'A',
        startMs: 0,
        durationMs: 1200,
        words: [{ text: 'good', startMs: 100, durationMs: 300 }],
      },
      {
        type: 'final',
        text: 'how are you',
        language: 'en',
        speaker: 'B',
        startMs: 1500,
        durationMs: 1000,
        words: [{ text: 'how', startMs: 1600, durationMs: 200 }],
      },
    ]);
  });

  it('skips words it cannot read and missing optional fields, and goes on', () => {
    const [event] = streaming().receive(JSON.stringify({ text: 'ok', words: [null, { start: 1 }, { word: 'ok' }] })).events;
    expect(event).toEqual({ type: 'final', text: 'ok', words: [{ text: 'ok' }] });
  });
});

describe('Speechall client: audio and the end of the stream', () => {
  it('sends audio as binary PCM16 in chunks of 4096 samples, as its documentation recommends', () => {
    const p = streaming();
    // Frames numbered by their samples' value, to see that the chunks hold them in order.
    const frame = (n: number) => new Int16Array(320).fill(n).buffer;
    const sent: ArrayBuffer[] = [];
    for (let n = 1; n <= 26; n++) {
      const message = p.encodeAudio(frame(n));
      if (message !== null) sent.push(message as ArrayBuffer);
    }
    // 26 frames = 8320 samples: two full chunks (at frames 13 and 26: 12.8 frames each), 128 samples left.
    expect(sent.map((c) => c.byteLength)).toEqual([8192, 8192]);
    const samples = new Int16Array(sent[0]);
    expect([samples[0], samples[319], samples[320], samples[4095]]).toEqual([1, 1, 2, 13]);
    expect(new Int16Array(sent[1])[0]).toBe(13); // the rest of frame 13 opens the second chunk
    // Finishing sends what is left, then 1 s of silence, in chunks (the last shorter).
    const { send } = p.finish();
    const total = send.reduce((n, c) => n + (c as ArrayBuffer).byteLength, 0);
    expect(total).toBe(128 * 2 + 16000 * 2);
    expect(send.slice(0, -1).every((c) => (c as ArrayBuffer).byteLength === 8192)).toBe(true);
    expect(new Int16Array(send[0] as ArrayBuffer).slice(0, 128).every((x) => x === 26)).toBe(true);
    expect(new Int16Array(send[0] as ArrayBuffer).slice(128).every((x) => x === 0)).toBe(true);
  });

  it('sends each 20 ms frame as it comes when the chunk size is one frame', () => {
    const p = streaming({ chunkSamples: 320 });
    const frame = new Int16Array(320).fill(7).buffer;
    expect(new Int16Array(p.encodeAudio(frame) as ArrayBuffer)).toEqual(new Int16Array(320).fill(7));
  });

  it('never drops audio with a chunk size under one frame: it sends one frame per message instead', () => {
    for (const chunkSamples of [100, 0, Number.NaN]) {
      const p = streaming({ chunkSamples });
      const sent = [1, 2, 3].map((n) => p.encodeAudio(new Int16Array(320).fill(n).buffer) as ArrayBuffer);
      expect(sent.map((b) => Array.from(new Int16Array(b)))).toEqual([1, 2, 3].map((n) => new Array<number>(320).fill(n)));
    }
  });

  it('offers the chunk size as a setting, 4096 samples by default', () => {
    expect(speechallService.defaults(false).chunkSamples).toBe('4096');
    const field = speechallFields(false).find((f) => f.key === 'chunkSamples');
    expect(field?.kind === 'select' && field.choices.map((c) => c.value)).toEqual(['4096', '2048', '1024', '320']);
  });

  it('finishes with 1 s of silence, then waits for quiet (Speechall has no end-of-stream message)', () => {
    const p = streaming({ chunkSamples: 320 });
    const { send, events } = p.finish();
    expect(events).toEqual([]);
    expect(send).toHaveLength(50);
    expect(send.every((f) => f instanceof ArrayBuffer && f.byteLength === 640 && new Int16Array(f).every((x) => x === 0))).toBe(true);
    expect(p.finishQuietMs).toBe(SPEECHALL_QUIET_MS);
    expect(p.finish().send).toEqual([]);
    expect(p.describeClose(1000, '')).toBeNull();
  });

  it('reports a close while streaming, with the server’s reason', () => {
    expect(streaming().describeClose(1003, 'Send audio as binary PCM16 frames')).toEqual({
      code: 'connection-lost',
      message: 'Connection closed with code 1003: Send audio as binary PCM16 frames.',
      fatal: true,
      retryable: false,
    });
  });
});

describe('Speechall service definition', () => {
  it('splits the custom vocabulary at commas and offers the local model for the local engine', async () => {
    expect(speechallService.defaults(true).model).toBe('local.pocketsphinx-en-us');
    const p = (await speechallService.load())(connection, {
      ...speechallService.defaults(false),
      customVocabulary: ' Dashwood, Norland ,, ',
    });
    expect(new URL(p.connection().url).searchParams.getAll('custom_vocabulary')).toEqual(['Dashwood', 'Norland']);
    expect(speechallService.authMethods).toEqual(['query']);
  });
});
