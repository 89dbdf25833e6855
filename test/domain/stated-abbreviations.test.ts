/**
 * Zone abbreviations of Africa, Asia, Australia, Russia and South America after the call's time in
 * an invitation's text (src/domain/stated-time.ts, data/stated-zones.json, where each meaning's
 * source is listed). Instants are built from a wall clock in the zone by the runtime's tzdata
 * (luxon), never from hand-written offsets. The candidate is in Los Angeles (on none of these
 * clocks: a reading on the candidate's own clock is never taken as the interviewer's) unless said otherwise.
 */
import { DateTime } from 'luxon';
import { describe, expect, it } from 'vitest';
import { composeConfirmation } from '../../src/domain/compose.js';
import { analyse } from '../../src/domain/detect.js';
import { statedTimeOf, type StatedTime } from '../../src/domain/stated-time.js';
import type { CalendarEvent, Interview } from '../../src/domain/types.js';

const MIN = 60_000;

/** The instant the zone's clock reads `wall` ("2026-01-20T10:00"). */
function wallIn(zone: string, wall: string): number {
  const t = DateTime.fromISO(wall, { zone });
  if (!t.isValid) throw new Error(`${wall} in ${zone}`);
  return t.toMillis();
}

function read(text: string, start: number, candidateZone = 'America/Los_Angeles'): StatedTime {
  return statedTimeOf({ title: 'Phone screen', location: '', description: text, start, end: start + 30 * MIN, candidateZone });
}

const zoneOf = (r: StatedTime): string | null | undefined => (r.kind === 'agrees' ? r.zone : undefined);

describe('abbreviations of one place', () => {
  // [word, zone, a wall clock there]: each is the interviewer's zone when the event's instant is on that clock.
  it.each([
    ['CAT', 'Africa/Maputo', '2026-01-20T14:00'],
    ['WAT', 'Africa/Lagos', '2026-01-20T14:00'],
    ['EAT', 'Africa/Nairobi', '2026-07-20T14:00'],
    ['SAST', 'Africa/Johannesburg', '2026-07-20T14:00'],
    ['MSK', 'Europe/Moscow', '2026-01-20T14:00'],
    ['PKT', 'Asia/Karachi', '2026-01-20T14:00'],
    ['ICT', 'Asia/Bangkok', '2026-01-20T14:00'],
    ['WIB', 'Asia/Jakarta', '2026-01-20T14:00'],
    ['PHT', 'Asia/Manila', '2026-01-20T14:00'],
    ['BRT', 'America/Sao_Paulo', '2026-07-20T14:00'],
    ['ART', 'America/Argentina/Buenos_Aires', '2026-07-20T14:00'],
    ['CLT', 'America/Santiago', '2026-07-20T14:00'],
    ['CLST', 'America/Santiago', '2026-01-20T14:00'],
    ['ACDT', 'Australia/Adelaide', '2026-01-20T14:00'],
    // Read before this change too: kept here so the whole list is checked in one place.
    ['SGT', 'Asia/Singapore', '2026-01-20T14:00'],
    ['HKT', 'Asia/Hong_Kong', '2026-01-20T14:00'],
    ['JST', 'Asia/Tokyo', '2026-01-20T14:00'],
    ['KST', 'Asia/Seoul', '2026-01-20T14:00'],
    ['AEST', 'Australia/Sydney', '2026-07-20T14:00'],
    ['AEDT', 'Australia/Sydney', '2026-01-20T14:00'],
    ['ACST', 'Australia/Adelaide', '2026-07-20T14:00'],
    ['AWST', 'Australia/Perth', '2026-01-20T14:00'],
    ['NZST', 'Pacific/Auckland', '2026-07-20T14:00'],
    ['NZDT', 'Pacific/Auckland', '2026-01-20T14:00'],
  ])('"2:00 PM %s" on %s\'s clock gives that zone', (word, zone, wall) => {
    const r = read(`Telephone interview on Tuesday at 2:00 PM ${word}`, wallIn(zone, wall));
    expect(r.kind).toBe('agrees');
    expect(zoneOf(r)).toBe(zone);
  });

  it('a time on none of its clocks is called wrong (WAT, the entry at 2:00 PM Pacific)', () => {
    expect(read('Telephone interview at 2:00 PM WAT', wallIn('America/Los_Angeles', '2026-01-20T14:00')).kind).toBe('differs');
  });
});

describe('abbreviations of several places, read as IST is', () => {
  it.each([
    // Atlantic Standard Time, UTC-4 (timeanddate.com), in Halifax's winter.
    ['AST', 'America/Halifax', '2026-01-20T10:00'],
    // Arabia Standard Time, UTC+3 (generalblue.com).
    ['AST', 'Asia/Riyadh', '2026-01-20T10:00'],
    // Samoa Standard Time, UTC-11 (timezone.io).
    ['SST', 'Pacific/Pago_Pago', '2026-01-20T10:00'],
    // Singapore, UTC+8 (timemeaning.com).
    ['SST', 'Asia/Singapore', '2026-01-20T10:00'],
    // Gulf Standard Time, UTC+4 (tz mailing list).
    ['GST', 'Asia/Dubai', '2026-01-20T10:00'],
    // Ecuador Time, UTC-5.
    ['ECT', 'America/Guayaquil', '2026-01-20T10:00'],
  ])('"10:00 AM %s" on %s\'s clock alone gives it', (word, zone, wall) => {
    const r = read(`Phone interview at 10:00 AM ${word}`, wallIn(zone, wall));
    expect(r.kind).toBe('agrees');
    expect(zoneOf(r)).toBe(zone);
  });

  it.each([
    // South Georgia's -2 and Eastern Caribbean's -4 (and Java's ECT for Paris) are never taken.
    ['GST', 'Atlantic/South_Georgia', '2026-01-20T10:00', 'America/Los_Angeles'],
    ['ECT', 'Europe/Paris', '2026-01-20T10:00', 'America/Los_Angeles'],
    ['ECT', 'America/Port_of_Spain', '2026-01-20T10:00', 'America/Los_Angeles'],
    // A Halifax recruiter's floating entry read on a Riyadh candidate's clock: the candidate's own clock is not the interviewer's.
    ['AST', 'Asia/Riyadh', '2026-01-20T10:00', 'Asia/Riyadh'],
    ['SST', 'Asia/Singapore', '2026-01-20T10:00', 'Asia/Singapore'],
    ['AST', 'America/Halifax', '2026-01-20T10:00', 'America/Puerto_Rico'],
  ])('"10:00 AM %s" on %s\'s clock takes nothing (candidate in %s)', (word, zone, wall, candidateZone) => {
    const r = read(`Phone interview at 10:00 AM ${word}`, wallIn(zone, wall), candidateZone);
    expect(r.kind).toBe('agrees');
    expect(zoneOf(r)).toBeNull();
  });

  it('a time on none of their clocks is never called wrong', () => {
    for (const word of ['AST', 'SST', 'GST', 'ECT']) {
      expect(read(`Phone interview at 10:00 AM ${word}`, wallIn('America/Los_Angeles', '2026-01-20T10:00')).kind).toBe('none');
    }
  });

  it('AST in Halifax\'s summer (ADT) on Atlantic summer clock gives Halifax, on the bare -4 nothing', () => {
    expect(zoneOf(read('Phone interview at 10:00 AM AST', wallIn('America/Halifax', '2026-07-20T10:00')))).toBe('America/Halifax');
    expect(read('Phone interview at 10:00 AM AST', wallIn('America/Puerto_Rico', '2026-07-20T10:00')).kind).toBe('none');
  });
});

describe('abbreviations that are also words or names', () => {
  const start = wallIn('Africa/Maputo', '2026-01-20T14:00');
  it.each([
    'Phone interview on Tuesday at 2:00 PM CAT on Tuesday',
    'Phone interview (2:00 PM CAT)',
    'Phone interview: 14:00 CAT.',
    'Phone interview 2:00 PM CAT, 30 minutes',
    'Phone interview 2:00 - 2:30 PM CAT',
  ])('read next to the clock: %s', (text) => {
    expect(zoneOf(read(text, start))).toBe('Africa/Maputo');
  });
  it.each([
    // A department, a scan, a team or a name after a time are not zones, nor a word after a comma.
    ['Phone interview at 2:00 PM ART department, room 4', wallIn('America/Argentina/Buenos_Aires', '2026-01-20T14:00')],
    ['Phone interview at 2:00 PM, CAT team', start],
    ['Phone interview at 2:00 PM CAT scan results review', start],
    ['Phone call at 10:00 AM AST Logistics (Dana)', wallIn('Asia/Riyadh', '2026-01-20T10:00')],
    ['Interview at 2:00 PM EAT lunch after', wallIn('Africa/Nairobi', '2026-01-20T14:00')],
    ['Price: 10.00 GST included', wallIn('Asia/Dubai', '2026-01-20T10:00')],
  ])('not read: %s', (text, at) => {
    expect(read(text, at)).toEqual({ kind: 'none' });
  });
  it('capitals only: "2 PM cat" is no zone', () => {
    expect(read('Phone interview at 2:00 PM cat', start)).toEqual({ kind: 'none' });
  });
});

describe('from the invitation to the confirmation', () => {
  it('a Lagos recruiter\'s "2:00 PM WAT" on an entry stored in UTC: the confirmation names their time', () => {
    const candidate = { name: 'Ada Park', email: 'ada@example.org', phone: '+14155550100', timezone: 'America/New_York' };
    const start = wallIn('Africa/Lagos', '2026-03-10T14:00');
    const event: CalendarEvent = {
      id: 'e1', title: 'Phone Screen - Ada Park', description: 'Tolu will call you on Tuesday at 2:00 PM WAT for a telephone interview.', location: 'Phone',
      start, end: start + 30 * MIN, timeZone: 'UTC', allDay: false, status: 'confirmed', organizer: { name: 'Tolu Ade', email: 'tolu@acme.example' },
      attendees: [{ name: 'Ada Park', email: 'ada@example.org', status: 'accepted' }, { name: 'Tolu Ade', email: 'tolu@acme.example', status: 'accepted' }],
      categories: [], tags: {}, conferencePhones: [],
    };
    const a = analyse(event, { candidate, detection: { keywords: [], defaultDirection: 'interviewer-calls', freeMailDomains: [] } });
    if (a.result.kind !== 'interview') throw new Error('not an interview');
    expect(a.result.detection.statedZone).toBe('Africa/Lagos');
    const interview: Interview = {
      id: 'ivstated0003', sourceId: 'cal', eventId: 'e1', revision: 1, revisionKey: 'k', status: 'scheduled', rescheduled: 0,
      outcome: null, outcomeSource: null, firstSeen: start - 86_400_000, title: event.title, start, end: event.end,
      timeZone: 'UTC', statedZone: a.result.detection.statedZone, counterpart: { name: 'Tolu Ade', email: 'tolu@acme.example' }, company: 'acme.example',
      number: null, direction: 'interviewer-calls', role: 'accepted', notes: '', taggedOutcome: null,
    };
    const email = composeConfirmation({ interview, candidate, messageId: '<m@example.org>', now: start - 60 * MIN, shortNotice: false });
    expect(email.text).toContain('today at 9:00 AM Eastern (14:00 Nigeria time for you)');
  });
});
