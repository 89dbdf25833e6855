/**
 * To a recruiter known only by the offset their invitation stated, the times after the call's own
 * (the no-show note's "until", the new times) are written on the candidate's clock alone. When a
 * place in Australia was on that offset, "Eastern" or "Central" there is Australia's own clock
 * (AEST, ACST): "I will keep my phone free until 7:45 PM Eastern" read in Brisbane is their own 7:45 PM,
 * ten hours after 9:45 AM there. Those words then say whose they are, as Windows names the zones,
 * "Pacific Time (US & Canada)" (https://learn.microsoft.com/zh-cn/dotnet/api/system.timezoneinfo.displayname).
 */
import { describe, expect, it } from 'vitest';
import { composeNoShow } from '../../src/domain/compose.js';
import type { Candidate, Interview } from '../../src/domain/types.js';

const MIN = 60_000;
const HOUR = 60 * MIN;

function noShowText(candidateZone: string, start: number, offset: number): string {
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
    level: 1, availableUntil: start + 30 * MIN, slots: [{ start: start + 24 * HOUR, end: start + 24 * HOUR + 30 * MIN }], replyTo: null,
  });
  return email.text;
}

describe('the candidate’s own clock, to a reader who may be in Australia', () => {
  it('"(GMT+10:00)" (Brisbane): the until and the new time say Eastern Time (US & Canada)', () => {
    // Tuesday, March 10, 2026, 7:00 PM in New York: Wednesday 9:00 AM in Brisbane.
    const text = noShowText('America/New_York', Date.UTC(2026, 2, 10, 23, 0), 600);
    expect(text).toContain('until 7:45 PM Eastern Time (US & Canada).');
    expect(text).toContain('Wednesday, March 11, 7:00 PM Eastern Time (US & Canada)');
    expect(text).not.toMatch(/Eastern(?! Time \(US & Canada\))(?! \()/);
  });

  it('"(GMT+09:30)" (Darwin) to a candidate in Chicago: Central Time (US & Canada)', () => {
    const text = noShowText('America/Chicago', Date.UTC(2026, 2, 10, 23, 30), 570);
    expect(text).toContain('Central Time (US & Canada).');
  });

  // Guards: no place in Australia is on GMT+5:30 or GMT+1, and Pacific means nothing there.
  it.each([
    ['America/New_York', 330, 'Eastern.'],
    ['America/Chicago', 60, 'Central.'],
    ['America/Los_Angeles', 600, 'Pacific.'],
  ])('%s to an offset of %i minutes keeps "%s" (guard)', (zone, offset, words) => {
    expect(noShowText(zone, Date.UTC(2026, 2, 10, 23, 0), offset)).toContain(words);
  });
});
