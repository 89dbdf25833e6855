import { describe, expect, it } from 'vitest';
import { clockWithZone, isUniversalZone, recipientZone, spokenTime, zoneWords } from '../../src/domain/zones.js';

const WINTER = Date.UTC(2026, 0, 13, 20, 0); // 3:00 PM in New York (EST)
const SUMMER = Date.UTC(2026, 6, 14, 19, 0); // 3:00 PM in New York (EDT)
const NY = 'America/New_York';

describe('recipientZone', () => {
  it.each([
    { name: 'the organizer’s event zone', input: { eventZone: 'America/Los_Angeles', role: 'accepted', setZone: null }, zone: 'America/Los_Angeles' },
    { name: 'an event in UTC says nothing', input: { eventZone: 'UTC', role: 'accepted', setZone: null }, zone: null },
    { name: 'Etc/UTC and GMT neither', input: { eventZone: 'Etc/GMT', role: 'needs-action', setZone: null }, zone: null },
    { name: 'a floating event neither', input: { eventZone: null, role: 'accepted', setZone: null }, zone: null },
    { name: 'an event the candidate organised carries their own zone', input: { eventZone: 'America/Chicago', role: 'organizer', setZone: null }, zone: null },
    { name: 'a zone the user set wins', input: { eventZone: 'UTC', role: 'organizer', setZone: 'Europe/Berlin' }, zone: 'Europe/Berlin' },
    { name: 'a broken set zone is ignored', input: { eventZone: 'Asia/Tokyo', role: 'accepted', setZone: 'Mars/Base' }, zone: 'Asia/Tokyo' },
    { name: 'an unknown TZID is no zone', input: { eventZone: 'Pacific Standard Time', role: 'accepted', setZone: null }, zone: null },
  ] as const)('$name', ({ input, zone }) => {
    expect(recipientZone(input)).toBe(zone);
  });

  it('knows UTC by its names', () => {
    for (const name of ['UTC', 'utc', 'Etc/UTC', 'Etc/Universal', 'GMT', 'Etc/GMT+0', 'Zulu']) expect(isUniversalZone(name)).toBe(true);
    expect(isUniversalZone('Europe/London')).toBe(false);
  });
});

describe('zones written as people write them', () => {
  it.each([
    [NY, WINTER, 'Eastern', '3:00 PM Eastern'],
    [NY, SUMMER, 'Eastern', '3:00 PM Eastern'],
    ['America/Los_Angeles', WINTER, 'Pacific', '12:00 noon Pacific'],
    ['America/Chicago', WINTER, 'Central', '2:00 PM Central'],
    ['America/Denver', WINTER, 'Mountain', '1:00 PM Mountain'],
    ['Europe/Berlin', WINTER, 'CET', '21:00 CET'],
    ['Europe/Berlin', SUMMER, 'CEST', '21:00 CEST'],
    ['Europe/Paris', WINTER, 'CET', '21:00 CET'],
    ['Europe/London', WINTER, 'GMT', '20:00 GMT'],
    ['Europe/London', SUMMER, 'UK time', '20:00 UK time'],
    ['Europe/Helsinki', WINTER, 'EET', '22:00 EET'],
    ['Asia/Kolkata', WINTER, 'India time', '1:30 AM India time'],
    ['Asia/Tokyo', WINTER, 'JST', '05:00 JST'],
    ['Asia/Singapore', WINTER, 'Singapore time', '4:00 AM Singapore time'],
    ['UTC', WINTER, 'UTC', '8:00 PM UTC'],
  ])('%s → %s', (zone, t, words, clock) => {
    expect(zoneWords(t, zone)).toBe(words);
    expect(clockWithZone(t, zone)).toBe(clock);
  });

  it('names the other clock only when it reads differently, with its own day when that differs', () => {
    expect(spokenTime(WINTER, NY, 'America/Los_Angeles')).toBe('3:00 PM Eastern (12:00 noon Pacific for you)');
    expect(spokenTime(WINTER, NY, 'America/Toronto')).toBe('3:00 PM Eastern');
    expect(spokenTime(WINTER, NY, null)).toBe('3:00 PM Eastern');
    expect(spokenTime(WINTER, NY, 'Asia/Tokyo', { withDate: true })).toBe('Tuesday, January 13, 3:00 PM Eastern (Wednesday, January 14, 05:00 JST for you)');
    expect(spokenTime(WINTER, NY, 'Europe/Berlin', { otherLabel: '' })).toBe('3:00 PM Eastern (21:00 CET)');
  });

  it('never writes BST, which in Dhaka is their own Bangladesh Standard Time', () => {
    const june = Date.UTC(2026, 5, 10, 9, 0);
    expect(spokenTime(june, 'Europe/London', 'Asia/Dhaka')).toBe('10:00 UK time (3:00 PM Bangladesh time for you)');
  });

  it('writes noon as noon on a 12-hour clock: "12:00 PM" is read both ways (CMOS 9.39)', () => {
    expect(spokenTime(WINTER, NY, 'America/Los_Angeles')).toBe('3:00 PM Eastern (12:00 noon Pacific for you)');
    expect(clockWithZone(Date.UTC(2026, 0, 13, 12, 0), 'Europe/London')).toBe('12:00 GMT');
  });

  it('never throws on an impossible time or zone', () => {
    expect(spokenTime(Number.NaN, NY, 'Europe/Berlin')).toBe('an unknown time');
    expect(clockWithZone(WINTER, 'Not/AZone')).toBe('8:00 PM UTC');
  });
});

describe('a recipient on the same clock under another name', () => {
  // July: Arizona keeps standard time, on Pacific's summer clock; January: Bogotá on Eastern's
  // winter clock; Lagos on Berlin's winter clock. The reader should not have to know that.
  it.each([
    [Date.UTC(2026, 6, 14, 17, 0), 'America/Phoenix', 'America/Los_Angeles', '10:00 AM Arizona time (10:00 AM Pacific for you)'],
    [Date.UTC(2026, 0, 13, 15, 0), 'America/New_York', 'America/Bogota', '10:00 AM Eastern (10:00 AM Colombia time for you)'],
    [Date.UTC(2026, 0, 13, 15, 0), 'Europe/Berlin', 'Africa/Lagos', '16:00 CET (16:00 Nigeria time for you)'],
  ])('names their clock too (%s)', (t, own, other, expected) => {
    expect(spokenTime(t, own, other)).toBe(expected);
  });

  it.each([
    ['America/New_York', 'America/Toronto'],
    ['Europe/Berlin', 'Europe/Paris'],
    ['America/Los_Angeles', 'America/Vancouver'],
  ])('writes one clock when the words are the same too (%s, %s)', (own, other) => {
    const t = Date.UTC(2026, 6, 14, 17, 0);
    expect(spokenTime(t, own, other)).not.toContain('for you');
  });
});
