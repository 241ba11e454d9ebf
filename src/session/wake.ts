/**
 * Keeps the screen on while dictating, where the browser has the Screen Wake Lock API. The browser
 * releases the lock when the tab is hidden; {@link WakeLock.visible} takes it again on return.
 */

/** The part of `navigator` used (tests pass their own). */
export interface WakeLockNavigator {
  readonly wakeLock?: {
    request(type: 'screen'): Promise<{ release(): Promise<void>; addEventListener(type: 'release', fn: () => void): void }>;
  };
}

export interface WakeLock {
  /** Dictation started: keep the screen on. */
  hold(): void;
  /** Dictation ended: the screen may sleep. */
  let(): void;
  /** The tab is visible again: take the lock back if dictation still wants it. */
  visible(): void;
}

/** A wake lock that does nothing where the API is missing or refused (it is a comfort, not a need). */
export function createWakeLock(nav: WakeLockNavigator = navigator): WakeLock {
  let wanted = false;
  let sentinel: { release(): Promise<void> } | null = null;
  let pending = false;
  const acquire = () => {
    if (!nav.wakeLock || sentinel || pending) return;
    pending = true;
    nav.wakeLock
      .request('screen')
      .then((lock) => {
        pending = false;
        if (!wanted) return void lock.release().catch(() => undefined);
        sentinel = lock;
        lock.addEventListener('release', () => {
          if (sentinel === lock) sentinel = null;
        });
      })
      .catch(() => {
        // Refused (hidden tab, battery saver, permissions policy): dictation goes on without it.
        pending = false;
      });
  };
  return {
    hold() {
      wanted = true;
      acquire();
    },
    let() {
      wanted = false;
      const lock = sentinel;
      sentinel = null;
      void lock?.release().catch(() => undefined);
    },
    visible() {
      if (wanted) acquire();
    },
  };
}
