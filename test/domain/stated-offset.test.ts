/**
 * A call's time stated on a bare offset ("3:30 PM - 4:20 PM (GMT+05:30)"): it names no place, so no
 * zone is learned, but the recipient is given that clock for that call's own instant, and for
 * nothing else (src/domain/stated-time.ts, src/domain/zones.ts). Each wording comes from public
 * text, cited beside it; the candidate is in New York unless said otherwise.
 */
import { describe, expect, it } from 'vitest';
import { analyse } from '../../src/domain/detect.js';
import { composeConfirmation, composeNoShow } from '../../src/domain/compose.js';
import { decideEscalation } from '../../src/domain/escalation.js';
import type { StatedTime } from '../../src/domain/stated-time.js';
import type { Interview } from '../../src/domain/types.js';
import { spokenTime } from '../../src/domain/zones.js';
import { readStated, type StatedWording } from '../support/stated-wording.js';

const MIN = 60_000;
const DAY = 86_400_000;

const offsetOf = (r: StatedTime): number | null | undefined => (r.kind === 'agrees' ? r.offset : undefined);
const zoneOf = (r: StatedTime): string | null | undefined => (r.kind === 'agrees' ? r.zone : undefined);

describe('a call\'s time stated on a bare offset gives that offset, and no place', () => {
  const cases: (StatedWording & { readonly offset: number | null })[] = [
    // A booking tool's invitee time (stored file #35666004546: "Thursday, Jan 29, 2026 at 3:30 PM - 4:20 PM (GMT+05:30)").
    { name: 'booking range, (GMT+05:30)', source: 'stored file #35666004546', text: 'Thursday, Jan 29, 2026 at 3:30 PM - 4:20 PM (GMT+05:30)', start: '2026-01-29T10:00:00Z', minutes: 50, offset: 330 },
    // A calendar notification (stored file #43240764411: "… event on Oct 23, 2023, 01:00 PM - 01:30 PM (GMT+05:30)").
    { name: 'invitation notice, (GMT+05:30)', source: 'stored file #43240764411', text: 'Madid Sya is inviting you to Phone screen event on Oct 23, 2023, 01:00 PM - 01:30 PM (GMT+05:30)', start: '2023-10-23T07:30:00Z', offset: 330 },
    // A recruiter's line as an interview-mail reader quotes it (stored file #67118310526: "September 14th at 3:15pm GMT+1").
    { name: 'recruiter, 3:15pm GMT+1', source: 'stored file #67118310526', text: 'Your phone interview is confirmed for September 14th at 3:15pm GMT+1.', start: '2026-09-14T14:15:00Z', offset: 60 },
    { name: 'UTC−3 with a minus sign', source: 'https://en.wikipedia.org/wiki/UTC%E2%88%9203:00 (the offset written with U+2212)', text: 'Phone screen at 10:00 (UTC−3) with our São Paulo team.', start: '2026-06-02T13:00:00Z', offset: -180 },
    // The candidate's own offset: one clock, nothing to add.
    { name: 'the candidate\'s own offset', source: 'stored file #35666004546', text: 'Thursday, Jan 29, 2026 at 3:30 PM - 4:20 PM (GMT+05:30)', start: '2026-01-29T10:00:00Z', minutes: 50, candidateZone: 'Asia/Kolkata', offset: null },
    // UTC says nothing of where anyone is (zones.ts): "+00:00" is not given as the recipient's clock.
    { name: 'UTC+00:00', source: 'the Windows display name "(UTC+00:00)" without its places', text: 'Phone screen at 14:00 (UTC+00:00).', start: '2026-06-02T14:00:00Z', offset: null },
    // Two clocks besides the candidate's: the writer's may be either, neither is given.
    { name: 'ET and GMT+5:30, candidate in London', source: 'the shape of stored file #38645503311 ("11am-12pm PST / 2-3PM EST / 8-9pm CET")', text: 'Call at 10:00 AM ET / 7:30 PM GMT+5:30.', start: '2026-06-02T14:00:00Z', candidateZone: 'Europe/London', offset: null },
    // A place on the same clock names more: the place is taken, the offset is not needed.
    { name: 'EDT with its offset', source: 'stored file #1416480736 ("10:15:36 AM GMT+10:00"), with an abbreviation before it', text: 'Phone screen at 10:00 AM EDT (GMT-4).', start: '2026-06-02T14:00:00Z', candidateZone: 'Europe/London', offset: null },
  ];
  for (const c of cases) {
    it(`${c.name} (${c.source})`, () => {
      const r = readStated(c);
      expect(r.kind).toBe('agrees');
      expect(offsetOf(r)).toBe(c.offset);
      if (c.offset !== null) expect(zoneOf(r)).toBeNull();
    });
  }
  it('an offset the event is not on is a different time, as before', () => {
    const r = readStated({ name: '', source: '', text: 'Phone screen at 3:30 PM (GMT+05:30)', start: '2026-01-29T11:00:00Z' });
    expect(r.kind).toBe('differs');
  });
});

describe('detection keeps the offset with the instant it was stated for', () => {
  const settings = {
    candidate: { name: 'Ada Park', email: 'ada@example.org', phone: '+12125550100', timezone: 'America/New_York' },
    detection: { keywords: [], defaultDirection: 'interviewer-calls' as const, freeMailDomains: [] },
  };
  it('(GMT+05:30) on an event stored in UTC', () => {
    const start = Date.parse('2026-01-29T10:00:00Z');
    const event = {
      id: 'e1', title: 'Phone Screen - Ada Park', location: 'Phone', start, end: start + 50 * MIN, timeZone: 'UTC',
      // stored file #35666004546
      description: 'Your phone interview with Acme: Thursday, Jan 29, 2026 at 3:30 PM - 4:20 PM (GMT+05:30). Dana will call you.',
      allDay: false, status: 'confirmed' as const, organizer: { name: 'Dana Lee', email: 'dana@acme.example' },
      attendees: [{ name: 'Ada Park', email: 'ada@example.org', status: 'accepted' as const }, { name: 'Dana Lee', email: 'dana@acme.example', status: 'accepted' as const }],
      categories: [], tags: {}, conferencePhones: [],
    };
    const a = analyse(event, settings);
    if (a.result.kind !== 'interview') throw new Error('not an interview');
    expect(a.review).toBe(false);
    expect(a.result.detection.statedZone).toBeUndefined();
    expect(a.result.detection.statedOffset).toEqual({ at: start, offset: 330 });
    expect(a.result.detection.evidence?.[0]?.text).toBe('the invitation states the call\'s time on a bare offset, 3:30 PM GMT+5:30 ("3:30 PM - 4:20 PM (GMT+05:30). Dana will ca"): given for this call alone, no place is learned');
  });
});

describe('the stated offset is the recipient\'s clock while every place on it keeps it', () => {
  const t = Date.parse('2026-01-29T06:30:00Z');
  it('at the call: both clocks, the offset written as the invitation wrote it', () => {
    expect(spokenTime(t, 'America/New_York', { at: t, offset: 330 })).toBe('1:30 AM Eastern (12:00 noon GMT+5:30 for you)');
    expect(spokenTime(t, 'America/New_York', { at: t, offset: -180 })).toBe('1:30 AM Eastern (3:30 AM GMT-3 for you)');
  });
  // Before, any other instant was written on the candidate's clock alone: a recruiter in India read
  // "until 2:15 AM Eastern" and three new times in Eastern, and had to work each out.
  it('at another instant every place on it is still on it: both clocks (India and Sri Lanka keep GMT+5:30)', () => {
    expect(spokenTime(t + DAY, 'America/New_York', { at: t, offset: 330 })).toBe('1:30 AM Eastern (12:00 noon GMT+5:30 for you)');
    expect(spokenTime(t + 30 * MIN, 'America/New_York', { at: t, offset: 330 })).toBe('2:00 AM Eastern (12:30 PM GMT+5:30 for you)');
  });
  it('at an instant the places on it read differently: the candidate\'s clock alone', () => {
    // "(GMT+1)" on Friday, March 27, 2026 is Berlin and Lagos; from Sunday Berlin is on GMT+2 and Lagos is not.
    const friday = Date.parse('2026-03-27T09:00:00Z');
    expect(spokenTime(Date.parse('2026-03-30T12:00:00Z'), 'America/New_York', { at: friday, offset: 60 })).toBe('8:00 AM Eastern');
    // The same Friday afternoon, before the change, both.
    expect(spokenTime(friday + 5 * 60 * MIN, 'America/New_York', { at: friday, offset: 60 })).toBe('10:00 AM Eastern (3:00 PM GMT+1 for you)');
  });
});

describe('the emails of that call', () => {
  const candidate = { name: 'Ada Park', email: 'ada@example.org', phone: '+12125550100', timezone: 'America/New_York' };
  const interviewAt = (start: number): Interview => ({
    id: 'ivoffset0001', sourceId: 'cal', eventId: 'e1', revision: 1, revisionKey: 'k', status: 'scheduled', rescheduled: 0,
    outcome: null, outcomeSource: null, firstSeen: start - 3 * DAY, title: 'Phone Screen - Ada Park', start, end: start + 30 * MIN,
    timeZone: 'UTC', statedOffset: { at: start, offset: 330 }, counterpart: { name: 'Dana Lee', email: 'dana@acme.example' },
    company: 'acme.example', number: '+12125550100', direction: 'interviewer-calls', role: 'accepted', notes: '', taggedOutcome: null,
  });
  const messageId = '<ringback.ivoffset0001.confirmation.1@example.org>';

  it('the confirmation gives the recruiter in India noon on their clock beside 1:30 AM Eastern', () => {
    const start = Date.parse('2026-01-29T06:30:00Z');
    const email = composeConfirmation({ interview: interviewAt(start), candidate, messageId, now: start - DAY, sendAt: start - 5 * 60 * MIN, shortNotice: false, zoneSet: null, earlier: null });
    // Written at 8:30 PM Eastern the day before, 7:00 AM the same day in India: "tomorrow" would be
    // false for the recruiter, so the candidate's date is named.
    expect(email.subject).toBe('Confirming our phone interview on Thursday, January 29 at 1:30 AM Eastern');
    expect(email.text).toContain('our phone interview on Thursday, January 29 at 1:30 AM Eastern (12:00 noon GMT+5:30 for you).');
  });

  it('a call on the recruiter\'s next day: the subject names their day on their offset', () => {
    const start = Date.parse('2026-01-29T20:00:00Z');
    const email = composeConfirmation({ interview: interviewAt(start), candidate, messageId, now: start - DAY, sendAt: start - 5 * 60 * MIN, shortNotice: false, zoneSet: null, earlier: null });
    expect(email.subject).toBe('Confirming our phone interview tomorrow at 1:30 AM GMT+5:30');
    expect(email.text).toContain('3:00 PM Eastern (Friday, January 30, 1:30 AM GMT+5:30 for you)');
  });

  // Guard (already right): an offset is the recruiter's clock at one instant. Their next call with
  // the same recruiter may fall after a clock change where they are (a place on GMT-3 or GMT+1 in
  // one season is on another in the next), so nothing of it is carried to another interview.
  it('another call with the same recruiter, whose invitation stated no offset: the candidate\'s clock alone', () => {
    const start = Date.parse('2026-04-02T06:30:00Z');
    const { statedOffset: _first, ...next } = interviewAt(Date.parse('2026-01-29T06:30:00Z'));
    const email = composeConfirmation({ interview: { ...next, id: 'ivoffset0002', start, end: start + 30 * MIN }, candidate, messageId: '<ringback.ivoffset0002.confirmation.1@example.org>', now: start - DAY, sendAt: start - 5 * 60 * MIN, shortNotice: false, zoneSet: null, earlier: null });
    expect(email.text).not.toContain('GMT');
    expect(email.text).not.toMatch(/for you\)/);
  });

  it('the no-show note: the missed call, the until and the new times on both clocks', () => {
    const start = Date.parse('2026-01-29T06:30:00Z');
    const slot = { start: Date.parse('2026-01-30T14:00:00Z'), end: Date.parse('2026-01-30T14:30:00Z') };
    const email = composeNoShow({
      interview: interviewAt(start), candidate, messageId, now: start + 15 * MIN,
      escalation: decideEscalation({ interviewerNoShows: 1, candidateMisses: 0 }, { askToCallAfter: 2, moveOnAfter: 2 }),
      level: 1, availableUntil: start + 60 * MIN, slots: [slot],
    });
    expect(email.text).toContain('1:30 AM Eastern (12:00 noon GMT+5:30 for you)');
    expect(email.text).toContain('I will keep my phone free until 2:30 AM Eastern (1:00 PM GMT+5:30).');
    expect(email.text).toContain('  - Friday, January 30, 9:00 AM Eastern (7:30 PM GMT+5:30)');
  });
});
