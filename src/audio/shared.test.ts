import { describe, expect, it } from 'vitest';
import { dictationError } from '../core/errors';
import { FRAME_BYTES, type Pcm16Frame } from '../core/frames';
import type { CaptureHandlers, StartCapture } from './capture';
import { SharedCapture } from './shared';

/** A capture the test drives: it records how often it was started and stopped. */
function source() {
  const s = { starts: 0, stops: 0, handlers: null as CaptureHandlers | null };
  const start: StartCapture = (handlers) => {
    s.starts++;
    s.handlers = handlers;
    return Promise.resolve({
      sampleRate: 48_000,
      stop: () => {
        s.stops++;
        handlers.onFrame(frame(0.9)); // the flush: what was still inside
        return Promise.resolve();
      },
    });
  };
  return { s, start };
}

const frame = (peak: number): Pcm16Frame => ({ pcm: new ArrayBuffer(FRAME_BYTES), peak });

function consumer(backlog = 0) {
  const heard: number[] = [];
  const events: string[] = [];
  const handlers: CaptureHandlers = {
    onFrame: (f) => heard.push(f.peak),
    onError: (e) => events.push(`error: ${e.message}`),
    onEnd: () => events.push('end'),
    onInfo: (i) => events.push(`info ${i.sampleRate}`),
    backlog: () => backlog,
  };
  return { heard, events, handlers };
}

describe('one capture, many consumers', () => {
  it('starts once, gives every consumer every frame, and stops when the last one leaves (which hears the flush)', async () => {
    const { s, start } = source();
    const shared = new SharedCapture(start);
    const a = consumer();
    const b = consumer();
    const ca = await shared.subscribe(a.handlers);
    const cb = await shared.subscribe(b.handlers);
    expect(s.starts).toBe(1);
    s.handlers!.onFrame(frame(0.1));
    s.handlers!.onFrame(frame(0.2));
    await ca.stop();
    expect(s.stops).toBe(0); // b still listens
    s.handlers!.onFrame(frame(0.3));
    await cb.stop();
    expect(s.stops).toBe(1);
    expect(a.heard).toEqual([0.1, 0.2]);
    expect(b.heard).toEqual([0.1, 0.2, 0.3, 0.9]);
    expect(shared.size).toBe(0);
  });

  it('tells a late consumer how the audio is captured, and everyone of an error or the end', async () => {
    const { s, start } = source();
    const shared = new SharedCapture(start);
    const a = consumer();
    await shared.subscribe(a.handlers);
    s.handlers!.onInfo?.({ sampleRate: 48_000, resampler: 'speexdsp (quality 6)' });
    const b = consumer();
    await shared.subscribe(b.handlers);
    s.handlers!.onEnd?.();
    s.handlers!.onError(dictationError('capture-failed', 'The microphone was unplugged.'));
    for (const c of [a, b]) expect(c.events).toEqual(['info 48000', 'end', 'error: The microphone was unplugged.']);
  });

  it('goes at the pace of the slowest consumer (a file waits for the largest backlog)', async () => {
    const { s, start } = source();
    const shared = new SharedCapture(start);
    await shared.subscribe(consumer(3).handlers);
    await shared.subscribe(consumer(40).handlers);
    expect(s.handlers!.backlog?.()).toBe(40);
  });

  it('rejects every consumer waiting when the capture cannot start, and can start again after', async () => {
    let fail = true;
    const start: StartCapture = () =>
      fail
        ? Promise.reject(dictationError('microphone-denied', 'Allow the microphone.'))
        : Promise.resolve({ sampleRate: 16_000, stop: () => Promise.resolve() });
    const shared = new SharedCapture(start);
    const results = await Promise.allSettled([shared.subscribe(consumer().handlers), shared.subscribe(consumer().handlers)]);
    expect(results.map((r) => r.status)).toEqual(['rejected', 'rejected']);
    fail = false;
    await expect(shared.subscribe(consumer().handlers)).resolves.toMatchObject({ sampleRate: 16_000 });
  });
});
