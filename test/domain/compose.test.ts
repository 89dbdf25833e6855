import { describe, expect, test } from 'vitest';
import fc from 'fast-check';
import {
  composeApology,
  composeConfirmation,
  composeNoShow,
  composeThankYou,
  type ComposeBase,
} from '../../src/domain/compose.js';
import type { Candidate, ComposedEmail, Escalation, Interview, Slot } from '../../src/domain/types.js';

const MIN = 60_000;
const HOUR = 60 * MIN;
const DAY = 24 * HOUR;
/** Tuesday, March 10, 2026, 3:00 PM EDT = 12:00 PM PDT. */
const START = Date.UTC(2026, 2, 10, 19, 0);

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
    firstSeen: START - 3 * DAY,
    title: 'Backend Engineer, Acme',
    start: START,
    end: START + 30 * MIN,
    timeZone: 'America/Los_Angeles',
    counterpart: { name: 'Dana Whitfield', email: 'dana@acme.example' },
    company: 'acme.example',
    number: '+14155550100',
    direction: 'candidate-calls',
    role: 'accepted',
    notes: '',
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
  ['thank-you', (b) => composeThankYou({ ...b, replyTo: { messageId: '<a@b>', subject: 'Hi\r\nBcc: x@y' }, rescheduled: true })],
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

  test('a <script> title appears escaped in the HTML and plain in the text', () => {
    const email = render(base({ title: `<script>alert("x" & 'y')</script>` }));
    expect(email.html).not.toContain('<script');
    expect(email.html).toContain('&lt;script&gt;alert(&quot;x&quot; &amp; &#39;y&#39;)&lt;/script&gt;');
    expect(email.text).toContain(`<script>alert("x" & 'y')</script>`);
  });

  test('a 5 MB title, emoji, right-to-left override and empty names neither throw nor leak', () => {
    const email = render(
      base({ title: `${'🎉'.repeat(10)}${'T'.repeat(5_000_000)}`, counterpart: { name: '', email: '' } }),
    );
    expectSafeHeaders(email);
    expect(email.text.length).toBeLessThan(5_000);
    expect(email.text).toMatch(/^Hello,\n/);
    expect(email.text).toContain('🎉🎉');
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

  test('"Last, First" names and address-like names are greeted properly', () => {
    expect(render(base({ counterpart: { name: 'Whitfield, Dana', email: 'd@x' } })).text).toMatch(/^Hi Dana,/);
    expect(render(base({ counterpart: { name: 'Dr. Lee', email: 'd@x' } })).text).toMatch(/^Hi Dr\. Lee,/);
    expect(render(base({ counterpart: { name: 'dana@acme.example', email: 'd@x' } })).text).toMatch(/^Hello,/);
  });
});

describe('confirmation', () => {
  const confirm = (b: ComposeBase, shortNotice = false): ComposedEmail => composeConfirmation({ ...b, shortNotice });

  test('states the time in both zones when they differ', () => {
    const email = confirm(base());
    expect(email.subject).toBe('Confirming our phone interview today at 3:00 PM EDT – Backend Engineer, Acme');
    expect(email.text).toContain('confirm our phone interview (“Backend Engineer, Acme”) today at 3:00 PM EDT (12:00 PM PDT for you).');
    expect(email.text).toContain('I look forward to speaking with you.');
  });

  test('states one zone when the event is in the candidate’s zone or its zone is unknown', () => {
    for (const timeZone of ['America/New_York', null]) {
      const email = confirm(base({ timeZone }));
      expect(email.text).toContain('today at 3:00 PM EDT.');
      expect(email.text).not.toContain('PDT');
      expect(email.text).not.toContain('for you)');
    }
  });

  test('says "in N minutes" on short notice, counted from now', () => {
    expect(confirm(base({}, START - 25 * MIN), true).text).toContain('in 25 minutes, at 3:00 PM EDT (12:00 PM PDT for you).');
    expect(confirm(base({}, START - 40_000), true).text).toContain('in 1 minute, at');
    expect(confirm(base({}, START - 25 * MIN), false).text).not.toContain('minutes');
  });

  test('a draft written the day before still says "today", as it leaves shortly before the call', () => {
    const email = confirm(base({}, START - 20 * HOUR));
    expect(email.subject).toMatch(/^Confirming our phone interview today at 3:00 PM EDT/);
    expect(email.text).toContain('today at 3:00 PM EDT');
  });

  test.each([
    ['candidate-calls', '+14155550100', 'I will call you at +1 415-555-0100.'],
    ['candidate-calls', null, 'could you let me know the best number to reach you?'],
    ['interviewer-calls', null, 'I will be at +1 212-555-0100 for your call.'],
    ['interviewer-calls', '+13125550199', 'I will be at +1 312-555-0199 for your call.'],
    ['unknown', '+14155550100', 'I have +1 415-555-0100 noted as the number for our call.'],
  ] as const)('%s with number %s says who dials whom', (direction, number, sentence) => {
    expect(confirm(base({ direction, number })).text).toContain(sentence);
  });

  test('no number sentence when the number is missing and nobody knows who dials', () => {
    const text = confirm(base({ direction: 'unknown', number: null })).text;
    expect(text).not.toMatch(/call you at|for your call|number for our call|best number/);
    expect(text.match(/\+1/g)).toHaveLength(1); // the signature only
  });
});

describe('no-show', () => {
  const noShow = (iv: Partial<Interview>, escalation: Escalation, s: readonly Slot[]): ComposedEmail =>
    composeNoShow({ ...base(iv, START + 15 * MIN), escalation, availableUntil: START + 30 * MIN, slots: s });

  test.each([
    ['candidate-calls', 'I called twice and could not reach you at +1 415-555-0100'],
    ['interviewer-calls', 'I have not received your call'],
    ['unknown', 'we have not managed to connect'],
  ] as const)('%s is worded as "%s"', (direction, wording) => {
    const text = noShow({ direction }, reschedule, slots).text;
    expect(text).toContain(wording);
    expect(text).not.toMatch(/you forgot|you failed|unprofessional|disappointed/i);
  });

  test('says until when the candidate stays available, in both zones when they differ', () => {
    expect(noShow({}, reschedule, slots).text).toContain(
      'I will stay available at +1 212-555-0100 until 3:30 PM EDT (12:30 PM PDT for you)',
    );
    const same = noShow({ timeZone: null }, reschedule, slots).text;
    expect(same).toContain('until 3:30 PM EDT, in case now still works for you.');
    expect(same).not.toContain('PDT');
  });

  test('reschedule lists the slots, each in both zones, earliest first', () => {
    const email = noShow({}, reschedule, [...slots].reverse());
    expect(email.text).toContain('I would be glad to reschedule');
    expect(email.text).toContain(
      [
        '  - Wednesday, March 11, 3:00 PM EDT (12:00 PM PDT for you)',
        '  - Thursday, March 12, 1:00 PM EDT (10:00 AM PDT for you)',
        '  - Friday, March 13, 3:00 PM EDT (12:00 PM PDT for you)',
      ].join('\n'),
    );
    expect(email.html).toContain('<ul><li>Wednesday, March 11, 3:00 PM EDT (12:00 PM PDT for you)</li>');
  });

  test('slots in the candidate’s zone only when the zones agree', () => {
    const text = noShow({ timeZone: 'America/New_York' }, reschedule, slots).text;
    expect(text).toContain('  - Wednesday, March 11, 3:00 PM EDT\n');
  });

  test('reschedule without slots offers to find a time and invents none', () => {
    const email = noShow({}, reschedule, []);
    expect(email.text).toContain('happy to find another time that suits you');
    expect(email.text).not.toContain('  - ');
    expect(email.html).not.toContain('<ul>');
  });

  test('call-me asks them to call the candidate’s number when convenient, and lists no slots', () => {
    const email = noShow({}, callMe, slots);
    expect(email.text).toContain('please call me at +1 212-555-0100 whenever it is convenient for you');
    expect(email.text).not.toContain('reschedule');
    expect(email.text).not.toContain('  - ');
  });

  test('call-me gives the number the interviewer was meant to dial', () => {
    const email = noShow({ direction: 'interviewer-calls', number: '+13125550199' }, callMe, []);
    expect(email.text).toContain('please call me at +1 312-555-0199');
  });
});

describe('thank-you', () => {
  const reply = { messageId: '<ringback.iv1.confirmation.1@example.org>', subject: 'Confirming our phone interview today' };
  const thank = (replyTo: typeof reply | null, rescheduled: boolean): ComposedEmail =>
    composeThankYou({ ...base({}, START + 90 * MIN), replyTo, rescheduled });

  test('thanks them for the conversation, without a thread when there is none', () => {
    const email = thank(null, false);
    expect(email.text).toContain('Thank you for taking the time to talk with me today');
    expect(email.text).not.toContain('flexibility');
    expect(email.subject).toBe('Thank you for our conversation – Backend Engineer, Acme');
    expect(email.inReplyTo).toBeUndefined();
    expect(email.references).toBeUndefined();
  });

  test('thanks them for their flexibility when the interview was rescheduled', () => {
    expect(thank(null, true).text).toContain('your flexibility in finding a new time');
  });

  test('answers the earlier message with "Re:" and threading headers', () => {
    const email = thank(reply, false);
    expect(email.subject).toBe('Re: Confirming our phone interview today');
    expect(email.inReplyTo).toBe(reply.messageId);
    expect(email.references).toEqual([reply.messageId]);
  });

  test.each([
    ['Re: Confirming', 'Re: Confirming'],
    ['RE: re:Confirming', 'Re: Confirming'],
    ['AW: Re: Confirming', 'Re: Confirming'],
    ['Re: Re: Re: Re: Re: Re: Re: Re: Re: Re: Re: Re: Re: Re: Re: Re: Re: Re: Re: Re: Re: Re: Confirming', 'Re: Confirming'],
    ['', 'Re: our phone interview'],
  ])('subject %j becomes %j, never "Re: Re:"', (subject, expected) => {
    expect(thank({ ...reply, subject }, false).subject).toBe(expected);
  });

  test('a hostile reply subject and Message-ID are cleaned', () => {
    const email = thank({ messageId: '<a@b>\r\nBcc: x@y', subject: `Hi\r\nBcc: x@y ${'x'.repeat(1_000)}` }, false);
    expectSafeHeaders(email);
    expect(email.inReplyTo).toBe('<a@b>Bcc:x@y');
  });
});

describe('apology', () => {
  const apologise = (iv: Partial<Interview>, s: readonly Slot[], now = START + 10 * MIN): ComposedEmail =>
    composeApology({ ...base(iv, now), slots: s, replyTo: null });

  test.each([
    ['interviewer-calls', 'I am sorry I missed your call today at 3:00 PM EDT (12:00 PM PDT for you)'],
    ['candidate-calls', 'I am sorry I did not call you as planned today at 3:00 PM EDT (12:00 PM PDT for you)'],
    ['unknown', 'I am sorry I missed our phone interview'],
  ] as const)('%s: apologises once, in one sentence', (direction, sentence) => {
    const text = apologise({ direction }, slots).text;
    expect(text).toContain(sentence);
    expect(text.match(/sorry|apolog|forgive/gi)).toHaveLength(1);
  });

  test('asks "now, or one of these times later this week?" with the slots in both zones', () => {
    const email = apologise({}, slots);
    expect(email.text).toContain('Is now a good time, or would one of these times later this week suit you?');
    expect(email.text).toContain('  - Wednesday, March 11, 3:00 PM EDT (12:00 PM PDT for you)');
    expect(email.text).toContain('  - Friday, March 13, 3:00 PM EDT (12:00 PM PDT for you)');
    expect(email.subject).toBe('Finding a new time for our phone interview – Backend Engineer, Acme');
  });

  test('does not say "this week" for slots that fall into the next one', () => {
    expect(apologise({}, [{ start: START + 7 * DAY, end: START + 7 * DAY + HOUR }]).text).toContain(
      'would one of these times in the coming days suit you?',
    );
  });

  test('with no slots it says the candidate is flexible and asks for a time', () => {
    const email = apologise({}, []);
    expect(email.text).toContain('flexible');
    expect(email.text).toContain('is now a good time, or could you suggest a time that suits you?');
    expect(email.html).not.toContain('<ul>');
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
