/**
 * Times the randomised timeline (timeline-stories.int.test.ts) found read wrong, pinned one by one:
 * a wall-clock time the clocks skip or repeat on the day they change, read as RFC 5545 §3.3.5 says
 * (and as calendar apps show it), whether the file defines the zone (VTIMEZONE) or only names it;
 * and a fixed-offset zone written with its sign the right way round.
 */
import { describe, expect, it } from 'vitest';
import { parseCalendar } from '../../src/providers/calendar/ical-normalize.js';
import { clockWithZone } from '../../src/domain/zones.js';
import { NEW_YORK_VTIMEZONE } from '../support/vtimezones.js';


function startOf(dtstart: string, tzid: string | null, zones: readonly string[] = []): string {
  return new Date(boundsOf(dtstart, tzid, zones, 'DURATION:PT30M')[0]).toISOString();
}

/** The instants of a one-entry calendar; `ending` is its DTEND or DURATION line. */
function boundsOf(dtstart: string, tzid: string | null, zones: readonly string[], ending: string): [number, number] {
  const param = tzid === null ? '' : `;TZID=${tzid}`;
  const text = [
    'BEGIN:VCALENDAR',
    'VERSION:2.0',
    ...zones,
    'BEGIN:VEVENT',
    'UID:dst-1',
    'DTSTAMP:20260101T000000Z',
    `DTSTART${param}:${dtstart}`,
    ending,
    'SUMMARY:Phone screen',
    'END:VEVENT',
    'END:VCALENDAR',
  ].join('\r\n');
  const parsed = parseCalendar(text, { from: Date.UTC(2026, 0, 1), to: Date.UTC(2028, 0, 1) }, { floatingZone: 'America/New_York' });
  expect(parsed.skipped).toEqual([]);
  const [event] = parsed.events;
  return [event?.start ?? Number.NaN, event?.end ?? Number.NaN];
}

describe('a local time on the day the clocks change', () => {
  it.each([
    ['named only', [] as string[]],
    ['defined by the file', NEW_YORK_VTIMEZONE],
  ])('skipped by the clocks (02:30 on 8 March 2026 in New York, zone %s) is 03:30 EDT, the offset before the change', (_, zones) => {
    expect(startOf('20260308T023000', 'America/New_York', zones)).toBe('2026-03-08T07:30:00.000Z');
  });

  it.each([
    ['named only', [] as string[]],
    ['defined by the file', NEW_YORK_VTIMEZONE],
  ])('repeated by the clocks (01:30 on 1 November 2026 in New York, zone %s) is its first occurrence, 01:30 EDT', (_, zones) => {
    expect(startOf('20261101T013000', 'America/New_York', zones)).toBe('2026-11-01T05:30:00.000Z');
  });

  it('keeps a call of 30 minutes 30 minutes long, whether DURATION or DTEND says so', () => {
    const lengths = [
      boundsOf('20260308T023000', 'America/New_York', [], 'DURATION:PT30M'),
      boundsOf('20260308T023000', 'America/New_York', [], 'DTEND;TZID=America/New_York:20260308T030000'),
      boundsOf('20261101T013000', 'America/New_York', [], 'DURATION:PT30M'),
      boundsOf('20261101T013000', 'America/New_York', NEW_YORK_VTIMEZONE, 'DURATION:PT30M'),
    ].map(([start, end]) => (end - start) / 60_000);
    expect(lengths).toEqual([30, 30, 30, 30]);
  });

  it('reads an end written in the repeated hour after its start (02:30 to 02:00 across a fall-back is half an hour)', () => {
    // A calendar that keeps instants and writes them in the zone writes 16:00Z–16:30Z on 3 April
    // 2027 in Adelaide as 02:30–02:00: the first 02:30, then the second 02:00.
    const [start, end] = boundsOf('20270404T023000', 'Australia/Adelaide', [], 'DTEND;TZID=Australia/Adelaide:20270404T020000');
    expect([new Date(start).toISOString(), (end - start) / 60_000]).toEqual(['2027-04-03T16:00:00.000Z', 30]);
    const [nyStart, nyEnd] = boundsOf('20261101T013000', 'America/New_York', NEW_YORK_VTIMEZONE, 'DTEND;TZID=America/New_York:20261101T010000');
    expect((nyEnd - nyStart) / 60_000).toBe(30);
  });

  it('gives every occurrence of a series the exact length of the first, written across a fall-back', () => {
    const text = [
      'BEGIN:VCALENDAR',
      'VERSION:2.0',
      'BEGIN:VEVENT',
      'UID:dst-series',
      'DTSTAMP:20260101T000000Z',
      'DTSTART;TZID=Australia/Adelaide:20270404T023000',
      'DTEND;TZID=Australia/Adelaide:20270404T020000',
      'RRULE:FREQ=WEEKLY;COUNT=3',
      'SUMMARY:Phone screen',
      'END:VEVENT',
      'END:VCALENDAR',
    ].join('\r\n');
    const parsed = parseCalendar(text, { from: Date.UTC(2027, 0, 1), to: Date.UTC(2028, 0, 1) });
    expect(parsed.skipped).toEqual([]);
    expect(parsed.events.map((e) => [new Date(e.start).toISOString(), (e.end - e.start) / 60_000])).toEqual([
      ['2027-04-03T16:00:00.000Z', 30],
      ['2027-04-10T17:00:00.000Z', 30],
      ['2027-04-17T17:00:00.000Z', 30],
    ]);
  });

  it('reads the same rules in Europe, the southern hemisphere and for floating times', () => {
    // 02:30 on 25 October 2026 in Berlin happens twice: the first is CEST (UTC+2).
    expect(startOf('20261025T023000', 'Europe/Berlin')).toBe('2026-10-25T00:30:00.000Z');
    // 02:30 on 29 March 2026 in Berlin does not exist: read at CET, it is 03:30 CEST.
    expect(startOf('20260329T023000', 'Europe/Berlin')).toBe('2026-03-29T01:30:00.000Z');
    // Adelaide moves from UTC+9:30 to UTC+10:30 at 02:00 on 4 October 2026.
    expect(startOf('20261004T023000', 'Australia/Adelaide')).toBe('2026-10-03T17:00:00.000Z');
    // ... and back at 03:00 on 5 April 2026: 02:30 is first read at UTC+10:30.
    expect(startOf('20260405T023000', 'Australia/Adelaide')).toBe('2026-04-04T16:00:00.000Z');
    // A floating time is read in the candidate's zone, with the same rule.
    expect(startOf('20261101T013000', null)).toBe('2026-11-01T05:30:00.000Z');
    // An ordinary time is not moved.
    expect(startOf('20260310T150000', 'America/New_York', NEW_YORK_VTIMEZONE)).toBe('2026-03-10T19:00:00.000Z');
  });
});

describe('the zone words of a time in the hour the clocks go back', () => {
  it('tell the two readings of 02:30 apart by their abbreviation', () => {
    // ICU names the zone "Central European Time (Germany)" in the first of the two hours.
    expect(clockWithZone(Date.parse('2027-10-31T00:30:00Z'), 'Europe/Berlin')).toBe('02:30 CEST');
    expect(clockWithZone(Date.parse('2027-10-31T01:30:00Z'), 'Europe/Berlin')).toBe('02:30 CET');
  });
});

describe('a zone with a fixed offset', () => {
  it('is written with the sign of its offset from UTC, not the POSIX sign of its name', () => {
    // Etc/GMT+5 is UTC-5 (Outlook's "(UTC-05:00) Coordinated Universal Time-05" maps to it).
    expect(clockWithZone(Date.UTC(2026, 2, 10, 15), 'Etc/GMT+5')).toBe('10:00 AM UTC-5');
    expect(clockWithZone(Date.UTC(2026, 2, 10, 15), 'Etc/GMT-14')).toBe('5:00 AM UTC+14');
  });
});
