import { describe, expect, it } from 'vitest';
import type { SessionStatus } from './status';
import { isActive } from './status';

describe('isActive', () => {
  it('is true from connecting to stopping, false when idle or after an error', () => {
    const all: SessionStatus[] = ['idle', 'connecting', 'recording', 'reconnecting', 'stopping', 'error'];
    expect(all.filter(isActive)).toEqual(['connecting', 'recording', 'reconnecting', 'stopping']);
  });
});
