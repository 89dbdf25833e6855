/**
 * How long a provider account asked ringback to wait (its last 429's Retry-After), kept in Redis
 * so that every job and every `ringback start` process sharing the account waits, not only the
 * job that was told.
 *
 * Key: `ratelimit:{accountId}` → the end of the wait (epoch ms, by Redis' clock), expiring then.
 * An earlier version wrote `1`: its end is then read from the time left.
 */
import type { RateLimits, Wait } from '../providers/rate-gate.js';
import { runScript } from './scripts.js';
import { key, type Store } from './store.js';

/** KEYS: the wait's key. The time left and the end, read together. */
const READ = `return {redis.call('pttl', KEYS[1]), redis.call('get', KEYS[1])}`;

/**
 * The wait the account is in (time left and end), or null when none. One command, by its SHA1
 * (scripts.ts: the gate reads it on every poll, so its text is not sent each time): a transaction
 * of `PTTL` and `GET` was four (`MULTI`, both, `EXEC`), and ioredis makes each transaction a
 * pipeline that copies every Lua command defined on the connection, BullMQ's 52 among them
 * (src/store/lean-pipeline.ts); the gate reads this before every page of every sync.
 */
export async function rateLimitWait(store: Store, accountId: string): Promise<Wait | null> {
  const [left, value] = (await runScript(store.redis, READ, 1, key(store, 'ratelimit', accountId))) as [number, string | null];
  if (left <= 0) return null;
  const until = Number(value);
  return { leftMs: left, until: Number.isFinite(until) && until > 1 ? until : Date.now() + left };
}

/**
 * KEYS: the wait's key. ARGV: the wait in ms. Sets it unless a longer one is under way, with its
 * end by Redis' own clock, so that every process reads the same end however its clock is set.
 */
const NOTE = `
local wait = tonumber(ARGV[1])
if redis.call('pttl', KEYS[1]) >= wait then return 0 end
local t = redis.call('time')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
return redis.call('set', KEYS[1], string.format('%d', now + wait), 'PX', wait)`;

/** Records a wait; a shorter one never cuts a longer one short. */
export async function noteRateLimit(store: Store, accountId: string, waitMs: number): Promise<void> {
  if (waitMs <= 0) return;
  await store.redis.eval(NOTE, 1, key(store, 'ratelimit', accountId), String(Math.ceil(waitMs)));
}

/** The waits of this store, as the providers' rate gate reads and notes them. */
export function storeRateLimits(store: Store): RateLimits {
  return {
    wait: (accountId) => rateLimitWait(store, accountId),
    note: (accountId, waitMs) => noteRateLimit(store, accountId, waitMs),
  };
}
