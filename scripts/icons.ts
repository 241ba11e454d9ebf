/**
 * Renders the app icons for the web app manifest from public/favicon.svg: `npx tsx scripts/icons.ts`.
 * 192 and 512 px as drawn, and a 512 px maskable one (the icon inside the safe zone, on its colour).
 */
import { readFileSync } from 'node:fs';
import { chromium } from '@playwright/test';
import { chromiumLaunchOptions } from '../e2e/support/chromium';

const svg = readFileSync('public/favicon.svg', 'utf8');
const browser = await chromium.launch(chromiumLaunchOptions('/dev/null'));
try {
  const page = await browser.newPage();
  for (const [size, file, maskable] of [
    [192, 'public/icon-192.png', false],
    [512, 'public/icon-512.png', false],
    [512, 'public/icon-maskable-512.png', true],
  ] as const) {
    await page.setViewportSize({ width: size, height: size });
    const inner = maskable ? Math.round(size * 0.7) : size;
    await page.setContent(
      `<html><body style="margin:0;display:grid;place-items:center;width:${size}px;height:${size}px;background:${maskable ? '#4f46e5' : 'transparent'}">` +
        `<img style="width:${inner}px;height:${inner}px" src="data:image/svg+xml;base64,${Buffer.from(svg).toString('base64')}"></body></html>`,
    );
    await page.screenshot({ path: file, omitBackground: !maskable });
  }
} finally {
  await browser.close();
}
