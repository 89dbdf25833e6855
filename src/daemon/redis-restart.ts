/**
 * When Redis comes back from a restart it may lack its last writes: with `appendfsync everysec`
 * a power cut or a kernel crash loses up to about a second (a killed redis-server alone loses
 * nothing the OS had been given). What such a loss does to a running daemon, and what undoes it:
 *
 * - the job schedulers, or the next job of one, are gone, and syncs and reconciles stop for good
 *   → the schedulers are put back, and a sync of every account and a reconcile run at once;
 * - a sync had recorded interviews or withdrawn them, then those writes were lost while the event
 *   hashes and the cursor that followed said the events were handled → every account's cursor is
 *   dropped and its event hashes emptied (ids kept, and the event ids of the interviews on record
 *   added), so that the next sync reads the whole calendar, processes each event again
 *   (idempotent: an unchanged interview keeps its plan, a missing job is added back) and still
 *   withdraws the ones the calendar no longer lists;
 * - jobs were lost while their interview and its records stayed → the reconcile recreates them.
 *
 * A restart is told by Redis's `run_id`, which is new after each start.
 */
import type { RedisConnection } from '../store/connection.js';
import type { Engine } from '../engine/context.js';
import { reconcileNow, scheduleReconcile, scheduleSync, syncNow, type Queues } from '../queue/queues.js';
import { setCursor } from '../store/accounts.js';
import { audit } from '../store/audit.js';
import { redisRunId } from '../store/connection.js';
import { invalidateEventHashes } from '../store/events.js';
import { listInterviews } from '../store/interviews.js';

export interface RestartRecovery {
  readonly queues: Queues;
  readonly engine: Engine;
  readonly pollMs: number;
  readonly reconcileEveryMs: number;
}

/** Reads every calendar again and rebuilds the schedule and the queue (see above). */
export async function recoverFromRedisRestart(recovery: RestartRecovery): Promise<void> {
  const { engine, queues } = recovery;
  const accountIds = [...engine.calendars.keys()];
  await audit(engine.store, {
    type: 'account',
    message: 'Redis restarted and may have lost its last writes: every calendar is read again in full and the queue is rebuilt',
    at: engine.now(),
  });
  const onRecord = await listInterviews(engine.store);
  for (const id of accountIds) {
    await setCursor(engine.store, id, null);
    const eventIds = onRecord.filter((interview) => interview.sourceId === id && interview.status === 'scheduled').map((interview) => interview.eventId);
    await invalidateEventHashes(engine.store, id, eventIds);
  }
  for (const id of accountIds) await scheduleSync(queues, id, recovery.pollMs);
  await scheduleReconcile(queues, recovery.reconcileEveryMs);
  for (const id of accountIds) await syncNow(queues, id);
  await reconcileNow(queues, 'redis restarted');
}

/**
 * Calls `onRestart` each time the connection is ready again after Redis restarted (a new run_id);
 * a reconnection to the same server calls nothing. A recovery that fails is tried again, after 5 s
 * and then twice as long each time (at most a minute), until it succeeds: waiting for the next
 * reconnection would leave syncs stopped for as long as Redis stays up. Returns a function that
 * stops watching.
 */
export function watchRedisRestarts(
  redis: RedisConnection,
  runId: string,
  onRestart: () => Promise<void>,
  onError: (error: Error, retryInMs: number) => void,
): () => void {
  let known = runId;
  let checking: Promise<void> = Promise.resolve();
  let retryMs = 5_000;
  let retry: NodeJS.Timeout | null = null;
  const check = async (): Promise<void> => {
    const now = await redisRunId(redis);
    if (now === known || now === '') return;
    await onRestart();
    known = now; // after success only: a failed recovery is tried again
    retryMs = 5_000;
  };
  const onReady = () => {
    // One check at a time: a second restart during a recovery is seen by the next check.
    checking = checking.then(check).catch((error: unknown) => {
      onError(error instanceof Error ? error : new Error(String(error)), retryMs);
      if (retry) clearTimeout(retry);
      retry = setTimeout(onReady, retryMs);
      retryMs = Math.min(retryMs * 2, 60_000);
    });
  };
  redis.on('ready', onReady);
  return () => {
    redis.off('ready', onReady);
    if (retry) clearTimeout(retry);
  };
}
