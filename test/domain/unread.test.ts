import { describe, expect, it } from 'vitest';
import { mustWaitForRead, readWithinMs } from '../../src/domain/unread.js';

const MIN = 60_000;
const NOW = Date.UTC(2026, 11, 6, 20, 0);

describe('whether a send waits for its calendar to be read', () => {
  const cases: { pollSeconds: number; lastReadAt: number | null; waits: boolean }[] = [
    // Default poll (60 s): three polls, three minutes.
    { pollSeconds: 60, lastReadAt: NOW - 30_000, waits: false },
    { pollSeconds: 60, lastReadAt: NOW - 3 * MIN, waits: false },
    { pollSeconds: 60, lastReadAt: NOW - 3 * MIN - 1, waits: true },
    { pollSeconds: 60, lastReadAt: NOW - 60 * MIN, waits: true },
    // Never read, as far as the store knows.
    { pollSeconds: 60, lastReadAt: null, waits: true },
    // The fastest poll keeps the floor: a slow sync holds nothing.
    { pollSeconds: 15, lastReadAt: NOW - 2 * MIN, waits: false },
    { pollSeconds: 15, lastReadAt: NOW - 4 * MIN, waits: true },
    // A calendar polled every ten minutes by choice is not stale after twenty.
    { pollSeconds: 600, lastReadAt: NOW - 20 * MIN, waits: false },
    { pollSeconds: 600, lastReadAt: NOW - 31 * MIN, waits: true },
  ];
  it.each(cases)('poll $pollSeconds s, last read $lastReadAt → waits $waits', ({ pollSeconds, lastReadAt, waits }) => {
    expect(mustWaitForRead(lastReadAt, pollSeconds, NOW)).toBe(waits);
  });

  it('bounds the age by three polls, never under three minutes', () => {
    expect(readWithinMs(60)).toBe(3 * MIN);
    expect(readWithinMs(15)).toBe(3 * MIN);
    expect(readWithinMs(300)).toBe(15 * MIN);
  });
});
