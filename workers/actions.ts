/**
 * The actions worker: runs one due step of an interview (src/engine/actions.ts), parks it when its
 * mailbox cannot be used (src/engine/outage.ts: the account is marked as needing attention, the
 * step waits for it), and records a step that failed for good (a fault of the email itself) in the
 * interview's actions and the audit, saying which step and why. Retries follow policy.ts.
 */
import { UnrecoverableError, Worker, type Job } from 'bullmq';
import type { Engine } from '../src/engine/context.js';
import { runAction } from '../src/engine/actions.js';
import { parkOnAccountFailure } from '../src/engine/outage.js';
import { ACTION_LABEL } from '../src/domain/actions.js';
import { ACTIONS_QUEUE, actionJobId, type ActionJobData } from '../src/queue/jobs.js';
import { ACTION_RETENTION, ACTION_RETRY, actionOfJob, bullPrefix, type StoredActionData } from '../src/queue/queues.js';
import { audit } from '../src/store/audit.js';
import { updateActionState } from '../src/store/interviews.js';
import { backoffStrategy, onFailed, STALLED_INTERVAL_MS, underPolicy, type WorkerSettings } from './policy.js';

/**
 * How many times an action job may be found stalled (its process died, or its lock ran out)
 * before BullMQ fails it for good. BullMQ's default of 1 means that a job whose process is
 * killed twice while running it is failed, and its email is never sent. Every action re-reads
 * the world and sends exactly once, so running it again is safe; the bound only stops a job that
 * kills its own worker (a poison input) from looping for ever.
 */
export const ACTION_MAX_STALLS = 10;

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

export async function actionGaveUp(engine: Engine, job: ActionJobData, error: Error): Promise<void> {
  await updateActionState(engine.store, job.interviewId, job.kind, job.revision, 'failed', error.message);
  await audit(engine.store, {
    type: 'error',
    interviewId: job.interviewId,
    message: `${ACTION_LABEL[job.kind]} failed for good (${actionJobId(job.interviewId, job.kind, job.revision)}): ${error.message}`,
    at: engine.now(),
  });
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
  const gaveUp = async (job: { id?: string | undefined; data: StoredActionData }, error: Error) => {
    engine.log.error({ kind: 'action', err: error.message }, 'job failed for good');
    const action = actionOfJob(job);
    if (action) await actionGaveUp(engine, action, error);
  };
  worker.on('failed', onFailed(() => 'action', gaveUp, options));
  worker.on('completed', () => options.onCompleted?.());
  worker.on('error', options.onError);
  return worker;
}
