/**
 * Compare services in the built app and a real Chromium: one fake microphone (the fixture clip) heard
 * by two local dialects at once through the real engine; one dialect's connections killed mid-way
 * (the fault switch narrowed to its endpoint) while the other goes on; then the figures, the word
 * differences, the exports, History and an axe scan.
 */
import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import { expect, test, type Page } from '@playwright/test';
import { E2E_CLIP } from '../playwright.config';
import { RESON8_PATH } from '../src/protocol/reson8-contract';
import { seriousViolations } from './support/axe';
import { referenceFor } from './support/fixtures';
import { wordErrorRate } from './support/wer';

const VOICERUN = 'Local engine (PocketSphinx, offline) (VoiceRun protocol)';
const RESON8 = 'Local engine (PocketSphinx, offline) (Reson8 protocol)';
const reference = referenceFor(basename(E2E_CLIP));

/** Clicks an export button and reads the file the browser saved. */
async function saved(page: Page, name: string): Promise<string> {
  const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name }).click()]);
  return readFileSync(await download.path(), 'utf8');
}

interface ExportedColumn {
  label: string;
  text: string;
  figures: {
    firstPartialMs: { p50: number | null };
    finalLatencyMs: { count: number; p50: number | null; p95: number | null };
    finalLatencySeries: { atSeconds: number; latencyMs: number }[];
    sendDelayMs: { count: number; p50: number | null; p99: number | null };
    reconnects: number;
  } | null;
  score: { wer: number | null };
}

test('two local dialects compared on one microphone: both columns fill, one reconnects alone, and the results score, diff, export and keep', async ({
  page,
}) => {
  test.setTimeout(150_000);
  await page.goto('/');
  await page.getByRole('button', { name: 'Compare', exact: true }).click();
  const compare = page.getByRole('region', { name: 'Compare services' });
  await expect(compare.getByRole('checkbox', { name: VOICERUN })).toBeChecked();
  await expect(compare.getByRole('checkbox', { name: RESON8 })).toBeChecked();
  await compare.getByRole('button', { name: 'Compare from the microphone' }).click();

  const voicerun = compare.getByRole('region', { name: VOICERUN });
  const reson8 = compare.getByRole('region', { name: RESON8 });
  await expect(voicerun.getByRole('status')).toHaveText('Listening', { timeout: 20_000 });
  await expect(reson8.getByRole('status')).toHaveText('Listening', { timeout: 20_000 });
  await page.waitForTimeout(2500); // mid-sentence: the clip speaks for about 6 s

  // Reson8's connection is killed and held for 1.5 s; VoiceRun's is not touched.
  const drop = await page.request.post(`/__faults/drop?holdMs=1500&path=${encodeURIComponent(RESON8_PATH)}`);
  expect(await drop.json()).toMatchObject({ dropped: 1 });
  await expect(reson8.getByRole('status')).toHaveText(/^Reconnecting… \(attempt \d\)$/);
  await expect(voicerun.getByRole('status')).toHaveText('Listening');
  await expect(reson8.getByRole('status')).toHaveText('Listening', { timeout: 20_000 });

  // Both hear the whole clip; then Stop.
  await expect(voicerun.getByLabel(`Words from ${VOICERUN}`)).not.toHaveText('No words yet.', { timeout: 20_000 });
  await expect(reson8.getByLabel(`Words from ${RESON8}`)).not.toHaveText('No words yet.', { timeout: 20_000 });
  await page.waitForTimeout(6000); // the rest of the clip, and the engine's end of utterance
  await compare.getByRole('button', { name: 'Stop comparing' }).click();
  const table = compare.getByRole('table', { name: `Figures per service (WER against ${VOICERUN})` });
  await expect(table).toBeVisible({ timeout: 30_000 });
  // A column per service, a row per figure.
  await expect(table.getByRole('columnheader')).toHaveText(['Figure', VOICERUN, RESON8]);
  await expect(table.getByRole('row', { name: /^WER/ }).getByRole('cell')).toHaveText(['–', /^\d+\.\d %$/]);
  await expect(compare.getByLabel(`Differences of ${RESON8}`)).not.toBeEmpty();
  await expect(compare.getByRole('img', { name: /^Final latency per utterance: / })).toBeVisible();

  // The exports parse, with plausible figures for both columns.
  const json = JSON.parse(await saved(page, 'Export comparison (JSON)')) as { columns: ExportedColumn[]; reference: { name: string } };
  expect(json.reference.name).toBe(VOICERUN);
  expect(json.columns.map((c) => c.label)).toEqual([VOICERUN, RESON8]);
  for (const c of json.columns) {
    const f = c.figures!;
    const wer = wordErrorRate(reference, c.text);
    console.log(
      `${c.label}: "${c.text}" (WER vs book ${(wer * 100).toFixed(1)} %); first partial p50 ${f.firstPartialMs.p50} ms; final latency p50/p95 ${f.finalLatencyMs.p50}/${f.finalLatencyMs.p95} ms (${f.finalLatencyMs.count}); capture → send p50/p99 ${f.sendDelayMs.p50}/${f.sendDelayMs.p99} ms; reconnects ${f.reconnects}`,
    );
    expect(wer).toBeLessThan(0.6);
    expect(f.finalLatencyMs.count).toBeGreaterThan(0);
    expect(f.finalLatencyMs.p50).toBeGreaterThanOrEqual(0);
    expect(f.finalLatencyMs.p50).toBeLessThan(5000);
    // The first partial came before the first final (both on the run's clock, from its first event).
    expect(f.firstPartialMs.p50).not.toBeNull();
    expect(f.firstPartialMs.p50!).toBeLessThan(f.finalLatencySeries[0].atSeconds * 1000);
    expect(f.sendDelayMs.count).toBeGreaterThan(100);
    expect(f.sendDelayMs.p50).toBeGreaterThanOrEqual(0);
  }
  expect(json.columns[0].figures!.reconnects).toBe(0);
  expect(json.columns[1].figures!.reconnects).toBe(1);
  expect(json.columns[1].score.wer).not.toBeNull();

  const csv = (await saved(page, 'Export comparison (CSV)')).trimEnd().split('\r\n');
  expect(csv).toHaveLength(3);
  expect(csv[0].startsWith('Service,Words,WER')).toBe(true);
  const md = await saved(page, 'Export comparison (Markdown)');
  expect(md).toContain(`## ${RESON8}`);
  expect(md).toMatch(/^\| Service \| Words \| WER \|/m);

  expect(await seriousViolations(page), 'the Compare view with results').toEqual([]);

  // Kept in History as one session, its versions the two columns.
  await expect(compare.getByText(/^Kept in History as “Comparison: /)).toBeVisible();
  await page.getByRole('button', { name: 'History' }).click();
  await expect(
    page
      .getByRole('region', { name: 'History' })
      .getByText(/Comparison: Local engine/)
      .first(),
  ).toBeVisible({ timeout: 10_000 });
});
