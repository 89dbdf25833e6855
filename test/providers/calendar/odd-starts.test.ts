/**
 * Series whose start (DTSTART) is not a day their rule gives, read through parseCalendar as a sync
 * reads them. RFC 5545 §3.8.5.3 calls such a set undefined but makes DTSTART "the first instance",
 * and §3.3.10 says it "always counts as the first occurrence" of a COUNT; the calendar apps a
 * person reads their invitations in show that first occurrence, so a call at the start must not be
 * lost.
 */
import { describe, expect, it } from 'vitest';
import { parseCalendar } from '../../../src/providers/calendar/ical-normalize.js';

const calendar = (entries: readonly string[]): string => ['BEGIN:VCALENDAR', 'VERSION:2.0', 'PRODID:-//test//EN', ...entries, 'END:VCALENDAR', ''].join('\r\n');
const entry = (lines: readonly string[]): string => ['BEGIN:VEVENT', ...lines, 'END:VEVENT'].join('\r\n');
const days = (from: string, to: string) => ({ from: Date.parse(from), to: Date.parse(to) });
const starts = (text: string, window: { from: number; to: number }, floatingZone = 'UTC') => {
  const { events, skipped } = parseCalendar(text, window, { floatingZone });
  return { starts: events.map((e) => new Date(e.start).toISOString()), skipped };
};

describe('a start that is not a day of its rule', () => {
  // kewisch/ical.js#294 (the report's entry): the iPad calendar let a weekly series of Thursdays
  // begin on a Wednesday; "Apple's iCalendar application and Google Calendar both display that
  // oddball first instance", ical.js does not. Before, ringback lost the Wednesday.
  it('reads the start as the first occurrence (ical.js#294)', () => {
    const text = calendar([
      entry([
        'UID:C2366E0E-09A4-4B9C-B9F5-EE96CEE467F0',
        'DTSTART:20170301T100000',
        'DTEND:20170301T110000',
        'RRULE:FREQ=WEEKLY;BYDAY=TH',
        'SUMMARY:Happens every Thursday, but starts on a Wednesday',
      ]),
    ]);
    expect(starts(text, days('2017-02-27', '2017-03-10'))).toEqual({ starts: ['2017-03-01T10:00:00.000Z', '2017-03-02T10:00:00.000Z', '2017-03-09T10:00:00.000Z'], skipped: [] });
  });

  // fmeringdal/rust-rrule#119 (the report's rule): a Thursday start under `FREQ=WEEKLY;COUNT=3;BYDAY=WE`.
  // Google Calendar shows four occurrences there (the start and three Wednesdays); ringback counts
  // the start in COUNT, as RFC 5545 §3.3.10 says and as it reads every rule it expands itself
  // (README, "Odd entries in a calendar"): the start and two Wednesdays. Before, the start was lost.
  it('counts the start in COUNT (rust-rrule#119)', () => {
    const text = calendar([entry(['UID:rust-rrule-119', 'DTSTART;TZID=Europe/Berlin:20240530T200000', 'DURATION:PT1H', 'RRULE:FREQ=WEEKLY;COUNT=3;INTERVAL=1;BYDAY=WE'])]);
    expect(starts(text, days('2024-05-01', '2024-07-01'))).toEqual({ starts: ['2024-05-30T18:00:00.000Z', '2024-06-05T18:00:00.000Z', '2024-06-12T18:00:00.000Z'], skipped: [] });
  });

  // A phone interview written with a yearly rule its start does not fit (our entry; ical.js drops
  // such a start for every FREQ it reads, libical did until libical/libical#325). Before, the call
  // of 14 October was lost and only 2 November stood.
  it('keeps the interview at the start of a yearly rule it does not fit', () => {
    const text = calendar([
      entry([
        'UID:interview',
        'SUMMARY:Phone interview',
        'DTSTART;TZID=America/New_York:20261014T100000',
        'DTEND;TZID=America/New_York:20261014T103000',
        'RRULE:FREQ=YEARLY;BYMONTH=11;BYMONTHDAY=2;COUNT=2',
      ]),
    ]);
    expect(starts(text, days('2026-10-01', '2028-12-01'))).toEqual({ starts: ['2026-10-14T14:00:00.000Z', '2026-11-02T15:00:00.000Z'], skipped: [] });
  });

  it('reads a COUNT of one as the start alone, and a monthly or daily rule alike', () => {
    const text = calendar([
      entry(['UID:one', 'DTSTART:20261014T100000Z', 'DURATION:PT30M', 'RRULE:FREQ=MONTHLY;BYMONTHDAY=2;COUNT=1']),
      entry(['UID:monthly', 'DTSTART:20261014T120000Z', 'DURATION:PT30M', 'RRULE:FREQ=MONTHLY;BYMONTHDAY=2;COUNT=2']),
      entry(['UID:hours', 'DTSTART:20261014T100000Z', 'DURATION:PT30M', 'RRULE:FREQ=DAILY;BYHOUR=9;COUNT=2']),
    ]);
    expect(starts(text, days('2026-10-01', '2027-01-01')).starts).toEqual(['2026-10-14T10:00:00.000Z', '2026-10-14T12:00:00.000Z', '2026-11-02T12:00:00.000Z', '2026-10-14T10:00:00.000Z', '2026-10-15T09:00:00.000Z']);
  });

  // Guard: a start the rule gives is read once, as before.
  it('changes nothing for a start the rule gives', () => {
    const text = calendar([entry(['UID:synced', 'DTSTART:20261015T100000Z', 'DURATION:PT30M', 'RRULE:FREQ=WEEKLY;BYDAY=TH;COUNT=2'])]);
    expect(starts(text, days('2026-10-01', '2027-01-01')).starts).toEqual(['2026-10-15T10:00:00.000Z', '2026-10-22T10:00:00.000Z']);
  });

  // A start excluded (EXDATE) stays excluded and still counts in COUNT: RFC 5545 counts a rule's
  // occurrences before any is excluded. Before, the rule gave three Thursdays.
  it('keeps a start excluded, counted in COUNT', () => {
    const text = calendar([entry(['UID:excluded', 'DTSTART:20261014T100000Z', 'DURATION:PT30M', 'RRULE:FREQ=WEEKLY;BYDAY=TH;COUNT=3', 'EXDATE:20261014T100000Z'])]);
    expect(starts(text, days('2026-10-01', '2027-01-01')).starts).toEqual(['2026-10-15T10:00:00.000Z', '2026-10-22T10:00:00.000Z']);
  });
});

describe('a rule that ends before its first day', () => {
  // A Thursday rule begun on a Wednesday whose UNTIL falls before the Thursday: the start is the
  // set's only occurrence (RFC 5545 §3.8.5.3). Before, ical.js gave none and the entry vanished
  // without a word.
  it('keeps the start', () => {
    const text = calendar([entry(['UID:short', 'DTSTART:20261014T100000Z', 'DURATION:PT30M', 'RRULE:FREQ=WEEKLY;BYDAY=TH;UNTIL=20261014T235959Z', 'SUMMARY:Phone screen'])]);
    expect(starts(text, days('2026-10-01', '2026-11-01'))).toEqual({ starts: ['2026-10-14T10:00:00.000Z'], skipped: [] });
  });

  // A rule whose UNTIL lies before its start gives no occurrence, its start included, as Google
  // Calendar and Apple Calendar read it (README, "Odd entries"); with RDATE values the entry is
  // read at those dates alone, whether or not the start is a day of the rule.
  it('adds no start under a rule that ends before it', () => {
    const text = calendar([entry(['UID:ended', 'DTSTART:20261014T100000Z', 'DURATION:PT30M', 'RRULE:FREQ=WEEKLY;BYDAY=TH;UNTIL=20261001T000000Z', 'RDATE:20261020T100000Z'])]);
    expect(starts(text, days('2026-10-01', '2026-11-01'))).toEqual({ starts: ['2026-10-20T10:00:00.000Z'], skipped: [] });
  });
});
