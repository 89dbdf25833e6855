/**
 * BullMQ workers around ringback's processors, and the one place where a provider's typed error
 * becomes a queue decision (CONVENTIONS.md, "Retry behaviour is a type"):
 * - RateLimitError → the job is moved to delayed until Retry-After has passed (no attempt used);
 * - ActionParked (the account is down: src/engine/outage.ts) → the job waits, no attempt used;
 * - AuthError, PermanentError → UnrecoverableError: not retried (actions turn the account's
 *   failures into ActionParked before they get here, so for them this is a fault of the email);
 * - anything else → retried with the job's exponential backoff.
 */
import { DelayedError, UnrecoverableError, Worker, type Job, type MinimalJob } from 'bullmq';
import type { Redis } from 'ioredis';
import { AuthError, PermanentError, RateLimitError } from '../providers/errors.js';
import { ACTIONS_QUEUE, ActionParked, SYNC_QUEUE, type ActionJobData, type ReconcileJobData, type SyncJobData } from './jobs.js';
import { actionBackoff, bullPrefix } from './queues.js';

export interface Processors {
  action(data: ActionJobData, attempt: number): Promise<string>;
  sync(data: SyncJobData, signal: AbortSignal): Promise<string>;
  reconcile(data: ReconcileJobData): Promise<string>;
  /** Called once a job has failed for good (attempts used up or unrecoverable). */
  onGaveUp(kind: 'action' | 'sync' | 'reconcile', data: unknown, error: Error): Promise<void>;
}

export interface WorkerOptions {
  readonly prefix: string;
  readonly actionConcurrency: number;
  readonly syncConcurrency: number;
  /**
   * How long a running job's lock lasts without renewal, and how often stalled jobs (those of a
   * process that died) are looked for. A job of a killed process is retried after about their sum.
   * @defaultValue 30000 and 15000
   */
  readonly lockDurationMs?: number;
  readonly stalledIntervalMs?: number;
  /** Called when a job failed and will be retried (for the log). */
  readonly onRetry?: (kind: 'action' | 'sync' | 'reconcile', jobId: string, error: Error) => void;
  /** Called for failures of the workers themselves (lost connection), which no job owns. */
  readonly onError: (error: Error) => void;
  /** Called when an action job went through (a fault it may have met is over). */
  readonly onCompleted?: () => void;
}

/**
 * How many times an action job may be found stalled (its process died, or its lock ran out)
 * before BullMQ fails it for good. BullMQ's default of 1 means that a job whose process is
 * killed twice while running it is failed, and its email is never sent. Every action re-reads
 * the world and sends exactly once, so running it again is safe; the bound only stops a job that
 * kills its own worker (a poison input) from looping for ever.
 */
const ACTION_MAX_STALLS = 10;

async function underPolicy<T>(job: Job, token: string | undefined, run: () => Promise<T>): Promise<T> {
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

export interface Workers {
  close(): Promise<void>;
  readonly actions: Worker;
  readonly sync: Worker;
}

export function startWorkers(connection: Redis, processors: Processors, options: WorkerOptions): Workers {
  const common = { connection, prefix: bullPrefix(options.prefix) };
  const actions = new Worker<ActionJobData, string>(
    ACTIONS_QUEUE,
    async (job, token) => await underPolicy(job, token, () => processors.action(job.data, job.attemptsMade + 1)),
    {
      ...common,
      concurrency: options.actionConcurrency,
      lockDuration: options.lockDurationMs ?? 30_000,
      stalledInterval: options.stalledIntervalMs ?? 15_000,
      maxStalledCount: ACTION_MAX_STALLS,
      settings: {
        backoffStrategy: (attemptsMade: number, type?: string, _error?: Error, job?: MinimalJob) => {
          if (type !== 'capped-exponential') throw new Error(`unknown backoff ${type ?? '(none)'}`);
          const delay = typeof job?.opts.backoff === 'object' ? (job.opts.backoff.delay ?? 2_000) : 2_000;
          return actionBackoff(attemptsMade, delay);
        },
      },
    },
  );
  const sync = new Worker<SyncJobData | ReconcileJobData, string>(
    SYNC_QUEUE,
    async (job, token) =>
      await underPolicy(job, token, async () => {
        if (job.name === 'reconcile') return await processors.reconcile(job.data as ReconcileJobData);
        const controller = new AbortController();
        return await processors.sync(job.data as SyncJobData, controller.signal);
      }),
    {
      ...common,
      concurrency: options.syncConcurrency,
      lockDuration: Math.max(60_000, options.lockDurationMs ?? 0),
      stalledInterval: options.stalledIntervalMs ?? 15_000,
    },
  );
  const gaveUp = (kind: 'action' | 'sync' | 'reconcile') => (job: Job | undefined, error: Error) => {
    if (!job || error instanceof DelayedError) return;
    const final = error instanceof UnrecoverableError || job.attemptsMade >= (job.opts.attempts ?? 1);
    if (!final) {
      options.onRetry?.(kind, job.id ?? '', error);
      return;
    }
    processors.onGaveUp(kind, job.data, error).catch(options.onError);
  };
  actions.on('failed', gaveUp('action'));
  sync.on('failed', (job, error) => gaveUp(job?.name === 'reconcile' ? 'reconcile' : 'sync')(job, error));
  actions.on('completed', () => options.onCompleted?.());
  actions.on('error', options.onError);
  sync.on('error', options.onError);
  return {
    actions,
    sync,
    async close() {
      await Promise.all([actions.close(), sync.close()]);
    },
  };
}
