/**
 * A first sync plans the new interviews of a page together (src/engine/first-plans.ts), with a real
 * Redis and BullMQ: each interview ends with the record, jobs, action records and audit lines that
 * planning it alone gives, a declined one is recorded and never planned, and a meeting worth
 * explaining is kept.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { interviewIdFor } from '../../src/domain/ids.js';
import { actionJobId } from '../../src/queue/jobs.js';
import { actionJob, actionJobIds } from '../../src/queue/queues.js';
import { computePlan, recordsOf } from '../../src/engine/replan.js';
import { getSeen } from '../../src/store/detections.js';
import { getActionRecords, getInterview } from '../../src/store/interviews.js';
import { CANDIDATE, MINUTE, interviewEvent, startEngineHarness, type EngineHarness } from '../support/engine-harness.js';

let h: EngineHarness | null = null;
afterEach(async () => {
  await h?.stop();
  h = null;
});

const HOUR = 60 * MINUTE;

describe('first sync of a calendar', () => {
  it('plans each new interview of the page as planning it alone would, records a declined one, keeps a meeting to explain', async () => {
    h = await startEngineHarness();
    const at = (ms: number) => Math.floor((h!.now() + ms) / 1000) * 1000;
    await h.setEvents([
      interviewEvent({ uid: 'fs-1', start: at(3 * HOUR) }),
      interviewEvent({ uid: 'fs-2', start: at(26 * HOUR), title: 'Phone screen with Dana (Bolt)', organizer: { name: 'Dana Whitfield', email: 'dana@bolt.example' } }),
      interviewEvent({ uid: 'fs-3', start: at(50 * HOUR), title: 'Phone screen with Dana (Crux)', organizer: { name: 'Dana Whitfield', email: 'dana@crux.example' } }),
      interviewEvent({
        uid: 'fs-declined',
        start: at(30 * HOUR),
        attendees: [
          { name: 'Ada Park', email: CANDIDATE.email, status: 'declined' },
          { name: 'Dana Whitfield', email: 'dana@acme.example', status: 'accepted' },
        ],
      }),
      {
        uid: 'fs-meeting',
        title: 'Team sync',
        start: at(5 * HOUR),
        end: at(5 * HOUR + 30 * MINUTE),
        description: 'Agenda: status, blockers, next steps.',
        organizer: { name: 'Sam Ortiz', email: 'sam@example.com' },
        attendees: [{ name: 'Ada Park', email: CANDIDATE.email, status: 'accepted' }, { name: 'Sam Ortiz', email: 'sam@example.com', status: 'accepted' }],
      },
    ]);
    const summary = await h.sync();
    expect(summary.interviewsNew).toBe(4);

    const pending = (await actionJobIds(h.engine.queues)).pending;
    for (const uid of ['fs-1', 'fs-2', 'fs-3']) {
      const id = interviewIdFor('cal', uid);
      const interview = await getInterview(h.runtime.store, id);
      expect(interview?.status).toBe('scheduled');
      const plan = await computePlan(h.engine, interview!);
      expect(plan.actions.length).toBeGreaterThan(0);
      for (const action of plan.actions) expect(pending.has(actionJobId(id, action.kind, 1))).toBe(true);
      const records = await getActionRecords(h.runtime.store, id);
      const alone = recordsOf(interview!, plan, []);
      expect(records.map((r) => [r.kind, r.state, r.revision]).sort()).toEqual(alone.map((r) => [r.kind, r.state, r.revision]).sort());
      const types = (await h.audit(id)).map((r) => r.type);
      expect(types.slice(0, 2)).toEqual(['detected', 'planned']);
    }

    const declined = interviewIdFor('cal', 'fs-declined');
    expect((await getInterview(h.runtime.store, declined))?.status).toBe('declined');
    expect([...pending].some((jobId) => jobId.includes(declined))).toBe(false);
    expect(await getActionRecords(h.runtime.store, declined)).toEqual([]);
    expect((await h.audit(declined)).map((r) => r.type)).toEqual(['declined']);

    expect((await getSeen(h.runtime.store, interviewIdFor('cal', 'fs-meeting')))?.event.title).toBe('Team sync');

    // Nothing changed: the next sync finds nothing new and the queue holds the same jobs.
    const again = await h.sync();
    expect(again.interviewsNew).toBe(0);
    expect((await actionJobIds(h.engine.queues)).pending).toEqual(pending);
  });
  it('takes off the queue a job of a kind the first plan leaves out, queued before the interview was recorded', async () => {
    h = await startEngineHarness();
    const start = Math.floor((h.now() + 26 * HOUR) / 1000) * 1000;
    await h.setEvents([interviewEvent({ uid: 'fs-queued', start })]);
    const id = interviewIdFor('cal', 'fs-queued');
    // Left by an earlier plan whose record is gone: an apology, which no first plan makes.
    const stale = actionJob(id, 1, { kind: 'apology-draft', dueAt: start + HOUR }, h.now());
    await h.runtime.queues.actions.add(stale.name, stale.data, stale.opts);
    expect((await actionJobIds(h.engine.queues)).pending.has(actionJobId(id, 'apology-draft', 1))).toBe(true);

    const summary = await h.sync();
    expect(summary.interviewsNew).toBe(1);

    const pending = (await actionJobIds(h.engine.queues)).pending;
    expect(pending.has(actionJobId(id, 'apology-draft', 1))).toBe(false);
    const plan = await computePlan(h.engine, (await getInterview(h.runtime.store, id))!);
    expect(plan.actions.length).toBeGreaterThan(0);
    expect([...pending].filter((jobId) => jobId.includes(id)).sort()).toEqual(plan.actions.map((a) => actionJobId(id, a.kind, 1)).sort());
  });
});
