/** The committed speech fixtures and their reference transcripts (see fixtures/README.md). */
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const FIXTURES_DIR = join(dirname(fileURLToPath(import.meta.url)), '..', 'fixtures');

/** Fixture file names → reference transcripts. */
export function references(): Record<string, string> {
  return JSON.parse(readFileSync(join(FIXTURES_DIR, 'references.json'), 'utf8')) as Record<string, string>;
}

/** Reference transcript of a fixture (by file name). @throws Error if there is none. */
export function referenceFor(file: string): string {
  const text = references()[file];
  if (!text) throw new Error(`No reference transcript for ${file} in references.json.`);
  return text;
}
