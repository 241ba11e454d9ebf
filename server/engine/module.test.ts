import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { RESON8_PATH } from '../../src/protocol/reson8-contract';
import { TestClient } from '../test-client';
import { pcmBytes, startTestServer } from '../test-server';
import { loadEngineModule } from './module';

const serverDir = join(import.meta.dirname, '..');

describe('a second engine, from a module of the user’s own (DICTATE_ENGINE)', () => {
  it('is served by the unchanged dialects', async () => {
    const engine = await loadEngineModule('test-engine.ts', { maxSessions: 2 }, serverDir);
    expect(engine.health()).toEqual({ ready: true, name: 'loudness engine (up to 2 sessions)' });
    const { server, base } = await startTestServer(engine);
    try {
      const client = await TestClient.connect(`${base}${RESON8_PATH}?include_timestamps=true`);
      // 0.5 s loud, 0.5 s quiet, as 20 ms frames.
      const samples = new Int16Array(16000).map((_, i) => (i < 8000 ? (i % 2 ? 8000 : -8000) : 0));
      for (let i = 0; i < samples.length; i += 320) client.ws.send(pcmBytes(samples.subarray(i, i + 320)));
      client.send({ type: 'flush_request', id: 'end' });
      await client.next('flush_confirmation', 5000);
      expect(client.messages.filter((m) => m.type === 'transcript')).toEqual([
        { type: 'transcript', text: 'loud for 500 ms', start_ms: 0, duration_ms: 500 },
      ]);
      client.ws.close();
    } finally {
      server.close();
    }
  });

  it('that cannot load is an engine that says why, so the server still starts', async () => {
    const missing = await loadEngineModule('no-such-engine.ts', { maxSessions: 1 }, serverDir);
    expect(missing.health()).toMatchObject({
      ready: false,
      reason: expect.stringMatching(/^DICTATE_ENGINE=no-such-engine.ts could not be loaded/),
    });
    await expect(missing.open({} as never)).rejects.toThrow(/could not be loaded/);
    const wrong = await loadEngineModule('test-server.ts', { maxSessions: 1 }, serverDir);
    expect(wrong.health()).toMatchObject({
      ready: false,
      reason: 'DICTATE_ENGINE=test-server.ts exports no createEngine(options) function.',
    });
  });
});
