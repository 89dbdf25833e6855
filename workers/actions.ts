/**
 * The actions worker: runs one due step of an interview (src/engine/actions.ts), parks it when its
 * mailbox cannot be used (src/engine/outage.ts: the account is marked as needing attention, the
 * step waits for it), and hands a job that failed to src/engine/failed-actions.ts: a fault of the
 * email itself fails the step for good (recorded in the interview's actions and the audit, saying
 * which step and why); a job the queue failed because its process died too often while running it
 * is put back, up to a bound. Retries follow policy.ts.
 */
import { UnrecoverableError, Worker, type Job } from 'bullmq';
import type { Engine } from '../src/engine/context.js';
import { runAction } from '../src/engine/actions.js';
import { afterActionFailed } from '../src/engine/failed-actions.js';
import { parkOnAccountFailure } from '../src/engine/outage.js';
import { ACTIONS_QUEUE, type ActionJobData } from '../src/queue/jobs.js';
import { ACTION_RETENTION, ACTION_RETRY, actionOfJob, bullPrefix, type StoredActionData } from '../src/queue/queues.js';
import { ACTION_MAX_STALLS, putBackFailedAction } from '../src/queue/stalls.js';
import { backoffStrategy, onFailed, STALLED_INTERVAL_MS, underPolicy, type WorkerHooks, type WorkerSettings } from './policy.js';

/** @defaultValue of WorkerSettings.lockDurationMs for actions */
const ACTION_LOCK_MS = 30_000;

export interface ActionWorkerOptions extends WorkerSettings {
  /** How many actions run at once in this process. */
  readonly concurrency: number;
  /** Called when an action job went through (a fault it may have met is over). */
  readonly onCompleted?: () => void;
}

export function actionProcessor(engine: Engine): (data: ActionJobData, attempt: number) => Promise<string> {
  return async (data, attempt) => {
    try {
      return (await runAction(engine, data)).message;
    } catch (error) {
      // Throws ActionParked when the account is down; otherwise the error goes on to the queue.
      await parkOnAccountFailure(engine, data, error, attempt);
      throw error;
    }
  };
}

/**
 * Gives a job the actions' retry policy ({@link ACTION_RETRY}) as it starts: BullMQ decides a retry
 * from the options of the job it ran, and jobs are added without it, to keep each job small in
 * Redis (src/queue/queues.ts). A job of an earlier version keeps the policy it carries.
 */
export function withActionRetry(job: Job): void {
  if (!job.opts.attempts) job.opts.attempts = ACTION_RETRY.attempts;
  job.opts.backoff ??= { ...ACTION_RETRY.backoff };
}

/** What the actions worker does with each job: `process` the action it stands for, under policy.ts. */
export async function runActionJob(
  job: Job<StoredActionData>,
  token: string | undefined,
  process: (data: ActionJobData, attempt: number) => Promise<string>,
): Promise<string> {
  withActionRetry(job);
  return await underPolicy(job, token, () => {
    const action = actionOfJob(job);
    if (!action) throw new UnrecoverableError(`not an action job: ${job.id ?? '(no id)'}`);
    return process(action, job.attemptsMade + 1);
  });
}

export function startActionWorker(engine: Engine, options: ActionWorkerOptions): Worker<StoredActionData, string> {
  const process = actionProcessor(engine);
  const worker = new Worker<StoredActionData, string>(
    ACTIONS_QUEUE,
    async (job, token) => await runActionJob(job, token, process),
    {
      ...ACTION_RETENTION,
      connection: options.connection,
      prefix: bullPrefix(options.prefix),
      concurrency: options.concurrency,
      lockDuration: options.lockDurationMs ?? ACTION_LOCK_MS,
      stalledInterval: options.stalledIntervalMs ?? STALLED_INTERVAL_MS,
      maxStalledCount: ACTION_MAX_STALLS,
      settings: { backoffStrategy },
    },
  );
  worker.on('failed', actionFailedListener(engine, options));
  worker.on('completed', () => options.onCompleted?.());
  worker.on('error', options.onError);
  return worker;
}

/**
 * The actions worker's `failed` listener: a job that will be retried goes to the log; one that
 * failed for good in the queue's eyes goes to src/engine/failed-actions.ts, which puts back a job
 * failed only for stalling too often (its `stalledCounter`: BullMQ's count of stalls) and records
 * any other.
 */
export function actionFailedListener(engine: Engine, hooks: WorkerHooks): (job: Job | undefined, error: Error) => void {
  const gaveUp = async (job: Job, error: Error) => {
    engine.log.error({ kind: 'action', err: error.message }, 'job failed');
    const action = actionOfJob(job);
    const id = job.id ?? '';
    if (action) await afterActionFailed(engine, action, { id, reason: error.message, error, stalls: job.stalledCounter, putBack: () => putBackFailedAction(engine.queues, id) });
  };
  return onFailed(() => 'action', gaveUp, hooks);
}
