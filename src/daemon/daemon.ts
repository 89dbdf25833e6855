/**
 * `ringback start`: the workers (sync, actions, reconcile), the per-account sync schedule, and a
 * graceful shutdown. On SIGTERM or SIGINT the workers finish what is in flight and stop taking
 * jobs; after 10 s the process exits anyway (a job cut short is retried by the next start, and
 * sending is exactly-once across that).
 */
import { AuthError } from '../providers/errors.js';
import { actionJobId } from '../queue/jobs.js';
import { pruneSyncSchedulers, scheduleReconcile, scheduleSync } from '../queue/queues.js';
import { startWorkers, type Workers } from '../queue/workers.js';
import { acquireSyncLease, recordAccountProblem, recordSyncSuccess, releaseSyncLease } from '../store/accounts.js';
import { audit } from '../store/audit.js';
import { updateActionState } from '../store/interviews.js';
import { openRedis } from '../store/connection.js';
import { runAction } from '../engine/actions.js';
import type { Engine } from '../engine/context.js';
import { reconcile } from '../engine/reconcile.js';
import { syncAccount, type SyncSummary } from '../engine/sync.js';
import type { ActionJobData, SyncJobData } from '../queue/jobs.js';
import type { Runtime } from './runtime.js';

export interface DaemonOptions {
  readonly actionConcurrency?: number;
  readonly reconcileEveryMs?: number;
  /** See WorkerOptions in src/queue/workers.ts. */
  readonly lockDurationMs?: number;
  readonly stalledIntervalMs?: number;
  /** Called after each sync with what it found. */
  readonly onSync?: (summary: SyncSummary) => void;
}

export interface Daemon {
  /** Resolves once the workers have stopped. */
  stop(): Promise<void>;
  readonly workers: Workers;
}

/** One sync of one account, under a lease, recording success or the account's problem. */
export async function syncWithLease(engine: Engine, accountId: string, signal: AbortSignal): Promise<SyncSummary | null> {
  const leaseMs = 10 * 60_000;
  if (!(await acquireSyncLease(engine.store, accountId, engine.owner, leaseMs))) return null;
  try {
    const summary = await syncAccount(engine, accountId, signal);
    const every = engine.config.sync.pollSeconds * 1000;
    await recordSyncSuccess(engine.store, accountId, { at: engine.now(), nextAt: engine.now() + every, events: summary.events });
    return summary;
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    const attention = error instanceof AuthError ? 'needs-reauth' : 'error';
    await recordAccountProblem(engine.store, accountId, { attention, message, at: engine.now() });
    await audit(engine.store, {
      type: 'account',
      accountId,
      message: attention === 'needs-reauth' ? `${accountId} needs you to sign in again: ${message}` : `sync of ${accountId} failed: ${message}`,
      at: engine.now(),
    });
    throw error;
  } finally {
    await releaseSyncLease(engine.store, accountId, engine.owner);
  }
}

export async function startDaemon(runtime: Runtime, engine: Engine, options: DaemonOptions = {}): Promise<Daemon> {
  const workerConnection = openRedis(runtime.redisUrl, { forWorkers: true });
  const workers = startWorkers(
    workerConnection,
    {
      action: async (data: ActionJobData) => {
        try {
          return (await runAction(engine, data)).message;
        } catch (error) {
          if (error instanceof AuthError && engine.config.mailbox) {
            await recordAccountProblem(engine.store, engine.config.mailbox.id, { attention: 'needs-reauth', message: error.message, at: engine.now() });
          }
          throw error;
        }
      },
      sync: async (data: SyncJobData, signal) => {
        if (!engine.calendars.has(data.accountId)) return 'account not built (see ringback accounts)';
        const summary = await syncWithLease(engine, data.accountId, signal);
        if (summary) options.onSync?.(summary);
        return summary ? `${summary.events} events, ${summary.changed} changed` : 'another process is syncing this account';
      },
      reconcile: async () => {
        const r = await reconcile(engine);
        return `${r.added} added, ${r.removed} removed`;
      },
      onGaveUp: async (kind, data, error) => {
        engine.log.error({ kind, err: error.message }, 'job failed for good');
        if (kind !== 'action') return;
        const job = data as ActionJobData;
        await updateActionState(engine.store, job.interviewId, job.kind, job.revision, 'failed', error.message);
        await audit(engine.store, {
          type: 'error',
          interviewId: job.interviewId,
          message: `${job.kind} failed for good (${actionJobId(job.interviewId, job.kind, job.revision)}): ${error.message}`,
          at: engine.now(),
        });
      },
    },
    {
      prefix: runtime.config.prefix,
      actionConcurrency: options.actionConcurrency ?? 4,
      syncConcurrency: 2,
      ...(options.lockDurationMs ? { lockDurationMs: options.lockDurationMs } : {}),
      ...(options.stalledIntervalMs ? { stalledIntervalMs: options.stalledIntervalMs } : {}),
      onError: (error) => engine.log.warn({ err: error.message }, 'worker error'),
      onRetry: (kind, jobId, error) => engine.log.warn({ kind, job: jobId, err: error.message }, 'job failed; it will be retried'),
    },
  );
  const accountIds = [...engine.calendars.keys()];
  for (const id of accountIds) await scheduleSync(runtime.queues, id, runtime.config.sync.pollSeconds * 1000);
  await pruneSyncSchedulers(runtime.queues, accountIds);
  await scheduleReconcile(runtime.queues, options.reconcileEveryMs ?? 10 * 60_000);

  return {
    workers,
    async stop() {
      await workers.close();
      workerConnection.disconnect();
    },
  };
}

/** Runs `stop` on SIGTERM/SIGINT; exits forcibly when it takes more than `deadlineMs`. */
export function onShutdownSignal(stop: () => Promise<void>, options: { deadlineMs?: number; onForce?: () => void } = {}): () => void {
  let stopping = false;
  const handler = (signal: NodeJS.Signals) => {
    if (stopping) return;
    stopping = true;
    const timer = setTimeout(() => {
      options.onForce?.();
      process.exit(1);
    }, options.deadlineMs ?? 10_000);
    timer.unref();
    stop().then(
      () => process.exit(signal === 'SIGINT' ? 130 : 0),
      () => process.exit(1),
    );
  };
  // SIGHUP is left out: a terminal closing should not stop a daemon started with nohup or a service manager.
  process.on('SIGTERM', handler);
  process.on('SIGINT', handler);
  return () => {
    process.off('SIGTERM', handler);
    process.off('SIGINT', handler);
  };
}
