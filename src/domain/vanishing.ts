/**
 * When events the calendar stops listing are withdrawn at once, and when the next listing must
 * confirm it first (src/engine/vanishing.ts applies it).
 *
 * A calendar that answers with nothing or with part of itself looks, to a diff, like a calendar
 * whose events were deleted. Reported for real: vdirsyncer refuses a sync that would empty one
 * side ("Storage … was completely emptied", pimutils/vdirsyncer#745, #1099); twentyhq/twenty#25648
 * "CalDAV sync silently drops all events" when a server's listing lacked what it needed; a
 * CalDAV pull that pruned a whole window when no object could be read ("false-keep beats
 * false-delete", https://git.salastil.com/Salastil/odysseus/commits/commit/a22c0fa85eb3c5c1979bf644125f757c6774ce93/tests/test_caldav_prune_parse_failure.py).
 *
 * The rule: two or more interviews still scheduled (a call ahead, or its follow-ups still to come)
 * disappearing in one sync wait for the next sync to say the same. An organizer cancels one call at
 * a time, and two cancellations landing within one poll (60 s by default) are rare, while a broken
 * answer takes several at once; "more than half" would let a partial listing that drops 3 of 10
 * through. Waiting costs one poll; acting on a broken answer costs the user's drafts. One
 * interview alone is withdrawn at once, as before, and so is an entry the calendar marks
 * cancelled (STATUS:CANCELLED, a CANCEL message): that is the organizer's word, not an absence.
 *
 * While the wait lasts, what would leave the mailbox waits with it: a confirmation sent to an
 * interviewer whose event was cancelled is the one mistake that cannot be taken back, while a
 * draft can (it is deleted, its text kept in the audit, if the wait ends in a cancellation). The
 * confirmation's send is the only email ringback sends by itself; the follow-ups are drafts the
 * user sends. Listed again, the held send goes as an action parked during an outage does
 * (DESIGN.md, Outages: only while the call is at least `minLead` ahead, else recorded as missed).
 */

import type { ActionKind } from './actions.js';

/** From this many scheduled interviews gone in one sync, the next sync must confirm it. */
export const CONFIRM_FROM = 2;

export function mustConfirm(scheduledGone: number): boolean {
  return scheduledGone >= CONFIRM_FROM;
}

/**
 * The actions that wait while their call's calendar awaits confirmation that it is gone, and while
 * it has not been read lately (src/domain/unread.ts).
 */
export const HELD_WHILE_UNLISTED: ReadonlySet<ActionKind> = new Set<ActionKind>(['confirmation-send']);
