/**
 * The transcript workspace in the built app: a real dictation kept in History across a reload, renamed,
 * searched, deleted and brought back, edited, exported in every format (and each file read back), a
 * long transcript scrolled, and axe scans of the idle, recording and History views.
 */
import { readFileSync } from 'node:fs';
import { expect, test, type Page } from '@playwright/test';
import { seriousViolations } from './support/axe';
import { parseCues } from './support/captions';
import { chooseProvider } from './support/settings';

/** Dictates the fake microphone's clip (played once) into the open session and stops. */
async function dictateClip(page: Page) {
  await page.getByRole('button', { name: 'Start recording' }).click();
  await expect(page.getByRole('status', { name: 'Connection' })).toHaveText('Listening', { timeout: 15_000 });
  const vad = page.getByRole('status', { name: 'Voice activity' });
  await expect(vad).toHaveText('Speech', { timeout: 10_000 });
  await expect(vad).toHaveText('Silence', { timeout: 20_000 });
  const log = page.getByRole('log', { name: 'Transcript' });
  await expect(log.locator('[data-segment]').first()).toBeVisible({ timeout: 10_000 });
  await page.getByRole('button', { name: 'Stop recording' }).click();
  await expect(page.getByRole('button', { name: 'Start recording' })).toBeEnabled({ timeout: 10_000 });
}

/** Chooses an Export format and reads the file the browser saved. */
async function exportAs(page: Page, label: string): Promise<{ name: string; text: string }> {
  await page.getByRole('button', { name: 'Export ▾' }).click();
  const [download] = await Promise.all([
    page.waitForEvent('download'),
    page.getByRole('list', { name: 'Export formats' }).getByRole('button', { name: label }).click(),
  ]);
  return { name: download.suggestedFilename(), text: readFileSync(await download.path(), 'utf8') };
}

test('a dictation is kept in History across a reload, renamed, searched, deleted with Undo, edited and exported', async ({ page }) => {
  const pageErrors: string[] = [];
  page.on('pageerror', (e) => pageErrors.push(e.message));
  await page.goto('/');
  expect(await seriousViolations(page), 'idle view').toEqual([]);
  // The Reson8 dialect: word times and confidences (word-detail mode).
  await chooseProvider(page, 'Local engine (Reson8 protocol)');
  await page.locator('summary', { hasText: 'Settings' }).click();

  await page.getByRole('button', { name: 'Start recording' }).click();
  await expect(page.getByRole('status', { name: 'Connection' })).toHaveText('Listening', { timeout: 15_000 });
  expect(await seriousViolations(page), 'recording view').toEqual([]);
  await page.getByRole('button', { name: 'Stop recording' }).click();
  await expect(page.getByRole('button', { name: 'Start recording' })).toBeEnabled({ timeout: 10_000 });
  await page
    .getByRole('button', { name: 'New session' })
    .click({ trial: true })
    .catch(() => undefined);

  await dictateClip(page);
  const log = page.getByRole('log', { name: 'Transcript' });
  const spoken = (await log.innerText()).replace(/\s+/g, ' ').trim();
  expect(spoken.split(' ').length).toBeGreaterThan(5);

  // Reload: the session is there, and in History with its words.
  await page.reload();
  // As read (innerText): the first words may span two paragraphs.
  const firstWords = spoken.split(' ').slice(0, 3).join(' ');
  await expect.poll(async () => (await log.innerText()).replace(/\s+/g, ' ').trim(), { timeout: 10_000 }).toContain(firstWords);
  await page.getByRole('button', { name: 'History' }).click();
  const history = page.getByRole('region', { name: 'History' });
  await expect(history.getByRole('listitem').filter({ hasText: firstWords })).toHaveCount(1);
  expect(await seriousViolations(page), 'History view').toEqual([]);

  // Rename, then search by title and by text.
  const item = history.getByRole('listitem').filter({ hasText: firstWords });
  await item.getByRole('button', { name: /^Rename / }).click();
  await history.getByRole('textbox', { name: /^New title for / }).fill('Austen reading');
  await history.getByRole('textbox', { name: /^New title for / }).press('Enter');
  await expect(history.getByRole('heading', { name: /Austen reading/ })).toBeVisible();
  const search = history.getByRole('searchbox', { name: 'Search history' });
  await search.fill(spoken.split(' ')[1]);
  await expect(history.getByRole('heading', { name: /Austen reading/ })).toBeVisible();
  await search.fill('no such words anywhere');
  await expect(history.getByText('No session holds “no such words anywhere”.')).toBeVisible();
  await search.fill('');

  // Delete with Undo.
  await history.getByRole('button', { name: 'Delete Austen reading' }).click();
  await expect(history.getByRole('heading', { name: /Austen reading/ })).toHaveCount(0);
  await expect(log).not.toContainText(firstWords);
  await history.getByRole('button', { name: 'Undo' }).click();
  await history.getByRole('button', { name: 'Open Austen reading' }).click();
  await expect(log).toContainText(firstWords);

  // Edit the first segment from the keyboard; the edit survives a reload.
  await log.focus();
  await page.keyboard.press('ArrowDown');
  await page.keyboard.press('Enter');
  const editor = log.getByRole('textbox', { name: 'Edit segment 1' });
  await editor.fill('Edited by hand.');
  await editor.press('Enter');
  await expect(log.locator('[data-segment="1"]')).toHaveText('Edited by hand. (edited)');
  // A reload before the write lands would lose it: the page says when it is in History.
  await expect(page.getByText('Saved in History')).toBeVisible();
  await page.reload();
  await expect(log.locator('[data-segment="1"]')).toContainText('Edited by hand.');

  // Export every format and read each file back.
  const txt = await exportAs(page, 'Text (.txt)');
  expect(txt.name).toMatch(/^dictate-\d{4}-\d\d-\d\d-\d{4}-austen-reading\.txt$/);
  expect(txt.text.startsWith('Edited by hand.')).toBe(true);
  const md = await exportAs(page, 'Markdown (.md)');
  expect(md.text).toMatch(
    /^# Austen reading\n\n\*\d{4}-\d\d-\d\d \d\d:\d\d · \d+:\d\d · Local engine \(PocketSphinx, offline\)\*\n\nEdited by hand\./,
  );
  for (const label of ['Subtitles (.srt)', 'WebVTT subtitles (.vtt)']) {
    const { name, text } = await exportAs(page, label);
    expect(name).toMatch(/\.(srt|vtt)$/);
    const cues = parseCues(text);
    expect(cues.length).toBeGreaterThan(0);
    let previousEnd = 0;
    for (const cue of cues) {
      expect(cue.start).toBeGreaterThanOrEqual(previousEnd);
      expect(cue.end - cue.start).toBeLessThanOrEqual(7);
      expect(cue.lines.length).toBeLessThanOrEqual(2);
      for (const line of cue.lines) expect(line.length).toBeLessThanOrEqual(42);
      previousEnd = cue.end;
    }
    expect(cues.flatMap((c) => c.lines).join(' ')).toContain('Edited by hand.');
  }
  const json = JSON.parse((await exportAs(page, 'JSON with times (.json)')).text) as {
    title: string;
    segments: {
      id: number;
      text: string;
      raw?: string;
      start: number;
      end: number;
      words: { text: string; start: number; end: number }[];
    }[];
  };
  expect(json.title).toBe('Austen reading');
  expect(json.segments[0]).toMatchObject({ id: 1, text: 'Edited by hand.', edited: true });
  expect(typeof json.segments[0].raw).toBe('string');
  for (const s of json.segments) {
    expect(s.end).toBeGreaterThanOrEqual(s.start);
    expect(s.words.length).toBeGreaterThan(0); // Reson8 gives word times
    for (const w of s.words) expect(w.start).toBeGreaterThanOrEqual(s.start);
  }
  expect(pageErrors).toEqual([]);
});

test('a long transcript scrolls: the reader keeps their place, and "Jump to latest" brings them back', async ({ page }) => {
  // A transcript saved by the previous version (localStorage) becomes a first session: 400 segments.
  await page.goto('/');
  await page.evaluate(() => {
    const segments = Array.from({ length: 400 }, (_, i) => ({ id: i + 1, text: `Sentence number ${i + 1} of a long dictation.` }));
    localStorage.setItem(
      'dictate',
      JSON.stringify({ state: { settings: { provider: 'local-voicerun', profiles: {} }, segments }, version: 2 }),
    );
  });
  await page.reload();
  const log = page.getByRole('log', { name: 'Transcript' });
  await expect(log).toContainText('Sentence number 400 of a long dictation.');
  // It opens at the latest words.
  await expect(log.getByText('Sentence number 400 of a long dictation.')).toBeInViewport();
  await log.evaluate((el) => el.scrollTo({ top: 0 }));
  await expect(log.getByText('Sentence number 1 of a long dictation.')).toBeInViewport();
  await page.getByRole('button', { name: 'Jump to latest' }).click();
  await expect(log.getByText('Sentence number 400 of a long dictation.')).toBeInViewport();
  await expect(page.getByRole('button', { name: 'Jump to latest' })).toHaveCount(0);
  await page.getByRole('button', { name: 'History' }).click();
  await expect(
    page.getByRole('region', { name: 'History' }).getByRole('heading', { name: /Transcript from before History/ }),
  ).toBeVisible();
});

test('reloading mid-dictation keeps every final: the session comes back marked as interrupted', async ({ page }) => {
  await page.goto('/');
  await page.getByRole('button', { name: 'Start recording' }).click();
  await expect(page.getByRole('status', { name: 'Connection' })).toHaveText('Listening', { timeout: 15_000 });
  const log = page.getByRole('log', { name: 'Transcript' });
  const first = log.locator('[data-segment]').first();
  await expect(first).toBeVisible({ timeout: 30_000 });
  const kept = (await first.innerText()).trim();
  // The tab goes away while the microphone is still on.
  await page.reload();
  await expect(page.getByText(/This session was interrupted/)).toBeVisible();
  await expect(log).toContainText(kept);
  await page.getByRole('button', { name: 'History' }).click();
  const item = page.getByRole('region', { name: 'History' }).getByRole('listitem').first();
  await expect(item).toContainText('Interrupted');
  await expect(item.getByRole('heading')).toContainText(kept.split(' ')[0]);
});
