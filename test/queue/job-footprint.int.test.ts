/**
 * What an action job leaves in Redis, against a real Redis: its options hold its id and delay,
 * nothing the worker fills in itself (retries, retention), and BullMQ's event stream, which ringback never reads,
 * stays short however many jobs are queued.
 */
import { describe, expect, it } from 'vitest';
import { ACTION_KINDS } from '../../src/domain/actions.js';
import { actionJobId } from '../../src/queue/jobs.js';
import { addFirstPlans, QUEUE_EVENTS_KEPT } from '../../src/queue/queues.js';
import { useTestQueues } from '../support/queues.js';

const t = useTestQueues('job-footprint');

describe('action jobs in Redis', () => {
  it('keep short options, and the event stream keeps a few hundred entries for 1,500 jobs', async () => {
    const now = Date.now();
    const plans = Array.from({ length: 300 }, (_, i) => ({
      interviewId: `ivfp${String(i).padStart(8, '0')}`,
      revision: 1,
      actions: ACTION_KINDS.slice(0, 5).map((kind, k) => ({ kind, dueAt: now + 86_400_000 + k * 60_000 })),
    }));
    await addFirstPlans(t.queues, plans, now);
    expect(await t.queues.actions.getDelayedCount()).toBe(1_500);

    const opts = JSON.parse((await t.redis.hget(t.queues.actions.toKey(actionJobId('ivfp00000000', 'confirmation-draft', 1)), 'opts')) ?? '{}');
    // The retry policy is the worker's (test/workers/action-retry.int.test.ts), not kept per job.
    expect(opts).toEqual({ jobId: actionJobId('ivfp00000000', 'confirmation-draft', 1), delay: expect.any(Number) });

    // Two events per job (added, delayed): 3,000 at BullMQ's default of 10,000 kept.
    const events = await t.redis.xlen(t.queues.actions.toKey('events'));
    expect(events).toBeLessThanOrEqual(QUEUE_EVENTS_KEPT * 3);
  });
});
