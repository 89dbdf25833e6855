/**
 * Every email kind, read by a recipient in another time zone: the pairs real candidates and
 * recruiters meet (New York with Sydney, Auckland, Kolkata, Kathmandu, São Paulo, Honolulu, Tokyo;
 * London with Phoenix; Berlin with New York in the weeks when only one side has changed its
 * clocks), and a recipient in the candidate's own zone. Pure: `now` is a parameter of every email.
 */
import { describe, expect, it } from 'vitest';
import { composeApology, composeConfirmation, composeNoShow, composeThankYou } from '../../src/domain/compose.js';
import { decideEscalation } from '../../src/domain/escalation.js';
import { findSlots } from '../../src/domain/slots.js';
import { minuteOfDayIn, weekdayIn } from '../../src/domain/time.js';
import type { Candidate, ComposedEmail, Interview, Millis, Slot } from '../../src/domain/types.js';
import { clockWithZone } from '../../src/domain/zones.js';
import { storedInterview } from '../support/interview-record.js';

const MIN = 60_000;
const HOUR = 60 * MIN;
const DAY = 24 * HOUR;
const POLICY = { askToCallAfter: 2, moveOnAfter: 2 };
const WORKING_HOURS = { days: [1, 2, 3, 4, 5], start: '09:00', end: '17:00' };

function interview(start: Millis, recipientZone: string, overrides: Partial<Interview> = {}): Interview {
  return storedInterview('ivzones000001', {
    sourceId: 'cal',
    eventId: 'evt-z',
    revisionKey: 'k1',
    firstSeen: start - 3 * DAY,
    title: 'Platform Engineer phone screen (Northwind)',
    start,
    end: start + 30 * MIN,
    // The recruiter organised the event in their own zone: that is how ringback knows it.
    timeZone: recipientZone,
    counterpart: { name: 'Dana Whitfield', email: 'dana@northwind.example' },
    company: 'northwind.example',
    direction: 'candidate-calls',
    ...overrides,
  });
}

const candidateIn = (timezone: string): Candidate => ({ name: 'Ada Park', email: 'ada@example.org', phone: '+12125550100', timezone });

function slotsFor(start: Millis, own: string, other: string): Slot[] {
  return findSlots({ busy: [], from: start + HOUR, to: start + 8 * DAY, durationMinutes: 30, bufferMinutes: 30, workingHours: WORKING_HOURS, timeZone: own, recipientZone: other, spreadTimesOfDay: true, count: 3 });
}

/** Every kind of email for one interview, each at the time it is written. */
function allEmails(start: Millis, own: string, other: string): Record<string, ComposedEmail> {
  const iv = interview(start, other);
  const candidate = candidateIn(own);
  const slots = slotsFor(start, own, other);
  const base = { candidate, messageId: '<ringback.ivzones000001.x.1@example.org>' };
  const noShow = (level: 1 | 2, direction: Interview['direction']) =>
    composeNoShow({ ...base, interview: { ...iv, direction }, now: start + 15 * MIN, escalation: decideEscalation({ interviewerNoShows: level, candidateMisses: 0 }, POLICY), level, availableUntil: start + 30 * MIN, slots: level === 1 ? slots : [] });
  return {
    confirmation: composeConfirmation({ ...base, interview: iv, now: start - DAY, sendAt: start - HOUR, shortNotice: false }),
    late: composeConfirmation({ ...base, interview: iv, now: start - 25 * MIN, shortNotice: true }),
    moved: composeConfirmation({ ...base, interview: { ...iv, start: start + 2 * HOUR, end: start + 2 * HOUR + 30 * MIN, revision: 2, rescheduled: 1 }, now: start - 3 * HOUR, sendAt: start + HOUR, shortNotice: false, earlier: start }),
    noShowTheyCall: noShow(1, 'interviewer-calls'),
    noShowICall: noShow(1, 'candidate-calls'),
    noShowCallMe: noShow(2, 'interviewer-calls'),
    apology: composeApology({ ...base, interview: { ...iv, direction: 'interviewer-calls' }, now: start + 40 * MIN, slots, replyTo: null }),
    thankYou: composeThankYou({ ...base, interview: iv, now: start + 90 * MIN, rescheduled: false }),
  };
}

const LIMIT: Record<string, number> = { noShowTheyCall: 100, noShowICall: 100, noShowCallMe: 100, apology: 90 };
const words = (text: string): number => text.split(/\s+/).filter((w) => w !== '').length;

interface Pair {
  readonly name: string;
  readonly own: string;
  readonly other: string;
  readonly start: Millis;
  /** How the start reads in the confirmation, the recipient's clock included. */
  readonly reads: string;
}

const PAIRS: readonly Pair[] = [
  // Tuesday 8:00 PM in New York is already Wednesday noon-ish in Sydney and Auckland.
  { name: 'New York → Sydney', own: 'America/New_York', other: 'Australia/Sydney', start: Date.UTC(2026, 2, 11, 0, 0), reads: 'today at 8:00 PM Eastern (Wednesday, March 11, 11:00 AM Sydney time for you)' },
  { name: 'New York → Auckland', own: 'America/New_York', other: 'Pacific/Auckland', start: Date.UTC(2026, 2, 11, 0, 0), reads: 'today at 8:00 PM Eastern (Wednesday, March 11, 1:00 PM New Zealand time for you)' },
  { name: 'Sydney → New York', own: 'Australia/Sydney', other: 'America/New_York', start: Date.UTC(2026, 2, 10, 23, 0), reads: 'today at 10:00 AM Sydney time (Tuesday, March 10, 7:00 PM Eastern for you)' },
  { name: 'New York → Kolkata (+5:30)', own: 'America/New_York', other: 'Asia/Kolkata', start: Date.UTC(2026, 2, 10, 13, 0), reads: 'today at 9:00 AM Eastern (6:30 PM India time for you)' },
  { name: 'New York → Kathmandu (+5:45)', own: 'America/New_York', other: 'Asia/Kathmandu', start: Date.UTC(2026, 2, 10, 13, 0), reads: 'today at 9:00 AM Eastern (18:45 Nepal time for you)' },
  // Arizona keeps standard time: 8 hours behind London in summer, 7 in winter.
  { name: 'London → Phoenix in June', own: 'Europe/London', other: 'America/Phoenix', start: Date.UTC(2026, 5, 10, 16, 0), reads: 'today at 17:00 UK time (9:00 AM Arizona time for you)' },
  { name: 'London → Phoenix in January', own: 'Europe/London', other: 'America/Phoenix', start: Date.UTC(2026, 0, 13, 17, 0), reads: 'today at 17:00 GMT (10:00 AM Arizona time for you)' },
  // The US moves its clocks on March 8, Europe on March 29: five hours apart, not six.
  { name: 'Berlin → New York, mid-March', own: 'Europe/Berlin', other: 'America/New_York', start: Date.UTC(2026, 2, 10, 15, 0), reads: 'today at 16:00 CET (11:00 AM Eastern for you)' },
  { name: 'Berlin → New York, April', own: 'Europe/Berlin', other: 'America/New_York', start: Date.UTC(2026, 3, 7, 14, 0), reads: 'today at 16:00 CEST (10:00 AM Eastern for you)' },
  // Europe moves back on October 25, the US on November 1.
  { name: 'Berlin → New York, end of October', own: 'Europe/Berlin', other: 'America/New_York', start: Date.UTC(2026, 9, 28, 15, 0), reads: 'today at 16:00 CET (11:00 AM Eastern for you)' },
  { name: 'New York → São Paulo', own: 'America/New_York', other: 'America/Sao_Paulo', start: Date.UTC(2026, 2, 10, 15, 0), reads: 'today at 11:00 AM Eastern (12:00 São Paulo time for you)' },
  { name: 'New York → Honolulu', own: 'America/New_York', other: 'Pacific/Honolulu', start: Date.UTC(2026, 2, 10, 19, 0), reads: 'today at 3:00 PM Eastern (9:00 AM Hawaii for you)' },
  { name: 'New York → Tokyo', own: 'America/New_York', other: 'Asia/Tokyo', start: Date.UTC(2026, 2, 10, 23, 0), reads: 'today at 7:00 PM Eastern (Wednesday, March 11, 08:00 JST for you)' },
  { name: 'New York → Tel Aviv', own: 'America/New_York', other: 'Asia/Jerusalem', start: Date.UTC(2026, 2, 10, 13, 0), reads: 'today at 9:00 AM Eastern (15:00 Israel time for you)' },
  // 9:00 AM on Monday in Auckland is 1:00 PM on Sunday in Los Angeles: "today" holds on both sides.
  { name: 'Los Angeles → Auckland, Monday morning there', own: 'America/Los_Angeles', other: 'Pacific/Auckland', start: Date.UTC(2026, 2, 15, 20, 0), reads: 'today at 1:00 PM Pacific (Monday, March 16, 9:00 AM New Zealand time for you)' },
  { name: 'Auckland → Los Angeles, Sunday afternoon there', own: 'Pacific/Auckland', other: 'America/Los_Angeles', start: Date.UTC(2026, 2, 15, 20, 0), reads: 'today at 9:00 AM New Zealand time (Sunday, March 15, 1:00 PM Pacific for you)' },
  // Adelaide (+10:30) and St. John's (-2:30), each on their summer clock in March.
  { name: 'New York → Adelaide (+10:30)', own: 'America/New_York', other: 'Australia/Adelaide', start: Date.UTC(2026, 2, 10, 22, 0), reads: 'today at 6:00 PM Eastern (Wednesday, March 11, 8:30 AM Adelaide time for you)' },
  { name: 'New York → St. John’s (-2:30)', own: 'America/New_York', other: 'America/St_Johns', start: Date.UTC(2026, 2, 10, 15, 0), reads: 'today at 11:00 AM Eastern (12:30 PM Newfoundland for you)' },
  { name: 'New York → Riyadh', own: 'America/New_York', other: 'Asia/Riyadh', start: Date.UTC(2026, 2, 10, 13, 0), reads: 'today at 9:00 AM Eastern (4:00 PM Saudi Arabia time for you)' },
  // The far ends of the clock, each the day after a change of its own or of the candidate's:
  // Kiritimati (+14) the day after Los Angeles moved to summer time; Chatham (+12:45) the day after
  // it left summer time; Lord Howe (+11, a half-hour summer shift) the day after it entered it;
  // Pago Pago (-11), where 09:00 in Berlin is the evening before.
  { name: 'Los Angeles → Kiritimati (+14)', own: 'America/Los_Angeles', other: 'Pacific/Kiritimati', start: Date.UTC(2026, 2, 9, 16, 0), reads: 'today at 9:00 AM Pacific (Tuesday, March 10, 6:00 AM Kiritimati time for you)' },
  { name: 'Los Angeles → Chatham (+12:45)', own: 'America/Los_Angeles', other: 'Pacific/Chatham', start: Date.UTC(2026, 3, 6, 16, 0), reads: 'today at 9:00 AM Pacific (Tuesday, April 7, 4:45 AM Chatham Islands time for you)' },
  { name: 'Berlin → Lord Howe (+11)', own: 'Europe/Berlin', other: 'Australia/Lord_Howe', start: Date.UTC(2026, 9, 5, 7, 0), reads: 'today at 09:00 CEST (6:00 PM Lord Howe Island time for you)' },
  { name: 'Berlin → Pago Pago (-11)', own: 'Europe/Berlin', other: 'Pacific/Pago_Pago', start: Date.UTC(2026, 2, 30, 7, 0), reads: 'today at 09:00 CEST (Sunday, March 29, 8:00 PM American Samoa time for you)' },
];

describe.each(PAIRS)('$name', ({ own, other, start, reads }) => {
  const emails = allEmails(start, own, other);

  it('names the start on both clocks, the recipient’s with its own date when that differs', () => {
    expect(emails.confirmation?.text).toContain(`confirm our phone interview for the Platform Engineer role ${reads}.`);
    expect(emails.late?.text).toContain(`in 25 minutes, at ${reads.replace(/^today at /, '')}.`);
    expect(emails.apology?.text).toContain(`missed your call ${reads}.`);
  });

  it.each(Object.keys(emails))('%s stays within its word limit and writes no ambiguous zone name', (kind) => {
    const email = emails[kind] as ComposedEmail;
    expect(words(email.text)).toBeLessThanOrEqual(LIMIT[kind] ?? 120);
    expect(`${email.subject}\n${email.text}`).not.toMatch(/\b(IST|CST|CDT|AST|MST|SST)\b/);
    expect(email.text).not.toContain('for on ');
  });

  it('names in a subject the clock of the side whose day it names: the recipient’s when the call falls on another date for them', () => {
    const sameDate = new Date(start).toLocaleDateString('en-US', { timeZone: own }) === new Date(start).toLocaleDateString('en-US', { timeZone: other });
    for (const email of [emails.confirmation, emails.late, emails.noShowTheyCall]) {
      expect(email?.subject).toContain(clockWithZone(start, sameDate ? own : other));
    }
  });

  it('proposes only times inside both parties’ working hours, on a working day of each', () => {
    const slots = slotsFor(start, own, other);
    const weekend = other === 'Asia/Riyadh' || other === 'Asia/Jerusalem' ? [5, 6] : [6, 7];
    for (const slot of slots) {
      expect(WORKING_HOURS.days).toContain(weekdayIn(own, slot.start));
      expect(weekend).not.toContain(weekdayIn(other, slot.start));
      expect(minuteOfDayIn(other, slot.start)).toBeGreaterThanOrEqual(8 * 60);
      expect(minuteOfDayIn(other, slot.end) || 24 * 60).toBeLessThanOrEqual(18 * 60);
    }
  });
});

describe('a recipient in the candidate’s own zone', () => {
  it.each(['America/New_York', 'America/Toronto'])('reads one clock and no "for you" (%s)', (other) => {
    const emails = allEmails(Date.UTC(2026, 2, 10, 19, 0), 'America/New_York', other);
    expect(emails.confirmation?.text).toContain('today at 3:00 PM Eastern. I will call you');
    for (const email of Object.values(emails)) expect(email.text).not.toMatch(/for you\)|\(\d/);
  });
});

describe('zone names a reader can place', () => {
  const WINTER = Date.UTC(2026, 0, 13, 20, 0);
  it.each([
    // IST is also Ireland's summer time and Israel's; CST is also China's; AST also Arabia's.
    ['Asia/Kolkata', '1:30 AM India time'],
    ['Asia/Colombo', '01:30 Sri Lanka time'],
    ['Europe/Dublin', '20:00 Ireland time'],
    ['Asia/Jerusalem', '22:00 Israel time'],
    ['Asia/Shanghai', '04:00 China time'],
    ['America/Chicago', '2:00 PM Central'],
    ['America/Mexico_City', '2:00 PM Mexico City time'],
    ['America/Puerto_Rico', '4:00 PM Puerto Rico time'],
    ['America/Phoenix', '1:00 PM Arizona time'],
    ['Pacific/Honolulu', '10:00 AM Hawaii'],
    ['Asia/Hong_Kong', '4:00 AM Hong Kong time'],
    ['Asia/Yangon', '02:30 Myanmar time'],
  ])('%s → %s', (zone, expected) => {
    expect(clockWithZone(WINTER, zone)).toBe(expected);
  });
});

describe('day words that hold on both sides', () => {
  // 11:30 PM in Kolkata on Tuesday is 11:00 AM in San Francisco; the follow-ups are written after
  // midnight in Kolkata, still Tuesday in California.
  const START = Date.UTC(2026, 2, 10, 18, 0);
  const emails = allEmails(START, 'Asia/Kolkata', 'America/Los_Angeles');

  it('the thank-you says "today", as the recruiter counts days', () => {
    expect(emails.thankYou?.text).toContain('Thank you for speaking with me today about');
  });

  it('the apology names the date rather than a "yesterday" false for its reader', () => {
    expect(emails.apology?.text).toContain('missed your call on Tuesday, March 10 at 11:30 PM India time (11:00 AM Pacific for you).');
  });

  it('the no-show note written after midnight in Kolkata names the date, not "yesterday"', () => {
    // 11:50 PM in Kolkata; the note is written at 12:05 AM, still 11:35 AM on Tuesday in California.
    const late = allEmails(Date.UTC(2026, 2, 10, 18, 20), 'Asia/Kolkata', 'America/Los_Angeles');
    expect(late.noShowTheyCall?.text).toContain('Our phone interview was planned on Tuesday, March 10 at 11:50 PM India time (11:20 AM Pacific for you)');
    expect(late.noShowTheyCall?.subject).toBe('Our phone interview on Tuesday, March 10 at 11:50 PM India time');
  });

  it('a relative word true on both sides stays', () => {
    expect(emails.confirmation?.text).toContain('today at 11:30 PM India time (11:00 AM Pacific for you)');
  });
});

describe('subjects across the date line', () => {
  // A recruiter in Sydney reads a subject "today at 8:00 PM Eastern" on Wednesday morning: their
  // today is Wednesday, and 8:00 PM Eastern on Wednesday is a day late. When the call's date is not
  // the same on both sides, the subject names the recipient's day and clock, as they count it
  // (the role no longer fits within the subject's length and is left to the body).
  const SYDNEY = allEmails(Date.UTC(2026, 2, 11, 0, 0), 'America/New_York', 'Australia/Sydney');
  const AUCKLAND = allEmails(Date.UTC(2026, 2, 11, 0, 0), 'America/New_York', 'Pacific/Auckland');
  it.each([
    ['confirmation to Sydney', SYDNEY.confirmation, 'Confirming our phone interview today at 11:00 AM Sydney time'],
    ['moved confirmation to Sydney', SYDNEY.moved, 'New time for our phone interview: today at 1:00 PM Sydney time'],
    ['no-show note to Auckland', AUCKLAND.noShowTheyCall, 'Our phone interview today at 1:00 PM New Zealand time'],
    ['late confirmation to Auckland', AUCKLAND.late, 'Confirming our phone interview today at 1:00 PM New Zealand time'],
    // Sunday 1:00 PM in Los Angeles is Monday 9:00 AM in Auckland, the recruiter's Monday.
    ['confirmation to Auckland from Los Angeles', allEmails(Date.UTC(2026, 2, 15, 20, 0), 'America/Los_Angeles', 'Pacific/Auckland').confirmation, 'Confirming our phone interview today at 9:00 AM New Zealand time'],
    // The other way: Auckland's Monday 9:00 AM is Sunday afternoon for a recruiter in Los Angeles.
    ['confirmation to Los Angeles from Auckland', allEmails(Date.UTC(2026, 2, 15, 20, 0), 'Pacific/Auckland', 'America/Los_Angeles').confirmation, 'Confirming our phone interview today at 1:00 PM Pacific – Platform Engineer'],
  ])('%s', (_name, email, subject) => {
    expect(email?.subject).toBe(subject);
  });
  it('keeps the candidate\'s day and clock when the date is the same on both sides', () => {
    const kathmandu = allEmails(Date.UTC(2026, 2, 10, 13, 0), 'America/New_York', 'Asia/Kathmandu');
    expect(kathmandu.confirmation?.subject).toBe('Confirming our phone interview today at 9:00 AM Eastern – Platform Engineer');
  });
});

describe('slots on the recipient’s weekend', () => {
  // Friday 3:00 PM in New York is Saturday 8:00 AM in Auckland.
  it('offers no Saturday morning in Auckland', () => {
    const slots = slotsFor(Date.UTC(2026, 2, 11, 0, 0), 'America/New_York', 'Pacific/Auckland');
    expect(slots.length).toBeGreaterThan(0);
    for (const slot of slots) expect(weekdayIn('Pacific/Auckland', slot.start)).not.toBe(6);
  });

  it.each(['Asia/Riyadh', 'Asia/Jerusalem', 'Africa/Algiers', 'Asia/Aden', 'Indian/Maldives', 'Africa/Tripoli', 'Africa/Khartoum', 'Asia/Damascus'])('offers no Friday in %s, where Friday is a day of rest', (zone) => {
    // From Wednesday noon in London, whose working day overlaps each of theirs: Thursday, Friday, Monday.
    const slots = slotsFor(Date.UTC(2026, 2, 11, 12, 0), 'Europe/London', zone);
    expect(slots.length).toBeGreaterThan(0);
    for (const slot of slots) expect(weekdayIn(zone, slot.start)).not.toBe(5);
  });
});
