/** The microphones this browser offers (`enumerateDevices`), and news of one plugged in or out. */

/** One audio input. `label` is '' until the user has allowed the microphone once. */
export interface InputDevice {
  readonly deviceId: string;
  readonly label: string;
}

/**
 * The audio inputs, without Chromium's "default" and "communications" aliases (the default is offered
 * on its own). Empty where the browser cannot list devices.
 */
export async function listMicrophones(): Promise<InputDevice[]> {
  if (!navigator.mediaDevices?.enumerateDevices) return [];
  const all = await navigator.mediaDevices.enumerateDevices();
  return all
    .filter((d) => d.kind === 'audioinput' && d.deviceId !== 'default' && d.deviceId !== 'communications')
    .map((d) => ({ deviceId: d.deviceId, label: d.label }));
}

/** Calls `changed` when a device is plugged in or out. @returns how to stop listening */
export function onDeviceChange(changed: () => void): () => void {
  const devices = navigator.mediaDevices;
  if (!devices?.addEventListener) return () => undefined;
  devices.addEventListener('devicechange', changed);
  return () => devices.removeEventListener('devicechange', changed);
}
