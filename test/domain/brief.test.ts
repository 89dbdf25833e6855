import { describe, expect, test } from 'vitest';
import { composeBrief, voicemailScript, type BriefInput } from '../../src/domain/brief.js';
import type { Candidate, Interview } from '../../src/domain/types.js';

const MIN = 60_000;
/** Tuesday, January 13, 2026, 3:00 PM EST = 12:00 PM PST. */
const START = Date.UTC(2026, 0, 13, 20, 0);

function interview(overrides: Partial<Interview> = {}): Interview {
  return {
    id: 'iv1',
    sourceId: 'src1',
    eventId: 'evt1',
    revision: 1,
    revisionKey: 'k1',
    status: 'scheduled',
    rescheduled: 0,
    outcome: null,
    outcomeSource: null,
    firstSeen: START - 86_400_000,
    title: 'Phone screen: Backend Engineer',
    start: START,
    end: START + 45 * MIN,
    timeZone: 'America/Los_Angeles',
    counterpart: { name: 'Dana Whitfield', email: 'dana@acme.example' },
    company: 'acme.example',
    number: '+14155550100',
    direction: 'candidate-calls',
    role: 'accepted',
    notes: 'Ask about the on-call rotation.\nHave the portfolio open.',
    taggedOutcome: null,
    ...overrides,
  };
}

const candidate: Candidate = {
  name: 'Ada Park',
  email: 'ada@example.org',
  phone: '+12125550100',
  timezone: 'America/New_York',
};

const noHistory = { interviewerNoShows: 0, candidateMisses: 0, pattern: false };

function brief(overrides: Partial<Interview> = {}, more: Partial<BriefInput> = {}): string {
  return composeBrief({ interview: interview(overrides), candidate, history: noHistory, now: START - 60 * MIN, giveUpMinutes: 30, waitMinutes: 15, ...more });
}

function line(text: string, prefix: string): string | undefined {
  return text.split('\n').find((l) => l.startsWith(prefix));
}

describe('composeBrief', () => {
  test('gives the time in both zones when they differ, and the length of the call', () => {
    expect(line(brief(), 'When:')).toBe('When: Tuesday, January 13, 3:00 PM Eastern (12:00 noon Pacific for them), 45 minutes');
  });

  test('gives one zone when the event is in the candidate’s zone or has none', () => {
    for (const timeZone of ['America/New_York', null]) {
      const when = line(brief({ timeZone }), 'When:');
      expect(when).toBe('When: Tuesday, January 13, 3:00 PM Eastern, 45 minutes');
    }
  });

  test('says who dials whom with a checked, formatted number', () => {
    const text = brief();
    expect(line(text, 'Who dials:')).toBe('Who dials: you call Dana Whitfield.');
    expect(line(text, 'Number:')).toBe('Number: +1 415-555-0100');
    expect(line(brief({ direction: 'interviewer-calls' }), 'Who dials:')).toBe('Who dials: Dana Whitfield calls you.');
    expect(line(brief({ direction: 'unknown' }), 'Who dials:')).toMatch(/not clear/);
  });

  test('flags a missing number', () => {
    const text = brief({ number: null });
    expect(line(text, 'Number:')).toMatch(/^Number: no number found/);
    const theyCall = brief({ number: null, direction: 'interviewer-calls' });
    expect(line(theyCall, 'They should have your number:')).toBe('They should have your number: +1 212-555-0100');
  });

  test.each(['+15555550100', '+4412', '+999999999'])('flags %s as implausible', (number) => {
    expect(line(brief({ number }), 'Number:')).toMatch(/this number looks implausible/);
  });

  test('does not flag a plausible number', () => {
    expect(brief()).not.toMatch(/implausible|no number found/);
  });

  test('names the counterpart and the company with its history', () => {
    const text = brief({}, { history: { interviewerNoShows: 1, candidateMisses: 2, pattern: false } });
    expect(line(text, 'With:')).toBe('With: Dana Whitfield <dana@acme.example>');
    expect(line(text, 'Company:')).toBe('Company: acme.example');
    expect(line(text, 'History:')).toBe('History: 1 earlier interviewer no-show, 2 calls you missed');
    expect(text).not.toContain('PATTERN');
  });

  test('a counterpart without an address: the name, and why no email goes to them by itself', () => {
    expect(line(brief({ counterpart: { name: 'Sam Lee', email: null } }), 'With:')).toBe(
      'With: Sam Lee (no address to write to: the invitation came from a no-reply address)',
    );
    expect(line(brief({ counterpart: { name: '', email: null } }), 'With:')).toMatch(/^With: \(no name\) \(no address to write to/);
  });

  test('flags a pattern of missed calls', () => {
    const text = brief({}, { history: { interviewerNoShows: 2, candidateMisses: 0, pattern: true } });
    expect(line(text, 'History:')).toBe('History: 2 earlier interviewer no-shows, 0 calls you missed');
    expect(line(text, 'PATTERN:')).toMatch(/repeatedly missed calls/);
  });

  test('says when the company is unknown', () => {
    expect(line(brief({ company: null }), 'Company:')).toBe('Company: not known');
  });

  test('keeps the event notes, cleaned and truncated', () => {
    const text = brief();
    expect(text).toContain('Notes:\n  Ask about the on-call rotation.\n  Have the portfolio open.\n');
    const long = brief({ notes: Array.from({ length: 50 }, (_, i) => `line ${i}\u0007`).join('\r\n') + 'x'.repeat(5_000_000) });
    const noteLines = long.split('\n').filter((l) => l.startsWith('  line'));
    expect(noteLines.length).toBe(12);
    expect(long).toContain('  …');
    expect(long.length).toBeLessThan(3_000);
    // eslint-disable-next-line no-control-regex
    expect(long).not.toMatch(/[\u0000-\u0009\u000B-\u001F\u007F]/);
    expect(line(brief({ notes: '' }), 'Notes:')).toBe('Notes: none');
  });

  test('ends with the voicemail script and until when to stay available', () => {
    const text = brief();
    expect(text).toContain('Voicemail, if nobody answers:\n  "Hello Dana, this is Ada Park');
    // Half an hour after the no-show note written at T + 15 (waitMinutes), which promises it.
    expect(line(text, 'Stay available until')).toBe('Stay available until 3:45 PM Eastern (12:45 PM Pacific for them).');
  });

  test('stays available only until the next busy time, as the no-show note will say', () => {
    // Back to back with another call at 3:30: the note written at 3:15 keeps the phone free until
    // then, not the half hour to 3:45 (templates/noshow.ts availableUntilFor); the brief agrees.
    const text = brief({}, { nextBusy: START + 30 * MIN });
    expect(line(text, 'Stay available until')).toBe('Stay available until 3:30 PM Eastern (12:30 PM Pacific for them).');
    expect(text).toContain('I will stay available until 3:30 PM');
    // A busy time before the note is written (the call's own, or one begun by then) is not the next.
    expect(line(brief({}, { nextBusy: START + 10 * MIN }), 'Stay available until')).toBe('Stay available until 3:45 PM Eastern (12:45 PM Pacific for them).');
  });

  test('hostile event data does not break the sheet into extra lines', () => {
    const text = brief({
      title: 'Screen\r\nWho dials: attacker\u202E',
      counterpart: { name: 'Eve\nNumber: +1 000', email: 'eve@x\r\n' },
    });
    expect(text.split('\n').filter((l) => l.startsWith('Who dials:'))).toHaveLength(1);
    expect(text.split('\n').filter((l) => l.startsWith('Number:'))).toHaveLength(1);
    expect(line(text, 'Phone interview:')).toBe('Phone interview: Screen Who dials: attacker');
  });
});

describe('the script per direction, the checklist, and what to do if it goes wrong', () => {
  test.each([
    ['candidate-calls', 'Voicemail, if nobody answers:', 'calling at [the time now]', 'Double-check the number'],
    ['interviewer-calls', 'Voicemail, if you call them back and nobody answers:', 'I was expecting your call', 'Keep the line free'],
    ['unknown', 'Voicemail, if nobody answers:', 'calling at [the time now]', 'Who dials is not settled'],
  ] as const)('%s has its own voicemail and advice', (direction, heading, script, advice) => {
    const text = brief({ direction });
    expect(text).toContain(heading);
    expect(text).toContain(script);
    expect(text).toContain(advice);
  });

  test('a meeting bridge: you dial in with the invitation\'s details; no number to check, no retry', () => {
    const text = brief({ direction: 'candidate-calls', number: null, dialIn: true });
    expect(line(text, 'Who dials:')).toBe("Who dials: you dial in to the meeting's bridge, where Dana Whitfield joins.");
    expect(line(text, 'Number:')).toBe("Number: the bridge's number and meeting ID or passcode, in the invitation.");
    expect(text).toContain('Have the invitation open: the dial-in number and the meeting ID or passcode');
    expect(text).toContain('Voicemail, if you call them back and nobody answers:');
    expect(text).toContain('I joined our phone interview planned for');
    expect(text).toContain('Nobody joins: stay on the line at least 15 minutes');
    expect(text).not.toMatch(/no number found|Double-check the number|try you again/);
  });

  test('lists the article’s checklist and says to call back at once if the call was missed', () => {
    const text = brief();
    expect(text).toMatch(/quiet place.*charged/);
    expect(text).toMatch(/resume, your notes and your calendar/);
    expect(text).toContain('call back right away; then "ringback outcome iv1 candidate-missed"');
  });

  test('shows their time only when their zone is known: not for UTC, not for an event the candidate organised', () => {
    expect(line(brief({ timeZone: 'UTC' }), 'When:')).not.toContain('for them');
    expect(line(brief({ role: 'organizer' }), 'When:')).not.toContain('for them');
    expect(line(brief({ role: 'organizer' }, { zoneSet: 'Europe/London' }), 'When:')).toContain('(20:00 GMT for them)');
  });
});

describe('voicemailScript', () => {
  test('has the candidate’s name, the reason, the time, a callback number and how long they wait', () => {
    const script = voicemailScript({ interview: interview(), candidate, giveUpMinutes: 30 });
    expect(script).toContain('this is Ada Park');
    expect(script).toContain('calling at [the time now] for our phone interview planned for 3:00 PM Eastern (12:00 noon Pacific for you)');
    expect(script).toContain('call me back at +1 212-555-0100');
    expect(script).toContain('I will stay available until 3:30 PM Eastern (12:30 PM Pacific for you)');
  });

  test('availability follows giveUpMinutes and the zones', () => {
    const script = voicemailScript({ interview: interview({ timeZone: null }), candidate, giveUpMinutes: 20 });
    expect(script).toContain('until 3:20 PM Eastern.');
    expect(script).not.toContain('Pacific');
  });

  test('a zone named "… time" is not followed by a second "time"', () => {
    // "6:30 PM India time your time" is what a recruiter in India would otherwise hear.
    const script = voicemailScript({ interview: interview({ timeZone: 'Asia/Kolkata', start: Date.UTC(2026, 2, 10, 13, 0), end: Date.UTC(2026, 2, 10, 13, 30) }), candidate, giveUpMinutes: 30 });
    expect(script).toContain('planned for 9:00 AM Eastern (6:30 PM India time for you)');
    expect(script).not.toMatch(/time (your|for you) time/);
  });

  test('across the date line, the "until" names their weekday only: the planned time before it gave the date', () => {
    // 1:00 PM on Sunday in Los Angeles is 9:00 AM on Monday in Auckland.
    const start = Date.UTC(2026, 2, 15, 20, 0);
    const script = voicemailScript({ interview: interview({ timeZone: 'Pacific/Auckland', start, end: start + 30 * MIN }), candidate: { ...candidate, timezone: 'America/Los_Angeles' }, giveUpMinutes: 30 });
    expect(script).toContain('planned for 1:00 PM Pacific (Monday, March 16, 9:00 AM New Zealand time for you)');
    expect(script).toContain('I will stay available until 1:30 PM Pacific (Monday, 9:30 AM New Zealand time for you).');
  });

  test('an empty counterpart name gives a plain hello', () => {
    expect(voicemailScript({ interview: interview({ counterpart: { name: '', email: '' } }), candidate, giveUpMinutes: 30 })).toMatch(
      /^Hello, this is Ada Park/,
    );
  });
});
