/**
 * The first plan of an interview in one round trip: its jobs, action records and audit lines,
 * written only if nothing is known of the interview yet. A replan of a new interview read the
 * store in one round trip (company, confirmation email, action records), then wrote in another;
 * one at a time, the second wait and the socket writes of each were most of what kept the schedule
 * benchmark at 28–35% of raw BullMQ addBulk (issue 17, bench/README.md).
 *
 * What the plan would have read is known when the interview is new: no action record, no
 * confirmation draft, its company not flagged, and no job queued of a kind the plan leaves out
 * (which the general path would remove; a job of a planned kind is left as it is either way).
 * Redis checks that, in the same round trip, right before the writes: the check and a WATCH of
 * every key it reads go first, then the writes in a transaction (MULTI … EXEC), which Redis runs
 * only if the interview was new and none of those keys changed since. Otherwise Redis discards it
 * and the caller plans as for any other interview. The jobs are BullMQ's own (`Job.addJob`, as
 * `Queue.addBulk` adds them), so they are the very jobs `addBulk` would add.
 */
import { ACTION_KINDS, type ActionRecord } from '../domain/actions.js';
import type { Millis, PlannedAction } from '../domain/types.js';
import { auditIn, type AuditEntry } from '../store/audit.js';
import { setActionRecordsIn, watchNewInterviewIn, type NewInterviewCheck } from '../store/first-plan.js';
import { leanPipeline } from '../store/lean-pipeline.js';
import type { Store } from '../store/store.js';
import { actionJobId, legacyActionJobId } from './jobs.js';
import { addJobsIn } from './batch-jobs.js';
import { actionJob, legacyIdsIfKnown, legacyIdsMayExist, type Queues } from './queues.js';

export interface FirstPlan {
  readonly interviewId: string;
  readonly revision: number;
  /** The interview's company, whose "pattern" flag the plan assumed unset. */
  readonly company: string | null;
  readonly actions: readonly PlannedAction[];
  /** The action records of the plan, as `recordsOf` makes them with none stored. */
  readonly records: readonly ActionRecord[];
  readonly entries: readonly AuditEntry[];
  readonly now: Millis;
}

/**
 * Writes the plan of an interview planned on the assumption that nothing is known of it yet (see
 * the top of this file) and answers `{ isNew: true }`. When that is not so it writes nothing and
 * answers with what the plan reads, read in the same round trip (`known`; null when the check
 * could not tell): the caller then plans again with it.
 */
export async function writeFirstPlan(queues: Queues, store: Store, plan: FirstPlan): Promise<NewInterviewCheck> {
  const { interviewId, revision, actions, now } = plan;
  const queue = queues.actions;
  // The queue's scripts are loaded on its connection, which the store shares.
  await queue.client;
  // The batch is an ioredis pipeline of that connection without the copy of BullMQ's 52 scripts
  // that each of its pipelines carries (src/store/lean-pipeline.ts); BullMQ's jobs run the one
  // script each needs by name, as on a pipeline of BullMQ's own (batch-jobs.ts).
  const lean = leanPipeline(store.redis);
  const { batch, release } = lean;
  // Only a job of a kind the plan leaves out would make the general path write otherwise (it
  // removes that job); one of a planned kind is left as it is by both (addBulk adds nothing
  // under an id already there). So only those are checked: one kind or two, not all six.
  // A job queued before the upgrade has an id of the earlier form: the general path finds it (and
  // leaves it, or removes it), where this one would add a job of this version's id beside it. While
  // such jobs may exist, the earlier form's id of every kind is checked too.
  const planned = new Set(actions.map((a) => a.kind));
  const legacy = legacyIdsIfKnown(queues) ?? (await legacyIdsMayExist(queues));
  const jobKeys = [
    ...ACTION_KINDS.filter((kind) => !planned.has(kind)).map((kind) => actionJobId(interviewId, kind, revision)),
    ...(legacy ? ACTION_KINDS.map((kind) => legacyActionJobId(interviewId, kind, revision)) : []),
  ].map((id) => queue.toKey(id));
  const checked = watchNewInterviewIn(batch, store, { interviewId, company: plan.company, absent: jobKeys });
  batch.multi();
  const { added, failed } = addJobsIn(
    lean,
    queue,
    actions.map((action) => actionJob(interviewId, revision, action, now)),
  );
  // A job that failed before its command was queued must not leave the others to go without it.
  if (failed) await failed;
  setActionRecordsIn(batch, store, interviewId, plan.records);
  if (plan.entries.length > 0) auditIn(batch, store, ...plan.entries);
  // The first exec() closes the transaction (EXEC), the second sends the batch.
  void batch.exec();
  let replies: [Error | null, unknown][];
  // Once its replies are in, the batch lets go of its commands and replies, which would otherwise
  // stay in memory until the next full collection (releasePipeline).
  try {
    replies = (await batch.exec()) ?? [];
    await added;
  } finally {
    release();
  }
  const check = checked(replies);
  const [execError, written] = replies[replies.length - 1] ?? [null, null];
  if (execError) throw execError;
  // Discarded after a check that passed: another client changed a watched key in between; what
  // the check read may be out of date, so the caller reads again.
  if (written === null) return check.isNew ? { isNew: false, known: null } : check;
  // The check discards the transaction whenever it does not pass, its own failure included; a
  // transaction run without it would rest on nothing checked.
  if (!check.isNew) throw new Error(`the first plan of ${interviewId} was written though its check did not pass`);
  for (const reply of written as unknown[]) if (reply instanceof Error) throw reply;
  return check;
}
