/**
 * How long a provider account asked ringback to wait (its last 429's Retry-After), kept in Redis
 * so that every job and every `ringback start` process sharing the account waits, not only the
 * job that was told.
 *
 * Key: `ratelimit:{accountId}`, expiring when the wait is over.
 */
import type { RateLimits } from '../providers/rate-gate.js';
import { key, type Store } from './store.js';

/** Milliseconds left to wait before calling the account again; 0 when none. */
export async function rateLimitLeft(store: Store, accountId: string): Promise<number> {
  return Math.max(0, await store.redis.pttl(key(store, 'ratelimit', accountId)));
}

/** Records a wait; a shorter one never cuts a longer one short. */
export async function noteRateLimit(store: Store, accountId: string, waitMs: number): Promise<void> {
  if (waitMs <= 0) return;
  await store.redis.eval(
    "if redis.call('pttl', KEYS[1]) < tonumber(ARGV[1]) then return redis.call('set', KEYS[1], '1', 'PX', ARGV[1]) else return 0 end",
    1,
    key(store, 'ratelimit', accountId),
    String(Math.ceil(waitMs)),
  );
}

/** The waits of this store, as the providers' rate gate reads and notes them. */
export function storeRateLimits(store: Store): RateLimits {
  return {
    left: (accountId) => rateLimitLeft(store, accountId),
    note: (accountId, waitMs) => noteRateLimit(store, accountId, waitMs),
  };
}
