/**
 * BullMQ's own job scripts queued on one of ringback's batches of commands (a lean pipeline,
 * src/store/lean-pipeline.ts), so that an interview's jobs go to Redis in the same socket write as
 * its records and audit lines.
 *
 * `Queue.addBulk` makes a pipeline of its own (a copy of BullMQ's 52 scripts with it) and
 * `Queue.remove` sends each removal alone, a promise callback after it is asked: a moved interview
 * went to Redis in 13 socket writes for its two round trips, each waking Redis to read (churn and
 * fleet benchmarks, issue 17, bench/README.md). The jobs and removals here are BullMQ's: `Job`'s
 * `addJob`, as `Queue.addBulk` runs it (`Job.createBulk`), and the `removeJob` script with the
 * arguments `Queue.remove` gives it.
 */
import { Job, type JobsOptions, type Queue } from 'bullmq';
import type { LeanPipeline } from '../store/lean-pipeline.js';

/** A job as `Queue.addBulk` takes it. */
export interface BulkJob<T> {
  readonly name: string;
  readonly data: T;
  readonly opts: JobsOptions & { jobId: string };
}

/** What BullMQ's scripts call on the client they are given: its Lua command by name. */
function scriptsOn(lean: LeanPipeline): { runCommand(name: string, args: readonly unknown[]): unknown } {
  const client = {
    runCommand(name: string, args: readonly unknown[]) {
      lean.runScript(name, [args]);
      return client;
    },
  };
  return client;
}

/**
 * Queues the commands that add `jobs` on the batch (the queue's client must be ready: `await
 * queue.client` first, which loads BullMQ's scripts on the connection). `added` settles once each
 * job's `addJob` has. `failed` is set when a job's command could not be queued (its options
 * refused…): the batch must then not be sent without it, and awaiting `failed` throws that job's
 * own error.
 */
export function addJobsIn<T>(lean: LeanPipeline, queue: Queue<T>, jobs: readonly BulkJob<T>[]): { added: Promise<unknown>; failed: Promise<never> | null } {
  const client = scriptsOn(lean) as unknown as Parameters<Job['addJob']>[0];
  const before = lean.batch.length;
  // As Queue.addBulk does (Job.createBulk): the queue's default options, then the job's own; each
  // addJob queues its command on the batch before it returns.
  const added = Promise.all(
    jobs.map((job) => new Job<T>(queue as never, job.name, job.data, { ...queue.defaultJobOptions, ...job.opts }, job.opts.jobId).addJob(client)),
  );
  // A failure is reported by the caller's await; this only keeps it from counting as unhandled
  // meanwhile.
  added.catch(() => undefined);
  const queued = lean.batch.length - before;
  const failed =
    queued === jobs.length
      ? null
      : added.then(() => {
          throw new Error(`${queued} of ${jobs.length} jobs were queued on the batch`);
        });
  return { added, failed };
}

/**
 * Queues the removal of each job on the batch, as `Queue.remove(id, { removeChildren: false })`
 * sends it. Returns the check of their replies, from the reply at `at` on: a removal answers 1
 * (removed), 0 (running now: left, and it stands down when it reads the interview again) or a
 * negative code, which the check throws as `Queue.remove` does.
 *
 * Without the walk over children: an action job never has any (its jobs are added one by one, by
 * `Job.addJob` here and `Queue.add`/`addBulk`, never by a flow), so the walk that `Queue.remove`'s
 * default makes (the dependencies' locks, then the processed, failed and unsuccessful children and
 * the dependencies again: five commands per removal) found nothing in every removal, and was 30 of
 * the 172 commands Redis ran for a moved interview (fleet and churn benchmarks, issue 17,
 * bench/README.md). The job's own lock is still checked, and a job with a parent is still taken
 * out of its parent's dependencies, as before.
 */
export function removeJobsIn(lean: LeanPipeline, queue: Queue, jobIds: readonly string[]): (replies: readonly [Error | null, unknown][]) => void {
  const at = lean.batch.length;
  // removeArgs is what Queue.remove passes to the script; protected in BullMQ's types only.
  const scripts = queue.scripts as unknown as { removeArgs(jobId: string, removeChildren: boolean): unknown[] };
  const client = scriptsOn(lean) as unknown as Parameters<Queue['scripts']['execCommand']>[0];
  for (const jobId of jobIds) queue.scripts.execCommand(client, 'removeJob', scripts.removeArgs(jobId, false));
  return (replies) => {
    jobIds.forEach((jobId, i) => {
      const [error, reply] = replies[at + i] ?? [new Error(`no reply to the removal of job ${jobId}`), null];
      if (error) throw error;
      if (typeof reply === 'number' && reply < 0) throw queue.scripts.finishedErrors({ code: reply, jobId, command: 'removeJob' });
    });
  };
}
