/**
 * Your words in the built app, with the real engine and the fixture clip 0870 ("and mister john
 * dashwood had then leisure to consider…"), which PocketSphinx mishears as "john guess would" without
 * help: a vocabulary word the local engine then hears, and a replacement rule that shows in the
 * transcript, the copy and every export format.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, test, type Page } from '@playwright/test';
import { seriousViolations } from './support/axe';
import { parseCues } from './support/captions';
import { chromiumLaunchOptions } from './support/chromium';
import { FIXTURES_DIR } from './support/fixtures';
import { chooseProvider } from './support/settings';

test.use({ launchOptions: chromiumLaunchOptions(join(FIXTURES_DIR, 'sense_and_sensibility_01_austen_64kb-0870.wav')) });

/** Dictates the clip (played once) and stops once its words are in. */
async function dictate(page: Page): Promise<string> {
  await page.getByRole('button', { name: 'Start recording' }).click();
  await expect(page.getByRole('status', { name: 'Connection' })).toHaveText('Listening', { timeout: 15_000 });
  const vad = page.getByRole('status', { name: 'Voice activity' });
  await expect(vad).toHaveText('Speech', { timeout: 10_000 });
  await expect(vad).toHaveText('Silence', { timeout: 25_000 });
  const log = page.getByRole('log', { name: 'Transcript' });
  await expect(log.locator('[data-segment]').first()).toBeVisible({ timeout: 15_000 });
  await page.getByRole('button', { name: 'Stop recording' }).click();
  await expect(page.getByRole('button', { name: 'Start recording' })).toBeEnabled({ timeout: 15_000 });
  return (await log.innerText()).replace(/\s+/g, ' ').trim();
}

/** Chooses an Export format and reads the file the browser saved. */
async function exportAs(page: Page, label: string): Promise<string> {
  await page.getByRole('button', { name: 'Export ▾' }).click();
  const [download] = await Promise.all([
    page.waitForEvent('download'),
    page.getByRole('list', { name: 'Export formats' }).getByRole('button', { name: label }).click(),
  ]);
  return readFileSync(await download.path(), 'utf8');
}

test('with Dashwood in the vocabulary, the local engine writes it where it heard "john guess would"', async ({ page }) => {
  test.setTimeout(120_000);
  await page.goto('/');
  await chooseProvider(page, 'Local engine (VoiceRun protocol)');
  const add = page.getByRole('form', { name: 'Add to the vocabulary' });
  await add.getByRole('textbox', { name: 'Word or phrase' }).fill('Dashwood');
  await add.getByRole('button', { name: 'Add word' }).click();
  await expect(page.getByRole('note', { name: 'What the service receives' })).toContainText('Sent: 1 of 1 term (Dashwood).');
  const text = await dictate(page);
  console.log(`with the vocabulary: ${text}`);
  expect(text).toMatch(/\bDashwood\b/);

  // The run's figures (docs/metrics.md): present and plausible, with the chart drawn.
  const figures = page.getByRole('region', { name: 'Session figures' });
  await figures.getByText('Session figures', { exact: true }).click();
  const value = (name: string) =>
    figures.getByRole('definition').filter({ has: page.locator(`xpath=preceding-sibling::dt[1][.="${name}"]`) });
  const latency = (await value('Final latency after end of speech').innerText()).trim();
  const first = (await value('Time to first partial').innerText()).trim();
  console.log(`figures: first partial ${first}; final latency ${latency}`);
  const p50 = Number(/^p50 (-?\d+) ms/.exec(latency)?.[1]);
  expect(p50).toBeGreaterThanOrEqual(0);
  expect(p50).toBeLessThan(5000);
  expect(Number(/^p50 (\d+) ms/.exec(first)?.[1])).toBeLessThan(p50 + 10_000);
  await expect(figures.getByRole('img', { name: /^Final latency per utterance: \d+ ms at/ })).toBeVisible();
  await expect(figures.locator('canvas')).toHaveCount(1);
});

test('a replacement rule shows in the live transcript, the copy and every export; the service’s words stay in raw', async ({ page }) => {
  test.setTimeout(120_000);
  await page.goto('/');
  await chooseProvider(page, 'Local engine (Speechall protocol)');
  await page.getByRole('button', { name: 'Add rule' }).click();
  await page.getByRole('textbox', { name: 'Find (rule 1)' }).fill('leisure');
  await page.getByRole('textbox', { name: 'Replace with (rule 1)' }).fill('free time');
  await page.getByRole('textbox', { name: 'Try the rules on' }).fill('at leisure to consider');
  await expect(page.getByRole('status', { name: 'After the rules' })).toHaveText('at free time to consider');
  await page.getByRole('form', { name: 'Add to the vocabulary' }).getByRole('textbox', { name: 'Word or phrase' }).fill('Norland');
  await page.getByRole('button', { name: 'Add word' }).click();
  expect(await seriousViolations(page), 'Settings with the words editors').toEqual([]);
  const shown = await dictate(page);
  console.log(`with the rule: ${shown}`);
  expect(shown).toContain('free time');
  expect(shown).not.toMatch(/\bleisure\b/);

  await page.getByRole('button', { name: 'Copy transcript' }).click();
  await expect(page.getByRole('status', { name: 'Transcript action result' })).toHaveText('Copied');
  const copied = await page.evaluate(() => navigator.clipboard.readText());
  expect(copied).toContain('free time');

  expect(await exportAs(page, 'Text (.txt)')).toContain('free time');
  expect(await exportAs(page, 'Markdown (.md)')).toContain('free time');
  for (const label of ['Subtitles (.srt)', 'WebVTT subtitles (.vtt)']) {
    const cues = parseCues(await exportAs(page, label));
    expect(cues.flatMap((c) => c.lines).join(' ')).toContain('free time');
  }
  const json = JSON.parse(await exportAs(page, 'JSON with times (.json)')) as { segments: { text: string; raw?: string }[] };
  const ruled = json.segments.find((s) => s.text.includes('free time'));
  expect(ruled?.raw).toMatch(/\bleisure\b/);
  expect(ruled?.raw).not.toContain('free time');
});
