/**
 * The interviews whose calendar stopped listing them, several at once, while the next sync is
 * awaited to confirm it (src/engine/vanishing.ts): what an action reads, with its interview and in
 * the same round trip, to know that a send must wait (src/engine/held-sends.ts).
 *
 * Only a pointer: the wait itself is kept in the account's stored cursor, which is what counts. An
 * entry is written after that cursor is stored and removed when the next sync settles the wait; an
 * entry left behind (a process stopped between the two) is checked against the cursor by the
 * action that finds it, and removed then.
 *
 * Keys: `unlisted` hash interview id → the id of the calendar account that no longer lists it.
 */
import { key, type Store } from './store.js';

/**
 * The parked list (src/store/outages.ts) of the sends held by calendar `calendarId`: while it
 * awaits confirmation that their calls are gone (src/engine/held-sends.ts), and while it has not
 * been read lately (src/engine/unread-sends.ts; the entry's `unreadSince` tells the two apart).
 * Not the account's own, which a mailbox of the same id (Gmail and Google Calendar
 * are both `google`, config/schema-accounts.ts) uses for its outage; each list is released by its
 * own event and says its own reason when an action is missed. An account id has no ":", so this
 * is never an account's list.
 */
export function heldList(calendarId: string): string {
  return `unlisted:${calendarId}`;
}

export async function noteUnlisted(store: Store, accountId: string, interviewIds: readonly string[]): Promise<void> {
  if (interviewIds.length === 0) return;
  await store.redis.hset(key(store, 'unlisted'), Object.fromEntries(interviewIds.map((id) => [id, accountId])));
}

/** The calendar account that no longer lists this interview, or null (the common case). */
export async function unlistedBy(store: Store, interviewId: string): Promise<string | null> {
  return await store.redis.hget(key(store, 'unlisted'), interviewId);
}

export async function forgetUnlisted(store: Store, interviewIds: readonly string[]): Promise<void> {
  if (interviewIds.length === 0) return;
  await store.redis.hdel(key(store, 'unlisted'), ...interviewIds);
}
