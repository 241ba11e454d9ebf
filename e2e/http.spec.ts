/** HTTP as the built app is served: compression, caching, security headers, and a page the CSP lets work. */
import { expect, test } from '@playwright/test';

test('serves hashed assets precompressed and cached for a year, index.html revalidated, every response with its security headers', async ({
  page,
  request,
}) => {
  const index = await request.get('/', { headers: { 'Accept-Encoding': 'br, gzip' } });
  expect(index.headers()['cache-control']).toBe('no-cache');
  expect(index.headers()['content-security-policy']).toContain("frame-ancestors 'none'");
  expect(index.headers()['x-content-type-options']).toBe('nosniff');
  const script = /src="(\/assets\/[^"]+\.js)"/.exec(await index.text())?.[1];
  expect(script).toBeTruthy();
  for (const [encoding, expected] of [
    ['br', 'br'],
    ['gzip', 'gzip'],
  ]) {
    const asset = await request.get(script as string, { headers: { 'Accept-Encoding': encoding } });
    expect(asset.status()).toBe(200);
    expect(asset.headers()['content-encoding']).toBe(expected);
    expect(asset.headers()['cache-control']).toBe('public, max-age=31536000, immutable');
  }

  // The app works under its CSP: no violation while it loads and records.
  const violations: string[] = [];
  page.on('console', (m) => {
    if (/Content Security Policy/i.test(m.text())) violations.push(m.text());
  });
  await page.goto('/');
  await page.getByRole('button', { name: 'Start recording' }).click();
  await expect(page.getByRole('status', { name: 'Connection' })).toHaveText('Listening', { timeout: 15_000 });
  await page.getByRole('button', { name: 'Stop recording' }).click();
  await expect(page.getByRole('button', { name: 'Start recording' })).toBeEnabled({ timeout: 15_000 });
  expect(violations).toEqual([]);
});
