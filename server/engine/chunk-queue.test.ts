import { describe, expect, it } from 'vitest';
import { ChunkQueue, type ChunkQueueOptions } from './chunk-queue';

/** A queue whose decodes finish when the test says, recording what happened in order. */
function harness(overrides: Partial<ChunkQueueOptions> = {}) {
  const log: string[] = [];
  const pending: (() => void)[] = [];
  let inFlight = 0;
  let most = 0;
  const queue = new ChunkQueue({
    chunkSamples: 4,
    highWaterSamples: 10,
    lowWaterSamples: 3,
    decode(chunk) {
      inFlight++;
      most = Math.max(most, inFlight);
      log.push(`decode ${Array.from(chunk).join(',')}`);
      return new Promise<void>((resolve) =>
        pending.push(() => {
          inFlight--;
          resolve();
        }),
      );
    },
    backpressure: (paused) => log.push(paused ? 'pause' : 'resume'),
    error: (cause) => log.push(`error ${cause.message}`),
    ...overrides,
  });
  /** Lets every decode in flight, and those they start, finish. */
  const drain = async () => {
    while (pending.length) {
      pending.shift()!();
      await new Promise((resolve) => setTimeout(resolve, 0));
    }
  };
  return { queue, log, drain, most: () => most };
}

describe('ChunkQueue', () => {
  it('cuts writes of any size into fixed chunks, decodes them in order, one at a time', async () => {
    const { queue, log, drain, most } = harness();
    queue.write(Int16Array.from([1, 2, 3]));
    queue.write(Int16Array.from([4, 5, 6, 7, 8, 9]));
    queue.flush();
    await drain();
    await queue.idle();
    expect(log.filter((l) => l.startsWith('decode'))).toEqual(['decode 1,2,3,4', 'decode 5,6,7,8', 'decode 9']);
    expect(most()).toBe(1);
  });

  it('asks the source to pause above the high-water mark and to resume under the low one', async () => {
    const { queue, log, drain } = harness();
    queue.write(new Int16Array(12)); // 12 > 10 queued
    expect(log).toContain('pause');
    await drain();
    await queue.idle();
    expect(log.filter((l) => l === 'pause' || l === 'resume')).toEqual(['pause', 'resume']);
  });

  it('runs a task after the audio queued before it, and nothing alongside it', async () => {
    const { queue, log, drain } = harness();
    queue.write(new Int16Array(8));
    const done = queue.after(async () => {
      log.push('task');
      await Promise.resolve();
    });
    queue.write(Int16Array.from([7, 7, 7, 7]));
    await drain();
    await done;
    await drain();
    expect(log).toEqual(['decode 0,0,0,0', 'decode 0,0,0,0', 'task', 'decode 7,7,7,7']);
  });

  it('stops at a failed decode, says so once, and settles every task still waiting', async () => {
    const { queue, log } = harness({ decode: () => Promise.reject(new Error('decoder broke')) });
    queue.write(new Int16Array(8));
    let settled = false;
    const task = queue.after(() => Promise.resolve(void log.push('task (never)'))).then(() => (settled = true));
    await task;
    await queue.idle();
    expect(settled).toBe(true);
    expect(log).toEqual(['error decoder broke']);
    expect(queue.failed).toBe(true);
    queue.write(new Int16Array(4));
    expect(log).toEqual(['error decoder broke']);
  });

  it('clear() drops queued audio but keeps tasks', async () => {
    const { queue, log, drain } = harness();
    queue.write(new Int16Array(12));
    const task = queue.after(() => Promise.resolve(void log.push('task')));
    queue.clear();
    await drain();
    await task;
    expect(log.filter((l) => l.startsWith('decode') || l === 'task')).toEqual(['decode 0,0,0,0', 'task']);
  });
});
