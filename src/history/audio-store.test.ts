import 'fake-indexeddb/auto';
import { describe, expect, it, vi } from 'vitest';
import { FRAME_BYTES } from '../core/frames';
import { audioNotKept, localAudioKeeper } from './audio-keeper';
import { sessionAudio } from './audio-read';
import { CHUNK_FRAMES, ChunkedAudioWriter, Pcm16PacketEncoder, type ChunkSink } from './audio-store';
import { openHistory } from './db';

let n = 0;
const fresh = () => openHistory(`audio-test-${++n}`);

/** A 20 ms frame whose samples all hold `value` (so frames can be told apart after a round trip). */
const frame = (value: number) => new Int16Array(FRAME_BYTES / 2).fill(value).buffer;

/** Writes `count` frames numbered from `first`. */
function feed(writer: { frame(pcm: ArrayBuffer): void }, count: number, first = 1): void {
  for (let i = 0; i < count; i++) writer.frame(frame(first + i));
}

/** A sink that says when each put has landed. */
function watched(sink: ChunkSink): ChunkSink & { landed: Promise<void> } {
  let done!: () => void;
  const landed = new Promise<void>((r) => (done = r));
  return { nextSeq: (id) => sink.nextSeq(id), put: (c) => sink.put(c).then(done), chunks: (id) => sink.chunks(id), landed };
}

describe('kept audio in chunks (IndexedDB)', () => {
  it('stores the frames in chunks of 1 s as they arrive, with the totals, and reads them back exactly (PCM16)', async () => {
    const history = await fresh();
    const writer = new ChunkedAudioWriter({ sessionId: 's', startMs: 0 }, history.audioSink, new Pcm16PacketEncoder(), () => {
      throw new Error('no failure expected');
    });
    feed(writer, 120);
    await writer.close();
    const chunks = await history.audio('s');
    expect(chunks.map((c) => [c.seq, c.startMs, c.durationMs])).toEqual([
      [0, 0, 1000],
      [1, 1000, 1000],
      [2, 2000, 400],
    ]);
    const [totals] = await history.audioTotals();
    expect(totals).toMatchObject({ sessionId: 's', bytes: 120 * FRAME_BYTES, durationMs: 2400, endMs: 2400, codec: 'pcm16' });
    const track = await sessionAudio(chunks);
    expect(track?.durationMs).toBe(2400);
    expect(track?.pcm.length).toBe(120 * 320);
    // Frame k holds k in every sample: the track is the frames in order.
    expect([0, 1, 49, 50, 119].map((f) => track?.pcm[f * 320 + 7])).toEqual([1, 2, 50, 51, 120]);
  });

  it('a crash between chunks loses at most the chunk being filled', async () => {
    const name = `audio-test-${++n}`;
    const history = await openHistory(name);
    const sink = watched(history.audioSink);
    const writer = new ChunkedAudioWriter({ sessionId: 's', startMs: 0 }, sink, new Pcm16PacketEncoder(), () => undefined);
    feed(writer, CHUNK_FRAMES + 30); // the tab dies here: no close()
    await sink.landed;
    const reopened = await openHistory(name);
    const chunks = await reopened.audio('s');
    // The first second is stored; the 30 frames (0.6 s) of the chunk being filled are what the crash lost.
    expect(chunks.map((c) => c.durationMs)).toEqual([CHUNK_FRAMES * 20]);
  });

  it('a second run continues the session: placed at its start, with silence between', async () => {
    const history = await fresh();
    const first = new ChunkedAudioWriter({ sessionId: 's', startMs: 0 }, history.audioSink, new Pcm16PacketEncoder(), () => undefined);
    feed(first, 10, 100);
    await first.close();
    const second = new ChunkedAudioWriter({ sessionId: 's', startMs: 500 }, history.audioSink, new Pcm16PacketEncoder(), () => undefined);
    feed(second, 10, 200);
    await second.close();
    const chunks = await history.audio('s');
    expect(chunks.map((c) => c.seq)).toEqual([0, 1]);
    const track = await sessionAudio(chunks);
    expect(track?.durationMs).toBe(700);
    expect(track?.pcm[0]).toBe(100);
    expect(track?.pcm[300 * 16]).toBe(0); // 300 ms: between the runs
    expect(track?.pcm[500 * 16]).toBe(200);
    expect((await history.audioTotals())[0].durationMs).toBe(400);
  });

  it('storage full: told once, with what to do; the words are not at stake, and frames after it are dropped quietly', async () => {
    const puts: number[] = [];
    const full: ChunkSink = {
      nextSeq: () => Promise.resolve(0),
      chunks: () => Promise.resolve([]),
      put: (chunk) => {
        puts.push(chunk.seq);
        return Promise.reject(new DOMException('The quota has been exceeded.', 'QuotaExceededError'));
      },
    };
    const onError = vi.fn();
    const writer = localAudioKeeper(full, () => Promise.resolve(new Pcm16PacketEncoder())).open({ sessionId: 's', startMs: 0 }, onError);
    feed(writer, CHUNK_FRAMES * 3);
    await writer.close();
    expect(puts).toEqual([0]);
    expect(onError).toHaveBeenCalledTimes(1);
    const error = onError.mock.calls[0][0] as ReturnType<typeof audioNotKept>;
    expect(error.code).toBe('storage-failed');
    expect(error.message).toMatch(/storage is full, so the audio of this recording is no longer kept\. Your words are still saved\./);
  });

  it('an encoder that fails is told as audio not kept, not as full storage', () => {
    expect(audioNotKept(new Error('Encoding error.')).message).toBe(
      'The audio of this recording could not be kept (the browser refused to store or encode it). Your words are still saved.',
    );
  });

  it('deleting the audio keeps the words; deleting the session deletes its audio', async () => {
    const history = await fresh();
    const meta = {
      id: 's',
      title: '',
      startedAt: 1,
      updatedAt: 1,
      provider: 'Local',
      durationMs: 1000,
      segmentCount: 1,
      preview: 'words',
      recording: false,
      interrupted: false,
    };
    await history.saveSegment(meta, { id: 1, text: 'words' });
    const writer = new ChunkedAudioWriter({ sessionId: 's', startMs: 0 }, history.audioSink, new Pcm16PacketEncoder(), () => undefined);
    feed(writer, 60);
    await writer.close();
    await history.removeAudio('s');
    expect(await history.audio('s')).toEqual([]);
    expect(await history.audioTotals()).toEqual([]);
    expect((await history.load('s'))?.segments.map((s) => s.text)).toEqual(['words']);
    const again = new ChunkedAudioWriter({ sessionId: 's', startMs: 0 }, history.audioSink, new Pcm16PacketEncoder(), () => undefined);
    feed(again, 10);
    await again.close();
    await history.remove('s');
    expect(await history.audio('s')).toEqual([]);
    expect(await history.audioTotals()).toEqual([]);
  });
});

describe('where Opus is trusted', () => {
  it('not in WebKit (its encoder broke the page in WebKitGTK); in Chromium and Firefox', async () => {
    const { opusBreaksHere } = await import('./audio-keeper');
    expect(opusBreaksHere('Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.0 Safari/605.1.15')).toBe(
      true,
    );
    expect(opusBreaksHere('Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/150.0 Safari/537.36')).toBe(false);
    expect(opusBreaksHere('Mozilla/5.0 (X11; Linux x86_64; rv:140.0) Gecko/20100101 Firefox/140.0')).toBe(false);
  });
});
