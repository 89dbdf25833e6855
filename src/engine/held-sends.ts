/**
 * Sends held while a calendar awaits confirmation that the calls it stopped listing are gone
 * (src/domain/vanishing.ts says which actions and why; src/engine/vanishing.ts keeps the wait in
 * the stored cursor). The mechanism is the outage's (outage.ts, DESIGN.md "Outages"): the action
 * is parked on the calendar account's list, its record shows it waiting for that account, and its
 * job waits without using an attempt. The sync that settles the wait brings the parked actions
 * forward: listed again, each runs if it is still of use and is recorded as missed if not; gone
 * again, the cancellation already took their jobs off the queue and deleted their drafts.
 *
 * Drafting goes on meanwhile: a draft is deleted, its text kept in the audit, if the call turns
 * out to be cancelled; a sent confirmation cannot be taken back.
 */
import { ACTION_LABEL } from '../domain/actions.js';
import { interviewIdFor } from '../domain/ids.js';
import { pastUse } from '../domain/outage.js';
import type { Interview } from '../domain/types.js';
import { HELD_WHILE_UNLISTED } from '../domain/vanishing.js';
import { ActionParked, type ActionJobData } from '../queue/jobs.js';
import { promoteActions, removeActionJobs } from '../queue/queues.js';
import { getCursor } from '../store/accounts.js';
import { audit } from '../store/audit.js';
import { getActionRecords, getInterview } from '../store/interviews.js';
import { releasedParked, takeParked } from '../store/outages.js';
import { forgetUnlisted, heldList, noteUnlisted, unlistedBy } from '../store/unlisted.js';
import type { Engine } from './context.js';
import { missedWhileHeld, PARK_RECHECK_MS, parkOn, recordMissed } from './outage.js';
import { readAwaiting } from './vanishing.js';

/**
 * For an action's first read, with its interview: the calendar account that no longer lists its
 * call, or null. Asked only for the actions that wait ({@link HELD_WHILE_UNLISTED}).
 */
export async function unlistedFor(engine: Engine, job: ActionJobData): Promise<string | null> {
  return HELD_WHILE_UNLISTED.has(job.kind) ? await unlistedBy(engine.store, job.interviewId) : null;
}

/**
 * Parks the action (throws {@link ActionParked}) while calendar `calendarId` (from
 * {@link unlistedFor}; null: nothing to wait for) awaits confirmation that its call is gone. The
 * audit says so once per action.
 */
export async function holdWhileUnlisted(engine: Engine, job: ActionJobData, interview: Interview, calendarId: string | null): Promise<void> {
  if (calendarId === null) return;
  // The stored cursor is what counts (vanishing.ts): a pointer may be left from a settled wait.
  const { awaiting } = readAwaiting(await getCursor(engine.store, calendarId));
  if (!awaiting.has(interview.eventId)) {
    await forgetUnlisted(engine.store, [interview.id]);
    return;
  }
  const first = await parkOn(engine, heldList(calendarId), job, `waiting for calendar ${calendarId} to list this call again`);
  if (first) {
    await audit(engine.store, {
      type: 'account',
      accountId: calendarId,
      interviewId: job.interviewId,
      message: `${ACTION_LABEL[job.kind]} held: calendar ${calendarId} no longer lists this call; it is sent if the next sync lists it again, and withdrawn if not`,
      at: engine.now(),
    });
  }
  // The sync that settles the wait brings the job forward; this only bounds the wait should no sync run.
  throw new ActionParked(`waiting for calendar ${calendarId} to list the call again`, PARK_RECHECK_MS);
}

/**
 * The waiting interviews are pointed to, by the sync that begins a wait, right before the step that
 * stores its cursor (src/engine/sync.ts): never a cursor holding the wait without its pointers.
 */
export async function noteWaiting(engine: Engine, accountId: string, eventIds: readonly string[]): Promise<void> {
  await noteUnlisted(engine.store, accountId, eventIds.map((id) => interviewIdFor(accountId, id)));
}

/**
 * After a sync stored its cursor, when it settled a wait (`waited`: its event ids; empty when
 * none) or found sends on the calendar's held list (those held while it could not be read,
 * unread-sends.ts): the pointers go, and the actions parked on the calendar's list are taken off
 * it. Each whose interview is still scheduled at the same revision runs now if it is still of use
 * (and is checked again from the start: a send still held parks again), else it is recorded once
 * as missed; those of an interview the sync withdrew or replanned were removed with it.
 *
 * The list is moved aside, not dropped, until all are brought forward (`takeParked`): a process
 * stopped in between leaves them there, counted by the next sync (src/engine/sync.ts), which
 * releases them again. Again is harmless: a job not waiting is left alone, one that runs twice
 * sends once (its claim), and one recorded as missed is no longer parked.
 */
export async function releaseHeld(engine: Engine, accountId: string, waited: ReadonlySet<string>): Promise<void> {
  await forgetUnlisted(engine.store, [...waited].map((id) => interviewIdFor(accountId, id)));
  const parked = await takeParked(engine.store, heldList(accountId));
  const now = engine.now();
  const run: string[] = [];
  for (const action of parked) {
    const interview = await getInterview(engine.store, action.interviewId);
    if (!interview || interview.status !== 'scheduled' || interview.revision !== action.revision) continue;
    const record = (await getActionRecords(engine.store, action.interviewId)).find((r) => r.kind === action.kind && r.revision === action.revision);
    if (record?.state !== 'parked') continue;
    const why = pastUse({ kind: action.kind, dueAt: record.dueAt }, interview.start, engine.config.timing, now);
    if (why === null) {
      run.push(action.jobId);
      continue;
    }
    await removeActionJobs(engine.queues, [action.jobId]);
    await recordMissed(engine, action, missedWhileHeld(engine, accountId, action, now, why), heldList(accountId));
  }
  await promoteActions(engine.queues, run);
  await releasedParked(engine.store, heldList(accountId), parked.map((p) => p.jobId));
}
