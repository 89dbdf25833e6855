/**
 * redis-crash, reduced (the full runs: `npm run chaos redis-crash` and `redis-power-loss`,
 * docs/RELIABILITY.md): Redis is SIGKILLed twice while the daemon syncs and sends, and each time
 * the last second of its AOF is dropped, as a power cut with `appendfsync everysec` may do; the
 * calendar changes meanwhile. Every confirmation that fell due arrived exactly once, and the
 * store and the queue hold what the calendar says: nothing planned lost, nothing twice.
 */
import { describe, expect, it } from 'vitest';
import { runRedisCrash } from '../../chaos/scenarios/redis-crash.js';

describe('redis-crash (reduced)', () => {
  it('loses no planned action and duplicates none when Redis dies and comes back without its last second', async () => {
    const r = await runRedisCrash({ confirmations: 15, later: 20, windowMs: 10_000, redisKills: 2, changes: 3, powerLoss: true, deadlineMs: 45_000, log: () => undefined });
    expect(r.problems).toEqual([]);
    expect(r.redisKills).toBe(2);
    expect(r.lost).toBe(0);
    expect(r.duplicated).toBe(0);
    expect(r.arrivedExactlyOnce).toBe(15);
    expect(r.convergedAfterMs).not.toBeNull();
    expect(r.secretHits).toEqual([]);
  }, 60_000);
});
