/** The events kept for `ringback explain`, against a real Redis: saved several at once, read back, expiring. */
import { describe, expect, it } from 'vitest';
import type { CalendarEvent, Evidence } from '../../src/domain/types.js';
import { getSeen, listSeen, saveSeenMany, type SeenEvent } from '../../src/store/detections.js';
import { useTestStore } from '../support/store.js';

const t = useTestStore('seen');

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const NOW = Date.UTC(2026, 11, 5, 12);

function seenEvent(id: string, start: number, extra: Partial<CalendarEvent> = {}, evidence: Evidence[] = []): SeenEvent {
  const event: CalendarEvent = {
    id,
    title: `meeting ${id}`,
    description: 'agenda: next steps',
    location: '',
    start,
    end: start + HOUR,
    timeZone: 'Europe/Paris',
    allDay: false,
    status: 'confirmed',
    organizer: { name: 'Sam', email: 'sam@example.com' },
    attendees: [],
    categories: [],
    tags: {},
    conferencePhones: [],
    ...extra,
  };
  return { id: `iv-${id}`, sourceId: 'work', event, kind: 'not-interview', confidence: 0.2, reason: 'not a phone interview', evidence };
}

describe('saveSeenMany', () => {
  it('keeps each event, bounded, indexed by start, until 30 days after it ends; a second save replaces the first', async () => {
    const evidence: Evidence[] = Array.from({ length: 25 }, (_, i) => ({ field: 'title', text: `word ${i}`, signal: 'interview', weight: 1 }));
    const late = seenEvent('late', NOW + 2 * DAY, { description: 'x'.repeat(9_000) }, evidence);
    const early = seenEvent('early', NOW + DAY);
    const past = seenEvent('past', NOW - 40 * DAY);
    await saveSeenMany(t.store, [late, early, past].map((seen) => ({ seen, now: NOW })));

    const kept = await getSeen(t.store, 'iv-late');
    expect(kept?.event.description).toBe('x'.repeat(8_000));
    expect(kept?.evidence).toEqual(evidence.slice(0, 20));
    expect({ ...kept, event: { ...kept?.event, description: '' }, evidence: [] }).toEqual({ ...late, event: { ...late.event, description: '' }, evidence: [] });
    expect((await listSeen(t.store)).map((s) => s.id)).toEqual(['iv-past', 'iv-early', 'iv-late']);

    const ttl = (id: string) => t.redis.pttl(`{${t.store.prefix}}:seen:${id}`);
    const expected = late.event.end + 30 * DAY - NOW;
    expect(await ttl('iv-late')).toBeGreaterThan(expected - 60_000);
    expect(await ttl('iv-late')).toBeLessThanOrEqual(expected);
    // Ended more than 30 days ago: kept a minute, no less.
    expect(await ttl('iv-past')).toBeGreaterThan(50_000);
    expect(await ttl('iv-past')).toBeLessThanOrEqual(60_000);

    const moved = seenEvent('early', NOW + 3 * DAY, { title: 'moved' });
    await saveSeenMany(t.store, [{ seen: moved, now: NOW }]);
    expect((await getSeen(t.store, 'iv-early'))?.event.title).toBe('moved');
    expect((await listSeen(t.store)).map((s) => s.id)).toEqual(['iv-past', 'iv-late', 'iv-early']);
  });

  it('indexes every event of a batch larger than one ZADD, a repeated id at its last start', async () => {
    const many = Array.from({ length: 1_203 }, (_, i) => seenEvent(`n${String(i).padStart(4, '0')}`, NOW + i * 60_000));
    const repeated = seenEvent('n0000', NOW - DAY, { title: 'again' });
    await saveSeenMany(t.store, [...many, repeated].map((seen) => ({ seen, now: NOW })));
    const all = await t.redis.zrange(`{${t.store.prefix}}:seen`, 0, -1, 'WITHSCORES');
    const index = all.filter((_, i) => (all[i - (i % 2)] ?? '').startsWith('iv-n'));
    expect(index.length).toBe(2 * 1_203);
    expect(index.slice(0, 2)).toEqual(['iv-n0000', String(NOW - DAY)]);
    expect(index.slice(-2)).toEqual(['iv-n1202', String(NOW + 1_202 * 60_000)]);
    expect((await getSeen(t.store, 'iv-n0000'))?.event.title).toBe('again');
    expect((await getSeen(t.store, 'iv-n1202'))?.event.start).toBe(NOW + 1_202 * 60_000);
  });
});
