/**
 * Pacing and backpressure: frames go from the journal to the socket in order, at most `speed` frames
 * per 20 ms once a burst of 500 ms is spent (a replay after a reconnect must not flood the service),
 * and not at all while the socket's buffer is above the high-water mark ("Network slow").
 */
import { FRAME_MS } from '../core/frames';
import type { AudioJournal } from './journal';
import type { Link } from './link';

/** Frames that may be sent at once before pacing applies (25, 500 ms). */
export const BURST_FRAMES = 25;

/** How a send ended. */
export type SendResult =
  /** Everything in the journal is sent. */
  | 'drained'
  /** The socket's buffer is above the high-water mark: try again in about 100 ms. */
  | 'held'
  /** The pace is spent: try again in one frame (20 ms). */
  | 'paced'
  /** The socket is not open (its close will say what happened), or the journal has no frame there. */
  | 'stopped';

/** Send credit, in frames, earned at `speed` frames per frame time. */
export class Pacer {
  private credit = BURST_FRAMES;
  private at = 0;

  /** @param speed frames per 20 ms while catching up (2: twice real time) */
  constructor(private readonly speed: number) {}

  /** Earns the credit of the time since the last call. */
  refill(now: number): void {
    this.credit = Math.min(Math.max(BURST_FRAMES, this.speed), this.credit + ((now - this.at) / FRAME_MS) * this.speed);
    this.at = now;
  }

  /** @returns whether a frame may be sent now (and spends one) */
  take(): boolean {
    if (this.credit < 1) return false;
    this.credit--;
    return true;
  }
}

/**
 * Sends the journal from the link's cursor. Frames dropped from the journal while they waited are
 * skipped (the journal counts them as lost).
 * @param speechPeak a frame at or above this peak is speech: the watchdog then expects an answer
 */
export function sendFrom(
  link: Link,
  journal: AudioJournal,
  pacer: Pacer,
  highWaterBytes: number,
  speechPeak: number,
  now: number,
): SendResult {
  pacer.refill(now);
  while (link.cursor < journal.head) {
    if (link.cursor < journal.first) link.cursor = journal.first;
    const pcm = journal.at(link.cursor);
    const sent = pcm ? sendFrame(link, pacer, highWaterBytes, pcm, journal.peakAt(link.cursor) >= speechPeak, now) : 'stopped';
    if (sent !== 'sent') return sent;
  }
  return 'drained';
}

/**
 * Sends one frame at the link's cursor, if the socket's buffer and the pace allow, and moves the cursor on.
 * @param speech - the frame is speech: the watchdog then expects an answer
 */
export function sendFrame(
  link: Link,
  pacer: Pacer,
  highWaterBytes: number,
  pcm: ArrayBuffer,
  speech: boolean,
  now: number,
): 'sent' | 'held' | 'paced' | 'stopped' {
  if (link.transport.bufferedAmount > highWaterBytes) return 'held';
  if (!pacer.take()) return 'paced';
  const message = link.protocol.encodeAudio(pcm); // null: gathered into a larger chunk, sent later
  if (message !== null && !link.transport.send(message)) return 'stopped';
  if (speech && link.speechSentAt === null) link.speechSentAt = now;
  link.cursor++;
  return 'sent';
}
