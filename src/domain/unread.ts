/**
 * Whether a calendar was read recently enough for a confirmation of one of its calls to be sent
 * (src/engine/unread-sends.ts applies it).
 *
 * A calendar that cannot be read withdraws nothing (DESIGN.md, Outages; workers/sync.ts): its
 * interviews stay as last read. That is right for drafts, which the user reviews, but not for the
 * one email ringback sends by itself: an interviewer who cancelled or moved the call while the
 * calendar answered 503, or while its sign-in was revoked, would receive "Confirming our phone
 * interview today at 3:00 PM" for a call that no longer exists. So a send waits, parked as the
 * sends of a calendar whose listing is awaited wait (src/engine/held-sends.ts), until a sync reads
 * the calendar again.
 *
 * The bound: the calendar's last successful sync (`lastSyncAt` of its account, written by the step
 * that stores its cursor) no older than {@link READ_WITHIN_POLLS} poll intervals, and never less
 * than {@link READ_WITHIN_FLOOR_MS}. A healthy calendar is read every poll (60 s by default), so
 * the data a send relies on is never older than the polling the user chose; three polls let one or
 * two polls fail or run late (a single 503, a Retry-After of a rate limit, a slow full listing, a
 * queue busy with a thousand accounts) without holding anything, while an outage of a few minutes
 * already holds the send: the confirmation's lead (an hour by default, at least `minLead` ahead)
 * leaves room to wait that long. The floor keeps a 15-second poll from holding a send for a sync
 * that is merely slow.
 *
 * Not "never older than the draft": the draft is written from an interview a sync read, and a
 * draft written while the calendar is down is written from what the last sync read; the age of
 * that sync is what says how stale the draft's facts are, and the bound above holds it.
 *
 * A process that just started has read nothing yet: the time is the stored one, from the process
 * before it. Its first sync runs at once (src/daemon/daemon.ts) and releases what waited for it;
 * a send due meanwhile waits those seconds rather than go on a calendar read before the stop.
 */
import type { Millis } from './types.js';

/** How many poll intervals a calendar's last successful read may be old for its sends to go. */
export const READ_WITHIN_POLLS = 3;

/** The least age of a last read that holds a send, whatever the poll interval. */
export const READ_WITHIN_FLOOR_MS = 3 * 60_000;

/** How old a calendar's last successful read may be for a send of its calls to go. */
export function readWithinMs(pollSeconds: number): number {
  return Math.max(READ_WITHIN_POLLS * pollSeconds * 1000, READ_WITHIN_FLOOR_MS);
}

/**
 * Whether a send of a call of a calendar last read at `lastReadAt` (null: never, as far as the
 * store knows) waits at `now`.
 */
export function mustWaitForRead(lastReadAt: Millis | null, pollSeconds: number, now: Millis): boolean {
  return lastReadAt === null || now - lastReadAt > readWithinMs(pollSeconds);
}
