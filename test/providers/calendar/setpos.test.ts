/**
 * BYSETPOS read as RFC 5545 §3.3.10 says: it picks within the set each interval of the rule gives
 * after all its other BYxxx parts. ical.js does so only in a MONTHLY rule of BYDAY without BYMONTH,
 * or a YEARLY one of BYDAY and one BYMONTH (those still go through ical.js, pinned here by the
 * RFC's own examples); the other forms are expanded by src/providers/calendar/ical-setpos.ts and
 * checked against the expected lists of public test suites. Like ical.js, the reader gives DTSTART
 * as the first occurrence and counts it in COUNT ("The DTSTART property value always counts as the
 * first occurrence"); where a suite's DTSTART is not one of the rule's instants, the list below is
 * the suite's with DTSTART added first and one fewer at the end.
 */
import { describe, expect, it } from 'vitest';
import { parseCalendar } from '../../../src/providers/calendar/ical-normalize.js';
import { withCpuTime } from '../../support/cpu-time.js';

const calendar = (entries: readonly string[]): string => ['BEGIN:VCALENDAR', 'VERSION:2.0', 'PRODID:-//test//EN', ...entries, 'END:VCALENDAR', ''].join('\r\n');
const series = (uid: string, dtstart: string, rrule: string): string => ['BEGIN:VEVENT', `UID:${uid}`, `DTSTART${dtstart}`, 'DURATION:PT30M', `RRULE:${rrule}`, 'END:VEVENT'].join('\r\n');
const call = ['BEGIN:VEVENT', 'UID:call', 'DTSTART:20310110T090000Z', 'DURATION:PT30M', 'SUMMARY:Phone screen with Acme', 'END:VEVENT'].join('\r\n');
const everything = { from: Date.UTC(1990, 0, 1), to: Date.UTC(2032, 0, 1) };
const startsOf = (dtstart: string, rrule: string, window = everything): string[] => {
  const { events, skipped } = parseCalendar(calendar([series('s', dtstart, rrule)]), window);
  expect(skipped).toEqual([]);
  return events.map((e) => new Date(e.start).toISOString().slice(0, 16));
};

describe('BYSETPOS', () => {
  // RFC 5545 §3.8.5.3, "The third instance into the month of one of Tuesday, Wednesday, or
  // Thursday, for the next 3 months" and "The second-to-last weekday of the month"; §3.3.10, "the
  // last work day of the month". Guards: ical.js read them right, and still reads them.
  it("reads the RFC's own examples through ical.js, as before", () => {
    expect(startsOf(';TZID=America/New_York:19970904T090000', 'FREQ=MONTHLY;COUNT=3;BYDAY=TU,WE,TH;BYSETPOS=3')).toEqual(['1997-09-04T13:00', '1997-10-07T13:00', '1997-11-06T14:00']);
    const secondToLast = startsOf(';TZID=America/New_York:19970929T090000', 'FREQ=MONTHLY;BYDAY=MO,TU,WE,TH,FR;BYSETPOS=-2', { from: Date.UTC(1997, 8, 1), to: Date.UTC(1998, 3, 1) });
    expect(secondToLast).toEqual(['1997-09-29T13:00', '1997-10-30T14:00', '1997-11-27T14:00', '1997-12-30T14:00', '1998-01-29T14:00', '1998-02-26T14:00', '1998-03-30T14:00']);
    expect(startsOf(':20240131T160000Z', 'FREQ=MONTHLY;COUNT=4;BYDAY=MO,TU,WE,TH,FR;BYSETPOS=-1')).toEqual(['2024-01-31T16:00', '2024-02-29T16:00', '2024-03-29T16:00', '2024-04-30T16:00']);
  });

  // kewisch/ical.js#1039 and #960: elsewhere ical.js gave every instant the other parts name (five
  // calls a week for "the first and last weekday of the week"); the entry was then left out. Each
  // expected list is that of the suite named beside it.
  it.each([
    // python-dateutil, dateutil/test/test_rrule.py testWeeklyBySetPos.
    [':19970902T090000Z', 'FREQ=WEEKLY;COUNT=4;BYDAY=TU,TH;BYHOUR=6,18;BYSETPOS=3,-3', ['1997-09-02T09:00', '1997-09-02T18:00', '1997-09-04T06:00', '1997-09-09T18:00']],
    // python-dateutil, testMonthlyBySetPos.
    [':19970902T090000Z', 'FREQ=MONTHLY;COUNT=4;BYMONTHDAY=13,17;BYHOUR=6,18;BYSETPOS=3,-3', ['1997-09-02T09:00', '1997-09-13T18:00', '1997-09-17T06:00', '1997-10-13T18:00']],
    // python-dateutil, testYearlyBySetPos.
    [':19970902T090000Z', 'FREQ=YEARLY;COUNT=4;BYMONTHDAY=15;BYHOUR=6,18;BYSETPOS=3,-3', ['1997-09-02T09:00', '1997-11-15T18:00', '1998-02-15T06:00', '1998-11-15T18:00']],
    // ice-cube-ruby/ice_cube, spec of WeeklyRule BYSETPOS: the week begins on Wednesday (WKST).
    [':20221227T120000Z', 'FREQ=WEEKLY;COUNT=5;WKST=WE;BYDAY=MO,WE,FR;BYSETPOS=-1', ['2022-12-27T12:00', '2023-01-02T12:00', '2023-01-09T12:00', '2023-01-16T12:00', '2023-01-23T12:00']],
    // kewisch/ical.js#1039's rule: the first and last weekday of each week (python-dateutil 2.9.0 gives the same).
    [':20160104T090000Z', 'FREQ=WEEKLY;COUNT=4;BYDAY=MO,TU,WE,TH,FR;BYSETPOS=1,-1', ['2016-01-04T09:00', '2016-01-08T09:00', '2016-01-11T09:00', '2016-01-15T09:00']],
    // The last of 9, 12 and 17 o'clock each day (python-dateutil 2.9.0 gives the same after DTSTART).
    [':20160104T090000Z', 'FREQ=DAILY;COUNT=4;BYHOUR=9,12,17;BYSETPOS=-1', ['2016-01-04T09:00', '2016-01-04T17:00', '2016-01-05T17:00', '2016-01-06T17:00']],
    // The last of the 28th-30th: the 28th in a February of 28 days (invalid days are no instants).
    [':20230130T090000Z', 'FREQ=MONTHLY;COUNT=4;BYMONTHDAY=28,29,30;BYSETPOS=-1', ['2023-01-30T09:00', '2023-02-28T09:00', '2023-03-30T09:00', '2023-04-30T09:00']],
    // MONTHLY with BYMONTH: ical.js gave six a year here, in July too, which an INTERVAL of two
    // months from December never visits (python-dateutil 2.9.0 gives these).
    [':20201215T090000Z', 'FREQ=MONTHLY;COUNT=4;INTERVAL=2;BYMONTH=7,12;BYDAY=TH,SA,WE,SU,MO;BYSETPOS=3', ['2020-12-15T09:00', '2021-12-04T09:00', '2022-12-04T09:00', '2023-12-04T09:00']],
    // The first of the Mondays of weeks 1 and 2 that fall in each year (python-dateutil 2.9.0): the
    // year is the interval, so that of week 1 when it is in January, else that of week 2. The
    // entry was left out before (ical.js gave every Monday of the year but those two).
    [':20240101T090000Z', 'FREQ=YEARLY;COUNT=3;BYWEEKNO=1,2;BYDAY=MO;BYSETPOS=1', ['2024-01-01T09:00', '2025-01-06T09:00', '2026-01-05T09:00']],
  ])('expands %s %s by RFC 5545', (dtstart, rrule, expected) => {
    expect(startsOf(dtstart, rrule)).toEqual(expected);
  });

  it('expands such a rule in a zone, walked to a window years after its start, beside a call', () => {
    const text = calendar([series('weekly', ';TZID=Europe/Berlin:20200106T100000', 'FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR;BYSETPOS=-1'), call]);
    const { value, cpuMs } = withCpuTime(() => parseCalendar(text, { from: Date.UTC(2031, 0, 1), to: Date.UTC(2031, 0, 20) }));
    expect(value.skipped).toEqual([]);
    // Fridays of January 2031, 10:00 in Berlin (CET).
    expect(value.events.map((e) => [e.id.split('/')[0], new Date(e.start).toISOString()])).toEqual([
      ['weekly', '2031-01-03T09:00:00.000Z'],
      ['weekly', '2031-01-10T09:00:00.000Z'],
      ['weekly', '2031-01-17T09:00:00.000Z'],
      ['call', '2031-01-10T09:00:00.000Z'],
    ]);
    expect(cpuMs).toBeLessThan(150);
  });

  // Forms neither ical.js nor ical-setpos.ts reads stay left out, named. (BYWEEKNO beside BYDAY
  // alone is read: test/providers/calendar/yearly-days.test.ts.)
  it('leaves out BYSETPOS with BYWEEKNO beside BYMONTH or in an HOURLY rule, saying which', () => {
    const text = calendar([
      series('weekno', ':20240101T090000Z', 'FREQ=YEARLY;BYMONTH=1;BYWEEKNO=1,2;BYDAY=MO;BYSETPOS=1'),
      series('hourly', ':20240101T090000Z', 'FREQ=HOURLY;BYMINUTE=0,30;BYSETPOS=-1'),
      call,
    ]);
    const { events, skipped } = parseCalendar(text, { from: Date.UTC(2024, 0, 1), to: Date.UTC(2031, 1, 1) });
    expect(events.map((e) => e.id)).toEqual(['call']);
    expect(skipped).toEqual([
      { ref: 'weekno', reason: 'the recurrence rule uses BYWEEKNO with BYMONTH, a form this reader does not apply; left out rather than read at the wrong days' },
      { ref: 'hourly', reason: 'the recurrence rule uses BYSETPOS with FREQ=HOURLY, a form this reader does not apply; left out rather than read at the wrong days' },
    ]);
  });
});
