/**
 * Odd entries written by invitation and feed writers (libraries and calendar services), each from
 * the public source cited beside it, read through parseCalendar as every ICS and CalDAV calendar is,
 * beside an ordinary call. README, "Odd entries in a calendar".
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { CalendarEvent } from '../../../src/domain/types.js';
import { parseCalendar } from '../../../src/providers/calendar/ical-normalize.js';
import { withCpuTime } from '../../support/cpu-time.js';

const calendar = (entries: readonly string[]): string => ['BEGIN:VCALENDAR', 'VERSION:2.0', 'PRODID:-//test//EN', ...entries, 'END:VCALENDAR', ''].join('\r\n');
const entry = (lines: readonly string[]): string => ['BEGIN:VEVENT', ...lines, 'END:VEVENT'].join('\r\n');
const call = (start: string): string => entry(['UID:call', `DTSTART:${start}`, 'DURATION:PT30M', 'SUMMARY:Phone screen with Acme']);
const days = (from: string, to: string) => ({ from: Date.parse(from), to: Date.parse(to) });
const starts = (events: readonly CalendarEvent[]): [string, string][] => events.map((e) => [e.id, new Date(e.start).toISOString()]);
/** A file as its writer wrote it (test/fixtures/ics/writers/, its source in the README there). */
const written = (name: string): string => readFileSync(new URL(`../../fixtures/ics/writers/${name}`, import.meta.url), 'utf8');
/** The file with more entries before its END:VCALENDAR. */
const withEntries = (text: string, entries: readonly string[]): string => text.replace(/END:VCALENDAR\r\n$/, [...entries, 'END:VCALENDAR', ''].join('\r\n'));

// collective/icalendar (src/icalendar/cal/timezone.py, Timezone.from_tzinfo, which
// Calendar.add_missing_timezones() calls) lists each observance's onsets: its DTSTART, then every
// other onset on one RDATE line. Both files were written by it (at 851cb477), for an event with a
// ZoneInfo("Europe/Berlin") start: by add_missing_timezones(), and by Timezone.from_tzid() for 2026
// and 2027. ical.js took the first date of an RDATE line and dropped the DTSTART onset (as libical
// did, libical/libical#156): summer time ended in 1981 (or began in 2027), and a July call was read
// an hour late.
describe("a zone whose onsets are listed, as Python's icalendar writes every zone it adds", () => {
  it.each(['icalendar-add-missing-timezones.ics', 'icalendar-from-tzid-2026.ics'])("reads the call at the zone's time, in summer and in winter: %s", (file) => {
    const second = entry(['UID:u2', 'SUMMARY:Second round', 'DTSTART;TZID=Europe/Berlin:20261201T090000', 'DTEND;TZID=Europe/Berlin:20261201T093000']);
    const { events, skipped } = parseCalendar(withEntries(written(file), [second, call('20260715T090000Z')]), days('2026-07-01', '2026-12-31'));
    expect(skipped).toEqual([]);
    expect(events.map((e) => [e.id, new Date(e.start).toISOString(), e.timeZone])).toEqual([
      ['u1', '2026-07-14T07:00:00.000Z', 'Europe/Berlin'],
      ['u2', '2026-12-01T08:00:00.000Z', 'Europe/Berlin'],
      ['call', '2026-07-15T09:00:00.000Z', 'UTC'],
    ]);
  });
});

// A zone may list any number of onsets; ical.js expands each. Guard: listed on one line, they cost
// what they cost on lines of their own (which a file could always write), and a zone of more
// than 2000 changes is refused as before (ical-zone-bounds.ts), the entries in it left out, named.
it('costs no more for onsets listed on one line than on lines of their own', () => {
  const onsets = Array.from({ length: 10_000 }, (_, i) => new Date(Date.UTC(1900, 0, 7, 2) + i * 86_400_000).toISOString().replace(/[-:]/g, '').replace('.000Z', ''));
  const zone = (rdates: readonly string[]): string =>
    ['BEGIN:VTIMEZONE', 'TZID:Listed', 'BEGIN:DAYLIGHT', 'DTSTART:18991231T020000', ...rdates, 'TZOFFSETFROM:+0100', 'TZOFFSETTO:+0200', 'END:DAYLIGHT', 'END:VTIMEZONE'].join('\r\n');
  const read = (rdates: readonly string[]) => withCpuTime(() => parseCalendar(calendar([zone(rdates), entry(['UID:listed', 'DTSTART;TZID=Listed:20260714T090000', 'DURATION:PT30M']), call('20260715T090000Z')]), days('2026-07-01', '2026-08-01')));
  const lines = read(onsets.map((onset) => `RDATE:${onset}`));
  const listed = read([`RDATE:${onsets.join(',')}`]);
  expect(listed.value).toEqual(lines.value);
  expect(starts(listed.value.events)).toEqual([['call', '2026-07-15T09:00:00.000Z']]);
  expect(listed.value.skipped.map((s) => s.reason.slice(0, 50))).toEqual(['unreadable time zone: more than 2000 clock changes', 'unknown time zone "Listed": the file does not defi']);
  expect(listed.cpuMs).toBeLessThan(1.5 * lines.cpuMs + 100);
});

// davaxi/VCalendar (src/VCalendar.php, getContent) writes a VTIMEZONE of TZID and X-LIC-LOCATION
// alone, no STANDARD or DAYLIGHT (abe-101/myHebrewDates#192 removed such a one from its feed), and
// accepts only STATUS:CANCELED (setStatus; davaxi/VCalendar#6). An invitation as it writes one.
const davaxi = (status: string): string =>
  [
    'BEGIN:VCALENDAR',
    'VERSION:2.0',
    'PRODID:-//Acme//Careers 1.0//EN',
    'CALSCALE:GREGORIAN',
    'METHOD:REQUEST',
    'X-MS-OLK-FORCEINSPECTOROPEN:TRUE',
    'BEGIN:VTIMEZONE',
    'TZID:Europe/Paris',
    'X-LIC-LOCATION:Europe/Paris',
    'END:VTIMEZONE',
    'BEGIN:VEVENT',
    'DTSTAMP:20260701T080000Z',
    'DTSTART;TZID=Europe/Paris:20260714T090000',
    'DTEND;TZID=Europe/Paris:20260714T093000',
    `STATUS:${status}`,
    'SUMMARY:Phone screen',
    'ORGANIZER;CN=Jo:MAILTO:jo@acme.example',
    'UID:20260701T080000-1804289383',
    'END:VEVENT',
    'END:VCALENDAR',
    '',
  ].join('\r\n');

describe('an invitation of davaxi/VCalendar', () => {
  // ical.js read the zone of no offsets as UTC: 09:00 in Paris stood at 09:00 UTC, two hours late.
  it('reads its times by the zone\'s name when its VTIMEZONE defines no offset', () => {
    const { events, skipped } = parseCalendar(davaxi('CONFIRMED'), days('2026-07-01', '2026-08-01'));
    expect(skipped).toEqual([]);
    expect(events.map((e) => [new Date(e.start).toISOString(), (e.end - e.start) / 60_000, e.timeZone, e.status])).toEqual([['2026-07-14T07:00:00.000Z', 30, 'Europe/Paris', 'confirmed']]);
  });

  // The call withdrawn stayed confirmed, and its confirmation and follow-up were written.
  it('reads STATUS:CANCELED as a cancelled call', () => {
    const { events } = parseCalendar(davaxi('CANCELED'), days('2026-07-01', '2026-08-01'));
    expect(events.map((e) => e.status)).toEqual(['cancelled']);
  });
});

// libical/libical#152: Google Calendar wrote a TZID with a colon unquoted, under its own VTIMEZONE
// (the report's sample, with a UID and a summary). ical.js refused the value, and the call was lost.
it('reads a TZID written with a colon and without quotes up to the last colon, as libical does', () => {
  const google = [
    'BEGIN:VCALENDAR',
    'PRODID:-//Google Inc//Google Calendar 70.9054//EN',
    'VERSION:2.0',
    'CALSCALE:GREGORIAN',
    'X-WR-CALNAME:work',
    'X-WR-TIMEZONE:Asia/Calcutta',
    'BEGIN:VTIMEZONE',
    'TZID:GMT+05:30',
    'X-LIC-LOCATION:GMT+05:30',
    'BEGIN:STANDARD',
    'TZOFFSETFROM:+0530',
    'TZOFFSETTO:+0530',
    'TZNAME:IST',
    'DTSTART:19700101T000000',
    'END:STANDARD',
    'END:VTIMEZONE',
    'BEGIN:VEVENT',
    'UID:gmt0530@google.com',
    'SUMMARY:Phone screen',
    'DTSTART;TZID=GMT+05:30:20120904T020000',
    'DTEND;TZID=GMT+05:30:20120904T030000',
    'EXDATE;TZID=GMT+05:30:20120911T020000',
    'RRULE:FREQ=WEEKLY;COUNT=3',
    'END:VEVENT',
    call('20120905T090000Z'),
    'END:VCALENDAR',
    '',
  ].join('\r\n');
  const { events, skipped } = parseCalendar(google, days('2012-09-01', '2012-10-01'));
  expect(skipped).toEqual([]);
  expect(starts(events)).toEqual([
    ['gmt0530@google.com/2012-09-03T20:30:00.000Z', '2012-09-03T20:30:00.000Z'],
    ['gmt0530@google.com/2012-09-17T20:30:00.000Z', '2012-09-17T20:30:00.000Z'],
    ['call', '2012-09-05T09:00:00.000Z'],
  ]);
});

// sabre-io/vobject#219 (a calendar with three EXDATE forms: none, two values, two values and a
// trailing comma; tutao/tutanota#5973 and owncloud/calendar#729 met the same), and the empty RDATE
// lines of a university's VTIMEZONE (kewisch/ical.js#462). ical.js refused the empty value, and the
// whole series was left out (its zone, named by no other means, with it).
it('reads a list of dates with an empty item, or an empty list, as the dates it holds', () => {
  const zone = [
    'BEGIN:VTIMEZONE',
    'TZID:Uni Zeit',
    'BEGIN:DAYLIGHT',
    'TZNAME:CEST',
    'TZOFFSETFROM:+0100',
    'TZOFFSETTO:+0200',
    'DTSTART:19810329T020000',
    'RRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=-1SU',
    'RDATE:',
    'RDATE:',
    'END:DAYLIGHT',
    'BEGIN:STANDARD',
    'TZNAME:CET',
    'TZOFFSETFROM:+0200',
    'TZOFFSETTO:+0100',
    'DTSTART:19961027T030000',
    'RRULE:FREQ=YEARLY;BYMONTH=10;BYDAY=-1SU',
    'RDATE:',
    'END:STANDARD',
    'END:VTIMEZONE',
  ].join('\r\n');
  const weekly = (uid: string, exdate: string): string =>
    entry([`UID:${uid}`, 'SUMMARY:Weekly call', 'DTSTART;TZID=Europe/Berlin:20150507T130000', 'DURATION:PT30M', 'RRULE:FREQ=WEEKLY;COUNT=4', exdate]);
  const text = calendar([
    zone,
    weekly('none', 'EXDATE;TZID=Europe/Berlin:'),
    weekly('trailing', 'EXDATE;TZID=Europe/Berlin:20150514T130000,20150528T130000,'),
    entry(['UID:uni', 'SUMMARY:Phone interview', 'DTSTART;TZID=Uni Zeit:20150520T100000', 'DURATION:PT30M']),
  ]);
  const { events, skipped } = parseCalendar(text, days('2015-05-01', '2015-06-01'));
  expect(skipped).toEqual([]);
  expect(starts(events)).toEqual([
    ['none/2015-05-07T11:00:00.000Z', '2015-05-07T11:00:00.000Z'],
    ['none/2015-05-14T11:00:00.000Z', '2015-05-14T11:00:00.000Z'],
    ['none/2015-05-21T11:00:00.000Z', '2015-05-21T11:00:00.000Z'],
    ['none/2015-05-28T11:00:00.000Z', '2015-05-28T11:00:00.000Z'],
    ['trailing/2015-05-07T11:00:00.000Z', '2015-05-07T11:00:00.000Z'],
    ['trailing/2015-05-21T11:00:00.000Z', '2015-05-21T11:00:00.000Z'],
    ['uni', '2015-05-20T08:00:00.000Z'],
  ]);
});

// mangstadt/biweekly#113: iCloud writes the organizer's address in RFC 7986's EMAIL parameter and a
// principal's path as the value; sebbo2002/ical-generator#119: Apple Calendar's invitations give the
// real address in EMAIL and a relay of Apple's as the mailto. Read from the value alone, iCloud's
// organizer had no address (nobody to write the confirmation to) and Apple's was the relay.
it("reads a person's address from the EMAIL parameter when the value is a principal or a relay", () => {
  const text = calendar([
    entry([
      'UID:icloud',
      'SUMMARY:Phone screen',
      'DTSTART:20220401T150000Z',
      'DURATION:PT30M',
      'ORGANIZER;CN=Organizer Name;EMAIL=organizer.test@icloud.com:/aMTc4MjA5ODM',
      ' wMDQxNzgyMFOz1I9CYraecqqxCBpAcPRegJ6OKuR39614Y6GLCrXV/principal/',
      'ATTENDEE;CN=Candidate;EMAIL=candidate@example.com;PARTSTAT=ACCEPTED:urn:uuid:9a6a3c4e-1b1f-4a8e-9a53-2f0c1e2b7d11',
    ]),
    entry(['UID:apple', 'SUMMARY:Phone screen', 'DTSTART:20220402T150000Z', 'DURATION:PT30M', 'ORGANIZER;CN="Dana";EMAIL=dana@example.org:mailto:2_hazdcmrrgm2tknjy@imip.me.com']),
    entry(['UID:plain', 'SUMMARY:Phone screen', 'DTSTART:20220403T150000Z', 'DURATION:PT30M', 'ORGANIZER;CN=Lee:mailto:Lee@Example.net']),
  ]);
  const { events } = parseCalendar(text, days('2022-04-01', '2022-04-05'));
  expect(events.map((e) => [e.id, e.organizer, e.attendees])).toEqual([
    ['icloud', { name: 'Organizer Name', email: 'organizer.test@icloud.com' }, [{ name: 'Candidate', email: 'candidate@example.com', status: 'accepted' }]],
    ['apple', { name: 'Dana', email: 'dana@example.org' }, []],
    ['plain', { name: 'Lee', email: 'lee@example.net' }, []],
  ]);
});

// fmeringdal/rust-rrule#97: the Rust crate rrule wrote its frequency in lower case
// (`FREQ=yearly;BYMONTH=12;BYMONTHDAY=24,25,26`). ical.js refused it ("invalid frequency") and the
// series was left out; RFC 5545 §2 makes such values case-insensitive.
it('reads a rule written in lower case', () => {
  const text = calendar([entry(['UID:rust', 'SUMMARY:Phone screen', 'DTSTART:20261224T090000Z', 'DURATION:PT30M', 'RRULE:FREQ=yearly;BYMONTH=12;BYMONTHDAY=24,25,26']), call('20261223T090000Z')]);
  const { events, skipped } = parseCalendar(text, days('2026-12-01', '2027-01-01'));
  expect(skipped).toEqual([]);
  expect(starts(events).map(([id]) => id)).toEqual(['rust/2026-12-24T09:00:00.000Z', 'rust/2026-12-25T09:00:00.000Z', 'rust/2026-12-26T09:00:00.000Z', 'call']);
});
