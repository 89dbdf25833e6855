/**
 * The retry policy of every worker: the one place where a provider's typed error becomes a queue
 * decision (CONVENTIONS.md, "Retry behaviour is a type"):
 * - RateLimitError → the job is moved to delayed until Retry-After has passed (no attempt used);
 * - ActionParked (the account is down: src/engine/outage.ts) → the job waits, no attempt used;
 * - AuthError, PermanentError → UnrecoverableError: not retried (actions turn the account's
 *   failures into ActionParked before they get here, so for them this is a fault of the email);
 * - anything else → retried with the job's backoff ({@link backoffStrategy}), until its attempts
 *   are used up (an action's: ACTION_RETRY in src/queue/queues.ts, given to each job by the
 *   actions worker as it starts it).
 */
import { DelayedError, UnrecoverableError, type Job, type MinimalJob } from 'bullmq';
import type { RedisConnection } from '../src/store/connection.js';
import { AuthError, PermanentError, RateLimitError } from '../src/providers/errors.js';
import { ActionParked } from '../src/queue/jobs.js';
import { ACTION_BACKOFF_TYPE, actionBackoff } from '../src/queue/queues.js';

export type JobKind = 'action' | 'sync' | 'reconcile';

/** What every worker is given: where its queue is, how a job of a dead process is found, and hooks. */
export interface WorkerSettings extends WorkerHooks {
  readonly connection: RedisConnection;
  /** The config's key prefix (bullPrefix in src/queue/queues.ts makes the queue's). */
  readonly prefix: string;
  /**
   * How long a running job's lock lasts without renewal, and how often stalled jobs (those of a
   * process that died) are looked for. A job of a killed process is retried after about their sum.
   * @defaultValue 30000 and 15000 (the sync worker's lock lasts at least a minute)
   */
  readonly lockDurationMs?: number;
  readonly stalledIntervalMs?: number;
}

/** What every worker reports to the daemon, for the log and the Redis health report. */
export interface WorkerHooks {
  /** Called when a job failed and will be retried (for the log). */
  readonly onRetry?: (kind: JobKind, jobId: string, error: Error) => void;
  /** Called for failures of the workers themselves (lost connection), which no job owns. */
  readonly onError: (error: Error) => void;
}

/** @defaultValue of WorkerSettings.stalledIntervalMs */
export const STALLED_INTERVAL_MS = 15_000;

/** Runs a job's processor and turns what it throws into the queue's decision (see the file's head). */
export async function underPolicy<T>(job: Job, token: string | undefined, run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (error) {
    if (error instanceof RateLimitError || error instanceof ActionParked) {
      const waitMs = error instanceof RateLimitError ? error.retryAfterMs : error.recheckMs;
      await job.moveToDelayed(Date.now() + Math.max(1_000, waitMs), token);
      throw new DelayedError();
    }
    if (error instanceof AuthError || error instanceof PermanentError) {
      const unrecoverable = new UnrecoverableError(error.message);
      unrecoverable.cause = error;
      throw unrecoverable;
    }
    throw error;
  }
}

/**
 * The backoff strategies a worker knows: `capped` (ACTION_BACKOFF_TYPE), the action's wait
 * (actionBackoff in src/queue/queues.ts: doubling from the job's `delay`, default 2 s, at most a
 * minute), also under the name jobs of earlier versions give it, `capped-exponential`.
 */
export function backoffStrategy(attemptsMade: number, type?: string, _error?: Error, job?: MinimalJob): number {
  if (type !== ACTION_BACKOFF_TYPE && type !== 'capped-exponential') throw new Error(`unknown backoff ${type ?? '(none)'}`);
  const delay = typeof job?.opts.backoff === 'object' ? (job.opts.backoff.delay ?? 2_000) : 2_000;
  return actionBackoff(attemptsMade, delay);
}

/**
 * A worker's `failed` listener: a job moved to delayed by {@link underPolicy} is no failure; one
 * that will be retried is reported to `onRetry`; one that failed for good (attempts used up or
 * unrecoverable) goes to `gaveUp`.
 */
export function onFailed(
  kindOf: (job: Job) => JobKind,
  gaveUp: (job: Job, error: Error) => Promise<void>,
  hooks: WorkerHooks,
): (job: Job | undefined, error: Error) => void {
  return (job, error) => {
    if (!job || error instanceof DelayedError) return;
    const final = error instanceof UnrecoverableError || job.attemptsMade >= (job.opts.attempts ?? 1);
    if (!final) {
      hooks.onRetry?.(kindOf(job), job.id ?? '', error);
      return;
    }
    gaveUp(job, error).catch(hooks.onError);
  };
}
