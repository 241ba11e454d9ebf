import { describe, expect, it, vi } from 'vitest';
import { createWakeLock, type WakeLockNavigator } from './wake';

function fakeNavigator() {
  const locks: { released: boolean; onRelease?: () => void }[] = [];
  const nav: WakeLockNavigator = {
    wakeLock: {
      request: vi.fn(() => {
        const lock = { released: false, onRelease: undefined as (() => void) | undefined };
        locks.push(lock);
        return Promise.resolve({
          release: () => {
            lock.released = true;
            return Promise.resolve();
          },
          addEventListener: (_: 'release', fn: () => void) => (lock.onRelease = fn),
        });
      }),
    },
  };
  return { nav, locks };
}

describe('screen wake lock while dictating', () => {
  it('holds the screen on while dictating, lets it go after, and takes it back when the tab returns', async () => {
    const { nav, locks } = fakeNavigator();
    const wake = createWakeLock(nav);
    wake.hold();
    await vi.waitFor(() => expect(locks).toHaveLength(1));
    // The browser releases it when the tab is hidden; back in view, it is taken again.
    locks[0].onRelease?.();
    wake.visible();
    await vi.waitFor(() => expect(locks).toHaveLength(2));
    wake.let();
    expect(locks[1].released).toBe(true);
    wake.visible();
    await Promise.resolve();
    expect(locks).toHaveLength(2);
  });

  it('does nothing where the browser has no wake lock, or refuses it', async () => {
    expect(() => createWakeLock({}).hold()).not.toThrow();
    const refusing = createWakeLock({ wakeLock: { request: () => Promise.reject(new DOMException('hidden', 'NotAllowedError')) } });
    refusing.hold();
    await Promise.resolve();
    expect(() => refusing.let()).not.toThrow();
  });
});
