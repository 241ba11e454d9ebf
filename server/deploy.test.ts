/** The compose file's nginx configuration is the README's, which e2e/cluster.spec.ts runs. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const root = join(import.meta.dirname, '..');
const locationOf = (text: string) => /location \/ \{[\s\S]*?\n\s*\}/.exec(text)?.[0].replace(/\s+/g, ' ');

describe('deploy/nginx.conf', () => {
  it('proxies exactly as the README says (the block the cluster test runs)', () => {
    const readme = /```nginx\n([\s\S]*?)```/.exec(readFileSync(join(root, 'README.md'), 'utf8'))?.[1] ?? '';
    const deployed = readFileSync(join(root, 'deploy', 'nginx.conf'), 'utf8');
    expect(locationOf(readme)).toBeDefined();
    expect(locationOf(deployed)).toBe(locationOf(readme));
    expect(deployed).toContain('max_fails=1 fail_timeout=5s;');
  });
});
