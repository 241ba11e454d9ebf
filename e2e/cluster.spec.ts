/**
 * Two replicas behind Debian's nginx, configured with the README's block (on a loopback port): a
 * dictation through nginx survives the replica that holds it being killed mid-utterance; the app
 * reconnects through nginx to the other replica, and no word is lost or repeated. A token one replica
 * issues opens a session on the other (replicas share only the key).
 */
import { basename } from 'node:path';
import { expect, test } from '@playwright/test';
import { E2E_CLIP } from '../playwright.config';
import { RESON8_PATH } from '../src/protocol/reson8-contract';
import { TestClient } from '../server/test-client';
import { freePort, sessionsOn, startNginx, startReplica, type Started } from './support/cluster';
import { directAtOffsets } from './support/baseline';
import { referenceFor } from './support/fixtures';
import { chooseProvider } from './support/settings';
import { wordEdits, wordErrorRate } from './support/wer';

const KEY = 'cluster-test-key-4b1d';
const reference = referenceFor(basename(E2E_CLIP));

let replicas: Started[] = [];
let nginx: Awaited<ReturnType<typeof startNginx>> | undefined;

test.beforeAll(async () => {
  const ports = [await freePort(), await freePort()] as const;
  replicas = await Promise.all(ports.map((port) => startReplica(port, { DICTATE_API_KEY: KEY })));
  nginx = await startNginx(await freePort(), ports);
});

test.afterAll(async () => {
  await nginx?.kill();
  nginx?.dispose();
  await Promise.all(replicas.map((r) => r.kill()));
});

/** Word sequences of three that the transcript says more often than the reference does: words said twice. */
function repeatedTrigrams(text: string): string[] {
  const counts = (t: string) => {
    const words = t.toLowerCase().split(/\s+/).filter(Boolean);
    const out = new Map<string, number>();
    for (let i = 0; i + 3 <= words.length; i++) {
      const key = words.slice(i, i + 3).join(' ');
      out.set(key, (out.get(key) ?? 0) + 1);
    }
    return out;
  };
  const ref = counts(reference);
  return [...counts(text)].filter(([key, n]) => n > 1 && n > (ref.get(key) ?? 0)).map(([key]) => key);
}

test('a dictation through nginx survives the replica holding it being killed mid-utterance: no word lost or repeated', async ({ page }) => {
  // The yardstick of the dictation tests: the worst of PocketSphinx's direct decodes at 20 sub-frame offsets
  // (where the microphone starts the clip in its frames alone moves the words by a few), plus one word.
  const most = Math.max(...(await directAtOffsets()).map((r) => r.errors));
  await page.goto(`http://localhost:${nginx!.port}/`);
  await chooseProvider(page, 'Local engine (Reson8 protocol)');
  await page.getByLabel('Auth method').selectOption({ label: 'Sec-WebSocket-Protocol (bearer)' });
  await page.getByLabel('Access token').fill(KEY); // Reson8's name for it; the local server takes its key there
  const status = page.getByRole('status', { name: 'Connection' });
  await page.getByRole('button', { name: 'Start recording' }).click();
  await expect(status).toHaveText('Listening', { timeout: 15_000 });
  // The replica nginx chose holds the one session.
  await expect.poll(async () => (await sessionsOn(replicas[0].port)) + (await sessionsOn(replicas[1].port)), { timeout: 10_000 }).toBe(1);
  const holder = (await sessionsOn(replicas[0].port)) === 1 ? 0 : 1;
  const other = replicas[1 - holder];
  await page.waitForTimeout(2500); // mid-sentence: the clip speaks for about 6 s

  await replicas[holder].kill();
  await expect(status).toHaveText(/^Reconnecting… \(attempt \d\)$/);
  await expect(page.getByRole('button', { name: 'Stop recording' })).toBeVisible(); // still recording
  await expect(status).toHaveText('Listening', { timeout: 20_000 });
  // Through nginx, on the replica left.
  await expect.poll(() => sessionsOn(other.port), { timeout: 10_000 }).toBe(1);

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
    `through nginx, replica ${holder + 1} killed\nreference: ${reference}\nbrowser:   ${transcript} (WER ${(wer * 100).toFixed(1)}%)`,
  );
  // As good as the engine on the clip itself (the bound of the dictation tests), nothing said twice.
  expect(wordEdits(reference, transcript), transcript).toBeLessThanOrEqual(most + 1);
  expect(repeatedTrigrams(transcript)).toEqual([]);
  expect(transcript.split(' ').length).toBeLessThanOrEqual(reference.split(' ').length + 2);
  await expect(page.getByRole('alert')).toHaveCount(0);
});

test('a token issued by one replica opens a session on the other', async () => {
  // The first test killed one: it comes back on its port, as a service manager would restart it.
  for (const [i, r] of replicas.entries())
    if (r.child.exitCode !== null || r.child.signalCode !== null) replicas[i] = await startReplica(r.port, { DICTATE_API_KEY: KEY });
  const [issuer, acceptor] = replicas;
  const response = await fetch(`http://127.0.0.1:${issuer.port}/v1/auth/token`, {
    method: 'POST',
    headers: { authorization: `Bearer ${KEY}` },
  });
  expect(response.status).toBe(200);
  const { token } = (await response.json()) as { token: string };
  const url = `ws://127.0.0.1:${acceptor.port}${RESON8_PATH}?encoding=pcm_s16le&sample_rate=16000&channels=1`;
  expect((await TestClient.upgradeStatus(url, { protocols: ['bearer', token] })).status).toBe(101);
  // Once only, and a forged one is refused.
  expect((await TestClient.upgradeStatus(url, { protocols: ['bearer', token] })).status).toBe(401);
  expect((await TestClient.upgradeStatus(url, { protocols: ['bearer', 'dt1.forged'] })).status).toBe(401);
});
