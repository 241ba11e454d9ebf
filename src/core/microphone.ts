/** Microphone choice and processing, as settings keep them (pure: no browser API here). */

/** Which microphone, and the browser's processing of its signal. */
export interface MicrophoneOptions {
  /** A `MediaDeviceInfo.deviceId`; '' for the system default. */
  readonly deviceId: string;
  /** Its name when it was chosen, for messages when it is missing. */
  readonly label?: string;
  readonly echoCancellation: boolean;
  readonly noiseSuppression: boolean;
  readonly autoGainControl: boolean;
}

/** The default microphone, unprocessed. */
export const DEFAULT_MICROPHONE: MicrophoneOptions = {
  deviceId: '',
  echoCancellation: false,
  noiseSuppression: false,
  autoGainControl: false,
};
