/**
 * Interview and action records against a real Redis: written compactly, and records of earlier
 * versions (plain JSON, action records with their kind and long keys) still read, updated and
 * guarded as before, since users upgrade with their data in Redis.
 */
import { describe, expect, it } from 'vitest';
import type { Interview } from '../../src/domain/types.js';
import { getActionRecords, getInterview, getInterviews, recordedInterviews, replaceActionRecords, saveInterview, updateActionState } from '../../src/store/interviews.js';
import { key } from '../../src/store/store.js';
import { useTestStore } from '../support/store.js';

const t = useTestStore('records');

const T = Date.UTC(2026, 2, 10, 15);

function interview(id: string, over: Partial<Interview> = {}): Interview {
  return {
    id,
    sourceId: 'ics-main',
    eventId: `evt-${id}`,
    revision: 2,
    revisionKey: 'rk-2',
    status: 'scheduled',
    rescheduled: 1,
    outcome: null,
    outcomeSource: null,
    firstSeen: T - 86_400_000,
    title: 'Phone screen with Acme — Zoë’s team',
    start: T,
    end: T + 1_800_000,
    timeZone: 'America/New_York',
    counterpart: { name: 'Sam Lee', email: 'sam@acme.com' },
    company: 'acme.com',
    number: '+14155550100',
    direction: 'interviewer-calls',
    role: 'accepted',
    counterpartRole: 'organizer',
    notes: 'Sam will call you.',
    taggedOutcome: null,
    confidence: 0.97,
    review: false,
    evidence: [{ field: 'title', text: 'phone screen', signal: 'phone', weight: 4 }],
    decidedBy: 'detection',
    ...over,
  } as Interview;
}

describe('interview records', () => {
  it('reads back what it wrote, in far fewer bytes than its JSON', async () => {
    const written = interview('ivaaaaaaaaa1');
    await saveInterview(t.store, written);
    expect(await getInterview(t.store, written.id)).toEqual(written);
    expect(await getInterviews(t.store, [written.id, 'ivmissing000'])).toEqual([written]);
    const stored = await t.redis.getBuffer(key(t.store, 'iv', written.id));
    expect(stored?.length).toBeLessThan(JSON.stringify(written).length / 2);
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
    expect(await t.redis.hget(key(t.store, 'iv', id, 'actions'), 'thankyou-draft')).not.toContain('kind');
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
