/**
 * Overrides of one occurrence of a series written in odd ways by real calendars, each cited beside
 * it, read through parseCalendar as a sync reads them, beside the series' other occurrences. An
 * override that is not applied leaves the call at its old time: a confirmation for the wrong day.
 */
import { describe, expect, it } from 'vitest';
import type { CalendarEvent } from '../../../src/domain/types.js';
import { parseCalendar } from '../../../src/providers/calendar/ical-normalize.js';

const calendar = (entries: readonly string[]): string => ['BEGIN:VCALENDAR', 'VERSION:2.0', 'PRODID:-//test//EN', ...entries, 'END:VCALENDAR', ''].join('\r\n');
const entry = (lines: readonly string[]): string => ['BEGIN:VEVENT', ...lines, 'END:VEVENT'].join('\r\n');
const days = (from: string, to: string) => ({ from: Date.parse(from), to: Date.parse(to) });
const read = (events: readonly CalendarEvent[]): [string, string, string][] => events.map((e) => [e.id, new Date(e.start).toISOString(), e.title]);

/** Europe/Stockholm as calendar apps define it (the EU rules since 1996). */
const STOCKHOLM = [
  'BEGIN:VTIMEZONE',
  'TZID:Europe/Stockholm',
  'BEGIN:DAYLIGHT',
  'TZOFFSETFROM:+0100',
  'TZOFFSETTO:+0200',
  'TZNAME:CEST',
  'DTSTART:19700329T020000',
  'RRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=-1SU',
  'END:DAYLIGHT',
  'BEGIN:STANDARD',
  'TZOFFSETFROM:+0200',
  'TZOFFSETTO:+0100',
  'TZNAME:CET',
  'DTSTART:19701025T030000',
  'RRULE:FREQ=YEARLY;BYMONTH=10;BYDAY=-1SU',
  'END:STANDARD',
  'END:VTIMEZONE',
].join('\r\n');

describe('overrides written in odd ways', () => {
  // bitfireAT/synctools#80: DAVx5 (ical4j) wrote the RECURRENCE-ID of an override in the zone of the
  // override's own start, not the series' (Infomaniak then showed the occurrence twice). The series
  // and the RECURRENCE-ID are the report's; the override's new start is ours (the report's text
  // stops before it). 01:00 in Paris on 14 April is 11:00 in Auckland, the fourth occurrence. Before,
  // the override matched nothing and the call stayed at its old time, named as "matches no occurrence".
  it('applies an override whose RECURRENCE-ID is written in another zone than the series (no VTIMEZONE)', () => {
    const series = entry([
      'UID:df4f22b5-b7be-44de-af45-ab81d854ee4e',
      'SUMMARY:Test event',
      'DTSTART;TZID=Pacific/Auckland:20260408T110000',
      'DTEND;TZID=Pacific/Auckland:20260408T120000',
      'RRULE:FREQ=DAILY;COUNT=5;INTERVAL=2',
      'EXDATE;TZID=Pacific/Auckland:20260412T110000',
    ]);
    const override = entry([
      'UID:df4f22b5-b7be-44de-af45-ab81d854ee4e',
      'RECURRENCE-ID;TZID=Europe/Paris:20260414T010000',
      'SUMMARY:Modified test event',
      'DTSTART;TZID=Europe/Paris:20260414T090000',
      'DTEND;TZID=Europe/Paris:20260414T100000',
    ]);
    const { events, skipped } = parseCalendar(calendar([series, override]), days('2026-04-01', '2026-04-30'));
    expect(skipped).toEqual([]);
    expect(read(events).map(([id, start, title]) => [id.split('/')[1], start, title])).toEqual([
      ['2026-04-07T23:00:00.000Z', '2026-04-07T23:00:00.000Z', 'Test event'],
      ['2026-04-09T23:00:00.000Z', '2026-04-09T23:00:00.000Z', 'Test event'],
      ['2026-04-13T23:00:00.000Z', '2026-04-14T07:00:00.000Z', 'Modified test event'],
      ['2026-04-15T23:00:00.000Z', '2026-04-15T23:00:00.000Z', 'Test event'],
    ]);
  });

  // t4t5/caldir#26: Google Calendar gave a series in Europe/Stockholm and an overridden instance
  // whose RECURRENCE-ID is in Europe/London, "even though both represented the same instant" (19:00
  // in Stockholm, 18:00 in London). Adapted: the series here is defined by its VTIMEZONE, as an
  // export carries it, and the override moves the call a day later.
  it('applies such an override under a series whose zone the file defines', () => {
    const series = entry(['UID:weekly@google.com', 'SUMMARY:Phone screen', 'DTSTART;TZID=Europe/Stockholm:20261005T190000', 'DTEND;TZID=Europe/Stockholm:20261005T193000', 'RRULE:FREQ=WEEKLY;COUNT=3']);
    const override = entry([
      'UID:weekly@google.com',
      'RECURRENCE-ID;TZID=Europe/London:20261012T180000',
      'SUMMARY:Phone screen (moved)',
      'DTSTART;TZID=Europe/London:20261013T170000',
      'DTEND;TZID=Europe/London:20261013T173000',
    ]);
    const { events, skipped } = parseCalendar(calendar([STOCKHOLM, series, override]), days('2026-10-01', '2026-10-31'));
    expect(skipped).toEqual([]);
    expect(read(events)).toEqual([
      ['weekly@google.com/2026-10-05T17:00:00.000Z', '2026-10-05T17:00:00.000Z', 'Phone screen'],
      ['weekly@google.com/2026-10-12T17:00:00.000Z', '2026-10-13T16:00:00.000Z', 'Phone screen (moved)'],
      ['weekly@google.com/2026-10-19T17:00:00.000Z', '2026-10-19T17:00:00.000Z', 'Phone screen'],
    ]);
  });
});

describe('an occurrence moved from long before the window into it', () => {
  // t4t5/caldir#52: "Consumers querying from today forward … silently drop the meeting: the original
  // occurrence is in the past". Adapted: ringback walks a long series from shortly before the
  // window (two weeks for a weekly one), and an occurrence moved from further back into the window
  // was never seen. Here the weekly call of 3 August is moved to 25 August, read from 22 August.
  it('keeps the moved call, whatever the distance it was moved', () => {
    const series = entry(['UID:series@example.com', 'DTSTART:20250106T123000Z', 'DTEND:20250106T133000Z', 'RRULE:FREQ=WEEKLY', 'SUMMARY:Weekly sync']);
    const moved = entry(['UID:series@example.com', 'RECURRENCE-ID:20260803T123000Z', 'DTSTART:20260825T123000Z', 'DTEND:20260825T133000Z', 'SUMMARY:Weekly sync (moved)']);
    const { events, skipped } = parseCalendar(calendar([series, moved]), days('2026-08-22', '2026-09-05'));
    expect(skipped).toEqual([]);
    expect(read(events).sort((a, b) => a[1].localeCompare(b[1]))).toEqual([
      ['series@example.com/2026-08-24T12:30:00.000Z', '2026-08-24T12:30:00.000Z', 'Weekly sync'],
      ['series@example.com/2026-08-03T12:30:00.000Z', '2026-08-25T12:30:00.000Z', 'Weekly sync (moved)'],
      ['series@example.com/2026-08-31T12:30:00.000Z', '2026-08-31T12:30:00.000Z', 'Weekly sync'],
    ]);
  });
});

describe('an occurrence moved into the window from after it', () => {
  // The same loss the other way (t4t5/caldir#52's case, moved earlier): the walk stopped at the
  // window's end, before the original time of the call of 14 September moved to 26 August.
  it('keeps the call moved earlier into the window', () => {
    const series = entry(['UID:series@example.com', 'DTSTART:20250106T123000Z', 'DTEND:20250106T133000Z', 'RRULE:FREQ=WEEKLY', 'SUMMARY:Weekly sync']);
    const moved = entry(['UID:series@example.com', 'RECURRENCE-ID:20260914T123000Z', 'DTSTART:20260826T123000Z', 'DTEND:20260826T133000Z', 'SUMMARY:Weekly sync (moved)']);
    const { events, skipped } = parseCalendar(calendar([series, moved]), days('2026-08-22', '2026-09-05'));
    expect(skipped).toEqual([]);
    expect(read(events).sort((a, b) => a[1].localeCompare(b[1]))).toEqual([
      ['series@example.com/2026-08-24T12:30:00.000Z', '2026-08-24T12:30:00.000Z', 'Weekly sync'],
      ['series@example.com/2026-09-14T12:30:00.000Z', '2026-08-26T12:30:00.000Z', 'Weekly sync (moved)'],
      ['series@example.com/2026-08-31T12:30:00.000Z', '2026-08-31T12:30:00.000Z', 'Weekly sync'],
    ]);
  });
});

describe('an override moved from a hostile distance', () => {
  // Hostile input: an override of the year 2 moved into the window would have the walk of a daily
  // series reach back 2,000 years and spend its budget; the walk reaches back a year at most, so the
  // series is read and the override, matching no occurrence walked, is named.
  it('reads the series and names the override', () => {
    const series = entry(['UID:daily', 'DTSTART:00020101T090000Z', 'DURATION:PT30M', 'RRULE:FREQ=DAILY', 'SUMMARY:Daily']);
    const moved = entry(['UID:daily', 'RECURRENCE-ID:00020105T090000Z', 'DTSTART:20260825T123000Z', 'DURATION:PT30M', 'SUMMARY:Moved']);
    const { events, skipped } = parseCalendar(calendar([series, moved]), days('2026-08-24', '2026-08-27'));
    expect(events.map((e) => e.title)).toEqual(['Daily', 'Daily', 'Daily']);
    expect(skipped).toEqual([{ ref: 'daily (Daily)', reason: 'an override (RECURRENCE-ID 0002-01-05T09:00:00.000Z) matches no occurrence of its series; left out' }]);
  });
});

describe('an override whose RECURRENCE-ID is a date under a series of times', () => {
  // RFC 5545 §3.8.4.4: a RECURRENCE-ID "MUST have the same value type as the DTSTART property"; a
  // date under a series of times breaks that rule. No reader found treats such a date as the
  // occurrence it names: ical.js matches nothing, python-recurring-ical-events (to_recurrence_ids)
  // reads it as midnight, and ical.net (ical-org/ical.net#659) stopped matching by the date
  // alone. For the same mistake in EXDATE (nextcloud/server#44600, written by real clients) DAVx5
  // takes the date with the time and zone of the series' start; ringback reads the RECURRENCE-ID so,
  // and says so in the audit. The series and the moved call are ours. Before, the override matched
  // nothing (named in the audit) and the call stood at its old time.
  const series = entry([
    'UID:date-id@example.com',
    'SUMMARY:Phone screen',
    'DTSTART;TZID=America/New_York:20261005T100000',
    'DTEND;TZID=America/New_York:20261005T103000',
    'RRULE:FREQ=WEEKLY;COUNT=4',
  ]);
  const note = {
    ref: 'date-id@example.com (Phone screen)',
    reason: "an override's RECURRENCE-ID is a date (2026-10-12) under a series of times; read as that day's occurrence at the series' time of day",
  };

  it("moves that day's occurrence", () => {
    const moved = entry([
      'UID:date-id@example.com',
      'RECURRENCE-ID;VALUE=DATE:20261012',
      'SUMMARY:Phone screen (moved)',
      'DTSTART;TZID=America/New_York:20261013T150000',
      'DTEND;TZID=America/New_York:20261013T153000',
    ]);
    const { events, skipped } = parseCalendar(calendar([series, moved]), days('2026-10-01', '2026-11-01'));
    expect(skipped).toEqual([note]);
    expect(read(events)).toEqual([
      ['date-id@example.com/2026-10-05T14:00:00.000Z', '2026-10-05T14:00:00.000Z', 'Phone screen'],
      ['date-id@example.com/2026-10-12T14:00:00.000Z', '2026-10-13T19:00:00.000Z', 'Phone screen (moved)'],
      ['date-id@example.com/2026-10-19T14:00:00.000Z', '2026-10-19T14:00:00.000Z', 'Phone screen'],
      ['date-id@example.com/2026-10-26T14:00:00.000Z', '2026-10-26T14:00:00.000Z', 'Phone screen'],
    ]);
  });

  it("cancels that day's occurrence, in a zone the file defines or in UTC", () => {
    const cancelled = (uid: string) => entry([`UID:${uid}`, 'RECURRENCE-ID;VALUE=DATE:20261012', 'DTSTART;VALUE=DATE:20261012', 'STATUS:CANCELLED', 'SUMMARY:Phone screen']);
    const defined = entry(['UID:defined', 'SUMMARY:Phone screen', 'DTSTART;TZID=Europe/Stockholm:20261005T190000', 'DURATION:PT30M', 'RRULE:FREQ=WEEKLY;COUNT=3']);
    const utc = entry(['UID:utc', 'SUMMARY:Phone screen', 'DTSTART:20261005T230000Z', 'DURATION:PT30M', 'RRULE:FREQ=WEEKLY;COUNT=3']);
    const { events } = parseCalendar(calendar([STOCKHOLM, defined, cancelled('defined'), utc, cancelled('utc')]), days('2026-10-01', '2026-11-01'));
    expect(events.map((e) => e.id)).toEqual(['defined/2026-10-05T17:00:00.000Z', 'defined/2026-10-19T17:00:00.000Z', 'utc/2026-10-05T23:00:00.000Z', 'utc/2026-10-19T23:00:00.000Z']);
  });
});

describe('an override whose RECURRENCE-ID carries no zone under a series in one', () => {
  // ical4j/ical4j#85: a user's calendar held `DTSTART;TZID=US/Eastern:20160531T200000` beside
  // `RECURRENCE-ID:20160608T000000`, a floating time (no Z, no TZID) that RFC 5545 §3.8.4.4 forbids
  // under a start with a zone; 00:00 is the series' 20:00 Eastern read in UTC, the form its writer
  // meant. python-recurring-ical-events looks such an id up both as a time of the series' zone and
  // in UTC (to_recurrence_ids). ringback takes whichever of the two falls at the series' time of
  // day. The report's times, with a weekly rule and the moved call ours. Before, the override
  // matched nothing and the call stayed at its old time.
  it('reads it in UTC when that is the reading at the series time of day', () => {
    const series = entry(['UID:floating-id', 'SUMMARY:Phone screen', 'DTSTART;TZID=US/Eastern:20160531T200000', 'DURATION:PT30M', 'RRULE:FREQ=WEEKLY;COUNT=3']);
    const moved = entry(['UID:floating-id', 'RECURRENCE-ID:20160608T000000', 'SUMMARY:Phone screen (moved)', 'DTSTART;TZID=US/Eastern:20160608T090000', 'DURATION:PT30M']);
    const { events, skipped } = parseCalendar(calendar([series, moved]), days('2016-05-30', '2016-06-30'), { floatingZone: 'Europe/Berlin' });
    expect(skipped).toEqual([]);
    expect(read(events)).toEqual([
      ['floating-id/2016-06-01T00:00:00.000Z', '2016-06-01T00:00:00.000Z', 'Phone screen'],
      ['floating-id/2016-06-08T00:00:00.000Z', '2016-06-08T13:00:00.000Z', 'Phone screen (moved)'],
      ['floating-id/2016-06-15T00:00:00.000Z', '2016-06-15T00:00:00.000Z', 'Phone screen'],
    ]);
  });

  // The same id under a series in UTC: RFC 5545 wants `…Z`; without it ringback read the time in
  // the person's own zone (candidate.timezone), four hours off here, and matched nothing.
  it('reads it as the series time under a series in UTC', () => {
    const series = entry(['UID:utc-series', 'SUMMARY:Phone screen', 'DTSTART:20261005T100000Z', 'DURATION:PT30M', 'RRULE:FREQ=WEEKLY;COUNT=3']);
    const moved = entry(['UID:utc-series', 'RECURRENCE-ID:20261012T100000', 'SUMMARY:Phone screen (moved)', 'DTSTART:20261013T150000Z', 'DURATION:PT30M']);
    const { events, skipped } = parseCalendar(calendar([series, moved]), days('2026-10-01', '2026-11-01'), { floatingZone: 'America/New_York' });
    expect(skipped).toEqual([]);
    expect(read(events).map(([id, start, title]) => [id.split('/')[1], start, title])).toEqual([
      ['2026-10-05T10:00:00.000Z', '2026-10-05T10:00:00.000Z', 'Phone screen'],
      ['2026-10-12T10:00:00.000Z', '2026-10-13T15:00:00.000Z', 'Phone screen (moved)'],
      ['2026-10-19T10:00:00.000Z', '2026-10-19T10:00:00.000Z', 'Phone screen'],
    ]);
  });

  // Guard: a floating id that is the series' own wall time was matched before too (ical.js compares
  // wall times); it must stay so.
  it("keeps reading it as the series' wall time when that is the series time of day", () => {
    const series = entry(['UID:wall', 'SUMMARY:Phone screen', 'DTSTART;TZID=America/New_York:20261005T100000', 'DURATION:PT30M', 'RRULE:FREQ=WEEKLY;COUNT=3']);
    const moved = entry(['UID:wall', 'RECURRENCE-ID:20261012T100000', 'SUMMARY:Phone screen (moved)', 'DTSTART;TZID=America/New_York:20261013T150000', 'DURATION:PT30M']);
    const { events, skipped } = parseCalendar(calendar([series, moved]), days('2026-10-01', '2026-11-01'), { floatingZone: 'Europe/Berlin' });
    expect(skipped).toEqual([]);
    expect(read(events).map(([, start, title]) => [start, title])).toEqual([
      ['2026-10-05T14:00:00.000Z', 'Phone screen'],
      ['2026-10-13T19:00:00.000Z', 'Phone screen (moved)'],
      ['2026-10-19T14:00:00.000Z', 'Phone screen'],
    ]);
  });
});

describe('an override without a start', () => {
  // zentyal/sogo#194: an override of an Exchange series, imported through Thunderbird, held
  // `RECURRENCE-ID:20140513T100000Z` and `DURATION:PT1H` but no DTSTART (RFC 5545 requires one);
  // it crashed the SOGo server. ical.js throws on it in the middle of the series' walk, so every
  // occurrence after it was lost under `unreadable entry: Cannot read properties of null`. It is
  // read at its original time (its RECURRENCE-ID), with its own fields. The override is the
  // report's (the attendee shortened); the weekly series around it is ours.
  const uid = '040000008200E00074C5B7101A82E00800000000901646A7234BCE01000000000000000010000000E9152C8FF1C27D488C91967FAAFCC2B0';
  const series = entry([`UID:${uid}`, 'SUMMARY:Weekly call', 'DTSTART:20140506T100000Z', 'DURATION:PT1H', 'RRULE:FREQ=WEEKLY;COUNT=4']);

  it('reads it at its original time, and the series after it', () => {
    const override = entry([`UID:${uid}`, 'RECURRENCE-ID:20140513T100000Z', 'DURATION:PT1H', 'CLASS:PUBLIC', 'SUMMARY:Weekly call (agenda changed)', 'ATTENDEE;PARTSTAT=NEEDS-ACTION;ROLE=REQ-PARTICIPANT;RSVP=TRUE:mailto:krsny@example.com']);
    const { events, skipped } = parseCalendar(calendar([series, override]), days('2014-05-01', '2014-06-01'));
    expect(skipped).toEqual([{ ref: `${uid.slice(0, 200)} (Weekly call)`, reason: 'an override has no start (DTSTART); read at its original time (RECURRENCE-ID)' }]);
    expect(read(events).map(([, start, title]) => [start, title])).toEqual([
      ['2014-05-06T10:00:00.000Z', 'Weekly call'],
      ['2014-05-13T10:00:00.000Z', 'Weekly call (agenda changed)'],
      ['2014-05-20T10:00:00.000Z', 'Weekly call'],
      ['2014-05-27T10:00:00.000Z', 'Weekly call'],
    ]);
    expect(events[1]?.end).toBe(Date.UTC(2014, 4, 13, 11));
  });

  // A cancellation written the same way (RECURRENCE-ID and STATUS alone) cancels that occurrence.
  it('cancels the occurrence when it is cancelled', () => {
    const override = entry([`UID:${uid}`, 'RECURRENCE-ID:20140513T100000Z', 'STATUS:CANCELLED']);
    const { events } = parseCalendar(calendar([series, override]), days('2014-05-01', '2014-06-01'));
    expect(events.map((e) => new Date(e.start).toISOString())).toEqual(['2014-05-06T10:00:00.000Z', '2014-05-20T10:00:00.000Z', '2014-05-27T10:00:00.000Z']);
  });

  // The same override in a feed without its series (an invitation to that one occurrence): read at
  // its original time, where it was left out with `no start time (DTSTART)`.
  it('reads a lone one at its original time', () => {
    const override = entry([`UID:${uid}`, 'RECURRENCE-ID:20140513T100000Z', 'DURATION:PT1H', 'SUMMARY:Weekly call (agenda changed)']);
    const { events, skipped } = parseCalendar(calendar([override]), days('2014-05-01', '2014-06-01'));
    expect(skipped.map((s) => s.reason)).toEqual(['an override has no start (DTSTART); read at its original time (RECURRENCE-ID)']);
    expect(events.map((e) => [new Date(e.start).toISOString(), new Date(e.end).toISOString(), e.title])).toEqual([['2014-05-13T10:00:00.000Z', '2014-05-13T11:00:00.000Z', 'Weekly call (agenda changed)']]);
  });
});
