/**
 * The capture worklet also loads under `vite dev` (served from source, not bundled): the dev server
 * proxies `/ws` to the engine that Playwright started, and the page must reach Listening with a
 * live level meter and recognised speech.
 */
import { expect, test } from '@playwright/test';
import { createServer, type ViteDevServer } from 'vite';

let vite: ViteDevServer;

test.beforeAll(async ({ browserName: _browser }, testInfo) => {
  const engine = new URL(String(testInfo.project.use.baseURL));
  vite = await createServer({
    configFile: 'vite.config.ts',
    logLevel: 'warn',
    server: { port: 0, strictPort: false, proxy: { '/ws': { target: `ws://${engine.host}`, ws: true } } },
  });
  await vite.listen();
});

test.afterAll(async () => {
  await vite?.close();
});

test('the worklet loads and streams under vite dev', async ({ page }) => {
  const url = vite.resolvedUrls?.local[0];
  expect(url).toBeTruthy();
  await page.goto(url!);
  await page.getByRole('button', { name: 'Start recording' }).click();
  await expect(page.getByRole('status', { name: 'Connection' })).toHaveText('Listening', { timeout: 20_000 });
  const meter = page.getByRole('meter', { name: 'Input level' });
  await expect.poll(async () => Number(await meter.getAttribute('aria-valuenow')), { timeout: 10_000, intervals: [50] }).toBeGreaterThan(5);
  await expect(page.getByRole('log', { name: 'Transcript' })).toContainText(/married|amiable|woman|respectable/, { timeout: 20_000 });
  await page.getByRole('button', { name: 'Stop recording' }).click();
  await expect(page.getByRole('button', { name: 'Start recording' })).toBeEnabled({ timeout: 10_000 });
  await expect(page.getByRole('alert')).toHaveCount(0);
});
