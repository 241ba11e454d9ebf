/** The bench's speech: LibriVox clips with reference transcripts. */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { FIXTURES_DIR, references } from '../e2e/support/fixtures';

const TESTDATA = '/usr/share/pocketsphinx/test/data/librivox';

/** Clips with reference transcripts: all of pocketsphinx-testdata's LibriVox set when installed, else the fixtures. */
export function clips(): { path: string; reference: string }[] {
  const listing = join(TESTDATA, 'transcription');
  const parsed: { path: string; reference: string }[] = [];
  if (existsSync(listing)) {
    for (const line of readFileSync(listing, 'utf8').split('\n')) {
      const m = /^<s> (.*) <\/s> \((.*)\)$/.exec(line.trim());
      if (m && existsSync(join(TESTDATA, `${m[2]}.wav`))) parsed.push({ path: join(TESTDATA, `${m[2]}.wav`), reference: m[1] });
    }
  }
  if (parsed.length > 0) return parsed;
  return Object.entries(references()).map(([file, reference]) => ({ path: join(FIXTURES_DIR, file), reference }));
}
