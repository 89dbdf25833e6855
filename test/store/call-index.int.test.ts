/**
 * The members of the `ivs` index name the call of their interview (src/store/call-index.ts), so
 * that deciding whether an interview is a duplicate reads and compares only the records at its
 * start that may list the same call, against a real Redis.
 */
import { describe, expect, it } from 'vitest';
import { callDigestsOf, indexMemberOf } from '../../src/store/call-index.js';
import { readPeers, writeIfPeersUnchanged } from '../../src/store/calls.js';
import { createInterviews, updateInterview } from '../../src/store/interview-writes.js';
import { getInterview, listInterviewIds, saveInterview } from '../../src/store/interviews.js';
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
    // Listed once in the index, under its new member.
    expect((await t.redis.zrangebyscore(key(t.store, 'ivs'), at, at)).filter((m) => m.startsWith(other.id))).toEqual([
      indexMemberOf({ ...other, counterpart: mine.counterpart }),
    ]);
  });

  it('reads a listing an earlier version indexed by its id alone as possibly the same call, and indexes it anew when written', async () => {
    const at = AT + 240_000;
    const old = storedInterview('ivcix0000031', { eventId: 'other-31', start: at, counterpart: lee });
    await t.redis.set(key(t.store, 'iv', old.id), encodeInterview(old));
    await t.redis.zadd(key(t.store, 'ivs'), at, old.id);
    const mine = storedInterview('ivcix0000032', { sourceId: 'icloud', eventId: 'inv-32', start: at });
    const read = await readPeers(t.store, at, mine.id, callDigestsOf(mine));
    expect(read.ids).toEqual([old.id]);
    expect(await writeIfPeersUnchanged(t.store, null, mine, read, [])).toBe('written');
    await updateInterview(t.store, old.id, (current) => ({ ...current, outcome: 'held', outcomeSource: 'cli' }));
    expect(await t.redis.zrangebyscore(key(t.store, 'ivs'), at, at)).toEqual([indexMemberOf(old), indexMemberOf(mine)].sort());
    expect(await listInterviewIds(t.store, { from: at, to: at })).toEqual([old.id, mine.id]);
    expect((await readPeers(t.store, at, 'ivcix0000033', callDigestsOf(mine))).ids).toEqual([mine.id]);
  });

  it('keeps the member of a record another writer created first', async () => {
    const at = AT + 300_000;
    const first = storedInterview('ivcix0000041', { start: at, counterpart: lee });
    await saveInterview(t.store, first);
    expect(await createInterviews(t.store, [{ ...first, counterpart: { name: 'Sam', email: 'sam@acme.com' } }])).toEqual([false]);
    expect(await t.redis.zrangebyscore(key(t.store, 'ivs'), at, at)).toEqual([indexMemberOf(first)]);
  });
});
