import { mkdtemp, readFile, rm, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { CalendarEvent, Millis } from '../../../src/domain/types.js';
import { parseCalendar, type ExpandWindow } from '../../../src/providers/calendar/ical-normalize.js';
import { createIcsSource } from '../../../src/providers/calendar/ics.js';
import { PermanentError } from '../../../src/providers/errors.js';
import { plainReadingCpuMs, withCpuTime } from '../../support/cpu-time.js';
import {
  describeCalendarContract,
  harnessCalendarToIcs,
  syncAll,
  type CalendarHarness,
  type HarnessEvent,
} from './contract.js';

const FIXTURES = new URL('../../fixtures/ics/', import.meta.url);
const MARCH: ExpandWindow = { from: Date.UTC(2024, 2, 1), to: Date.UTC(2024, 3, 30) };
const utc = (iso: string): Millis => Date.parse(iso);

async function fixture(name: string, window: ExpandWindow = MARCH): Promise<ReturnType<typeof parseCalendar>> {
  return parseCalendar(await readFile(new URL(name, FIXTURES), 'utf8'), window);
}

function byId(events: readonly CalendarEvent[], id: string): CalendarEvent {
  const found = events.find((event) => event.id === id);
  if (!found) throw new Error(`no event ${id} among ${events.map((e) => e.id).join(', ')}`);
  return found;
}

function stamp(ms: Millis): string {
  return new Date(ms).toISOString().replace(/[-:]/g, '').replace(/\.\d{3}/, '');
}

function vevent(uid: string, start: Millis, extra: readonly string[] = []): string {
  return ['BEGIN:VEVENT', `UID:${uid}`, `DTSTART:${stamp(start)}`, `DTEND:${stamp(start + 1_800_000)}`, ...extra, 'END:VEVENT'].join('\r\n');
}

function calendar(events: readonly string[]): string {
  return ['BEGIN:VCALENDAR', 'VERSION:2.0', ...events, 'END:VCALENDAR', ''].join('\r\n');
}

describe('parseCalendar', () => {
  it('honours a VTIMEZONE across the start of daylight saving time in New York', async () => {
    const { events, skipped } = await fixture('new-york-dst.ics');
    expect(skipped).toEqual([]);
    expect(byId(events, 'before-dst@fixtures.test')).toMatchObject({
      start: utc('2024-03-08T15:00:00Z'),
      end: utc('2024-03-08T15:30:00Z'),
      timeZone: 'America/New_York',
    });
    expect(byId(events, 'after-dst@fixtures.test').start).toBe(utc('2024-03-11T14:00:00Z'));
    const daily = events.filter((e) => e.id.startsWith('daily-across-dst@fixtures.test/')).map((e) => new Date(e.start).toISOString());
    expect(daily).toEqual([
      '2024-03-08T14:00:00.000Z',
      '2024-03-09T14:00:00.000Z',
      '2024-03-10T13:00:00.000Z',
      '2024-03-11T13:00:00.000Z',
      '2024-03-12T13:00:00.000Z',
    ]);
  });

  it('honours a VTIMEZONE whose TZID is a Windows name (Outlook), and names its IANA zone', async () => {
    const { events } = await fixture('new-york-dst.ics');
    expect(byId(events, 'outlook-zone@fixtures.test')).toMatchObject({ start: utc('2024-03-12T15:00:00Z'), timeZone: 'America/New_York' });
  });

  it('honours Europe/London on both sides of the switch to summer time', async () => {
    const { events } = await fixture('london.ics');
    expect(byId(events, 'london-winter@fixtures.test').start).toBe(utc('2024-03-29T10:00:00Z'));
    expect(byId(events, 'london-summer@fixtures.test')).toMatchObject({ start: utc('2024-04-02T09:00:00Z'), timeZone: 'Europe/London' });
  });

  it('expands a series with EXDATE, RDATE, a moved override and a cancelled override', async () => {
    const { events, skipped } = await fixture('recurring.ics');
    expect(skipped).toEqual([]);
    const weekly = events.filter((e) => e.id.startsWith('weekly@fixtures.test/'));
    expect(weekly.map((e) => e.id)).toEqual([
      'weekly@fixtures.test/2024-03-04T15:00:00.000Z',
      'weekly@fixtures.test/2024-03-11T15:00:00.000Z',
      'weekly@fixtures.test/2024-04-01T15:00:00.000Z',
      'weekly@fixtures.test/2024-04-06T15:00:00.000Z',
      'weekly@fixtures.test/2024-04-08T15:00:00.000Z',
    ]);
    expect(byId(events, 'weekly@fixtures.test/2024-03-11T15:00:00.000Z')).toMatchObject({
      title: 'Weekly interview loop (moved to Tuesday)',
      start: utc('2024-03-12T17:00:00Z'),
      end: utc('2024-03-12T18:00:00Z'),
    });
    expect(byId(events, 'weekly@fixtures.test/2024-03-04T15:00:00.000Z').organizer?.email).toBe('rita@acme.example');
    expect(byId(events, 'orphan@fixtures.test/2024-03-07T13:00:00.000Z').start).toBe(utc('2024-03-07T14:00:00Z'));
  });

  it('keeps only the occurrences inside the window', async () => {
    const { events } = await fixture('recurring.ics', { from: utc('2024-03-10T00:00:00Z'), to: utc('2024-04-02T00:00:00Z') });
    expect(events.filter((e) => e.id.startsWith('weekly@')).map((e) => e.start)).toEqual([
      utc('2024-03-12T17:00:00Z'),
      utc('2024-04-01T15:00:00Z'),
    ]);
  });

  it('marks DATE values as all-day, a missing DTEND lasting one day', async () => {
    const { events } = await fixture('all-day.ics');
    expect(events.every((e) => e.allDay && e.timeZone === null)).toBe(true);
    expect(byId(events, 'holiday@fixtures.test')).toMatchObject({ start: utc('2024-03-15T00:00:00Z'), end: utc('2024-03-16T00:00:00Z') });
    expect(byId(events, 'trip@fixtures.test').end).toBe(utc('2024-03-21T00:00:00Z'));
    expect(byId(events, 'no-end@fixtures.test').end).toBe(utc('2024-03-23T00:00:00Z'));
  });

  it('places all-day and floating times in the floating zone when one is given', async () => {
    const text = calendar([
      ['BEGIN:VEVENT', 'UID:day', 'DTSTART;VALUE=DATE:20240315', 'END:VEVENT'].join('\r\n'),
      ['BEGIN:VEVENT', 'UID:floating', 'DTSTART:20240315T090000', 'DTEND:20240315T100000', 'END:VEVENT'].join('\r\n'),
    ]);
    const { events } = parseCalendar(text, MARCH, { floatingZone: 'America/New_York' });
    expect(byId(events, 'day').start).toBe(utc('2024-03-15T04:00:00Z'));
    expect(byId(events, 'floating')).toMatchObject({ start: utc('2024-03-15T13:00:00Z'), timeZone: null });
  });

  it('reads status, DURATION, people, categories and conference phones', async () => {
    const cancelled = (await fixture('cancelled.ics')).events;
    expect(byId(cancelled, 'cancelled@fixtures.test').status).toBe('cancelled');
    expect(byId(cancelled, 'tentative@fixtures.test').status).toBe('tentative');
    expect(byId(cancelled, 'confirmed@fixtures.test')).toMatchObject({ status: 'confirmed', end: utc('2024-03-07T15:45:00Z') });

    const [interview] = (await fixture('interview.ics')).events;
    expect(interview).toMatchObject({
      id: 'interview@fixtures.test',
      title: 'Phone interview, Acme',
      description: 'Rita will call you at +1 415 555 0199.\nBring questions.',
      location: 'Phone',
      organizer: { name: 'Rita Recruiter', email: 'rita@acme.example' },
      categories: ['Interview', 'Job search', 'Acme'],
      conferencePhones: ['+1-412-555-0123'],
      tags: {},
    });
    expect(interview?.attendees.map((a) => [a.email, a.status])).toEqual([
      ['ada@example.org', 'accepted'],
      ['bo@acme.example', 'declined'],
      ['cy@acme.example', 'tentative'],
      ['di@acme.example', 'needs-action'],
      ['ed@acme.example', 'unknown'],
      ['', 'needs-action'],
    ]);
  });

  it('reads the meeting links of CONFERENCE, X-GOOGLE-CONFERENCE and X-MICROSOFT-SKYPETEAMSMEETINGURL', () => {
    const text = calendar([
      [
        'BEGIN:VEVENT',
        'UID:video',
        'DTSTART:20240315T090000Z',
        'DTEND:20240315T093000Z',
        'SUMMARY:Interview',
        'CONFERENCE;VALUE=URI;FEATURE=VIDEO:https://meet.google.com/abc-defg-hij',
        'CONFERENCE;VALUE=URI;FEATURE=PHONE:tel:+1-609-555-0133,,123#',
        'X-GOOGLE-CONFERENCE:https://meet.google.com/abc-defg-hij',
        'X-MICROSOFT-SKYPETEAMSMEETINGURL:https://teams.microsoft.com/l/meetup-join/19%3ameeting_x',
        'END:VEVENT',
      ].join('\r\n'),
      ['BEGIN:VEVENT', 'UID:plain', 'DTSTART:20240315T100000Z', 'DTEND:20240315T103000Z', 'SUMMARY:Plain', 'END:VEVENT'].join('\r\n'),
    ]);
    const { events } = parseCalendar(text, MARCH);
    expect(byId(events, 'video').conference).toEqual([
      'https://meet.google.com/abc-defg-hij',
      'https://meet.google.com/abc-defg-hij',
      'https://teams.microsoft.com/l/meetup-join/19%3ameeting_x',
    ]);
    expect(byId(events, 'video').conferencePhones).toEqual(['+1-609-555-0133,,123#']);
    expect(byId(events, 'plain').conference).toBeUndefined();
  });

  it('skips broken entries with a reason and keeps the rest', async () => {
    const { events, skipped } = await fixture('broken-entries.ics');
    expect(events.map((e) => e.id).sort()).toEqual(['good@fixtures.test', 'iana-zone@fixtures.test', 'prefixed-zone@fixtures.test']);
    expect(byId(events, 'good@fixtures.test').title).toBe('Still readable');
    const reasons = Object.fromEntries(skipped.map((s) => [s.ref.split(' ')[0], s.reason]));
    expect(reasons['no-start@fixtures.test']).toMatch(/no start time/);
    expect(reasons['backwards@fixtures.test']).toMatch(/before it starts/);
    expect(reasons['bad-date@fixtures.test']).toMatch(/unreadable entry/);
    expect(reasons['unknown-zone@fixtures.test']).toMatch(/^unknown time zone "Mars\/Olympus_Mons": the file does not define it/);
    expect(reasons.line).toMatch(/1 unreadable line/);
  });

  it('converts a TZID without VTIMEZONE through its IANA name', async () => {
    const { events } = await fixture('broken-entries.ics');
    expect(byId(events, 'iana-zone@fixtures.test')).toMatchObject({ start: utc('2024-03-08T09:00:00Z'), timeZone: 'Europe/Paris' });
    expect(byId(events, 'prefixed-zone@fixtures.test')).toMatchObject({ start: utc('2024-03-09T09:00:00Z'), timeZone: 'Europe/Berlin' });
  });

  it('keeps the complete entries of a truncated file', async () => {
    const { events, skipped } = await fixture('truncated.ics');
    expect(events.map((e) => e.id)).toEqual(['first@fixtures.test', 'second@fixtures.test']);
    expect(skipped).toEqual([{ ref: 'cut@fixtures.test', reason: 'incomplete entry (no END:VEVENT)' }]);
  });

  it('keeps the zones of a truncated file, and reads around an entry ical.js refuses', async () => {
    const text = await readFile(new URL('new-york-dst.ics', FIXTURES), 'utf8');
    const cut = parseCalendar(text.slice(0, text.indexOf('SUMMARY:Daily check-in')), MARCH);
    expect(cut.events.map((e) => e.id)).toEqual(['before-dst@fixtures.test', 'after-dst@fixtures.test']);
    expect(byId(cut.events, 'after-dst@fixtures.test').start).toBe(utc('2024-03-11T14:00:00Z'));
    expect(cut.skipped).toEqual([{ ref: 'daily-across-dst@fixtures.test', reason: 'incomplete entry (no END:VEVENT)' }]);

    const base = utc('2024-03-05T09:00:00Z');
    const entries = Array.from({ length: 3_000 }, (_, i) => vevent(`e${i}`, base + i * 60_000));
    entries[1_234] = vevent('bad-rule', base, ['RRULE:FREQ=WEEKLY;BYDAY=XX']);
    // CPU, bounded by what reading as many plain entries costs in this worker (wall time grows with
    // whatever else shares the cores): about 1-3 times that here.
    const { value: { events, skipped }, cpuMs } = withCpuTime(() => parseCalendar(calendar(entries), MARCH));
    expect(cpuMs).toBeLessThan(5 * plainReadingCpuMs(3_000) + 300);
    expect(events).toHaveLength(2_999);
    expect(skipped).toEqual([{ ref: 'bad-rule', reason: 'unreadable entry: invalid BYDAY value "XX"' }]);
  });

  it('honours maxEvents and maxOccurrencesPerEvent, and keeps one of two entries with the same UID', () => {
    const start = utc('2024-03-05T09:00:00Z');
    const text = calendar([
      vevent('daily', start, ['RRULE:FREQ=DAILY;COUNT=10']),
      vevent('twice', start, ['SEQUENCE:1', 'SUMMARY:Old']),
      vevent('twice', start, ['SEQUENCE:2', 'SUMMARY:New']),
    ]);
    const few = parseCalendar(text, MARCH, { maxOccurrencesPerEvent: 4 });
    expect(few.events.map((e) => e.id)).toEqual([
      'daily/2024-03-05T09:00:00.000Z',
      'daily/2024-03-06T09:00:00.000Z',
      'daily/2024-03-07T09:00:00.000Z',
      'daily/2024-03-08T09:00:00.000Z',
      'twice',
    ]);
    expect(byId(few.events, 'twice').title).toBe('New');
    expect(few.skipped.map((s) => s.reason)).toEqual([
      'another entry with the same UID; kept the one with the higher SEQUENCE',
      'more than 4 occurrences in the window; the rest are left out',
    ]);
    const capped = parseCalendar(text, MARCH, { maxEvents: 3 });
    expect(capped.events).toHaveLength(3);
    expect(capped.skipped).toContainEqual({ ref: 'calendar', reason: 'only the first 3 events are kept; 2 more entries were left out' });
  });

  it('bounds rules without end, and rules that never match, in little time', async () => {
    const text = await readFile(new URL('rrule-no-end.ics', FIXTURES), 'utf8');
    // CPU against reading 20,000 plain entries in this worker: about 0.8 of it here.
    const { value: { events, skipped }, cpuMs } = withCpuTime(() => parseCalendar(text, MARCH));
    expect(cpuMs).toBeLessThan(4 * plainReadingCpuMs(20_000) + 300);
    const standups = events.filter((e) => e.id.startsWith('standup-since-2010@'));
    expect(standups).toHaveLength(60); // one a day, 1 March to 29 April
    expect(standups[0]?.id).toBe('standup-since-2010@fixtures.test/2024-03-01T09:00:00.000Z');
    expect(events.filter((e) => e.id.startsWith('every-minute@'))).toHaveLength(1_000);
    const reasons = Object.fromEntries(skipped.map((s) => [s.ref.split(' ')[0], s.reason]));
    expect(reasons['every-minute@fixtures.test']).toMatch(/more than 1000 occurrences/);
    // RFC 5545 makes its set empty: left out up front (it was walked until its budget stopped it).
    expect(reasons['never-matches@fixtures.test']).toMatch(/gives no day .*never matches/);
    expect(reasons['every-second-since-2001@fixtures.test']).toMatch(/too many steps/);
  });

  // Each step of a DAILY or WEEKLY rule moves ical.js one day at a time, INTERVAL days: a rule
  // "every 100,000,000 days", or "every 5,000 days on the first Friday" (a day part that a daily
  // rule never meets, so it walks on), kept one sync busy for minutes. Vitest's own limit fails them.
  it('walks a rule with a huge INTERVAL no further than past the window', () => {
    const start = utc('2024-03-05T09:00:00Z');
    const { events, skipped } = parseCalendar(
      calendar([
        vevent('huge-interval', start, ['RRULE:FREQ=DAILY;INTERVAL=100000000']),
        vevent('huge-weekly', start, ['RRULE:FREQ=WEEKLY;INTERVAL=20000000;BYDAY=TU']),
        vevent('never-first-friday', start, ['RRULE:FREQ=DAILY;INTERVAL=5000;BYDAY=1FR']),
        vevent('two-rules', start, ['RRULE:FREQ=DAILY;INTERVAL=100000000', 'RRULE:FREQ=DAILY;INTERVAL=7;COUNT=3']),
        vevent('plain', start, ['SUMMARY:After them']),
      ]),
      MARCH,
    );
    expect(events.map((e) => e.id)).toEqual([
      'huge-interval/2024-03-05T09:00:00.000Z',
      'huge-weekly/2024-03-05T09:00:00.000Z',
      'two-rules/2024-03-05T09:00:00.000Z',
      'two-rules/2024-03-12T09:00:00.000Z',
      'two-rules/2024-03-19T09:00:00.000Z',
      'plain',
    ]);
    expect(skipped).toEqual([{ ref: expect.stringContaining('never-first-friday'), reason: expect.stringMatching(/too many steps/) }]);
  });

  // ical.js looks for the first year a YEARLY rule matches up to the year 20000 (or its UNTIL),
  // expanding every day of each year its BYDAY names: a rule that never matches
  // ("BYMONTH=2;BYMONTHDAY=30;BYDAY=MO,…,SU") cost 5 s of CPU for one entry, before any step of the
  // walk was counted, and a calendar of them kept a sync busy for as many times 5 s.
  it('looks for the first year of a yearly rule that never matches for one cycle of the calendar, not up to the year 20000', () => {
    const everyDay = 'BYDAY=MO,TU,WE,TH,FR,SA,SU';
    const text = calendar([
      vevent('never', utc('2024-03-05T09:00:00Z'), [`RRULE:FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=30;${everyDay}`]),
      vevent('never-since-1900', utc('1900-01-01T09:00:00Z'), [`RRULE:FREQ=YEARLY;BYMONTH=4;BYMONTHDAY=31;${everyDay}`]),
      vevent('plain', utc('2024-03-06T09:00:00Z')),
    ]);
    const cpu = process.cpuUsage();
    const { events, skipped } = parseCalendar(text, MARCH);
    const used = process.cpuUsage(cpu);
    // A rule that never matches is dropped up front with its reason (ical-rules.ts); the entry's
    // start is still the first instance of its set (RFC 5545 §3.8.5.3), in the window here for
    // 'never', long before it for 'never-since-1900'.
    expect(events.map((e) => e.id)).toEqual(['never/2024-03-05T09:00:00.000Z', 'plain']);
    expect(skipped.map((s) => [s.ref, s.reason])).toEqual(
      ['never', 'never-since-1900'].map((ref) => [ref, "the recurrence rule gives no day in any year it repeats in (such as the 30th of February), so it never matches: only the entry's start (DTSTART) is read"]),
    );
    expect((used.user + used.system) / 1000).toBeLessThan(2_000);
  });

  // Each year a YEARLY rule walks towards the window, ical.js expands every day its BYDAY names
  // (about 0.3 ms a year for every day of the week); that walk is charged to the entry and to the
  // calendar, as the steps of other rules are. (This rule is read by ical-setpos.ts, which lists
  // each day of each year it walks and charges them alike; with COUNT it walks from DTSTART. Without
  // COUNT it begins shortly before the window: test/providers/calendar/yearly-days.test.ts.)
  it('charges the days a yearly rule expands, to the entry and to its calendar', { timeout: 30_000 }, () => {
    const leapDay = 'RRULE:FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=29;BYDAY=MO,TU,WE,TH,FR,SA,SU;COUNT=1000';
    const since1760 = Array.from({ length: 40 }, (_, i) => vevent(`leap-day-${i}`, utc('1760-02-29T09:00:00Z'), [leapDay]));
    const { events, skipped } = parseCalendar(
      calendar([vevent('since-year-1', utc('0001-01-01T09:00:00Z'), [leapDay]), ...since1760, vevent('plain', utc('2024-03-06T09:00:00Z'))]),
      { from: Date.UTC(2024, 1, 1), to: Date.UTC(2024, 2, 31) },
    );
    const reasons = Object.fromEntries(skipped.map((s) => [s.ref.split(' ')[0], s.reason]));
    expect(reasons['since-year-1']).toMatch(/too many steps/);
    const kept = events.filter((e) => e.id.startsWith('leap-day-')).map((e) => e.id);
    expect(kept.length).toBeGreaterThan(0);
    expect(kept[0]).toBe('leap-day-0/2024-02-29T09:00:00.000Z');
    expect(kept.length + skipped.length - 1).toBe(40);
    expect(skipped.length).toBeGreaterThan(1);
    for (const item of skipped) expect(item.reason).toMatch(/too many steps/);
    expect(events.at(-1)?.id).toBe('plain');
  });

  // ical.js lists every clock change of a VTIMEZONE up to the year read, from its first
  // observance on: one repeating MINUTELY since 1970 ran the daemon out of memory, and thousands of
  // yearly observances cost seconds. Such a zone is not read; its entries are read as the TZID
  // names a zone, or left out.
  it('does not read a time zone whose clock changes would take too long to list', () => {
    const zone = (tzid: string, observances: readonly string[][]): string =>
      ['BEGIN:VTIMEZONE', `TZID:${tzid}`, ...observances.flatMap((lines) => ['BEGIN:STANDARD', 'TZOFFSETFROM:+0100', 'TZOFFSETTO:+0000', ...lines, 'END:STANDARD']), 'END:VTIMEZONE'].join('\r\n');
    const entry = (uid: string, tzid: string): string =>
      ['BEGIN:VEVENT', `UID:${uid}`, `DTSTART;TZID=${tzid}:20240305T090000`, `DTEND;TZID=${tzid}:20240305T100000`, 'END:VEVENT'].join('\r\n');
    const yearly = Array.from({ length: 2_000 }, (_, i) => [`DTSTART:${1970 + (i % 50)}0101T000000`, `RRULE:FREQ=YEARLY;BYMONTH=${1 + (i % 12)};BYDAY=1SU`]);
    const { events, skipped } = parseCalendar(
      calendar([
        zone('Daily', [['DTSTART:19700101T000000', 'RRULE:FREQ=DAILY']]),
        zone('Europe/Paris', yearly),
        zone('Often', [['DTSTART:19700101T000000', 'RRULE:FREQ=YEARLY;BYMONTH=1,2,3,4,5,6,7,8,9,10,11,12;BYDAY=1SU']]),
        zone('Usual', [['DTSTART:19701025T030000', 'RRULE:FREQ=YEARLY;BYMONTH=10;BYDAY=-1SU']]),
        entry('daily', 'Daily'),
        entry('paris', 'Europe/Paris'),
        entry('often', 'Often'),
        entry('usual', 'Usual'),
      ]),
      MARCH,
    );
    expect(events.map((e) => [e.id, new Date(e.start).toISOString()])).toEqual([
      ['paris', '2024-03-05T08:00:00.000Z'],
      ['usual', '2024-03-05T09:00:00.000Z'],
    ]);
    expect(skipped).toEqual([
      { ref: 'VTIMEZONE', reason: 'unreadable time zone: a clock change repeats DAILY (only YEARLY is read)' },
      { ref: 'VTIMEZONE', reason: 'unreadable time zone: more than 2000 clock changes' },
      { ref: 'VTIMEZONE', reason: 'unreadable time zone: a clock change repeats more than 4 times a year' },
      { ref: 'daily', reason: expect.stringMatching(/^unknown time zone "Daily"/) },
      { ref: 'often', reason: expect.stringMatching(/^unknown time zone "Often"/) },
    ]);
  });

  // ical.js finds a property by walking all of an entry's lines, and a series looks up some it
  // lacks (DURATION, STATUS) for every occurrence walked: 100,000 lines took 16 s of one sync
  // (occurrences × lines). Vitest's limit fails the old code.
  // ical.js looks for the first change of a zone's YEARLY rule up to the year 20000 each time it
  // lists the zone's changes: one rule that never matches cost 24 s of CPU.
  it('does not read a time zone whose clock change rule matches no day', () => {
    const zone = (tzid: string, start: string): string =>
      [
        'BEGIN:VTIMEZONE',
        `TZID:${tzid}`,
        'BEGIN:STANDARD',
        `DTSTART:${start}`,
        'TZOFFSETFROM:+0200',
        'TZOFFSETTO:+0100',
        'RRULE:FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=30;BYDAY=MO,TU,WE,TH,FR,SA,SU',
        'END:STANDARD',
        'END:VTIMEZONE',
      ].join('\r\n');
    const entry = (uid: string, tzid: string): string =>
      ['BEGIN:VEVENT', `UID:${uid}`, `DTSTART;TZID=${tzid}:20240305T090000`, `DTEND;TZID=${tzid}:20240305T100000`, 'END:VEVENT'].join('\r\n');
    const cpu = process.cpuUsage();
    const { events, skipped } = parseCalendar(
      calendar([zone('Never', '19701025T030000'), zone('Since year 1', '00011025T030000'), entry('never', 'Never'), entry('since-year-1', 'Since year 1'), vevent('plain', utc('2024-03-06T09:00:00Z'))]),
      MARCH,
    );
    const used = process.cpuUsage(cpu);
    expect(events.map((e) => e.id)).toEqual(['plain']);
    expect(skipped.slice(0, 2)).toEqual([
      { ref: 'VTIMEZONE', reason: 'unreadable time zone: a clock change rule (RRULE) matches no day of any year' },
      { ref: 'VTIMEZONE', reason: 'unreadable time zone: a clock change rule (RRULE) takes too long to find its first change' },
    ]);
    expect(skipped.slice(2).map((s) => s.ref.split(' ')[0])).toEqual(['never', 'since-year-1']);
    expect((used.user + used.system) / 1000).toBeLessThan(2_000);
  });

  it('walks a series written on tens of thousands of lines in time proportional to them', { timeout: 8_000 }, () => {
    const hours = (from: number, n: number, name: string): string[] => Array.from({ length: n }, (_, i) => `${name}:${stamp(from + i * 3_600_000)}`);
    const first = utc('2022-01-03T09:00:00Z');
    const { events, skipped } = parseCalendar(
      calendar([
        vevent('lines', first, ['RRULE:FREQ=HOURLY;COUNT=19000', ...hours(first, 100_000, 'X-NOTE')]),
        vevent('exdates', utc('2024-03-05T09:00:00Z'), ['RRULE:FREQ=DAILY;COUNT=3', ...hours(utc('2018-01-01T09:00:00Z'), 50_000, 'EXDATE'), 'EXDATE:20240306T090000Z']),
      ]),
      MARCH,
    );
    expect(skipped).toEqual([]);
    const last = first + 18_999 * 3_600_000;
    const hourly = Array.from({ length: (last - MARCH.from) / 3_600_000 + 1 }, (_, i) => `lines/${new Date(MARCH.from + i * 3_600_000).toISOString()}`);
    expect(events.map((e) => e.id)).toEqual([...hourly, 'exdates/2024-03-05T09:00:00.000Z', 'exdates/2024-03-07T09:00:00.000Z']);
  });

  // ical.js compares each rule's next occurrence at every step and walks each RDATE, before the
  // window too: 1,000 rules on one entry cost a second, 50,000 dates 1.5 s.
  it('leaves out an entry of more than 10 rules or 2,000 dates, with the reason', () => {
    const start = utc('2024-03-05T09:00:00Z');
    const dates = (n: number): string[] => Array.from({ length: n }, (_, i) => `RDATE:${stamp(utc('2020-01-01T09:00:00Z') + i * 3_600_000)}`);
    const { events, skipped } = parseCalendar(
      calendar([
        vevent('rules', start, Array.from({ length: 11 }, (_, i) => `RRULE:FREQ=DAILY;INTERVAL=${i + 1};COUNT=2`)),
        vevent('dates', start, [...dates(2_000), 'RDATE:20240306T090000Z']),
        vevent('fewer', start, [...Array.from({ length: 10 }, (_, i) => `RRULE:FREQ=DAILY;INTERVAL=${i + 1};COUNT=1`), ...dates(1_999), 'RDATE:20240306T090000Z']),
      ]),
      MARCH,
    );
    expect(skipped).toEqual([
      { ref: 'rules', reason: 'more than 10 recurrence rules (RRULE)' },
      { ref: 'dates', reason: 'more than 2000 recurrence dates (RDATE)' },
    ]);
    expect(events.map((e) => e.id)).toEqual(['fewer/2024-03-05T09:00:00.000Z', 'fewer/2024-03-06T09:00:00.000Z']);
  });

  it('truncates a 5 MB description to 64 KB', () => {
    const huge = 'x'.repeat(5 * 1024 * 1024);
    const { events } = parseCalendar(calendar([vevent('huge', utc('2024-03-05T15:00:00Z'), [`DESCRIPTION:${huge}`])]), MARCH);
    expect(events[0]?.description).toHaveLength(64 * 1024);
  });

  it('strips NUL and control characters but keeps newlines and tabs', () => {
    const { events } = parseCalendar(
      calendar([vevent('ctl', utc('2024-03-05T15:00:00Z'), ['SUMMARY:Pho\u0000ne\u0007 screen', 'DESCRIPTION:a\\nb\tc\u001bd'])]),
      MARCH,
    );
    expect(events[0]).toMatchObject({ title: 'Phone screen', description: 'a\nb\tcd' });
  });

  it('keeps 100,000 events and reports the rest in one skipped item', () => {
    const base = utc('2024-03-05T09:00:00Z');
    const entries = Array.from({ length: 100_050 }, (_, i) => vevent(`bulk-${i}`, base + (i % 600) * 60_000, [`SUMMARY:Event ${i}`]));
    const text = calendar(entries);
    // CPU against reading 20,000 plain entries in this worker: about 5-6 times it here (five times
    // the entries, each in the window).
    const { value: { events, skipped }, cpuMs } = withCpuTime(() => parseCalendar(text, MARCH));
    expect(cpuMs).toBeLessThan(12 * plainReadingCpuMs(20_000) + 500);
    expect(events).toHaveLength(100_000);
    expect(skipped).toEqual([{ ref: 'calendar', reason: 'only the first 100000 events are kept; 50 more entries were left out' }]);
  }, 30_000);
});

describe('ics source over a file', () => {
  let dir: string;
  let path: string;
  let now: Millis;
  const signal = new AbortController().signal;

  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'ringback-ics-'));
    path = join(dir, 'calendar.ics');
    now = utc('2024-03-04T12:00:00Z');
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  const source = (maxBytes?: number) =>
    createIcsSource({ id: 'ics-test', path, horizonDays: 30, now: () => now, ...(maxBytes ? { maxBytes } : {}) });

  it('answers an unchanged file with one empty page, even when touched', async () => {
    await writeFile(path, calendar([vevent('a', utc('2024-03-05T15:00:00Z'))]));
    const first = await syncAll(source(), null);
    expect(first).toMatchObject({ full: true, pages: 1 });
    expect(first.upserts.map((e) => e.id)).toEqual(['a']);
    await utimes(path, new Date(), new Date(Date.now() + 5_000));
    const second = await syncAll(source(), first.cursor);
    expect(second).toMatchObject({ full: false, pages: 1, upserts: [], deletions: [], skipped: [] });
  });

  it('lists everything again when the day changes, because the window moved', async () => {
    await writeFile(path, calendar([vevent('a', utc('2024-03-05T15:00:00Z')), vevent('late', utc('2024-04-04T15:00:00Z'))]));
    const first = await syncAll(source(), null);
    expect(first.upserts.map((e) => e.id)).toEqual(['a']);
    now += 3_600_000;
    expect((await syncAll(source(), first.cursor)).upserts).toEqual([]);
    now = utc('2024-03-07T08:00:00Z');
    const nextDay = await syncAll(source(), first.cursor);
    expect(nextDay.full).toBe(true);
    expect(nextDay.upserts.map((e) => e.id)).toEqual(['late']);
  });

  it('pages a large listing by 500 and puts the cursor on the last page only', async () => {
    const start = utc('2024-03-05T09:00:00Z');
    await writeFile(path, calendar(Array.from({ length: 1_200 }, (_, i) => vevent(`e${i}`, start + i * 60_000))));
    const pages = [];
    for await (const page of source().sync(null, signal)) pages.push(page);
    expect(pages.map((p) => [p.upserts.length, p.full, typeof p.nextCursor])).toEqual([
      [500, true, 'undefined'],
      [500, true, 'undefined'],
      [200, true, 'string'],
    ]);
  });

  it('takes an empty file as a transient fault, and a calendar with no events as an empty listing', async () => {
    // Saved by an editor or a sync tool, a file is empty for a moment (ics-whole.ts).
    await writeFile(path, '');
    const quick = createIcsSource({ id: 'ics-test', path, horizonDays: 30, now: () => now, settleMs: 10 });
    await expect(syncAll(quick, null)).rejects.toThrow(/is not a whole calendar: it is empty/);
    await writeFile(path, calendar([]));
    expect(await syncAll(source(), null)).toMatchObject({ full: true, upserts: [] });
  });

  it('reads a half-written file again and lists it once it is whole', async () => {
    const whole = calendar([vevent('a', utc('2024-03-05T15:00:00Z')), vevent('b', utc('2024-03-06T15:00:00Z'))]);
    await writeFile(path, whole.slice(0, whole.indexOf('UID:b')));
    const quick = createIcsSource({ id: 'ics-test', path, horizonDays: 30, now: () => now, settleMs: 1_000 });
    const pending = syncAll(quick, null);
    // The editor finishes the file between the two reads (the first takes a few milliseconds).
    await new Promise((r) => setTimeout(r, 200));
    await writeFile(path, whole);
    const listing = await pending;
    expect(listing.upserts.map((e) => e.id)).toEqual(['a', 'b']);
  });

  it('reads invalid UTF-8 bytes as replacement characters', async () => {
    const text = calendar([vevent('bytes', utc('2024-03-05T15:00:00Z'), ['SUMMARY:Caf@@ call'])]);
    const [before, after] = text.split('@@');
    await writeFile(path, Buffer.concat([Buffer.from(before ?? ''), Buffer.from([0xc3, 0x28, 0xff]), Buffer.from(after ?? '')]));
    const { upserts } = await syncAll(source(), null);
    expect(upserts[0]?.title).toBe('Caf\ufffd(\ufffd call');
  });

  it('refuses a missing file, naming its path', async () => {
    const error = await syncAll(source(), null).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PermanentError);
    expect((error as Error).message).toContain(path);
  });

  it('refuses a file larger than maxBytes and a file that is not a calendar', async () => {
    await writeFile(path, calendar([vevent('a', utc('2024-03-05T15:00:00Z'))]));
    await expect(syncAll(source(100), null)).rejects.toThrow(PermanentError);
    await writeFile(path, '<html>login</html>');
    await expect(syncAll(source(), null)).rejects.toThrow(/not an iCalendar calendar/);
  });

  it('has no free/busy of its own and needs exactly one of path and url', async () => {
    expect(await source().freeBusy({ from: now, to: now + 3_600_000 }, signal)).toBeNull();
    expect(() => createIcsSource({ id: 'x', horizonDays: 30, now: () => now })).toThrow(/exactly one/);
  });
});

async function makeFileHarness(): Promise<CalendarHarness> {
  const dir = await mkdtemp(join(tmpdir(), 'ringback-ics-contract-'));
  const path = join(dir, 'calendar.ics');
  const events = new Map<string, HarnessEvent>();
  const write = () => writeFile(path, harnessCalendarToIcs(events.values()));
  await write();
  const started = Date.now();
  const source = createIcsSource({ id: 'ics-file', path, horizonDays: 30, now: () => started });
  return {
    source,
    async putEvent(event) {
      events.set(event.uid, event);
      await write();
      return event.uid;
    },
    async removeEvent(uid) {
      events.delete(uid);
      await write();
    },
    async close() {
      await source.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
}

describeCalendarContract('ics file', makeFileHarness);
