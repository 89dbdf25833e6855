/**
 * The compare-and-set over the records at one start (src/store/calls.ts), against a real Redis:
 * two writers that decided on the same records at a start, as two processes syncing two calendars
 * that list one call do, never both write; the one that comes second is told to decide again.
 */
import { describe, expect, it } from 'vitest';
import { callDigestsOf } from '../../src/store/call-index.js';
import { readPeers, writeIfPeersUnchanged } from '../../src/store/calls.js';
import { getStoredInterview } from '../../src/store/interview-writes.js';
import { getInterview, listInterviewIds, saveInterview } from '../../src/store/interviews.js';
import { AT, storedInterview } from '../support/interview-record.js';
import { useTestStore } from '../support/store.js';

const t = useTestStore('calls');

describe('writing a record if the records at its start are unchanged', () => {
  it('lets only the first of two new listings that read an empty start write as decided', async () => {
    const a = storedInterview('ivcallsa0001', { sourceId: 'google', eventId: 'inv-1' });
    const b = storedInterview('ivcallsb0001', { sourceId: 'icloud', eventId: 'inv-1' });
    const [readA, readB] = [await readPeers(t.store, AT, a.id), await readPeers(t.store, AT, b.id)];
    expect(readA.ids).toEqual([]);
    expect(await writeIfPeersUnchanged(t.store, null, a, readA)).toBe('written');
    expect(await writeIfPeersUnchanged(t.store, null, b, readB)).toBe('peers-changed');
    expect(await getInterview(t.store, b.id)).toBeNull();
    const again = await readPeers(t.store, AT, b.id);
    expect(again.interviews.map((p) => p.id)).toEqual([a.id]);
    expect(await writeIfPeersUnchanged(t.store, null, { ...b, duplicateOf: a.id, duplicateBy: 'uid' }, again)).toBe('written');
    expect(await getInterview(t.store, b.id)).toMatchObject({ duplicateOf: a.id, duplicateBy: 'uid' });
    expect(await listInterviewIds(t.store, { from: AT, to: AT })).toEqual([a.id, b.id].sort());
  });

  it('refuses when a record at the start changed since it was read (an owner cancelled meanwhile)', async () => {
    const owner = storedInterview('ivcallso0002', { eventId: 'inv-2', start: AT + 60_000 });
    await saveInterview(t.store, owner);
    const late = storedInterview('ivcallsl0002', { sourceId: 'icloud', eventId: 'inv-2', start: AT + 60_000 });
    const read = await readPeers(t.store, owner.start, late.id);
    await saveInterview(t.store, { ...owner, status: 'cancelled' });
    expect(await writeIfPeersUnchanged(t.store, null, { ...late, duplicateOf: owner.id, duplicateBy: 'uid' }, read)).toBe('peers-changed');
  });

  it('compares only the listings it names: another call at that instant may change meanwhile, but not arrive', async () => {
    const at = AT + 180_000;
    const otherCall = storedInterview('ivcallsu0004', { eventId: 'other-4', start: at, counterpart: { name: 'Lee', email: 'lee@globex.example' } });
    await saveInterview(t.store, otherCall);
    const mine = storedInterview('ivcallsm0004', { sourceId: 'icloud', eventId: 'inv-4', start: at });
    const read = await readPeers(t.store, at, mine.id);
    await saveInterview(t.store, { ...otherCall, outcome: 'held', outcomeSource: 'cli' });
    expect(await writeIfPeersUnchanged(t.store, null, mine, read, [0])).toBe('peers-changed');
    expect(await writeIfPeersUnchanged(t.store, null, mine, read, [])).toBe('written');

    const late = storedInterview('ivcallsn0004', { sourceId: 'caldav', eventId: 'inv-4b', start: at });
    const before = await readPeers(t.store, at, late.id);
    await saveInterview(t.store, storedInterview('ivcallsv0004', { eventId: 'inv-4c', start: at }));
    expect(await writeIfPeersUnchanged(t.store, null, late, before, [])).toBe('peers-changed');
  });

  it('refuses over a record that changed, and a new record over one that exists', async () => {
    const iv = storedInterview('ivcallsr0003', { start: AT + 120_000 });
    await saveInterview(t.store, iv);
    const stored = await getStoredInterview(t.store, iv.id);
    if (!stored) throw new Error('no record');
    const peers = await readPeers(t.store, iv.start, iv.id);
    expect(await writeIfPeersUnchanged(t.store, null, iv, peers)).toBe('record-changed');
    await saveInterview(t.store, { ...iv, outcome: 'held', outcomeSource: 'cli' });
    expect(await writeIfPeersUnchanged(t.store, stored, { ...iv, title: 'x' }, peers)).toBe('record-changed');
    expect((await getInterview(t.store, iv.id))?.outcome).toBe('held');
  });
});

describe('reading the records at a start', () => {
  it('makes no pipeline that carries the Lua commands defined on the connection (BullMQ defines 52 on it)', async () => {
    t.redis.defineCommand('callsTestScript', { numberOfKeys: 1, lua: "return redis.call('GET', KEYS[1])" });
    const carried: number[] = [];
    const made = t.redis.pipeline.bind(t.redis);
    t.redis.pipeline = ((...args: Parameters<typeof made>) => {
      carried.push(Object.keys(t.redis.scriptsSet).length);
      return made(...args);
    }) as typeof made;
    try {
      const owner = storedInterview('ivcallsp0009', { eventId: 'inv-9', start: AT + 9 * 60_000 });
      await saveInterview(t.store, owner);
      const late = storedInterview('ivcallsq0009', { sourceId: 'icloud', eventId: 'inv-9', start: AT + 9 * 60_000 });
      // As a first confirmation draft looks (engine/confirmation.ts), and as a sync decides.
      expect((await readPeers(t.store, late.start, late.id, callDigestsOf(late))).ids).toEqual([owner.id]);
      expect((await readPeers(t.store, late.start, late.id)).ids).toEqual([owner.id]);
    } finally {
      t.redis.pipeline = made;
    }
    expect(carried).toEqual([0, 0]);
  });
});
