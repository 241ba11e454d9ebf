/**
 * Takes the README's screenshots: `npx tsx scripts/screenshots.ts` with `npm start` running on
 * PORT (default 8787). The fake microphone plays the e2e clip through the local engine (Reson8 dialect,
 * word detail), then History is opened; then two local dialects are compared on the same clip.
 */
import { chromium } from '@playwright/test';
import { E2E_CLIP } from '../playwright.config';
import { chromiumLaunchOptions } from '../e2e/support/chromium';
import { chooseProvider } from '../e2e/support/settings';

const base = `http://localhost:${process.env.PORT ?? 8787}`;
const browser = await chromium.launch(chromiumLaunchOptions(E2E_CLIP));
try {
  const context = await browser.newContext({ viewport: { width: 1000, height: 760 }, permissions: ['microphone'] });
  const page = await context.newPage();
  await page.goto(base);
  await chooseProvider(page, 'Local engine (Reson8 protocol)');
  await page.getByRole('button', { name: 'Start recording' }).click();
  await page.locator('summary', { hasText: 'Settings' }).click();
  await page.getByRole('status', { name: 'Voice activity' }).getByText('Speech').waitFor({ timeout: 15_000 });
  // The first sentence final (uncertain words underlined), still listening.
  await page.locator('[role="log"] [data-segment]').first().waitFor({ timeout: 30_000 });
  await page.screenshot({ path: 'docs/screenshot.png' });
  await page.getByRole('button', { name: 'Stop recording' }).click();
  await page.getByRole('button', { name: 'Start recording' }).waitFor({ timeout: 15_000 });
  // The dark theme, as a system set to dark gets it.
  await page.emulateMedia({ colorScheme: 'dark' });
  await page.screenshot({ path: 'docs/screenshot-dark.png' });
  await page.emulateMedia({ colorScheme: 'light' });
  await page.getByRole('button', { name: 'History' }).click();
  await page.getByRole('list', { name: 'Sessions' }).waitFor();
  await page.screenshot({ path: 'docs/screenshot-history.png' });
  const phone = await browser.newPage({ viewport: { width: 390, height: 844 } });
  await phone.goto(base);
  await phone.screenshot({ path: 'docs/screenshot-phone.png', fullPage: true });
} finally {
  await browser.close();
}

// A comparison of two local dialects on the same clip (a browser of its own: the fake microphone plays the clip once).
const comparing = await chromium.launch(chromiumLaunchOptions(E2E_CLIP));
try {
  const page = await comparing.newPage({ viewport: { width: 1000, height: 760 } });
  await page.context().grantPermissions(['microphone']);
  await page.goto(base);
  await page.getByRole('button', { name: 'Compare', exact: true }).click();
  await page.getByRole('button', { name: 'Compare from the microphone' }).click();
  await page.getByText('Listening').first().waitFor({ timeout: 20_000 });
  await page.waitForTimeout(10_000); // the clip, and the engine's end of utterance
  await page.getByRole('button', { name: 'Stop comparing' }).click();
  await page.getByRole('table', { name: /Figures per service/ }).waitFor({ timeout: 30_000 });
  await page
    .getByRole('img', { name: /Final latency per utterance/ })
    .locator('canvas')
    .waitFor();
  await page.getByRole('region', { name: 'Compare services' }).screenshot({ path: 'docs/screenshot-compare.png' });
} finally {
  await comparing.close();
}
