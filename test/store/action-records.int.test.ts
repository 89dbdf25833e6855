/** Replacing an interview's action records against a real Redis: a replan never undoes what a job wrote. */
import { describe, expect, it } from 'vitest';
import { ACTION_STATES, REPLANNABLE_STATES } from '../../src/domain/actions.js';
import { getActionRecords, replaceActionRecords, setActionRecords } from '../../src/store/interviews.js';
import type { ActionRecord } from '../../src/domain/actions.js';
import { useTestStore } from '../support/store.js';

const t = useTestStore('records');

describe('replaceActionRecords', () => {
  it.each(ACTION_STATES.map((state) => [state]))('a pending record of the same revision replaces a %s one only when the domain lets a replan', async (state) => {
    const interviewId = `iv-${state}`;
    const was: ActionRecord = { kind: 'confirmation-send', dueAt: 1_000, state, revision: 2, note: 'written by the job' };
    await setActionRecords(t.store, interviewId, [was]);
    const planned: ActionRecord = { kind: 'confirmation-send', dueAt: 2_000, state: 'pending', revision: 2 };
    await replaceActionRecords(t.store, interviewId, [planned]);
    const expected = REPLANNABLE_STATES.includes(state) ? planned : was;
    expect(await getActionRecords(t.store, interviewId)).toEqual([expected]);
  });

  it('a record of a new revision replaces any state, and records the plan no longer names are dropped', async () => {
    const interviewId = 'iv-new-revision';
    await setActionRecords(t.store, interviewId, [
      { kind: 'confirmation-send', dueAt: 1_000, state: 'sent', revision: 1 },
      { kind: 'noshow-draft', dueAt: 1_500, state: 'pending', revision: 1 },
    ]);
    const planned: ActionRecord = { kind: 'confirmation-send', dueAt: 2_000, state: 'pending', revision: 2 };
    await replaceActionRecords(t.store, interviewId, [planned]);
    expect(await getActionRecords(t.store, interviewId)).toEqual([planned]);
  });

  it('a plan of an older revision written late leaves the newer revision\'s records as they are', async () => {
    const interviewId = 'iv-late-plan';
    const newer: ActionRecord[] = [
      { kind: 'confirmation-draft', dueAt: 1_000, state: 'done', revision: 3 },
      { kind: 'confirmation-send', dueAt: 2_000, state: 'pending', revision: 3 },
    ];
    await replaceActionRecords(t.store, interviewId, newer);
    await replaceActionRecords(t.store, interviewId, [
      { kind: 'confirmation-send', dueAt: 1_500, state: 'pending', revision: 2 },
      { kind: 'noshow-draft', dueAt: 2_500, state: 'pending', revision: 2 },
    ]);
    expect(await getActionRecords(t.store, interviewId)).toEqual(newer);
    // Of an earlier version (JSON under the kind's name) likewise.
    await t.redis.hset(`{${t.store.prefix}}:iv:iv-late-json:actions`, 'confirmation-send', JSON.stringify({ d: 2_000, s: 'pending', r: 4 }));
    await replaceActionRecords(t.store, 'iv-late-json', [{ kind: 'confirmation-send', dueAt: 1_500, state: 'pending', revision: 3 }]);
    expect(await getActionRecords(t.store, 'iv-late-json')).toEqual([{ kind: 'confirmation-send', dueAt: 2_000, state: 'pending', revision: 4 }]);
  });
});
