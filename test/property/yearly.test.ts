/**
 * YEARLY rules as parseCalendar expands them (their search for a first matching year bounded to
 * one cycle of the calendar, their days charged to the entry's budget: ical-yearly.ts) give the
 * very occurrences in the window that ical.js alone gives, on sound rules: BYMONTH, BYMONTHDAY,
 * BYDAY with and without positions, BYSETPOS, INTERVAL, COUNT and UNTIL, starts from 1700 (before
 * and after ical.js's change from Julian to Gregorian leap years) to 2040, rules that match once
 * in decades, and days that exist in no month named (with UNTIL, so that ical.js alone ends its
 * search early enough for a test).
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { sameAsIcal } from './ical-reference.js';

const two = (n: number) => String(n).padStart(2, '0');
const DAYS = ['MO', 'TU', 'WE', 'TH', 'FR', 'SA', 'SU'] as const;
const weekday = fc.constantFrom(...DAYS);
const nonZero = (max: number) => fc.integer({ min: -max, max }).filter((n) => n !== 0);
const unique = <T>(values: readonly T[]) => [...new Set(values)];

/**
 * BY parts that match in some year, most of them within a few years. BYMONTHDAY is positive: with
 * BYDAY, ical.js never matches a negative one, and ical.js alone, the reference here, would search
 * up to the year 20000 on each such case (seconds each; the never-matching rules below carry an
 * UNTIL instead).
 */
const byParts = fc.oneof(
  // BYMONTH with BYDAY: weekdays of the month, or the nth of them; or some days of the month that
  // fall on given weekdays.
  fc.record({
    months: fc.uniqueArray(fc.integer({ min: 1, max: 12 }), { minLength: 1, maxLength: 3 }),
    days: fc.array(fc.oneof(weekday, fc.tuple(nonZero(4), weekday).map(([n, d]) => `${n}${d}`)), { minLength: 1, maxLength: 2 }),
    monthDays: fc.option(fc.uniqueArray(fc.integer({ min: 1, max: 28 }), { minLength: 1, maxLength: 3 }), { nil: undefined }),
    setPos: fc.option(nonZero(4), { nil: undefined }),
  }).map(({ months, days, monthDays, setPos }) => {
    const weekdays = days.every((d) => DAYS.includes(d as (typeof DAYS)[number]));
    const parts = [`BYMONTH=${months.join(',')}`, `BYDAY=${unique(days).join(',')}`];
    if (monthDays && weekdays) parts.push(`BYMONTHDAY=${monthDays.join(',')}`);
    else if (setPos !== undefined && weekdays) parts.push(`BYSETPOS=${setPos}`);
    return parts;
  }),
  fc.tuple(nonZero(52), weekday).map(([n, d]) => [`BYDAY=${n}${d}`]),
  fc.record({ monthDay: fc.integer({ min: 1, max: 28 }), days: fc.uniqueArray(weekday, { minLength: 1, maxLength: 2 }) }).map(({ monthDay, days }) => [`BYMONTHDAY=${monthDay}`, `BYDAY=${days.join(',')}`]),
  fc.constant([] as string[]),
);
/**
 * BY parts that match once in many years, so that the first match lies far from the start: 29
 * February on a given weekday (every 28 years, 40 across a century that is not a leap year), a
 * fifth weekday in February (the same), the 53rd weekday of a year (every 5 or 6 years).
 */
const rareParts = fc.oneof(
  weekday.map((d) => ['BYMONTH=2', 'BYMONTHDAY=29', `BYDAY=${d}`]),
  fc.tuple(fc.constantFrom(5, -5), weekday).map(([n, d]) => ['BYMONTH=2', `BYDAY=${n}${d}`]),
  fc.tuple(fc.constantFrom(53, -53), weekday).map(([n, d]) => [`BYDAY=${n}${d}`]),
  fc.constant<string[]>(['BYMONTH=2', 'BYMONTHDAY=29']),
);

const ruleOf = (parts: fc.Arbitrary<string[]>) =>
  fc
    .record({
      parts,
      interval: fc.oneof({ weight: 4, arbitrary: fc.integer({ min: 1, max: 4 }) }, { weight: 1, arbitrary: fc.constantFrom(7, 28, 100, 400) }),
      end: fc.oneof(fc.constant(''), fc.integer({ min: 1, max: 40 }).map((n) => `COUNT=${n}`), fc.integer({ min: 2030, max: 2600 }).map((y) => `UNTIL=${y}0101T000000Z`)),
    })
    .map(({ parts, interval, end }) => ['FREQ=YEARLY', `INTERVAL=${interval}`, ...parts, ...(end ? [end] : [])].join(';'));
/** A day that exists in no month the rule names: ical.js alone would look for it up to its UNTIL. */
const neverRule = fc
  .record({ days: fc.uniqueArray(weekday, { minLength: 1, maxLength: 7 }), until: fc.integer({ min: 2030, max: 2600 }), interval: fc.integer({ min: 1, max: 3 }) })
  .map(({ days, until, interval }) => `FREQ=YEARLY;INTERVAL=${interval};BYMONTH=2,4;BYMONTHDAY=31;BYDAY=${days.join(',')};UNTIL=${until}0101T000000Z`);

const start = fc
  .record({ y: fc.integer({ min: 1700, max: 2040 }), mo: fc.integer({ min: 1, max: 12 }), d: fc.integer({ min: 1, max: 28 }), h: fc.integer({ min: 0, max: 23 }) })
  .map(({ y, mo, d, h }) => `${String(y).padStart(4, '0')}${two(mo)}${two(d)}T${two(h)}0000Z`);
const windowOf = (maxYears: number) =>
  fc.record({ year: fc.integer({ min: 2020, max: 2060 }), years: fc.integer({ min: 1, max: maxYears }) }).map(({ year, years }) => ({
    from: Date.UTC(year, 0, 1),
    to: Date.UTC(year + years, 0, 1),
  }));

describe('YEARLY rules against ical.js alone', () => {
  it('keeps the same occurrences in the window, and leaves no entry out', () => {
    fc.assert(
      fc.property(start, fc.oneof({ weight: 9, arbitrary: ruleOf(byParts) }, { weight: 1, arbitrary: neverRule }), windowOf(4), (dtstart, rrule, range) => {
        sameAsIcal(dtstart, rrule, range);
      }),
      { numRuns: 120 },
    );
  }, 120_000);

  // The first match centuries after the start, or never: 29 February every 100 years from 2100 is
  // first in 2400 (on a Tuesday, as in 2000), every 200 years from 2200 too, every 400 years from
  // 2101 never. Without BYDAY ical.js finds a "29 February" in every year and the walk checks it;
  // with BYDAY it is the search for a first year that finds it.
  it.each([
    ['21000228T090000Z', 'FREQ=YEARLY;INTERVAL=100;BYMONTH=2;BYMONTHDAY=29', 2400, 1],
    ['22000101T090000Z', 'FREQ=YEARLY;INTERVAL=200;BYMONTH=2;BYMONTHDAY=29', 2400, 1],
    ['17000301T090000Z', 'FREQ=YEARLY;INTERVAL=100;BYMONTH=2;BYMONTHDAY=29', 2000, 1],
    ['21010101T090000Z', 'FREQ=YEARLY;INTERVAL=400;BYMONTH=2;BYMONTHDAY=29', 2401, 0],
    ['21000301T090000Z', 'FREQ=YEARLY;INTERVAL=100;BYMONTH=2;BYMONTHDAY=29;BYDAY=TU', 2400, 1],
  ])('finds the first match of %s %s in %i as ical.js does (or RFC 5545, where ical.js misreads it)', (dtstart, rrule, year, count) => {
    const range = { from: Date.UTC(year, 0, 1), to: Date.UTC(year + 1, 0, 1) };
    expect(sameAsIcal(dtstart, rrule, range)).toBe(count);
  });

  // A window of decades sees whether the first match, years after the start, was found.
  it('finds the first match of rules that match once in decades', () => {
    fc.assert(
      fc.property(start, ruleOf(rareParts), windowOf(80), (dtstart, rrule, range) => {
        sameAsIcal(dtstart, rrule, range);
      }),
      { numRuns: 150 },
    );
  }, 120_000);
});
