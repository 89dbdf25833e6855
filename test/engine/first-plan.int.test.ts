/**
 * replan of a new interview (no previous revision) against a real Redis and BullMQ: one round
 * trip when nothing is known of the interview yet, with the very jobs, action records and audit
 * lines the general path writes; and the general path, with no duplicate and the plan the store
 * calls for, whenever something is known (records, a queued job, a flagged company, a draft).
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { Interview } from '../../src/domain/types.js';
import { computePlan, replan } from '../../src/engine/replan.js';
import { actionJobId } from '../../src/queue/jobs.js';
import { actionJob, listPendingActions } from '../../src/queue/queues.js';
import { readAudit } from '../../src/store/audit.js';
import { importCompany } from '../../src/store/companies.js';
import { saveEmail } from '../../src/store/drafts.js';
import { getActionRecords, listInterviews, saveInterview, setActionRecords } from '../../src/store/interviews.js';
import { MINUTE, interviewEvent, startEngineHarness, type EngineHarness } from '../support/engine-harness.js';
import { countRoundTrips, watchRedisCommands, type RanCommand } from '../support/round-trips.js';

let h: EngineHarness | null = null;
afterEach(async () => {
  await h?.stop();
  h = null;
});

/** An interview as a sync records it, `minutesAhead` from now, under ids of its own; not planned. */
async function newInterviews(harness: EngineHarness, ids: readonly string[], minutesAhead = 48 * 60): Promise<Interview[]> {
  const start = Math.floor((harness.now() + minutesAhead * MINUTE) / MINUTE) * MINUTE;
  await harness.setEvents([interviewEvent({ uid: 'first-plan@test', start })]);
  await harness.sync();
  const [synced] = await listInterviews(harness.runtime.store);
  if (!synced) throw new Error('the sync recorded no interview');
  const copies = ids.map((id) => ({ ...synced, id, eventId: `${id}@test` }));
  for (const interview of copies) await saveInterview(harness.runtime.store, interview);
  return copies;
}

async function jobsOf(harness: EngineHarness, interviewId: string) {
  return (await listPendingActions(harness.runtime.queues))
    .filter((p) => p.interviewId === interviewId)
    .map((p) => ({ kind: p.kind, revision: p.revision, dueAt: p.dueAt, state: p.state }))
    .sort((a, b) => a.kind.localeCompare(b.kind));
}

/** A job's hash in Redis, without what differs from one job to the next (id, timestamp, delay). */
async function storedJob(harness: EngineHarness, interviewId: string, kind: Parameters<typeof actionJobId>[1], revision: number) {
  const { timestamp: _timestamp, delay: _delay, opts, ...rest } = await harness.runtime.redis.hgetall(
    harness.runtime.queues.actions.toKey(actionJobId(interviewId, kind, revision)),
  );
  const { jobId: _jobId, delay: _optsDelay, ...options } = JSON.parse(opts ?? '{}') as Record<string, unknown>;
  return { ...rest, opts: options, fields: Object.keys({ timestamp: _timestamp, delay: _delay, opts, ...rest }).sort() };
}

/**
 * The commands Redis ran that are not BullMQ's own job scripts (the `EVALSHA` of each job and what
 * runs inside it, which raw `addBulk` runs too): `MONITOR` shows a script's command before those it
 * runs, so each command run by a script belongs to the last one not run by a script.
 */
function besidesJobScripts(ran: readonly RanCommand[]): string[] {
  const ours: string[] = [];
  let inJobScript = false;
  for (const command of ran) {
    if (!command.inScript) inJobScript = command.name === 'evalsha';
    if (!inJobScript) ours.push(command.name);
  }
  return ours;
}

async function plannedLines(harness: EngineHarness, interviewId: string) {
  return (await readAudit(harness.runtime.store, { interviewId })).map((r) => ({ type: r.type, message: r.message }));
}

describe('replan of a new interview', () => {
  it('writes in one round trip the jobs, records and audit lines the general path writes', async () => {
    h = await startEngineHarness();
    const [fresh, known] = await newInterviews(h, ['ivfresh', 'ivknown']);
    if (!fresh || !known) throw new Error('no interviews');
    // A pending record of another due time makes `known` go the general path, to the same plan.
    await setActionRecords(h.runtime.store, known.id, [{ kind: 'noshow-draft', dueAt: 1, state: 'pending', revision: 1 }]);

    let counting = countRoundTrips(h.runtime.redis);
    const freshPlan = await replan(h.engine, fresh, null);
    expect(counting.stop().roundTrips).toBe(1);
    counting = countRoundTrips(h.runtime.redis);
    const knownPlan = await replan(h.engine, known, null);
    expect(counting.stop().roundTrips).toBe(2);

    expect(freshPlan).toEqual(knownPlan);
    expect(freshPlan.actions.length).toBeGreaterThan(2);
    const freshJobs = await jobsOf(h, fresh.id);
    expect(freshJobs.map((j) => j.kind)).toEqual(freshPlan.actions.map((a) => a.kind).sort());
    const knownJobs = await jobsOf(h, known.id);
    expect(freshJobs.map(({ kind, revision, state }) => ({ kind, revision, state }))).toEqual(knownJobs.map(({ kind, revision, state }) => ({ kind, revision, state })));
    freshJobs.forEach((job, i) => expect(Math.abs(job.dueAt - (knownJobs[i]?.dueAt ?? 0))).toBeLessThan(2_000));
    // Stored as Queue.addBulk stores them: same name, data, options, fields.
    for (const action of freshPlan.actions) {
      expect(await storedJob(h, fresh.id, action.kind, 1)).toEqual(await storedJob(h, known.id, action.kind, 1));
    }
    expect(await getActionRecords(h.runtime.store, fresh.id)).toEqual(await getActionRecords(h.runtime.store, known.id));
    const freshLines = await plannedLines(h, fresh.id);
    expect(freshLines.map((l) => l.type)).toEqual(['planned', ...freshPlan.skipped.map(() => 'skipped')]);
    expect(freshLines).toEqual(await plannedLines(h, known.id));
    expect(await h.runtime.redis.exists(`{${h.config.prefix}}:iv:${fresh.id}:planning`)).toBe(0);
  });

  it('asks Redis whether the interview is new with two reads of the keys beside the company flag: its records and the jobs it leaves out in one', async () => {
    h = await startEngineHarness();
    const [interview] = await newInterviews(h, ['ivcounted']);
    if (!interview?.company) throw new Error('no interview with a company');

    const watching = await watchRedisCommands(h.runtime.redis, h.config.prefix);
    const result = await replan(h.engine, interview, null);
    const ran = await watching.stop();

    expect(result.actions.length).toBe(ran.filter((c) => c.name === 'evalsha').length);
    // The check (its EVAL and the three reads in it) after the WATCH: the action records and the
    // jobs of kinds not planned in one EXISTS, the confirmation, the company's flag; then, in the
    // transaction, the records and the plan's line. (MULTI and EXEC name no key: not listed.)
    expect(besidesJobScripts(ran)).toEqual(['watch', 'eval', 'exists', 'hexists', 'hget', 'hset', 'xadd']);
  });

  it('adds no duplicate and removes a kind it does not plan when a job of the interview is queued already', async () => {
    h = await startEngineHarness();
    const [interview] = await newInterviews(h, ['ivqueued']);
    if (!interview) throw new Error('no interview');
    const now = h.now();
    const planned = await computePlan(h.engine, interview);
    const first = planned.actions[0];
    if (!first) throw new Error('nothing planned');
    // Queued by an earlier plan whose records were never written, with a kind not planned now.
    for (const action of [first, { kind: 'apology-draft' as const, dueAt: now + 60 * MINUTE }]) {
      const job = actionJob(interview.id, interview.revision, action, now);
      await h.runtime.queues.actions.add(job.name, job.data, job.opts);
    }
    const before = (await jobsOf(h, interview.id)).find((j) => j.kind === first.kind);

    const result = await replan(h.engine, interview, null);

    const jobs = await jobsOf(h, interview.id);
    expect(jobs.map((j) => j.kind)).toEqual(result.actions.map((a) => a.kind).sort());
    expect(jobs.find((j) => j.kind === first.kind)).toEqual(before);
    expect((await getActionRecords(h.runtime.store, interview.id)).map((r) => r.kind).sort()).toEqual([...result.actions, ...result.skipped].map((a) => a.kind).sort());
  });

  it('plans in one round trip over a job of a kind it plans, leaving that job as it was', async () => {
    h = await startEngineHarness();
    const [interview, twin] = await newInterviews(h, ['ivplannedkind', 'ivplannedtwin']);
    if (!interview || !twin) throw new Error('no interviews');
    const now = h.now();
    const planned = await computePlan(h.engine, interview);
    const first = planned.actions[0];
    if (!first) throw new Error('nothing planned');
    // Queued by an earlier plan whose records were never written, an hour off the plan's time.
    const job = actionJob(interview.id, interview.revision, { ...first, dueAt: first.dueAt + 60 * MINUTE }, now);
    await h.runtime.queues.actions.add(job.name, job.data, job.opts);
    const before = (await jobsOf(h, interview.id)).find((j) => j.kind === first.kind);

    const counting = countRoundTrips(h.runtime.redis);
    const result = await replan(h.engine, interview, null);
    expect(counting.stop().roundTrips).toBe(1);

    const jobs = await jobsOf(h, interview.id);
    expect(jobs.map((j) => j.kind)).toEqual(result.actions.map((a) => a.kind).sort());
    expect(jobs.find((j) => j.kind === first.kind)).toEqual(before);
    // What the general path leaves for the same interview with the same job queued.
    await setActionRecords(h.runtime.store, twin.id, [{ kind: 'apology-draft', dueAt: 1, state: 'cancelled', revision: 0 }]);
    const twinJob = actionJob(twin.id, twin.revision, { ...first, dueAt: first.dueAt + 60 * MINUTE }, now);
    await h.runtime.queues.actions.add(twinJob.name, twinJob.data, twinJob.opts);
    await replan(h.engine, twin, null);
    expect(jobs.map(({ kind, state }) => ({ kind, state }))).toEqual((await jobsOf(h, twin.id)).map(({ kind, state }) => ({ kind, state })));
    expect(await getActionRecords(h.runtime.store, interview.id)).toEqual(
      (await getActionRecords(h.runtime.store, twin.id)).filter((r) => r.revision === interview.revision),
    );
  });

  it('queues no send for a company flagged for missed calls', async () => {
    h = await startEngineHarness();
    const [interview] = await newInterviews(h, ['ivflagged']);
    if (!interview?.company) throw new Error('no interview with a company');
    await importCompany(h.runtime.store, { company: interview.company, noShows: [], candidateMisses: [], pattern: true, clearedAt: null });

    const result = await replan(h.engine, interview, null);

    expect(result).toEqual(await computePlan(h.engine, interview));
    expect(result.skipped.map((s) => s.kind)).toContain('confirmation-send');
    const jobs = await jobsOf(h, interview.id);
    expect(jobs.map((j) => j.kind)).toEqual(result.actions.map((a) => a.kind).sort());
    expect(jobs.map((j) => j.kind)).not.toContain('confirmation-send');
    const send = (await getActionRecords(h.runtime.store, interview.id)).find((r) => r.kind === 'confirmation-send');
    expect(send?.state).toBe('skipped');
    expect(send?.note).toMatch(/pattern of missed calls/);
  });

  it('counts the review window from a confirmation already drafted for this revision', async () => {
    h = await startEngineHarness({ timing: { confirmLeadMinutes: 60, reviewMinutes: 5 } });
    // Short notice: the draft is written now, the send follows the review window.
    const [interview] = await newInterviews(h, ['ivdrafted'], 30);
    if (!interview) throw new Error('no interview');
    const draftedAt = h.now() - 4 * MINUTE;
    await saveEmail(h.runtime.store, interview.id, {
      kind: 'confirmation',
      ref: { providerId: 'draft-1', messageId: '<m@test>', threadId: null },
      revision: interview.revision,
      state: 'draft',
      subject: 'Confirming our call',
      updatedAt: draftedAt,
    });

    const result = await replan(h.engine, interview, null);

    const send = result.actions.find((a) => a.kind === 'confirmation-send');
    expect(send?.dueAt).toBe(draftedAt + 5 * MINUTE);
    const job = (await jobsOf(h, interview.id)).find((j) => j.kind === 'confirmation-send');
    expect(Math.abs((job?.dueAt ?? 0) - (send?.dueAt ?? 0))).toBeLessThan(2_000);
  });
});
