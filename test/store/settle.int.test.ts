/** An action's state and its audit entries written in one step, against a real Redis. */
import { describe, expect, it } from 'vitest';
import type { ActionRecord } from '../../src/domain/actions.js';
import { readAudit } from '../../src/store/audit.js';
import { getActionRecords, setActionRecords, settleActionState } from '../../src/store/interviews.js';
import { key } from '../../src/store/store.js';
import { useTestStore } from '../support/store.js';

const t = useTestStore('settle');

describe('settleActionState', () => {
  it('writes the state with the due time read at the start, and the audit entry beside it', async () => {
    const read: ActionRecord = { kind: 'confirmation-draft', dueAt: 1_000, state: 'pending', revision: 1 };
    await setActionRecords(t.store, 'iv-a', [read]);
    const entry = { type: 'drafted' as const, interviewId: 'iv-a', message: 'draft written', at: 5_000 };
    await settleActionState(t.store, read, { interviewId: 'iv-a', kind: 'confirmation-draft', revision: 1, state: 'done', note: 'draft written' }, [entry]);
    expect(await getActionRecords(t.store, 'iv-a')).toEqual([{ ...read, state: 'done', note: 'draft written' }]);
    expect((await readAudit(t.store, { interviewId: 'iv-a' })).map(({ type, message, at }) => ({ type, message, at }))).toEqual([
      { type: 'drafted', message: 'draft written', at: 5_000 },
    ]);
  });

  it('never writes over the record of a newer revision, in either stored form', async () => {
    const newer: ActionRecord = { kind: 'confirmation-send', dueAt: 2_000, state: 'pending', revision: 3 };
    await setActionRecords(t.store, 'iv-b', [newer]);
    await settleActionState(t.store, undefined, { interviewId: 'iv-b', kind: 'confirmation-send', revision: 2, state: 'sent' }, []);
    expect(await getActionRecords(t.store, 'iv-b')).toEqual([newer]);

    // A record written by an earlier version (full key names).
    await t.redis.hset(key(t.store, 'iv', 'iv-c', 'actions'), 'confirmation-send', JSON.stringify(newer));
    await settleActionState(t.store, undefined, { interviewId: 'iv-c', kind: 'confirmation-send', revision: 2, state: 'sent' }, []);
    expect(await getActionRecords(t.store, 'iv-c')).toEqual([newer]);
    await settleActionState(t.store, newer, { interviewId: 'iv-c', kind: 'confirmation-send', revision: 3, state: 'sent' }, []);
    expect(await getActionRecords(t.store, 'iv-c')).toEqual([{ ...newer, state: 'sent' }]);
  });

  it("adds the audit entries even when a newer revision's record is kept, in the order given", async () => {
    const newer: ActionRecord = { kind: 'noshow-draft', dueAt: 3_000, state: 'pending', revision: 5 };
    await setActionRecords(t.store, 'iv-d', [newer]);
    const entries = [
      { type: 'stale' as const, interviewId: 'iv-d', message: 'x', at: 6_000 },
      { type: 'drafted' as const, interviewId: 'iv-d', message: `no-show draft written to Drafts ("Missed call – ${'é'.repeat(40)}")`, at: 6_001 },
    ];
    await settleActionState(t.store, undefined, { interviewId: 'iv-d', kind: 'noshow-draft', revision: 4, state: 'done' }, entries);
    expect(await getActionRecords(t.store, 'iv-d')).toEqual([newer]);
    expect((await readAudit(t.store, { interviewId: 'iv-d' })).map(({ type, message, at, interviewId }) => ({ type, message, at, interviewId }))).toEqual(entries);
  });

  it('raises a record it cannot read, after writing the audit entry', async () => {
    await t.redis.hset(key(t.store, 'iv', 'iv-e', 'actions'), 'confirmation-send', '{not json');
    const entry = { type: 'sent' as const, interviewId: 'iv-e', message: 'sent', at: 7_000 };
    await expect(settleActionState(t.store, undefined, { interviewId: 'iv-e', kind: 'confirmation-send', revision: 1, state: 'sent' }, [entry])).rejects.toThrow(/invalid token/);
    expect((await readAudit(t.store, { interviewId: 'iv-e' })).map(({ message }) => message)).toEqual(['sent']);
  });

  it('releases a lease the action still holds with its note, in the same step; a lease taken over by another stays', async () => {
    const read: ActionRecord = { kind: 'confirmation-draft', dueAt: 1_000, state: 'pending', revision: 1 };
    const lock = ['iv', 'iv-f', 'drafts', 'confirmation', 'lock'];
    const note = { hash: ['iv', 'iv-f', 'drafts'], fields: { confirmation: '{"revision":1}' }, remove: { hash: ['iv', 'iv-f', 'drafts', 'writing'], fields: ['confirmation'] } };
    await setActionRecords(t.store, 'iv-f', [read]);
    await t.redis.set(key(t.store, ...lock), 'me:1');
    await t.redis.hset(key(t.store, 'iv', 'iv-f', 'drafts', 'writing'), 'confirmation', '<m@x>', 'other', '<o@x>');
    const entry = { type: 'drafted' as const, interviewId: 'iv-f', message: 'draft written', at: 8_000 };
    await settleActionState(t.store, read, { interviewId: 'iv-f', kind: 'confirmation-draft', revision: 1, state: 'done' }, [entry], { parts: lock, holder: 'me:1', note });
    expect(await t.redis.exists(key(t.store, ...lock))).toBe(0);
    expect(await t.redis.hgetall(key(t.store, 'iv', 'iv-f', 'drafts'))).toEqual({ confirmation: '{"revision":1}' });
    expect(await t.redis.hgetall(key(t.store, 'iv', 'iv-f', 'drafts', 'writing'))).toEqual({ other: '<o@x>' });
    expect(await getActionRecords(t.store, 'iv-f')).toEqual([{ ...read, state: 'done' }]);
    expect((await readAudit(t.store, { interviewId: 'iv-f' })).map(({ message }) => message)).toEqual(['draft written']);

    // Expired and taken by another job meanwhile: the note is written, the other's lock stays.
    await t.redis.set(key(t.store, ...lock), 'other:7');
    await settleActionState(t.store, read, { interviewId: 'iv-f', kind: 'confirmation-draft', revision: 1, state: 'done' }, [], { parts: lock, holder: 'me:1', note: { hash: note.hash, fields: { confirmation: '{"revision":2}' } } });
    expect(await t.redis.get(key(t.store, ...lock))).toBe('other:7');
    expect(await t.redis.hget(key(t.store, 'iv', 'iv-f', 'drafts'), 'confirmation')).toBe('{"revision":2}');
  });

  it('with a lease released, returns the interview\'s record as stored once the note is in, undecoded; null when it has none', async () => {
    const read: ActionRecord = { kind: 'confirmation-draft', dueAt: 1_000, state: 'pending', revision: 1 };
    const lock = ['iv', 'iv-g', 'drafts', 'confirmation', 'lock'];
    const note = { hash: ['iv', 'iv-g', 'drafts'], fields: { confirmation: '{"revision":1}' } };
    await setActionRecords(t.store, 'iv-g', [read]);
    const settle = async () => {
      await t.redis.set(key(t.store, ...lock), 'me:1');
      return await settleActionState(t.store, read, { interviewId: 'iv-g', kind: 'confirmation-draft', revision: 1, state: 'done' }, [], { parts: lock, holder: 'me:1', note });
    };
    expect(await settle()).toBeNull();
    // Bytes that are not text (a deflated record) come back as they are stored.
    const stored = Buffer.from([0x78, 0x9c, 0xff, 0x00, 0xc3, 0x28, 0x0a]);
    await t.redis.set(key(t.store, 'iv', 'iv-g'), stored);
    const returned = await settle();
    expect(Buffer.isBuffer(returned) && returned.equals(stored)).toBe(true);
    expect(await t.redis.exists(key(t.store, ...lock))).toBe(0);
  });
});
