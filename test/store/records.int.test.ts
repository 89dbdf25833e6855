/**
 * Interview and action records against a real Redis: written compactly, and records of earlier
 * versions (plain JSON, action records with their kind and long keys) still read, updated and
 * guarded as before, since users upgrade with their data in Redis.
 */
import { describe, expect, it } from 'vitest';
import type { Interview } from '../../src/domain/types.js';
import {
  getActionRecords,
  getInterview,
  getInterviews,
  recordedInterviews,
  replaceActionRecords,
  saveInterview,
  settleActionState,
  updateActionState,
} from '../../src/store/interviews.js';
import { getStoredInterview, saveInterviewIfUnchanged } from '../../src/store/interview-writes.js';
import { encodeInterviewV1 } from '../../src/store/records.js';
import { key } from '../../src/store/store.js';
import { storedInterview } from '../support/interview-record.js';
import { useTestStore } from '../support/store.js';

const t = useTestStore('records');

const T = Date.UTC(2026, 2, 10, 15);

function interview(id: string, over: Partial<Interview> = {}): Interview {
  return storedInterview(id, {
    revision: 2,
    revisionKey: 'rk-2',
    rescheduled: 1,
    title: 'Phone screen with Acme — Zoë’s team',
    counterpartRole: 'organizer',
    notes: 'Sam will call you.',
    confidence: 0.97,
    review: false,
    evidence: [{ field: 'title', text: 'phone screen', signal: 'phone', weight: 4 }],
    decidedBy: 'detection',
    ...over,
  } as Partial<Interview>);
}

describe('interview records', () => {
  it('reads back what it wrote, in far fewer bytes than its JSON', async () => {
    const written = interview('ivaaaaaaaaa1');
    await saveInterview(t.store, written);
    expect(await getInterview(t.store, written.id)).toEqual(written);
    expect(await getInterviews(t.store, [written.id, 'ivmissing000'])).toEqual([written]);
    const stored = await t.redis.getBuffer(key(t.store, 'iv', written.id));
    expect(stored?.length).toBeLessThan(JSON.stringify(written).length / 2);
    // The second form: its values in a fixed order, shorter than the first form of the same record.
    expect(stored?.[0]).toBe(2);
    expect(stored?.length).toBeLessThan(encodeInterviewV1(written).length - 40);
  });

  it('reads back a counterpart without an address (a no-reply invitation) as null', async () => {
    const written = interview('ivnoaddress1', { counterpart: { name: 'Sam Lee', email: null } });
    await saveInterview(t.store, written);
    expect((await getInterview(t.store, written.id))?.counterpart).toEqual({ name: 'Sam Lee', email: null });
  });

  it('keeps every field as it was: optional ones left out stay out, fields it does not know are kept', async () => {
    const { confidence: _c, review: _r, decidedBy: _d, counterpartRole: _p, ...bare } = interview('ivccccccccc3');
    const written = {
      ...bare,
      evidence: [{ field: 'title', text: 'phone screen', signal: 'phone', weight: 4, extra: 'kept' }],
      counterpart: { name: '', email: 'x@y.example', alias: 'kept too' },
      someFutureField: { a: [1, 2] },
    } as unknown as Interview;
    await saveInterview(t.store, written);
    const read = await getInterview(t.store, written.id);
    expect(read).toEqual(written);
    expect(read && 'confidence' in read).toBe(false);
    expect(read && 'counterpartRole' in read).toBe(false);
    // The same interview, its keys in another order, gives the same bytes (the compare-and-set compares bytes).
    const reordered = Object.fromEntries(Object.entries(written).reverse()) as unknown as Interview;
    const before = await t.redis.getBuffer(key(t.store, 'iv', written.id));
    await saveInterview(t.store, reordered);
    expect(await t.redis.getBuffer(key(t.store, 'iv', written.id))).toEqual(before);
  });

  it('reads a record of the first form (deflated JSON), and replaces it only while it is unchanged', async () => {
    const old = interview('ivddddddddd4');
    await t.redis.set(key(t.store, 'iv', old.id), encodeInterviewV1(old));
    await t.redis.zadd(key(t.store, 'ivs'), old.start, old.id);
    expect(await getInterview(t.store, old.id)).toEqual(old);
    const read = await getStoredInterview(t.store, old.id);
    if (!read) throw new Error('the record of the first form was not read');
    expect(read.interview).toEqual(old);

    const held = { ...old, outcome: 'held' as const, outcomeSource: 'assumed' as const };
    expect(await saveInterviewIfUnchanged(t.store, read, held)).toBe(true);
    expect((await t.redis.getBuffer(key(t.store, 'iv', old.id)))?.[0]).toBe(2);
    expect(await getInterview(t.store, old.id)).toEqual(held);
    // Decided on what was read before: the record changed since, nothing is written.
    expect(await saveInterviewIfUnchanged(t.store, read, { ...old, outcome: 'interviewer-no-show' })).toBe(false);
    expect(await getInterview(t.store, old.id)).toEqual(held);
    const now = await getStoredInterview(t.store, old.id);
    if (!now) throw new Error('the record is gone');
    expect(await saveInterviewIfUnchanged(t.store, now, { ...held, revision: 3 })).toBe(true);
    expect((await getInterview(t.store, old.id))?.revision).toBe(3);
  });

  it('reads a record an earlier version wrote as plain JSON, and writes it compactly once saved again', async () => {
    const old = interview('ivbbbbbbbbb2');
    await t.redis.set(key(t.store, 'iv', old.id), JSON.stringify(old));
    await t.redis.zadd(key(t.store, 'ivs'), old.start, old.id);
    expect(await getInterview(t.store, old.id)).toEqual(old);
    expect(await getInterviews(t.store, [old.id])).toEqual([old]);
    expect(await recordedInterviews(t.store, [old.id, 'ivmissing000'])).toEqual(new Set([old.id]));

    const changed = { ...old, revision: 3 };
    await saveInterview(t.store, changed);
    expect((await t.redis.getBuffer(key(t.store, 'iv', old.id)))?.[0]).not.toBe('{'.charCodeAt(0));
    expect(await getInterview(t.store, old.id)).toEqual(changed);
  });
});

describe('action records', () => {
  const oldRecord = (kind: string, state: string, revision: number, note?: string) =>
    JSON.stringify({ kind, dueAt: T - 3_600_000, state, revision, ...(note ? { note } : {}) });

  it('reads records an earlier version wrote, next to new ones', async () => {
    const id = 'ivccccccccc3';
    await t.redis.hset(key(t.store, 'iv', id, 'actions'), 'confirmation-send', oldRecord('confirmation-send', 'sent', 2, 'sent at 14:00'));
    await updateActionState(t.store, id, 'thankyou-draft', 2, 'done', 'drafted');
    const records = await getActionRecords(t.store, id);
    expect(records).toEqual([
      { kind: 'confirmation-send', dueAt: T - 3_600_000, state: 'sent', revision: 2, note: 'sent at 14:00' },
      expect.objectContaining({ kind: 'thankyou-draft', state: 'done', revision: 2, note: 'drafted' }),
    ]);
    // Written in the compact form, under the kind's code (records.ts).
    expect(await t.redis.hget(key(t.store, 'iv', id, 'actions'), 'thankyou-draft')).toBeNull();
    expect(await t.redis.hget(key(t.store, 'iv', id, 'actions'), 'td')).toMatch(/^d 2 [0-9a-z]+ drafted$/);
  });

  it('writes records compactly and reads them back as they were, notes with spaces included', async () => {
    const id = 'ivfffffffff6';
    const records = [
      { kind: 'confirmation-draft', dueAt: T - 86_400_000, state: 'done', revision: 12, note: 'drafted: "Re: call" at 9:00' },
      { kind: 'confirmation-send', dueAt: T - 3_600_000, state: 'kept-as-draft', revision: 12 },
      { kind: 'apology-draft', dueAt: T + 1_234, state: 'skipped', revision: 12, note: 'the outcome is not candidate-missed' },
    ] as const;
    await replaceActionRecords(t.store, id, records);
    expect(await getActionRecords(t.store, id)).toEqual(records);
    const stored = await t.redis.hgetall(key(t.store, 'iv', id, 'actions'));
    expect(Object.keys(stored).sort()).toEqual(['ad', 'cd', 'cs']);
    expect(stored.cs).toBe(`k 12 ${(T - 3_600_000).toString(36)}`);
  });

  it('reads the one-letter JSON of the previous version, and settles it under the code', async () => {
    const id = 'ivggggggggg7';
    const k = key(t.store, 'iv', id, 'actions');
    await t.redis.hset(k, 'noshow-draft', JSON.stringify({ d: T + 900_000, s: 'pending', r: 4 }), 'noshow-resolve', JSON.stringify({ d: T + 1_800_000, s: 'parked', r: 4, n: 'mail down' }));
    expect(await getActionRecords(t.store, id)).toEqual([
      { kind: 'noshow-draft', dueAt: T + 900_000, state: 'pending', revision: 4 },
      { kind: 'noshow-resolve', dueAt: T + 1_800_000, state: 'parked', revision: 4, note: 'mail down' },
    ]);
    // A late job of revision 3 leaves the revision-4 record alone…
    await settleActionState(t.store, undefined, { interviewId: id, kind: 'noshow-draft', revision: 3, state: 'done' }, []);
    expect(await t.redis.hkeys(k)).toEqual(expect.arrayContaining(['noshow-draft']));
    // …the job of revision 4 writes under the code and removes the old field.
    await settleActionState(t.store, { kind: 'noshow-draft', dueAt: T + 900_000, state: 'pending', revision: 4 }, { interviewId: id, kind: 'noshow-draft', revision: 4, state: 'done', note: 'drafted' }, []);
    expect((await t.redis.hkeys(k)).sort()).toEqual(['nd', 'noshow-resolve']);
    // A replan keeps the parked old-form record (not replannable) and the settled new one.
    await replaceActionRecords(t.store, id, [
      { kind: 'noshow-draft', dueAt: T + 900_000, state: 'pending', revision: 4 },
      { kind: 'noshow-resolve', dueAt: T + 1_800_000, state: 'pending', revision: 4 },
    ]);
    expect(await getActionRecords(t.store, id)).toEqual([
      { kind: 'noshow-draft', dueAt: T + 900_000, state: 'done', revision: 4, note: 'drafted' },
      { kind: 'noshow-resolve', dueAt: T + 1_800_000, state: 'parked', revision: 4, note: 'mail down' },
    ]);
    expect((await t.redis.hkeys(k)).sort()).toEqual(['nd', 'nr']);
  });

  it("keeps a failure's plain words apart from its note, and the Lua reads the record they make JSON", async () => {
    const id = 'ivhhhhhhhhh8';
    const k = key(t.store, 'iv', id, 'actions');
    await replaceActionRecords(t.store, id, [{ kind: 'confirmation-send', dueAt: T - 3_600_000, state: 'pending', revision: 2 }]);
    const note = 'refused (its reply: SMTP smtp.example.org:587: EMESSAGE during DATA 550 5.7.1 Message rejected as spam by Content Filtering.)';
    await updateActionState(t.store, id, 'confirmation-send', 2, 'failed', note, { plain: 'the mail server took it for spam and refused it', fix: 'read it over' });
    expect(await getActionRecords(t.store, id)).toEqual([
      { kind: 'confirmation-send', dueAt: T - 3_600_000, state: 'failed', revision: 2, note, plain: 'the mail server took it for spam and refused it', fix: 'read it over' },
    ]);
    // A late job of revision 1 leaves it alone (the Lua reads its revision)…
    await updateActionState(t.store, id, 'confirmation-send', 1, 'done');
    expect((await getActionRecords(t.store, id))[0]?.state).toBe('failed');
    // …and a replan of the same revision gives the failed send another go (its state read too).
    await replaceActionRecords(t.store, id, [{ kind: 'confirmation-send', dueAt: T - 3_600_000, state: 'pending', revision: 2 }]);
    expect(await getActionRecords(t.store, id)).toEqual([{ kind: 'confirmation-send', dueAt: T - 3_600_000, state: 'pending', revision: 2 }]);
    expect(await t.redis.hkeys(k)).toEqual(['cs']);
  });

  it('never lets a late job of an older revision overwrite an old-form record of a newer one', async () => {
    const id = 'ivddddddddd4';
    await t.redis.hset(key(t.store, 'iv', id, 'actions'), 'noshow-draft', oldRecord('noshow-draft', 'pending', 3));
    await updateActionState(t.store, id, 'noshow-draft', 2, 'done');
    expect(await getActionRecords(t.store, id)).toEqual([{ kind: 'noshow-draft', dueAt: T - 3_600_000, state: 'pending', revision: 3 }]);
  });

  it('keeps a settled old-form record when a re-plan of the same revision writes it as pending', async () => {
    const id = 'iveeeeeeeee5';
    await t.redis.hset(
      key(t.store, 'iv', id, 'actions'),
      'confirmation-draft',
      oldRecord('confirmation-draft', 'done', 2, 'drafted'),
      'confirmation-send',
      oldRecord('confirmation-send', 'pending', 1),
    );
    await replaceActionRecords(t.store, id, [
      { kind: 'confirmation-draft', dueAt: T - 7_200_000, state: 'pending', revision: 2 },
      { kind: 'confirmation-send', dueAt: T - 3_600_000, state: 'pending', revision: 2 },
    ]);
    const byKind = (await getActionRecords(t.store, id)).sort((a, b) => a.kind.localeCompare(b.kind));
    expect(byKind).toEqual([
      { kind: 'confirmation-draft', dueAt: T - 3_600_000, state: 'done', revision: 2, note: 'drafted' },
      { kind: 'confirmation-send', dueAt: T - 3_600_000, state: 'pending', revision: 2 },
    ]);
    // And the same guard between records of the new form.
    await updateActionState(t.store, id, 'confirmation-send', 2, 'sent');
    await replaceActionRecords(t.store, id, [{ kind: 'confirmation-send', dueAt: T, state: 'pending', revision: 2 }]);
    expect(await getActionRecords(t.store, id)).toEqual([{ kind: 'confirmation-send', dueAt: T - 3_600_000, state: 'sent', revision: 2 }]);
  });
});
