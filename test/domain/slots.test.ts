import fc from 'fast-check';
import { DateTime } from 'luxon';
import { describe, expect, it } from 'vitest';
import { findSlots, type SlotQuery, type WorkingHours } from '../../src/domain/slots.js';
import {
  atLocalTime,
  clockIn,
  hours,
  isValidZone,
  localDateIn,
  minutes,
  parseClock,
  startOfDayIn,
  weekdayIn,
} from '../../src/domain/time.js';
import type { Millis, Slot } from '../../src/domain/types.js';

const NY = 'America/New_York';
const LON = 'Europe/London';
const office: WorkingHours = { days: [1, 2, 3, 4, 5], start: '09:00', end: '17:00' };

function at(local: string, zone = NY): Millis {
  const t = DateTime.fromISO(local, { zone });
  if (!t.isValid) throw new Error(`bad test time ${local} in ${zone}`);
  return t.toMillis();
}

/** Slots as local `YYYY-MM-DD HH:MM–HH:MM`, which reads well in a failing diff. */
function local(slots: readonly Slot[], zone = NY): string[] {
  return slots.map((s) => `${localDateIn(zone, s.start)} ${clockIn(zone, s.start)}–${clockIn(zone, s.end)}`);
}

function query(over: Partial<SlotQuery> = {}): SlotQuery {
  return {
    busy: [],
    from: at('2025-06-09T08:00'), // a Monday
    to: at('2025-06-14T00:00'),
    durationMinutes: 30,
    bufferMinutes: 30,
    workingHours: office,
    timeZone: NY,
    count: 3,
    ...over,
  };
}

const busy = (start: string, end: string, zone = NY) => ({ start: at(start, zone), end: at(end, zone) });

describe('findSlots', () => {
  it.each<{ name: string; q: SlotQuery; zone?: string; expected: string[] }>([
    {
      name: 'a free week: the first slot of each of three days',
      q: query(),
      expected: ['2025-06-09 09:00–09:30', '2025-06-10 09:00–09:30', '2025-06-11 09:00–09:30'],
    },
    {
      name: 'a busy morning pushes the day’s slot past busy time and buffer',
      q: query({ busy: [busy('2025-06-09T09:00', '2025-06-09T12:00')] }),
      expected: ['2025-06-09 12:30–13:00', '2025-06-10 09:00–09:30', '2025-06-11 09:00–09:30'],
    },
    {
      name: 'touching busy time is fine without a buffer',
      q: query({ bufferMinutes: 0, busy: [busy('2025-06-09T09:00', '2025-06-09T12:00')] }),
      expected: ['2025-06-09 12:00–12:30', '2025-06-10 09:00–09:30', '2025-06-11 09:00–09:30'],
    },
    {
      name: 'the buffer after a slot must be free as well',
      q: query({ busy: [busy('2025-06-09T09:45', '2025-06-09T10:00')] }),
      expected: ['2025-06-09 10:30–11:00', '2025-06-10 09:00–09:30', '2025-06-11 09:00–09:30'],
    },
    {
      name: 'a buffer may reach before working hours (busy until exactly 08:30)',
      q: query({ busy: [busy('2025-06-09T07:00', '2025-06-09T08:30')] }),
      expected: ['2025-06-09 09:00–09:30', '2025-06-10 09:00–09:30', '2025-06-11 09:00–09:30'],
    },
    {
      name: 'but it must be free there (busy until 08:31)',
      q: query({ busy: [busy('2025-06-09T07:00', '2025-06-09T08:31')] }),
      expected: ['2025-06-09 09:30–10:00', '2025-06-10 09:00–09:30', '2025-06-11 09:00–09:30'],
    },
    {
      name: 'a slot ends by the end of working hours',
      q: query({
        durationMinutes: 60,
        bufferMinutes: 0,
        to: at('2025-06-10T00:00'),
        count: 1,
        busy: [busy('2025-06-09T08:00', '2025-06-09T16:00')],
      }),
      expected: ['2025-06-09 16:00–17:00'],
    },
    {
      name: 'no room before the end of working hours: the next day',
      q: query({ durationMinutes: 60, bufferMinutes: 0, count: 1, busy: [busy('2025-06-09T08:00', '2025-06-09T16:01')] }),
      expected: ['2025-06-10 09:00–10:00'],
    },
    {
      name: 'the weekend is skipped',
      q: query({ from: at('2025-06-13T16:45'), to: at('2025-06-21T00:00') }),
      expected: ['2025-06-16 09:00–09:30', '2025-06-17 09:00–09:30', '2025-06-18 09:00–09:30'],
    },
    {
      name: 'weekend-only working hours',
      q: query({ workingHours: { days: [6, 7], start: '10:00', end: '12:00' }, to: at('2025-06-21T00:00') }),
      expected: ['2025-06-14 10:00–10:30', '2025-06-15 10:00–10:30', '2025-06-14 11:00–11:30'].sort(),
    },
    {
      name: 'one day only: spread through the day, a buffer apart',
      q: query({ to: at('2025-06-09T17:00') }),
      expected: ['2025-06-09 09:00–09:30', '2025-06-09 10:00–10:30', '2025-06-09 11:00–11:30'],
    },
    {
      name: 'one day only, no buffer: back to back',
      q: query({ to: at('2025-06-09T17:00'), bufferMinutes: 0 }),
      expected: ['2025-06-09 09:00–09:30', '2025-06-09 09:30–10:00', '2025-06-09 10:00–10:30'],
    },
    {
      name: 'every day gets one before any gets a second',
      q: query({ count: 4, to: at('2025-06-12T00:00'), busy: [busy('2025-06-10T08:00', '2025-06-10T16:00')] }),
      expected: ['2025-06-09 09:00–09:30', '2025-06-09 10:00–10:30', '2025-06-10 16:30–17:00', '2025-06-11 09:00–09:30'],
    },
    {
      name: 'starts on the grid, not at `from`',
      q: query({ from: at('2025-06-09T09:10'), count: 1 }),
      expected: ['2025-06-09 09:30–10:00'],
    },
    {
      name: 'a finer grid',
      q: query({ from: at('2025-06-09T09:10'), count: 1, stepMinutes: 15 }),
      expected: ['2025-06-09 09:15–09:45'],
    },
    {
      name: 'the grid counts from midnight even when the day starts off it',
      q: query({ workingHours: { ...office, start: '09:10' }, count: 1 }),
      expected: ['2025-06-09 09:30–10:00'],
    },
    {
      name: 'calls shorter than 15 minutes are planned as 15',
      q: query({ durationMinutes: 5, count: 1 }),
      expected: ['2025-06-09 09:00–09:15'],
    },
    {
      name: 'the search window ends the search',
      q: query({ to: at('2025-06-09T09:29') }),
      expected: [],
    },
    {
      name: 'no free slot: nothing is invented',
      q: query({ busy: [busy('2025-06-01T00:00', '2025-07-01T00:00')] }),
      expected: [],
    },
    {
      name: 'overlapping and reversed busy entries are merged; unusable ones ignored',
      q: query({
        to: at('2025-06-10T00:00'),
        busy: [
          busy('2025-06-09T10:00', '2025-06-09T08:00'),
          busy('2025-06-09T09:30', '2025-06-09T12:00'),
          busy('2025-06-09T11:00', '2025-06-09T16:00'),
          { start: Number.NaN, end: at('2025-06-09T17:00') },
        ],
      }),
      expected: ['2025-06-09 16:30–17:00'],
    },
    {
      name: 'count 0 or a window that ends before it starts: none',
      q: query({ count: 0 }),
      expected: [],
    },
    {
      name: 'a window that ends before it starts: none',
      q: query({ from: at('2025-06-10T00:00'), to: at('2025-06-09T00:00') }),
      expected: [],
    },
    {
      name: 'working hours that end before they start: none',
      q: query({ workingHours: { ...office, start: '17:00', end: '09:00' } }),
      expected: [],
    },
  ])('$name', ({ q, zone, expected }) => {
    expect(local(findSlots(q), zone)).toEqual(expected);
  });

  describe('DST weeks and far zones', () => {
    it.each<{ name: string; q: SlotQuery; zone: string; expected: string[]; utc?: string[] }>([
      {
        name: 'New York, spring forward: Friday 09:00 is 14:00Z, Monday 09:00 is 13:00Z',
        zone: NY,
        q: query({ from: at('2025-03-07T08:00'), to: at('2025-03-11T00:00') }),
        expected: ['2025-03-07 09:00–09:30', '2025-03-10 09:00–09:30', '2025-03-07 10:00–10:30'].sort(),
        utc: ['2025-03-07T14:00:00.000Z', '2025-03-07T15:00:00.000Z', '2025-03-10T13:00:00.000Z'],
      },
      {
        name: 'New York, the night clocks spring forward: 02:00 and 02:30 do not exist',
        zone: NY,
        q: query({
          workingHours: { days: [7], start: '02:00', end: '04:00' },
          bufferMinutes: 0,
          from: at('2025-03-09T00:00'),
          to: at('2025-03-10T00:00'),
        }),
        expected: ['2025-03-09 03:00–03:30', '2025-03-09 03:30–04:00'],
        utc: ['2025-03-09T07:00:00.000Z', '2025-03-09T07:30:00.000Z'],
      },
      {
        name: 'New York, spring forward on a 45-minute grid: the skipped 02:15 does not become 03:15',
        zone: NY,
        q: query({
          workingHours: { days: [7], start: '01:00', end: '05:00' },
          durationMinutes: 15,
          bufferMinutes: 0,
          stepMinutes: 45,
          count: 10,
          from: at('2025-03-09T00:00'),
          to: at('2025-03-10T00:00'),
        }),
        expected: ['2025-03-09 01:30–01:45', '2025-03-09 03:00–03:15', '2025-03-09 03:45–04:00', '2025-03-09 04:30–04:45'],
      },
      {
        name: 'New York, the night clocks fall back: a 25-hour day keeps its wall-clock grid',
        zone: NY,
        q: query({
          workingHours: { days: [7], start: '00:00', end: '03:00' },
          durationMinutes: 60,
          bufferMinutes: 0,
          stepMinutes: 60,
          from: at('2025-11-02T00:00'),
          to: at('2025-11-03T00:00'),
        }),
        expected: ['2025-11-02 00:00–01:00', '2025-11-02 01:00–01:00', '2025-11-02 02:00–03:00'],
        utc: ['2025-11-02T04:00:00.000Z', '2025-11-02T05:00:00.000Z', '2025-11-02T07:00:00.000Z'],
      },
      {
        name: 'London, the week clocks go forward',
        zone: LON,
        q: query({ timeZone: LON, from: at('2025-03-28T08:00', LON), to: at('2025-04-01T00:00', LON) }),
        expected: ['2025-03-28 09:00–09:30', '2025-03-28 10:00–10:30', '2025-03-31 09:00–09:30'],
        utc: ['2025-03-28T09:00:00.000Z', '2025-03-28T10:00:00.000Z', '2025-03-31T08:00:00.000Z'],
      },
      {
        name: 'London, the week clocks go back',
        zone: LON,
        q: query({ timeZone: LON, count: 2, from: at('2025-10-24T08:00', LON), to: at('2025-10-28T00:00', LON) }),
        expected: ['2025-10-24 09:00–09:30', '2025-10-27 09:00–09:30'],
        utc: ['2025-10-24T08:00:00.000Z', '2025-10-27T09:00:00.000Z'],
      },
      {
        name: 'Kiritimati (UTC+14): Tuesday there while still Monday in UTC',
        zone: 'Pacific/Kiritimati',
        q: query({ timeZone: 'Pacific/Kiritimati', from: Date.UTC(2025, 5, 9, 0, 0), to: Date.UTC(2025, 5, 12, 0, 0) }),
        expected: ['2025-06-09 14:00–14:30', '2025-06-10 09:00–09:30', '2025-06-11 09:00–09:30'],
        utc: ['2025-06-09T00:00:00.000Z', '2025-06-09T19:00:00.000Z', '2025-06-10T19:00:00.000Z'],
      },
      {
        name: 'Pago Pago (UTC−11): still Friday there while Saturday in UTC',
        zone: 'Pacific/Pago_Pago',
        q: query({ timeZone: 'Pacific/Pago_Pago', from: Date.UTC(2025, 5, 14, 0, 0), to: Date.UTC(2025, 5, 19, 0, 0) }),
        expected: ['2025-06-13 13:00–13:30', '2025-06-16 09:00–09:30', '2025-06-17 09:00–09:30'],
        utc: ['2025-06-14T00:00:00.000Z', '2025-06-16T20:00:00.000Z', '2025-06-17T20:00:00.000Z'],
      },
    ])('$name', ({ q, zone, expected, utc }) => {
      const slots = findSlots(q);
      expect(local(slots, zone)).toEqual(expected);
      if (utc) expect(slots.map((s) => new Date(s.start).toISOString())).toEqual(utc);
      for (const s of slots) expect(s.end - s.start).toBe(minutes(Math.max(15, q.durationMinutes)));
    });
  });

  it('refuses an unknown zone or malformed working hours', () => {
    expect(() => findSlots(query({ timeZone: 'Mars/Olympus_Mons' }))).toThrow(/Mars\/Olympus_Mons/);
    expect(() => findSlots(query({ workingHours: { ...office, end: '5pm' } }))).toThrow(RangeError);
  });

  it('keeps every promise for random busy calendars', () => {
    const from = at('2025-03-06T07:00');
    const span = 10 * 24 * 60;
    const interval = fc
      .record({ at: fc.integer({ min: -600, max: span }), length: fc.integer({ min: 0, max: 600 }) })
      .map(({ at: start, length }) => ({ start: from + minutes(start), end: from + minutes(start + length) }));
    fc.assert(
      fc.property(
        fc.array(interval, { maxLength: 30 }),
        fc.integer({ min: 0, max: 90 }),
        fc.integer({ min: 0, max: 120 }),
        fc.constantFrom(15, 20, 30, 60),
        fc.integer({ min: 1, max: 6 }),
        (busyList, buffer, duration, step, count) => {
          const q = query({ busy: busyList, bufferMinutes: buffer, durationMinutes: duration, stepMinutes: step, count, from, to: from + minutes(span) });
          const slots = findSlots(q);
          expect(slots.length).toBeLessThanOrEqual(count);
          slots.forEach((s, i) => {
            expect(s.end - s.start).toBe(minutes(Math.max(15, duration)));
            expect(s.start).toBeGreaterThanOrEqual(q.from);
            expect(s.end).toBeLessThanOrEqual(q.to);
            expect(office.days).toContain(weekdayIn(NY, s.start));
            expect(s.start).toBeGreaterThanOrEqual(atLocalTime(NY, s.start, '09:00'));
            expect(s.end).toBeLessThanOrEqual(atLocalTime(NY, s.start, '17:00'));
            expect(parseClock(clockIn(NY, s.start)) % step).toBe(0);
            for (const b of busyList) {
              expect(s.start - minutes(buffer) < b.end && b.start < s.end + minutes(buffer)).toBe(false);
            }
            const prev = slots[i - 1];
            if (prev) expect(prev.end).toBeLessThanOrEqual(s.start);
          });
          const days = slots.map((s) => localDateIn(NY, s.start));
          const repeated = days.filter((d, i) => days.indexOf(d) !== i);
          // A day holds a second slot only when no other day in the window had one to give.
          if (repeated.length > 0) {
            const free = findSlots({ ...q, count: 100 });
            const daysWithRoom = new Set(free.map((s) => localDateIn(NY, s.start)));
            expect(new Set(days).size).toBe(Math.min(daysWithRoom.size, count));
          }
        },
      ),
      { numRuns: 200 },
    );
  });
});

describe('time helpers', () => {
  it.each([
    { zone: NY, t: at('2025-03-09T12:00'), hoursLong: 23 },
    { zone: NY, t: at('2025-11-02T12:00'), hoursLong: 25 },
    { zone: NY, t: at('2025-06-10T12:00'), hoursLong: 24 },
    { zone: LON, t: at('2025-03-30T12:00', LON), hoursLong: 23 },
    { zone: LON, t: at('2025-10-26T12:00', LON), hoursLong: 25 },
  ])('the day of $t in $zone is $hoursLong hours long', ({ zone, t, hoursLong }) => {
    const start = startOfDayIn(zone, t);
    expect(atLocalTime(zone, t, '24:00') - start).toBe(hours(hoursLong));
    expect(clockIn(zone, start)).toBe('00:00');
  });

  it.each([
    { zone: 'Pacific/Kiritimati', t: Date.UTC(2025, 5, 9, 11, 0), weekday: 2, date: '2025-06-10' },
    { zone: 'Pacific/Pago_Pago', t: Date.UTC(2025, 5, 9, 5, 0), weekday: 7, date: '2025-06-08' },
    { zone: 'UTC', t: Date.UTC(2025, 5, 9, 5, 0), weekday: 1, date: '2025-06-09' },
  ])('$t is ISO weekday $weekday ($date) in $zone', ({ zone, t, weekday, date }) => {
    expect(weekdayIn(zone, t)).toBe(weekday);
    expect(localDateIn(zone, t)).toBe(date);
  });

  it.each([
    { clock: '02:30', expected: '2025-03-09T03:30:00.000-04:00' },
    { clock: '03:00', expected: '2025-03-09T03:00:00.000-04:00' },
    { clock: '09:15', expected: '2025-03-09T09:15:00.000-04:00' },
    { clock: '00:00', expected: '2025-03-09T00:00:00.000-05:00' },
  ])('atLocalTime $clock on the New York spring-forward day', ({ clock, expected }) => {
    expect(atLocalTime(NY, at('2025-03-09T18:00'), clock)).toBe(DateTime.fromISO(expected).toMillis());
  });

  it.each([
    ['00:00', 0],
    ['9:05', 545],
    ['23:59', 1439],
    ['24:00', 1440],
  ])('parseClock(%s) = %i', (clock, n) => {
    expect(parseClock(clock)).toBe(n);
  });

  it.each(['24:01', '25:00', '12:60', '12', '12:5', 'noon', ' 09:00', ''])('parseClock refuses %j', (clock) => {
    expect(() => parseClock(clock)).toThrow(RangeError);
  });

  it.each([
    ['America/New_York', true],
    ['Pacific/Kiritimati', true],
    ['UTC', true],
    ['Mars/Olympus_Mons', false],
    ['', false],
  ])('isValidZone(%j) = %s', (zone, valid) => {
    expect(isValidZone(zone)).toBe(valid);
  });

  it('throws a RangeError naming an unknown zone or time', () => {
    expect(() => startOfDayIn('Nowhere/Land', 0)).toThrow(/Nowhere\/Land/);
    expect(() => weekdayIn(NY, Number.NaN)).toThrow(RangeError);
  });

  it('converts durations', () => {
    expect([minutes(1), minutes(90), hours(1), hours(24)]).toEqual([60_000, 5_400_000, 3_600_000, 86_400_000]);
  });
});

describe('findSlots for both parties', () => {
  const LA = 'America/Los_Angeles';

  it('keeps to 08:00-18:00 in the recipient’s zone when it is known', () => {
    // 09:00-17:00 in New York is 06:00-14:00 in California: only 11:00 New York onwards fits.
    const slots = findSlots(query({ recipientZone: LA, count: 10 }));
    expect(slots.length).toBeGreaterThan(0);
    for (const s of slots) {
      expect(parseClock(clockIn(LA, s.start))).toBeGreaterThanOrEqual(8 * 60);
      expect(parseClock(clockIn(LA, s.end))).toBeLessThanOrEqual(18 * 60);
    }
    expect(local(findSlots(query({ recipientZone: LA })))[0]).toBe('2025-06-09 11:00–11:30');
  });

  it('gives nothing rather than a time outside someone’s day', () => {
    // Tokyo is 13 hours ahead of New York in June: no hour is inside both days.
    expect(findSlots(query({ recipientZone: 'Asia/Tokyo' }))).toEqual([]);
  });

  it('an unknown recipient zone changes nothing', () => {
    expect(findSlots(query({ recipientZone: 'Not/AZone' }))).toEqual(findSlots(query()));
  });

  it('spreads the picks over times of day when asked', () => {
    const spread = local(findSlots(query({ spreadTimesOfDay: true })));
    expect(spread).toEqual(['2025-06-09 09:00–09:30', '2025-06-10 12:00–12:30', '2025-06-11 14:00–14:30']);
    expect(local(findSlots(query()))).toEqual(['2025-06-09 09:00–09:30', '2025-06-10 09:00–09:30', '2025-06-11 09:00–09:30']);
  });
});
