/**
 * Realigning pending action jobs against a real Redis: a job whose due time the plan changed is
 * moved to it, the others are left alone, and an action with no job is not counted.
 */
import { describe, expect, it } from 'vitest';
import type { PlannedAction } from '../../src/domain/types.js';
import { actionJobId } from '../../src/queue/jobs.js';
import { realignActions, replaceActions } from '../../src/queue/queues.js';
import { useTestQueues } from '../support/queues.js';

const HOUR = 3_600_000;
const t = useTestQueues('realign');

async function firesAt(interviewId: string, action: PlannedAction): Promise<number | null> {
  const job = await t.queues.actions.getJob(actionJobId(interviewId, action.kind, 1));
  return job ? job.timestamp + (job.delay ?? 0) : null;
}

describe('realignActions', () => {
  it('moves only the jobs whose due time changed, to the new due time', async () => {
    const now = Date.now();
    const draft: PlannedAction = { kind: 'confirmation-draft', dueAt: now + HOUR };
    const send: PlannedAction = { kind: 'confirmation-send', dueAt: now + 2 * HOUR };
    await replaceActions(t.queues, { interviewId: 'ivrealign001', revision: 1, previousRevision: null, actions: [draft, send], now });

    const same = [draft, send].map((action) => ({ interviewId: 'ivrealign001', revision: 1, action }));
    expect(await realignActions(t.queues, same, Date.now())).toBe(0);

    const later: PlannedAction = { ...draft, dueAt: now + 3 * HOUR };
    const missing = { interviewId: 'ivrealign999', revision: 1, action: draft };
    const moved = await realignActions(t.queues, [{ interviewId: 'ivrealign001', revision: 1, action: later }, same[1]!, missing], Date.now());
    expect(moved).toBe(1);
    expect(Math.abs((await firesAt('ivrealign001', later))! - later.dueAt)).toBeLessThan(1000);
    expect(Math.abs((await firesAt('ivrealign001', send))! - send.dueAt)).toBeLessThan(1000);
    expect(await t.queues.actions.getJob(actionJobId('ivrealign999', 'confirmation-draft', 1))).toBeUndefined();
  });
});
