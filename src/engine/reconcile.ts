/**
 * The reconciler rebuilds the expected jobs from the store (DESIGN.md, Sending exactly once): a
 * lost job (Redis crash, a process killed between two writes) is recreated, a stale one removed,
 * and drafts of withdrawn interviews that a mailbox failure left behind are deleted.
 */
import { FINISHED_STATES } from '../domain/actions.js';
import type { Interview, PlannedAction } from '../domain/types.js';
import { actionJobId, isLegacyActionJobId, legacyActionJobId, parseActionJobId, type ActionJobData } from '../queue/jobs.js';
import { actionJobIds, addActions, noteLegacyIds, realignActions, removeActionJobs } from '../queue/queues.js';
import { failedActionJobs } from '../queue/stalls.js';
import { audit, trimAudit } from '../store/audit.js';
import { restoreCallEntries } from '../store/call-index.js';
import { sendTogether } from '../store/connection.js';
import { getActionRecords, getInterview, getInterviews, listInterviewIds } from '../store/interviews.js';
import { noteZoneApplied, zoneApplied } from '../store/zone-applied.js';
import { deleteUnsentDrafts, draftsLeftIn, draftsLeftOf } from './cancel.js';
import type { Engine } from './context.js';
import { releaseFromRemovedCalendar } from './declined-call.js';
import { handOver } from './duplicates.js';
import { afterActionFailed } from './failed-actions.js';
import { leaveMissedNotice } from './missed-notice.js';
import { missedOnRemoval } from './outage.js';
import { computePlan } from './replan.js';
import { followCandidateZone, mayHoldDraft } from './travel.js';
import { tellLateEditAfter } from './late-edit.js';

export interface ReconcileSummary {
  readonly added: number;
  readonly removed: number;
  readonly draftsCleaned: number;
  /** Pending jobs moved to the due time the plan gives now (a changed timing setting, a clock step). */
  readonly moved: number;
  /** Interviews put back in the call index: written by a process of an earlier version still running (call-index.ts). */
  readonly indexed: number;
  /** Failed jobs whose worker died before it recorded them, now put back or recorded (failed-actions.ts). */
  readonly unrecorded: number;
  /** Confirmation drafts written again on the candidate's zone after it changed (travel.ts). */
  readonly rezoned: number;
}

/**
 * {@link followCandidateZone}: 'rewritten' when it wrote the draft again, 'retry' when it is to be
 * looked at again at the next reconcile. A mailbox that cannot be used now leaves the draft to the
 * next reconcile, or to its send, which writes it again as well (late-confirmation.ts): the other
 * interviews are not held up by it. So does a draft whose lock a job holds.
 */
async function rezone(engine: Engine, interview: Interview, records: Parameters<typeof followCandidateZone>[2]): Promise<'rewritten' | 'retry' | 'done'> {
  try {
    const did = await followCandidateZone(engine, interview, records);
    return did === 'rewritten' ? 'rewritten' : did === 'busy' ? 'retry' : 'done';
  } catch (error) {
    engine.log.warn({ interview: interview.id, err: error }, 'the confirmation draft could not be written again on the new time zone now; tried again at the next reconcile, and before it is sent');
    return 'retry';
  }
}

/**
 * {@link leaveMissedNotice}: the note that a confirmation was not sent, left in Drafts by the round
 * after a mailbox that could not take it when the send was recorded missed. A mailbox that cannot
 * be used now leaves it to the next round.
 */
async function noticeIfNotSent(engine: Engine, interview: Interview, send: Parameters<typeof leaveMissedNotice>[2]): Promise<void> {
  try {
    await leaveMissedNotice(engine, interview, send);
  } catch (error) {
    engine.log.warn({ interview: interview.id, err: error }, 'the note that the confirmation was not sent could not be written in Drafts now; tried again at the next reconcile');
  }
}

/**
 * Interviews read per step: a store of 10,000 interviews is never held whole (every record with
 * its evidence, and a plan item per pending job, all alive at once), and the jobs of each page are
 * added and realigned before the next is read (issue 17, footprint benchmark).
 */
const PAGE = 500;

type Item = { interviewId: string; revision: number; action: PlannedAction };

/**
 * Failed jobs of actions whose record still says they are to run: the worker's `failed` listener,
 * which puts back a job the queue failed for stalling and records any other, never ran (its
 * process was killed just after the job failed; in a crash loop, that is when it happens). What it
 * would have done is done now (failed-actions.ts). How many were found.
 */
async function finishUnrecordedFailures(engine: Engine, actions: readonly ActionJobData[]): Promise<number> {
  if (actions.length === 0) return 0;
  const byId = new Map(actions.map((a) => [actionJobId(a.interviewId, a.kind, a.revision), a]));
  const failed = await failedActionJobs(engine.queues, [...byId.keys()]);
  for (const job of failed) await afterActionFailed(engine, byId.get(job.id) as ActionJobData, job);
  return failed.length;
}

/**
 * The handovers a sync did not make: a listing withdrawn as gone from its calendar whose
 * duplicates are still its duplicates, so that another calendar's listing takes the call over
 * (handOver, duplicates.ts). Either the process died between withdrawing it and handing over
 * (src/engine/sync.ts), or its calendar had moved it before it went while the duplicate's had not
 * caught up (domain/duplicates.ts, `followsMovedOwner`): the handover at its own time found no
 * duplicate there, and is made at the duplicate's. One read of the owners of the page's duplicates
 * (few); a handover made already finds no duplicate left and does nothing. Whether one was made.
 */
async function finishHandOvers(engine: Engine, page: readonly Interview[]): Promise<boolean> {
  const duplicates = page.filter((iv) => iv.status === 'scheduled' && iv.duplicateOf !== undefined);
  if (duplicates.length === 0) return false;
  const owners = new Map((await getInterviews(engine.store, [...new Set(duplicates.map((iv) => iv.duplicateOf as string))])).map((owner) => [owner.id, owner]));
  const made = new Set<string>();
  for (const duplicate of duplicates) {
    const owner = owners.get(duplicate.duplicateOf as string);
    const at = `${owner?.id}@${duplicate.start}`;
    if (owner?.vanished !== true || made.has(at)) continue;
    made.add(at);
    await handOver(engine, owner.start === duplicate.start ? owner : { ...owner, start: duplicate.start });
  }
  return made.size > 0;
}

export async function reconcile(engine: Engine): Promise<ReconcileSummary> {
  const now = engine.now();
  // The audit's age bound is kept here rather than on every write (src/store/audit.ts).
  await trimAudit(engine.store);
  const ids = await listInterviewIds(engine.store, { from: now - 8 * 86_400_000 });
  const { pending, settled, active } = await actionJobIds(engine.queues);
  // Jobs queued before the upgrade have ids of the earlier form. A waiting one is replaced by a
  // job of this version's id (added as missing below, then removed as stale); a running one, or
  // a finished one, counts as this version's id would.
  const legacy = [...pending, ...settled].some(isLegacyActionJobId);
  const earlierIn = (ids: Set<string>, item: Item) => legacy && ids.has(legacyActionJobId(item.interviewId, item.action.kind, item.revision));

  const expected = new Set<string>();
  let added = 0;
  let moved = 0;
  let draftsCleaned = 0;
  let indexed = 0;
  let unrecorded = 0;
  let rezoned = 0;
  // The drafts are looked at after a change of zone, and those it could not write then at each
  // round until written: a read per upcoming drafted interview at every round was a read for a
  // change that comes when the candidate travels (travel-reads.int.test.ts).
  const zone = engine.config.candidate.timezone;
  const applied = await zoneApplied(engine.store);
  const zoneChanged = applied.zone !== zone;
  const retry: string[] = [];
  for (let i = 0; i < ids.length; i += PAGE) {
    const missing: Item[] = [];
    const waiting: Item[] = [];
    const settledUnrecorded: ActionJobData[] = [];
    const read = await getInterviews(engine.store, ids.slice(i, i + PAGE));
    // Read again after a handover, so that the plans below are of the records it wrote.
    const page = (await finishHandOvers(engine, read)) ? await getInterviews(engine.store, ids.slice(i, i + PAGE)) : read;
    // A record missing from the call index is not found as the same call by another calendar's
    // listing. Whether those no longer scheduled have drafts left is asked in the same round trip.
    const off = page.filter((interview) => interview.status !== 'scheduled');
    const [restored, left] = await sendTogether(engine.store.redis, () => Promise.all([restoreCallEntries(engine.store, page), draftsLeftIn(engine.store, off)]));
    indexed += restored;
    const draftsLeft = new Map(off.map((interview, i) => [interview, left[i] as boolean]));
    for (const read of page) {
      // Withdrawn for a cancellation shown by a calendar since taken out of the config: its own calendar speaks for the call.
      const interview = (await releaseFromRemovedCalendar(engine, read)) ? ((await getInterview(engine.store, read.id)) ?? read) : read;
      if (interview.status !== 'scheduled') {
        if (draftsLeft.get(interview) ?? (await draftsLeftOf(engine.store, interview))) {
          draftsCleaned += await deleteUnsentDrafts(engine, interview);
        }
        continue;
      }
      const list = await getActionRecords(engine.store, interview.id);
      const records = new Map(list.map((r) => [r.kind, r]));
      await noticeIfNotSent(engine, interview, records.get('confirmation-send'));
      // An edit of the sent confirmation saved since, until the call begins (late-edit.ts).
      if (records.get('confirmation-send')?.state === 'sent' && interview.start > now) await tellLateEditAfter(engine, interview);
      if (mayHoldDraft(interview, records, now) && (zoneChanged || applied.retry.has(interview.id))) {
        const did = await rezone(engine, interview, list);
        if (did === 'rewritten') rezoned++;
        if (did === 'retry') retry.push(interview.id);
      }
      for (const action of (await computePlan(engine, interview)).actions) {
        const id = actionJobId(interview.id, action.kind, interview.revision);
        expected.add(id);
        const record = records.get(action.kind);
        const finished = record && record.revision === interview.revision && FINISHED_STATES.has(record.state);
        const item = { interviewId: interview.id, revision: interview.revision, action };
        if (!finished && !pending.has(id) && !settled.has(id) && !earlierIn(settled, item) && !earlierIn(active, item)) missing.push(item);
        else if (pending.has(id)) waiting.push(item);
        else if (!finished && settled.has(id)) settledUnrecorded.push({ interviewId: interview.id, kind: action.kind, revision: interview.revision });
      }
    }
    // Reading interviews takes a while on a big store: due times are turned into delays from the
    // clock as it is now, not as it was when the scan began (else every job looks moved).
    await addActions(engine.queues, missing, engine.now());
    moved += await realignActions(engine.queues, waiting, engine.now());
    added += missing.length;
    unrecorded += await finishUnrecordedFailures(engine, settledUnrecorded);
  }

  // Any pending action job the store does not expect now is stale: an old revision, a withdrawn
  // interview, a kind the plan dropped, or an interview older than the scan window.
  // A job of the earlier id form whose action is expected: replaced above when waiting, left to
  // finish when running.
  const expectedAs = (id: string) => {
    const action = isLegacyActionJobId(id) ? parseActionJobId(id) : null;
    return action !== null && expected.has(actionJobId(action.interviewId, action.kind, action.revision));
  };
  const stale = [...pending].filter((id) => !expected.has(id) && parseActionJobId(id) !== null && !(active.has(id) && expectedAs(id)));
  // An action the plan dropped because its time passed (during an outage, or while ringback did not
  // run) is recorded as missed; one running now records its own end.
  await missedOnRemoval(engine, stale.filter((id) => !expectedAs(id) && !active.has(id)).map((id) => parseActionJobId(id)).filter((job) => job !== null));
  await removeActionJobs(engine.queues, stale);
  const removed = new Set(stale);
  if (zoneChanged || applied.retry.size > 0) await noteZoneApplied(engine.store, zone, retry);
  noteLegacyIds(engine.queues, [...settled, ...[...pending].filter((id) => !removed.has(id))]);
  if (added > 0 || stale.length > 0 || moved > 0) {
    await audit(engine.store, {
      type: 'planned',
      message: `reconciler: ${added} missing job${added === 1 ? '' : 's'} recreated, ${stale.length} stale removed, ${moved} moved to their due time`,
      at: now,
    });
  }
  if (indexed > 0) {
    // Repaired, but said: only a process of an earlier version writes a record without its members
    // of the call index, and until it is stopped, what it writes between two reconciles is not
    // found as the same call by another calendar's listing.
    const message = `reconciler: ${indexed} interview${indexed === 1 ? '' : 's'} written by an earlier version of ringback after the upgrade added to the call index; stop the processes of earlier versions that share this Redis (README, "Several processes on one Redis")`;
    engine.log.warn({ indexed }, message);
    await audit(engine.store, { type: 'error', message, at: now });
  }
  return { added, removed: stale.length, draftsCleaned, moved, indexed, unrecorded, rezoned };
}
