/**
 * Jobs queued by an earlier version, whose ids name the kind in full (`{interview}.{kind}.r{revision}`),
 * after an upgrade, against a real Redis and BullMQ (no workers: the jobs stay queued): a process
 * that starts finds them, a replan moves or keeps them without a duplicate, a cancel removes them,
 * and the reconciler replaces them by jobs of this version's ids at the same due times. A job of the
 * earlier form that ran to the end, failed for good or is running counts as its action's job: none
 * is added beside it, and it is neither retried nor removed.
 */
import { Worker, type Job } from 'bullmq';
import { afterEach, describe, expect, it } from 'vitest';
import type { Interview } from '../../src/domain/types.js';
import type { Engine } from '../../src/engine/context.js';
import { reconcile } from '../../src/engine/reconcile.js';
import { replan } from '../../src/engine/replan.js';
import { ACTIONS_QUEUE, actionJobId, isLegacyActionJobId, legacyActionJobId, parseActionJobId } from '../../src/queue/jobs.js';
import { bullPrefix, createQueues, legacyIdsMayExist, listPendingActions, removeAllActions } from '../../src/queue/queues.js';
import { readAudit } from '../../src/store/audit.js';
import { listInterviews, saveInterview } from '../../src/store/interviews.js';
import { MINUTE, interviewEvent, startEngineHarness, type EngineHarness } from '../support/engine-harness.js';

let h: EngineHarness | null = null;
let upgraded: Engine | null = null;
let earlierWorker: Worker | null = null;
afterEach(async () => {
  await earlierWorker?.close(true);
  earlierWorker = null;
  await upgraded?.queues.close();
  upgraded = null;
  await h?.stop();
  h = null;
});

async function plannedInterview(harness: EngineHarness, inMinutes = 48 * 60): Promise<Interview> {
  const start = Math.floor((harness.now() + inMinutes * MINUTE) / MINUTE) * MINUTE;
  await harness.setEvents([interviewEvent({ uid: 'legacy@test', start })]);
  await harness.sync();
  const [interview] = await listInterviews(harness.runtime.store);
  if (!interview) throw new Error('the sync recorded no interview');
  return interview;
}

/**
 * Puts the queue as an earlier version left it: each pending job again under the id of the earlier
 * form, named `action`, with its retry policy in its options; then a process of this version starts
 * (queues of its own, which know nothing yet).
 */
async function asEarlierVersion(harness: EngineHarness): Promise<{ id: string; dueAt: number }[]> {
  const queue = harness.runtime.queues.actions;
  const earlier: { id: string; dueAt: number }[] = [];
  for (const pending of await listPendingActions(harness.runtime.queues)) {
    await queue.remove(pending.jobId);
    const id = legacyActionJobId(pending.interviewId, pending.kind, pending.revision);
    await queue.add('action', {}, { jobId: id, delay: pending.dueAt - Date.now(), attempts: 25, backoff: { type: 'capped-exponential', delay: 2_000 } });
    earlier.push({ id, dueAt: pending.dueAt });
  }
  expect(earlier.length).toBeGreaterThan(1);
  upgraded = { ...harness.engine, queues: createQueues(harness.runtime.redis, harness.config.prefix) };
  return earlier;
}

/**
 * Takes one job of the earlier form, as the earlier version's worker did: it is made due now and
 * fetched by a worker without a processor, so that it is running (`active`) until the test says
 * how it ends. Returns the job and the worker's lock token.
 */
async function runEarlierJob(harness: EngineHarness, id: string): Promise<{ job: Job; token: string }> {
  await waitingEarlierJob(harness, id);
  earlierWorker = new Worker(ACTIONS_QUEUE, null, { connection: harness.runtime.redis, prefix: bullPrefix(harness.config.prefix), autorun: false });
  const token = 'earlier-version';
  const job = (await earlierWorker.getNextJob(token, { block: false })) as Job | undefined;
  expect(job?.id).toBe(id);
  return { job: job as Job, token };
}

/**
 * Puts one job of the earlier form in the queue's wait list, due now, as the earlier version left a
 * job whose time had come while no worker ran. (A job due "now" in the plan can sit a few
 * milliseconds in the future and so in the delayed set, where only a worker moves it on.)
 */
async function waitingEarlierJob(harness: EngineHarness, id: string): Promise<void> {
  const queue = harness.runtime.queues.actions;
  expect(await queue.remove(id)).toBe(1);
  await queue.add('action', {}, { jobId: id, attempts: 25, backoff: { type: 'capped-exponential', delay: 2_000 } });
  expect(await queue.getJobState(id)).toBe('waiting');
}

/**
 * A planned interview whose jobs are of the earlier form, with the first of them taken by the
 * earlier version's worker ({@link runEarlierJob}): what the tests of a finished or running job
 * of the earlier form start from.
 */
async function upgradedWithOneTaken(): Promise<{ interview: Interview; earlier: { id: string; dueAt: number }[]; taken: { id: string }; job: Job; token: string }> {
  h = await startEngineHarness();
  const interview = await plannedInterview(h);
  const earlier = await asEarlierVersion(h);
  const taken = earlier[0] as { id: string };
  return { interview, earlier, taken, ...(await runEarlierJob(h, taken.id)) };
}

/** The state of the job of this version's id for the same action as `earlierId`: 'unknown' when there is none. */
async function shortIdState(engine: Engine, earlierId: string): Promise<string> {
  const action = parseActionJobId(earlierId);
  if (!action) throw new Error(`not an action job id: ${earlierId}`);
  return await engine.queues.actions.getJobState(actionJobId(action.interviewId, action.kind, action.revision));
}

async function pendingIds(engine: Engine): Promise<string[]> {
  return (await listPendingActions(engine.queues)).map((p) => p.jobId).sort();
}

describe('jobs of the earlier id form, after an upgrade', () => {
  it('a replan at the same revision finds them and adds no job of its own beside them', async () => {
    h = await startEngineHarness();
    const interview = await plannedInterview(h);
    const earlier = await asEarlierVersion(h);
    const engine = upgraded as Engine;
    await replan(engine, interview, interview.revision, { quiet: true });
    expect(await pendingIds(engine)).toEqual(earlier.map((e) => e.id).sort());
  });

  it('a move removes them and queues the new revision under this version\'s ids', async () => {
    h = await startEngineHarness();
    const interview = await plannedInterview(h);
    await asEarlierVersion(h);
    const engine = upgraded as Engine;
    const moved: Interview = { ...interview, start: interview.start + 30 * MINUTE, end: interview.end + 30 * MINUTE, revision: interview.revision + 1 };
    await saveInterview(engine.store, moved);
    const result = await replan(engine, moved, interview.revision);
    const ids = await pendingIds(engine);
    expect(ids.filter(isLegacyActionJobId)).toEqual([]);
    expect(ids.map((id) => parseActionJobId(id)?.revision)).toEqual(ids.map(() => moved.revision));
    expect(ids).toHaveLength(result.actions.length);
  });

  it('removing an interview\'s jobs removes them', async () => {
    h = await startEngineHarness();
    const interview = await plannedInterview(h);
    await asEarlierVersion(h);
    const engine = upgraded as Engine;
    await removeAllActions(engine.queues, interview.id, [interview.revision]);
    expect(await pendingIds(engine)).toEqual([]);
  });

  it('the reconciler replaces them at the same due times, audits none as missed, and lookups then try one form only', async () => {
    h = await startEngineHarness();
    const interview = await plannedInterview(h);
    const earlier = await asEarlierVersion(h);
    const engine = upgraded as Engine;
    expect(await legacyIdsMayExist(engine.queues)).toBe(true);

    const summary = await reconcile(engine);
    expect(summary.added).toBe(earlier.length);
    expect(summary.removed).toBe(earlier.length);
    const after = await listPendingActions(engine.queues);
    expect(after.map((p) => p.jobId).filter(isLegacyActionJobId)).toEqual([]);
    expect(after).toHaveLength(earlier.length);
    for (const job of earlier) {
      const action = parseActionJobId(job.id);
      const now = after.find((p) => p.kind === action?.kind && p.revision === action.revision);
      expect(Math.abs((now?.dueAt ?? 0) - job.dueAt)).toBeLessThan(2_000);
    }
    expect((await readAudit(engine.store, { interviewId: interview.id })).filter((r) => r.type === 'missed')).toEqual([]);
    expect(await legacyIdsMayExist(engine.queues)).toBe(false);
    // A second pass finds nothing to do.
    expect(await reconcile(engine)).toMatchObject({ added: 0, removed: 0 });
  });

  it('one that completed counts as done: the reconciler and a replan add no job of this version\'s id for it', async () => {
    const { interview, earlier, taken: done, job, token } = await upgradedWithOneTaken();
    await job.moveToCompleted('sent', token, false);
    const engine = upgraded as Engine;

    const summary = await reconcile(engine);
    expect(summary).toMatchObject({ added: earlier.length - 1, removed: earlier.length - 1 });
    expect(await engine.queues.actions.getJobState(done.id)).toBe('completed');
    expect(await shortIdState(engine, done.id)).toBe('unknown');
    await replan(engine, interview, interview.revision, { quiet: true });
    expect(await shortIdState(engine, done.id)).toBe('unknown');
    // `ringback queue` lists the others only, under this version's ids.
    const listed = await listPendingActions(engine.queues);
    expect(listed).toHaveLength(earlier.length - 1);
    expect(listed.some((p) => p.kind === parseActionJobId(done.id)?.kind)).toBe(false);
    // It is still known that a job of the earlier form is kept: lookups keep trying both forms.
    expect(await legacyIdsMayExist(engine.queues)).toBe(true);
    expect(await reconcile(engine)).toMatchObject({ added: 0, removed: 0 });
  });

  it('one that failed for good is neither retried nor queued again under this version\'s id', async () => {
    const { interview, earlier, taken: failed, job, token } = await upgradedWithOneTaken();
    // As after an unrecoverable failure: no retry, whatever its attempts say.
    job.discard();
    await job.moveToFailed(new Error('the provider refused the message'), token, false);
    const engine = upgraded as Engine;
    expect(await engine.queues.actions.getJobState(failed.id)).toBe('failed');

    const summary = await reconcile(engine);
    expect(summary).toMatchObject({ added: earlier.length - 1, removed: earlier.length - 1 });
    await replan(engine, interview, interview.revision, { quiet: true });
    expect(await engine.queues.actions.getJobState(failed.id)).toBe('failed');
    expect(await shortIdState(engine, failed.id)).toBe('unknown');
    // `ringback queue` shows it as failed, with its error, beside the others.
    const listed = await listPendingActions(engine.queues);
    expect(listed.filter((p) => p.state === 'failed')).toEqual([
      expect.objectContaining({ jobId: failed.id, failedReason: 'the provider refused the message' }),
    ]);
    expect(listed).toHaveLength(earlier.length);
  });

  it('one that is running while the reconciler runs is left to finish, with no job of this version\'s id beside it', async () => {
    const { interview, earlier, taken: running, job, token } = await upgradedWithOneTaken();
    const engine = upgraded as Engine;

    const summary = await reconcile(engine);
    expect(summary).toMatchObject({ added: earlier.length - 1, removed: earlier.length - 1 });
    expect(await engine.queues.actions.getJobState(running.id)).toBe('active');
    expect(await shortIdState(engine, running.id)).toBe('unknown');
    await replan(engine, interview, interview.revision, { quiet: true });
    expect(await shortIdState(engine, running.id)).toBe('unknown');
    // No missed entry for it: it was not taken off as stale.
    expect((await readAudit(engine.store, { interviewId: interview.id })).filter((r) => r.type === 'missed')).toEqual([]);
    // It finishes as it would have; the next pass adds nothing for it.
    await job.moveToCompleted('sent', token, false);
    expect(await engine.queues.actions.getJobState(running.id)).toBe('completed');
    expect(await reconcile(engine)).toMatchObject({ added: 0, removed: 0 });
    expect(await shortIdState(engine, running.id)).toBe('unknown');
  });

  it('one already due and waiting for a worker is replaced by a waiting job of this version\'s id, not recorded as missed', async () => {
    h = await startEngineHarness();
    // The call is in an hour, within the horizon in which the confirmation is drafted: it is due now.
    const interview = await plannedInterview(h, 60);
    const earlier = await asEarlierVersion(h);
    const due = earlier.find((e) => parseActionJobId(e.id)?.kind === 'confirmation-draft');
    if (!due) throw new Error('no confirmation draft was planned');
    await waitingEarlierJob(h, due.id);
    const engine = upgraded as Engine;
    const waiting = (await listPendingActions(engine.queues)).filter((p) => p.state === 'waiting');
    expect(waiting.map((p) => p.jobId)).toEqual([due.id]);
    expect(waiting.every((p) => isLegacyActionJobId(p.jobId))).toBe(true);

    const summary = await reconcile(engine);
    expect(summary).toMatchObject({ added: earlier.length, removed: earlier.length });
    for (const job of waiting) {
      expect(await engine.queues.actions.getJobState(job.jobId)).toBe('unknown');
      expect(await shortIdState(engine, job.jobId)).toBe('waiting');
    }
    expect((await readAudit(engine.store, { interviewId: interview.id })).filter((r) => r.type === 'missed')).toEqual([]);
  });
});
