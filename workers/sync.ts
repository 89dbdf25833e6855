/**
 * The sync worker: one sync of one calendar account under a lease (several `ringback start`
 * processes may share a Redis; one of them syncs an account at a time), recording the account's
 * success or its problem ("needs re-auth" for a refused sign-in) for `accounts` and `doctor`.
 * The same queue carries the reconcile jobs (reconcile.ts); retries follow policy.ts.
 *
 * Stopping aborts the syncs in flight: a calendar that answers slowly would otherwise hold
 * `ringback start` until the forced exit. An aborted sync records nothing: the account keeps its
 * status and its cursor (stored last, src/engine/sync.ts), and the next sync reads again.
 */
import { hostname } from 'node:os';
import { Worker } from 'bullmq';
import type { Engine } from '../src/engine/context.js';
import { syncAccount, type SyncStart, type SyncSummary } from '../src/engine/sync.js';
import { AuthError } from '../src/providers/errors.js';
import { SYNC_QUEUE, type ReconcileJobData, type SyncJobData } from '../src/queue/jobs.js';
import { bullPrefix } from '../src/queue/queues.js';
import {
  acquireSyncLeaseWithCursor,
  getAccountStatus,
  recordAccountProblem,
  releaseSyncLease,
  syncLeaseKey,
  syncSuccessNote,
} from '../src/store/accounts.js';
import { holdLease } from '../src/store/lease.js';
import { audit } from '../src/store/audit.js';
import { onFailed, STALLED_INTERVAL_MS, underPolicy, type WorkerSettings } from './policy.js';
import { reconcileProcessor } from './reconcile.js';

/**
 * How long a lease lasts without renewal; the holder renews it every third of that while it
 * syncs. Short, because the lease of a process that died (killed, out of memory, power cut) is
 * only freed by its expiry: with 10 minutes, a daemon killed in the middle of a sync and started
 * again skipped every sync of that account for 10 minutes, and the confirmations due meanwhile
 * were never planned.
 */
const LEASE_MS = 60_000;

/**
 * True when the lease holder (`host:pid:random`, see buildEngine) is a process of this machine
 * that no longer runs: a daemon restarted after a crash takes its lease over at once.
 */
function diedHere(holder: string): boolean {
  const [host, pid] = holder.split(':');
  if (host !== hostname() || !pid || !/^\d+$/.test(pid) || Number(pid) === process.pid) return false;
  try {
    process.kill(Number(pid), 0);
    return false;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'ESRCH';
  }
}

/** The accounts each engine is syncing now, in this process. */
const syncing = new WeakMap<Engine, Set<string>>();

/**
 * Takes the account's lease and reads its cursor with it; null when another process holds it.
 * Called only when this engine runs no sync of the account, so a lease held in this engine's own
 * name is a stale one: a sync cut off by a Redis restart that could not release it, and that the
 * restarted Redis brought back from its AOF. Without this, every sync of the account was skipped
 * until that lease expired (up to a minute).
 */
async function acquire(engine: Engine, accountId: string): Promise<{ cursor: string | null; detectionVersion: number | null; runId: string } | null> {
  const first = await acquireSyncLeaseWithCursor(engine.store, accountId, engine.owner, LEASE_MS);
  if (first.taken) return first;
  const holder = first.holder;
  if (holder === null || (holder !== engine.owner && !diedHere(holder))) return null;
  await releaseSyncLease(engine.store, accountId, holder);
  const second = await acquireSyncLeaseWithCursor(engine.store, accountId, engine.owner, LEASE_MS);
  return second.taken ? second : null;
}

/** One sync of one account, under a lease; null when another process holds it. */
export async function syncWithLease(engine: Engine, accountId: string, signal: AbortSignal): Promise<SyncSummary | null> {
  let mine = syncing.get(engine);
  if (!mine) syncing.set(engine, (mine = new Set()));
  if (mine.has(accountId)) return null;
  mine.add(accountId);
  try {
    return await syncLeased(engine, accountId, signal);
  } finally {
    mine.delete(accountId);
  }
}

async function syncLeased(engine: Engine, accountId: string, signal: AbortSignal): Promise<SyncSummary | null> {
  // The Redis run id (see syncAccount) and the detection version the account's kept events were
  // read with are read by the step that takes the lease and reads the cursor: a poll with nothing
  // to read again costs no round trip more, and one command. The version is only acted on by the
  // holder of the lease, which alone writes it.
  const leased = await acquire(engine, accountId);
  if (!leased) return null;
  const { runId, detectionVersion } = leased;
  const lost = (reason: string) => engine.log.warn({ account: accountId }, `the sync lease of ${accountId} was lost during a sync (${reason}); another process may sync it at the same time`);
  // The account's success is recorded by the step that releases the lease, the sync's last write
  // (the one that stores the cursor).
  const every = engine.config.sync.pollSeconds * 1000;
  return await holdLease(
    engine.store,
    syncLeaseKey(accountId),
    engine.owner,
    LEASE_MS,
    (lease) => {
      const start: SyncStart = {
        cursor: leased.cursor,
        runId,
        detectionVersion,
        release: {
          lease: syncLeaseKey(accountId),
          holder: engine.owner,
          note: (summary) => syncSuccessNote(accountId, { at: engine.now(), nextAt: engine.now() + every, events: summary.events }),
          releasing: () => lease.stopRenewing(),
          released: () => lease.released(),
        },
      };
      return syncHeld(engine, accountId, signal, start);
    },
    lost,
  );
}

async function syncHeld(engine: Engine, accountId: string, signal: AbortSignal, start: SyncStart): Promise<SyncSummary> {
  try {
    return await syncAccount(engine, accountId, signal, start);
  } catch (error) {
    // Stopped, not failed: nothing to record (see the file's head).
    if (signal.aborted) throw error;
    const message = error instanceof Error ? error.message : String(error);
    const attention = error instanceof AuthError ? 'needs-reauth' : 'error';
    // A calendar that stays down fails every poll: audited and logged when the problem begins or
    // changes, not once a minute. Nothing is withdrawn meanwhile: only a sync that read the whole
    // calendar withdraws the interviews it no longer lists.
    const same = (await getAccountStatus(engine.store, accountId)).lastError === message.slice(0, 500);
    await recordAccountProblem(engine.store, accountId, { attention, message, at: engine.now() });
    if (same) throw error;
    engine.log.warn({ account: accountId }, `calendar ${accountId} cannot be read: ${message}; its interviews stay as they are until it can`);
    await audit(engine.store, {
      type: 'account',
      accountId,
      message: attention === 'needs-reauth' ? `${accountId} needs you to sign in again: ${message}` : `sync of ${accountId} failed: ${message}`,
      at: engine.now(),
    });
    throw error;
  }
}

/** What a sync job cut short by a stop completes with: not a failure, the next sync runs as usual. */
export const STOPPED = 'stopped before it finished; the next sync reads the calendar again';

export function syncProcessor(
  engine: Engine,
  onSync?: (summary: SyncSummary) => void,
): (data: SyncJobData, signal: AbortSignal) => Promise<string> {
  return async (data, signal) => {
    if (!engine.calendars.has(data.accountId)) return 'account not built (see ringback accounts)';
    let summary: SyncSummary | null;
    try {
      summary = await syncWithLease(engine, data.accountId, signal);
    } catch (error) {
      if (signal.aborted) return STOPPED;
      throw error;
    }
    if (summary) onSync?.(summary);
    return summary ? `${summary.events} events, ${summary.changed} changed` : 'another process is syncing this account';
  };
}

/**
 * How many syncs (and reconciles) one process runs at once. Most of a poll is waiting on the
 * calendar's server: against the real Google or Microsoft a request takes 50–200 ms, so 2 at a
 * time polled at most 10–40 accounts a second, less than 1,000 accounts every minute need. The
 * fleet benchmark (bench/README.md) swept 2, 4 and 8 on a local stand-in, where the process is
 * busy with its own work rather than waiting: 8 polled as many accounts a second as 2 or more, so
 * the wider setting costs nothing there and gains where requests are slow. Google's and
 * Microsoft's limits are per account, so several accounts at once take nothing from any of them;
 * the CalDAV and ics accounts of one person are usually one account, synced one at a time (the
 * lease).
 * @defaultValue 8
 */
export const SYNC_CONCURRENCY = 8;

/** The sync worker's lock lasts at least this long: a sync of a large calendar takes a while. */
const SYNC_MIN_LOCK_MS = 60_000;

export interface SyncWorkerOptions extends WorkerSettings {
  /** How many syncs and reconciles run at once in this process. */
  readonly concurrency: number;
  /** Called after each sync with what it found. */
  readonly onSync?: (summary: SyncSummary) => void;
}

export interface SyncWorker {
  readonly worker: Worker<SyncJobData | ReconcileJobData, string>;
  /** Stops taking jobs, aborts the syncs running now, and resolves once the worker has stopped. */
  close(): Promise<void>;
}

export function startSyncWorker(engine: Engine, options: SyncWorkerOptions): SyncWorker {
  const sync = syncProcessor(engine, options.onSync);
  const reconcile = reconcileProcessor(engine);
  /** The syncs running now, each with its controller, aborted on close. */
  const running = new Set<AbortController>();
  let closing = false;
  const worker = new Worker<SyncJobData | ReconcileJobData, string>(
    SYNC_QUEUE,
    async (job, token) =>
      await underPolicy(job, token, async () => {
        if (job.name === 'reconcile') return await reconcile();
        const controller = new AbortController();
        // A job taken just as the worker closes is stopped at once, like those already running.
        if (closing) controller.abort(new Error('ringback is stopping'));
        running.add(controller);
        try {
          return await sync(job.data as SyncJobData, controller.signal);
        } finally {
          running.delete(controller);
        }
      }),
    {
      connection: options.connection,
      prefix: bullPrefix(options.prefix),
      concurrency: options.concurrency,
      lockDuration: Math.max(SYNC_MIN_LOCK_MS, options.lockDurationMs ?? 0),
      stalledInterval: options.stalledIntervalMs ?? STALLED_INTERVAL_MS,
    },
  );
  // A failed sync is logged by the sync itself, once per problem (syncHeld above).
  const gaveUp = async (job: { name: string }, error: Error) => {
    if (job.name === 'reconcile') engine.log.error({ kind: 'reconcile', err: error.message }, 'job failed for good');
  };
  worker.on('failed', onFailed((job) => (job.name === 'reconcile' ? 'reconcile' : 'sync'), gaveUp, options));
  worker.on('error', options.onError);
  return {
    worker,
    async close() {
      closing = true;
      // BullMQ's close waits for the running jobs: abort the syncs before waiting, so that the
      // stop does not wait for a slow calendar.
      const closed = worker.close();
      for (const controller of running) controller.abort(new Error('ringback is stopping'));
      await closed;
    },
  };
}
