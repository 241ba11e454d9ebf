/**
 * Around the transcript, in the built app: installable and offline, the dark theme (axe in both
 * themes), a dictation from the keyboard alone, push-to-talk, and the microphone picker on Chromium's
 * fake devices.
 */
import { basename } from 'node:path';
import { expect, test } from '@playwright/test';
import { seriousViolations } from './support/axe';
import { E2E_CLIP } from '../playwright.config';
import { referenceFor } from './support/fixtures';
import { wordErrorRate } from './support/wer';

test('installable: a manifest, a service worker, and the app shell loads offline', async ({ page, context }) => {
  await page.goto('/');
  const href = await page.locator('link[rel="manifest"]').getAttribute('href');
  const manifest = (await (await page.request.get(href!)).json()) as { name: string; display: string; icons: { sizes: string }[] };
  expect(manifest).toMatchObject({ name: 'Dictate', display: 'standalone' });
  expect(manifest.icons.map((i) => i.sizes)).toEqual(expect.arrayContaining(['192x192', '512x512']));
  const scope = await page.evaluate(async () => (await navigator.serviceWorker.ready).scope);
  expect(scope).toMatch(/\/$/);
  // Precached: the page and its code come from the service worker with the network gone.
  await expect.poll(() => page.evaluate(() => navigator.serviceWorker.controller !== null), { timeout: 10_000 }).toBe(true);
  await context.setOffline(true);
  await page.reload();
  await expect(page.getByRole('button', { name: 'Start recording' })).toBeVisible();
  await page.getByRole('button', { name: 'Start recording' }).click();
  // The local engine needs its server: the app says so.
  await expect(page.getByRole('alert')).toContainText(/local engine|connect/i, { timeout: 15_000 });
  await context.setOffline(false);
});

test('dark theme: follows the system, can be chosen, and both themes pass axe', async ({ page }) => {
  await page.emulateMedia({ colorScheme: 'dark' });
  await page.goto('/');
  const background = () => page.evaluate(() => getComputedStyle(document.body).backgroundColor);
  const dark = await background();
  expect(await seriousViolations(page), 'dark (system)').toEqual([]);
  await page.getByRole('combobox', { name: 'Theme' }).selectOption({ label: 'Light' });
  const light = await background();
  expect(light).not.toBe(dark);
  expect(await seriousViolations(page), 'light (chosen)').toEqual([]);
  await page.emulateMedia({ colorScheme: 'light' });
  await page.getByRole('combobox', { name: 'Theme' }).selectOption({ label: 'Dark' });
  expect(await background()).toBe(dark);
  await page.getByRole('button', { name: 'History' }).click();
  await page.getByRole('region', { name: 'History' }).waitFor();
  expect(await seriousViolations(page), 'dark (chosen), History open').toEqual([]);
  await page.reload();
  await expect(page.getByRole('combobox', { name: 'Theme' })).toHaveValue('dark');
});

test('a dictation from the keyboard alone: Ctrl+Enter to start and stop, every control reached with Tab', async ({ page }) => {
  await page.goto('/');
  await page.keyboard.press('Control+Enter');
  await expect(page.getByRole('status', { name: 'Connection' })).toHaveText('Listening', { timeout: 15_000 });
  const log = page.getByRole('log', { name: 'Transcript' });
  await expect(log.locator('[data-segment]').first()).toBeVisible({ timeout: 30_000 });
  await page.keyboard.press('Control+Enter');
  await expect(page.getByRole('button', { name: 'Start recording' })).toBeVisible({ timeout: 10_000 });
  // Tab goes through the controls in order, each with a visible focus ring: up to the transcript's
  // actions, past the player (it appears once the run's audio is stored, with its own dozen controls).
  const reached: string[] = [];
  for (let i = 0; i < 40 && !reached.includes('Copy transcript'); i++) {
    await page.keyboard.press('Tab');
    const focused = await page.evaluate(() => {
      const el = document.activeElement as HTMLElement | null;
      if (!el || el === document.body) return null;
      const style = getComputedStyle(el);
      return {
        name:
          el.getAttribute('aria-label') ??
          (el as HTMLInputElement).labels?.[0]?.textContent ??
          el.querySelector('.sr-only')?.textContent ??
          el.textContent?.trim().slice(0, 30) ??
          el.tagName,
        ring: style.outlineStyle !== 'none' || style.boxShadow !== 'none',
      };
    });
    if (!focused) continue;
    reached.push(focused.name);
    expect(focused.ring, `visible focus on ${focused.name}`).toBe(true);
  }
  expect(reached).toEqual(
    expect.arrayContaining(['Theme', 'Text size', 'History', 'Start recording', 'Microphone', 'Transcript', 'Copy transcript']),
  );
  // Enter on the focused record button starts again.
  await page.getByRole('button', { name: 'Start recording' }).focus();
  await page.keyboard.press('Enter');
  await expect(page.getByRole('status', { name: 'Connection' })).not.toHaveText('Stopped');
  await page.keyboard.press('Control+Enter');
});

test('push-to-talk: recording while Space is held', async ({ page }) => {
  await page.goto('/');
  await page.locator('body').click({ position: { x: 5, y: 5 } });
  await page.keyboard.down(' ');
  await expect(page.getByRole('status', { name: 'Connection' })).toHaveText('Listening', { timeout: 15_000 });
  await expect
    .poll(async () => Number(await page.getByRole('meter', { name: 'Input level' }).getAttribute('aria-valuenow')), { timeout: 10_000 })
    .toBeGreaterThan(5);
  await page.keyboard.up(' ');
  await expect(page.getByRole('button', { name: 'Start recording' })).toBeVisible({ timeout: 10_000 });
});

test('choose a microphone among Chromium’s fake devices; the meter moves', async ({ page }) => {
  await page.goto('/');
  // Names appear once the microphone is allowed: record briefly.
  await page.getByRole('button', { name: 'Start recording' }).click();
  await expect(page.getByRole('status', { name: 'Connection' })).toHaveText('Listening', { timeout: 15_000 });
  await page.getByRole('button', { name: 'Stop recording' }).click();
  await expect(page.getByRole('button', { name: 'Start recording' })).toBeVisible({ timeout: 10_000 });
  const picker = page.getByRole('combobox', { name: 'Microphone' });
  const options = await picker.locator('option').allTextContents();
  expect(options[0]).toBe('Default microphone');
  expect(options.length).toBeGreaterThan(1);
  expect(options.slice(1).every((o) => o.length > 0 && !/^Microphone \d+$/.test(o))).toBe(true);
  await picker.selectOption({ index: 1 });
  await page.reload();
  await expect(picker).not.toHaveValue(''); // remembered
  await page.getByRole('button', { name: 'Start recording' }).click();
  await expect(page.getByRole('status', { name: 'Connection' })).toHaveText('Listening', { timeout: 15_000 });
  await expect
    .poll(async () => Number(await page.getByRole('meter', { name: 'Input level' }).getAttribute('aria-valuenow')), { timeout: 10_000 })
    .toBeGreaterThan(0);
  await page.getByRole('button', { name: 'Stop recording' }).click();
});

test('transcribe a file: its words through the local engine, with progress, as a session in History', async ({ page }) => {
  await page.goto('/');
  await page.getByLabel('Transcribe file').setInputFiles(E2E_CLIP);
  await expect(page.getByRole('progressbar', { name: 'Transcription progress' })).toBeVisible();
  await expect(page.getByRole('button', { name: 'Start recording' })).toBeVisible({ timeout: 30_000 });
  await expect(page.getByRole('progressbar', { name: 'Transcription progress' })).toHaveCount(0);
  const text = (await page.getByRole('log', { name: 'Transcript' }).innerText()).replace(/\s+/g, ' ').trim().toLowerCase();
  const wer = wordErrorRate(referenceFor(basename(E2E_CLIP)), text);
  console.log(`file: ${text} (WER ${(wer * 100).toFixed(1)}%)`);
  expect(wer).toBeLessThan(0.4);
  await page.getByRole('button', { name: 'History' }).click();
  await expect(page.getByRole('region', { name: 'History' }).getByRole('heading', { name: new RegExp(basename(E2E_CLIP)) })).toBeVisible();
  await expect(page.getByRole('alert')).toHaveCount(0);
});

test('a file that is not audio says so, and nothing is sent', async ({ page }) => {
  await page.goto('/');
  await page
    .getByLabel('Transcribe file')
    .setInputFiles({ name: 'notes.txt', mimeType: 'text/plain', buffer: Buffer.from('not audio at all') });
  await expect(page.getByRole('alert')).toContainText('“notes.txt” could not be read as audio');
  await expect(page.getByRole('button', { name: 'Start recording' })).toBeEnabled();
});

test('the microphone is resampled by speexdsp: its WebAssembly is fetched and compiles under the page’s CSP', async ({ page }) => {
  const errors: string[] = [];
  page.on('console', (m) => m.type() === 'error' && errors.push(m.text()));
  await page.goto('/');
  await page.getByRole('button', { name: 'Start recording' }).click();
  await expect(page.getByRole('status', { name: 'Connection' })).toHaveText('Listening', { timeout: 15_000 });
  const compiled = await page.evaluate(async () => {
    const entry = performance.getEntriesByType('resource').find((e) => e.name.endsWith('.wasm'));
    if (!entry) return 'not fetched';
    const bytes = await (await fetch(entry.name)).arrayBuffer();
    try {
      return WebAssembly.Module.exports(new WebAssembly.Module(bytes)).length > 0 ? 'compiled' : 'empty';
    } catch (e) {
      return String(e);
    }
  });
  expect(compiled).toBe('compiled');
  await expect
    .poll(async () => Number(await page.getByRole('meter', { name: 'Input level' }).getAttribute('aria-valuenow')), { timeout: 10_000 })
    .toBeGreaterThan(5);
  await page.getByRole('button', { name: 'Stop recording' }).click();
  // The worklet says which resampler it runs: speexdsp, from the browser's own rate.
  await page.getByText('Sound processing').click();
  await expect(page.getByText(/^Last recording: [\d.]+ kHz, resampled to 16 kHz by speexdsp \(quality 6\)\.$/)).toBeVisible();
  expect(errors).toEqual([]);
});
