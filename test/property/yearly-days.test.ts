/**
 * The YEARLY rules ical.js misreads, read by ical-setpos.ts (readHere), against RFC 5545 checked
 * day by day (rfc-yearly.ts): days of the month past the 28th under BYMONTH (February among them,
 * negative days too, with or without weekdays), and BYWEEKNO with or without weekdays, from any
 * WKST; INTERVAL, COUNT and UNTIL; starts from 1990 to 2040 on any day, windows of a few years. A
 * rule that gives no day at all is dropped with its reason, the entry's start kept, as the
 * reference gives it.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseCalendar } from '../../src/providers/calendar/ical-normalize.js';
import { entry } from './ical-reference.js';
import { rfcYearlyStarts } from './rfc-yearly.js';

const two = (n: number) => String(n).padStart(2, '0');
const DAYS = ['MO', 'TU', 'WE', 'TH', 'FR', 'SA', 'SU'] as const;
const weekdays = fc.option(fc.uniqueArray(fc.constantFrom(...DAYS), { minLength: 1, maxLength: 3 }), { nil: undefined });

const lateDays = fc.record({
  months: fc.uniqueArray(fc.oneof(fc.constant(2), fc.integer({ min: 1, max: 12 })), { minLength: 1, maxLength: 3 }),
  monthDays: fc.option(fc.uniqueArray(fc.oneof(fc.constantFrom(29, 30, 31, -29, -30, -31), fc.integer({ min: 1, max: 28 })), { minLength: 1, maxLength: 3 }), { nil: undefined }),
  days: weekdays,
}).map(({ months, monthDays, days }) => [
  `BYMONTH=${months.join(',')}`,
  // Without BYMONTHDAY the day is the start's: such rules are read here when it is past the 28th.
  ...(monthDays ? [`BYMONTHDAY=${monthDays.join(',')}`] : []),
  ...(days && monthDays ? [`BYDAY=${days.join(',')}`] : []),
]);
const weeks = fc.record({
  numbers: fc.uniqueArray(fc.oneof(fc.constantFrom(1, 2, 52, 53, -1, -53), fc.integer({ min: 1, max: 53 })), { minLength: 1, maxLength: 2 }),
  days: weekdays,
  weekStart: fc.option(fc.constantFrom(...DAYS), { nil: undefined }),
}).map(({ numbers, days, weekStart }) => [`BYWEEKNO=${numbers.join(',')}`, ...(days ? [`BYDAY=${days.join(',')}`] : []), ...(weekStart ? [`WKST=${weekStart}`] : [])]);

const start = fc
  .record({ y: fc.integer({ min: 1990, max: 2040 }), mo: fc.integer({ min: 1, max: 12 }), d: fc.integer({ min: 1, max: 31 }), h: fc.integer({ min: 0, max: 23 }) })
  .map(({ y, mo, d, h }) => ({ y, text: `${y}${two(mo)}${two(Math.min(d, new Date(Date.UTC(y, mo, 0)).getUTCDate()))}T${two(h)}0000Z` }));
const series = fc
  .record({
    start,
    parts: fc.oneof(lateDays, weeks),
    interval: fc.integer({ min: 1, max: 4 }),
    end: fc.oneof(fc.constant(''), fc.integer({ min: 1, max: 20 }).map((n) => `COUNT=${n}`), fc.integer({ min: 1, max: 40 }).map((n) => `UNTIL+${n}`)),
  })
  .map(({ start: { y, text }, parts, interval, end }) => {
    const ending = end.startsWith('UNTIL+') ? `UNTIL=${y + Number(end.slice(6))}0101T000000Z` : end;
    return { dtstart: text, rrule: ['FREQ=YEARLY', `INTERVAL=${interval}`, ...parts, ...(ending ? [ending] : [])].join(';') };
  });
const windowOf = fc.record({ year: fc.integer({ min: 2020, max: 2060 }), years: fc.integer({ min: 1, max: 6 }) }).map(({ year, years }) => ({ from: Date.UTC(year, 0, 1), to: Date.UTC(year + years, 0, 1) }));

describe('YEARLY rules of late days and of weeks, against RFC 5545 day by day', () => {
  it('keeps the occurrences the RFC gives in the window, and only those', () => {
    fc.assert(
      fc.property(series, windowOf, ({ dtstart, rrule }, range) => {
        // Only the rules read here: under BYMONTH alone a start's day up to the 28th goes through
        // ical.js (test/property/yearly.test.ts).
        fc.pre(/BYWEEKNO|BYMONTHDAY=[^;]*(29|30|31)/.test(rrule) || (!rrule.includes('BYMONTHDAY') && Number(dtstart.slice(6, 8)) > 28));
        const { events, skipped } = parseCalendar(entry(dtstart, rrule), range);
        // A rule that gives no day is dropped, named; the start stays (as the reference gives it).
        for (const item of skipped) expect(item.reason).toMatch(/never matches: only the entry's start/);
        expect(events.map((e) => e.start)).toEqual(rfcYearlyStarts(dtstart, rrule, range));
      }),
      { numRuns: 300 },
    );
  }, 120_000);
});
