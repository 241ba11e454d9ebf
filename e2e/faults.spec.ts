/**
 * Faults a person meets, in the built app and a real Chromium: the connection killed mid-dictation
 * (through the server's test-only fault switch), a denied microphone, an unplugged one, and a key
 * that must never show up in the console or the page.
 */
import { basename } from 'node:path';
import { expect, test, type Page } from '@playwright/test';
import { E2E_CLIP } from '../playwright.config';
import { directAtOffsets } from './support/baseline';
import { referenceFor } from './support/fixtures';
import { wordEdits, wordErrorRate } from './support/wer';
import { chooseProvider } from './support/settings';

const reference = referenceFor(basename(E2E_CLIP));

async function openWith(page: Page, provider: string) {
  await page.goto('/');
  await chooseProvider(page, provider);
}

// The yardstick of the dictation tests: 20 direct decodes, too long for a test's own timeout, so made first.
test.beforeAll(async () => {
  test.setTimeout(300_000);
  await directAtOffsets();
});

for (const provider of ['Local engine (VoiceRun protocol)', 'Local engine (Reson8 protocol)', 'Local engine (Speechall protocol)']) {
  test(`a connection killed mid-dictation through the ${provider}: "Reconnecting…", recording goes on, no word lost`, async ({ page }) => {
    // The worst of PocketSphinx's direct decodes at 20 sub-frame offsets: where the microphone starts the clip
    // within its frames alone moves the words by a few ("wall and" for "woman").
    const most = Math.max(...(await directAtOffsets()).map((r) => r.errors));
    await openWith(page, provider);
    const status = page.getByRole('status', { name: 'Connection' });
    await page.getByRole('button', { name: 'Start recording' }).click();
    await expect(status).toHaveText('Listening', { timeout: 15_000 });
    await page.waitForTimeout(2500); // mid-sentence: the clip speaks for about 6 s

    // The network goes: every connection is killed, and the server takes 1.5 s to come back.
    const drop = await page.request.post('/__faults/drop?holdMs=1500');
    expect(await drop.json()).toMatchObject({ dropped: 1 });
    await expect(status).toHaveText(/^Reconnecting… \(attempt \d\)$/);
    await expect(page.getByRole('button', { name: 'Stop recording' })).toBeVisible(); // still recording
    await expect(status).toHaveText('Listening', { timeout: 15_000 });

    const vad = page.getByRole('status', { name: 'Voice activity' });
    await expect(vad).toHaveText('Silence', { timeout: 20_000 });
    const log = page.getByRole('log', { name: 'Transcript' });
    await expect(log).not.toBeEmpty({ timeout: 10_000 });
    await page.waitForTimeout(1500); // the engine's own end of utterance, as in an undisturbed dictation
    await page.getByRole('button', { name: 'Stop recording' }).click();
    await expect(page.getByRole('button', { name: 'Start recording' })).toBeEnabled({ timeout: 15_000 });

    await page.getByRole('button', { name: 'Copy transcript' }).click();
    const transcript = await page.evaluate(() => navigator.clipboard.readText());
    const wer = wordErrorRate(reference, transcript);
    console.log(
      `${provider} with a drop\nreference: ${reference}\ndirect:    at most ${most} word errors at 20 sub-frame offsets\nbrowser:   ${transcript} (WER ${(wer * 100).toFixed(1)}%)`,
    );
    // As good as without the drop (the same bound as the dictation test: the worst offset plus one word for
    // the two resamplings), and no word twice.
    expect(wordEdits(reference, transcript), transcript).toBeLessThanOrEqual(most + 1);
    const words = transcript.split(' ');
    expect(words.length).toBeLessThanOrEqual(reference.split(' ').length + 2);
    await expect(page.getByRole('alert')).toHaveCount(0);
  });
}

test('a denied microphone gives a sentence that says what to do, and no connection is opened', async ({ page }) => {
  await page.addInitScript(() => {
    navigator.mediaDevices.getUserMedia = () => Promise.reject(new DOMException('Permission denied', 'NotAllowedError'));
  });
  const sockets: string[] = [];
  page.on('websocket', (ws) => sockets.push(ws.url()));
  await page.goto('/');
  await page.getByRole('button', { name: 'Start recording' }).click();
  await expect(page.getByRole('alert')).toContainText('Microphone access is blocked. Allow the microphone for this site in your browser');
  await expect(page.getByRole('status', { name: 'Connection' })).toHaveText('Stopped');
  await page.waitForTimeout(500);
  expect(sockets).toEqual([]);
});

test('an unplugged microphone ends the dictation cleanly, keeping the words, without reconnecting', async ({ page }) => {
  // Keeps the microphone track so the test can end it the way an unplugged device does.
  await page.addInitScript(() => {
    const original = navigator.mediaDevices.getUserMedia.bind(navigator.mediaDevices);
    navigator.mediaDevices.getUserMedia = async (constraints) => {
      const stream = await original(constraints);
      (window as unknown as { unplug: () => void }).unplug = () => stream.getAudioTracks()[0].dispatchEvent(new Event('ended'));
      return stream;
    };
  });
  const sockets: string[] = [];
  page.on('websocket', (ws) => sockets.push(ws.url()));
  await page.goto('/');
  await page.getByRole('button', { name: 'Start recording' }).click();
  const log = page.getByRole('log', { name: 'Transcript' });
  await expect(page.getByRole('status', { name: 'Connection' })).toHaveText('Listening', { timeout: 15_000 });
  await expect(page.getByRole('status', { name: 'Voice activity' })).toHaveText('Speech', { timeout: 10_000 });
  await page.waitForTimeout(4000);
  await page.evaluate(() => (window as unknown as { unplug: () => void }).unplug());
  await expect(page.getByRole('alert')).toContainText('The microphone was disconnected. Your transcript so far is kept', {
    timeout: 15_000,
  });
  await expect(page.getByRole('button', { name: 'Start recording' })).toBeEnabled();
  await expect(log).not.toBeEmpty();
  expect(sockets).toHaveLength(1);
});

test('a key never appears in the console or in the page', async ({ page }) => {
  const KEY = 'sk-e2e-secret-7f3a9c';
  const console: string[] = [];
  page.on('console', (m) => console.push(m.text()));
  page.on('pageerror', (e) => console.push(e.message));
  await openWith(page, 'Local engine (Speechall protocol)');
  await page.getByLabel('Auth method').selectOption({ label: 'Query parameter (api_key)' });
  await page.getByLabel('API key').fill(KEY);
  await page.getByRole('button', { name: 'Start recording' }).click();
  await expect(page.getByRole('status', { name: 'Connection' })).toHaveText('Listening', { timeout: 15_000 });
  await page.waitForTimeout(3000);
  await page.getByRole('button', { name: 'Stop recording' }).click();
  await expect(page.getByRole('button', { name: 'Start recording' })).toBeEnabled({ timeout: 15_000 });
  expect(await page.content()).not.toContain(KEY);
  expect(console.join('\n')).not.toContain(KEY);
  await expect(page.getByLabel('API key')).toHaveValue(KEY); // it is there, only as the field's value
});
