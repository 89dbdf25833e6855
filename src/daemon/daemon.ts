/**
 * `ringback start`: the workers (sync, actions, reconcile), the per-account sync schedule, and a
 * graceful shutdown. On SIGTERM or SIGINT the workers finish what is in flight and stop taking
 * jobs; after 10 s the process exits anyway (a job cut short is retried by the next start, and
 * sending is exactly-once across that).
 */
import { pruneSyncSchedulers, scheduleReconcile, scheduleSync, syncNow } from '../queue/queues.js';
import { startWorkers, type Workers } from '../queue/workers.js';
import { openRedis, redisRunId } from '../store/connection.js';
import type { Engine } from '../engine/context.js';
import type { SyncSummary } from '../engine/sync.js';
import type { ActionJobData } from '../queue/jobs.js';
import { actionGaveUp, actionProcessor } from '../../workers/actions.js';
import { reconcileProcessor } from '../../workers/reconcile.js';
import { syncProcessor } from '../../workers/sync.js';
import { startHealthProbe } from './health-probe.js';
import { recoverFromRedisRestart, watchRedisRestarts } from './redis-restart.js';
import type { Runtime } from './runtime.js';

export interface DaemonOptions {
  readonly actionConcurrency?: number;
  readonly reconcileEveryMs?: number;
  /** See WorkerOptions in src/queue/workers.ts. */
  readonly lockDurationMs?: number;
  readonly stalledIntervalMs?: number;
  /** How often an account in an outage is asked whether it works again. @defaultValue 15000 */
  readonly probeEveryMs?: number;
  /** Called after each sync with what it found. */
  readonly onSync?: (summary: SyncSummary) => void;
}

export interface Daemon {
  /** Resolves once the workers have stopped. */
  stop(): Promise<void>;
  readonly workers: Workers;
}

export { syncWithLease } from '../../workers/sync.js';

export async function startDaemon(runtime: Runtime, engine: Engine, options: DaemonOptions = {}): Promise<Daemon> {
  const workerConnection = openRedis(runtime.redisUrl, { forWorkers: true });
  const workers = startWorkers(
    workerConnection,
    {
      action: actionProcessor(engine),
      sync: syncProcessor(engine, options.onSync),
      reconcile: reconcileProcessor(engine),
      onGaveUp: async (kind, data, error) => {
        // A failed sync is logged by the sync itself, once per problem (workers/sync.ts).
        if (kind !== 'sync') engine.log.error({ kind, err: error.message }, 'job failed for good');
        if (kind === 'action') await actionGaveUp(engine, data as ActionJobData, error);
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
  const pollMs = runtime.config.sync.pollSeconds * 1000;
  const reconcileEveryMs = options.reconcileEveryMs ?? 10 * 60_000;
  const runId = await redisRunId(runtime.redis);
  // A new schedule runs at once; one left by an earlier process runs next a whole poll interval
  // from now, so that after a crash and a restart what changed meanwhile would wait that long.
  for (const id of accountIds) if (await scheduleSync(runtime.queues, id, pollMs)) await syncNow(runtime.queues, id);
  await pruneSyncSchedulers(runtime.queues, accountIds);
  await scheduleReconcile(runtime.queues, reconcileEveryMs);
  const unwatch = watchRedisRestarts(
    runtime.redis,
    runId,
    () => recoverFromRedisRestart({ queues: runtime.queues, engine, pollMs, reconcileEveryMs }),
    (error, retryInMs) =>
      engine.log.warn(
        { err: error.message },
        `recovery after a Redis restart failed; it is tried again in ${retryInMs / 1000} s (if this goes on, check Redis with "ringback doctor" and restart ringback)`,
      ),
  );

  const probe = startHealthProbe(engine, {
    ...(options.probeEveryMs ? { everyMs: options.probeEveryMs } : {}),
    onError: (error) => engine.log.warn({ err: error.message }, 'the account health check could not run; it is tried again shortly'),
  });

  return {
    workers,
    async stop() {
      unwatch();
      await probe.stop();
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
