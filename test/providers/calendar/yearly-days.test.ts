/**
 * YEARLY rules whose days ical.js misreads, read as RFC 5545 §3.3.10 says. A wrong day here is a
 * confirmation sent for a call on a day nobody booked:
 * - a day of the month that some month named lacks (the 30th or 31st with BYMONTH=2, or the start's
 *   31st under BYMONTH=1,2,3): ical.js rolled it over into the next month ("30 February" read as
 *   1 March; kewisch/ical.js#117 and #531 fixed this for BYMONTHDAY=-1 and for MONTHLY rules only),
 *   where RFC 5545 ignores a date that does not exist ("Recurrence rules may generate recurrence
 *   instances with an invalid date (e.g., February 30) ... Such recurrence instances MUST be
 *   ignored");
 * - BYWEEKNO: ical.js 2.2 gave every Monday of the year but those of week 1 for
 *   `BYWEEKNO=1;BYDAY=MO`, and nothing for `BYWEEKNO=1` alone (libical/libical#794 and
 *   dmfs/lib-recur#38 show other readers getting week 1 wrong too).
 * Expected lists are RFC 5545's own example, or what python-dateutil 2.9.0 gives (its
 * `rrulestr`, run for these rules), with DTSTART first as ical.js and ical-setpos.ts give it.
 */
import { describe, expect, it } from 'vitest';
import { parseCalendar } from '../../../src/providers/calendar/ical-normalize.js';
import { withCpuTime } from '../../support/cpu-time.js';

const calendar = (entries: readonly string[]): string => ['BEGIN:VCALENDAR', 'VERSION:2.0', 'PRODID:-//test//EN', ...entries, 'END:VCALENDAR', ''].join('\r\n');
const series = (uid: string, dtstart: string, rrule: string): string =>
  ['BEGIN:VEVENT', `UID:${uid}`, `DTSTART${dtstart}`, 'DURATION:PT30M', `RRULE:${rrule}`, 'SUMMARY:Phone screen', 'END:VEVENT'].join('\r\n');
const window = { from: Date.UTC(1990, 0, 1), to: Date.UTC(2031, 0, 1) };
const daysOf = (dtstart: string, rrule: string): { days: string[]; reasons: string[] } => {
  const { events, skipped } = parseCalendar(calendar([series('s', dtstart, rrule)]), window);
  return { days: events.map((e) => new Date(e.start).toISOString().slice(0, 16)), reasons: skipped.map((s) => s.reason) };
};

describe('YEARLY rules of days some months lack', () => {
  it.each([
    // python-dateutil 2.9.0: 30 January and 30 March; February has no 30th.
    [':20240130T090000Z', 'FREQ=YEARLY;COUNT=6;BYMONTH=1,2,3;BYMONTHDAY=30', ['2024-01-30', '2024-03-30', '2025-01-30', '2025-03-30', '2026-01-30', '2026-03-30']],
    // The 31st of February to May: 31 March and 31 May only (ical.js: 2 March, 1 May as well).
    [':20240331T090000Z', 'FREQ=YEARLY;COUNT=4;BYMONTH=2,3,4,5;BYMONTHDAY=31', ['2024-03-31', '2024-05-31', '2025-03-31', '2025-05-31']],
    // No BYMONTHDAY: the day is the start's (RFC 5545 §3.3.10, "derived from DTSTART"), the 31st.
    [':20240131T090000Z', 'FREQ=YEARLY;COUNT=4;BYMONTH=1,2,3', ['2024-01-31', '2024-03-31', '2025-01-31', '2025-03-31']],
    // The 29th from the end: 1 February in a leap year, none in February of 28 days.
    [':20240103T090000Z', 'FREQ=YEARLY;COUNT=5;BYMONTH=1,2,3;BYMONTHDAY=-29', ['2024-01-03', '2024-02-01', '2024-03-03', '2025-01-03', '2025-03-03']],
    // 29 February, with its month named: leap years only (guard: ical.js read it right).
    [':20240229T090000Z', 'FREQ=YEARLY;COUNT=2;BYMONTH=2;BYMONTHDAY=29', ['2024-02-29', '2028-02-29']],
    // The 30th and 31st of January and February, on weekdays (guard: ical.js read it right).
    [':20240130T090000Z', 'FREQ=YEARLY;COUNT=4;BYMONTH=1,2;BYMONTHDAY=30,31;BYDAY=MO,TU,WE,TH,FR', ['2024-01-30', '2024-01-31', '2025-01-30', '2025-01-31']],
    // No BYMONTH: the start's month, as ical.js and Google Calendar read a yearly day of the month
    // (guard: ical.js read it right).
    [':20240130T090000Z', 'FREQ=YEARLY;COUNT=3;BYMONTHDAY=30', ['2024-01-30', '2025-01-30', '2026-01-30']],
  ])('%s %s gives only days that exist', (dtstart, rrule, expected) => {
    const { days, reasons } = daysOf(dtstart, rrule);
    expect(reasons).toEqual([]);
    expect(days.map((d) => d.slice(0, 10))).toEqual(expected);
  });

  it('drops a yearly 30th from a start in February, which it names alone, keeping the start', () => {
    const { days, reasons } = daysOf(':20240210T090000Z', 'FREQ=YEARLY;BYMONTHDAY=30');
    expect(days).toEqual(['2024-02-10T09:00']);
    expect(reasons).toEqual([expect.stringContaining('never matches')]);
  });
});

describe('YEARLY rules of BYWEEKNO', () => {
  it.each([
    // RFC 5545 §3.8.5.3: "Monday of week number 20 (where the default start of the week is Monday)".
    [';TZID=America/New_York:19970512T090000', 'FREQ=YEARLY;COUNT=3;BYWEEKNO=20;BYDAY=MO', ['1997-05-12T13:00', '1998-05-11T13:00', '1999-05-17T13:00']],
    // python-dateutil 2.9.0: week 1 begins in December of the year before when 1 January is a Friday to Sunday.
    [':20240101T090000Z', 'FREQ=YEARLY;COUNT=5;BYWEEKNO=1;BYDAY=MO', ['2024-01-01T09:00', '2024-12-30T09:00', '2025-12-29T09:00', '2027-01-04T09:00', '2028-01-03T09:00']],
    // python-dateutil 2.9.0: the Thursday of the last week, after DTSTART.
    [':20240101T090000Z', 'FREQ=YEARLY;COUNT=4;BYWEEKNO=-1;BYDAY=TH', ['2024-01-01T09:00', '2024-12-26T09:00', '2025-12-25T09:00', '2026-12-31T09:00']],
    // python-dateutil 2.9.0: weeks that begin on Sunday (WKST=SU), the weekend days of week 1.
    [':20240101T090000Z', 'FREQ=YEARLY;COUNT=6;WKST=SU;BYWEEKNO=1;BYDAY=SA,SU', ['2024-01-01T09:00', '2024-01-06T09:00', '2024-12-29T09:00', '2025-01-04T09:00', '2026-01-04T09:00', '2026-01-10T09:00']],
    // No BYDAY: the start's weekday in that week (libical/libical#455, the reading its maintainers
    // and a CalendarServer developer agreed on; python-dateutil gives all seven days instead).
    [':20240101T090000Z', 'FREQ=YEARLY;COUNT=4;BYWEEKNO=1', ['2024-01-01T09:00', '2024-12-30T09:00', '2025-12-29T09:00', '2027-01-04T09:00']],
  ])('%s %s gives the days of that week', (dtstart, rrule, expected) => {
    const { days, reasons } = daysOf(dtstart, rrule);
    expect(reasons).toEqual([]);
    expect(days).toEqual(expected);
  });

  // BYWEEKNO beside BYMONTH, BYMONTHDAY or a BYDAY of a position is read in several ways by the
  // readers that try (ical-org/ical.net#729 and #791 argue both ways; #776 for a position): such a
  // rule is left out, named, rather than read at days its writer may not have meant.
  it('leaves out BYWEEKNO beside BYMONTH or a weekday of a position, naming the form, and keeps the other entries', () => {
    const text = calendar([
      series('with-month', ':20241230T090000Z', 'FREQ=YEARLY;BYMONTH=12;BYMONTHDAY=30;BYWEEKNO=1'),
      series('with-position', ':20100102T090000Z', 'FREQ=YEARLY;BYWEEKNO=52,53;BYDAY=1TU,-1SA'),
      series('plain', ':20240101T090000Z', 'FREQ=YEARLY;COUNT=2;BYWEEKNO=1;BYDAY=MO'),
    ]);
    const { events, skipped } = parseCalendar(text, window);
    expect(events.map((e) => e.id)).toEqual(['plain/2024-01-01T09:00:00.000Z', 'plain/2024-12-30T09:00:00.000Z']);
    expect(skipped).toEqual([
      { ref: 'with-month (Phone screen)', reason: 'the recurrence rule uses BYWEEKNO with BYMONTH, a form this reader does not apply; left out rather than read at the wrong days' },
      { ref: 'with-position (Phone screen)', reason: 'the recurrence rule uses BYWEEKNO with a BYDAY of a position, a form this reader does not apply; left out rather than read at the wrong days' },
    ]);
  });
});

describe('the cost of the rules read here', () => {
  // Each year a rule read here visits is listed day by day; walked from DTSTART, 64 yearly entries
  // begun on 29 February 1952 (a birthday calendar; ical-rules.ts names their day, so they are read
  // here) spent the calendar's budget of rule steps, and the recurring entries after them were
  // left out. A rule without COUNT begins its walk shortly before the window instead.
  it('reads 200 leap-day birthdays from 1952 and yearly weeks from 1990, and the series after them', () => {
    const birthdays = Array.from({ length: 200 }, (_, i) => ['BEGIN:VEVENT', `UID:b${i}`, 'DTSTART;VALUE=DATE:19520229', 'RRULE:FREQ=YEARLY', 'SUMMARY:Birthday', 'END:VEVENT'].join('\r\n'));
    const kickoffs = Array.from({ length: 50 }, (_, i) => series(`k${i}`, ':19900101T090000Z', 'FREQ=YEARLY;BYWEEKNO=1;BYDAY=MO'));
    const calls = series('calls', ':20260105T150000Z', 'FREQ=WEEKLY;BYDAY=MO;COUNT=200');
    const { value, cpuMs } = withCpuTime(() => parseCalendar(calendar([...birthdays, ...kickoffs, calls]), { from: Date.UTC(2027, 11, 1), to: Date.UTC(2028, 2, 1) }));
    expect(value.skipped).toEqual([]);
    const ids = value.events.map((e) => e.id);
    expect(ids.filter((id) => id.startsWith('b'))).toHaveLength(200);
    expect(ids.filter((id) => id.startsWith('b0/'))).toEqual(['b0/2028-02-29']);
    expect(ids.filter((id) => id.startsWith('k0/'))).toEqual(['k0/2028-01-03T09:00:00.000Z']);
    expect(ids.filter((id) => id.startsWith('calls/'))).toHaveLength(13);
    expect(cpuMs).toBeLessThan(1_500);
  });
});
