/**
 * schedule: interviews planned and enqueued per second, counted in jobs.
 *
 * Ours: `replan(engine, interview, null)` for each new interview, one at a time, as a sync does
 * for every interview it finds (plan, jobs replaced on the queue, action records, audit). Also
 * shown: the batch path (`computePlan` for each, then `addFirstPlans` in chunks of 1,000), which
 * puts the same jobs on the queue without records or audit. Baseline: raw BullMQ `addBulk` of
 * the same jobs (same names, data, options and ids) into a queue of its own, 1,000 per call.
 */
import type { Interview, PlannedAction } from '../src/domain/types.js';
import { computePlan, replan } from '../src/engine/replan.js';
import { addFirstPlans } from '../src/queue/queues.js';
import { cpuMeter, profiled, type PhaseProfile } from './lib/cpu.js';
import { info, scaled, share, type Scenario, type ScenarioResult } from './lib/figures.js';
import { makeInterviews, saveInterviews } from './lib/interviews.js';
import { addInThousands, openRawQueue, rawActionJob } from './lib/raw-queue.js';
import { describeProfile } from './lib/redis.js';
import { countRoundTrips } from '../test/support/round-trips.js';
import { onOwnRedis } from './lib/session.js';

const HOUR = 3_600_000;

export function futureStart(now: number): (index: number) => number {
  const base = Math.ceil(now / HOUR) * HOUR + 48 * HOUR;
  return (index) => base + (index % 1_000) * 30 * 60_000;
}

export const schedule: Scenario = {
  name: 'schedule',
  what: 'interviews planned and enqueued per second (jobs/s) vs raw BullMQ addBulk',
  async run(context): Promise<ScenarioResult> {
    const began = Date.now();
    const count = scaled(10_000, context, 100, 20);
    return await onOwnRedis(context, async ({ redis, openEngine, defer }) => {
      const bench = await openEngine();
      const engine = bench.engine;
      const cpu: Record<string, PhaseProfile> = {};
      const now = Date.now();
      const oneByOne = makeInterviews(engine, count, futureStart(now), 'one');
      const batch = makeInterviews(engine, count, futureStart(now), 'batch');
      await saveInterviews(engine, [...oneByOne, ...batch]);
      context.progress(`${count} interviews recorded twice (one by one, batch)`);

      await redis.resetStats();
      const plans: { interviewId: string; revision: number; actions: readonly PlannedAction[] }[] = [];
      const replanTrips = countRoundTrips(engine.store.redis);
      const replanMeter = await cpuMeter(redis);
      let t0 = performance.now();
      await profiled(context, 'schedule-replan', async () => {
        for (const [i, interview] of oneByOne.entries()) {
          const result = await replan(engine, interview, null);
          plans.push({ interviewId: interview.id, revision: interview.revision, actions: result.actions });
          if ((i + 1) % Math.max(1, Math.floor(count / 5)) === 0) context.progress(`replan: ${i + 1}/${count}`);
        }
      }, cpu);
      const replanSeconds = (performance.now() - t0) / 1000;
      const replanCpu = await replanMeter.stop();
      const replanRoundTrips = replanTrips.stop();
      const replanProfile = await redis.profile();
      const jobs = plans.reduce((n, p) => n + p.actions.length, 0);
      const pending = await engine.queues.actions.getDelayedCount();
      if (pending !== jobs) throw new Error(`replan put ${pending} jobs on the queue, the plans have ${jobs}`);
      context.progress(`replan: ${jobs} jobs in ${replanSeconds.toFixed(1)} s`);

      t0 = performance.now();
      const batchPlans: { interviewId: string; revision: number; actions: readonly PlannedAction[] }[] = [];
      for (const interview of batch) batchPlans.push({ interviewId: interview.id, revision: interview.revision, actions: (await computePlan(engine, interview as Interview)).actions });
      await addFirstPlans(engine.queues, batchPlans, engine.now());
      const batchSeconds = (performance.now() - t0) / 1000;
      const batchJobs = batchPlans.reduce((n, p) => n + p.actions.length, 0);
      context.progress(`batch: ${batchJobs} jobs in ${batchSeconds.toFixed(1)} s`);

      const raw = openRawQueue(bench, 'raw-actions');
      defer(() => raw.close());
      const rawJobs = plans.flatMap((p) => p.actions.map((a) => rawActionJob(p.interviewId, p.revision, a)));
      await redis.resetStats();
      const rawTrips = countRoundTrips(engine.store.redis);
      const rawMeter = await cpuMeter(redis);
      t0 = performance.now();
      await addInThousands(raw, rawJobs);
      const rawSeconds = (performance.now() - t0) / 1000;
      const rawCpu = await rawMeter.stop();
      const rawRoundTrips = rawTrips.stop();
      const rawProfile = await redis.profile();
      context.progress(`raw addBulk: ${rawJobs.length} jobs in ${rawSeconds.toFixed(1)} s`);

      const rawRate = rawJobs.length / rawSeconds;
      return {
        scenario: 'schedule',
        what: this.what,
        size: { interviews: count, jobsPerInterview: jobs / count, jobs },
        figures: [
          share('planned and enqueued, one interview at a time (replan)', jobs / replanSeconds, rawRate, 'jobs/s', 'raw addBulk', 0.5),
          info('planned and enqueued in batch (computePlan + addFirstPlans)', batchJobs / batchSeconds, 'jobs/s', { baseline: rawRate, label: 'raw addBulk', kind: 'share' }),
          info('planned and enqueued per CPU second, this process + Redis (replan)', jobs / ((replanCpu.processMs + replanCpu.redisMs) / 1000), 'jobs/s', {
            baseline: rawJobs.length / ((rawCpu.processMs + rawCpu.redisMs) / 1000),
            label: 'raw addBulk',
            kind: 'share',
          }),
          info('replan: CPU per interview, this process', replanCpu.processMs / count, 'ms', { baseline: rawCpu.processMs / count, label: 'raw addBulk, same jobs', kind: 'times' }),
          info('replan: CPU per interview, Redis', replanCpu.redisMs / count, 'ms', { baseline: rawCpu.redisMs / count, label: 'raw addBulk, same jobs', kind: 'times' }),
          info('interviews planned per second (replan)', count / replanSeconds, 'interviews/s'),
          info('Redis round trips per interview (replan)', replanRoundTrips.roundTrips / count, 'round trips', { baseline: rawRoundTrips.roundTrips / count, label: 'raw addBulk', kind: 'fewer' }),
          info('Redis calls per interview (replan)', replanProfile.totalCalls / count, 'calls', { baseline: rawProfile.totalCalls / count, label: 'raw addBulk', kind: 'fewer' }),
        ],
        notes: [
          'Ours runs replan for each new interview in turn, as syncAccount does: computePlan (company record), replaceActions (removes jobs of kinds not planned, addBulk of the plan), action records, audit lines.',
          'The batch path puts the same jobs on the queue with addFirstPlans, without action records or audit lines.',
          'The raw baseline adds the very same jobs (names, data, options, ids) to a queue of its own with addBulk, 1,000 per call.',
          'Redis calls count commands run inside Lua scripts too (INFO commandstats).',
          'CPU: process.cpuUsage of this process and used_cpu_user + used_cpu_sys from Redis INFO over each phase. The wall-clock share (the target) moves with what else runs on the machine: every interview hands the cores to Redis and back once, raw addBulk once per 1,000 jobs (bench/README.md); the share per CPU second leaves out the time spent waiting for a core (bench/README.md, 2026-12-06 and 2026-12-07).',
          'A round trip is a wait on Redis, counted on the client: commands sent while another awaits its reply (a pipeline, commands issued together) share one.',
        ],
        profile: { redisReplan: replanProfile, redisRaw: rawProfile, roundTrips: { replan: replanRoundTrips, raw: rawRoundTrips }, cpu, summary: `replan: ${describeProfile(replanProfile)}. raw: ${describeProfile(rawProfile)}` },
        durationMs: Date.now() - began,
        files: Object.values(cpu).map((p) => p.file),
      };
    });
  },
};
