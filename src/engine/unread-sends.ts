/**
 * Sends held while their calendar cannot be read (the rule and its bound: src/domain/unread.ts).
 * The mechanism is that of the sends held while a calendar's listing is awaited (held-sends.ts):
 * the action is parked on the calendar's held list (`parked:unlisted:{calendarId}`), its record
 * shows it waiting, its job waits without using an attempt, and the audit says so once. The next
 * sync that reads the calendar brings the list forward (held-sends.ts `releaseHeld`): each send
 * then runs again from the start, against what that sync read (still listed at its time: sent;
 * moved: replanned, the old send dropped; gone: cancelled) or is recorded once as missed, with
 * the window, when the call is by then less than `minLead` away.
 *
 * Only the send waits: drafts go on, the user reviews them.
 */
import { ACTION_LABEL } from '../domain/actions.js';
import type { Interview, Millis } from '../domain/types.js';
import { mustWaitForRead } from '../domain/unread.js';
import { HELD_WHILE_UNLISTED } from '../domain/vanishing.js';
import { ActionParked, actionJobId, type ActionJobData } from '../queue/jobs.js';
import { lastSyncTime, lastSyncTimes } from '../store/accounts.js';
import { audit } from '../store/audit.js';
import { unpark } from '../store/outages.js';
import { heldList } from '../store/unlisted.js';
import type { Engine } from './context.js';
import { PARK_RECHECK_MS, parkOn } from './outage.js';
import { clock } from './wording.js';

/**
 * For an action's first read, before its interview is known: the last successful sync of every
 * calendar of the config, or null when the action never waits for one (not a send, or sends are
 * off). Read for every calendar of the config, not only the built ones: one whose sign-in is
 * refused at start is not built, and its calls must wait too.
 */
export async function lastReadsFor(engine: Engine, job: ActionJobData): Promise<ReadonlyMap<string, Millis | null> | null> {
  if (!HELD_WHILE_UNLISTED.has(job.kind) || engine.config.confirmations !== 'send') return null;
  return await lastSyncTimes(engine.store, engine.config.calendars.map((c) => c.id));
}

/**
 * Parks the send (throws {@link ActionParked}) while the calendar of its call has not been read
 * recently; `lastReads` from {@link lastReadsFor}. A call of a calendar no longer in the config is
 * read by nothing: it is not held (as before), since no read would ever release it.
 */
export async function holdWhileUnread(engine: Engine, job: ActionJobData, interview: Interview, lastReads: ReadonlyMap<string, Millis | null> | null): Promise<void> {
  if (lastReads === null || !lastReads.has(interview.sourceId)) return;
  const calendarId = interview.sourceId;
  const lastRead = lastReads.get(calendarId) ?? null;
  const poll = engine.config.sync.pollSeconds;
  const now = engine.now();
  if (!mustWaitForRead(lastRead, poll, now)) return;
  const since = lastRead ?? now;
  const list = heldList(calendarId);
  const first = await parkOn(engine, list, job, `waiting for calendar ${calendarId} to be read again (last read ${lastRead === null ? 'never' : clock(lastRead, engine.config.candidate.timezone)})`, since);
  // A sync that stored its cursor after this action read the time and before it was on the list
  // did not see it there (the sync looks at the list right after storing its cursor,
  // src/engine/sync.ts): read again, after parking, and run again at once if it has been read.
  if (!mustWaitForRead(await lastSyncTime(engine.store, calendarId), poll, engine.now())) {
    await unpark(engine.store, list, actionJobId(job.interviewId, job.kind, job.revision));
    throw new ActionParked(`calendar ${calendarId} was read meanwhile`, 0);
  }
  if (first) {
    const when = lastRead === null ? 'has never been read' : `has not been read since ${clock(lastRead, engine.config.candidate.timezone)}`;
    await audit(engine.store, {
      type: 'account',
      accountId: calendarId,
      interviewId: job.interviewId,
      message: `${ACTION_LABEL[job.kind]} held: calendar ${calendarId} ${when}; it is sent when the calendar can be read again and still lists the call`,
      at: engine.now(),
    });
  }
  // The sync that reads the calendar brings the job forward; this only bounds the wait should no sync run.
  throw new ActionParked(`waiting for calendar ${calendarId} to be read again`, PARK_RECHECK_MS);
}
