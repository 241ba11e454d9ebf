/**
 * What the first load costs: the JavaScript `dist/index.html` loads (its entry script and the modules it
 * preloads, and the service worker's registration) against the chunks loaded later (History, Settings,
 * Export, the worklet), gzipped as served.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';

export interface BundleBench {
  /** KB gzipped (1 KB = 1000 bytes, as the budget counts) of the JavaScript the page loads at once. */
  readonly initialJsKbGzip: number;
  readonly initial: { file: string; kbGzip: number }[];
  readonly later: { file: string; kbGzip: number }[];
}

const kb = (bytes: number) => Number((bytes / 1000).toFixed(2));

/** @param dist - a built app (`npm run build`) */
export function benchBundle(dist: string): BundleBench {
  const html = readFileSync(join(dist, 'index.html'), 'utf8');
  const first = new Set([...html.matchAll(/(?:src|href)="\/((?:assets\/)?[^"]+\.js)"/g)].map((m) => m[1]));
  const size = (file: string) => kb(gzipSync(readFileSync(join(dist, file)), { level: 9 }).length);
  const initial = [...first].map((file) => ({ file, kbGzip: size(file) }));
  const later = readdirSync(join(dist, 'assets'))
    .filter((f) => f.endsWith('.js') && !first.has(`assets/${f}`))
    .map((f) => ({ file: `assets/${f}`, kbGzip: size(`assets/${f}`) }));
  return { initialJsKbGzip: kb(initial.reduce((n, f) => n + f.kbGzip * 1000, 0)), initial, later };
}

export function printBundle(b: BundleBench): void {
  console.log(`First load: ${b.initialJsKbGzip} KB of JavaScript gzipped (${b.initial.map((f) => f.file).join(', ')})`);
  for (const f of b.later) console.log(`  later: ${f.file} ${f.kbGzip} KB`);
}
