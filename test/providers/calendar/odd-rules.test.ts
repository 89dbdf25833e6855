/**
 * Odd entries and zones of one calendar cost a bounded CPU time, measured per calendar through
 * process.cpuUsage (test/support/cpu-time.ts), not wall time. Figures before and after are in the
 * README, "Odd calendar entries".
 */
import { describe, expect, it } from 'vitest';
import { parseCalendar } from '../../../src/providers/calendar/ical-normalize.js';
import { plainReadingCpuMs, withCpuTime } from '../../support/cpu-time.js';
import { icalStarts } from '../../property/ical-reference.js';

const WINDOW = { from: Date.UTC(2031, 0, 1), to: Date.UTC(2031, 1, 1) };
const sinceYear1 = (rrule: string): string => ['BEGIN:VEVENT', 'UID:old', 'DTSTART:00010101T000000Z', 'DURATION:PT1M', `RRULE:${rrule}`, 'END:VEVENT'].join('\r\n');

const calendar = (parts: readonly string[]): string => ['BEGIN:VCALENDAR', 'VERSION:2.0', ...parts, 'END:VCALENDAR', ''].join('\r\n');

describe('odd calendars', () => {
  // Each zone's search for a first change was bounded, but not the zones of a calendar in all:
  // twenty zones whose rule never matches, begun in the year 1, cost 5.3 s of CPU.
  it('charges the searches of all the time zones of a calendar to one budget', () => {
    const zones = Array.from({ length: 20 }, (_, i) =>
      [
        'BEGIN:VTIMEZONE',
        `TZID:Zone ${i}`,
        'BEGIN:STANDARD',
        'DTSTART:00011025T030000',
        'TZOFFSETFROM:+0200',
        'TZOFFSETTO:+0100',
        'RRULE:FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=30;BYDAY=MO,TU,WE,TH,FR,SA,SU',
        'END:STANDARD',
        'END:VTIMEZONE',
      ].join('\r\n'),
    );
    const plain = ['BEGIN:VEVENT', 'UID:plain', 'DTSTART:20310110T090000Z', 'DURATION:PT1H', 'END:VEVENT'].join('\r\n');
    const { value, cpuMs } = withCpuTime(() => parseCalendar(calendar([...zones, plain]), WINDOW));
    expect(value.events.map((e) => e.id)).toEqual(['plain']);
    const reasons = value.skipped.map((s) => s.reason);
    expect(reasons).toHaveLength(20);
    // The first zone spends its own bound, the second the rest of the calendar's.
    expect(reasons[0]).toBe('unreadable time zone: a clock change rule (RRULE) takes too long to find its first change');
    expect(new Set(reasons.slice(1))).toEqual(
      new Set(["unreadable time zone: the clock change rules (RRULE) of this calendar's time zones take too long to check in all; this zone and the next ones with a rule are left out"]),
    );
    // Two zones' searches (~0.5 s on a loaded machine), with room for a loaded CI.
    expect(cpuMs).toBeLessThan(1_500);
  });

  // Date.UTC (and ical.js's toUnixTime) read the years 0-99 as 1900-1999: a series begun in the
  // year 1 was read as begun in 1901, its walk began 1,900 years short of the window, and the
  // entry was left out ("too many steps") after 0.6-0.7 s of CPU.
  it.each([
    ['FREQ=HOURLY', 3_600_000],
    ['FREQ=MINUTELY;INTERVAL=60', 3_600_000],
    ['FREQ=SECONDLY;INTERVAL=7200', 7_200_000],
    ['FREQ=DAILY', 86_400_000],
  ])('reads a series of %s begun in the year 1 in its own year, and reaches the window at once', (rrule, every) => {
    const { value, cpuMs } = withCpuTime(() => parseCalendar(calendar([sinceYear1(rrule)]), WINDOW, { maxOccurrencesPerEvent: 5_000 }));
    expect(value.skipped).toEqual([]);
    // Whole days apart from the start in any calendar: ical.js's leap years before 1752 are
    // Julian, which adds whole days.
    const first = new Date('0001-01-01T00:00:00Z').getTime();
    const expected: number[] = [];
    for (let t = first + Math.ceil((WINDOW.from - first) / every) * every; t < WINDOW.to; t += every) expected.push(t);
    expect(value.events.map((e) => e.start)).toEqual(expected);
    expect(cpuMs).toBeLessThan(400);
  });

  // Weeks counted from the year 1 land where ical.js's own days (Julian leap years up to 1752)
  // put them; ical.js alone walks the 53,000 fortnights from the start.
  it('reads a fortnightly series begun in the year 1 as ical.js alone does', () => {
    const text = calendar([sinceYear1('FREQ=WEEKLY;INTERVAL=2;BYDAY=MO,TH')]);
    const { value, cpuMs } = withCpuTime(() => parseCalendar(text, WINDOW));
    expect(value.skipped).toEqual([]);
    expect(value.events.map((e) => e.start)).toEqual(icalStarts(text, WINDOW));
    expect(value.events).toHaveLength(5);
    expect(cpuMs).toBeLessThan(400);
  });

  it('reads an entry of the year 31 in the year 31, not 1931', () => {
    const entry = ['BEGIN:VEVENT', 'UID:y31', 'DTSTART:00310110T090000Z', 'DTEND:00310110T100000Z', 'END:VEVENT'].join('\r\n');
    const start = new Date('0031-01-10T09:00:00Z').getTime();
    const { events } = parseCalendar(calendar([entry]), { from: start - 86_400_000, to: start + 86_400_000 });
    expect(events.map((e) => [e.start, e.end])).toEqual([[start, start + 3_600_000]]);
  });

  // ical.js reads each month a MONTHLY rule walks from DTSTART; "the last weekday of the month"
  // checks each day of it against each weekday twice: 0.4 s at each sync from 2001, 4.2 s from
  // 1800, 14 s (then left out) from the year 1.
  it.each(['00010115T090000Z', '18000115T090000Z', '20010115T090000Z'])('walks the last weekday of the month from %s in little CPU time', (dtstart) => {
    const entry = ['BEGIN:VEVENT', 'UID:last', `DTSTART:${dtstart}`, 'DURATION:PT1H', 'RRULE:FREQ=MONTHLY;BYDAY=MO,TU,WE,TH,FR;BYSETPOS=-1', 'END:VEVENT'].join('\r\n');
    const { value, cpuMs } = withCpuTime(() => parseCalendar(calendar([entry]), WINDOW));
    expect(value.skipped).toEqual([]);
    // Friday 31 January 2031.
    expect(value.events.map((e) => e.start)).toEqual([Date.UTC(2031, 0, 31, 9)]);
    expect(cpuMs).toBeLessThan(150);
  });

  // A COUNT is counted from DTSTART, so such a rule is walked from there; each month it walks is
  // charged to the entry (14 s from 1800 before, ended by its 20,000 checks).
  it('charges the months a rule of BYDAY and BYSETPOS walks to the entry', () => {
    const entry = ['BEGIN:VEVENT', 'UID:counted', 'DTSTART:18000115T090000Z', 'DURATION:PT1H', 'RRULE:FREQ=MONTHLY;BYDAY=MO,TU,WE,TH,FR;BYSETPOS=-1;COUNT=100000', 'END:VEVENT'].join('\r\n');
    const counted = withCpuTime(() => parseCalendar(calendar([entry]), WINDOW));
    expect(counted.value.skipped.map((s) => s.reason)).toEqual(['the recurrence rule needs too many steps to reach the window (it may never match)']);
    // About what reading 20,000 plain entries costs (0.5 s each here); 14 s was 25 times that.
    expect(counted.cpuMs).toBeLessThan(3 * plainReadingCpuMs(20_000) + 150);
  });

  // A rule whose parts give no day in any interval it repeats in is empty by RFC 5545: the 30th
  // day of February, in BYSETPOS or BYMONTHDAY form. They were walked until the calendar's budget
  // was spent (2.7 s of CPU for 40 of them, and the series after them left out); each is now left
  // out up front, and the series after them are read.
  it('drops up front the rules no interval can match, and reads the series after them', () => {
    const entry = (uid: string, rrule: string, dtstart = '20200101T090000Z'): string =>
      ['BEGIN:VEVENT', `UID:${uid}`, `DTSTART:${dtstart}`, 'DURATION:PT1H', `RRULE:${rrule}`, 'END:VEVENT'].join('\r\n');
    const unreached = Array.from({ length: 40 }, (_, i) =>
      entry(`never-${i}`, i % 2 === 0 ? 'FREQ=MONTHLY;BYMONTH=2;BYDAY=MO,TU,WE,TH,FR,SA,SU;BYSETPOS=30' : 'FREQ=MONTHLY;BYMONTH=2;BYMONTHDAY=30;BYSETPOS=1'),
    );
    const plain = entry('plain', 'FREQ=MONTHLY;BYMONTHDAY=10', '20200110T090000Z');
    const many = withCpuTime(() => parseCalendar(calendar([...unreached, plain]), WINDOW));
    expect(many.value.events.map((e) => e.id)).toEqual(['plain/2031-01-10T09:00:00.000Z']);
    expect(many.value.skipped).toHaveLength(40);
    expect(new Set(many.value.skipped.map((s) => s.reason))).toEqual(
      new Set(["the recurrence rule gives no day in any month it repeats in (such as the 30th of February), so it never matches: only the entry's start (DTSTART) is read"]),
    );
    // 2.7 s before; about 1 ms an entry now, with room for a loaded machine.
    expect(many.cpuMs).toBeLessThan(300);
  });

  // RFC 5545 §3.8.5.3: the set is DTSTART, the rule's instances and the RDATE values. A rule that
  // never matches drops its own instances only; the entry used to be left out whole, with its
  // start (Google Calendar and Apple Calendar show it: kewisch/ical.js#294,
  // fmeringdal/rust-rrule#119) and the dates listed beside the rule.
  it('keeps the start and the listed dates of an entry whose rule never matches', () => {
    const text = calendar([
      [
        'BEGIN:VEVENT',
        'UID:listed',
        'DTSTART:20310106T150000Z',
        'DURATION:PT30M',
        'RRULE:FREQ=MONTHLY;BYMONTH=2;BYMONTHDAY=30',
        'RDATE:20310113T150000Z,20310120T150000Z',
        'SUMMARY:Phone screen',
        'END:VEVENT',
      ].join('\r\n'),
    ]);
    const { events, skipped } = parseCalendar(text, WINDOW);
    expect(events.map((e) => new Date(e.start).toISOString())).toEqual(['2031-01-06T15:00:00.000Z', '2031-01-13T15:00:00.000Z', '2031-01-20T15:00:00.000Z']);
    expect(skipped).toEqual([
      {
        ref: 'listed (Phone screen)',
        reason: "the recurrence rule gives no day in any month it repeats in (such as the 30th of February), so it never matches: only the entry's start (DTSTART) and its listed dates (RDATE) are read",
      },
    ]);
  });

  // A series of dates alone, as Thunderbird and DAVx5 write one: ical.js's iterator began it at its
  // first RDATE and the call at DTSTART was lost (kewisch/ical.js#534).
  it('reads the start of a series of listed dates alone as its first occurrence', () => {
    const text = calendar([
      ['BEGIN:VEVENT', 'UID:dates', 'DTSTART;TZID=Europe/Berlin:20310106T150000', 'DURATION:PT30M', 'RDATE;TZID=Europe/Berlin:20310113T150000,20310106T150000', 'END:VEVENT'].join('\r\n'),
      ['BEGIN:VEVENT', 'UID:days', 'DTSTART;VALUE=DATE:20310107', 'RDATE;VALUE=DATE:20310114', 'END:VEVENT'].join('\r\n'),
    ]);
    const { events, skipped } = parseCalendar(text, WINDOW);
    expect(skipped).toEqual([]);
    expect(events.filter((e) => e.id.startsWith('dates')).map((e) => new Date(e.start).toISOString())).toEqual(['2031-01-06T14:00:00.000Z', '2031-01-13T14:00:00.000Z']);
    expect(events.filter((e) => e.id.startsWith('days')).map((e) => e.id)).toEqual(['days/2031-01-07', 'days/2031-01-14']);
  });
});
