/**
 * End-to-end tests: the built app, served by `npm start`, in Debian's Chromium with a fake
 * microphone that plays a real LibriVox clip once (`%noloop`).
 */
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { defineConfig } from '@playwright/test';
import { chromiumLaunchOptions } from './e2e/support/chromium';

const port = Number(process.env.E2E_PORT ?? 8791);
/** The clip the fake microphone plays (absolute path: a bad one gives silence, not an error). */
export const E2E_CLIP = resolve(dirname(fileURLToPath(import.meta.url)), 'e2e/fixtures/sense_and_sensibility_01_austen_64kb-0920.wav');

export default defineConfig({
  testDir: 'e2e',
  outputDir: 'test-results/playwright',
  timeout: 90_000,
  workers: 1,
  retries: 0,
  forbidOnly: Boolean(process.env.CI),
  reporter: [['list'], ['json', { outputFile: 'test-results/e2e.json' }]],
  use: {
    baseURL: `http://localhost:${port}`,
    permissions: ['microphone', 'clipboard-read', 'clipboard-write'],
    trace: 'retain-on-failure',
    launchOptions: chromiumLaunchOptions(E2E_CLIP),
  },
  webServer: {
    command: 'npm start',
    // DICTATE_FAULTS: the test-only switch that lets e2e/faults.spec.ts drop connections.
    env: { PORT: String(port), DICTATE_QUIET: '1', DICTATE_SKIP_INSTALL: '1', DICTATE_FAULTS: '1' },
    url: `http://localhost:${port}/healthz`,
    reuseExistingServer: false,
    timeout: 180_000,
    stdout: 'pipe',
    stderr: 'pipe',
  },
});
