import { describe, expect, it } from 'vitest';
import { fullJitterBackoff } from './reconnect-policy';

const drop = { refused: false, refusalsInARow: 0, everConnected: true };

describe('full-jitter backoff', () => {
  it('draws delay n uniformly below min(cap, base · 2ⁿ⁻¹)', () => {
    const top = fullJitterBackoff({ baseDelayMs: 500, maxDelayMs: 10_000 }, () => 0.999_999);
    expect([1, 2, 3, 4, 5, 6].map((attempt) => Math.round(top.nextDelayMs({ ...drop, attempt }) ?? -1))).toEqual([
      500, 1000, 2000, 4000, 8000, 10_000,
    ]);
    const bottom = fullJitterBackoff({}, () => 0);
    expect(bottom.nextDelayMs({ ...drop, attempt: 3 })).toBe(0);
  });

  it('gives up after the attempt budget', () => {
    const policy = fullJitterBackoff({ maxAttempts: 2 }, () => 0.5);
    expect(policy.nextDelayMs({ ...drop, attempt: 2 })).not.toBeNull();
    expect(policy.nextDelayMs({ ...drop, attempt: 3 })).toBeNull();
  });

  it('never retries a refusal of the first connection: the key or address is the user’s to fix', () => {
    const policy = fullJitterBackoff({}, () => 0.5);
    expect(policy.nextDelayMs({ attempt: 1, refused: true, refusalsInARow: 1, everConnected: false })).toBeNull();
  });

  it('retries refusals after a working connection (a server restarting), but not maxRefusals in a row', () => {
    const policy = fullJitterBackoff({ maxRefusals: 3 }, () => 0.5);
    expect(policy.nextDelayMs({ attempt: 1, refused: true, refusalsInARow: 1, everConnected: true })).not.toBeNull();
    expect(policy.nextDelayMs({ attempt: 2, refused: true, refusalsInARow: 2, everConnected: true })).not.toBeNull();
    expect(policy.nextDelayMs({ attempt: 3, refused: true, refusalsInARow: 3, everConnected: true })).toBeNull();
  });
});
