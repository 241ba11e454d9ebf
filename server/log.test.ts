import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { createLog, logFormat } from './log';

/** Collects what a JSON log writes. */
function sink() {
  const lines: string[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _encoding, done) {
      lines.push(...chunk.toString('utf8').split('\n').filter(Boolean));
      done();
    },
  });
  return { lines, stream };
}

describe('the server log', () => {
  it('writes one JSON object per event, with its level, time and message', () => {
    const { lines, stream } = sink();
    const log = createLog('json', false, stream);
    log.info('r8_1a2b3c4d connected (reson8)');
    log.warn('session refused: 2 of 2 in use');
    const events = lines.map((l) => JSON.parse(l) as { level: number; time: number; msg: string; service: string });
    expect(events.map((e) => [e.level, e.msg, e.service])).toEqual([
      [30, 'r8_1a2b3c4d connected (reson8)', 'dictate'],
      [40, 'session refused: 2 of 2 in use', 'dictate'],
    ]);
    expect(events.every((e) => typeof e.time === 'number')).toBe(true);
  });

  it('when quiet, keeps warnings and errors only', () => {
    const { lines, stream } = sink();
    const log = createLog('json', true, stream);
    log.info('connected');
    log.error('Port 8787 is in use: set PORT to another port.');
    expect(lines.map((l) => (JSON.parse(l) as { msg: string }).msg)).toEqual(['Port 8787 is in use: set PORT to another port.']);
  });

  it('is JSON unless stdout is a terminal, and DICTATE_LOG decides', () => {
    expect(logFormat(undefined, false)).toBe('json');
    expect(logFormat(undefined, true)).toBe('text');
    expect(logFormat('json', true)).toBe('json');
    expect(logFormat('text', false)).toBe('text');
  });
});
