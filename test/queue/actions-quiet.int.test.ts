/** Whether any action runs, waits or falls due soon, against a real Redis and BullMQ. */
import { describe, expect, it } from 'vitest';
import type { PlannedAction } from '../../src/domain/types.js';
import { actionsQuiet, removeAllActions, replaceActions } from '../../src/queue/queues.js';
import { useTestQueues } from '../support/queues.js';

const MINUTE = 60_000;
const t = useTestQueues('quiet');

describe('actionsQuiet', () => {
  it('is quiet with nothing queued or only far-off actions, and not with one due within the minute', async () => {
    const now = Date.now();
    expect(await actionsQuiet(t.queues, now)).toBe(true);
    const far: PlannedAction = { kind: 'thankyou-draft', dueAt: now + 90 * MINUTE };
    await replaceActions(t.queues, { interviewId: 'ivquiet00001', revision: 1, previousRevision: null, actions: [far], now });
    expect(await actionsQuiet(t.queues, now)).toBe(true);
    const soon: PlannedAction = { kind: 'confirmation-draft', dueAt: now + 30_000 };
    await replaceActions(t.queues, { interviewId: 'ivquiet00002', revision: 1, previousRevision: null, actions: [soon], now });
    expect(await actionsQuiet(t.queues, now)).toBe(false);
    expect(await actionsQuiet(t.queues, now, 10_000)).toBe(true);
    await removeAllActions(t.queues, 'ivquiet00002', [1]);
    expect(await actionsQuiet(t.queues, now)).toBe(true);
  });

  it('is not quiet while an action waits to run', async () => {
    const now = Date.now();
    const due: PlannedAction = { kind: 'confirmation-draft', dueAt: now - 1_000 };
    await replaceActions(t.queues, { interviewId: 'ivquiet00003', revision: 1, previousRevision: null, actions: [due], now });
    expect(await actionsQuiet(t.queues, now)).toBe(false);
  });
});
