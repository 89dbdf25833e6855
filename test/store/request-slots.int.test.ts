/** A mailbox's request slots in a real Redis: at most the limit at once, freed when given back or at their expiry. */
import { describe, expect, it } from 'vitest';
import { freeRequestSlot, takeRequestSlot } from '../../src/store/request-slots.js';
import { useTestStore } from '../support/store.js';

const t = useTestStore('slots');

describe('request slots in Redis', () => {
  it('gives out at most the limit, and a freed slot to the next', async () => {
    const limits = { limit: 2, holdMs: 60_000 };
    expect(await takeRequestSlot(t.store, 'acct-a', 'p1', limits)).toBe(true);
    expect(await takeRequestSlot(t.store, 'acct-a', 'p2', limits)).toBe(true);
    expect(await takeRequestSlot(t.store, 'acct-a', 'p3', limits)).toBe(false);
    // Another account has slots of its own.
    expect(await takeRequestSlot(t.store, 'acct-b', 'p3', limits)).toBe(true);
    await freeRequestSlot(t.store, 'acct-a', 'p1');
    expect(await takeRequestSlot(t.store, 'acct-a', 'p3', limits)).toBe(true);
  });

  it('frees the slot of a holder that never gave it back (a killed process) at its expiry', async () => {
    expect(await takeRequestSlot(t.store, 'acct-c', 'dead', { limit: 1, holdMs: 150 })).toBe(true);
    const asked = Date.now();
    expect(await takeRequestSlot(t.store, 'acct-c', 'alive', { limit: 1, holdMs: 60_000 })).toBe(false);
    let taken = false;
    while (!taken && Date.now() - asked < 5_000) {
      taken = await takeRequestSlot(t.store, 'acct-c', 'alive', { limit: 1, holdMs: 60_000 });
      if (!taken) await new Promise((resolve) => setTimeout(resolve, 20));
    }
    expect(taken).toBe(true);
    expect(Date.now() - asked).toBeGreaterThanOrEqual(100);
  });
});
