/**
 * Keys and tokens, per provider, apart from every other setting. By default a key lives in this
 * tab's `sessionStorage` (it survives a reload, and is gone when the tab closes); only a provider
 * with "Remember key on this device" ticked keeps its key in `localStorage`. Keys are never logged
 * and never rendered outside the password field.
 */
import { create } from 'zustand';
import { persist, type PersistStorage, type StorageValue } from 'zustand/middleware';
import { reportStorageFailure } from './errors';

export interface CredentialsState {
  /** Key or token by provider id. */
  readonly keys: Readonly<Record<string, string>>;
  /** Providers whose key is kept in localStorage. */
  readonly remember: Readonly<Record<string, boolean>>;
  readonly setKey: (provider: string, key: string) => void;
  readonly setRemember: (provider: string, remember: boolean) => void;
}

type Persisted = Pick<CredentialsState, 'keys' | 'remember'>;

/** Storage name in both `localStorage` and `sessionStorage`. */
export const CREDENTIALS_STORAGE_KEY = 'dictate-keys';

function read(storage: Storage | undefined): Partial<Persisted> {
  try {
    const raw = storage?.getItem(CREDENTIALS_STORAGE_KEY);
    const parsed = raw ? (JSON.parse(raw) as { state?: Partial<Persisted> }) : null;
    return parsed?.state ?? {};
  } catch {
    return {};
  }
}

function strings(record: unknown, type: 'string' | 'boolean'): Record<string, never> {
  if (typeof record !== 'object' || record === null) return {};
  return Object.fromEntries(Object.entries(record).filter(([, v]) => typeof v === type)) as Record<string, never>;
}

/** Remembered keys (and every provider's choice) in localStorage; the other keys in sessionStorage. */
function splitStorage(): PersistStorage<Persisted> | undefined {
  if (typeof localStorage === 'undefined' || typeof sessionStorage === 'undefined') return undefined;
  return {
    getItem(): StorageValue<Persisted> {
      const device = read(localStorage);
      const tab = read(sessionStorage);
      const remember = strings(device.remember, 'boolean') as Record<string, boolean>;
      const keys: Record<string, string> = { ...strings(tab.keys, 'string') };
      for (const [provider, key] of Object.entries(strings(device.keys, 'string'))) {
        if (remember[provider]) keys[provider] = key;
      }
      return { state: { keys, remember }, version: 1 };
    },
    setItem(_name, value) {
      const { keys, remember } = value.state;
      const device: Record<string, string> = {};
      const tab: Record<string, string> = {};
      for (const [provider, key] of Object.entries(keys)) {
        if (!key) continue;
        if (remember[provider]) device[provider] = key;
        else tab[provider] = key;
      }
      try {
        localStorage.setItem(CREDENTIALS_STORAGE_KEY, JSON.stringify({ state: { keys: device, remember }, version: 1 }));
        sessionStorage.setItem(CREDENTIALS_STORAGE_KEY, JSON.stringify({ state: { keys: tab }, version: 1 }));
      } catch (cause) {
        reportStorageFailure(cause); // the key still works for this page; it is just not kept
      }
    },
    removeItem() {
      localStorage.removeItem(CREDENTIALS_STORAGE_KEY);
      sessionStorage.removeItem(CREDENTIALS_STORAGE_KEY);
    },
  };
}

/** State on first load (tests reset the store with `useCredentials.getInitialState()`). */
const initialCredentialsState: Persisted = { keys: {}, remember: {} };

export const useCredentials = create<CredentialsState>()(
  persist(
    (set) => ({
      ...initialCredentialsState,
      setKey(provider, key) {
        set((s) => ({ keys: { ...s.keys, [provider]: key } }));
      },
      setRemember(provider, remember) {
        set((s) => ({ remember: { ...s.remember, [provider]: remember } }));
      },
    }),
    {
      name: CREDENTIALS_STORAGE_KEY,
      version: 1,
      storage: splitStorage(),
      partialize: (s): Persisted => ({ keys: s.keys, remember: s.remember }),
    },
  ),
);
