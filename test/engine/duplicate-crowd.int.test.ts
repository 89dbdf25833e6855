/**
 * One call in two calendars when many calendars hold calls at the very same instant (the fleet
 * benchmark's shape), and after an upgrade from a version that kept no call index
 * (src/store/call-index.ts). The engine with its own Redis, .ics calendars and the harness's Maildir.
 */
import { describe, expect, it } from 'vitest';
import { interviewIdFor } from '../../src/domain/ids.js';
import { callDigestsOf, callEntriesOf, callSlotsOf, earlierMemberOf } from '../../src/store/call-index.js';
import { reconcile } from '../../src/engine/reconcile.js';
import { readPeers } from '../../src/store/calls.js';
import { getInterview } from '../../src/store/interviews.js';
import { key, type Store } from '../../src/store/store.js';
import type { Interview } from '../../src/domain/types.js';
import { interviewEvent, MINUTE, openSecondEngine, syncOnce } from '../support/engine-harness.js';
import { soon, useTwoCalendars } from '../support/two-calendars.js';

const calendars = useTwoCalendars();

/** A call of its own: its UID and its interviewer's address are the calendar's. */
const callOf = (n: number, start: number) =>
  interviewEvent({
    uid: `call-${n}`,
    start,
    organizer: { name: `Dana ${n}`, email: `dana${n}@corp${n}.example` },
    attendees: [
      { name: 'Ada Park', email: 'ada@example.org', status: 'accepted' },
      { name: `Dana ${n}`, email: `dana${n}@corp${n}.example`, status: 'accepted' },
    ],
  });

/** Leaves the record as a version before the call index wrote it: its member of `ivs` with the digests, nothing in the call index. */
async function asAnEarlierVersionWroteIt(store: Store, id: string): Promise<Interview> {
  const interview = await getInterview(store, id);
  if (!interview) throw new Error(`${id} not recorded`);
  for (const entry of callEntriesOf(store, interview)) await store.redis.zrem(entry.key, entry.member);
  await store.redis.zrem(key(store, 'ivs'), interview.id);
  await store.redis.zadd(key(store, 'ivs'), interview.start, earlierMemberOf(interview));
  return interview;
}

describe('many calendars with calls at one instant', () => {
  it('finds the one listing of the same call among them, by UID and by interviewer, and lets a moved copy go its own way', async () => {
    const ids = Array.from({ length: 10 }, (_, i) => `c${i}`);
    const { harness, set } = await calendars([...ids, 'copies']);
    const start = soon(harness, 6 * 60);
    for (const [i, id] of ids.entries()) await set(id, [callOf(i, start)]);
    for (const id of ids) await syncOnce(harness.engine, id);
    // The same invitation as c3's, and a copy of c6's with a UID of its own.
    const copyOf6 = { ...callOf(6, start), uid: 'copied-6' };
    await set('copies', [callOf(3, start), copyOf6]);
    await syncOnce(harness.engine, 'copies');
    const byUid = await getInterview(harness.engine.store, interviewIdFor('copies', 'call-3'));
    const byAddress = await getInterview(harness.engine.store, interviewIdFor('copies', 'copied-6'));
    expect([byUid?.duplicateOf, byUid?.duplicateBy]).toEqual([interviewIdFor('c3', 'call-3'), 'uid']);
    expect([byAddress?.duplicateOf, byAddress?.duplicateBy]).toEqual([interviewIdFor('c6', 'call-6'), 'counterpart']);
    for (const [i, id] of ids.entries()) expect((await getInterview(harness.engine.store, interviewIdFor(id, `call-${i}`)))?.duplicateOf, id).toBeUndefined();

    // The copy of c6's call moves onto the time of c8's call: another interviewer, so its own call.
    await set('copies', [callOf(3, start), { ...copyOf6, start: start + 30 * MINUTE, end: start + 60 * MINUTE }]);
    await set('c8', [{ ...callOf(8, start + 30 * MINUTE), end: start + 60 * MINUTE }]);
    await syncOnce(harness.engine, 'c8');
    await syncOnce(harness.engine, 'copies');
    const moved = await getInterview(harness.engine.store, interviewIdFor('copies', 'copied-6'));
    expect(moved?.duplicateOf).toBeUndefined();
    // Its entries left the old time with it: there, its UID and its interviewer find c6's listing only.
    const atOldTime = await readPeers(harness.engine.store, start, 'ivlookup0001', callDigestsOf(moved!));
    expect(atOldTime.ids).toEqual([interviewIdFor('c6', 'call-6')]);
    expect((await readPeers(harness.engine.store, start + 30 * MINUTE, 'ivlookup0001', callDigestsOf(moved!))).ids).toContain(moved!.id);
    // And c6's call moves there too: the copy, recorded first at that time, now owns it.
    await set('c6', [{ ...callOf(6, start + 30 * MINUTE), end: start + 60 * MINUTE }]);
    await syncOnce(harness.engine, 'c6');
    expect((await getInterview(harness.engine.store, interviewIdFor('c6', 'call-6')))?.duplicateOf).toBe(interviewIdFor('copies', 'copied-6'));
  });
});

describe('after an upgrade from a version without the call index', () => {
  it('finds the same call among the interviews that version recorded', async () => {
    const { harness, set } = await calendars(['a', 'b']);
    const start = soon(harness, 5 * 60);
    await set('a', [callOf(1, start)]);
    await syncOnce(harness.engine, 'a');
    // As the earlier version left it: its member of `ivs` with the digests, nothing in the call index.
    const store = harness.engine.store;
    const owner = await asAnEarlierVersionWroteIt(store, interviewIdFor('a', 'call-1'));
    await store.redis.del(key(store, 'ivc', 'complete'));

    // The first process of the new version indexes it before it syncs anything.
    const upgraded = await openSecondEngine(harness);
    try {
      await set('b', [callOf(1, start)]);
      await syncOnce(upgraded.engine, 'b');
      expect((await getInterview(store, interviewIdFor('b', 'call-1')))?.duplicateOf).toBe(owner.id);
      expect(await store.redis.zrangebyscore(key(store, 'ivs'), start, start)).toEqual([owner.id, interviewIdFor('b', 'call-1')].sort());
    } finally {
      await upgraded.close();
    }
  });
});

describe('an interview missing from the call index', () => {
  it('is put back by the reconciler, so that another calendar\'s listing of its call is found', async () => {
    const { harness, set } = await calendars(['a', 'b']);
    const start = soon(harness, 5 * 60);
    await set('a', [callOf(2, start)]);
    await syncOnce(harness.engine, 'a');
    // As an earlier process still running after the upgrade leaves a record it writes: its member
    // of `ivs` with the digests, nothing in the call index, and the index marked complete.
    const store = harness.engine.store;
    const owner = await asAnEarlierVersionWroteIt(store, interviewIdFor('a', 'call-2'));

    const summary = await reconcile(harness.engine);
    for (const entry of callEntriesOf(store, owner)) expect(await store.redis.zscore(entry.key, entry.member), entry.key).toBe('0');
    // Said, since only a process of an earlier version writes such a record: it should be stopped.
    expect(summary.indexed).toBe(1);
    const said = (await harness.audit()).filter((r) => r.message.includes('added to the call index'));
    expect(said.map((r) => r.message)).toEqual([expect.stringContaining('1 interview written by an earlier version')]);
    expect(said[0]?.message).toContain('stop the processes of earlier versions');
    // Nothing missing the next time: nothing said again.
    expect((await reconcile(harness.engine)).indexed).toBe(0);
    expect((await harness.audit()).filter((r) => r.message.includes('added to the call index'))).toHaveLength(1);
    expect(await store.redis.zrangebyscore(key(store, 'ivs'), start, start)).toEqual([owner.id]);
    await set('b', [callOf(2, start)]);
    await syncOnce(harness.engine, 'b');
    expect((await getInterview(store, interviewIdFor('b', 'call-2')))?.duplicateOf).toBe(owner.id);
  });
});

describe('two calls whose entries share a set and a tag', () => {
  it('are told apart by their records: neither is taken for the other', async () => {
    const { harness, set } = await calendars(['a', 'b']);
    const start = soon(harness, 5 * 60);
    const store = harness.engine.store;
    // Another call at the same start whose UID's entry falls in the same set with the same tag
    // (1 in 2^32 a pair: found by trying UIDs), with another interviewer.
    const slotOfUid = (uid: string) => {
      const [slot] = callSlotsOf(store, start, callDigestsOf({ eventId: uid, counterpart: { name: '', email: null } }));
      return `${slot?.key} ${slot?.prefix}`;
    };
    const seen = new Map<string, string>();
    let pair: [string, string] | null = null;
    for (let n = 0; pair === null; n++) {
      const uid = `call-${n}`;
      const slot = slotOfUid(uid);
      const earlier = seen.get(slot);
      if (earlier !== undefined && callDigestsOf({ eventId: earlier, counterpart: { name: '', email: null } }).uid !== callDigestsOf({ eventId: uid, counterpart: { name: '', email: null } }).uid) pair = [earlier, uid];
      else seen.set(slot, uid);
    }
    const [first, second] = pair;
    await set('a', [{ ...callOf(1, start), uid: first }]);
    await syncOnce(harness.engine, 'a');
    const owner = await getInterview(store, interviewIdFor('a', first));
    expect(owner?.eventId).toBe(first);
    await set('b', [{ ...callOf(2, start), uid: second }]);
    await syncOnce(harness.engine, 'b');
    const other = await getInterview(store, interviewIdFor('b', second));
    expect(other).not.toBeNull();
    expect(other?.duplicateOf).toBeUndefined();
    expect((await getInterview(store, interviewIdFor('a', first)))?.duplicateOf).toBeUndefined();
  });
});
