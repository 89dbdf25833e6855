/**
 * The emails about a phone interview held on a meeting's bridge (`dialIn`): the candidate dials in
 * with the details of the invitation, so the confirmation never asks for a number or says "I will be
 * at … for your call", the no-show note says the candidate joined on the dial-in line and waited on the line, and the
 * apology says they did not dial in. Each keeps its word limit (DESIGN.md, Emails).
 */
import { describe, expect, test } from 'vitest';
import { composeApology, composeConfirmation, composeNoShow, type ComposeBase } from '../../src/domain/compose.js';
import type { Candidate, Escalation, Interview, Slot } from '../../src/domain/types.js';
import { storedInterview } from '../support/interview-record.js';

const MIN = 60_000;
const HOUR = 60 * MIN;
const DAY = 24 * HOUR;
/** Tuesday, March 10, 2026, 3:00 PM EDT = 12:00 PM PDT. */
const START = Date.UTC(2026, 2, 10, 19, 0);

const candidate: Candidate = { name: 'Ada Park', email: 'ada@example.org', phone: '+12125550100', timezone: 'America/New_York' };

function interview(overrides: Partial<Interview> = {}): Interview {
  return storedInterview('iv1', {
    sourceId: 'src1',
    eventId: 'evt1',
    revisionKey: 'k1',
    firstSeen: START - 3 * DAY,
    title: 'Phone Screen: Ada Park <> Acme – Senior Payments Infrastructure Engineer (Remote, US)',
    start: START,
    end: START + 30 * MIN,
    timeZone: 'America/Los_Angeles',
    counterpart: { name: 'Dana Whitfield', email: 'dana@acme.example' },
    company: 'acme.example',
    number: null,
    direction: 'candidate-calls',
    dialIn: true,
    ...overrides,
  });
}

function base(iv: Partial<Interview> = {}, now = START - HOUR): ComposeBase {
  return { interview: interview(iv), candidate, messageId: '<ringback.iv1.confirmation.1@example.org>', now };
}

const words = (text: string): number => text.split(/\s+/).filter((w) => w !== '').length;
const reschedule: Escalation = { noShows: 1, ask: 'reschedule', pattern: false };
const callMe: Escalation = { noShows: 2, ask: 'call-me', pattern: true };
const slots: Slot[] = [
  { start: START + DAY, end: START + DAY + 30 * MIN },
  { start: START + 2 * DAY - 2 * HOUR, end: START + 2 * DAY - 90 * MIN },
  { start: START + 3 * DAY, end: START + 3 * DAY + 30 * MIN },
];

describe('confirmation', () => {
  test('says the candidate will dial in with the invitation\'s details, and asks for no number', () => {
    const text = composeConfirmation({ ...base(), shortNotice: false }).text;
    expect(text).toContain('I will dial in with the number and meeting ID from the invitation at that time.');
    expect(text).not.toMatch(/best number|for your call|I will call you/);
    expect(words(text)).toBeLessThanOrEqual(120);
  });

  test('the flag alone decides nothing: a number to call, or their call, is worded as before', () => {
    expect(composeConfirmation({ ...base({ number: '+14155550123' }), shortNotice: false }).text).toContain('I will call you at +1 415-555-0123.');
    expect(composeConfirmation({ ...base({ direction: 'interviewer-calls', number: null }), shortNotice: false }).text).toContain('I will be at +1 212-555-0100 for your call.');
  });
});

describe('no-show', () => {
  const noShow = (escalation: Escalation, level: 1 | 2 | 3, s: readonly Slot[] = slots): string =>
    composeNoShow({ ...base({}, START + 15 * MIN), escalation, level, availableUntil: START + 30 * MIN, slots: s }).text;

  test('says the candidate joined on the dial-in line and waited on the line, without blame', () => {
    const text = noShow(reschedule, 1);
    expect(text).toContain('Our phone interview was planned for today at 3:00 PM Eastern (12:00 noon Pacific for you); I joined with the dial-in details from the invitation and waited on the line, but we did not manage to connect.');
    expect(text).not.toMatch(/I called|received your call|you forgot|you failed|nobody joined/i);
  });

  test('level 1 offers the candidate\'s own number and new times', () => {
    const text = noShow(reschedule, 1);
    expect(text).toContain('please call me at +1 212-555-0100');
    expect(text).toContain('I am happy to reschedule');
  });

  test('levels 2 and 3 ask them to call the candidate\'s own number', () => {
    expect(noShow(callMe, 2)).toContain('call me at +1 212-555-0100 whenever it is convenient for you');
    expect(noShow({ noShows: 3, ask: 'call-me', pattern: true }, 3)).toContain('please call me at +1 212-555-0100: I will keep my phone free until');
    expect(noShow({ noShows: 3, ask: 'call-me', pattern: true }, 3)).toContain('and any time after that suits me too');
  });

  test.each([1, 2, 3] as const)('level %i stays within 100 words, with a long title', (level) => {
    expect(words(noShow(level === 1 ? reschedule : callMe, level))).toBeLessThanOrEqual(100);
  });
});

describe('apology', () => {
  test('says the candidate did not dial in, and offers to dial in now', () => {
    const text = composeApology({ ...base({}, START + 10 * MIN), slots, replyTo: null }).text;
    expect(text).toContain('I am sorry I did not dial in as planned today at 3:00 PM Eastern');
    expect(text).toContain('I can dial in right away if the meeting is still open');
    expect(text).not.toContain('I can call you');
    expect(words(text)).toBeLessThanOrEqual(90);
  });
});
