/**
 * "EST" and "EDT" after the call's time are also Australia's eastern clock: tzdata itself wrote them
 * so until 2014 ("Australian eastern time zone abbreviations are now AEST/AEDT not EST",
 * https://www.iana.org/time-zones/releases/2014f), and PostgreSQL still keeps an "Australia" set in
 * which EST is Australian (https://postgrespro.com/list/id/E1XaTvA-0003R1-8U@gemulon.postgresql.org).
 * An invitation from Brisbane reading "10:00 AM EST" on an entry at 10:00 AEST was called wrong
 * ("the invitation says 10:00 AM Eastern; the calendar entry is at 8:00 PM Eastern") and the call
 * held for review. Like CST (also China's), the word counts for its first place only: the US.
 */
import { DateTime } from 'luxon';
import { describe, expect, it } from 'vitest';
import { statedTimeOf, type StatedTime } from '../../src/domain/stated-time.js';

const MIN = 60_000;

function wallIn(zone: string, wall: string): number {
  const t = DateTime.fromISO(wall, { zone });
  if (!t.isValid) throw new Error(`${wall} in ${zone}`);
  return t.toMillis();
}

function read(text: string, start: number, candidateZone: string): StatedTime {
  return statedTimeOf({ title: 'Phone screen', location: '', description: text, start, end: start + 30 * MIN, candidateZone, timeZone: 'UTC' });
}

describe('EST and EDT on Australia’s eastern clock', () => {
  it.each([
    ['10:00 AM EST', 'Australia/Brisbane', '2026-07-14T10:00', 'America/New_York'],
    ['10:00 AM EST', 'Australia/Brisbane', '2026-01-14T10:00', 'Europe/London'],
    ['10:00 AM EST', 'Australia/Sydney', '2026-07-14T10:00', 'Australia/Perth'],
    ['10:00 AM EDT', 'Australia/Sydney', '2026-01-14T10:00', 'America/Los_Angeles'],
  ])('"%s" on an entry at 10:00 in %s (%s) is not called wrong, and no zone is taken from it', (text, zone, wall, candidate) => {
    const r = read(`Your phone screen is on Tuesday at ${text}.`, wallIn(zone, wall), candidate);
    expect(r.kind).toBe('agrees');
    expect(r.kind === 'agrees' ? r.zone : undefined).toBeNull();
  });

  // Guards: the US meaning is read as before.
  it.each([
    ['10:00 AM EST', '2026-01-14T10:00'],
    ['10:00 AM EST', '2026-07-14T10:00'],
    ['10:00 AM EDT', '2026-07-14T10:00'],
  ])('"%s" on an entry at 10:00 in New York (%s), to a candidate in Los Angeles, is the recruiter’s Eastern clock (guard)', (text, wall) => {
    const r = read(`Your phone screen is on Tuesday at ${text}.`, wallIn('America/New_York', wall), 'America/Los_Angeles');
    expect(r.kind === 'agrees' ? r.zone : r.kind).toBe('America/New_York');
  });

  it('"10:00 AM EST" on an entry at 3:00 PM in New York is still called wrong (guard)', () => {
    const r = read('Your phone screen is on Tuesday at 10:00 AM EST.', wallIn('America/New_York', '2026-01-14T15:00'), 'America/Los_Angeles');
    expect(r.kind).toBe('differs');
  });
});
