/**
 * The call index (src/store/call-index.ts) lists which interviews at one start may list the same
 * call, so that deciding whether an interview is a duplicate reads and compares only those records,
 * however many other calls start then, against a real Redis.
 */
import { describe, expect, it } from 'vitest';
import { callDigestsOf, callSlotsOf, earlierMemberOf, indexEarlierCalls, indexMemberOf, prefixEnd } from '../../src/store/call-index.js';
import { readPeers, writeIfPeersUnchanged } from '../../src/store/calls.js';
import { createInterviews, updateInterview } from '../../src/store/interview-writes.js';
import { deleteInterviewData, getInterview, listInterviewIds, saveInterview, saveInterviews } from '../../src/store/interviews.js';
import { encodeInterview } from '../../src/store/records.js';
import { key } from '../../src/store/store.js';
import { AT, storedInterview } from '../support/interview-record.js';
import { useTestStore } from '../support/store.js';

const t = useTestStore('callindex');

const lee = { name: 'Lee Park', email: 'lee@globex.example' };

describe('reading only the listings at a start that may be the same call', () => {
  it('reads the same invitation and the same interviewer, not another call at that instant', async () => {
    const at = AT + 60_000;
    const mine = storedInterview('ivcix0000001', { sourceId: 'icloud', eventId: 'inv-1', start: at });
    const sameUid = storedInterview('ivcix0000002', { sourceId: 'google', eventId: 'inv-1', start: at, counterpart: lee });
    // A copy with a new UID, the same interviewer written otherwise.
    const sameAddress = storedInterview('ivcix0000003', { sourceId: 'caldav', eventId: 'copy-1', start: at, counterpart: { name: 'Sam', email: 'SAM@acme.com' } });
    const other = storedInterview('ivcix0000004', { sourceId: 'google', eventId: 'other-1', start: at, counterpart: lee });
    await Promise.all([sameUid, sameAddress, other].map((iv) => saveInterview(t.store, iv)));
    const peers = await readPeers(t.store, at, mine.id, callDigestsOf(mine));
    expect(peers.ids).toEqual([sameUid.id, sameAddress.id]);
    expect((await readPeers(t.store, at, mine.id)).ids).toEqual([sameUid.id, sameAddress.id, other.id]);
    // An interview without an address is the same call only by its UID.
    const noAddress = { ...mine, id: 'ivcix0000005', eventId: 'inv-5', counterpart: { name: 'Sam', email: null } };
    expect((await readPeers(t.store, at, noAddress.id, callDigestsOf(noAddress))).ids).toEqual([]);
  });

  it('writes although another call arrived at the start meanwhile, but not when the same call did', async () => {
    const at = AT + 120_000;
    const mine = storedInterview('ivcix0000011', { sourceId: 'icloud', eventId: 'inv-11', start: at });
    const read = await readPeers(t.store, at, mine.id, callDigestsOf(mine));
    await saveInterview(t.store, storedInterview('ivcix0000012', { eventId: 'other-11', start: at, counterpart: lee }));
    expect(await writeIfPeersUnchanged(t.store, null, mine, read)).toBe('written');

    const late = storedInterview('ivcix0000013', { sourceId: 'caldav', eventId: 'copy-11', start: at });
    const before = await readPeers(t.store, at, late.id, callDigestsOf(late));
    expect(before.ids).toEqual([mine.id]);
    await saveInterview(t.store, storedInterview('ivcix0000014', { sourceId: 'google', eventId: 'inv-11b', start: at }));
    expect(await writeIfPeersUnchanged(t.store, null, { ...late, duplicateOf: mine.id, duplicateBy: 'counterpart' }, before, [0])).toBe('peers-changed');
    expect(await getInterview(t.store, late.id)).toBeNull();
  });

  it('refuses when another call at the start becomes the same call meanwhile (its interviewer changed)', async () => {
    const at = AT + 180_000;
    const other = storedInterview('ivcix0000021', { eventId: 'other-21', start: at, counterpart: lee });
    await saveInterview(t.store, other);
    const mine = storedInterview('ivcix0000022', { sourceId: 'icloud', eventId: 'inv-22', start: at });
    const read = await readPeers(t.store, at, mine.id, callDigestsOf(mine));
    expect(read.ids).toEqual([]);
    await updateInterview(t.store, other.id, (current) => ({ ...current, counterpart: mine.counterpart }));
    expect(await writeIfPeersUnchanged(t.store, null, mine, read)).toBe('peers-changed');
    const again = await readPeers(t.store, at, mine.id, callDigestsOf(mine));
    expect(again.ids).toEqual([other.id]);
    // Listed once in the call index, under its new address, and no longer under the old one.
    const lookup = async (of: typeof mine) => (await readPeers(t.store, at, 'ivcix0000029', callDigestsOf(of))).ids;
    expect(await lookup(mine)).toEqual([other.id]);
    expect(await lookup({ ...mine, eventId: 'inv-29', counterpart: lee })).toEqual([]);
    expect(await t.redis.zrangebyscore(key(t.store, 'ivs'), at, at)).toEqual([other.id]);
  });

  it('finds the one listing of the same call among hundreds of other calls at that instant, from the call index alone', async () => {
    const at = AT + 200_000;
    const crowd = Array.from({ length: 300 }, (_, i) =>
      storedInterview(`ivcixc${String(i).padStart(6, '0')}`, { sourceId: `cal-${i}`, eventId: `crowd-${i}`, start: at, counterpart: { name: 'X', email: `x${i}@corp.example` } }),
    );
    await saveInterviews(t.store, crowd);
    const mine = storedInterview('ivcix0000091', { sourceId: 'icloud', eventId: 'crowd-17', start: at, counterpart: { name: 'Y', email: 'x201@corp.example' } });
    const read = await readPeers(t.store, at, mine.id, callDigestsOf(mine));
    // Same UID as the 17th, same address as the 201st: those two, read from their two members only.
    expect(read.ids).toEqual(['ivcixc000017', 'ivcixc000201']);
    const slots = callSlotsOf(t.store, at, callDigestsOf(mine));
    const members = await Promise.all(slots.map((slot) => t.redis.zrangebylex(slot.key, `[${slot.prefix}`, prefixEnd(slot.prefix))));
    expect(members).toEqual([[`${slots[0]?.prefix}ivcixc000017`], [`${slots[1]?.prefix}ivcixc000201`]]);
    expect(await writeIfPeersUnchanged(t.store, null, { ...mine, duplicateOf: 'ivcixc000017', duplicateBy: 'uid' }, read)).toBe('written');
    // Another call arriving at that crowded instant changes nothing the next decision rests on.
    const next = storedInterview('ivcix0000092', { sourceId: 'caldav', eventId: 'crowd-17', start: at });
    const nextRead = await readPeers(t.store, at, next.id, callDigestsOf(next));
    expect(nextRead.ids).toEqual(['ivcix0000091', 'ivcixc000017']);
    await saveInterview(t.store, storedInterview('ivcix0000093', { sourceId: 'cal-x', eventId: 'crowd-x', start: at, counterpart: { name: 'Z', email: 'z@corp.example' } }));
    expect(await writeIfPeersUnchanged(t.store, null, { ...next, duplicateOf: 'ivcixc000017', duplicateBy: 'uid' }, nextRead)).toBe('written');
    // Moved away and deleted: gone from the call index at that instant.
    await updateInterview(t.store, 'ivcixc000017', (current) => ({ ...current, start: at + 3_600_000 }));
    await deleteInterviewData(t.store, 'ivcixc000201');
    expect((await readPeers(t.store, at, 'ivcix0000094', callDigestsOf(mine))).ids).toEqual(['ivcix0000091', 'ivcix0000092']);
  });

  it('gives the listings an earlier version recorded (member by id alone, or with its digests) their place in the call index before they are looked up', async () => {
    const at = AT + 240_000;
    const old = storedInterview('ivcix0000031', { eventId: 'other-31', start: at, counterpart: lee });
    const older = storedInterview('ivcix0000034', { sourceId: 'caldav', eventId: 'inv-32', start: at });
    await t.redis.set(key(t.store, 'iv', old.id), encodeInterview(old));
    await t.redis.zadd(key(t.store, 'ivs'), at, old.id);
    await t.redis.set(key(t.store, 'iv', older.id), encodeInterview(older));
    await t.redis.zadd(key(t.store, 'ivs'), at, earlierMemberOf(older));
    const mine = storedInterview('ivcix0000032', { sourceId: 'icloud', eventId: 'inv-32', start: at, counterpart: lee });
    // (The other tests' records, written by this version, are indexed already: adding them again changes nothing.)
    expect(await indexEarlierCalls(t.store)).toBeGreaterThanOrEqual(2);
    const read = await readPeers(t.store, at, mine.id, callDigestsOf(mine));
    expect(read.ids).toEqual([old.id, older.id]);
    expect(await writeIfPeersUnchanged(t.store, null, { ...mine, duplicateOf: older.id, duplicateBy: 'uid' }, read, [1])).toBe('written');
    // Each listed once in `ivs`, by its id, and listed as before.
    expect(await t.redis.zrangebyscore(key(t.store, 'ivs'), at, at)).toEqual([old.id, mine.id, older.id].sort());
    expect(await listInterviewIds(t.store, { from: at, to: at })).toEqual([old.id, mine.id, older.id].sort());
    // Done once: a listing written the earlier way after that is not looked for again.
    await t.redis.zadd(key(t.store, 'ivs'), at, 'ivcix0000035');
    expect(await indexEarlierCalls(t.store)).toBe(0);
  });

  it('removes the member an earlier version wrote when the record is written again', async () => {
    const at = AT + 250_000;
    const old = storedInterview('ivcix0000036', { eventId: 'other-36', start: at, counterpart: lee });
    await t.redis.set(key(t.store, 'iv', old.id), encodeInterview(old));
    await t.redis.zadd(key(t.store, 'ivs'), at, earlierMemberOf(old));
    await updateInterview(t.store, old.id, (current) => ({ ...current, start: at + 60_000 }));
    expect(await t.redis.zrangebyscore(key(t.store, 'ivs'), at, at + 60_000)).toEqual([old.id]);
    expect((await readPeers(t.store, at + 60_000, 'ivcix0000037', callDigestsOf(old))).ids).toEqual([old.id]);
  });

  it('keeps the member of a record another writer created first', async () => {
    const at = AT + 300_000;
    const first = storedInterview('ivcix0000041', { start: at, counterpart: lee });
    await saveInterview(t.store, first);
    expect(await createInterviews(t.store, [{ ...first, counterpart: { name: 'Sam', email: 'sam@acme.com' } }])).toEqual([false]);
    expect(await t.redis.zrangebyscore(key(t.store, 'ivs'), at, at)).toEqual([indexMemberOf(first)]);
    // Listed under the address it was first recorded with, not under the one of the write refused.
    expect((await readPeers(t.store, at, 'ivcix0000049', callDigestsOf({ eventId: 'x', counterpart: lee }))).ids).toEqual([first.id]);
    expect((await readPeers(t.store, at, 'ivcix0000049', callDigestsOf({ eventId: 'x', counterpart: { name: 'Sam', email: 'sam@acme.com' } }))).ids).toEqual([]);
  });

  it('lists a record created as an import writes it (ringback import) under its UID and its interviewer', async () => {
    const at = AT + 360_000;
    const imported = storedInterview('ivcix0000051', { sourceId: 'caldav', eventId: 'inv-51', start: at, counterpart: lee });
    expect(await createInterviews(t.store, [imported])).toEqual([true]);
    expect((await readPeers(t.store, at, 'ivcix0000052', callDigestsOf({ eventId: 'inv-51', counterpart: { name: '', email: null } }))).ids).toEqual([imported.id]);
    expect((await readPeers(t.store, at, 'ivcix0000052', callDigestsOf({ eventId: 'inv-52', counterpart: lee }))).ids).toEqual([imported.id]);
  });
});
