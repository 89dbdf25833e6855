/**
 * churn: 10,000 interviews moved. Each was planned (5 jobs); its event moves by 30 minutes, so
 * the sync records a new revision and `replan(engine, moved, oldRevision)` replaces its jobs: the
 * old revision's removed, the new one's added. Baseline: raw BullMQ remove + addBulk of the same
 * jobs in a queue of its own, interview by interview. Afterwards no job of an old revision may be
 * left (checked on the queue with actionJobIds, then by the reconciler, which must find nothing
 * to add or remove).
 */
import type { Interview, PlannedAction } from '../src/domain/types.js';
import { reconcile } from '../src/engine/reconcile.js';
import { replan } from '../src/engine/replan.js';
import { actionJobId, parseActionJobId } from '../src/queue/jobs.js';
import { actionJobIds } from '../src/queue/queues.js';
import { profiled, type PhaseProfile } from './lib/cpu.js';
import { eachLimited, info, limit, scaled, share, type Scenario, type ScenarioResult } from './lib/figures.js';
import { makeInterviews, moved, saveInterviews } from './lib/interviews.js';
import { addInThousands, openRawQueue, rawActionJob } from './lib/raw-queue.js';
import { describeProfile } from './lib/redis.js';
import { countRoundTrips } from '../test/support/round-trips.js';
import { onOwnRedis } from './lib/session.js';
import { futureStart } from './schedule.js';

const SHIFT = 30 * 60_000;

export const churn: Scenario = {
  name: 'churn',
  what: '10,000 interviews moved (replan with a new revision) vs raw BullMQ remove + add of the same jobs',
  async run(context): Promise<ScenarioResult> {
    const began = Date.now();
    const count = scaled(10_000, context, 100, 20);
    return await onOwnRedis(context, async ({ redis, openEngine, defer }) => {
      const bench = await openEngine();
      const engine = bench.engine;
      const cpu: Record<string, PhaseProfile> = {};
      const interviews = makeInterviews(engine, count, futureStart(Date.now()));
      await saveInterviews(engine, interviews);
      const plans = new Map<string, readonly PlannedAction[]>();
      await eachLimited(interviews, 8, async (interview) => {
        plans.set(interview.id, (await replan(engine, interview, null, { quiet: true })).actions);
      });
      const raw = openRawQueue(bench, 'raw-churn');
      defer(() => raw.close());
      const oldJobs = interviews.flatMap((iv) => (plans.get(iv.id) ?? []).map((a) => rawActionJob(iv.id, iv.revision, a)));
      await addInThousands(raw, oldJobs);
      context.progress(`${count} interviews planned (${oldJobs.length} jobs), and the same jobs in the raw queue`);

      const movedInterviews: Interview[] = interviews.map((iv) => moved(iv, SHIFT));
      await saveInterviews(engine, movedInterviews);

      await redis.resetStats();
      let jobs = 0;
      const oursTrips = countRoundTrips(engine.store.redis);
      let t0 = performance.now();
      await profiled(context, 'churn-replan', async () => {
        for (const [i, interview] of movedInterviews.entries()) {
          jobs += (await replan(engine, interview, interview.revision - 1)).actions.length;
          if ((i + 1) % Math.max(1, Math.floor(count / 5)) === 0) context.progress(`moved ${i + 1}/${count}`);
        }
      }, cpu);
      const oursSeconds = (performance.now() - t0) / 1000;
      const oursRoundTrips = oursTrips.stop();
      const oursProfile = await redis.profile();
      context.progress(`ours: ${jobs} jobs moved in ${oursSeconds.toFixed(1)} s`);

      await redis.resetStats();
      let rawMoved = 0;
      const rawTrips = countRoundTrips(engine.store.redis);
      t0 = performance.now();
      for (const interview of movedInterviews) {
        const actions = plans.get(interview.id) ?? [];
        await Promise.all(actions.map((a) => raw.remove(actionJobId(interview.id, a.kind, interview.revision - 1))));
        await raw.addBulk(actions.map((a) => rawActionJob(interview.id, interview.revision, { kind: a.kind, dueAt: a.dueAt + SHIFT })));
        rawMoved += actions.length;
      }
      const rawSeconds = (performance.now() - t0) / 1000;
      const rawRoundTrips = rawTrips.stop();
      const rawProfile = await redis.profile();
      context.progress(`raw: ${rawMoved} jobs moved in ${rawSeconds.toFixed(1)} s`);

      const revisions = new Map(movedInterviews.map((iv) => [iv.id, iv.revision]));
      const { pending } = await actionJobIds(engine.queues);
      let stale = 0;
      let current = 0;
      for (const id of pending) {
        const parsed = parseActionJobId(id);
        if (!parsed) continue;
        if (parsed.revision !== revisions.get(parsed.interviewId)) stale++;
        else current++;
      }
      context.progress(`queue: ${current} jobs of the current revision, ${stale} stale; reconciling`);
      const reconciled = await reconcile(engine);

      return {
        scenario: 'churn',
        what: this.what,
        size: { interviews: count, jobsMoved: jobs, shiftMinutes: SHIFT / 60_000 },
        figures: [
          share('jobs moved per second (replan, new revision)', jobs / oursSeconds, rawMoved / rawSeconds, 'jobs/s', 'raw remove+add', 0.5),
          limit('stale jobs left on the queue', stale, 'jobs', { max: 0 }),
          limit('reconciler afterwards: stale removed + missing added', reconciled.removed + reconciled.added, 'jobs', { max: 0 }),
          info('jobs of the current revision on the queue', current, 'jobs', { baseline: jobs, label: 'planned', kind: 'share' }),
          info('Redis round trips per interview moved', oursRoundTrips.roundTrips / count, 'round trips', { baseline: rawRoundTrips.roundTrips / count, label: 'raw remove+add', kind: 'fewer' }),
          info('Redis calls per interview moved', oursProfile.totalCalls / count, 'calls', { baseline: rawProfile.totalCalls / count, label: 'raw remove+add', kind: 'fewer' }),
        ],
        notes: [
          'Ours runs replan(engine, interview, previousRevision) for each moved interview in turn, as syncAccount does when an event moves: computePlan, replaceActions (removes the old revision\'s jobs and kinds no longer planned, adds the new ones), action records, audit lines.',
          'The raw baseline removes the same old jobs (in parallel, one interview at a time) and adds the new ones with addBulk, in a queue of its own.',
          `After the run the reconciler found ${reconciled.added} missing and ${reconciled.removed} stale jobs and moved ${reconciled.moved}.`,
        ],
        profile: { redisOurs: oursProfile, redisRaw: rawProfile, roundTrips: { ours: oursRoundTrips, raw: rawRoundTrips }, cpu, summary: `ours: ${describeProfile(oursProfile)}. raw: ${describeProfile(rawProfile)}` },
        durationMs: Date.now() - began,
        files: Object.values(cpu).map((p) => p.file),
      };
    });
  },
};
