/**
 * What ringback held back on its own bounds, for `ringback doctor`: a calendar entry repeating too
 * often to be calls, or a recipient who already got `limits.emailsPerRecipientPerDay` emails. The
 * audit says the same at the moment it happens; this keeps the latest of each for a week.
 *
 * Keys: `held` hash subject → JSON {@link HeldItem}.
 */
import type { Millis } from '../domain/types.js';
import { key, type Store } from './store.js';

export interface HeldItem {
  /** What was held, e.g. `recipient:dana@acme.example` or `entry:<hash>`; one item per subject. */
  readonly subject: string;
  readonly message: string;
  readonly at: Millis;
}

const KEEP: Millis = 7 * 86_400_000;
/** Bounds the hash whatever a calendar holds; the oldest go first. */
const MAX_ITEMS = 200;

export async function noteHeld(store: Store, item: HeldItem): Promise<void> {
  await store.redis.hset(key(store, 'held'), item.subject, JSON.stringify(item));
}

/** The items of the last week, newest first; older ones are forgotten. */
export async function listHeld(store: Store, now: Millis): Promise<HeldItem[]> {
  const all = Object.values(await store.redis.hgetall(key(store, 'held'))).map((raw) => JSON.parse(raw) as HeldItem);
  const sorted = all.sort((a, b) => b.at - a.at);
  const stale = sorted.filter((item, i) => now - item.at > KEEP || i >= MAX_ITEMS);
  if (stale.length > 0) await store.redis.hdel(key(store, 'held'), ...stale.map((item) => item.subject));
  return sorted.filter((item) => !stale.includes(item));
}
