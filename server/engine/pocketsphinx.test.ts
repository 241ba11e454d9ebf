import { describe, expect, it } from 'vitest';
import { loadEngine } from './pocketsphinx';

describe('loading PocketSphinx', () => {
  it('says exactly what to install when the model is missing', () => {
    const engine = loadEngine({ modelDir: '/nonexistent/model' });
    expect(engine).toEqual({ unavailable: expect.stringContaining('sudo apt-get install pocketsphinx-en-us') });
    expect((engine as { unavailable: string }).unavailable).toContain('/nonexistent/model');
  });

  it('loads with Debian’s packages installed', () => {
    expect('unavailable' in loadEngine()).toBe(false);
  });
});
