/**
 * MONTHLY rules as parseCalendar expands them (walked from whole years before the window when they
 * have no COUNT: ical-recurrence.ts, monthlyStart) give the very occurrences in the window that
 * ical.js alone gives, walking from DTSTART: BYDAY with and without positions, BYSETPOS, BYMONTHDAY
 * (negative too), BYMONTH, INTERVAL, UNTIL and COUNT, starts from 1900 to 2040, and rules whose
 * matches are years apart (a fifth Friday in February, the 31st of a month every 7 months).
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { sameAsIcal } from './ical-reference.js';

const two = (n: number) => String(n).padStart(2, '0');
const DAYS = ['MO', 'TU', 'WE', 'TH', 'FR', 'SA', 'SU'] as const;
const weekday = fc.constantFrom(...DAYS);
const nonZero = (max: number) => fc.integer({ min: -max, max }).filter((n) => n !== 0);

const byParts = fc.oneof(
  fc.constant([] as string[]),
  fc.uniqueArray(fc.oneof(nonZero(31), fc.constantFrom(29, 30, 31, -29, -30, -31)), { minLength: 1, maxLength: 3 }).map((d) => [`BYMONTHDAY=${d.join(',')}`]),
  fc.tuple(fc.uniqueArray(weekday, { minLength: 1, maxLength: 5 }), fc.option(nonZero(5), { nil: undefined })).map(([days, pos]) => [`BYDAY=${days.join(',')}`, ...(pos === undefined ? [] : [`BYSETPOS=${pos}`])]),
  fc.tuple(fc.integer({ min: -4, max: 4 }).filter((n) => n !== 0), weekday).map(([n, d]) => [`BYDAY=${n}${d}`]),
  fc.tuple(fc.constantFrom(5, -5), weekday).map(([n, d]) => [`BYDAY=${n}${d}`]),
  fc.tuple(fc.integer({ min: 1, max: 28 }), weekday).map(([md, d]) => [`BYMONTHDAY=${md}`, `BYDAY=${d}`]),
);
const byMonth = fc.option(fc.uniqueArray(fc.integer({ min: 1, max: 12 }), { minLength: 1, maxLength: 3 }), { nil: undefined });

const rule = fc
  .record({
    parts: byParts,
    months: byMonth,
    interval: fc.oneof({ weight: 4, arbitrary: fc.integer({ min: 1, max: 4 }) }, { weight: 1, arbitrary: fc.constantFrom(5, 7, 18, 25, 1200) }),
    end: fc.oneof({ weight: 3, arbitrary: fc.constant('') }, { weight: 1, arbitrary: fc.integer({ min: 1, max: 40 }).map((n) => `COUNT=${n}`) }, { weight: 1, arbitrary: fc.integer({ min: 2020, max: 2100 }).map((y) => `UNTIL=${y}0101T000000Z`) }),
  })
  // ical.js refuses (throws on) a BYMONTHDAY with a BYDAY it does not meet within 4 years; that is
  // an unreadable entry, not a bound, so BYMONTH and long INTERVALs join only the rules without both.
  .map(({ parts, months, interval, end }) => {
    const both = parts.some((p) => p.startsWith('BYMONTHDAY')) && parts.some((p) => p.startsWith('BYDAY'));
    const withMonths = months && !(parts.some((p) => p.startsWith('BYMONTHDAY')) && parts.some((p) => p.startsWith('BYDAY'))) ? [`BYMONTH=${months.join(',')}`] : [];
    return ['FREQ=MONTHLY', `INTERVAL=${both ? Math.min(interval, 4) : interval}`, ...parts, ...withMonths, ...(end ? [end] : [])].join(';');
  });

const start = fc
  .record({ y: fc.integer({ min: 1900, max: 2040 }), mo: fc.integer({ min: 1, max: 12 }), d: fc.integer({ min: 1, max: 31 }), h: fc.integer({ min: 0, max: 23 }) })
  .filter(({ y, mo, d }) => new Date(Date.UTC(y, mo - 1, d)).getUTCDate() === d)
  .map(({ y, mo, d, h }) => `${y}${two(mo)}${two(d)}T${two(h)}0000Z`);
const windowOf = fc.record({ year: fc.integer({ min: 2020, max: 2060 }), months: fc.integer({ min: 1, max: 30 }) }).map(({ year, months }) => ({
  from: Date.UTC(year, 0, 1),
  to: Date.UTC(year, months, 1),
}));

describe('MONTHLY rules against ical.js alone', () => {
  it('keeps the same occurrences in the window, and leaves no entry out', () => {
    fc.assert(
      fc.property(start, rule, windowOf, (dtstart, rrule, range) => {
        sameAsIcal(dtstart, rrule, range);
      }),
      { numRuns: 150 },
    );
  }, 120_000);

  // Far from the start: the last weekday of the month since 1800 (4 s of CPU at each sync before),
  // a fifth Friday of February (once in 28 years) since 1700, every 7 months on the 31st.
  it.each([
    ['18000115T090000Z', 'FREQ=MONTHLY;BYDAY=MO,TU,WE,TH,FR;BYSETPOS=-1', 2031, 12],
    ['17000301T090000Z', 'FREQ=MONTHLY;BYMONTH=2;BYDAY=5FR', 2036, 1],
    ['19500131T090000Z', 'FREQ=MONTHLY;INTERVAL=7;BYMONTHDAY=31', 2031, 0],
    ['19000228T090000Z', 'FREQ=MONTHLY;INTERVAL=12;BYMONTHDAY=29', 2032, 0],
    ['19000210T090000Z', 'FREQ=MONTHLY;INTERVAL=5;BYDAY=-1SU', 2031, 2],
    // A start on the 29th of a month other than February walks from it too (found by the
    // property above: 122 years of three weekdays a month ran out of steps before the window).
    ['19000129T000000Z', 'FREQ=MONTHLY;INTERVAL=1;BYDAY=MO,TU,TH', 2022, 156],
  ])('finds the occurrences of %s %s in %i as ical.js does', (dtstart, rrule, year, count) => {
    const range = { from: Date.UTC(year, 0, 1), to: Date.UTC(year + 1, 0, 1) };
    expect(sameAsIcal(dtstart, rrule, range)).toBe(count);
  });
});
