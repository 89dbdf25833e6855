/**
 * The times offered to a recruiter fall on a working day of their zone's country, by CLDR's week
 * data (scripts/weekends.ts): before, a table of eight-odd zones, which took Afghanistan and Iran
 * to rest on Friday alone and offered Thursday, a day off in Kabul and a half day in Tehran, and
 * took Bangladesh's Friday-and-Saturday weekend from no source.
 */
import { describe, expect, it } from 'vitest';
import { findSlots } from '../../src/domain/slots.js';
import { weekdayIn } from '../../src/domain/time.js';
import type { Slot } from '../../src/domain/types.js';

const DAY = 86_400_000;
const OFFICE = { days: [1, 2, 3, 4, 5], start: '07:00', end: '19:00' };

/** Every free half hour for a week from Wednesday noon in London, for a recruiter in `zone`. */
function offered(zone: string, own = 'Europe/London'): Slot[] {
  const from = Date.UTC(2026, 2, 11, 12, 0);
  return findSlots({ busy: [], from, to: from + 8 * DAY, durationMinutes: 30, bufferMinutes: 0, workingHours: OFFICE, timeZone: own, recipientZone: zone, count: 100 });
}

function weekdays(slots: readonly Slot[], zone: string): number[] {
  return [...new Set(slots.map((slot) => weekdayIn(zone, slot.start)))].sort((a, b) => a - b);
}

describe('the recruiter’s working days', () => {
  it.each([
    // Thursday and Friday in Afghanistan (CLDR weekendStart thu, weekendEnd fri).
    ['Asia/Kabul', [1, 2, 3, 6, 7]],
    // Friday, and Thursday's half day.
    ['Asia/Tehran', [1, 2, 3, 6, 7]],
  ])('offers %s only its working days: %j', (zone, days) => {
    // A candidate who works all week, so that only the recruiter's week limits the days.
    const from = Date.UTC(2026, 2, 11, 12, 0);
    const slots = findSlots({ busy: [], from, to: from + 8 * DAY, durationMinutes: 30, bufferMinutes: 0, workingHours: { ...OFFICE, days: [1, 2, 3, 4, 5, 6, 7] }, timeZone: 'Europe/London', recipientZone: zone, count: 100 });
    expect(weekdays(slots, zone)).toEqual(days);
  });

  it('offers Dubai Monday to Friday, its week since 2022 (guard)', () => {
    expect(weekdays(offered('Asia/Dubai'), 'Asia/Dubai')).toEqual([1, 2, 3, 4, 5]);
  });

  it('offers Tel Aviv no Friday, by any of its names (guard)', () => {
    for (const zone of ['Asia/Jerusalem', 'Asia/Tel_Aviv', 'Israel']) expect(weekdays(offered(zone), zone), zone).toEqual([1, 2, 3, 4]);
  });

  it('offers Kolkata no Saturday, though CLDR names Sunday alone as India’s weekend', () => {
    const from = Date.UTC(2026, 2, 11, 12, 0);
    const slots = findSlots({ busy: [], from, to: from + 8 * DAY, durationMinutes: 30, bufferMinutes: 0, workingHours: { ...OFFICE, days: [1, 2, 3, 4, 5, 6, 7] }, timeZone: 'Europe/London', recipientZone: 'Asia/Kolkata', count: 100 });
    expect(weekdays(slots, 'Asia/Kolkata')).toEqual([1, 2, 3, 4, 5]);
  });
});
