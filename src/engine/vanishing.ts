/**
 * Interviews whose events a sync no longer finds, several at once: withdrawn only once the next
 * sync confirms it (the rule and why: src/domain/vanishing.ts).
 *
 * What waits is kept in the cursor the sync stores: the cursor it started from, not the new one,
 * with the ids that wait. The next sync therefore asks the calendar the same question again (a
 * full listing, or the changes since the same point) and the waiting state lives exactly as long
 * as that cursor: no key of its own (held-sends.ts keeps only a pointer to it, for the actions),
 * no read more per poll. A Redis restart, which forgets
 * cursors, starts a wait afresh, which only waits longer.
 *
 * - Gone again: withdrawn then, as today (pending jobs removed, unsent drafts deleted).
 * - Meanwhile their confirmations are not sent: a send that falls due waits (held-sends.ts).
 * - Listed again, or not named by the changes: nothing happened to them; their kept hashes were
 *   never forgotten, so nothing is written for them and their revision stays.
 */
import { plural } from '../domain/format.js';
import { mustConfirm } from '../domain/vanishing.js';
import { audit } from '../store/audit.js';
import { getInterviews } from '../store/interviews.js';
import { interviewIdFor } from '../domain/ids.js';
import type { Engine } from './context.js';
import { safeTitle } from './wording.js';

/** The stored form of a cursor with ids waiting; any other cursor is the adapter's own. */
interface AwaitingCursor {
  readonly awaitingConfirmation: readonly string[];
  readonly cursor: string | null;
}

/** The adapter's cursor and the event ids waiting for confirmation, from the stored cursor. */
export function readAwaiting(stored: string | null): { cursor: string | null; awaiting: ReadonlySet<string> } {
  if (stored === null || !stored.startsWith('{"awaitingConfirmation":')) return { cursor: stored, awaiting: new Set() };
  const parsed = JSON.parse(stored) as AwaitingCursor;
  return { cursor: parsed.cursor, awaiting: new Set(parsed.awaitingConfirmation) };
}

/** The cursor to store when `ids` wait: the one the sync started from. */
export function awaitingCursor(cursor: string | null, ids: readonly string[]): string {
  const value: AwaitingCursor = { awaitingConfirmation: ids, cursor };
  return JSON.stringify(value);
}

/** The calendar entry (UID) of an event id: an occurrence's id is `<uid>/<original start>`. */
function entryOf(eventId: string): string {
  const cut = eventId.lastIndexOf('/');
  return cut > 0 ? eventId.slice(0, cut) : eventId;
}

/**
 * Of the event ids the sync found gone, those that wait for the next sync (their interviews are
 * left as they are, their hashes kept); the caller withdraws the others. Audited once per wait,
 * with the count, and once when the calendar lists them again.
 *
 * `listed`: the event ids this sync read. An occurrence gone while its entry is still listed is a
 * change of that entry (a series moved or shortened gives its occurrences new ids), not a
 * disappearance, and is withdrawn at once as before.
 */
export async function awaitConfirmation(
  engine: Engine,
  accountId: string,
  gone: ReadonlySet<string>,
  awaiting: ReadonlySet<string>,
  listed: ReadonlySet<string>,
): Promise<string[]> {
  const back = [...awaiting].filter((id) => !gone.has(id));
  if (back.length > 0) {
    await audit(engine.store, {
      type: 'account',
      accountId,
      message: `calendar ${accountId} lists again ${plural(back.length, 'interview', 'interviews')} it had left out: nothing was cancelled`,
      at: engine.now(),
    });
  }
  // Gone in two syncs in a row: confirmed, withdrawn by the caller.
  let fresh = [...gone].filter((id) => !awaiting.has(id));
  if (fresh.length < 2) return [];
  const entries = new Set([...listed].map(entryOf));
  fresh = fresh.filter((id) => !entries.has(entryOf(id)));
  if (fresh.length < 2) return [];
  const interviews = (await getInterviews(engine.store, fresh.map((id) => interviewIdFor(accountId, id)))).filter((iv) => iv.status === 'scheduled');
  if (!mustConfirm(interviews.length)) return [];
  const ids = new Set(interviews.map((iv) => iv.id));
  const waiting = fresh.filter((id) => ids.has(interviewIdFor(accountId, id)));
  const titles = interviews.slice(0, 5).map((iv) => `"${safeTitle(iv.title)}"`).join(', ') + (interviews.length > 5 ? ', …' : '');
  await audit(engine.store, {
    type: 'account',
    accountId,
    message: `calendar ${accountId} no longer lists ${plural(interviews.length, 'interview', 'interviews')} (${titles}); waiting for the next sync to confirm before cancelling, nothing is deleted or sent meanwhile`,
    at: engine.now(),
  });
  engine.log.warn({ account: accountId }, `calendar ${accountId} no longer lists ${plural(interviews.length, 'interview', 'interviews')}; waiting for the next sync to confirm before cancelling`);
  return waiting;
}
