/**
 * Times proposed to a recruiter known only by the bare offset their invitation stated for the call
 * ("6:30 PM - 7:00 PM (GMT+05:30)"): the offset names no place, but every place on it at that
 * instant is somewhere they may be, so a proposed time falls in 08:00–18:00 on a working day in
 * each of them, on the clock each keeps on the proposed day. Before, the offset was not read for
 * the times at all, and a candidate in London offered 19:30 in Mumbai.
 */
import { DateTime } from 'luxon';
import { describe, expect, it } from 'vitest';
import { findSlots, type SlotQuery } from '../../src/domain/slots.js';
import { minuteOfDayIn, weekdayIn } from '../../src/domain/time.js';
import type { Millis, Slot, StatedOffset } from '../../src/domain/types.js';

const office = { days: [1, 2, 3, 4, 5], start: '09:00', end: '17:00' };

function at(local: string, zone: string): Millis {
  const t = DateTime.fromISO(local, { zone });
  if (!t.isValid) throw new Error(`bad test time ${local} in ${zone}`);
  return t.toMillis();
}

function query(candidateZone: string, from: Millis, stated: StatedOffset): SlotQuery {
  return {
    busy: [],
    from,
    to: from + 8 * 86_400_000,
    durationMinutes: 30,
    bufferMinutes: 30,
    workingHours: office,
    timeZone: candidateZone,
    // Every slot there is, so that every one is checked.
    count: 100,
    recipientZone: null,
    recipientOffset: stated,
  };
}

/** The slots that do not lie in 08:00–18:00 of a working day in `zone`, as local text for a readable diff. */
function outsideDay(slots: readonly Slot[], zone: string, weekend: readonly number[]): string[] {
  return slots
    .filter((s) => {
      const from = minuteOfDayIn(zone, s.start);
      const to = minuteOfDayIn(zone, s.end);
      return weekend.includes(weekdayIn(zone, s.start)) || from < 8 * 60 || to > 18 * 60 || to <= from;
    })
    .map((s) => DateTime.fromMillis(s.start, { zone }).toFormat('ccc yyyy-MM-dd HH:mm ZZZZ'));
}

describe('proposed times for a recruiter known only by a stated offset', () => {
  it('GMT+5:30 to a candidate in London: only London mornings, which are Indian and Sri Lankan afternoons', () => {
    const call = at('2026-03-10T18:30', 'Asia/Kolkata');
    const slots = findSlots(query('Europe/London', call + 30 * 60_000, { at: call, offset: 330 }));
    expect(slots.length).toBeGreaterThan(0);
    expect(outsideDay(slots, 'Asia/Kolkata', [6, 7])).toEqual([]);
    expect(outsideDay(slots, 'Asia/Colombo', [6, 7])).toEqual([]);
  });

  it('GMT+3: never on a Friday or Saturday (Riyadh) nor a Saturday or Sunday (Moscow, Nairobi)', () => {
    const call = at('2026-03-10T16:00', 'Asia/Riyadh');
    const slots = findSlots(query('Europe/London', call + 30 * 60_000, { at: call, offset: 180 }));
    expect(slots.length).toBeGreaterThan(0);
    expect(outsideDay(slots, 'Asia/Riyadh', [5, 6])).toEqual([]);
    expect(outsideDay(slots, 'Europe/Moscow', [6, 7])).toEqual([]);
    expect(outsideDay(slots, 'Africa/Nairobi', [6, 7])).toEqual([]);
  });

  it('GMT+1 stated the Friday before Europe moves its clocks: after the change, still within the day in Berlin (CEST) and in Lagos (no change)', () => {
    // Reykjavik keeps GMT all year, so the candidate's own hours do not move with Europe's.
    const call = at('2026-03-27T11:00', 'Europe/Berlin');
    const slots = findSlots(query('Atlantic/Reykjavik', call + 30 * 60_000, { at: call, offset: 60 }));
    expect(slots.length).toBeGreaterThan(0);
    expect(outsideDay(slots, 'Europe/Berlin', [6, 7])).toEqual([]);
    expect(outsideDay(slots, 'Africa/Lagos', [6, 7])).toEqual([]);
    // Algiers keeps +1 and rests on Friday and Saturday.
    expect(outsideDay(slots, 'Africa/Algiers', [5, 6])).toEqual([]);
  });

  // Guard: a known zone is read as before, and the offset does not narrow it.
  it('a known zone wins over the offset (guard)', () => {
    const call = at('2026-03-10T18:30', 'Asia/Kolkata');
    const q = query('Europe/London', call + 30 * 60_000, { at: call, offset: 330 });
    const zoneOnly = findSlots({ ...q, recipientZone: 'Asia/Kolkata', recipientOffset: null });
    expect(findSlots({ ...q, recipientZone: 'Asia/Kolkata' })).toEqual(zoneOnly);
  });

  // Guard: a field nothing read before; it must stay harmless now that it is read.
  it('a hostile offset (not finite, or beyond any clock) is ignored rather than read as a place', () => {
    const call = at('2026-03-10T18:30', 'Asia/Kolkata');
    const q = query('Europe/London', call + 30 * 60_000, { at: call, offset: 330 });
    const none = findSlots({ ...q, recipientOffset: null });
    expect(findSlots({ ...q, recipientOffset: { at: call, offset: Number.NaN } })).toEqual(none);
    expect(findSlots({ ...q, recipientOffset: { at: Number.POSITIVE_INFINITY, offset: 330 } })).toEqual(none);
    expect(findSlots({ ...q, recipientOffset: { at: call, offset: 100_000 } })).toEqual(none);
  });
});
