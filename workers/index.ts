/**
 * Every BullMQ worker of the daemon, started together: actions (actions.ts) on the actions queue,
 * sync and reconcile (sync.ts, reconcile.ts) on the sync queue, each under the retry policy of
 * policy.ts. `ringback start` (src/daemon/daemon.ts) calls {@link startWorkers}; the queues, job
 * ids and schedules they serve are in src/queue/.
 */
import type { Worker } from 'bullmq';
import type { RedisConnection } from '../src/store/connection.js';
import type { Engine } from '../src/engine/context.js';
import type { SyncSummary } from '../src/engine/sync.js';
import type { ReconcileJobData, SyncJobData } from '../src/queue/jobs.js';
import type { StoredActionData } from '../src/queue/queues.js';
import { startActionWorker } from './actions.js';
import type { WorkerHooks } from './policy.js';
import { startSyncWorker } from './sync.js';

export type { JobKind } from './policy.js';

export interface WorkerOptions extends WorkerHooks {
  /** The config's key prefix. */
  readonly prefix: string;
  readonly actionConcurrency: number;
  readonly syncConcurrency: number;
  /**
   * How long a running job's lock lasts without renewal, and how often stalled jobs (those of a
   * process that died) are looked for. A job of a killed process is retried after about their sum.
   * @defaultValue 30000 and 15000 (the sync worker's lock lasts at least a minute)
   */
  readonly lockDurationMs?: number;
  readonly stalledIntervalMs?: number;
  /** Called when an action job went through (a fault it may have met is over). */
  readonly onCompleted?: () => void;
  /** Called after each sync with what it found. */
  readonly onSync?: (summary: SyncSummary) => void;
}

export interface Workers {
  /** Stops taking jobs, aborts the syncs in flight, and resolves once every worker has stopped. */
  close(): Promise<void>;
  readonly actions: Worker<StoredActionData, string>;
  readonly sync: Worker<SyncJobData | ReconcileJobData, string>;
}

export function startWorkers(connection: RedisConnection, engine: Engine, options: WorkerOptions): Workers {
  const { actionConcurrency, syncConcurrency, onCompleted, onSync, ...settings } = options;
  const actions = startActionWorker(engine, { ...settings, connection, concurrency: actionConcurrency, ...(onCompleted ? { onCompleted } : {}) });
  const sync = startSyncWorker(engine, { ...settings, connection, concurrency: syncConcurrency, ...(onSync ? { onSync } : {}) });
  return {
    actions,
    sync: sync.worker,
    async close() {
      await Promise.all([actions.close(), sync.close()]);
    },
  };
}
