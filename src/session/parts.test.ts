/** The session's parts on their own: pacing, the watchdog, replay and stitching, finishing. */
import { describe, expect, it } from 'vitest';
import type { FinalResult } from '../core/events';
import { FRAME_BYTES } from '../core/frames';
import type { StreamingProtocol } from '../protocol/adapter';
import { ManualClock } from '../test/clock';
import { Finishing } from './finishing';
import { AudioJournal } from './journal';
import type { Link } from './link';
import { BURST_FRAMES, Pacer, sendFrom } from './pacer';
import { Replay } from './replay';
import { Watchdog } from './watchdog';

const SPEECH = 0.03;
const frame = (peak: number) => ({ pcm: new ArrayBuffer(FRAME_BYTES), peak });

/** A link whose socket takes what it is sent (and counts it), over a protocol with these traits. */
function link(traits: { finishQuietMs?: number; buffered?: () => number } = {}): Link & { sent: number } {
  const protocol = {
    encodeAudio: (pcm: ArrayBuffer) => pcm,
    replyWithinMs: 3000,
    ...(traits.finishQuietMs !== undefined ? { finishQuietMs: traits.finishQuietMs } : {}),
  } as Pick<StreamingProtocol, 'encodeAudio' | 'replyWithinMs' | 'finishQuietMs'> as StreamingProtocol;
  const l = {
    sent: 0,
    transport: {
      send: () => (l.sent++, true),
      close: () => undefined,
      get bufferedAmount() {
        return traits.buffered?.() ?? 0;
      },
    },
    protocol,
    base: 0,
    cursor: 0,
    finishSent: false,
    finalAfterFinish: false,
    acknowledgedAtStart: 0,
    stitching: false,
    speechSentAt: null,
    watchdog: new Watchdog(0),
  };
  return l;
}

function journalOf(peaks: number[]): AudioJournal {
  const journal = new AudioJournal(1000);
  for (const p of peaks) journal.append(frame(p));
  return journal;
}

describe('pacing and backpressure', () => {
  it('sends a burst of 500 ms at once, then at the replay speed', () => {
    const journal = journalOf(Array<number>(100).fill(0));
    const l = link();
    const pacer = new Pacer(2);
    expect(sendFrom(l, journal, pacer, 1024, SPEECH, 0)).toBe('paced');
    expect(l.sent).toBe(BURST_FRAMES);
    expect(sendFrom(l, journal, pacer, 1024, SPEECH, 100)).toBe('paced'); // 5 frame times at 2×: 10 more
    expect(l.sent).toBe(BURST_FRAMES + 10);
  });

  it('holds frames while the socket is above the high-water mark, and notes when speech went out', () => {
    let buffered = 5000;
    const l = link({ buffered: () => buffered });
    const journal = journalOf([0, 0.5, 0.5]);
    const pacer = new Pacer(2);
    expect(sendFrom(l, journal, pacer, 1024, SPEECH, 0)).toBe('held');
    expect(l.sent).toBe(0);
    buffered = 0;
    expect(sendFrom(l, journal, pacer, 1024, SPEECH, 40)).toBe('drained');
    expect([l.sent, l.speechSentAt]).toEqual([3, 40]);
  });
});

describe('the watchdog', () => {
  const limits = { deadAfterMs: 10_000, replyWithinMs: 3000 };
  it('calls a connection dead when its buffer has not gone down for deadAfterMs', () => {
    const dog = new Watchdog(0);
    expect(dog.look(100, null, limits, 0)).toBeNull();
    expect(dog.look(200, null, limits, 5000)).toBeNull();
    expect(dog.look(150, null, limits, 9000)).toBeNull(); // it went down: not stuck
    expect(dog.look(150, null, limits, 18_999)).toBeNull();
    expect(dog.look(150, null, limits, 19_000)).toBe('stuck');
  });

  it('calls it dead when speech went out and the service said nothing for replyWithinMs', () => {
    const dog = new Watchdog(0);
    expect(dog.look(0, 1000, limits, 3999)).toBeNull();
    expect(dog.look(0, 1000, limits, 4000)).toBe('unanswered');
  });
});

describe('replay and stitching', () => {
  const final = (text: string, startMs?: number, durationMs?: number): FinalResult => ({
    type: 'final',
    text,
    ...(startMs !== undefined ? { startMs, durationMs } : {}),
  });

  it('replays from one utterance of context, offsets the new connection’s times, and drops repeated words', () => {
    const journal = journalOf(Array<number>(200).fill(0.5));
    const replay = new Replay(journal, SPEECH);
    const first = link();
    replay.begin(first);
    first.cursor = 150;
    expect(replay.final(first, final('one two three', 0, 1000))?.text).toBe('one two three'); // frames 0–50
    expect(replay.final(first, final('four five', 1000, 1000))?.text).toBe('four five'); // frames 50–100
    const second = link();
    replay.begin(second); // from the end of the final before the last: frame 50
    expect([second.base, second.stitching]).toEqual([50, true]);
    second.cursor = 200;
    // Its first final repeats the context ("four five"), then brings new words.
    expect(replay.final(second, final('four five', 0, 1000))).toBeNull();
    expect(replay.final(second, final('five six seven', 1000, 1500))?.text).toBe('six seven');
    // After the stitch, the new connection's times are on the run's time base (its 0 is frame 50: 1 s).
    expect(replay.final(second, final('eight', 2500, 500))).toMatchObject({ text: 'eight', startMs: 3500 });
  });

  it('drops an untimed final that came before any speech after the context was sent: the context said again, in other words', () => {
    // Speech in frames 0–49 and 60–99, quiet 100–159, speech again from 160.
    const peaks = Array.from({ length: 220 }, (_, i) => (i < 50 || (i >= 60 && i < 100) || i >= 160 ? 0.5 : 0.001));
    const journal = journalOf(peaks);
    const replay = new Replay(journal, SPEECH);
    const first = link();
    replay.begin(first);
    first.cursor = 55;
    expect(replay.final(first, final('he was not'))?.text).toBe('he was not');
    first.cursor = 110;
    expect(replay.final(first, final('until this blows young man'))?.text).toBe('until this blows young man');
    const second = link();
    replay.begin(second); // the context: from frame 55, "until this blows young man" again
    expect(second.stitching).toBe(true);
    second.cursor = 140; // quiet after the context: no new speech sent yet
    expect(replay.final(second, final('almost those young man'))).toBeNull();
    second.cursor = 200; // the new speech (from frame 160) went out: its final is new words
    expect(replay.final(second, final('had he married'))?.text).toBe('had he married');
  });

  it('keeps an untimed final that came after new speech went out, when its words do not repeat the shown ones', () => {
    const peaks = Array.from({ length: 220 }, (_, i) => (i < 50 || i >= 60 ? 0.5 : 0.001));
    const journal = journalOf(peaks);
    const replay = new Replay(journal, SPEECH);
    const first = link();
    replay.begin(first);
    first.cursor = 55;
    replay.final(first, final('one two'));
    first.cursor = 100;
    replay.final(first, final('three four'));
    const second = link();
    replay.begin(second);
    second.cursor = 180; // speech after the acknowledged point (frame 100) went out: this final may hold it
    expect(replay.final(second, final('five six'))?.text).toBe('five six');
  });

  it('counts audio that left the journal before any final covered it', () => {
    const journal = new AudioJournal(10);
    const replay = new Replay(journal, SPEECH);
    for (let i = 0; i < 60; i++) journal.append(frame(0.5));
    replay.countLost();
    expect(replay.takeLostSeconds()).toBeCloseTo(1.0);
    expect(replay.takeLostSeconds()).toBe(0);
  });
});

describe('finishing', () => {
  const limits = { finishTimeoutMs: 5000, lastResultTimeoutMs: 10_000, speechPeak: SPEECH };

  function setUp(peaks: number[], finishQuietMs?: number) {
    const clock = new ManualClock();
    const journal = journalOf(peaks);
    const l = link(finishQuietMs !== undefined ? { finishQuietMs } : {});
    l.cursor = journal.head;
    const said: string[] = [];
    const finishing = new Finishing(l, journal, clock, clock.now, limits, {
      complete: () => said.push('complete'),
      timedOut: (seconds, ms) => said.push(`timed out after ${ms} ms, ${seconds ?? 'no'} s without text`),
      waiting: (seconds) => said.push(`waiting ${seconds}`),
    });
    return { clock, journal, l, said, finishing };
  }

  it('on a timeout names how much speech has no text', () => {
    const { clock, said, finishing } = setUp([...Array<number>(50).fill(0.5), ...Array<number>(50).fill(0)]);
    finishing.start();
    clock.advance(4999);
    expect(said).toEqual([]);
    clock.advance(1);
    expect(said).toEqual(['timed out after 5000 ms, 2 s without text']);
  });

  it('on a timeout with every word answered says there is nothing without text', () => {
    const { clock, journal, said, finishing } = setUp(Array<number>(50).fill(0.5));
    journal.acknowledge(50);
    finishing.start();
    clock.advance(5000);
    expect(said).toEqual(['timed out after 5000 ms, no s without text']);
  });

  it('without an end message: complete once every utterance has its final and the service is quiet, counting down meanwhile', () => {
    const { clock, journal, said, finishing } = setUp([...Array<number>(50).fill(0.5), ...Array<number>(50).fill(0)], 1500);
    finishing.start();
    expect(said).toEqual(['waiting 10']);
    clock.advance(3000); // speech unanswered: no completion, only the countdown
    expect(said).toEqual(['waiting 10', 'waiting 9', 'waiting 8', 'waiting 7']);
    journal.acknowledge(50);
    finishing.final();
    clock.advance(1499);
    expect(said.at(-1)).not.toBe('complete');
    clock.advance(1);
    expect(said.at(-1)).toBe('complete');
    finishing.dispose();
    expect(clock.pending).toBe(0);
  });
});
