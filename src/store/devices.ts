/**
 * The microphones to choose from. The list comes from the function attached at start-up (the browser's
 * `enumerateDevices` in the app, a fake in tests); the store holds no browser API itself.
 */
import { create } from 'zustand';
import { dictationError } from '../core/errors';
import { useDictation } from './dictation';

/** One audio input. `label` is '' until the user has allowed the microphone once. */
export interface InputDevice {
  readonly deviceId: string;
  readonly label: string;
}

let enumerate: (() => Promise<InputDevice[]>) | null = null;

/** Attaches the device list (null: none, as in tests that do not need it). */
export function attachDevices(list: (() => Promise<InputDevice[]>) | null): void {
  enumerate = list;
}

export interface DevicesState {
  readonly microphones: readonly InputDevice[];
  /** Reads the list again (at start, after permission is given, and when a device is plugged in or out). */
  readonly refresh: () => Promise<void>;
}

export const useDevices = create<DevicesState>()((set, get) => ({
  microphones: [],
  async refresh() {
    if (!enumerate) return;
    let microphones: InputDevice[];
    try {
      microphones = await enumerate();
    } catch {
      return; // no list: the default microphone still works
    }
    const before = get().microphones;
    set({ microphones });
    // The chosen microphone was just unplugged: say so; recording uses the default until it is back.
    const chosen = useDictation.getState().settings.microphone;
    const id = chosen?.deviceId;
    if (id && before.some((d) => d.deviceId === id) && !microphones.some((d) => d.deviceId === id)) {
      const name = chosen.label ? `“${chosen.label}”` : 'The chosen microphone';
      useDictation.setState({
        error: dictationError(
          'microphone-fallback',
          `${name} was disconnected. The default microphone will record until it is back; choose another under Microphone if you like.`,
        ),
      });
    }
  },
}));
