/**
 * Invitations and feeds as real calendar writers produce them (test/fixtures/ics/writers/, each
 * with its source in the README there), read through the iCalendar path of the `ics` source and
 * CalDAV: the instant, the end, the series, cancellation, the person's answer and the organizer's
 * IANA zone, which decides whether the emails can show the interviewer their own time.
 */
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { CalendarEvent } from '../../../src/domain/types.js';
import { parseCalendar } from '../../../src/providers/calendar/ical-normalize.js';
import { decodeIcs } from '../../../src/providers/calendar/ical-text.js';
import { createIcsSource } from '../../../src/providers/calendar/ics.js';
import { syncAll } from './contract.js';

const WRITERS = new URL('../../fixtures/ics/writers/', import.meta.url);
const ALL_TIME = { from: Date.UTC(2000, 0, 1), to: Date.UTC(2030, 0, 1) };

async function read(name: string): Promise<ReturnType<typeof parseCalendar>> {
  return parseCalendar(decodeIcs(await readFile(new URL(name, WRITERS))), ALL_TIME);
}

const iso = (events: readonly CalendarEvent[]): string[] => events.map((event) => new Date(event.start).toISOString());

interface Expected {
  readonly file: string;
  readonly start: string;
  readonly end: string;
  /** The organizer's zone as the emails will use it; null where it cannot be told. */
  readonly zone: string | null;
  readonly status?: CalendarEvent['status'];
  readonly organizer?: string;
}

// One row per writer: the instants are worked out by hand from the wall time and the zone's
// offset on that day (e.g. 15:00 EDT = 19:00Z), not read back from the code.
const SINGLE_ENTRIES: readonly Expected[] = [
  { file: 'exchange-2010-display-name.ics', start: '2017-07-11T19:00:00.000Z', end: '2017-07-11T19:30:00.000Z', zone: 'America/New_York', organizer: 'nora.quill@northwind.example' },
  { file: 'exchange-2010-romance.ics', start: '2024-03-26T09:00:00.000Z', end: '2024-03-26T09:30:00.000Z', zone: 'Europe/Paris', organizer: 'pablo.marmolejo@contoso.example' },
  { file: 'exchange-2010-publish-eastern.ics', start: '2024-10-28T21:00:00.000Z', end: '2024-10-28T22:00:00.000Z', zone: 'America/New_York' },
  { file: 'teams-romance-no-vtimezone.ics', start: '2021-03-24T13:00:00.000Z', end: '2021-03-24T13:30:00.000Z', zone: 'Europe/Paris', organizer: 'ida.madsen@college.example' },
  { file: 'lotus-notes-pacific.ics', start: '2004-04-15T19:00:00.000Z', end: '2004-04-15T20:00:00.000Z', zone: 'America/Los_Angeles', organizer: 'rmoss@litware.example' },
  { file: 'apple-ical-reply-no-vtimezone.ics', start: '2004-04-15T19:00:00.000Z', end: '2004-04-15T20:00:00.000Z', zone: 'America/Los_Angeles' },
  { file: 'zoom-new-york.ics', start: '2023-08-01T17:00:00.000Z', end: '2023-08-01T18:00:00.000Z', zone: 'America/New_York' },
  { file: 'thunderbird-mozilla-prefix.ics', start: '2024-05-20T01:00:00.000Z', end: '2024-05-20T01:30:00.000Z', zone: 'Asia/Tokyo', organizer: 'aoi@adatum.example' },
  { file: 'google-declined-occurrence.ics', start: '2024-01-26T20:00:00.000Z', end: '2024-01-26T21:00:00.000Z', zone: 'America/Los_Angeles', organizer: 'kai@basis.example' },
  { file: 'zimbra-gmt-display-name.ics', start: '2024-11-05T19:00:00.000Z', end: '2024-11-05T19:30:00.000Z', zone: 'America/New_York', organizer: 'priya@woodgrove.example' },
  // An interview mailer's Windows zone with a DAYLIGHT that changes nothing: 15:00 IST = 09:30Z.
  { file: 'ats-india-standard-time.ics', start: '2024-03-12T09:30:00.000Z', end: '2024-03-12T10:00:00.000Z', zone: 'Asia/Kolkata', organizer: 'meera.iyer@fourthcoffee.example' },
  // Made-up TZIDs with a VTIMEZONE: the time by the file's own rules (10:00 PDT = 17:00Z), no zone
  // name guessed.
  { file: 'custom-utc-plus-11.ics', start: '2017-02-28T12:00:00.000Z', end: '2017-02-28T12:30:00.000Z', zone: null },
  { file: 'exchange-2007-same-as-pacific.ics', start: '2006-06-14T17:00:00.000Z', end: '2006-06-14T17:30:00.000Z', zone: null, organizer: 'lee.chen@proseware.example' },
];

describe('entries as calendar writers write them', () => {
  it.each(SINGLE_ENTRIES)('$file: right instant, end and organizer zone', async (expected) => {
    const { events, skipped } = await read(expected.file);
    expect(skipped).toEqual([]);
    expect(events).toHaveLength(1);
    const [event] = events as [CalendarEvent];
    expect({ start: new Date(event.start).toISOString(), end: new Date(event.end).toISOString(), zone: event.timeZone }).toEqual({
      start: expected.start,
      end: expected.end,
      zone: expected.zone,
    });
    expect(event.status).toBe(expected.status ?? 'confirmed');
    if (expected.organizer) expect(event.organizer?.email).toBe(expected.organizer);
  });

  it('a Windows-zone series without VTIMEZONE keeps its last occurrence (UTC UNTIL), drops its EXDATE and moves its override', async () => {
    const { events, skipped } = await read('outlook-series-w-europe.ics');
    expect(skipped).toEqual([]);
    // Every other Monday 09:30 Berlin (08:30Z in winter) from 14 Dec 2020 until 8 Mar 2021 08:30Z,
    // without 28 Dec, and 11 Jan moved to 11:00 (10:00Z).
    expect(iso(events)).toEqual([
      '2020-12-14T08:30:00.000Z',
      '2021-01-11T10:00:00.000Z',
      '2021-01-25T08:30:00.000Z',
      '2021-02-08T08:30:00.000Z',
      '2021-02-22T08:30:00.000Z',
      '2021-03-08T08:30:00.000Z',
    ]);
    expect(events.map((event) => event.timeZone)).toEqual(Array(6).fill('Europe/Berlin'));
    expect(events[1]?.title).toBe('Interview loop - Tailspin (moved)');
  });

  it('the same series with the VTIMEZONE Exchange writes beside it gives the same occurrences', async () => {
    const zone = [
      'BEGIN:VTIMEZONE', 'TZID:W. Europe Standard Time',
      'BEGIN:STANDARD', 'DTSTART:16010101T030000', 'TZOFFSETFROM:+0200', 'TZOFFSETTO:+0100', 'RRULE:FREQ=YEARLY;INTERVAL=1;BYDAY=-1SU;BYMONTH=10', 'END:STANDARD',
      'BEGIN:DAYLIGHT', 'DTSTART:16010101T020000', 'TZOFFSETFROM:+0100', 'TZOFFSETTO:+0200', 'RRULE:FREQ=YEARLY;INTERVAL=1;BYDAY=-1SU;BYMONTH=3', 'END:DAYLIGHT',
      'END:VTIMEZONE',
    ].join('\r\n');
    const text = (await readFile(new URL('outlook-series-w-europe.ics', WRITERS), 'utf8')).replace('VERSION:2.0\r\n', `VERSION:2.0\r\n${zone}\r\n`);
    const withZone = parseCalendar(text, ALL_TIME);
    expect(withZone.skipped).toEqual([]);
    expect(withZone.events.map((event) => [event.start, event.timeZone])).toEqual((await read('outlook-series-w-europe.ics')).events.map((event) => [event.start, event.timeZone]));
  });

  it('the organizer of an entry sent on their behalf is the principal, not the sender; quoted names with commas and quotes stay whole', async () => {
    const [first] = (await read('outlook-series-w-europe.ics')).events;
    expect(first?.organizer).toEqual({ name: 'Meyer, Jonas', email: 'jonas.meyer@tailspin.example' });
    expect(first?.attendees).toEqual([{ name: "O'Brien, Sam", email: 'sam@candidate.example', status: 'accepted' }]);
  });

  it('reads a CN in RFC 6868 quotes, an escaped comma, a DTSTART alone (zero length) and a date alone (one day)', () => {
    const text = [
      'BEGIN:VCALENDAR',
      'BEGIN:VEVENT', 'UID:a', 'DTSTART:20240101T100000Z', 'DTEND:20240101T110000Z',
      `ORGANIZER;CN="Pat ^'PJ^' O'Neil":mailto:pat@fabrikam.example`, 'ATTENDEE;CN=Plain\\, unquoted;PARTSTAT=ACCEPTED:mailto:p@fabrikam.example', 'END:VEVENT',
      'BEGIN:VEVENT', 'UID:b', 'DTSTART;TZID=Pacific Standard Time:20240101T100000', 'END:VEVENT',
      'BEGIN:VEVENT', 'UID:c', 'DTSTART;VALUE=DATE:20240101', 'END:VEVENT',
      'END:VCALENDAR',
    ].join('\r\n');
    const { events, skipped } = parseCalendar(text, ALL_TIME);
    expect(skipped).toEqual([]);
    expect(events.map((e) => [e.id, e.organizer?.name ?? null, e.attendees.map((a) => a.name), new Date(e.start).toISOString(), new Date(e.end).toISOString(), e.allDay])).toEqual([
      ['a', `Pat "PJ" O'Neil`, ['Plain, unquoted'], '2024-01-01T10:00:00.000Z', '2024-01-01T11:00:00.000Z', false],
      ['b', null, [], '2024-01-01T18:00:00.000Z', '2024-01-01T18:00:00.000Z', false],
      ['c', null, [], '2024-01-01T00:00:00.000Z', '2024-01-02T00:00:00.000Z', true],
    ]);
  });

  it("keeps the person's answer: a declined occurrence of a Google series, and a Lotus Notes chair", async () => {
    const [google] = (await read('google-declined-occurrence.ics')).events;
    expect(google?.attendees.find((a) => a.email === 'sam@candidate.example')?.status).toBe('declined');
    const [lotus] = (await read('lotus-notes-pacific.ics')).events;
    expect(lotus?.attendees.map((a) => [a.name, a.status])).toEqual([
      ['Rita Moss/Litware', 'accepted'],
      ['Sam Rivers/Home', 'accepted'],
    ]);
  });

  it('an Exchange CANCEL message cancels its entries, with or without STATUS:CANCELLED', async () => {
    const { events, skipped } = await read('exchange-2010-cancel.ics');
    expect(skipped).toEqual([]);
    expect(events.map((event) => [new Date(event.start).toISOString(), event.status])).toEqual([
      ['2017-07-11T19:00:00.000Z', 'cancelled'],
      ['2017-07-12T14:00:00.000Z', 'cancelled'],
    ]);
    // The same entry in a REQUEST stays confirmed: it is the method that cancels.
    const request = (await readFile(new URL('exchange-2010-cancel.ics', WRITERS), 'utf8')).replaceAll('METHOD:CANCEL', 'METHOD:REQUEST');
    expect(parseCalendar(request, ALL_TIME).events.map((event) => event.status)).toEqual(['cancelled', 'confirmed']);
  });

  it('DTSTART with DURATION and no DTEND ends an hour later; a VTIMEZONE whose rules disagree with its name keeps its own time and gets no name', async () => {
    const { events, skipped } = await read('apple-calendarserver-duration.ics');
    expect(skipped).toEqual([]);
    // US/Eastern written with the rules before 2007 (summer time from the first Sunday of April):
    // 10:30 on 20 March is EST by the file (15:30Z), where America/New_York is on EDT.
    expect(events.map((event) => [new Date(event.start).toISOString(), new Date(event.end).toISOString(), event.timeZone])).toEqual([
      ['2025-01-07T15:30:00.000Z', '2025-01-07T16:30:00.000Z', 'US/Eastern'],
      ['2025-03-20T15:30:00.000Z', '2025-03-20T16:30:00.000Z', null],
    ]);
  });

  it('"Customized Time Zone" (Outlook) is read by its rules and named by its TZURL; without one no name is guessed', async () => {
    const { events } = await read('customized-time-zone.ics');
    // 09:00 AEST (+10) = 23:00Z the day before; the all-day holiday beside it stays a date.
    expect(events.map((event) => [new Date(event.start).toISOString(), event.timeZone, event.allDay])).toEqual([
      ['2021-06-13T23:00:00.000Z', 'Australia/Sydney', false],
      ['2021-06-14T00:00:00.000Z', null, true],
    ]);
    const withoutUrl = (await readFile(new URL('customized-time-zone.ics', WRITERS), 'utf8')).replace(/^TZURL:.*\r\n/m, '');
    expect(parseCalendar(withoutUrl, ALL_TIME).events.map((event) => [new Date(event.start).toISOString(), event.timeZone])).toEqual([
      ['2021-06-13T23:00:00.000Z', null],
      ['2021-06-14T00:00:00.000Z', null],
    ]);
  });

  it.each(SINGLE_ENTRIES.map((row) => row.file).filter((file) => !file.startsWith('teams')))(
    '%s read as text, as CalDAV hands it over: lines folded inside their parameters are read whole',
    async (file) => {
      const fromText = parseCalendar(await readFile(new URL(file, WRITERS), 'utf8'), ALL_TIME);
      expect(fromText.skipped).toEqual([]);
      expect(fromText.events).toEqual((await read(file)).events);
    },
  );

  it('an Exchange CDO all-day entry written as local midnights is all-day; a marked entry not midnight to midnight stays timed', async () => {
    const { events, skipped } = await read('exchange-cdo-all-day.ics');
    expect(skipped).toEqual([]);
    expect(events.map((event) => [new Date(event.start).toISOString(), new Date(event.end).toISOString(), event.allDay])).toEqual([
      ['2024-06-10T07:00:00.000Z', '2024-06-11T07:00:00.000Z', true],
      ['2024-06-11T07:00:00.000Z', '2024-06-11T07:30:00.000Z', false],
    ]);
  });

  it('unfolds the bytes before decoding: a fold inside "ø" (Teams) does not garble the organizer', async () => {
    const bytes = await readFile(new URL('teams-romance-no-vtimezone.ics', WRITERS));
    const naive = parseCalendar(new TextDecoder().decode(bytes), ALL_TIME).events[0];
    // Decoded first, each half of the character becomes U+FFFD and the organizer is lost.
    expect(naive?.organizer?.name).not.toBe('Ida Skovhøj Madsen');
    const [event] = parseCalendar(decodeIcs(bytes), ALL_TIME).events;
    expect(event?.organizer?.name).toBe('Ida Skovhøj Madsen');
  });
});

describe('a zone ringback cannot read', () => {
  const entry = (uid: string, tzid: string): string =>
    [`BEGIN:VEVENT`, `UID:${uid}`, `DTSTART;TZID=${tzid}:20240611T090000`, `DTEND;TZID=${tzid}:20240611T093000`, 'SUMMARY:Call', 'END:VEVENT'].join('\r\n');
  const feed = (...entries: string[]): string => ['BEGIN:VCALENDAR', 'VERSION:2.0', ...entries, 'END:VCALENDAR', ''].join('\r\n');

  it('leaves out only that entry, with a message naming the zone, and keeps the others', () => {
    const { events, skipped } = parseCalendar(
      feed(entry('mars@x', 'Mars/Olympus'), entry('wrong-offset@x', '"(UTC-06:00) Eastern Time (US & Canada)"'), entry('ok@x', 'Pacific Standard Time')),
      ALL_TIME,
    );
    expect(events.map((event) => [event.id, new Date(event.start).toISOString(), event.timeZone])).toEqual([['ok@x', '2024-06-11T16:00:00.000Z', 'America/Los_Angeles']]);
    expect(skipped.map((item) => item.ref)).toEqual(['mars@x (Call)', 'wrong-offset@x (Call)']);
    expect(skipped[0]?.reason).toMatch(/^unknown time zone "Mars\/Olympus": the file does not define it/);
    // A display name whose offset contradicts its name is not trusted.
    expect(skipped[1]?.reason).toMatch(/^unknown time zone "\(UTC-06:00\) Eastern Time \(US & Canada\)"/);
  });

  it('through the ics source, a feed with such an entry still syncs the rest', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'ringback-writers-'));
    try {
      const path = join(dir, 'calendar.ics');
      const day = Date.UTC(2024, 5, 10);
      await writeFile(path, feed(entry('mars@x', 'Mars/Olympus'), entry('ok@x', 'W. Europe Standard Time')));
      const { upserts, skipped } = await syncAll(createIcsSource({ id: 'writers', path, horizonDays: 30, now: () => day }), null);
      expect(upserts.map((event) => [event.id, new Date(event.start).toISOString(), event.timeZone])).toEqual([['ok@x', '2024-06-11T07:00:00.000Z', 'Europe/Berlin']]);
      expect(skipped).toEqual([expect.objectContaining({ ref: 'mars@x (Call)', reason: expect.stringMatching(/unknown time zone "Mars\/Olympus"/) as unknown })]);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('the ics source decodes a file folded inside a multi-byte character', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'ringback-writers-'));
    try {
      const path = join(dir, 'teams.ics');
      await writeFile(path, await readFile(new URL('teams-romance-no-vtimezone.ics', WRITERS)));
      const { upserts } = await syncAll(createIcsSource({ id: 'writers', path, horizonDays: 30, now: () => Date.UTC(2021, 2, 20) }), null);
      expect(upserts.map((event) => event.organizer?.name)).toEqual(['Ida Skovhøj Madsen']);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});

describe('what a zone name means in the file that uses it', () => {
  it('"GMT" defined with British summer time is London time, in summer and in winter (pretalx)', async () => {
    const { events, skipped } = await read('pretalx-gmt-british-summer.ics');
    expect(skipped).toEqual([]);
    // 10:20 BST = 09:20Z; 10:20 GMT in January = 10:20Z.
    expect(events.map((e) => [new Date(e.start).toISOString(), new Date(e.end).toISOString(), e.timeZone])).toEqual([
      ['2026-07-23T09:20:00.000Z', '2026-07-23T09:50:00.000Z', 'Europe/London'],
      ['2026-01-15T10:20:00.000Z', '2026-01-15T10:50:00.000Z', 'Europe/London'],
    ]);
  });

  it('"GMT" the file does not define is Greenwich Mean Time, UTC+0 all year', () => {
    const text = ['BEGIN:VCALENDAR', 'VERSION:2.0', 'BEGIN:VEVENT', 'UID:g', 'DTSTAMP:20260101T000000Z', 'DTSTART;TZID=GMT:20260723T102000', 'DTEND;TZID=GMT:20260723T105000', 'END:VEVENT', 'END:VCALENDAR'].join('\r\n');
    const { events, skipped } = parseCalendar(text, ALL_TIME);
    expect(skipped).toEqual([]);
    expect(events.map((e) => [new Date(e.start).toISOString(), e.timeZone])).toEqual([['2026-07-23T10:20:00.000Z', 'UTC']]);
  });

  it('floating times of a calendar with X-WR-TIMEZONE are read in that zone; its dates stay the person\'s days', async () => {
    const text = decodeIcs(await readFile(new URL('apple-ical-floating-x-wr-timezone.ics', WRITERS)));
    const { events, skipped } = parseCalendar(text, ALL_TIME, { floatingZone: 'America/New_York' });
    expect(skipped).toEqual([]);
    // 14:00 CEST = 12:00Z, 09:00 CET = 08:00Z; the day off is 11 September in New York (04:00Z).
    // Each time says the zone it was read in and whose it is, for `explain`; a date has none.
    expect(events.map((e) => [new Date(e.start).toISOString(), new Date(e.end).toISOString(), e.allDay, e.floating])).toEqual([
      ['2024-09-10T12:00:00.000Z', '2024-09-10T12:30:00.000Z', false, { zone: 'Europe/Oslo', from: 'calendar' }],
      ['2024-01-05T08:00:00.000Z', '2024-01-05T08:30:00.000Z', false, { zone: 'Europe/Oslo', from: 'calendar' }],
      ['2024-09-11T04:00:00.000Z', '2024-09-12T04:00:00.000Z', true, undefined],
    ]);
  });

  it('X-WR-TIMEZONE changes no time written in UTC (Google Calendar\'s export)', async () => {
    const { events, skipped } = await read('google-x-wr-timezone-utc.ics');
    expect(skipped).toEqual([]);
    expect(iso(events)).toEqual(['2019-09-19T00:00:00.000Z']);
    expect(events[0]?.floating).toBeUndefined();
  });

  it('X-WR-TIMEZONE is each calendar\'s own: a second calendar in the same text without it reads floating times as before', () => {
    const calendar = (zone: string | null, uid: string) =>
      ['BEGIN:VCALENDAR', 'VERSION:2.0', ...(zone ? [`X-WR-TIMEZONE:${zone}`] : []), 'BEGIN:VEVENT', `UID:${uid}`, 'DTSTAMP:20240101T000000Z', 'DTSTART:20240910T140000', 'DTEND:20240910T143000', 'END:VEVENT', 'END:VCALENDAR'].join('\r\n');
    const { events } = parseCalendar(`${calendar('Asia/Tokyo', 'tokyo')}\r\n${calendar(null, 'plain')}`, ALL_TIME, { floatingZone: 'Europe/Berlin' });
    expect(events.map((e) => [e.id, new Date(e.start).toISOString(), e.floating])).toEqual([
      ['tokyo', '2024-09-10T05:00:00.000Z', { zone: 'Asia/Tokyo', from: 'calendar' }],
      ['plain', '2024-09-10T12:00:00.000Z', { zone: 'Europe/Berlin', from: 'you' }],
    ]);
  });
});

