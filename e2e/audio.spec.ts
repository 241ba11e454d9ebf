/**
 * Keeping the audio (docs/protocols.md, "Keeping audio"): a dictation's audio is stored as it is
 * recorded, comes back after a reload, plays in step with its words, and exports as a WAV (and an Ogg Opus file) whose
 * duration is the session's and which PocketSphinx hears as the live run did.
 */
import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import { expect, test, type Page } from '@playwright/test';
import { E2E_CLIP } from '../playwright.config';
import { loadPocketSphinx } from '../server/engine/pocketsphinx';
import { directAtOffsets } from './support/baseline';
import { transcribeDirect } from './support/direct';
import { referenceFor } from './support/fixtures';
import { chooseProvider } from './support/settings';
import { readWav } from './support/wav';
import { wordEdits, wordErrorRate } from './support/wer';

/** Dictates the clip through a local dialect and stops once its words are in. */
async function dictate(page: Page, provider: string): Promise<void> {
  await chooseProvider(page, provider);
  await page.getByRole('button', { name: 'Start recording' }).click();
  await expect(page.getByRole('status', { name: 'Connection' })).toHaveText('Listening', { timeout: 15_000 });
  const vad = page.getByRole('status', { name: 'Voice activity' });
  await expect(vad).toHaveText('Speech', { timeout: 10_000 });
  await expect(vad).toHaveText('Silence', { timeout: 20_000 });
  await expect(page.getByRole('log', { name: 'Transcript' })).not.toBeEmpty({ timeout: 10_000 });
  await page.getByRole('button', { name: 'Stop recording' }).click();
  await expect(page.getByRole('button', { name: 'Start recording' })).toBeEnabled({ timeout: 10_000 });
}

/** The position slider's value, ms. */
async function positionMs(page: Page): Promise<number> {
  return Number(await page.getByRole('slider', { name: 'Position' }).inputValue());
}

// The yardstick for audio transcribed again: PocketSphinx on the clip at 20 sub-frame offsets (e2e/support/baseline.ts).
test.beforeAll(async () => {
  test.setTimeout(300_000);
  await directAtOffsets();
});

test('the audio of a dictation is kept: after a reload it plays in step with its words, and exports as WAV and as Ogg Opus', async ({
  page,
}) => {
  test.setTimeout(120_000);
  const pageErrors: string[] = [];
  page.on('pageerror', (e) => pageErrors.push(e.message));
  await page.goto('/');
  await dictate(page, 'Local engine (Reson8 protocol)');
  const log = page.getByRole('log', { name: 'Transcript' });
  const live = (await log.innerText()).replace(/\s+/g, ' ').trim();

  // The page is reloaded: the session and its audio come back from IndexedDB.
  await page.reload();
  await expect(log)
    .toHaveText(live.split(' ')[0], { timeout: 15_000, useInnerText: true })
    .catch(() => undefined);
  const player = page.getByRole('region', { name: 'Playback' });
  await expect(player).toContainText(/Audio kept: \d+:\d\d, \d+(\.\d)? (kB|MB) \(Opus\)/, { timeout: 15_000 });

  // Play: the position advances and the sentence being played is marked.
  await player.getByRole('button', { name: 'Play' }).click();
  await expect(player.getByRole('button', { name: 'Pause' })).toBeVisible();
  await expect.poll(() => positionMs(page), { timeout: 10_000 }).toBeGreaterThan(500);
  await expect(log.locator('[data-segment][aria-current="true"]')).toHaveCount(1, { timeout: 15_000 });
  const firstMarked = await log.locator('[aria-current="true"][data-ms]').getAttribute('data-ms', { timeout: 10_000 });
  await expect
    .poll(async () => log.locator('[aria-current="true"][data-ms]').getAttribute('data-ms'), { timeout: 10_000 })
    .not.toBe(firstMarked);
  await player.getByRole('button', { name: 'Pause' }).click();

  // A click on a word plays from there.
  const words = log.locator('[data-ms]');
  const count = await words.count();
  expect(count).toBeGreaterThan(3);
  const target = words.nth(Math.floor(count * 0.75));
  const targetMs = Number(await target.getAttribute('data-ms'));
  await target.click();
  await expect.poll(() => positionMs(page), { timeout: 5_000 }).toBeGreaterThanOrEqual(targetMs - 50);
  await expect(target).toHaveAttribute('aria-current', 'true', { timeout: 5_000 });
  await player.getByRole('button', { name: 'Pause' }).click();

  // Speed is a choice of the player, and the slider is keyboard operable.
  await player.getByRole('combobox', { name: 'Speed' }).selectOption('1.5');
  const slider = player.getByRole('slider', { name: 'Position' });
  await slider.focus();
  await page.keyboard.press('Home');
  await expect.poll(() => positionMs(page)).toBe(0);

  // Export WAV: 16 kHz PCM16, as long as the kept audio, covering every segment.
  const [download] = await Promise.all([page.waitForEvent('download'), player.getByRole('button', { name: 'Export audio (WAV)' }).click()]);
  expect(download.suggestedFilename()).toMatch(/^dictate-\d{4}-\d\d-\d\d-\d{4}-.+\.wav$/);
  const wav = readFileSync(await download.path());
  expect(wav.toString('ascii', 0, 4)).toBe('RIFF');
  const rate = wav.readUInt32LE(24);
  expect(rate).toBe(16_000);
  expect(wav.readUInt16LE(34)).toBe(16);
  const samples = new Int16Array(wav.buffer.slice(wav.byteOffset + 44, wav.byteOffset + wav.length));
  const wavMs = (samples.length / rate) * 1000;
  const lastWordMs = Math.max(...(await words.evaluateAll((els) => els.map((e) => Number((e as HTMLElement).dataset.ms)))));
  expect(wavMs).toBeGreaterThan(lastWordMs);
  const shown = await slider.getAttribute('aria-valuetext');
  const [, m, s] = /of (\d+):(\d\d)$/.exec(shown ?? '') ?? [];
  expect(Math.abs(wavMs / 1000 - (Number(m) * 60 + Number(s)))).toBeLessThanOrEqual(1);

  // The stored audio, transcribed again by PocketSphinx, is heard as well as the clip itself: within its
  // worst sub-frame offset plus one word (Opus changes PocketSphinx's words as any change to the samples
  // does; docs/protocols.md, "Keeping audio", gives the measurement).
  const engine = loadPocketSphinx({ poolSize: 1 });
  const again = await transcribeDirect(engine, samples);
  const most = Math.max(...(await directAtOffsets()).map((r) => r.errors));
  const reference = referenceFor(basename(E2E_CLIP));
  console.log(
    `live:  ${live}\nagain: ${again.text} (${wordEdits(live.toLowerCase(), again.text)} words apart; ${wordEdits(reference, again.text)} errors, the clip's worst offset ${most}; ${(wav.length / 1000).toFixed(0)} kB WAV of ${(wavMs / 1000).toFixed(1)} s)`,
  );
  expect(wordEdits(reference, again.text)).toBeLessThanOrEqual(most + 1);

  // Export Opus: an Ogg Opus file (the stored packets, muxed), named like the WAV, which the browser
  // decodes to the same length and PocketSphinx hears as well.
  const [opusDownload] = await Promise.all([
    page.waitForEvent('download'),
    player.getByRole('button', { name: 'Export audio (Opus)' }).click(),
  ]);
  expect(opusDownload.suggestedFilename()).toBe(download.suggestedFilename().replace(/\.wav$/, '.ogg'));
  const ogg = readFileSync(await opusDownload.path());
  expect(ogg.toString('ascii', 0, 4)).toBe('OggS');
  expect(ogg.length).toBeLessThan(wav.length / 5);
  const decoded = await page.evaluate(async (bytes) => {
    const data = Uint8Array.from(atob(bytes), (c) => c.charCodeAt(0));
    const audio = await new OfflineAudioContext(1, 1, 16_000).decodeAudioData(data.buffer);
    return { rate: audio.sampleRate, samples: Array.from(audio.getChannelData(0), (x) => Math.round(x * 32767)) };
  }, ogg.toString('base64'));
  expect(decoded.rate).toBe(16_000);
  expect(Math.abs(decoded.samples.length / 16 - wavMs)).toBeLessThan(100);
  const fromOgg = await transcribeDirect(engine, Int16Array.from(decoded.samples));
  console.log(`ogg:   ${fromOgg.text} (${(ogg.length / 1000).toFixed(0)} kB Ogg Opus)`);
  expect(wordEdits(reference, fromOgg.text)).toBeLessThanOrEqual(most + 1);
  expect(pageErrors).toEqual([]);
});

test('a server down for longer than the journal holds: once it is back, the kept audio is replayed and every word arrives, none twice', async ({
  page,
}) => {
  test.setTimeout(120_000);
  const reference = referenceFor(basename(E2E_CLIP));
  const most = Math.max(...(await directAtOffsets()).map((r) => r.errors));
  const direct = await transcribeDirect(loadPocketSphinx({ poolSize: 1 }), readWav(E2E_CLIP).samples);
  // The journal holds 1.5 s here (a diagnostic setting): the 4 s outage outlasts it.
  await page.addInitScript(() => localStorage.setItem('dictate-journal-seconds', '1.5'));
  await page.goto('/');
  await chooseProvider(page, 'Local engine (Reson8 protocol)');
  const status = page.getByRole('status', { name: 'Connection' });
  await page.getByRole('button', { name: 'Start recording' }).click();
  await expect(status).toHaveText('Listening', { timeout: 15_000 });
  await page.waitForTimeout(1500); // mid-sentence
  const drop = await page.request.post('/__faults/drop?holdMs=4000');
  expect(await drop.json()).toMatchObject({ dropped: 1 });
  await expect(status).toHaveText(/^Reconnecting… \(attempt \d\)$/);
  await expect(status).toHaveText('Listening', { timeout: 30_000 });
  const log = page.getByRole('log', { name: 'Transcript' });
  await expect(page.getByRole('status', { name: 'Voice activity' })).toHaveText('Silence', { timeout: 20_000 });
  await expect(log).not.toBeEmpty({ timeout: 10_000 });
  await page.waitForTimeout(1500);
  await page.getByRole('button', { name: 'Stop recording' }).click();
  await expect(page.getByRole('button', { name: 'Start recording' })).toBeEnabled({ timeout: 15_000 });
  const transcript = (await log.innerText()).replace(/\s+/g, ' ').trim();
  const wer = wordErrorRate(reference, transcript);
  console.log(`outage past the journal\nreference: ${reference}\nbrowser:   ${transcript} (WER ${(wer * 100).toFixed(1)}%)`);
  // Nothing missing: no "could not be kept", and as good as without the outage; nothing twice.
  await expect(page.getByRole('alert')).toHaveCount(0);
  expect(wer).toBeLessThanOrEqual(Math.max(wordErrorRate(reference, direct.text) + 0.1, (most + 2) / reference.split(' ').length));
  expect(transcript.split(' ').length).toBeLessThanOrEqual(reference.split(' ').length + 2);
});

test('transcribe the kept audio again with another local dialect: a new version, and the versions can be switched and deleted', async ({
  page,
}) => {
  test.setTimeout(150_000);
  const reference = referenceFor(basename(E2E_CLIP));
  const most = Math.max(...(await directAtOffsets()).map((r) => r.errors));
  await page.goto('/');
  await dictate(page, 'Local engine (VoiceRun protocol)');
  const log = page.getByRole('log', { name: 'Transcript' });
  const recorded = (await log.innerText()).replace(/\s+/g, ' ').trim();
  const player = page.getByRole('region', { name: 'Playback' });
  await expect(player).toContainText(/Audio kept/, { timeout: 15_000 });
  const keptBefore = /Audio kept: [^)]*\)/.exec(await player.innerText())?.[0];

  // Again, through the Speechall dialect: the transcript empties and fills with the new version's words.
  await player
    .getByRole('combobox', { name: 'Transcribe again with' })
    .selectOption({ label: 'Local engine (PocketSphinx, offline) (Speechall protocol)' });
  await player.getByRole('button', { name: 'Transcribe again' }).click();
  await expect(page.getByRole('button', { name: 'Start recording' })).toBeEnabled({ timeout: 60_000 });
  await expect(log).not.toBeEmpty({ timeout: 10_000 });
  const again = (await log.innerText()).replace(/\s+/g, ' ').trim();
  console.log(`recorded (VoiceRun): ${recorded}\nagain (Speechall):   ${again}`);
  expect(wordEdits(reference, again)).toBeLessThanOrEqual(most + 1);
  // The audio is not kept a second time.
  await expect(player).toContainText(keptBefore!, { timeout: 15_000 });

  // Two versions: the new one shown; the recorded one comes back when chosen.
  const versions = player.getByRole('combobox', { name: 'Version' });
  await expect(versions.locator('option')).toHaveCount(2);
  await expect(versions.locator('option:checked')).toHaveText(/^2\. Local engine \(PocketSphinx, offline\) \(Speechall protocol\)/);
  await versions.selectOption({ index: 0 });
  await expect(log).toHaveText(recorded, { useInnerText: true, timeout: 10_000 });

  // After a reload the version shown is the one chosen; deleting the other leaves one.
  await page.reload();
  await expect(log).toHaveText(recorded, { useInnerText: true, timeout: 15_000 });
  await versions.selectOption({ index: 1 });
  await expect(log).toHaveText(again, { useInnerText: true, timeout: 10_000 });
  page.once('dialog', (d) => void d.accept());
  await player.getByRole('button', { name: 'Delete this version' }).click();
  await expect(versions).toHaveCount(0);
  await expect(log).toHaveText(recorded, { useInnerText: true, timeout: 10_000 });
});

test('a reload mid-dictation leaves the audio with no text marked, and one click transcribes it', async ({ page }) => {
  test.setTimeout(120_000);
  await page.goto('/');
  await chooseProvider(page, 'Local engine (Reson8 protocol)');
  await page.getByRole('button', { name: 'Start recording' }).click();
  await expect(page.getByRole('status', { name: 'Connection' })).toHaveText('Listening', { timeout: 15_000 });
  await expect(page.getByRole('status', { name: 'Voice activity' })).toHaveText('Speech', { timeout: 10_000 });
  await page.waitForTimeout(3500); // mid-sentence: more than a chunk (1 s) of audio is stored
  await page.reload();
  const player = page.getByRole('region', { name: 'Playback' });
  const marker = player.getByText(/^\d+:\d\d of audio has no text yet\./);
  await expect(marker).toBeVisible({ timeout: 15_000 });
  const log = page.getByRole('log', { name: 'Transcript' });
  const before = (await log.innerText()).replace(/\s+/g, ' ').trim();
  await player.getByRole('button', { name: 'Transcribe it' }).click();
  await expect(page.getByRole('button', { name: 'Start recording' })).toBeEnabled({ timeout: 60_000 });
  await expect(marker).toHaveCount(0, { timeout: 10_000 });
  const after = (await log.innerText()).replace(/\s+/g, ' ').trim();
  console.log(`before: ${before}\nafter:  ${after}`);
  expect(after.split(' ').length).toBeGreaterThan(before.split(' ').filter(Boolean).length + 2);
  // The words of the clip's opening, which the reload cut off, are there now.
  expect(after).toMatch(/married/);
});
