/**
 * How many emails ringback sent to one recipient lately: the bound that keeps one calendar from
 * making ringback write to the same person over and over (a recurring entry once a minute sent a
 * confirmation a second to the same organizer before this existed).
 *
 * Keys: `sends:{recipient}` sorted set, member = Message-ID, score = when its send was claimed.
 * Entries older than a day are dropped as the set is used; the key expires a day after its last use.
 */
import type { Millis } from '../domain/types.js';
import { key, type Store } from './store.js';

const DAY: Millis = 86_400_000;

/**
 * Takes one of the recipient's `limit` sends of the last 24 hours for `messageId`, atomically, so
 * that two sends running at once cannot both take the last one. Taking it again for the same
 * Message-ID (a retry, even after a failed attempt that may have reached the server) succeeds
 * without taking another. Returns the sends counted before this one
 * when refused, or null when taken.
 */
const TAKE = `
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', ARGV[1])
if redis.call('ZSCORE', KEYS[1], ARGV[3]) then return -1 end
local n = redis.call('ZCARD', KEYS[1])
if n >= tonumber(ARGV[4]) then return n end
redis.call('ZADD', KEYS[1], ARGV[2], ARGV[3])
redis.call('PEXPIRE', KEYS[1], ARGV[5])
return -1
`;

function sendsKey(store: Store, recipient: string): string {
  return key(store, 'sends', recipient.trim().toLowerCase());
}

export async function takeSendSlot(
  store: Store,
  slot: { readonly recipient: string; readonly messageId: string; readonly limit: number; readonly now: Millis },
): Promise<number | null> {
  const counted = (await store.redis.eval(
    TAKE,
    1,
    sendsKey(store, slot.recipient),
    String(slot.now - DAY),
    String(slot.now),
    slot.messageId,
    String(slot.limit),
    String(DAY),
  )) as number;
  return counted < 0 ? null : counted;
}
