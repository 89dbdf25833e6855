/**
 * fire: how late due actions run while 100,000 delayed jobs wait, with bursts of 1,000 due at the
 * same instant (1,000 interviews that start at the same time tomorrow) on top of 100 per second.
 *
 * The daemon runs as `ringback start` runs it (startDaemon: the real actions worker at the
 * daemon's default concurrency for a Maildir, the reconciler; the Maildir mailbox). Each timed
 * job is an interview's confirmation draft, planned by replan like any other. Processor start is
 * taken from the worker's `active` event, emitted as the job is handed to the processor; the due time is the one planned (the queue's
 * own is a few milliseconds later: the job's timestamp is taken as it is added). The draft time
 * is the `drafted` audit entry, written right after the draft file is in the Maildir.
 *
 * Then the same due times again, on new interviews, with the daemon in two child processes
 * (lib/fire-child.ts) on the same Redis and Maildir: the "2 processes" rows, read against the
 * one-process figures of the same run. One Node process is one event loop, so this is what a
 * second `ringback start` adds; each child stamps its worker's `active` events and sends them over
 * IPC.
 *
 * Baseline, same run: a bare BullMQ worker with a processor that does nothing, the same
 * concurrency and the same due times, on a queue that also holds 100,000 delayed jobs: what the
 * queue and Redis alone allow. Writes fire-lateness.svg (CDF) next to the JSON.
 */
import { readdir, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Queue, Worker, type Job } from 'bullmq';
import { defaultActionConcurrency, startDaemon, type Daemon } from '../src/daemon/daemon.js';
import type { Interview, PlannedAction } from '../src/domain/types.js';
import type { Engine } from '../src/engine/context.js';
import { computePlan, replan } from '../src/engine/replan.js';
import { actionJobId } from '../src/queue/jobs.js';
import { ACTION_JOB_OPTIONS, addFirstPlans, bullPrefix } from '../src/queue/queues.js';
import { readAudit } from '../src/store/audit.js';
import { openRedis } from '../src/store/connection.js';
import { profiled, type PhaseProfile } from './lib/cpu.js';
import { startDaemonProcesses } from './lib/fire-processes.js';
import { eachLimited, info, limit, percentile, scaled, sleep, type Scenario, type ScenarioContext, type ScenarioResult } from './lib/figures.js';
import { makeInterviews, saveInterviews } from './lib/interviews.js';
import { describeProfile, type BenchRedis } from './lib/redis.js';
import { onOwnRedis } from './lib/session.js';
import { cdfSvg } from './lib/svg.js';
import { futureStart } from './schedule.js';

const DAY = 86_400_000;
/** The daemon's own default for a Maildir mailbox (src/daemon/daemon.ts), the bare worker's too. */
const CONCURRENCY = defaultActionConcurrency({ type: 'maildir', id: 'mail', path: '' });
/** The daemon processes of the shared-work rows. */
const PROCESSES = 2;

interface Shape {
  readonly pendingJobs: number;
  readonly windowSeconds: number;
  readonly steadyPerSecond: number;
  readonly burstSize: number;
  /** Offsets of the bursts from the start of the window. */
  readonly burstAt: readonly number[];
}

interface Due {
  readonly due: number;
  readonly burst: boolean;
}

/** The due times of the window starting at `t0`, soonest first. */
function schedule(shape: Shape, t0: number): Due[] {
  const dues: Due[] = [];
  for (let k = 0; k < shape.windowSeconds * shape.steadyPerSecond; k++) dues.push({ due: t0 + Math.floor((k * 1000) / shape.steadyPerSecond), burst: false });
  for (const at of shape.burstAt) for (let k = 0; k < shape.burstSize; k++) dues.push({ due: t0 + at, burst: true });
  return dues.sort((a, b) => a.due - b.due);
}

/** Waits until `done()` reaches `total` or the deadline passes, saying how far it got. */
async function waitFor(context: ScenarioContext, what: string, done: () => number, total: number, t0: number, deadline: number): Promise<void> {
  while (done() < total && Date.now() < deadline) {
    await sleep(1000);
    if (Date.now() > t0) context.progress(`${what}: ${done()}/${total}`);
  }
}

/** The baseline: the same due times on a bare worker whose processor does nothing. */
async function rawLateness(redis: BenchRedis, prefix: string, shape: Shape, context: ScenarioContext): Promise<number[]> {
  const connection = openRedis(redis.url, { forWorkers: true });
  const workerConnection = openRedis(redis.url, { forWorkers: true });
  const queue = new Queue('raw-fire', { connection, prefix: bullPrefix(prefix) });
  let worker: Worker | null = null;
  try {
    const far = Date.now() + 2 * DAY;
    for (let i = 0; i < shape.pendingJobs; i += 1000) {
      const n = Math.min(1000, shape.pendingJobs - i);
      await queue.addBulk(Array.from({ length: n }, (_, k) => ({ name: 'later', data: {}, opts: { ...ACTION_JOB_OPTIONS, jobId: `later-${i + k}`, delay: far + (i + k) * 1000 - Date.now() } })));
    }
    const lateness: number[] = [];
    worker = new Worker('raw-fire', async () => 'done', { connection: workerConnection, prefix: bullPrefix(prefix), concurrency: CONCURRENCY });
    const dueOf = new Map<string, number>();
    worker.on('active', (job: Job) => {
      const due = dueOf.get(job.id ?? '');
      if (due !== undefined) lateness.push(Date.now() - due);
    });
    const t0 = Math.ceil((Date.now() + 5_000) / 1000) * 1000;
    const dues = schedule(shape, t0);
    const jobs = dues.map((d, i) => {
      dueOf.set(`fire-${i}`, d.due);
      return { name: 'fire', data: {}, opts: { ...ACTION_JOB_OPTIONS, jobId: `fire-${i}` } };
    });
    // Added like replan adds them: a small bulk per interview, delays counted when sent.
    await eachLimited(jobs, 2, async (job) => {
      await queue.addBulk([{ ...job, opts: { ...job.opts, delay: Math.max(0, (dueOf.get(job.opts.jobId) ?? 0) - Date.now()) } }]);
    });
    await waitFor(context, 'bare worker', () => lateness.length, dues.length, t0, t0 + shape.windowSeconds * 1000 + 60_000);
    return lateness;
  } finally {
    await worker?.close();
    await queue.close();
    connection.disconnect();
    workerConnection.disconnect();
  }
}

/** The timed interviews of one fire window: each starts a day after its draft falls due. */
interface Window {
  readonly t0: number;
  readonly dues: readonly Due[];
  readonly timed: readonly Interview[];
  /** The due of each timed confirmation-draft job, by job id. */
  readonly byJob: ReadonlyMap<string, Due>;
}

function timedWindow(engine: Engine, shape: Shape, context: ScenarioContext, sourceId: string): Window {
  // Time enough to plan every timed interview before the first falls due.
  const planned = Math.ceil((shape.windowSeconds * shape.steadyPerSecond + shape.burstSize * shape.burstAt.length) / 250) * 1_000;
  const t0 = Math.ceil((Date.now() + (context.tiny ? 3_000 : planned + 5_000)) / 1000) * 1000;
  const dues = schedule(shape, t0);
  const timed = makeInterviews(engine, dues.length, (i) => dues[i]!.due + DAY, sourceId);
  return { t0, dues, timed, byJob: new Map(timed.map((iv, i) => [actionJobId(iv.id, 'confirmation-draft', 1), dues[i]!])) };
}

/** Saves and plans the window's interviews as a sync would (replan); returns how many were planned after their due time. */
async function planWindow(engine: Engine, window: Window): Promise<number> {
  await saveInterviews(engine, window.timed);
  let addedLate = 0;
  await eachLimited(window.timed, 2, async (interview, i) => {
    await replan(engine, interview, null);
    if (Date.now() > window.dues[i]!.due) addedLate++;
  });
  return addedLate;
}

interface Lateness {
  readonly toStart: number[];
  readonly toStartBurst: number[];
  readonly toStartSteady: number[];
  readonly toDraft: number[];
  readonly draftsPerSecond: number;
}

/** Due → processor start (from `started`, by job id) and due → `drafted` audit entry, for a window. */
async function latenessOf(engine: Engine, window: Window, started: ReadonlyMap<string, number>): Promise<Lateness> {
  const drafted = new Map<string, number>();
  for (const record of await readAudit(engine.store, { count: 100_000 })) {
    if (record.type === 'drafted' && record.interviewId) drafted.set(record.interviewId, record.at);
  }
  const runs = [...window.byJob].flatMap(([id, due]) => {
    const start = started.get(id);
    return start === undefined ? [] : [{ late: start - due.due, start, burst: due.burst }];
  });
  const toDraft: number[] = [];
  window.timed.forEach((interview, i) => {
    const at = drafted.get(interview.id);
    if (at !== undefined) toDraft.push(at - window.dues[i]!.due);
  });
  const lastStart = Math.max(...runs.map((r) => r.start));
  return {
    toStart: runs.map((r) => r.late),
    toStartBurst: runs.filter((r) => r.burst).map((r) => r.late),
    toStartSteady: runs.filter((r) => !r.burst).map((r) => r.late),
    toDraft,
    draftsPerSecond: window.timed.length / Math.max(0.001, (lastStart - window.t0) / 1000),
  };
}

async function emptyFolder(dir: string): Promise<void> {
  for (const name of await readdir(dir)) await rm(join(dir, name), { force: true });
}

/** Waits until the sync queue has nothing running or waiting (the reconcile at daemon start). */
async function syncQueueIdle(engine: Engine, atLeastCompleted: number, what: string): Promise<number> {
  const since = Date.now();
  for (;;) {
    const counts = await engine.queues.sync.getJobCounts('active', 'waiting', 'completed', 'failed');
    if ((counts.completed ?? 0) + (counts.failed ?? 0) >= atLeastCompleted && (counts.active ?? 0) === 0 && (counts.waiting ?? 0) === 0) break;
    if (Date.now() - since > 900_000) throw new Error(`${what} did not finish in 15 minutes`);
    await sleep(200);
  }
  return (Date.now() - since) / 1000;
}

export const fire: Scenario = {
  name: 'fire',
  what: '100,000 delayed jobs pending; bursts of 1,000 due at once plus 100/s: lateness due → processor start and due → draft, with one daemon process, then two',
  async run(context): Promise<ScenarioResult> {
    const began = Date.now();
    const shape: Shape = {
      pendingJobs: scaled(100_000, context, 500, 500),
      windowSeconds: context.tiny ? 3 : 30,
      steadyPerSecond: context.tiny ? 10 : 100,
      burstSize: context.tiny ? 50 : 1_000,
      burstAt: context.tiny ? [1_500] : [10_000, 20_000],
    };
    return await onOwnRedis(context, async ({ redis, openEngine, defer }) => {
      const bench = await openEngine();
      let daemon: Daemon | null = null;
      defer(() => daemon?.stop());
      const engine = bench.engine;
      const cpu: Record<string, PhaseProfile> = {};

      // The jobs that wait: interviews over the next weeks, five jobs each, planned in batch.
      const background = makeInterviews(engine, Math.ceil(shape.pendingJobs / 5), futureStart(Date.now()), 'later');
      await saveInterviews(engine, background);
      const plans: { interviewId: string; revision: number; actions: readonly PlannedAction[] }[] = [];
      await eachLimited(background, 16, async (interview) => {
        plans.push({ interviewId: interview.id, revision: interview.revision, actions: (await computePlan(engine, interview)).actions });
      });
      await addFirstPlans(engine.queues, plans, engine.now());
      const waiting = await engine.queues.actions.getDelayedCount();
      context.progress(`${waiting} delayed jobs pending`);

      // The daemon, and the reconcile it runs at start (it goes over every pending job).
      daemon = await startDaemon(bench.runtime, engine, { actionConcurrency: CONCURRENCY });
      const reconcileSeconds = await syncQueueIdle(engine, 1, 'the reconcile at daemon start');
      context.progress(`the reconcile at start took ${reconcileSeconds.toFixed(1)} s`);

      const one = timedWindow(engine, shape, context, 'now');
      const started = new Map<string, number>();
      const finished = new Set<string>();
      daemon.workers.actions.on('active', (job: Job) => {
        if (job.id && one.byJob.has(job.id)) started.set(job.id, Date.now());
      });
      daemon.workers.actions.on('completed', (job: Job) => {
        if (job.id && one.byJob.has(job.id)) finished.add(job.id);
      });
      const addedLate = await planWindow(engine, one);
      context.progress(`${one.timed.length} interviews planned; their drafts fall due from ${new Date(one.t0).toISOString()} for ${shape.windowSeconds} s`);

      await redis.resetStats();
      // The daemon runs in this process: its CPU time over the window, per draft (threads of the
      // file writes included), is what a burst of drafts costs it, whatever the lateness.
      const cpuBefore = process.cpuUsage();
      await profiled(context, 'fire-window', () => waitFor(context, 'drafts', () => finished.size, one.timed.length, one.t0, one.t0 + shape.windowSeconds * 1000 + 180_000), cpu);
      const cpuWindow = process.cpuUsage(cpuBefore);
      const redisProfile = await redis.profile();
      await daemon.stop();
      daemon = null;
      if (started.size !== one.timed.length) throw new Error(`only ${started.size} of ${one.timed.length} timed jobs started before the deadline`);
      const ours = await latenessOf(engine, one, started);
      const draftFiles = (await readdir(join(bench.maildir, '.Drafts', 'cur'))).length;
      // Each draft first looks for its Message-ID in Drafts (a crash may have written it already),
      // which costs more the more files the folder holds: both windows start from an empty one.
      for (const sub of ['cur', 'new']) await emptyFolder(join(bench.maildir, '.Drafts', sub));

      // The same shape again, with the work shared by two daemon processes on this Redis and Maildir.
      context.progress(`the same due times, ${PROCESSES} daemon processes`);
      const processes = await startDaemonProcesses(bench, redis.url, PROCESSES, CONCURRENCY);
      defer(() => processes.stop());
      await syncQueueIdle(engine, 0, 'the start-up of the daemon processes');
      const two = timedWindow(engine, shape, context, 'now-two');
      const addedLateTwo = await planWindow(engine, two);
      const doneTwo = () => [...two.byJob.keys()].filter((id) => processes.completed.has(id)).length;
      await waitFor(context, `drafts, ${PROCESSES} processes`, doneTwo, two.timed.length, two.t0, two.t0 + shape.windowSeconds * 1000 + 180_000);
      const startedBy = processes.startedBy();
      await processes.stop();
      const startedTwo = [...two.byJob.keys()].filter((id) => processes.started.has(id)).length;
      if (startedTwo !== two.timed.length) throw new Error(`${PROCESSES} processes: only ${startedTwo} of ${two.timed.length} timed jobs started before the deadline`);
      const shared = await latenessOf(engine, two, processes.started);
      const draftFilesTwo = (await readdir(join(bench.maildir, '.Drafts', 'cur'))).length;

      context.progress('baseline: the same due times on a bare BullMQ worker');
      const raw = await rawLateness(redis, bench.config.prefix, shape, context);

      const svgFile = 'fire-lateness.svg';
      await writeFile(
        join(context.resultsDir, svgFile),
        cdfSvg({
          title: `fire: ${one.timed.length} drafts due in ${shape.windowSeconds} s (bursts of ${shape.burstSize}), ${waiting} jobs pending`,
          unit: 'ms',
          series: [
            { label: 'due → processor start', color: '#1f77b4', values: ours.toStart },
            { label: 'due → draft in the Maildir', color: '#2ca02c', values: ours.toDraft },
            { label: 'due → start, burst jobs only', color: '#ff7f0e', values: ours.toStartBurst },
            { label: `due → processor start, ${PROCESSES} processes`, color: '#9467bd', values: shared.toStart },
            { label: 'bare BullMQ worker, no-op processor', color: '#7f7f7f', values: raw },
          ],
          marks: [
            { at: 50, label: 'p50 ≤ 50 ms' },
            { at: 250, label: 'p99 ≤ 250 ms' },
            { at: 500, label: 'draft p99' },
            { at: 1000, label: 'max ≤ 1 s' },
          ],
        }),
      );

      const bare = 'bare worker, no-op';
      // The two-process rows are read against the one-process figures of the same run.
      const single = 'one process';
      const withTwo = (name: string, value: number, unit: string, baseline: number, kind: 'times' | 'share' = 'times') =>
        info(`${PROCESSES} processes: ${name}`, value, unit, { baseline, label: single, kind });
      return {
        scenario: 'fire',
        what: this.what,
        size: { ...shape, burstAt: shape.burstAt.join(', '), pendingJobs: waiting, timedJobs: one.timed.length, actionConcurrency: CONCURRENCY, processes: `1, then ${PROCESSES}` },
        figures: [
          limit('due → processor start, p50', percentile(ours.toStart, 50), 'ms', { max: 50 }, { baseline: percentile(raw, 50), label: bare, kind: 'times' }),
          limit('due → processor start, p99', percentile(ours.toStart, 99), 'ms', { max: 250 }, { baseline: percentile(raw, 99), label: bare, kind: 'times' }),
          limit('due → processor start, max', Math.max(...ours.toStart), 'ms', { max: 1000 }, { baseline: Math.max(...raw), label: bare, kind: 'times' }),
          limit('due → draft in the Maildir, p99', percentile(ours.toDraft, 99), 'ms', { max: 500 }),
          info('due → processor start, p99 of the steady jobs', percentile(ours.toStartSteady, 99), 'ms'),
          info('due → processor start, p50 of the burst jobs', percentile(ours.toStartBurst, 50), 'ms'),
          info('drafts written per second (first due → last start)', ours.draftsPerSecond, 'drafts/s'),
          info('CPU of the daemon process per draft (over the window)', (cpuWindow.user + cpuWindow.system) / 1000 / one.timed.length, 'ms'),
          info('reconcile at daemon start, over every pending job', reconcileSeconds, 's'),
          withTwo('due → processor start, p50', percentile(shared.toStart, 50), 'ms', percentile(ours.toStart, 50)),
          withTwo('due → processor start, p99', percentile(shared.toStart, 99), 'ms', percentile(ours.toStart, 99)),
          withTwo('due → processor start, max', Math.max(...shared.toStart), 'ms', Math.max(...ours.toStart)),
          withTwo('due → draft in the Maildir, p99', percentile(shared.toDraft, 99), 'ms', percentile(ours.toDraft, 99)),
          withTwo('drafts written per second (first due → last start)', shared.draftsPerSecond, 'drafts/s', ours.draftsPerSecond, 'share'),
        ],
        notes: [
          `startDaemon as \`ringback start\` runs it (actions concurrency ${CONCURRENCY}, reconciler); the Maildir mailbox; each timed job is a confirmation draft planned by replan.`,
          "Processor start: the worker's `active` event, emitted as the job is handed to the processor. Due: the planned due time (the queue's is a few ms later).",
          `${addedLate} timed jobs were added after their due time (should be 0); ${draftFiles} draft files in the Maildir and ${ours.toDraft.length} drafted audit entries for ${one.timed.length} timed jobs.`,
          `Baseline: a bare BullMQ Worker (concurrency ${CONCURRENCY}, processor returns at once) with the same due times, its queue also holding the same number of delayed jobs.`,
          `${PROCESSES} processes: the same due times again, on new interviews, with the daemon in ${PROCESSES} child processes (bench/lib/fire-child.ts, concurrency ${CONCURRENCY} each) on the same Redis, prefix and Maildir; processor start is each child's worker \`active\` event, stamped in the child. Timed jobs started by each process: ${startedBy.join(', ')}; ${addedLateTwo} added after their due time; ${draftFilesTwo} draft files (the folder emptied of the first window's) and ${shared.toDraft.length} drafted audit entries for ${two.timed.length} timed jobs. The ratio is to the one-process figure of this run.`,
        ],
        profile: { redisDuringWindow: redisProfile, cpu, summary: describeProfile(redisProfile) },
        durationMs: Date.now() - began,
        files: [svgFile, ...Object.values(cpu).map((p) => p.file)],
      };
    });
  },
};
