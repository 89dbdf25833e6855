/** Until when a no-show note promises to keep the phone free (templates/noshow.ts, availableUntilFor). */
import { describe, expect, it } from 'vitest';
import { availableUntilFor } from '../../src/domain/compose.js';

const T = Date.UTC(2026, 11, 7, 15, 0);
const MIN = 60_000;

describe('availableUntilFor', () => {
  it.each([
    // [case, availableUntil, now, nextBusy, expected]
    ['give-up time, at least half an hour from now', T + 30 * MIN, T + 15 * MIN, null, T + 45 * MIN],
    ['a later give-up time stands', T + 60 * MIN, T + 15 * MIN, undefined, T + 60 * MIN],
    ['the next call begins before it: until then', T + 30 * MIN, T + 15 * MIN, T + 30 * MIN, T + 30 * MIN],
    ['the next call after it changes nothing', T + 30 * MIN, T + 15 * MIN, T + 60 * MIN, T + 45 * MIN],
    ['a busy time already begun is not the next', T + 30 * MIN, T + 15 * MIN, T, T + 45 * MIN],
    ['an impossible busy time is ignored', T + 30 * MIN, T + 15 * MIN, Number.NaN, T + 45 * MIN],
  ] as const)('%s', (_case, availableUntil, now, nextBusy, expected) => {
    expect(availableUntilFor({ availableUntil, now, nextBusy })).toBe(expected);
  });
});
