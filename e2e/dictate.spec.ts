/**
 * A person dictates: Chromium's fake microphone plays a LibriVox clip once; the built app captures
 * it through the AudioWorklet, the local server recognises it with PocketSphinx, and the transcript
 * is copied. The transcript is compared with the clip's reference, against PocketSphinx run directly
 * on the same clip.
 */
import { basename } from 'node:path';
import { expect, test } from '@playwright/test';
import { E2E_CLIP } from '../playwright.config';
import { loadEngine } from '../server/engine/pocketsphinx';
import { transcribeDirect } from './support/direct';
import { referenceFor } from './support/fixtures';
import { readWav } from './support/wav';
import { wordErrorRate } from './support/wer';

const reference = referenceFor(basename(E2E_CLIP));

/** PocketSphinx directly on the clip: the baseline. */
async function directBaseline(): Promise<{ text: string; wer: number }> {
  const engine = loadEngine();
  if ('unavailable' in engine) throw new Error(engine.unavailable);
  const { text } = await transcribeDirect(engine, readWav(E2E_CLIP).samples);
  return { text, wer: wordErrorRate(reference, text) };
}

test('dictate a real recording with the local engine, then copy the transcript', async ({ page }) => {
  const baseline = await directBaseline();
  const pageErrors: string[] = [];
  page.on('pageerror', (e) => pageErrors.push(e.message));

  await page.goto('/');
  await expect(page.getByRole('status', { name: 'Connection' })).toHaveText('Stopped');
  await page.getByRole('button', { name: 'Start recording' }).click();
  await expect(page.getByRole('button', { name: 'Stop recording' })).toBeVisible();
  await expect(page.getByRole('status', { name: 'Connection' })).toHaveText('Listening', { timeout: 15_000 });

  // The fake microphone is not silent (a bad WAV path would give silence, not an error).
  const meter = page.getByRole('meter', { name: 'Microphone level' });
  await expect.poll(async () => Number(await meter.getAttribute('aria-valuenow')), { timeout: 10_000, intervals: [50] }).toBeGreaterThan(5);

  // The VAD follows the voice.
  const vad = page.getByRole('status', { name: 'Voice activity' });
  await expect(vad).toHaveText('Speech', { timeout: 10_000 });

  // Partial text appears while the sentence is spoken, muted and italic.
  const log = page.getByRole('log', { name: 'Transcript' });
  await expect(log.locator('span.italic')).not.toBeEmpty({ timeout: 10_000 });

  // The clip ends (about 6 s); silence follows, the VAD ends the utterance, final text arrives.
  await expect(vad).toHaveText('Silence', { timeout: 20_000 });
  await expect(log).not.toBeEmpty();
  await page.getByRole('button', { name: 'Stop recording' }).click();
  await expect(page.getByRole('button', { name: 'Start recording' })).toBeEnabled({ timeout: 10_000 });
  await expect(page.getByRole('status', { name: 'Connection' })).toHaveText('Stopped');

  const transcript = ((await log.textContent()) ?? '').replace(/\s+/g, ' ').trim();
  const wer = wordErrorRate(reference, transcript);
  console.log(`reference: ${reference}\ndirect:    ${baseline.text} (WER ${(baseline.wer * 100).toFixed(1)}%)\nbrowser:   ${transcript} (WER ${(wer * 100).toFixed(1)}%)`);
  expect(transcript.split(' ').length).toBeGreaterThan(reference.split(' ').length / 2);
  expect(wer).toBeLessThanOrEqual(baseline.wer + 0.1);

  await page.getByRole('button', { name: 'Copy transcript' }).click();
  await expect(page.getByRole('status', { name: 'Copy result' })).toHaveText('Copied');
  const clipboard = await page.evaluate(() => navigator.clipboard.readText());
  expect(clipboard).toBe(transcript);

  await expect(page.getByRole('alert')).toHaveCount(0);
  expect(pageErrors).toEqual([]);
});

test('an unreachable server gives a sentence that says what to do, and recording stops', async ({ page }) => {
  await page.goto('/');
  await page.getByText('Settings').click();
  await page.getByLabel('Server URL').fill('ws://127.0.0.1:9/ws');
  await page.getByRole('button', { name: 'Start recording' }).click();
  await expect(page.getByRole('alert')).toContainText(
    'Could not connect to 127.0.0.1:9. Check the server URL in Settings and that the server is running.',
    { timeout: 15_000 },
  );
  await expect(page.getByRole('button', { name: 'Start recording' })).toBeEnabled();
  await expect(page.getByRole('status', { name: 'Connection' })).toHaveText('Stopped');
  await expect(page.getByRole('meter', { name: 'Microphone level' })).toHaveAttribute('aria-valuenow', '0');

  // The setting survives a reload; "Use the local engine" puts the default back.
  await page.reload();
  await page.getByText('Settings').click();
  await expect(page.getByLabel('Server URL')).toHaveValue('ws://127.0.0.1:9/ws');
  await page.getByRole('button', { name: 'Use the local engine' }).click();
  await expect(page.getByLabel('Server URL')).toHaveValue('');
});
