/**
 * The hour that happens twice: when the clocks go back, 1:30 AM in New York is first 1:30 AM EDT
 * (05:30 UTC) and an hour later 1:30 AM EST (06:30 UTC). An email that names that hour names it so
 * that the reader can tell which one. Real tzdata (the runtime's Intl); pure.
 */
import { describe, expect, it } from 'vitest';
import { composeConfirmation, composeNoShow } from '../../src/domain/compose.js';
import { decideEscalation } from '../../src/domain/escalation.js';
import type { Candidate, Interview } from '../../src/domain/types.js';
import { clockWithZone, spokenTime } from '../../src/domain/zones.js';
import { storedInterview } from '../support/interview-record.js';

const MIN = 60_000;
const HOUR = 60 * MIN;
const CANDIDATE: Candidate = { name: 'Ada Park', email: 'ada@example.org', phone: '+12125550100', timezone: 'America/New_York' };

/** A half-hour call at `start` that Dana, in New York like the candidate, is to make. */
function callAt(start: number): Interview {
  return storedInterview('ivrepeat00001', {
    title: 'Platform Engineer phone screen (Northwind)',
    start,
    end: start + 30 * MIN,
    counterpart: { name: 'Dana Whitfield', email: 'dana@northwind.example' },
    company: 'northwind.example',
  });
}

describe('a clock reading that happens twice on the day the clocks go back', () => {
  it.each([
    // New York, November 1, 2026: 2:00 AM EDT becomes 1:00 AM EST.
    ['America/New_York', Date.UTC(2026, 10, 1, 5, 30), '1:30 AM Eastern Daylight Time'],
    ['America/New_York', Date.UTC(2026, 10, 1, 6, 30), '1:30 AM Eastern Standard Time'],
    ['America/New_York', Date.UTC(2026, 10, 1, 5, 0), '1:00 AM Eastern Daylight Time'],
    // Sydney, April 5, 2026: 3:00 AM AEDT becomes 2:00 AM AEST.
    ['Australia/Sydney', Date.UTC(2026, 3, 4, 15, 30), '2:30 AM Australian Eastern Daylight Time'],
    ['Australia/Sydney', Date.UTC(2026, 3, 4, 16, 30), '2:30 AM Australian Eastern Standard Time'],
    // London, October 25, 2026: 2:00 AM BST becomes 1:00 AM GMT; "UK time" is both, GMT the second.
    ['Europe/London', Date.UTC(2026, 9, 25, 0, 30), '01:30 British Summer Time'],
    ['Europe/London', Date.UTC(2026, 9, 25, 1, 30), '01:30 GMT'],
    // Lord Howe goes back half an hour: 2:00 AM becomes 1:30 AM.
    ['Australia/Lord_Howe', Date.UTC(2026, 3, 4, 14, 45), '1:45 AM Lord Howe Daylight Time'],
    ['Australia/Lord_Howe', Date.UTC(2026, 3, 4, 15, 15), '1:45 AM Lord Howe Standard Time'],
  ])('%s at %d reads %s', (zone, t, expected) => {
    expect(clockWithZone(t, zone)).toBe(expected);
  });

  it.each([
    // The minute before and the first minute after the repeated hour happen once.
    ['America/New_York', Date.UTC(2026, 10, 1, 4, 59), '12:59 AM Eastern'],
    ['America/New_York', Date.UTC(2026, 10, 1, 7, 0), '2:00 AM Eastern'],
    // The same clock reading on another day.
    ['America/New_York', Date.UTC(2026, 10, 2, 6, 30), '1:30 AM Eastern'],
    // Spring forward: 3:30 AM happens once (2:30 AM not at all).
    ['America/New_York', Date.UTC(2026, 2, 8, 7, 30), '3:30 AM Eastern'],
    // Arizona never changes.
    ['America/Phoenix', Date.UTC(2026, 10, 1, 8, 30), '1:30 AM Arizona time'],
  ])('%s at %d happens once and reads %s', (zone, t, expected) => {
    expect(clockWithZone(t, zone)).toBe(expected);
  });

  it('the recruiter’s reading tells the two 1:30 AMs apart', () => {
    // 06:30 in London on November 1 is the second 1:30 AM in New York.
    expect(spokenTime(Date.UTC(2026, 10, 1, 6, 30), 'Europe/London', 'America/New_York')).toBe('06:30 GMT (1:30 AM Eastern Standard Time for you)');
  });

  it('a confirmation for the second 1:30 AM says which one, in the subject and the body', () => {
    const start = Date.UTC(2026, 10, 1, 6, 30);
    const email = composeConfirmation({ interview: callAt(start), candidate: CANDIDATE, messageId: '<m@example.org>', now: start - HOUR, shortNotice: false });
    expect(email.subject).toContain('today at 1:30 AM Eastern Standard Time');
    expect(email.text).toContain('today at 1:30 AM Eastern Standard Time.');
  });
});

describe('the "you did not call" note written after the clocks went back', () => {
  it('says that the half hour it stays free ends after the call, not before it', () => {
    // 1:45 AM EDT; the note is written at 1:00 AM EST, a quarter of an hour later, and the
    // candidate stays free for half an hour, until 1:30 AM EST: "until 1:30 AM Eastern" after
    // "at 1:45 AM Eastern" read as a promise that had ended before the call began.
    const start = Date.UTC(2026, 10, 1, 5, 45);
    const email = composeNoShow({
      interview: callAt(start),
      candidate: CANDIDATE,
      messageId: '<m@example.org>',
      now: start + 15 * MIN,
      escalation: decideEscalation({ interviewerNoShows: 1, candidateMisses: 0 }, { askToCallAfter: 2, moveOnAfter: 2 }),
      availableUntil: start + 30 * MIN,
      slots: [],
    });
    expect(email.text).toContain('planned for today at 1:45 AM Eastern Daylight Time');
    expect(email.text).toContain('free until 1:30 AM Eastern Standard Time');
  });
});

describe('an abbreviation of one offset already tells the two apart', () => {
  it.each([
    ['Europe/Berlin', Date.UTC(2026, 9, 25, 0, 30), '02:30 CEST'],
    ['Europe/Berlin', Date.UTC(2026, 9, 25, 1, 30), '02:30 CET'],
  ])('%s at %d reads %s', (zone, t, expected) => {
    expect(clockWithZone(t, zone)).toBe(expected);
  });
});

describe('every zone of the runtime, through 2026', () => {
  // Each time the clocks go back anywhere, each quarter of an hour of the repeated stretch read
  // on the first pass and on the second: never the same words.
  const formats = new Map<string, Intl.DateTimeFormat>();
  const offsetOf = (zone: string, t: number): number => {
    let format = formats.get(zone);
    if (format === undefined) {
      format = new Intl.DateTimeFormat('en-US', { timeZone: zone, timeZoneName: 'longOffset' });
      formats.set(zone, format);
    }
    const name = format.formatToParts(t).find((p) => p.type === 'timeZoneName')?.value ?? 'GMT';
    const m = /GMT([+-])(\d{2}):(\d{2})/.exec(name);
    return m === null ? 0 : (m[1] === '-' ? -1 : 1) * (Number(m[2]) * 60 + Number(m[3]));
  };
  it('tells the two readings of every repeated quarter hour apart', () => {
    const DAY = 86_400_000;
    const start = Date.UTC(2026, 0, 1);
    let changes = 0;
    for (const zone of Intl.supportedValuesOf('timeZone')) {
      let before = offsetOf(zone, start);
      for (let day = 1; day <= 366; day += 1) {
        const t = start + day * DAY;
        const after = offsetOf(zone, t);
        if (after < before) {
          // The instant of the change, to the minute.
          let lo = t - DAY;
          let hi = t;
          while (hi - lo > 60_000) {
            const mid = lo + Math.floor((hi - lo) / 120_000) * 60_000;
            if (offsetOf(zone, mid) === before) lo = mid;
            else hi = mid;
          }
          const back = (before - after) * 60_000;
          for (let k = 0; k < back; k += 15 * 60_000) {
            expect(clockWithZone(hi - back + k, zone), `${zone} ${new Date(hi + k).toISOString()}`).not.toBe(clockWithZone(hi + k, zone));
          }
          changes += 1;
        }
        before = after;
      }
    }
    expect(changes).toBeGreaterThan(50);
  });
});
