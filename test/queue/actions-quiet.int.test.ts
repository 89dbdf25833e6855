/** Whether any action runs, waits or falls due soon, against a real Redis and BullMQ. */
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { Redis } from 'ioredis';
import type { PlannedAction } from '../../src/domain/types.js';
import { actionsQuiet, createQueues, removeAllActions, replaceActions, type Queues } from '../../src/queue/queues.js';
import { openRedis } from '../../src/store/connection.js';
import { testPrefix } from '../support/prefix.js';

const MINUTE = 60_000;
let redis: Redis;
let queues: Queues;
beforeAll(async () => {
  redis = openRedis(inject('redisUrl'));
  await redis.connect();
  queues = createQueues(redis, testPrefix('quiet'));
});
afterAll(async () => {
  await queues.close();
  redis.disconnect();
});

describe('actionsQuiet', () => {
  it('is quiet with nothing queued or only far-off actions, and not with one due within the minute', async () => {
    const now = Date.now();
    expect(await actionsQuiet(queues, now)).toBe(true);
    const far: PlannedAction = { kind: 'thankyou-draft', dueAt: now + 90 * MINUTE };
    await replaceActions(queues, { interviewId: 'ivquiet00001', revision: 1, previousRevision: null, actions: [far], now });
    expect(await actionsQuiet(queues, now)).toBe(true);
    const soon: PlannedAction = { kind: 'confirmation-draft', dueAt: now + 30_000 };
    await replaceActions(queues, { interviewId: 'ivquiet00002', revision: 1, previousRevision: null, actions: [soon], now });
    expect(await actionsQuiet(queues, now)).toBe(false);
    expect(await actionsQuiet(queues, now, 10_000)).toBe(true);
    await removeAllActions(queues, 'ivquiet00002', [1]);
    expect(await actionsQuiet(queues, now)).toBe(true);
  });

  it('is not quiet while an action waits to run', async () => {
    const now = Date.now();
    const due: PlannedAction = { kind: 'confirmation-draft', dueAt: now - 1_000 };
    await replaceActions(queues, { interviewId: 'ivquiet00003', revision: 1, previousRevision: null, actions: [due], now });
    expect(await actionsQuiet(queues, now)).toBe(false);
  });
});
