import { DateTime } from 'luxon';
import { describe, expect, it, test } from 'vitest';
import {
  dayPhrase,
  formatClockIn,
  formatPhoneForDisplay,
  formatTimeBothZones,
  formatTimeIn,
  isPlausiblePhone,
  minutesUntil,
  offsetAt,
  remembered,
  safeZone,
  sameWeek,
  zoneAbbrev,
  zonesDiffer,
} from '../../src/domain/format.js';

const NY = 'America/New_York';
const DAY_MS = 86_400_000;
const LA = 'America/Los_Angeles';
/** Tuesday, March 10, 2026, 3:00 PM in New York (EDT, two days after the switch). */
const SUMMER = Date.UTC(2026, 2, 10, 19, 0);
/** Tuesday, January 13, 2026, 3:00 PM in New York (EST). */
const WINTER = Date.UTC(2026, 0, 13, 20, 0);

describe('formatTimeIn', () => {
  test.each([
    [SUMMER, NY, 'Tuesday, March 10, 3:00 PM EDT'],
    [SUMMER, LA, 'Tuesday, March 10, 12:00 PM PDT'],
    [WINTER, NY, 'Tuesday, January 13, 3:00 PM EST'],
    [SUMMER, 'UTC', 'Tuesday, March 10, 7:00 PM UTC'],
    [SUMMER, 'Asia/Tokyo', 'Wednesday, March 11, 4:00 AM GMT+9'],
  ])('%i in %s reads %s', (t, zone, expected) => {
    expect(formatTimeIn(t, zone)).toBe(expected);
  });

  test('an unknown zone falls back to UTC instead of printing "Invalid DateTime"', () => {
    expect(formatTimeIn(SUMMER, 'Mars/Olympus_Mons')).toBe('Tuesday, March 10, 7:00 PM UTC');
    expect(safeZone('x'.repeat(10_000))).toBe('UTC');
    expect(safeZone(null)).toBe('UTC');
  });

  test('an impossible time does not throw', () => {
    expect(formatTimeIn(Number.NaN, NY)).toBe('an unknown time');
    expect(formatClockIn(8.64e15 * 10, NY)).toBe('an unknown time');
  });
});

describe('zoneAbbrev', () => {
  test.each([
    [SUMMER, NY, 'EDT'],
    [WINTER, NY, 'EST'],
    [WINTER, LA, 'PST'],
    [SUMMER, 'Europe/Berlin', 'GMT+1'],
    [SUMMER, 'Bogus/Zone', 'UTC'],
  ])('%i in %s is %s', (t, zone, expected) => {
    expect(zoneAbbrev(t, zone)).toBe(expected);
  });
});

describe('formatTimeBothZones', () => {
  test('adds the other zone when it reads differently', () => {
    expect(formatTimeBothZones(WINTER, NY, LA)).toBe('Tuesday, January 13, 3:00 PM EST (12:00 PM PST for you)');
    expect(formatTimeBothZones(WINTER, NY, LA, { withDate: false })).toBe('3:00 PM EST (12:00 PM PST for you)');
  });

  test('one zone only when they are equal, unknown, or share the offset', () => {
    expect(formatTimeBothZones(SUMMER, NY, NY)).toBe('Tuesday, March 10, 3:00 PM EDT');
    expect(formatTimeBothZones(SUMMER, NY, null)).toBe('Tuesday, March 10, 3:00 PM EDT');
    expect(formatTimeBothZones(SUMMER, NY, 'Not/AZone')).toBe('Tuesday, March 10, 3:00 PM EDT');
    expect(formatTimeBothZones(SUMMER, NY, 'America/Toronto')).toBe('Tuesday, March 10, 3:00 PM EDT');
    expect(zonesDiffer(SUMMER, NY, 'America/Toronto')).toBe(false);
  });

  test('the other reading carries its own date when its day differs', () => {
    expect(formatTimeBothZones(SUMMER, NY, 'Asia/Tokyo', { withDate: false })).toBe(
      '3:00 PM EDT (Wednesday, March 11, 4:00 AM GMT+9 for you)',
    );
  });

  test('the label names whose zone it is', () => {
    expect(formatTimeBothZones(WINTER, NY, LA, { withDate: false, otherLabel: 'for them' })).toBe(
      '3:00 PM EST (12:00 PM PST for them)',
    );
  });
});

describe('dayPhrase, sameWeek, minutesUntil', () => {
  const hour = 3_600_000;
  test.each([
    [SUMMER, SUMMER - 5 * hour, 'today'],
    [SUMMER, SUMMER - 24 * hour, 'tomorrow'],
    [SUMMER, SUMMER + 24 * hour, 'yesterday'],
    [SUMMER, SUMMER - 72 * hour, 'on Tuesday, March 10'],
  ])('%i seen from %i is %s', (t, ref, expected) => {
    expect(dayPhrase(t, ref, NY)).toBe(expected);
  });

  test('the day after a night when midnight came twice is still "tomorrow"', () => {
    // The Azores turn their clocks back from 01:00 to midnight on 2026-10-25: that day's start
    // comes twice, and a diff of two starts of day read it as 23/24 of a day.
    expect(dayPhrase(Date.UTC(2026, 9, 25, 14), Date.UTC(2026, 9, 24, 14), 'Atlantic/Azores')).toBe('tomorrow');
    expect(dayPhrase(Date.UTC(2026, 9, 24, 14), Date.UTC(2026, 9, 25, 14), 'Atlantic/Azores')).toBe('yesterday');
  });

  test('sameWeek follows ISO weeks in the zone', () => {
    expect(sameWeek(SUMMER + 48 * hour, SUMMER, NY)).toBe(true);
    expect(sameWeek(SUMMER + 7 * 24 * hour, SUMMER, NY)).toBe(false);
  });

  test('minutesUntil rounds and never says zero', () => {
    expect(minutesUntil(SUMMER, SUMMER - 25 * 60_000)).toBe(25);
    expect(minutesUntil(SUMMER, SUMMER - 89_000)).toBe(1);
    expect(minutesUntil(SUMMER, SUMMER + 60_000)).toBe(1);
  });
});

describe('formatPhoneForDisplay', () => {
  test.each([
    ['+14155550100', undefined, '+1 415-555-0100'],
    ['+442079460000', undefined, '+44 20 7946 0000'],
    ['+33612345678', undefined, '+33 6 12 34 56 78'],
    ['+14155550100', 'US', '(415) 555-0100'],
    ['+14155550100', 'us', '(415) 555-0100'],
    ['+442079460000', 'US', '+44 20 7946 0000'],
    ['+442079460000', 'GB', '020 7946 0000'],
  ])('%s seen from %s is %s', (e164, region, expected) => {
    expect(formatPhoneForDisplay(e164, region)).toBe(expected);
  });

  test('unparsable input is shown cleaned, never thrown on', () => {
    expect(formatPhoneForDisplay('+999999999')).toBe('+999999999');
    expect(formatPhoneForDisplay('call me\r\n<b>')).toBe('an unreadable number');
    expect(formatPhoneForDisplay('9'.repeat(1_000_000))).toMatch(/^9{1,40}$/);
  });

  test('plausibility uses the full metadata', () => {
    expect(isPlausiblePhone('+14155550100')).toBe(true);
    expect(isPlausiblePhone('+15555550100')).toBe(false);
    expect(isPlausiblePhone('+4412')).toBe(false);
    expect(isPlausiblePhone('nonsense')).toBe(false);
  });
});

describe('remembered readings of a zone', () => {
  it('keeps the last entries only, oldest out first, and computes again what went out', () => {
    const memo = new Map<string, number>();
    let computed = 0;
    const square = (n: number) => remembered(memo, String(n), () => (computed++, n * n));
    for (let n = 0; n < 2500; n++) expect(square(n)).toBe(n * n);
    expect(memo.size).toBe(2000);
    expect(computed).toBe(2500);
    expect(square(2499)).toBe(2499 * 2499);
    expect(computed).toBe(2500);
    expect(square(0)).toBe(0);
    expect(computed).toBe(2501);
  });

  it('remembers a null as a result, not as a miss', () => {
    const memo = new Map<string, number | null>();
    let computed = 0;
    for (let i = 0; i < 3; i++) expect(remembered(memo, 'k', () => (computed++, null))).toBeNull();
    expect(computed).toBe(1);
  });

  it('reads the offset of every zone at every instant as luxon does, asked once or again, past the memo size', () => {
    const zones = [NY, LA, 'Europe/London', 'Australia/Lord_Howe', 'Asia/Kathmandu', 'America/Havana', 'Atlantic/Azores', 'Not/AZone', 'UTC'];
    const from = Date.UTC(2025, 0, 1);
    for (let i = 0; i < 6000; i++) {
      const t = from + ((i * 7_919_333) % (3 * 365 * DAY_MS));
      const zone = zones[i % zones.length] as string;
      const expected = DateTime.fromMillis(t, { zone: safeZone(zone) }).offset;
      expect(offsetAt(t, zone)).toBe(expected);
      expect(offsetAt(t, zone)).toBe(expected);
    }
  });
});
