/**
 * What recording costs the page's main thread, in headless Chromium against the built app and the local
 * engine (Reson8 dialect): the fraction of wall time the main thread ran tasks, and layouts and style
 * recalculations per second, over 5 s of recording (CDP `Performance.getMetrics`). Beside them, the rate
 * of transcript updates (React commits that changed the transcript, counted by a MutationObserver): a
 * partial should cost about one layout.
 *
 * Cases: speech (the five LibriVox clips back to back, 25 s) and near-silence (−60 dBFS white noise).
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium } from '@playwright/test';
import { chromiumLaunchOptions } from '../e2e/support/chromium';
import { chooseProvider } from '../e2e/support/settings';
import { startServer } from './server';

const TESTDATA = '/usr/share/pocketsphinx/test/data/librivox';
const CLIPS = ['0870', '0880', '0890', '0920', '0930'].map((n) => join(TESTDATA, `sense_and_sensibility_01_austen_64kb-${n}.wav`));
/** The measured window, s. */
const WINDOW_S = 5;

export interface RecordingRow {
  readonly input: 'speech' | 'near-silence';
  /** Main-thread task time over wall time, %. */
  readonly mainThreadPercent: number;
  readonly layoutsPerSecond: number;
  readonly styleRecalcsPerSecond: number;
  /** Commits that changed the transcript's DOM, per second (partials and finals). */
  readonly transcriptUpdatesPerSecond: number;
}

type Metrics = Record<string, number>;

async function measure(baseUrl: string, clip: string, input: RecordingRow['input']): Promise<RecordingRow> {
  const browser = await chromium.launch(chromiumLaunchOptions(clip));
  try {
    const page = await browser.newPage();
    await page.goto(baseUrl);
    await chooseProvider(page, 'Local engine (Reson8 protocol)');
    await page.locator('summary', { hasText: 'Settings' }).click();
    await page.getByRole('button', { name: 'Start recording' }).click();
    await page.getByRole('status', { name: 'Connection' }).getByText('Listening').waitFor({ timeout: 15_000 });
    if (input === 'speech') await page.getByRole('status', { name: 'Voice activity' }).getByText('Speech').waitFor({ timeout: 15_000 });
    else await page.waitForTimeout(2000);
    await page.evaluate(() => {
      const log = document.querySelector('[role="log"]');
      const w = window as unknown as { updates: number };
      w.updates = 0;
      if (log) new MutationObserver(() => w.updates++).observe(log, { childList: true, subtree: true, characterData: true });
    });
    const cdp = await page.context().newCDPSession(page);
    await cdp.send('Performance.enable');
    const read = async (): Promise<Metrics> =>
      Object.fromEntries((await cdp.send('Performance.getMetrics')).metrics.map((m) => [m.name, m.value]));
    const before = await read();
    await page.waitForTimeout(WINDOW_S * 1000);
    const after = await read();
    const updates = await page.evaluate(() => (window as unknown as { updates: number }).updates);
    const wall = after.Timestamp - before.Timestamp;
    const per = (name: string) => Number(((after[name] - before[name]) / wall).toFixed(1));
    await page.getByRole('button', { name: 'Stop recording' }).click();
    return {
      input,
      mainThreadPercent: Number((((after.TaskDuration - before.TaskDuration) / wall) * 100).toFixed(1)),
      layoutsPerSecond: per('LayoutCount'),
      styleRecalcsPerSecond: per('RecalcStyleCount'),
      transcriptUpdatesPerSecond: Number((updates / wall).toFixed(1)),
    };
  } finally {
    await browser.close();
  }
}

/** Both cases, against a server started on its own port. */
export async function benchRecording(): Promise<RecordingRow[]> {
  const dir = mkdtempSync(join(tmpdir(), 'dictate-recording-'));
  const speech = join(dir, 'speech.wav');
  const quiet = join(dir, 'near-silence.wav');
  execFileSync('sox', [...CLIPS, speech]);
  execFileSync('sox', ['-n', '-r', '16000', '-c', '1', '-b', '16', quiet, 'synth', '15', 'whitenoise', 'vol', '0.001']);
  const port = 8798;
  const server = await startServer(port);
  try {
    return [
      await measure(`http://localhost:${port}/`, speech, 'speech'),
      await measure(`http://localhost:${port}/`, quiet, 'near-silence'),
    ];
  } finally {
    server.kill('SIGTERM');
    rmSync(dir, { recursive: true, force: true });
  }
}

export function printRecording(rows: readonly RecordingRow[]): void {
  console.log(`Recording (the page's main thread over ${WINDOW_S} s, Chromium, local engine)`);
  for (const r of rows)
    console.log(
      `  ${r.input}: main thread ${r.mainThreadPercent}% busy, ${r.layoutsPerSecond} layouts/s, ${r.styleRecalcsPerSecond} style recalcs/s, ${r.transcriptUpdatesPerSecond} transcript updates/s`,
    );
}
