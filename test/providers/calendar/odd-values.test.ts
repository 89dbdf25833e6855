/**
 * Dates and times written in another value form than their property's, by real feeds and
 * servers, each cited beside it, read through parseCalendar as a sync reads them.
 */
import { describe, expect, it } from 'vitest';
import type { CalendarEvent } from '../../../src/domain/types.js';
import { parseCalendar } from '../../../src/providers/calendar/ical-normalize.js';

const calendar = (entries: readonly string[]): string => ['BEGIN:VCALENDAR', 'VERSION:2.0', 'PRODID:-//test//EN', ...entries, 'END:VCALENDAR', ''].join('\r\n');
const entry = (lines: readonly string[]): string => ['BEGIN:VEVENT', ...lines, 'END:VEVENT'].join('\r\n');
const days = (from: string, to: string) => ({ from: Date.parse(from), to: Date.parse(to) });
const read = (events: readonly CalendarEvent[]): [string, string, string, boolean][] =>
  events.map((e) => [e.title, new Date(e.start).toISOString(), new Date(e.end).toISOString(), e.allDay]);

describe('a date written without VALUE=DATE', () => {
  // RFC 5545 makes DATE-TIME the default value type of DTSTART, DTEND, EXDATE and RECURRENCE-ID; a
  // date there needs `VALUE=DATE`. Feeds leave it out: Facebook's birthday feed
  // (nextcloud/calendar#376), a concert listing that Outlook reads as an all-day entry
  // (kewisch/ical.js#186), calendarlabs.com's US holidays (kewisch/ical.js#515), and Google Calendar
  // imports them (derekantrican/GAS-ICS-Sync#229). ical.js refuses the value ("invalid date-time
  // value"), and ringback left each such entry out. The entries are the reports' own (the name in
  // the birthday shortened, its UID made up).
  it('reads the entry as the dates its feed gives', () => {
    const birthday = entry(['DTSTART:20170502', 'SUMMARY:Robin’s birthday', 'RRULE:FREQ=YEARLY', 'DURATION:P1D', 'UID:b1000004167650@facebook.com']);
    const concert = entry(['UID:45574333', 'SUMMARY:ERANOS-Ensemble für Alte Musik - Arbeitswoche', 'CLASS:PUBLIC', 'DTSTART:20150812', 'DTEND:20150814', 'DTSTAMP:20150813T131400Z']);
    const { events, skipped } = parseCalendar(calendar([birthday, concert]), days('2015-08-01', '2018-01-01'));
    expect(skipped).toEqual([]);
    expect(read(events)).toEqual([
      ['Robin’s birthday', '2017-05-02T00:00:00.000Z', '2017-05-03T00:00:00.000Z', true],
      ['ERANOS-Ensemble für Alte Musik - Arbeitswoche', '2015-08-12T00:00:00.000Z', '2015-08-14T00:00:00.000Z', true],
    ]);
  });

  // python-recurring-ical-events#36 (its test calendar issue-36-recurrence-ID-format.ics) and
  // sabre-io/vobject#213 hold an override of an all-day series as `RECURRENCE-ID:20200914`. ical.js
  // refused it ("unreadable override") and the moved day stayed where it was.
  it('applies an override whose RECURRENCE-ID is such a date', () => {
    const series = entry(['UID:weekly-days', 'DTSTART;VALUE=DATE:20200907', 'DTEND;VALUE=DATE:20200908', 'RRULE:FREQ=WEEKLY', 'SEQUENCE:0', 'SUMMARY:Base event']);
    const moved = entry(['UID:weekly-days', 'DTSTART;VALUE=DATE:20200915', 'DTEND;VALUE=DATE:20200916', 'RECURRENCE-ID:20200914', 'SEQUENCE:1', 'SUMMARY:Modified event 1']);
    const { events, skipped } = parseCalendar(calendar([series, moved]), days('2020-09-01', '2020-09-21'));
    expect(skipped).toEqual([]);
    expect(read(events)).toEqual([
      ['Base event', '2020-09-07T00:00:00.000Z', '2020-09-08T00:00:00.000Z', true],
      ['Modified event 1', '2020-09-15T00:00:00.000Z', '2020-09-16T00:00:00.000Z', true],
    ]);
  });

  // The same form in EXDATE under a series of times (our entry; nextcloud/server#44600 shows such
  // dates written with VALUE=DATE): the whole series was left out as unreadable, a recurring call
  // with it; now that day's occurrence alone is removed, as with VALUE=DATE.
  it('removes the day an EXDATE of such a date names, and keeps the series', () => {
    const series = entry(['UID:daily', 'DTSTART;TZID=Europe/Vienna:20240301T100000', 'DURATION:PT1H', 'RRULE:FREQ=DAILY;COUNT=3', 'EXDATE:20240302', 'SUMMARY:Call']);
    const { events, skipped } = parseCalendar(calendar([series]), days('2024-03-01', '2024-03-10'));
    expect(skipped).toEqual([]);
    expect(read(events).map(([, start]) => start)).toEqual(['2024-03-01T09:00:00.000Z', '2024-03-03T09:00:00.000Z']);
  });
});

describe('a RECURRENCE-ID with a time under a series of dates', () => {
  // python-recurring-ical-events#36 (its test calendar issue-36-recurrence-ID-format.ics): under a
  // weekly all-day series, one override names its day as `RECURRENCE-ID:20200914`, another as
  // `RECURRENCE-ID:20200921T000000Z`; that library matches both to their day. sabre/vobject wrote
  // such ids for the all-day occurrences it expanded (sabre-io/vobject#213,
  // `RECURRENCE-ID:20150309T000000Z`). The file's all-day series, with a UID added (the file has
  // none, which RFC 5545 requires). Before, the second override matched nothing (named in the
  // audit), and the all-day entry stood on its old day beside it.
  it('reads it as the day it names', () => {
    const uid = 'UID:issue-36';
    const text = calendar([
      entry([uid, 'DTSTART;VALUE=DATE:20200907', 'DTEND;VALUE=DATE:20200908', 'RRULE:FREQ=WEEKLY', 'SEQUENCE:0', 'SUMMARY:Base event']),
      entry([uid, 'DTSTART;VALUE=DATE:20200914', 'DTEND;VALUE=DATE:20200915', 'RECURRENCE-ID:20200914', 'SEQUENCE:1', 'SUMMARY:Modified event 1']),
      entry([uid, 'DTSTART;VALUE=DATE:20200921', 'DTEND;VALUE=DATE:20200922', 'RECURRENCE-ID:20200921T000000Z', 'SEQUENCE:2', 'SUMMARY:Modified event 2']),
    ]);
    const { events, skipped } = parseCalendar(text, days('2020-09-07', '2020-09-28'), { floatingZone: 'America/New_York' });
    expect(skipped).toEqual([]);
    expect(read(events)).toEqual([
      ['Base event', '2020-09-07T04:00:00.000Z', '2020-09-08T04:00:00.000Z', true],
      ['Modified event 1', '2020-09-14T04:00:00.000Z', '2020-09-15T04:00:00.000Z', true],
      ['Modified event 2', '2020-09-21T04:00:00.000Z', '2020-09-22T04:00:00.000Z', true],
    ]);
  });

  // Such an id at another time than midnight (an all-day day written as the instant it begins in
  // the writer's zone, 22:00 UTC for Berlin) names the day that instant falls on in the zone the
  // calendar's days are read in.
  it('reads an id at another time than midnight as the day of that instant', () => {
    const uid = 'UID:berlin-days';
    const text = calendar([
      entry([uid, 'DTSTART;VALUE=DATE:20200907', 'DTEND;VALUE=DATE:20200908', 'RRULE:FREQ=WEEKLY;COUNT=3', 'SUMMARY:Base event']),
      entry([uid, 'RECURRENCE-ID:20200913T220000Z', 'DTSTART;VALUE=DATE:20200915', 'DTEND;VALUE=DATE:20200916', 'SUMMARY:Moved']),
    ]);
    const { events, skipped } = parseCalendar(text, days('2020-09-07', '2020-09-28'), { floatingZone: 'Europe/Berlin' });
    expect(skipped).toEqual([]);
    expect(read(events).map(([title, start]) => [title, start])).toEqual([
      ['Base event', '2020-09-06T22:00:00.000Z'],
      ['Moved', '2020-09-14T22:00:00.000Z'],
      ['Base event', '2020-09-20T22:00:00.000Z'],
    ]);
  });
});

describe('Exchange (Microsoft 365) all-day series', () => {
  const zone = [
    'BEGIN:VTIMEZONE',
    'TZID:W. Europe Standard Time',
    'BEGIN:STANDARD',
    'DTSTART:16010101T030000',
    'TZOFFSETFROM:+0200',
    'TZOFFSETTO:+0100',
    'RRULE:FREQ=YEARLY;INTERVAL=1;BYDAY=-1SU;BYMONTH=10',
    'END:STANDARD',
    'BEGIN:DAYLIGHT',
    'DTSTART:16010101T020000',
    'TZOFFSETFROM:+0100',
    'TZOFFSETTO:+0200',
    'RRULE:FREQ=YEARLY;INTERVAL=1;BYDAY=-1SU;BYMONTH=3',
    'END:DAYLIGHT',
    'END:VTIMEZONE',
  ].join('\r\n');
  const exchange = (entries: readonly string[]): string =>
    ['BEGIN:VCALENDAR', 'METHOD:PUBLISH', 'PRODID:Microsoft Exchange Server 2010', 'VERSION:2.0', 'X-WR-CALNAME:Kalender', zone, ...entries, 'END:VCALENDAR', ''].join('\r\n');
  const daysOf = (events: readonly CalendarEvent[]) => events.map((e) => [e.id.split('/')[1], e.title]);

  // jens-maus/node-ical#459 (its fixture exchange_whole_day_moved_recurrence.ics, the Microsoft
  // fields it carries left out): Exchange names the moved day of an all-day series by its local
  // midnight, `RECURRENCE-ID;TZID=W. Europe Standard Time:20260226T000000`. Read as that day since
  // the change for python-recurring-ical-events#36 above; on the code before it this failed (the
  // override "matches no occurrence of its series" and 26 February stood beside the moved day).
  it('moves the day an override names by its local midnight', () => {
    const text = exchange([
      entry(['RRULE:FREQ=WEEKLY;UNTIL=20260817T220000Z;INTERVAL=1;BYDAY=TU,TH;WKST=MO', 'UID:exchange-moved-recurrence', 'SUMMARY:Exchange Recurring Test', 'DTSTART;VALUE=DATE:20260219', 'DTEND;VALUE=DATE:20260220', 'X-MICROSOFT-CDO-ALLDAYEVENT:TRUE']),
      entry(['UID:exchange-moved-recurrence', 'RECURRENCE-ID;TZID=W. Europe Standard Time:20260226T000000', 'SUMMARY:Exchange Recurring Test (moved)', 'DTSTART;VALUE=DATE:20260227', 'DTEND;VALUE=DATE:20260228', 'X-MICROSOFT-CDO-ALLDAYEVENT:TRUE']),
    ]);
    const { events, skipped } = parseCalendar(text, days('2026-02-22', '2026-03-01'), { floatingZone: 'Europe/Berlin' });
    expect(skipped).toEqual([]);
    expect(daysOf(events)).toEqual([
      ['2026-02-24', 'Exchange Recurring Test'],
      ['2026-02-26', 'Exchange Recurring Test (moved)'],
    ]);
    expect(new Date(events[1]?.start ?? 0).toISOString()).toBe('2026-02-26T23:00:00.000Z');
  });

  // jens-maus/node-ical#454 (the report's entry, its UID shortened): Exchange writes the day removed
  // from an all-day series as `EXDATE;TZID=W. Europe Standard Time:20260218T000000`, a time where the
  // series has dates. DAVx5 drops the time of such an EXDATE (nextcloud/server#44600), and node-ical
  // compares it by its day since (its #456). Before, 18 February stayed.
  it('removes the day an EXDATE names by its local midnight', () => {
    const text = exchange([
      entry([
        'RRULE:FREQ=DAILY;UNTIL=20260222T230000Z;INTERVAL=1',
        'EXDATE;TZID=W. Europe Standard Time:20260218T000000',
        'UID:040000008200E00074C5B7101A82E008000000006604E89FF09DDC01',
        'SUMMARY:Test - Recurr - Whole day - With one exception',
        'DTSTART;VALUE=DATE:20260216',
        'DTEND;VALUE=DATE:20260217',
        'X-MICROSOFT-CDO-ALLDAYEVENT:TRUE',
      ]),
    ]);
    const { events, skipped } = parseCalendar(text, days('2026-02-14', '2026-02-28'), { floatingZone: 'Europe/Berlin' });
    expect(skipped).toEqual([]);
    expect(events.map((e) => e.id.split('/')[1])).toEqual(['2026-02-16', '2026-02-17', '2026-02-19', '2026-02-20', '2026-02-21', '2026-02-22']);
  });
});

describe('a floating series whose exclusions are written in UTC', () => {
  // sebbo2002/ical-generator#442 (the report's entry): ical-generator wrote a floating weekly series
  // with its EXDATEs in UTC at the series' own wall time, `DTSTART:20221125T082500` beside
  // `EXDATE:20230224T082500Z` ("the excluded time must match the DTSTART time"). Read as the instant
  // it names, 08:25 UTC is 09:25 in Berlin and matched no occurrence: the excluded call stayed, and
  // would have been confirmed. Where the instant falls off the series' time of day and the digits
  // as written fall on it, the digits are read, as for a floating RECURRENCE-ID (ical4j/ical4j#85).
  const text = calendar([
    entry([
      'UID:ical-generator-442',
      'DTSTART:20221125T082500',
      'DTEND:20221125T091000',
      'RRULE:FREQ=WEEKLY;UNTIL=20230726T082500Z',
      'EXDATE:20230224T082500Z,20230106T082500Z',
      'SUMMARY:Event Title',
    ]),
  ]);

  it('removes the occurrences the writer excluded', () => {
    const { events, skipped } = parseCalendar(text, days('2023-01-01', '2023-03-04'), { floatingZone: 'Europe/Berlin' });
    expect(skipped).toEqual([]);
    expect(events.map((e) => new Date(e.start).toISOString().slice(0, 10))).toEqual(['2023-01-13', '2023-01-20', '2023-01-27', '2023-02-03', '2023-02-10', '2023-02-17', '2023-03-03']);
  });

  // Guard: in a zone where the instant is the series' own time (UTC), it was read so before too.
  it('reads the same exclusions where UTC is the zone of the floating times', () => {
    const { events } = parseCalendar(text, days('2023-01-01', '2023-03-04'), { floatingZone: 'UTC' });
    expect(events.map((e) => new Date(e.start).toISOString().slice(0, 10))).toEqual(['2023-01-13', '2023-01-20', '2023-01-27', '2023-02-03', '2023-02-10', '2023-02-17', '2023-03-03']);
  });
});
