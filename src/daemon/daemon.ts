/**
 * `ringback start`: the workers (sync, actions, reconcile: workers/), the per-account sync
 * schedule, and a graceful shutdown. On SIGTERM or SIGINT the workers stop taking jobs, abort the
 * calendar syncs in flight and finish the other jobs in flight; after 10 s the process exits anyway (a job cut short is retried by the next start, and
 * sending is exactly-once across that).
 */
import type { MailboxConfig } from '../../config/types.js';
import { actionsQuiet, pruneSyncSchedulers, reconcileNow, scheduleReconcile, scheduleSync, syncNow } from '../queue/queues.js';
import { swapCandidateZone } from '../store/zones.js';
import { openRedisConnection, redisRunId } from '../store/connection.js';
import type { Engine } from '../engine/context.js';
import type { SyncSummary } from '../engine/sync.js';
import { startWorkers, type Workers } from '../../workers/index.js';
import { SYNC_CONCURRENCY } from '../../workers/sync.js';
import { startHealthProbe } from './health-probe.js';
import { releaseStartupMemory, type MemoryRelease } from './release-memory.js';
import { watchRedisHealth, type RedisHealth } from './redis-health.js';
import { recoverFromRedisRestart, watchRedisRestarts } from './redis-restart.js';
import type { Runtime } from './runtime.js';

/**
 * How many actions run at once in one process, by the mailbox they write to.
 *
 * A Maildir without an SMTP relay is local files only: each draft waits on its `fsync`, and the
 * file system commits concurrent ones together. Written alone (bench/README.md, fire), 1,000 drafts
 * went at 140–190/s one at a time, 230–390/s four, 460–530/s sixteen and 650–745/s thirty-two at
 * a time (one slow run: 263/s); in the fire benchmark (bursts of 1,000 due at once, noisy machine) the
 * median of three runs at 32 was p50 340 ms / p99 3.3 s; two runs at 4 gave 1.0–2.1 s / 3.8–5.4 s.
 * Every other mailbox talks to a server that limits us: Graph allows 4 requests at once per
 * mailbox (enforced again by the request slots of providers/microsoft/concurrency.ts), Gmail
 * counts quota per user and second, IMAP servers cap connections per user (Dovecot: 10), and an
 * SMTP relay, a Maildir's included, would be asked for as many connections as jobs run: those
 * keep 4.
 */
export function defaultActionConcurrency(mailbox: MailboxConfig | null): number {
  return mailbox?.type === 'maildir' && !mailbox.smtp ? LOCAL_ACTION_CONCURRENCY : REMOTE_ACTION_CONCURRENCY;
}

const LOCAL_ACTION_CONCURRENCY = 32;
const REMOTE_ACTION_CONCURRENCY = 4;

export interface DaemonOptions {
  /** @defaultValue defaultActionConcurrency of the configured mailbox */
  readonly actionConcurrency?: number;
  readonly reconcileEveryMs?: number;
  /** See WorkerOptions in workers/index.ts. */
  readonly lockDurationMs?: number;
  readonly stalledIntervalMs?: number;
  /** How often an account in an outage is asked whether it works again. @defaultValue 15000 */
  readonly probeEveryMs?: number;
  /** Called after each sync with what it found. */
  readonly onSync?: (summary: SyncSummary) => void;
  /** Faults reported once each (see redis-health.ts). @defaultValue one that logs to engine.log */
  readonly health?: RedisHealth;
}

export interface Daemon {
  /** Resolves once the workers have stopped. */
  stop(): Promise<void>;
  readonly workers: Workers;
  readonly health: RedisHealth;
}

/** What the stored secrets of each account were at start, to tell which a Redis reset lost. */
async function secretsOf(runtime: Runtime): Promise<Map<string, readonly string[]>> {
  const accounts = [...runtime.config.calendars, ...(runtime.config.mailbox ? [runtime.config.mailbox] : [])];
  const out = new Map<string, readonly string[]>();
  for (const a of accounts) out.set(a.id, Object.keys(await runtime.vault.getAll(a.id)));
  return out;
}

/** The daemon's fault reporter: lines to `say`, and the secrets at start checked after each reconnection. */
export function daemonHealth(runtime: Runtime, engine: Engine, say: (line: string) => void): RedisHealth {
  // Unknown when Redis fails right now: nothing to compare against then.
  const atStart = secretsOf(runtime).catch(() => new Map<string, readonly string[]>());
  const types = new Map([...runtime.config.calendars, ...(runtime.config.mailbox ? [runtime.config.mailbox] : [])].map((a) => [a.id, a.type]));
  return watchRedisHealth({
    store: runtime.store,
    say,
    now: engine.now,
    settingsProblemAtStart: runtime.check.warnings[0] ?? null,
    missingSecrets: async () => {
      const before = await atStart;
      const lost: string[] = [];
      for (const [id, names] of before) {
        if (names.length === 0) continue;
        const now = await runtime.vault.getAll(id);
        if (names.some((n) => !(n in now))) {
          const type = types.get(id) === 'gmail' ? 'google' : (types.get(id) ?? id);
          lost.push(`${id} is gone: run "ringback connect ${type}" again`);
        }
      }
      return lost;
    },
  });
}

export async function startDaemon(runtime: Runtime, engine: Engine, options: DaemonOptions = {}): Promise<Daemon> {
  const health = options.health ?? daemonHealth(runtime, engine, (line) => engine.log.warn(line));
  const workerConnection = openRedisConnection(runtime.redisUrl, { forWorkers: true });
  health.watch(runtime.redis);
  health.watch(workerConnection);
  const workers = startWorkers(workerConnection, engine, {
    prefix: runtime.config.prefix,
    actionConcurrency: options.actionConcurrency ?? defaultActionConcurrency(runtime.config.mailbox),
    syncConcurrency: SYNC_CONCURRENCY,
    ...(options.lockDurationMs ? { lockDurationMs: options.lockDurationMs } : {}),
    ...(options.stalledIntervalMs ? { stalledIntervalMs: options.stalledIntervalMs } : {}),
    ...(options.onSync ? { onSync: options.onSync } : {}),
    onError: (error) => {
      if (!health.report(error)) engine.log.warn({ err: error.message }, 'worker error');
    },
    onRetry: (kind, jobId, error) => {
      if (!health.report(error)) engine.log.warn({ kind, job: jobId, err: error.message }, 'job failed; it will be retried');
    },
    onCompleted: () => health.succeeded(),
  });
  const accountIds = [...engine.calendars.keys()];
  const pollMs = runtime.config.sync.pollSeconds * 1000;
  const reconcileEveryMs = options.reconcileEveryMs ?? 10 * 60_000;
  const runId = await redisRunId(runtime.redis);
  // A new schedule runs at once; one left by an earlier process runs next a whole poll interval
  // from now, so that after a crash and a restart what changed meanwhile would wait that long.
  for (const id of accountIds) if (await scheduleSync(runtime.queues, id, pollMs)) await syncNow(runtime.queues, id);
  await pruneSyncSchedulers(runtime.queues, accountIds);
  await scheduleReconcile(runtime.queues, reconcileEveryMs);
  // The candidate travelled since the last start: the reconcile that writes their waiting
  // confirmation drafts on the new clock (engine/travel.ts) runs now, not a whole interval later.
  const zoneBefore = await swapCandidateZone(engine.store, runtime.config.candidate.timezone);
  if (zoneBefore !== null && zoneBefore !== runtime.config.candidate.timezone) await reconcileNow(runtime.queues, 'candidate.timezone changed');
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

  // After the first reconcile (the end of the start-up work), give its memory back once quiet.
  let release: MemoryRelease | undefined;
  const onSyncQueueJob = (job: { readonly name: string }) => {
    if (job.name !== 'reconcile' || release) return;
    release = releaseStartupMemory({
      quiet: () => actionsQuiet(runtime.queues, Date.now()),
      onDone: (before, after) => engine.log.debug({ rssBefore: before, rssAfter: after }, 'start-up memory given back'),
      onError: (error) => engine.log.debug({ err: error.message }, 'start-up memory kept for now'),
    });
  };
  workers.sync.on('completed', onSyncQueueJob);

  const probe = startHealthProbe(engine, {
    ...(options.probeEveryMs ? { everyMs: options.probeEveryMs } : {}),
    onError: (error) => engine.log.warn({ err: error.message }, 'the account health check could not run; it is tried again shortly'),
  });

  return {
    workers,
    health,
    async stop() {
      workers.sync.off('completed', onSyncQueueJob);
      release?.stop();
      unwatch();
      await probe.stop();
      health.stop();
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
