/**
 * The queues and what the rest of ringback asks of them: put an interview's planned actions on the
 * queue (replacing those of an older revision, never duplicating), take them off, schedule the
 * per-account sync, and list what is pending.
 */
import { Queue, type Job, type JobsOptions } from 'bullmq';
import type { RedisConnection } from '../store/connection.js';
import { leanPipeline, type LeanPipeline } from '../store/lean-pipeline.js';
import { addJobsIn, removeJobsIn } from './batch-jobs.js';
import type { ActionKind, Millis, PlannedAction } from '../domain/types.js';
import {
  ACTIONS_QUEUE,
  ACTION_JOB_NAME,
  RECONCILE_SCHEDULER_ID,
  SYNC_QUEUE,
  actionJobId,
  isLegacyActionJobId,
  legacyActionJobId,
  parseActionJobId,
  syncSchedulerId,
  type ActionJobData,
  type SyncJobData,
  type ReconcileJobData,
} from './jobs.js';
import { ACTION_KINDS } from '../domain/actions.js';

export interface Queues {
  readonly prefix: string;
  /** The connection the queues were opened on (BullMQ's client of both is this one). */
  readonly connection: RedisConnection;
  readonly sync: Queue<SyncJobData | ReconcileJobData>;
  readonly actions: Queue<StoredActionData>;
  /** Whether jobs with ids of the earlier form may be queued (see {@link legacyIdsMayExist}). */
  readonly legacyIds: LegacyIds;
  close(): Promise<void>;
}

/** What this process knows of job ids of the earlier form: unknown (null), or seen at `checkedAt`. */
interface LegacyIds {
  mayExist: boolean | null;
  checkedAt: Millis;
}

/** BullMQ keys become `{prefix}:queue:…`, inside the same Cluster hash tag as the store's keys. */
export function bullPrefix(prefix: string): string {
  return `{${prefix}}`;
}

/**
 * What an action job carries. Jobs added now carry nothing: their id says it all
 * ({@link actionOfJob}). Jobs added by earlier versions carry the {@link ActionJobData}.
 */
export type StoredActionData = Partial<ActionJobData>;

/**
 * The action a job stands for, from its id (`actionJobId`), else from the data of a job added by
 * an earlier version; null for a job that is not an action.
 */
export function actionOfJob(job: { readonly id?: string | undefined; readonly data: StoredActionData }): ActionJobData | null {
  const parsed = job.id ? parseActionJobId(job.id) : null;
  if (parsed) return parsed;
  const { interviewId, kind, revision } = job.data;
  return interviewId && kind && revision !== undefined ? { interviewId, kind, revision } : null;
}

/**
 * How many entries BullMQ keeps in each queue's event stream (`…:events`: added, delayed,
 * completed…). Nothing in ringback reads it (no QueueEvents); at BullMQ's default of 10,000 it held
 * about 0.8 MB once a calendar's jobs were queued (issue 17, footprint benchmark). Trimming is
 * approximate: Redis keeps whole stream nodes of 100 entries.
 * @defaultValue BullMQ's is 10,000
 */
export const QUEUE_EVENTS_KEPT = 100;

export function createQueues(connection: RedisConnection, prefix: string): Queues {
  const opts = { connection, prefix: bullPrefix(prefix), streams: { events: { maxLen: QUEUE_EVENTS_KEPT } } };
  const sync = new Queue<SyncJobData | ReconcileJobData>(SYNC_QUEUE, opts);
  const actions = new Queue<StoredActionData>(ACTIONS_QUEUE, opts);
  // A queue re-emits its connection's errors; with no listener, BullMQ writes each one to stderr
  // with console.error, past the daemon's log (a Redis restart printed every refused reconnect).
  // The connection is the runtime's, whose own listener logs them (src/daemon/runtime.ts), and
  // redis-health.ts acts on a lost Redis: here they have nothing more to say.
  for (const queue of [sync, actions]) queue.on('error', () => undefined);
  return {
    prefix,
    connection,
    sync,
    actions,
    legacyIds: { mayExist: null, checkedAt: 0 },
    async close() {
      await Promise.all([sync.close(), actions.close()]);
    },
  };
}

/**
 * The name of the actions' backoff strategy (workers/policy.ts). Jobs of earlier versions name it
 * `capped-exponential` and give their delay; both run the same strategy.
 */
export const ACTION_BACKOFF_TYPE = 'capped';

/**
 * Retry policy of an action: transient failures back off exponentially from 2 s, each wait capped
 * at a minute ({@link actionBackoff}, about 20 minutes over 25 attempts); rate limits and
 * unrecoverable failures are decided by the workers (see `workers/policy.ts`).
 *
 * Why not plain exponential over 10 attempts: a send makes four or five provider calls, so with a
 * flaky provider (one call in five failing) most attempts fail; ten of them left about one
 * confirmation in fifty failed for good, and the doubling waits (up to 17 min) let others miss
 * the minutes before the call in which a confirmation still makes sense.
 *
 * The actions worker gives it to each job it starts (`withActionRetry`, workers/actions.ts); it is
 * not kept with every job: `"backoff":{"type":"capped"},"attempts":25` took each of 50,000 job
 * hashes over a size class of the allocator (issue 17, footprint benchmark: 2,297 → 2,071 B per
 * interview for its five jobs). Jobs of earlier versions carry it in their own options (the
 * backoff also as `capped-exponential` with its 2 s delay); those run as they say, the same.
 */
export const ACTION_RETRY = { attempts: 25, backoff: { type: ACTION_BACKOFF_TYPE } } as const;

/**
 * The options every action job is added with, besides its id and delay: none. `attempts` is
 * given as undefined because BullMQ otherwise writes its default (`"attempts":0`) into the job;
 * how long finished jobs are kept is set once, on the worker ({@link ACTION_RETENTION}).
 */
export const ACTION_JOB_OPTIONS: JobsOptions = { attempts: undefined };

/**
 * How long the actions worker keeps finished jobs: completed ones a day, so that a re-plan of the
 * same revision stays a no-op; failed ones a week, for `ringback queue`. Set on the worker, which
 * BullMQ applies to every job that does not say otherwise (jobs added by earlier versions carry
 * the same figures in their own options): each job's options are kept in Redis with the job, and
 * these took 80 of its bytes (issue 17, footprint benchmark).
 */
export const ACTION_RETENTION = {
  removeOnComplete: { age: 24 * 3600, count: 10_000 },
  removeOnFail: { age: 7 * 24 * 3600 },
} as const;

/** The action retry wait: `delay`·2^(attempt−1), at most a minute (see {@link ACTION_RETRY}). */
export function actionBackoff(attemptsMade: number, delay: number): number {
  return Math.min(60_000, Math.round(delay * 2 ** Math.max(0, attemptsMade - 1)));
}

/** The job of an action, its delay counted from `now`: what {@link replaceActions} and addBulk add. */
export function actionJob(interviewId: string, revision: number, action: PlannedAction, now: Millis) {
  return {
    name: ACTION_JOB_NAME,
    // The id says which action it is (actionOfJob); data kept with 50,000 jobs costs memory.
    data: {} satisfies StoredActionData,
    opts: { ...ACTION_JOB_OPTIONS, jobId: actionJobId(interviewId, action.kind, revision), delay: Math.max(0, action.dueAt - now) },
  };
}

/**
 * How long this process trusts that jobs with ids of the earlier form may exist before it looks
 * again (the reconciler replaces them, src/engine/reconcile.ts; finished ones age out).
 */
const LEGACY_RECHECK_MS = 10 * 60_000;

/**
 * Whether jobs with ids of the earlier form (`{interview}.{kind}.r{revision}`, written before
 * the upgrade) may still be in the queue, in any state: while they may, every lookup and removal
 * of an action's job tries both forms. Asked once per process (the ids of every job, one round
 * trip), then again every ten minutes only while such jobs were found; never once none is left,
 * since this version writes none.
 */
export async function legacyIdsMayExist(queues: Queues): Promise<boolean> {
  const known = legacyIdsIfKnown(queues);
  if (known !== null) return known;
  const { pending, settled } = await actionJobIds(queues);
  noteLegacyIds(queues, [...pending, ...settled]);
  return queues.legacyIds.mayExist === true;
}

/**
 * {@link legacyIdsMayExist} when this process knows it without asking Redis, else null. Callers
 * that write right after use it to wait on nothing when the answer is known, so that their
 * commands go out in the same socket write as the others of the step (issue 17, fleet benchmark).
 */
export function legacyIdsIfKnown(queues: Queues): boolean | null {
  const known = queues.legacyIds;
  if (known.mayExist === false) return false;
  if (known.mayExist === true && Date.now() - known.checkedAt < LEGACY_RECHECK_MS) return true;
  return null;
}

/** Records whether any of these ids (every job id in the queue, as just read) is of the earlier form. */
export function noteLegacyIds(queues: Queues, ids: Iterable<string>): void {
  let found = false;
  for (const id of ids) {
    if (isLegacyActionJobId(id)) {
      found = true;
      break;
    }
  }
  queues.legacyIds.mayExist = found;
  queues.legacyIds.checkedAt = Date.now();
}

/** The ids the job of an action may have: this version's, and the earlier form's while such may exist. */
function jobIdsOf(interviewId: string, kind: ActionKind, revision: number, legacy: boolean): string[] {
  const id = actionJobId(interviewId, kind, revision);
  return legacy ? [id, legacyActionJobId(interviewId, kind, revision)] : [id];
}

/** The id of the earlier form of a job id of this version, or null. */
function legacyFormOf(id: string): string | null {
  const action = parseActionJobId(id);
  return action && !isLegacyActionJobId(id) ? legacyActionJobId(action.interviewId, action.kind, action.revision) : null;
}

/**
 * The ids the jobs of these actions may have (see {@link jobIdsOf}): for removals of jobs named by
 * their action (src/engine/first-plans.ts).
 */
export async function actionJobIdsFor(queues: Queues, actions: readonly ActionJobData[]): Promise<string[]> {
  const legacy = actions.length > 0 && (legacyIdsIfKnown(queues) ?? (await legacyIdsMayExist(queues)));
  return actions.flatMap((a) => jobIdsOf(a.interviewId, a.kind, a.revision, legacy));
}

/**
 * How many of these action jobs exist, in any state, in one command on `redis` (the queues'
 * connection, or another to the same Redis).
 */
export async function countActionJobs(redis: RedisConnection, queues: Queues, jobIds: readonly string[]): Promise<number> {
  if (jobIds.length === 0) return 0;
  return await redis.exists(...jobIds.map((id) => queues.actions.toKey(id)));
}

/** Removes a job unless it is running right now (a running job re-reads the state and stands down). */
async function removeQuietly(queue: Queue, jobId: string): Promise<void> {
  await queue.remove(jobId);
}

/** An interview's jobs at one revision, by kind: what {@link replaceActions} compares the plan with. */
export type ActionJobs = ReadonlyMap<ActionKind, Job<StoredActionData>>;

/**
 * The jobs of every kind at `revision`, looked up together (one round trip; two when
 * `rarelyQueued` and some exist). Every kind, not only
 * the planned ones, so that a caller can read them before it has the plan, beside the other
 * reads the plan needs (src/engine/replan.ts), and so that {@link replaceActions} need not remove
 * kinds that are not there (a removal costs BullMQ's removeJob script a dozen commands even then).
 */
export async function findActionJobs(
  queues: Queues,
  interviewId: string,
  revision: number,
  options: { rarelyQueued?: boolean } = {},
): Promise<ActionJobs> {
  const legacy = legacyIdsIfKnown(queues) ?? (await legacyIdsMayExist(queues));
  const ids = ACTION_KINDS.map((kind) => jobIdsOf(interviewId, kind, revision, legacy));
  // A revision just made (an event moved) has no job yet, unless another writer planned it first
  // (a mark in one process, a sync in another): one EXISTS over every id answers that, and only
  // then are the jobs looked up one by one. A lookup per id sent six commands and
  // made six BullMQ job reads (10–15 µs less of this process per move, fleet benchmark,
  // bench/README.md 2026-12-06 11:40). EXISTS and BullMQ's lookup read the same job hash.
  if (options.rarelyQueued && (await countActionJobs(queues.connection, queues, ids.flat())) === 0) return new Map();
  const jobs = await Promise.all(ids.flat().map((id) => queues.actions.getJob(id)));
  const found = new Map<ActionKind, Job<StoredActionData>>();
  let at = 0;
  ACTION_KINDS.forEach((kind, i) => {
    // This version's id first: while both exist, the one of the earlier form is left to the reconciler.
    const forms = ids[i]?.length ?? 0;
    for (const job of jobs.slice(at, at + forms)) if (job && !found.has(kind)) found.set(kind, job);
    at += forms;
  });
  return found;
}

/** KEYS: job hashes. Returns, for each, 1 when it exists, 0 when not. */
const JOBS_PRESENT = `local found = {}
for i, k in ipairs(KEYS) do found[i] = redis.call('EXISTS', k) end
return found`;

/** What a move reads of its jobs: the new revision's (as {@link findActionJobs}) and the ids of the previous one still queued. */
export interface MoveJobs {
  readonly existing: ActionJobs;
  /** Ids of the previous revision's jobs that exist, in any state (both id forms while legacy ids may exist). */
  readonly previous: readonly string[];
}

/**
 * The jobs of a move (`previousRevision` to `revision`), in one command: which of the previous
 * revision's ids exist, beside whether any of the new revision's do (then looked up as
 * {@link findActionJobs} does, a round trip more, as before). Only the previous revision's jobs
 * that exist are removed then ({@link replaceActions}): BullMQ's removal of a job that is not
 * there runs about a dozen commands to find nothing, and a plan's kinds are seldom all six (an
 * apology is planned only after a missed call), so every move removed at least one job that never
 * was (fleet and churn benchmarks, issue 17, bench/README.md). A job of the previous revision
 * added after this read and before the move's writes (a replan of that revision running at the
 * same moment in another process) is left to the reconciler, which removes jobs of a revision that
 * is no longer the interview's, as the kinds no longer planned at this revision are
 * ({@link replaceActions}); such a job finds its interview moved when it runs, and does nothing.
 */
export async function findMoveJobs(queues: Queues, interviewId: string, revision: number, previousRevision: number): Promise<MoveJobs> {
  const legacy = legacyIdsIfKnown(queues) ?? (await legacyIdsMayExist(queues));
  const now = ACTION_KINDS.flatMap((kind) => jobIdsOf(interviewId, kind, revision, legacy));
  const before = ACTION_KINDS.flatMap((kind) => jobIdsOf(interviewId, kind, previousRevision, legacy));
  const ids = [...now, ...before];
  const found = (await queues.connection.eval(JOBS_PRESENT, ids.length, ...ids.map((id) => queues.actions.toKey(id)))) as number[];
  if (found.length !== ids.length) throw new Error(`the jobs of ${interviewId}: ${found.length} answers for ${ids.length} ids`);
  const previous = before.filter((_, i) => found[now.length + i] === 1);
  const existing = found.slice(0, now.length).includes(1) ? await findActionJobs(queues, interviewId, revision) : new Map<ActionKind, Job<StoredActionData>>();
  return { existing, previous };
}

/**
 * Makes the queue hold exactly `actions` for this interview at `revision`: jobs of
 * `previousRevision` and kinds no longer planned are removed, new ones added, and a pending job
 * whose due time changed is moved.
 *
 * `existing` is {@link findActionJobs} at `revision`, when the caller read it already; without it
 * a replan of a known interview (`previousRevision` not null) looks it up first. A first plan
 * (`previousRevision` null) compares nothing: an id already queued is left as it is.
 *
 * `together` adds the caller's own writes (records, audit lines) to the batch that carries the
 * removals and the new jobs: they reach Redis in one socket write, and their replies are checked
 * with the batch's.
 */
export async function replaceActions(
  queues: Queues,
  input: {
    interviewId: string;
    revision: number;
    previousRevision: number | null;
    actions: readonly PlannedAction[];
    now: Millis;
    existing?: ActionJobs;
    /** The previous revision's job ids that exist ({@link findMoveJobs}): only these are removed. Without it, every kind's. */
    previousPresent?: readonly string[];
  },
  together?: (batch: LeanPipeline['batch']) => void,
): Promise<void> {
  const { interviewId, revision, previousRevision, actions, now } = input;
  const existing = input.existing ?? (previousRevision === null ? null : await findActionJobs(queues, interviewId, revision));
  const planned = new Set(actions.map((a) => a.kind));
  const removals: string[] = [];
  const legacy = legacyIdsIfKnown(queues) ?? (await legacyIdsMayExist(queues));
  if (previousRevision !== null && previousRevision !== revision) {
    if (input.previousPresent) removals.push(...input.previousPresent);
    else for (const kind of ACTION_KINDS) removals.push(...jobIdsOf(interviewId, kind, previousRevision, legacy));
  }
  for (const kind of ACTION_KINDS) {
    // A kind not planned is removed unless the lookup just made found no job of it.
    if (!planned.has(kind) && (!existing || existing.has(kind))) removals.push(...jobIdsOf(interviewId, kind, revision, legacy));
  }
  const missing = existing ? actions.filter((a) => !existing.has(a.kind)) : actions;
  const clock = queueClock(now);
  // BullMQ's scripts are defined on the connection once its client is ready.
  await queues.actions.client;
  // Removals, adds and moves touch different job ids (an older revision or a kind not planned;
  // a planned kind not queued; a planned kind queued), so they go out together: the jobs of an
  // interview cost one round trip, not one per job (issue 8, then issue 17: churn and schedule
  // benchmarks), and the removals, the adds and the caller's writes one socket write
  // (batch-jobs.ts). A move waits on Redis again only when a due time changed.
  const lean = leanPipeline(queues.connection);
  const removed = removeJobsIn(lean, queues.actions, removals);
  const { added, failed } = addJobsIn(lean, queues.actions, missing.map((a) => actionJob(interviewId, revision, a, now)));
  // A job that failed before its command was queued must not leave the others to go without it.
  if (failed) await failed;
  together?.(lean.batch);
  const sent = lean.batch.exec().then((replies) => {
    for (const [error] of replies ?? []) if (error) throw error;
    removed(replies ?? []);
  });
  const settled = await Promise.allSettled([
    sent,
    added,
    ...actions.map(async (action) => {
      const job = existing?.get(action.kind);
      if (job) await moveIfDueChanged(queues, job, interviewId, revision, action, clock);
    }),
  ]);
  // Every reply is in: the batch can let go of its commands (lean-pipeline.ts).
  lean.release();
  for (const result of settled) if (result.status === 'rejected') throw result.reason;
}

/**
 * The queue runs on the machine's clock; `now` is the engine's. The difference is taken once per
 * call, when `now` is fresh: taken again for every job, a long call (a reconcile over 100,000
 * jobs) would see its own running time as a change of due time and move every job (issue 8, fire
 * benchmark).
 */
interface QueueClock {
  readonly now: Millis;
  /** Machine time minus engine time. */
  readonly skew: Millis;
}

function queueClock(now: Millis): QueueClock {
  return { now, skew: Date.now() - now };
}

/** When the action's job should fire, in queue time (see QueueClock). */
function shouldFireAt(action: PlannedAction, clock: QueueClock): Millis {
  return clock.now + clock.skew + Math.max(0, action.dueAt - clock.now);
}

/**
 * Moves a pending job whose due time no longer matches the plan (by replacing it: BullMQ's
 * changeDelay keeps the job's original timestamp, which would hide the new due time from listings).
 */
async function moveIfDueChanged(
  queues: Queues,
  existing: Job<StoredActionData>,
  interviewId: string,
  revision: number,
  action: PlannedAction,
  clock: QueueClock,
): Promise<boolean> {
  const firesAt = existing.timestamp + (existing.delay ?? 0);
  if (Math.abs(firesAt - shouldFireAt(action, clock)) < 1000 || !(await existing.isDelayed())) return false;
  if ((await queues.actions.remove(existing.id as string)) !== 1) return false;
  const job = actionJob(interviewId, revision, action, clock.now);
  await queues.actions.add(job.name, job.data, job.opts);
  return true;
}

/**
 * Moves pending jobs to the due times of the plan; returns how many moved. Jobs are looked up
 * 200 at a time (one round trip), not one by one: a reconcile goes over every pending job. Only
 * each job's `timestamp` and `delay` are read (BullMQ's fields, as `Job.fromJSON` reads them);
 * the whole job is fetched only for the few whose due time changed. Fetching every job whole made
 * the reconcile at start-up allocate ~20 MB per 5,000 interviews for nothing (issue 17,
 * footprint benchmark).
 */
export async function realignActions(
  queues: Queues,
  items: readonly { interviewId: string; revision: number; action: PlannedAction }[],
  now: Millis,
): Promise<number> {
  const clock = queueClock(now);
  const client = await queues.actions.client;
  let moved = 0;
  for (let i = 0; i < items.length; i += 200) {
    const chunk = items.slice(i, i + 200);
    const times = await Promise.all(
      chunk.map((item) => client.hmget(queues.actions.toKey(actionJobId(item.interviewId, item.action.kind, item.revision)), 'timestamp', 'delay')),
    );
    const results = await Promise.all(
      chunk.map(async (item, j) => {
        const [timestamp, delay] = times[j] ?? [null, null];
        if (timestamp === null || timestamp === undefined) return false;
        const firesAt = Number(timestamp) + Number(delay ?? 0);
        if (Math.abs(firesAt - shouldFireAt(item.action, clock)) < 1000) return false;
        const existing = await queues.actions.getJob(actionJobId(item.interviewId, item.action.kind, item.revision));
        return existing ? await moveIfDueChanged(queues, existing, item.interviewId, item.revision, item.action, clock) : false;
      }),
    );
    moved += results.filter(Boolean).length;
  }
  return moved;
}

/** Adds many first plans at once (sync of a new calendar, benchmarks). */
export async function addFirstPlans(
  queues: Queues,
  plans: readonly { interviewId: string; revision: number; actions: readonly PlannedAction[] }[],
  now: Millis,
): Promise<void> {
  await addInChunks(
    queues,
    plans.flatMap((p) => p.actions.map((action) => ({ interviewId: p.interviewId, revision: p.revision, action }))),
    now,
  );
}

/**
 * Adds jobs 1,000 per round trip. Each chunk's delays are counted from the moment it is sent, so
 * that jobs of the last chunk of a long call fire when planned, not later by the time the
 * earlier chunks took.
 */
async function addInChunks(
  queues: Queues,
  items: readonly { interviewId: string; revision: number; action: PlannedAction }[],
  now: Millis,
): Promise<void> {
  const clock = queueClock(now);
  for (let i = 0; i < items.length; i += 1000) {
    const engineNow = Date.now() - clock.skew;
    await queues.actions.addBulk(items.slice(i, i + 1000).map((item) => actionJob(item.interviewId, item.revision, item.action, engineNow)));
  }
}

export async function removeAllActions(queues: Queues, interviewId: string, revisions: readonly number[]): Promise<void> {
  const legacy = legacyIdsIfKnown(queues) ?? (await legacyIdsMayExist(queues));
  await Promise.all(
    revisions.flatMap((rev) => ACTION_KINDS.flatMap((kind) => jobIdsOf(interviewId, kind, rev, legacy).map((id) => removeQuietly(queues.actions, id)))),
  );
}

/** Schedules the account's sync; true when a schedule of it existed already (a restart). */
export async function scheduleSync(queues: Queues, accountId: string, everyMs: number): Promise<boolean> {
  const existed = (await queues.sync.getJobScheduler(syncSchedulerId(accountId))) !== undefined;
  await queues.sync.upsertJobScheduler(
    syncSchedulerId(accountId),
    { every: everyMs },
    { name: 'sync', data: { accountId }, opts: { removeOnComplete: 100, removeOnFail: 100, attempts: 1 } },
  );
  return existed;
}

export async function scheduleReconcile(queues: Queues, everyMs: number): Promise<void> {
  await queues.sync.upsertJobScheduler(
    RECONCILE_SCHEDULER_ID,
    { every: everyMs },
    { name: 'reconcile', data: { reason: 'periodic' }, opts: { removeOnComplete: 10, removeOnFail: 10, attempts: 1 } },
  );
}

/** A sync of the account now, besides its schedule. */
export async function syncNow(queues: Queues, accountId: string): Promise<void> {
  await queues.sync.add('sync', { accountId }, { removeOnComplete: 100, removeOnFail: 100, attempts: 1 });
}

/** True when no action job runs or waits, and none falls due within `withinMs` of `now`. */
export async function actionsQuiet(queues: Queues, now: Millis, withinMs = 60_000): Promise<boolean> {
  const counts = await queues.actions.getJobCounts('active', 'waiting', 'prioritized');
  if (Object.values(counts).some((n) => n > 0)) return false;
  // The delayed set is ordered by due time: its first job is the next to fall due.
  const [next] = await queues.actions.getDelayed(0, 0);
  return !next || next.timestamp + (next.delay ?? 0) > now + withinMs;
}

/** A reconcile now, besides the periodic one. */
export async function reconcileNow(queues: Queues, reason: string): Promise<void> {
  await queues.sync.add('reconcile', { reason }, { removeOnComplete: 10, removeOnFail: 10, attempts: 1 });
}

/** Removes schedulers of accounts that are no longer in the config. */
export async function pruneSyncSchedulers(queues: Queues, accountIds: readonly string[]): Promise<void> {
  const keep = new Set([...accountIds.map(syncSchedulerId), RECONCILE_SCHEDULER_ID]);
  for (const s of await queues.sync.getJobSchedulers(0, -1)) {
    const id = s.key;
    if (id && !keep.has(id)) await queues.sync.removeJobScheduler(id);
  }
}

export interface PendingAction extends ActionJobData {
  readonly jobId: string;
  readonly dueAt: Millis;
  readonly state: 'delayed' | 'waiting' | 'active' | 'failed' | 'prioritized' | 'waiting-children';
  readonly attempts: number;
  readonly failedReason?: string;
}

function toPending(job: Job<StoredActionData>, state: PendingAction['state']): PendingAction | null {
  const parsed = job.id ? parseActionJobId(job.id) : null;
  if (!parsed || !job.id) return null;
  return {
    ...parsed,
    jobId: job.id,
    dueAt: job.timestamp + (job.delay ?? 0),
    state,
    attempts: job.attemptsMade,
    ...(job.failedReason ? { failedReason: job.failedReason } : {}),
  };
}

/** Every action job not yet completed, soonest first. */
export async function listPendingActions(queues: Queues, limit = 10_000): Promise<PendingAction[]> {
  const out: PendingAction[] = [];
  const states = ['delayed', 'waiting', 'active', 'failed', 'prioritized'] as const;
  for (const state of states) {
    const jobs = await queues.actions.getJobs([state], 0, limit - 1);
    for (const job of jobs) {
      const p = job ? toPending(job, state) : null;
      if (p) out.push(p);
    }
  }
  return out.sort((a, b) => a.dueAt - b.dueAt);
}

/** Ids of action jobs by state group: `pending` (not yet run or running), `settled` (completed or failed), and of the pending ones those `active` (running now). */
export async function actionJobIds(queues: Queues): Promise<{ pending: Set<string>; settled: Set<string>; active: Set<string> }> {
  // The active list is read once and counted among the pending too (so every active id is pending).
  const [waiting, settled, active] = await Promise.all([
    queues.actions.getRanges(['delayed', 'waiting', 'prioritized', 'paused'], 0, -1),
    queues.actions.getRanges(['completed', 'failed'], 0, -1),
    queues.actions.getRanges(['active'], 0, -1),
  ]);
  return { pending: new Set([...waiting, ...active]), settled: new Set(settled), active: new Set(active) };
}

/** Adds jobs that are missing (ids already present are left as they are). */
export async function addActions(
  queues: Queues,
  items: readonly { interviewId: string; revision: number; action: PlannedAction }[],
  now: Millis,
): Promise<void> {
  await addInChunks(queues, items, now);
}

/**
 * Runs these waiting jobs now (parked actions whose account works again). A job that is not
 * waiting (running, done, removed since) is left as it is. Returns how many were brought forward.
 */
export async function promoteActions(queues: Queues, jobIds: readonly string[]): Promise<number> {
  let promoted = 0;
  const legacy = jobIds.length > 0 && (legacyIdsIfKnown(queues) ?? (await legacyIdsMayExist(queues)));
  for (const id of jobIds) {
    // A parked job is noted by its action's id of this version; one queued before the upgrade has
    // the earlier form.
    const earlier = legacy ? legacyFormOf(id) : null;
    const job = (await queues.actions.getJob(id)) ?? (earlier ? await queues.actions.getJob(earlier) : undefined);
    if (!job || !(await job.isDelayed())) continue;
    // The job may start between the check and the promote: then there is nothing left to do.
    const moved = await job.promote().then(
      () => true,
      () => false,
    );
    if (moved) promoted++;
  }
  return promoted;
}

export async function removeActionJobs(queues: Queues, jobIds: readonly string[]): Promise<void> {
  await Promise.all(jobIds.map((id) => removeQuietly(queues.actions, id)));
}
