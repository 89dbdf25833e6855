/** Replacing an interview's action records against a real Redis: a replan never undoes what a job wrote. */
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { Redis } from 'ioredis';
import { ACTION_STATES, REPLANNABLE_STATES } from '../../src/domain/actions.js';
import { openRedis } from '../../src/store/connection.js';
import { getActionRecords, replaceActionRecords, setActionRecords } from '../../src/store/interviews.js';
import type { ActionRecord } from '../../src/domain/actions.js';
import { createStore, type Store } from '../../src/store/store.js';
import { testPrefix } from '../support/prefix.js';

let redis: Redis;
let store: Store;
beforeAll(async () => {
  redis = openRedis(inject('redisUrl'));
  await redis.connect();
  store = createStore(redis, testPrefix('records'));
});
afterAll(() => redis.disconnect());

describe('replaceActionRecords', () => {
  it.each(ACTION_STATES.map((state) => [state]))('a pending record of the same revision replaces a %s one only when the domain lets a replan', async (state) => {
    const interviewId = `iv-${state}`;
    const was: ActionRecord = { kind: 'confirmation-send', dueAt: 1_000, state, revision: 2, note: 'written by the job' };
    await setActionRecords(store, interviewId, [was]);
    const planned: ActionRecord = { kind: 'confirmation-send', dueAt: 2_000, state: 'pending', revision: 2 };
    await replaceActionRecords(store, interviewId, [planned]);
    const expected = REPLANNABLE_STATES.includes(state) ? planned : was;
    expect(await getActionRecords(store, interviewId)).toEqual([expected]);
  });

  it('a record of a new revision replaces any state, and records the plan no longer names are dropped', async () => {
    const interviewId = 'iv-new-revision';
    await setActionRecords(store, interviewId, [
      { kind: 'confirmation-send', dueAt: 1_000, state: 'sent', revision: 1 },
      { kind: 'noshow-draft', dueAt: 1_500, state: 'pending', revision: 1 },
    ]);
    const planned: ActionRecord = { kind: 'confirmation-send', dueAt: 2_000, state: 'pending', revision: 2 };
    await replaceActionRecords(store, interviewId, [planned]);
    expect(await getActionRecords(store, interviewId)).toEqual([planned]);
  });
});
