/**
 * Slots for requests to one provider mailbox, shared by every `ringback start` process on this
 * Redis: a provider that limits requests running at once (Outlook: 4 per app and mailbox) sees
 * the limit kept by all of them together. Each slot names its holder and ends on its own at its
 * expiry, so that a process killed in the middle of a request never keeps one.
 *
 * Key: `slots:{account}` sorted set, holder token → expiry (ms, by Redis's clock).
 */
import type { SharedSlots } from '../providers/microsoft/concurrency.js';
import { key, type Store } from './store.js';

// Redis's own clock, so that processes on machines whose clocks differ agree on expiries.
const TAKE = `
local t = redis.call('time')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
redis.call('zremrangebyscore', KEYS[1], '-inf', now)
if redis.call('zcard', KEYS[1]) >= tonumber(ARGV[1]) then return 0 end
redis.call('zadd', KEYS[1], now + tonumber(ARGV[2]), ARGV[3])
redis.call('pexpire', KEYS[1], ARGV[2])
return 1`;

/** Takes one of `limit` slots for at most `holdMs`; false when all are taken. */
export async function takeRequestSlot(store: Store, account: string, holder: string, options: { readonly limit: number; readonly holdMs: number }): Promise<boolean> {
  return (await store.redis.eval(TAKE, 1, key(store, 'slots', account), String(options.limit), String(Math.ceil(options.holdMs)), holder)) === 1;
}

export async function freeRequestSlot(store: Store, account: string, holder: string): Promise<void> {
  await store.redis.zrem(key(store, 'slots', account), holder);
}

/** One account's slots in this store, as the providers' request slots take and free them. */
export function storeRequestSlots(store: Store, account: string): SharedSlots {
  return {
    take: (holder, limit, holdMs) => takeRequestSlot(store, account, holder, { limit, holdMs }),
    free: (holder) => freeRequestSlot(store, account, holder),
  };
}
