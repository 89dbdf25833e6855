/**
 * The rate gate over a real Redis: a 429 one calendar source was given holds back every call to
 * that account, from any source built on the same store, until the wait is over; other accounts go on.
 */
import { describe, expect, it } from 'vitest';
import type { BusyInterval, CalendarSource } from '../../src/providers/calendar/types.js';
import { RateLimitError } from '../../src/providers/errors.js';
import { gateCalendar } from '../../src/providers/rate-gate.js';
import { storeRateLimits } from '../../src/store/rate-limits.js';
import { useTestStore } from '../support/store.js';

const t = useTestStore('rate-gate');

/** A source whose free/busy answers as told, counting the calls that reached it. */
function source(id: string, answer: () => Promise<readonly BusyInterval[]>): CalendarSource & { calls: number } {
  const counted = {
    id,
    calls: 0,
    async *sync() {
      yield { upserts: [], deletions: [], skipped: [], full: false, nextCursor: 'c' };
    },
    freeBusy: () => {
      counted.calls += 1;
      return answer();
    },
    close: () => Promise.resolve(),
  };
  return counted;
}

const range = { from: 0, to: 1 };
const signal = new AbortController().signal;

describe('rate gate', () => {
  it('keeps every source of an account from calling until its Retry-After is over', async () => {
    const limited = source('acct-429', () => Promise.reject(new RateLimitError('slow down', 60_000)));
    await expect(gateCalendar(limited, storeRateLimits(t.store)).freeBusy(range, signal)).rejects.toBeInstanceOf(RateLimitError);
    expect(limited.calls).toBe(1);

    // Another source of the same account (another job, another process) is held without calling.
    const sibling = source('acct-429', () => Promise.resolve([]));
    const held = await gateCalendar(sibling, storeRateLimits(t.store)).freeBusy(range, signal).catch((error: unknown) => error);
    expect(held).toBeInstanceOf(RateLimitError);
    expect((held as RateLimitError).retryAfterMs).toBeGreaterThan(50_000);
    expect(sibling.calls).toBe(0);

    const other = source('acct-free', () => Promise.resolve([{ start: 0, end: 1 }]));
    expect(await gateCalendar(other, storeRateLimits(t.store)).freeBusy(range, signal)).toEqual([{ start: 0, end: 1 }]);
  });

  // The message of a held call is what the account shows and what a failed sync audits once per
  // problem (workers/sync.ts compares it with the last one): a countdown in it ("waiting 59 s
  // more") made every poll of a calendar in a long wait a new problem, one audit line a minute.
  it('says the same of a held call however much of the wait is left, and still carries the time left', async () => {
    const lefts = [50_000, 20_000];
    const limits = { left: () => Promise.resolve(lefts.shift() ?? 0), note: () => Promise.resolve() };
    const held = source('acct-held', () => Promise.resolve([]));
    const first = await gateCalendar(held, limits).freeBusy(range, signal).catch((error: unknown) => error);
    const second = await gateCalendar(held, limits).freeBusy(range, signal).catch((error: unknown) => error);
    expect(first).toBeInstanceOf(RateLimitError);
    expect((first as RateLimitError).retryAfterMs).toBe(50_000);
    expect((second as RateLimitError).retryAfterMs).toBe(20_000);
    expect((second as Error).message).toBe((first as Error).message);
    expect(held.calls).toBe(0);
  });
});
