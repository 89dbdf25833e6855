/**
 * Action jobs that stalled too often: what BullMQ does with them and how one is put back.
 *
 * A running job holds a lock that its worker renews; when the process dies (killed, crashed, the
 * machine lost power) the lock runs out, and a worker's stalled check (moveStalledJobsToWait-9.lua,
 * bullmq 5.x) counts one stall in the job's hash (`stc`, never reset) and moves it back to waiting.
 * Past `maxStalledCount` the script marks it as a deferred failure instead, and the next worker
 * that takes it fails it at once, without running it, with an UnrecoverableError of
 * {@link STALLED_OUT} (Worker.getUnrecoverableErrorMessage): the job lands in the failed set and
 * the worker's `failed` listener is the only place that learns of it.
 *
 * A stall is never a fault of the email (DESIGN.md, Outages): a daemon in a crash loop stalls the
 * jobs that happen to run at each kill, and a send retried after a kill first asks the mailbox
 * whether the earlier attempt got through, so it is slower and more often the one cut short.
 * Such a job is put back ({@link putBackFailedAction}) until {@link ACTION_STALLS_IN_ALL}.
 */
import type { Job } from 'bullmq';
import type { Queues, StoredActionData } from './queues.js';

/**
 * How many times an action job may be found stalled before BullMQ fails it (its
 * `maxStalledCount`). BullMQ's default of 1 means that a job whose process is killed twice while
 * running it is failed, and its email is never sent. Past it, ringback puts the job back itself,
 * once per further stall, and says so in the audit (src/engine/failed-actions.ts).
 */
export const ACTION_MAX_STALLS = 10;

/**
 * The bound on stalls in all: a job found stalled this many times is failed for good. It stops a
 * job that kills its own process every time it runs (a poison input) from crashing ringback for
 * ever; with the default job lock (30 s) and stalled check (15 s) a crash loop reaches it after
 * 15–25 minutes. A job of a process killed from outside is rarely running at that many kills:
 * the smtp-window scenario (docs/RELIABILITY.md), 22 kills 1.5 s apart, stalled two jobs 11 times.
 */
export const ACTION_STALLS_IN_ALL = 30;

/** BullMQ's `failedReason` of a job found stalled more than `maxStalledCount` times (see the file's head). */
export const STALLED_OUT = 'job stalled more than allowable limit';

/** A failed action job as the reconciler looks at it: why it failed and how often it stalled. */
export interface FailedActionJob {
  readonly id: string;
  readonly reason: string;
  /** How many times it was found stalled, as BullMQ counts it (`stc`). */
  readonly stalls: number;
  /** Puts it back to run again, from the job as read here ({@link putBackFailedAction}). */
  putBack(): Promise<boolean>;
}

/** The failed jobs among these action job ids (the others are left out). */
export async function failedActionJobs(queues: Queues, ids: readonly string[]): Promise<FailedActionJob[]> {
  const found: FailedActionJob[] = [];
  for (const id of ids) {
    const job: Job<StoredActionData> | undefined = await queues.actions.getJob(id);
    if (!job || !(await job.isFailed())) continue;
    found.push({ id, reason: job.failedReason, stalls: job.stalledCounter, putBack: () => putBackJob(job) });
  }
  return found;
}

/**
 * Moves a failed action job back to waiting as it is: same id, data, attempts made and stall
 * count (BullMQ's Job.retry, one Lua step, so that a process killed now leaves it either failed
 * or waiting, never gone). False when it is not failed any more: put back by another process
 * (the worker's listener and the reconciler may both see it), or removed by a replan.
 */
export async function putBackFailedAction(queues: Queues, jobId: string): Promise<boolean> {
  const job: Job<StoredActionData> | undefined = await queues.actions.getJob(jobId);
  if (!job || !(await job.isFailed())) return false;
  return await putBackJob(job);
}

/**
 * {@link putBackFailedAction} for a job already read and found failed (the reconciler's
 * {@link failedActionJobs}): read again, it cost a round trip more per job. A job no longer failed
 * when it is put back is told apart by the queue's answer, as below.
 */
async function putBackJob(job: Job<StoredActionData>): Promise<boolean> {
  try {
    await job.retry('failed');
    return true;
  } catch (error) {
    // reprocessJob answers -3 (not in the failed set) when someone else moved it meanwhile.
    if (await job.isFailed()) throw error;
    return false;
  }
}
