/**
 * How the end-to-end tests and the benchmark launch Debian's Chromium: headless, no network chatter,
 * and a fake microphone that plays `clip` once. `clip` must be an absolute path: a bad one gives
 * silence, not an error.
 */
export function chromiumLaunchOptions(clip: string): { executablePath: string; args: string[] } {
  return {
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--use-fake-ui-for-media-stream',
      '--use-fake-device-for-media-stream',
      `--use-file-for-fake-audio-capture=${clip}%noloop`,
    ],
  };
}
