/**
 * The transcript workspace in headless Chromium (bench/workspace/*.html, built with Vite):
 * - the main-thread cost of a partial update (React render and commit, style and layout) with 100, 300
 *   and 700 final segments, in word-detail and plain modes, and of appending a final at 700;
 * - the JS heap after an hour-long session (700 word-detail segments) against the text's own size;
 * - IndexedDB: the cost of saving one final, opening History with 200 sessions, and searching them.
 *
 * `root` may be another checkout of Dictate (with bench/workspace copied in) to measure older code the
 * same way; `history: false` skips the History page, which older code does not have.
 */
import { createServer, type Server } from 'node:http';
import { join } from 'node:path';
import tailwindcss from '@tailwindcss/vite';
import react from '@vitejs/plugin-react';
import { chromium } from '@playwright/test';
import sirv from 'sirv';
import { build } from 'vite';
import { chromiumLaunchOptions } from '../e2e/support/chromium';

interface Stat {
  readonly medianMs: number;
  readonly p95Ms: number;
}

const round = (x: number, digits = 2) => Number(x.toFixed(digits));

function stat(times: number[]): Stat {
  const sorted = [...times].sort((a, b) => a - b);
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
  return { medianMs: round(at(0.5)), p95Ms: round(at(0.95)) };
}

export interface WorkspaceBench {
  readonly partialUpdate: { segments: number; mode: 'word-detail' | 'plain'; medianMs: number; p95Ms: number }[];
  readonly finalAppendAt700: Stat;
  readonly heap: { segments: number; textKiB: number; heapAboveEmptyMiB: number; heapPerTextByte: number };
  readonly history?: { savePerFinal: Stat; openWith200SessionsMs: number; searchWith200SessionsMs: number; segmentsPerSession: number };
}

async function serve(dir: string): Promise<{ server: Server; url: string }> {
  const server = createServer(sirv(dir, { dev: true }));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  if (!address || typeof address === 'string') throw new Error('no port');
  return { server, url: `http://127.0.0.1:${address.port}` };
}

export async function benchWorkspace(root: string, options: { history: boolean } = { history: true }): Promise<WorkspaceBench> {
  const pages = join(root, 'bench', 'workspace');
  const outDir = join(root, 'tmp', 'bench-workspace');
  await build({
    // The checkout's root, as for the app: Tailwind finds the classes the components use from there.
    root,
    configFile: false,
    logLevel: 'warn',
    plugins: [react(), tailwindcss()],
    build: {
      outDir,
      emptyOutDir: true,
      rollupOptions: {
        input: { transcript: join(pages, 'transcript.html'), ...(options.history && { history: join(pages, 'history.html') }) },
      },
    },
  });
  const { server, url } = await serve(outDir);
  const launch = chromiumLaunchOptions('/dev/null');
  const browser = await chromium.launch({ ...launch, args: [...launch.args, '--js-flags=--expose-gc', '--enable-precise-memory-info'] });
  try {
    const page = await browser.newPage({ viewport: { width: 1024, height: 1000 } });
    await page.goto(`${url}/bench/workspace/transcript.html`);
    const partialUpdate: WorkspaceBench['partialUpdate'] = [];
    for (const mode of ['word-detail', 'plain'] as const) {
      for (const segments of [100, 300, 700]) {
        await page.evaluate(([n, detail]) => window.benchTranscript.load(n, detail), [segments, mode === 'word-detail'] as const);
        await page.evaluate(() => window.benchTranscript.partials(20)); // warm-up
        const times = await page.evaluate(() => window.benchTranscript.partials(200));
        partialUpdate.push({ segments, mode, ...stat(times) });
      }
    }
    await page.evaluate(() => window.benchTranscript.load(700, true));
    const finalAppendAt700 = stat(await page.evaluate(() => window.benchTranscript.finals(30, true)));

    // Heap: a fresh page, empty, then the hour-long session rendered.
    await page.goto(`${url}/bench/workspace/transcript.html`);
    const empty = await page.evaluate(() => window.benchTranscript.heap());
    await page.evaluate(() => window.benchTranscript.load(700, true));
    await page.evaluate(() => window.benchTranscript.partials(50));
    const full = await page.evaluate(() => window.benchTranscript.heap());
    const chars = await page.evaluate(() => window.benchTranscript.textChars());
    const heap = {
      segments: 700,
      textKiB: round(chars / 1024, 1),
      heapAboveEmptyMiB: round((full - empty) / 2 ** 20, 2),
      heapPerTextByte: round((full - empty) / chars, 1),
    };

    let history: WorkspaceBench['history'];
    if (options.history) {
      await page.goto(`${url}/bench/workspace/history.html`);
      const savePerFinal = stat(await page.evaluate(() => window.benchHistory.saves(300)));
      const segmentsPerSession = 50;
      await page.evaluate((n) => window.benchHistory.seed(200, n), segmentsPerSession);
      const openMs = await page.evaluate(() => window.benchHistory.open(200));
      const search = await page.evaluate(() => window.benchHistory.search('marianne'));
      if (search.matches !== 200) throw new Error(`search found ${search.matches} of 200 sessions`);
      history = { savePerFinal, openWith200SessionsMs: round(openMs, 1), searchWith200SessionsMs: round(search.ms, 1), segmentsPerSession };
    }
    return { partialUpdate, finalAppendAt700, heap, history };
  } finally {
    await browser.close();
    server.close();
  }
}

/** Prints a workspace benchmark. */
export function printWorkspace(label: string, b: WorkspaceBench): void {
  console.log(`Transcript workspace (${label}; headless Chromium, main-thread ms per update: median / p95)`);
  for (const r of b.partialUpdate) console.log(`  partial update, ${r.segments} segments, ${r.mode}: ${r.medianMs} / ${r.p95Ms} ms`);
  console.log(`  final appended at 700 segments: ${b.finalAppendAt700.medianMs} / ${b.finalAppendAt700.p95Ms} ms`);
  console.log(
    `  heap with 700 word-detail segments: +${b.heap.heapAboveEmptyMiB} MiB over an empty page, for ${b.heap.textKiB} KiB of text (${b.heap.heapPerTextByte} heap bytes per text character)`,
  );
  if (b.history) {
    console.log(`  IndexedDB save per final: ${b.history.savePerFinal.medianMs} / ${b.history.savePerFinal.p95Ms} ms`);
    console.log(
      `  History with 200 sessions (${b.history.segmentsPerSession} segments each): listed in ${b.history.openWith200SessionsMs} ms; text search ${b.history.searchWith200SessionsMs} ms`,
    );
  }
}
