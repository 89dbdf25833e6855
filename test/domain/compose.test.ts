import { describe, expect, test } from 'vitest';
import fc from 'fast-check';
import {
  composeApology,
  composeConfirmation,
  composeNoShow,
  composeThankYou,
  confirmationSays,
  type ComposeBase,
} from '../../src/domain/compose.js';
import type { Candidate, ComposedEmail, Escalation, Interview, Slot } from '../../src/domain/types.js';
import { storedInterview } from '../support/interview-record.js';

const MIN = 60_000;
const HOUR = 60 * MIN;
const DAY = 24 * HOUR;
/** Tuesday, March 10, 2026, 3:00 PM EDT = 12:00 PM PDT. */
const START = Date.UTC(2026, 2, 10, 19, 0);

function interview(overrides: Partial<Interview> = {}): Interview {
  return storedInterview('iv1', {
    sourceId: 'src1',
    eventId: 'evt1',
    revisionKey: 'k1',
    firstSeen: START - 3 * DAY,
    title: 'Backend Engineer, Acme',
    start: START,
    end: START + 30 * MIN,
    timeZone: 'America/Los_Angeles',
    counterpart: { name: 'Dana Whitfield', email: 'dana@acme.example' },
    company: 'acme.example',
    direction: 'candidate-calls',
    ...overrides,
  });
}

const candidate: Candidate = {
  name: 'Ada Park',
  email: 'ada@example.org',
  phone: '+12125550100',
  timezone: 'America/New_York',
};

function base(iv: Partial<Interview> = {}, now = START - HOUR): ComposeBase {
  return { interview: interview(iv), candidate, messageId: '<ringback.iv1.confirmation.1@example.org>', now };
}

const reschedule: Escalation = { noShows: 1, ask: 'reschedule', pattern: false };
const callMe: Escalation = { noShows: 2, ask: 'call-me', pattern: true };
const slots: Slot[] = [
  { start: START + DAY, end: START + DAY + 30 * MIN },
  { start: START + 2 * DAY - 2 * HOUR, end: START + 2 * DAY - 90 * MIN },
  { start: START + 3 * DAY, end: START + 3 * DAY + 30 * MIN },
];

type Render = (b: ComposeBase) => ComposedEmail;
const templates: ReadonlyArray<readonly [string, Render]> = [
  ['confirmation', (b) => composeConfirmation({ ...b, shortNotice: false })],
  ['no-show', (b) => composeNoShow({ ...b, escalation: reschedule, availableUntil: START + 30 * MIN, slots })],
  ['thank-you', (b) => composeThankYou({ ...b, rescheduled: true })],
  ['apology', (b) => composeApology({ ...b, slots, replyTo: null })],
];

// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u001F\u007F-\u009F\u2028\u2029\u202A-\u202E\u2066-\u2069]/;

function headerValues(email: ComposedEmail): string[] {
  return [
    email.messageId,
    email.subject,
    email.from.name,
    email.from.email,
    ...email.to.flatMap((p) => [p.name, p.email]),
    email.inReplyTo ?? '',
    ...(email.references ?? []),
  ];
}

function expectSafeHeaders(email: ComposedEmail): void {
  for (const value of headerValues(email)) expect(value).not.toMatch(CONTROL);
  expect(email.subject.length).toBeLessThanOrEqual(200);
}

describe.each(templates)('%s, common rules', (_kind, render) => {
  test('is addressed from the candidate to the counterpart, dated now, with the given id', () => {
    const email = render(base());
    expect(email.from).toEqual({ name: 'Ada Park', email: 'ada@example.org' });
    expect(email.to).toEqual([{ name: 'Dana Whitfield', email: 'dana@acme.example' }]);
    expect(email.date).toBe(START - HOUR);
    expect(email.messageId).toBe('<ringback.iv1.confirmation.1@example.org>');
    expect(email.text).toMatch(/^Hi Dana,\n/);
    expect(email.text).toContain('Ada Park\n+1 212-555-0100');
  });

  test('headers stay free of CR/LF and control characters with hostile names and titles', () => {
    const email = render(
      base({
        title: 'Call\r\nBcc: victim@example.com\u0000<script>alert(1)</script>',
        counterpart: { name: 'Dana\r\nX-Evil: 1\u2028\u202Eevil', email: 'dana@acme.example\r\nCc: x@y' },
      }),
    );
    expectSafeHeaders(email);
    expect(email.to[0]?.name).toBe('Dana X-Evil: 1 evil');
    expect(email.to[0]?.email).toBe('dana@acme.exampleCc:x@y');
  });

  test('a <script> title is never quoted: neither in the HTML nor in the text', () => {
    const email = render(base({ title: `<script>alert("x" & 'y')</script>` }));
    expect(email.html).not.toContain('<script');
    expect(email.html).not.toContain('&lt;script');
    expect(email.text).not.toContain('<script');
    expect(email.subject).not.toContain('script');
  });

  test('a hostile counterpart name appears escaped in the HTML and plain in the text', () => {
    const email = render(base({ counterpart: { name: `<b>Dana</b> & "Co"`, email: 'dana@acme.example' } }));
    expect(email.html).not.toContain('<b>');
    expect(email.html).toContain('&lt;b&gt;Dana&lt;/b&gt;');
    expect(email.text).toContain('Hi <b>Dana</b>,');
  });

  test('a 5 MB title, emoji, right-to-left override and empty names neither throw nor leak', () => {
    const email = render(
      base({ title: `${'🎉'.repeat(10)}${'T'.repeat(5_000_000)}`, counterpart: { name: '', email: '' } }),
    );
    expectSafeHeaders(email);
    expect(email.text.length).toBeLessThan(5_000);
    expect(email.text).toMatch(/^Hello,\n/);
    expect(email.text).not.toContain('🎉');
    const rtl = render(base({ counterpart: { name: '\u202Edana\u202C 👩🏽‍💻', email: 'd@x' } }));
    expect(rtl.text).toContain('Hi dana,');
    expect(rtl.html.replaceAll('\n', '')).not.toMatch(CONTROL);
  });

  test('any string at all in names and title gives clean headers', () => {
    const text = fc.string({ unit: 'binary', maxLength: 300 });
    fc.assert(
      fc.property(text, text, text, (title, name, email) => {
        const out = render(base({ title, counterpart: { name, email } }));
        expectSafeHeaders(out);
        expect(out.html).not.toMatch(/<(?!(!DOCTYPE|\/?(p|ul|li|br|html|head|body|meta))[ >])/);
      }),
      { numRuns: 100 },
    );
  });

  test('without an address (a no-reply invitation): no recipient, the named person greeted, or "Hello,"', () => {
    const named = render(base({ counterpart: { name: 'Sam Lee', email: null } }));
    expect(named.to).toEqual([]);
    expect(named.text).toMatch(/^Hi Sam,\n/);
    expect(named.text).toContain('Ada Park\n+1 212-555-0100');
    const nobody = render(base({ counterpart: { name: '', email: null } }));
    expect(nobody.to).toEqual([]);
    expect(nobody.text).toMatch(/^Hello,\n/);
    expectSafeHeaders(nobody);
  });

  test('"Last, First" names and address-like names are greeted properly', () => {
    expect(render(base({ counterpart: { name: 'Whitfield, Dana', email: 'd@x' } })).text).toMatch(/^Hi Dana,/);
    expect(render(base({ counterpart: { name: 'Dr. Lee', email: 'd@x' } })).text).toMatch(/^Hi Dr\. Lee,/);
    expect(render(base({ counterpart: { name: 'dana@acme.example', email: 'd@x' } })).text).toMatch(/^Hello,/);
  });
});

describe('confirmation', () => {
  const confirm = (b: ComposeBase, shortNotice = false): ComposedEmail => composeConfirmation({ ...b, shortNotice });

  test('states the time in both zones when they differ, as people write zones', () => {
    const email = confirm(base());
    expect(email.subject).toBe('Confirming our phone interview today at 3:00 PM Eastern – Backend Engineer');
    expect(email.text).toContain('confirm our phone interview for the Backend Engineer role today at 3:00 PM Eastern (12:00 noon Pacific for you).');
    expect(email.text).toContain('I look forward to speaking with you.');
  });

  test('states one zone when the event is in the candidate’s zone, in UTC, or its zone is unknown', () => {
    for (const timeZone of ['America/New_York', null, 'UTC', 'Etc/UTC']) {
      const email = confirm(base({ timeZone }));
      expect(email.text).toContain('today at 3:00 PM Eastern.');
      expect(email.text).not.toContain('Pacific');
      expect(email.text).not.toContain('for you)');
    }
  });

  test('an event the candidate organised says nothing of the recipient’s zone; a zone the user set does', () => {
    expect(confirm(base({ role: 'organizer' })).text).not.toContain('for you)');
    const set = composeConfirmation({ ...base({ role: 'organizer' }), shortNotice: false, zoneSet: 'Europe/Berlin' });
    expect(set.text).toContain('3:00 PM Eastern (20:00 CET for you)');
  });

  test('says "in N minutes" on short notice, counted from the time it is sent', () => {
    expect(confirm(base({}, START - 25 * MIN), true).text).toContain('in 25 minutes, at 3:00 PM Eastern (12:00 noon Pacific for you).');
    expect(confirm(base({}, START - 40_000), true).text).toContain('in 1 minute, at');
    expect(confirm(base({}, START - 25 * MIN), false).text).not.toContain('minutes');
    const later = composeConfirmation({ ...base({}, START - 25 * MIN), shortNotice: true, sendAt: START - 20 * MIN });
    expect(later.text).toContain('in 20 minutes, at');
  });

  test('after a move, confirms the new time and names the one it replaces; a first one, or one back at the same time, reads as usual', () => {
    const sameDay = composeConfirmation({ ...base({ start: START + HOUR, end: START + HOUR + 30 * MIN }, START - HOUR), shortNotice: false, earlier: START });
    expect(sameDay.subject).toMatch(/^New time for our phone interview: today at 4:00 PM Eastern/);
    expect(sameDay.text).toContain('to confirm the new time of our phone interview for the Backend Engineer role: today at 4:00 PM Eastern (1:00 PM Pacific for you), instead of 3:00 PM Eastern (12:00 noon Pacific).');
    const nextDay = composeConfirmation({ ...base({ start: START + DAY, end: START + DAY + 30 * MIN }, START - HOUR), shortNotice: false, earlier: START, sendAt: START - HOUR });
    expect(nextDay.text).toContain('tomorrow at 3:00 PM Eastern (12:00 noon Pacific for you), instead of Tuesday, March 10, 3:00 PM Eastern (12:00 noon Pacific).');
    // Sent on the new day, the earlier one is past: named by its date, not as "yesterday".
    const afterIt = composeConfirmation({ ...base({ start: START + DAY, end: START + DAY + 30 * MIN }, START - HOUR), shortNotice: false, earlier: START, sendAt: START + DAY - HOUR });
    expect(afterIt.text).toContain('today at 3:00 PM Eastern (12:00 noon Pacific for you), instead of Tuesday, March 10, 3:00 PM Eastern (12:00 noon Pacific).');
    expect(afterIt.text).not.toContain('yesterday');
    for (const earlier of [null, START, Number.NaN]) {
      const usual = composeConfirmation({ ...base(), shortNotice: false, earlier });
      expect(usual.subject).toMatch(/^Confirming our phone interview today/);
      expect(usual.text).not.toMatch(/new time|instead of/);
    }
  });

  test('a draft written the day before still says "today", as it leaves shortly before the call', () => {
    const email = confirm(base({}, START - 20 * HOUR));
    expect(email.subject).toMatch(/^Confirming our phone interview today at 3:00 PM Eastern/);
    expect(email.text).toContain('today at 3:00 PM Eastern');
  });

  test.each([
    ['candidate-calls', '+14155550100', 'I will call you at +1 415-555-0100.'],
    ['candidate-calls', null, 'could you let me know the best number to reach you?'],
    ['interviewer-calls', null, 'I will be at +1 212-555-0100 for your call.'],
    ['interviewer-calls', '+13125550199', 'I will be at +1 312-555-0199 for your call.'],
    ['unknown', '+14155550100', 'Will you call me at +1 212-555-0100, or should I call you at +1 415-555-0100?'],
    ['unknown', null, 'Will you call me at +1 212-555-0100, or should I call you?'],
  ] as const)('%s with number %s settles who dials whom', (direction, number, sentence) => {
    expect(confirm(base({ direction, number })).text).toContain(sentence);
  });
});

describe('no-show', () => {
  const noShow = (iv: Partial<Interview>, escalation: Escalation, s: readonly Slot[], level?: 1 | 2 | 3): ComposedEmail =>
    composeNoShow({ ...base(iv, START + 15 * MIN), escalation, level, availableUntil: START + 30 * MIN, slots: s });
  const words = (text: string): number => text.split(/\s+/).filter((w) => w !== '').length;

  test.each([
    ['candidate-calls', 'I called +1 415-555-0100 but could not reach you'],
    ['interviewer-calls', 'I have not received your call yet'],
    ['unknown', 'we have not managed to connect yet'],
  ] as const)('%s is worded as "%s"', (direction, wording) => {
    const text = noShow({ direction }, reschedule, slots).text;
    expect(text).toContain(wording);
    expect(text).not.toMatch(/you forgot|you failed|unprofessional|disappointed|thank you for your time/i);
  });

  test('says that the candidate called, not how often: ringback does not know it', () => {
    expect(noShow({ direction: 'candidate-calls' }, reschedule, slots).text).not.toMatch(/twice|several times|\bagain\b/);
  });

  test('one free time is offered as one, not as "one of these"', () => {
    const text = noShow({}, reschedule, slots.slice(0, 1)).text;
    expect(text).toContain('Otherwise, I am happy to reschedule: would this time suit you?\n\n  - ');
    expect(text).not.toContain('one of these');
  });

  test('stays available at least 30 minutes from when it is written, in both zones when known', () => {
    expect(noShow({}, reschedule, slots).text).toContain('I will keep my phone free until 3:45 PM Eastern (12:45 PM Pacific)');
    const same = noShow({ timeZone: null }, reschedule, slots).text;
    expect(same).toContain('until 3:45 PM Eastern.');
    expect(same).not.toContain('Pacific');
    const late = composeNoShow({ ...base({}, START + 5 * MIN), escalation: reschedule, availableUntil: START + 60 * MIN, slots });
    expect(late.text).toContain('until 4:00 PM Eastern');
  });

  test('level 1 lists the slots, each in both zones, earliest first', () => {
    const email = noShow({}, reschedule, [...slots].reverse());
    expect(email.text).toContain('would one of these suit you?');
    expect(email.text).toContain(
      [
        '  - Wednesday, March 11, 3:00 PM Eastern (12:00 noon Pacific)',
        '  - Thursday, March 12, 1:00 PM Eastern (10:00 AM Pacific)',
        '  - Friday, March 13, 3:00 PM Eastern (12:00 noon Pacific)',
      ].join('\n'),
    );
    expect(email.html).toContain('<ul><li>Wednesday, March 11, 3:00 PM Eastern (12:00 noon Pacific)</li>');
  });

  test('slots in the candidate’s zone only when the zones agree', () => {
    const text = noShow({ timeZone: 'America/New_York' }, reschedule, slots).text;
    expect(text).toContain('  - Wednesday, March 11, 3:00 PM Eastern\n');
  });

  test('level 1 without slots asks them for a time and invents none', () => {
    const email = noShow({}, reschedule, []);
    expect(email.text).toContain('I am happy to reschedule: could you suggest a time that suits you?');
    expect(email.text).not.toContain('  - ');
    expect(email.html).not.toContain('<ul>');
  });

  test('level 2 says it is the second time and asks them to call when convenient, without slots', () => {
    const email = noShow({}, callMe, slots);
    expect(email.text).toContain('This is the second time our call has not worked out');
    expect(email.text).toContain('call me at +1 212-555-0100 whenever it is convenient for you');
    expect(email.text).not.toContain('If that is easier');
    expect(email.text).not.toContain('  - ');
  });

  test('level 2 gives the number the interviewer was meant to dial', () => {
    const email = noShow({ direction: 'interviewer-calls', number: '+13125550199' }, callMe, []);
    expect(email.text).toContain('call me at +1 312-555-0199');
    // The signature names the same number as the body, never a second one.
    expect(email.text).toContain('Ada Park\n+1 312-555-0199');
    expect(email.text).not.toContain('212-555-0100');
  });

  test('level 3 is short, polite, lists no times and leaves the door open', () => {
    const two = noShow({}, callMe, slots, 2).text;
    const three = noShow({}, { noShows: 3, ask: 'call-me', pattern: true }, slots, 3).text;
    expect(three).not.toBe(two);
    expect(three).toContain('If you would still like to talk');
    expect(three).not.toContain('  - ');
    expect(words(three)).toBeLessThan(words(two));
  });

  test.each([1, 2, 3] as const)('level %i stays within 100 words', (level) => {
    const escalation = level === 1 ? reschedule : callMe;
    const long = { title: 'Phone Screen: Ada Park <> Acme – Senior Payments Infrastructure Engineer (Remote, US)' };
    expect(words(noShow(long, escalation, slots, level).text)).toBeLessThanOrEqual(100);
  });

  test('answers a sent confirmation with "Re:" and its subject', () => {
    const replyTo = { messageId: '<c@x>', subject: 'Confirming our phone interview today at 3:00 PM Eastern' };
    const email = composeNoShow({ ...base({}, START + 15 * MIN), escalation: reschedule, availableUntil: START + 30 * MIN, slots, replyTo });
    expect(email.subject).toBe('Re: Confirming our phone interview today at 3:00 PM Eastern');
    expect(email.inReplyTo).toBe('<c@x>');
    expect(email.references).toEqual(['<c@x>']);
  });
});

describe('thank-you', () => {
  const thank = (rescheduled: boolean, iv: Partial<Interview> = {}): ComposedEmail => composeThankYou({ ...base(iv, START + 90 * MIN), rescheduled });

  test('thanks them for the conversation under its own subject, never in a thread', () => {
    const email = thank(false);
    expect(email.text).toContain('Thank you for speaking with me today about the Backend Engineer role.');
    expect(email.text).toContain('joining Acme');
    expect(email.text).not.toContain('flexibility');
    expect(email.subject).toBe('Thank you – Backend Engineer conversation');
    expect(email.inReplyTo).toBeUndefined();
    expect(email.references).toBeUndefined();
  });

  test('without a role in the event the subject is still one a person writes', () => {
    expect(thank(false, { title: 'Phone call with Dana Whitfield' }).subject).toBe('Thank you for our conversation');
  });

  test('thanks them for their flexibility first when the interview was moved', () => {
    const text = thank(true).text;
    expect(text).toContain('and for your flexibility in finding a new time');
    expect(text.indexOf('flexibility')).toBeLessThan(text.indexOf('I enjoyed'));
  });
});

describe('reply subjects', () => {
  const reply = { messageId: '<ringback.iv1.confirmation.1@example.org>', subject: 'Confirming our phone interview today' };
  const answer = (replyTo: typeof reply): ComposedEmail => composeApology({ ...base({}, START + 10 * MIN), slots, replyTo });

  test.each([
    ['Re: Confirming', 'Re: Confirming'],
    ['RE: re:Confirming', 'Re: Confirming'],
    ['AW: Re: Confirming', 'Re: Confirming'],
    ['Re: Re: Re: Re: Re: Re: Re: Re: Re: Re: Re: Re: Re: Re: Re: Re: Re: Re: Re: Re: Re: Re: Confirming', 'Re: Confirming'],
    ['', 'Re: our phone interview'],
  ])('subject %j becomes %j, never "Re: Re:"', (subject, expected) => {
    expect(answer({ ...reply, subject }).subject).toBe(expected);
  });

  test('a hostile reply subject and Message-ID are cleaned', () => {
    const email = answer({ messageId: '<a@b>\r\nBcc: x@y', subject: `Hi\r\nBcc: x@y ${'x'.repeat(1_000)}` });
    expectSafeHeaders(email);
    expect(email.inReplyTo).toBe('<a@b>Bcc:x@y');
  });
});

describe('apology', () => {
  const apologise = (iv: Partial<Interview>, s: readonly Slot[], now = START + 10 * MIN): ComposedEmail =>
    composeApology({ ...base(iv, now), slots: s, replyTo: null });

  test.each([
    ['interviewer-calls', 'I am sorry I missed your call today at 3:00 PM Eastern (12:00 noon Pacific for you)'],
    ['candidate-calls', 'I am sorry I did not call you as planned today at 3:00 PM Eastern (12:00 noon Pacific for you)'],
    ['unknown', 'I am sorry I missed our phone interview'],
  ] as const)('%s: apologises once, in one sentence', (direction, sentence) => {
    const text = apologise({ direction }, slots).text;
    expect(text).toContain(sentence);
    expect(text.match(/sorry|apolog|forgive/gi)).toHaveLength(1);
  });

  test('says who calls: "I am free now at <number> if you would like to call; otherwise…" with the slots in both zones', () => {
    const email = apologise({ direction: 'interviewer-calls', number: null }, slots);
    expect(email.text).toContain("I am free now at +1 212-555-0100 if you would like to call; otherwise, would one of these times suit you?");
    expect(email.text).toContain('  - Wednesday, March 11, 3:00 PM Eastern (12:00 noon Pacific)');
    expect(email.text).toContain('  - Friday, March 13, 3:00 PM Eastern (12:00 noon Pacific)');
    expect(email.subject).toBe('Sorry I missed our call – Backend Engineer interview');
  });

  test('one free time is offered as one, not as "one of these"', () => {
    const text = apologise({ direction: 'interviewer-calls', number: null }, slots.slice(0, 1)).text;
    expect(text).toContain("if you would like to call; otherwise, would this time suit you?\n\n  - ");
    expect(text).not.toContain('one of these');
  });

  test('when the candidate was to dial, it offers to call them now at the number the invitation gave', () => {
    const email = apologise({ direction: 'candidate-calls', number: '+14155550123' }, slots);
    expect(email.text).toContain('I can call you now at +1 415-555-0123; otherwise, would one of these times suit you?');
    expect(email.text).not.toContain("if you would like to call");
    const unknownNumber = apologise({ direction: 'candidate-calls', number: null }, []);
    expect(unknownNumber.text).toContain('I can call you right away; otherwise, could you suggest a time that suits you?');
  });

  test('with no slots it asks them for a time', () => {
    const email = apologise({ direction: 'interviewer-calls' }, []);
    expect(email.text).toContain("if you would like to call; otherwise, could you suggest a time that suits you?");
    expect(email.html).not.toContain('<ul>');
  });

  test('stays within 90 words', () => {
    const long = { title: 'Phone Screen: Ada Park <> Acme – Senior Payments Infrastructure Engineer (Remote, US)' };
    expect(apologise(long, slots).text.split(/\s+/).filter((w) => w !== '').length).toBeLessThanOrEqual(90);
  });

  test('threads to the earlier message when given', () => {
    const email = composeApology({
      ...base({}, START + 10 * MIN),
      slots,
      replyTo: { messageId: '<c@x>', subject: 'Re: Confirming our phone interview' },
    });
    expect(email.subject).toBe('Re: Confirming our phone interview');
    expect(email.inReplyTo).toBe('<c@x>');
    expect(email.references).toEqual(['<c@x>']);
  });
});

describe('what a confirmation says (confirmationSays), the digest that decides whether a change needs a new one', () => {
  const base = interview({ number: '+12125550199' });
  test('changes with the candidate\'s phone and name, which its signature and sentences state', () => {
    const says = confirmationSays(base, candidate);
    // The words themselves differ, so the digest must.
    const other = { ...candidate, phone: '+12125550177' };
    const compose = (c: Candidate) => composeConfirmation({ interview: base, candidate: c, messageId: '<m@x>', now: START - 2 * HOUR, shortNotice: false }).text;
    expect(compose(other)).not.toBe(compose(candidate));
    expect(confirmationSays(base, other)).not.toBe(says);
    expect(confirmationSays(base, { ...candidate, name: 'Ada Park-Lee' })).not.toBe(says);
    expect(confirmationSays(base, { ...candidate, timezone: 'Europe/Lisbon' })).not.toBe(says);
  });

  test('stays the same for what no line shows: the end, the same number written otherwise (guard)', () => {
    const says = confirmationSays(base, candidate);
    expect(confirmationSays({ ...base, end: base.end + 15 * MIN }, candidate)).toBe(says);
    expect(confirmationSays(base, { ...candidate, phone: '+1 212 555 0100' })).toBe(says);
  });
});
