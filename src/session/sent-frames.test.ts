import { describe, expect, it } from 'vitest';
import { FRAME_BYTES } from '../core/frames';
import { AudioJournal } from './journal';
import { SentFrames } from './sent-frames';

describe('what each send tells the figures', () => {
  it('measures first sends after the first ready, and counts sends again as replayed', () => {
    const journal = new AudioJournal(100);
    const delays: number[] = [];
    const replayed: number[] = [];
    let now = 1000;
    const sent = new SentFrames(journal, { frameSent: (d) => delays.push(d), replayed: (ms) => replayed.push(ms) }, () => now);
    const capture = (at?: number) =>
      journal.append({ pcm: new ArrayBuffer(FRAME_BYTES), peak: 0.5, ...(at !== undefined && { capturedAt: at }) });
    capture(100); // waited for the handshake: not measured
    capture(120);
    sent.ready(journal.head);
    capture(990);
    capture(); // no capture clock (a file)
    sent.sent(0, 4);
    expect(delays).toEqual([10]);
    expect(replayed).toEqual([]);
    // A reconnect sends frames 2–4 again, then frame 5 for the first time.
    capture(1020);
    now = 1100;
    sent.ready(journal.head); // a later ready changes nothing
    sent.sent(2, 5);
    expect(replayed).toEqual([40]);
    expect(delays).toEqual([10, 80]);
  });
});
