/**
 * To a recruiter known only by the offset their invitation stated, a time at which the places on
 * that offset read differently (one changed its clocks since) is written on the candidate's clock
 * alone. When a place in Australia was on that offset, "Eastern" or "Central" there is Australia's
 * own clock (AEST, ACST): "7:00 PM Eastern" read in Sydney is their own 7:00 PM, fourteen hours off.
 * Those words then say whose they are, as Windows names the zones, "Pacific Time (US & Canada)"
 * (https://learn.microsoft.com/zh-cn/dotnet/api/system.timezoneinfo.displayname). While the places
 * all keep the offset, the time is written on both clocks, and the reader's own says which is theirs.
 */
import { describe, expect, it } from 'vitest';
import { composeNoShow } from '../../src/domain/compose.js';
import type { Candidate, Interview } from '../../src/domain/types.js';

const MIN = 60_000;
const HOUR = 60 * MIN;

function noShowText(candidateZone: string, start: number, offset: number, slotAfter = 24 * HOUR): string {
  const candidate: Candidate = { name: 'Ada Park', email: 'ada@example.org', phone: '+12125550100', timezone: candidateZone };
  const interview: Interview = {
    id: 'iv1', sourceId: 'cal', eventId: 'e', revision: 1, revisionKey: 'k', status: 'scheduled', rescheduled: 0, outcome: null, outcomeSource: null,
    firstSeen: start - 3 * 24 * HOUR, title: 'Phone screen', start, end: start + 30 * MIN, timeZone: 'UTC',
    counterpart: { name: 'Dana Whitfield', email: 'dana@northwind.example' }, company: 'northwind.example', number: null,
    direction: 'interviewer-calls', role: 'accepted', notes: '', taggedOutcome: null, statedOffset: { at: start, offset },
  };
  const email = composeNoShow({
    interview, candidate, messageId: '<m@x>', now: start + 15 * MIN,
    escalation: { ask: 'reschedule', noShows: 1, pattern: false },
    level: 1, availableUntil: start + 30 * MIN, slots: [{ start: start + slotAfter, end: start + slotAfter + 30 * MIN }], replyTo: null,
  });
  return email.text;
}

describe('the candidate’s own clock, to a reader who may be in Australia', () => {
  it('"(GMT+11:00)" before Sydney leaves summer time, a time after it: Eastern Time (US & Canada)', () => {
    // Thursday, April 2, 2026, 7:00 PM in New York: Friday 10:00 AM in Sydney and Noumea. On Monday
    // Sydney is on GMT+10 and Noumea still on GMT+11: the new time is on the candidate's clock alone.
    const text = noShowText('America/New_York', Date.UTC(2026, 3, 2, 23, 0), 660, 4 * 24 * HOUR);
    expect(text).toContain('  - Monday, April 6, 7:00 PM Eastern Time (US & Canada)');
    // The call and the until, both before the change, are on both clocks.
    expect(text).toContain('until 7:45 PM Eastern (Friday, 10:45 AM GMT+11).');
  });

  it('"(GMT+09:30)" (Darwin) to a candidate in Chicago, every place still on it: both clocks', () => {
    const text = noShowText('America/Chicago', Date.UTC(2026, 2, 10, 23, 30), 570);
    expect(text).toContain('until 7:15 PM Central (Wednesday, 9:45 AM GMT+9:30).');
    expect(text).toContain('  - Wednesday, March 11, 6:30 PM Central (Thursday, 9:00 AM GMT+9:30)');
  });

  // Guards: no place in Australia is on GMT+5:30 or GMT-3, and Pacific means nothing there.
  it.each([
    ['America/New_York', 330],
    ['America/Chicago', -180],
    ['America/Los_Angeles', 600],
  ])('%s to an offset of %i minutes names no US & Canada (guard)', (zone, offset) => {
    expect(noShowText(zone, Date.UTC(2026, 2, 10, 23, 0), offset, 5 * 24 * HOUR)).not.toContain('US & Canada');
  });
});
