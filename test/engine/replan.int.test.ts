/**
 * replan against a real Redis and BullMQ (no workers: the jobs stay queued): it waits on Redis
 * once to read and once to write, whatever the plan, and keeps its guarantees while doing so: no
 * job duplicated, no job of an old revision left, a settled action's record kept.
 */
import type { Socket } from 'node:net';
import type { Redis } from 'ioredis';
import { afterEach, describe, expect, it } from 'vitest';
import { ACTION_KINDS } from '../../src/domain/actions.js';
import type { ActionKind, Interview } from '../../src/domain/types.js';
import { reconcile } from '../../src/engine/reconcile.js';
import { replan } from '../../src/engine/replan.js';
import { actionJobId, parseActionJobId } from '../../src/queue/jobs.js';
import { actionJobIds, addActions, listPendingActions } from '../../src/queue/queues.js';
import { readAudit } from '../../src/store/audit.js';
import { getActionRecords, listInterviews, saveInterview, updateActionState } from '../../src/store/interviews.js';
import { MINUTE, interviewEvent, startEngineHarness, type EngineHarness } from '../support/engine-harness.js';
import { countRoundTrips, countWrites, watchRedisCommands } from '../support/round-trips.js';

let h: EngineHarness | null = null;
/** Commands Redis runs for a move of one interview with five jobs planned (counted with MONITOR). */
const MOVE_COMMANDS = 140;
afterEach(async () => {
  await h?.stop();
  h = null;
});

/** One interview two days ahead, planned by a sync. */
async function plannedInterview(harness: EngineHarness): Promise<Interview> {
  const start = Math.floor((harness.now() + 48 * 60 * MINUTE) / MINUTE) * MINUTE;
  await harness.setEvents([interviewEvent({ uid: 'replan@test', start })]);
  await harness.sync();
  const [interview] = await listInterviews(harness.runtime.store);
  if (!interview) throw new Error('the sync recorded no interview');
  return interview;
}

/** The round trips one sync of the harness's calendar waits for. */
async function syncTrips(harness: EngineHarness): Promise<number> {
  const counting = countRoundTrips(harness.runtime.redis);
  await harness.sync();
  return counting.stop().roundTrips;
}

async function queuedJobs(harness: EngineHarness) {
  return (await listPendingActions(harness.runtime.queues)).map((p) => ({ kind: p.kind, revision: p.revision, dueAt: p.dueAt }));
}

describe('replan', () => {
  it('moves an interview to a new revision in two round trips, leaving only the new revision\'s jobs', async () => {
    h = await startEngineHarness();
    const interview = await plannedInterview(h);
    const before = await queuedJobs(h);
    expect(before.length).toBeGreaterThan(1);

    const moved: Interview = { ...interview, start: interview.start + 30 * MINUTE, end: interview.end + 30 * MINUTE, revision: interview.revision + 1 };
    await saveInterview(h.runtime.store, moved);
    const counting = countRoundTrips(h.runtime.redis);
    // Each socket write wakes Redis to read it; a round trip's commands go in one (issue 17: the
    // old revision's removals, the new jobs, the records and the plan's line went in 13 writes).
    const writing = countWrites((h.runtime.redis as Redis).stream as Socket);
    const result = await replan(h.engine, moved, interview.revision);
    const { roundTrips } = counting.stop();
    const writes = writing.writes();
    writing.stop();

    expect(roundTrips).toBe(2);
    expect(writes).toBe(2);
    const after = await queuedJobs(h);
    expect(after.map((j) => j.revision)).toEqual(after.map(() => moved.revision));
    expect(after.map((j) => j.kind).sort()).toEqual(result.actions.map((a) => a.kind).sort());
    for (const action of result.actions) {
      const job = after.find((j) => j.kind === action.kind);
      expect(Math.abs((job?.dueAt ?? 0) - action.dueAt)).toBeLessThan(2_000);
    }
    const { pending } = await actionJobIds(h.runtime.queues);
    expect([...pending].filter((id) => parseActionJobId(id)?.revision === interview.revision)).toEqual([]);
    const planned = (await readAudit(h.runtime.store, { interviewId: interview.id })).filter((r) => r.type === 'planned');
    expect(planned).toHaveLength(2);
  });

  it('a sync that moves an interview waits on Redis six times more than one that changes nothing, its "updated" line before the plan\'s', async () => {
    h = await startEngineHarness();
    const interview = await plannedInterview(h);
    const unchanged = await syncTrips(h);
    await h.setEvents([interviewEvent({ uid: 'replan@test', start: interview.start + 30 * MINUTE })]);
    // The page's hashes, its records and marks, the record and mark again, the records at the new
    // start, the record saved with its duplicate decision and the plan's reads behind it, the plan's
    // writes with the "updated" line (issue 17: the "updated" line waited on its own, 8; the plan's
    // reads after the save, 7).
    expect((await syncTrips(h)) - unchanged).toBe(6);
    const lines = (await readAudit(h.runtime.store, { interviewId: interview.id })).map((r) => r.type);
    expect(lines.slice(-2)).toEqual(['updated', 'planned']);
  });

  it('a sync that changes an interview in place (the number to call) waits on Redis five times more than one that changes nothing', async () => {
    h = await startEngineHarness();
    const interview = await plannedInterview(h);
    const unchanged = await syncTrips(h);
    await h.setEvents([interviewEvent({ uid: 'replan@test', start: interview.start, description: 'Dana will call you on +1 415 555 0142.' })]);
    // The page's hashes, its records and marks, the record and mark again, the record saved and the
    // plan's reads behind it, the plan's writes with the "updated" line (issue 17: the plan's reads
    // after the save, 6).
    expect((await syncTrips(h)) - unchanged).toBe(5);
    const lines = (await readAudit(h.runtime.store, { interviewId: interview.id })).map((r) => r.type);
    expect(lines.slice(-2)).toEqual(['updated', 'planned']);
  });

  it('a move removes only the previous revision\'s jobs that exist, without looking for children an action job never has', async () => {
    h = await startEngineHarness();
    const interview = await plannedInterview(h);
    const queued = new Set((await queuedJobs(h)).map((j) => j.kind));
    const absent = ACTION_KINDS.filter((kind) => !queued.has(kind));
    expect(absent.length).toBeGreaterThan(0);
    const moved: Interview = { ...interview, start: interview.start + 30 * MINUTE, end: interview.end + 30 * MINUTE, revision: interview.revision + 1 };
    await saveInterview(h.runtime.store, moved);

    const watching = await watchRedisCommands(h.runtime.redis, h.runtime.store.prefix);
    await replan(h.engine, moved, interview.revision);
    const ran = await watching.stop();

    const jobKey = (kind: ActionKind) => h?.runtime.queues.actions.toKey(actionJobId(interview.id, kind, interview.revision));
    // A removal deletes the job's keys: only those of the jobs there were.
    const jobs = h.runtime.queues.actions.toKey('');
    const deleted = ran.filter((c) => c.name === 'del' && c.inScript && c.args[0]?.startsWith(jobs)).map((c) => c.args[0]);
    expect(deleted.sort()).toEqual([...queued].map(jobKey).sort());
    // BullMQ's walk over a removed job's children (its dependencies, processed, failed and unsuccessful children).
    const children = ran.filter((c) => ['smembers', 'hgetall', 'zrange'].includes(c.name) && /:(dependencies|processed|failed|unsuccessful)$/.test(c.args[0] ?? ''));
    expect(children).toEqual([]);
    // Every command Redis ran for the move, those inside scripts too (issue 17: 172 before, 30 of
    // them looking for children, 15 more removing a job that was not there).
    expect(ran.length).toBe(MOVE_COMMANDS);
    expect((await queuedJobs(h)).map((j) => j.revision)).toEqual([...queued].map(() => moved.revision));
  });

  it('a move whose new revision another writer has planned already puts that revision\'s job at the plan\'s time', async () => {
    h = await startEngineHarness();
    const interview = await plannedInterview(h);
    const [first] = await queuedJobs(h);
    if (!first) throw new Error('the sync queued no job');
    const moved: Interview = { ...interview, start: interview.start + 30 * MINUTE, end: interview.end + 30 * MINUTE, revision: interview.revision + 1 };
    await saveInterview(h.runtime.store, moved);
    const wrongDue = h.now() + 10 * MINUTE;
    await addActions(h.runtime.queues, [{ interviewId: moved.id, revision: moved.revision, action: { kind: first.kind, dueAt: wrongDue } }], h.now());

    const result = await replan(h.engine, moved, interview.revision);
    const after = await queuedJobs(h);
    const planned = result.actions.find((a) => a.kind === first.kind);
    if (!planned) throw new Error(`the plan has no ${first.kind}`);
    const jobs = after.filter((j) => j.kind === first.kind);
    expect(jobs).toHaveLength(1);
    expect(jobs[0]?.revision).toBe(moved.revision);
    expect(Math.abs((jobs[0]?.dueAt ?? 0) - planned.dueAt)).toBeLessThan(2_000);
    expect(after.map((j) => j.revision)).toEqual(after.map(() => moved.revision));
  });

  it('planning an interview again as new duplicates no job, in two round trips', async () => {
    h = await startEngineHarness();
    const interview = await plannedInterview(h);
    const before = await queuedJobs(h);

    const counting = countRoundTrips(h.runtime.redis);
    await replan(h.engine, interview, null);
    expect(counting.stop().roundTrips).toBe(2);
    expect(await queuedJobs(h)).toEqual(before);
  });

  it('keeps the record of an action settled at this revision', async () => {
    h = await startEngineHarness();
    const interview = await plannedInterview(h);
    const first = (await getActionRecords(h.runtime.store, interview.id)).find((r) => r.state === 'pending');
    if (!first) throw new Error('no pending action after the first plan');
    await updateActionState(h.runtime.store, interview.id, first.kind, interview.revision, 'done');

    await replan(h.engine, interview, interview.revision);

    const records = await getActionRecords(h.runtime.store, interview.id);
    expect(records.find((r) => r.kind === first.kind)?.state).toBe('done');
    expect(records.filter((r) => r.kind !== first.kind && r.state === 'pending').length).toBeGreaterThan(0);
  });
  it('the reconciler drops audit entries older than a year, and keeps the plan\'s lines', async () => {
    h = await startEngineHarness();
    const k = `{${h.runtime.store.prefix}}:audit`;
    const twoYearsAgo = Date.now() - 2 * 365 * 86_400_000;
    const old = h.runtime.redis.pipeline();
    for (let i = 0; i < 300; i++) old.xadd(k, `${twoYearsAgo + i}-0`, 'type', 'planned', 'message', `old ${i}`, 'at', String(twoYearsAgo + i));
    expect((await old.exec())?.every(([error]) => error === null)).toBe(true);
    await plannedInterview(h);
    expect(await h.runtime.redis.xlen(k)).toBeGreaterThanOrEqual(302); // the sync's writes trim nothing
    await reconcile(h.engine);
    const messages = (await readAudit(h.runtime.store, { count: 1_000 })).map((r) => r.message);
    expect(messages.filter((m) => m.startsWith('old ')).length).toBeLessThan(100);
    expect(messages.some((m) => m.startsWith('planned: '))).toBe(true);
  });
});
