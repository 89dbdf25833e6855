/**
 * Hostile input for the property tests: text anyone can put in a calendar invitation (control
 * characters, CR/LF, bidi overrides, lone surrogates, HTML, header-injection attempts, very long
 * runs), addresses that are not one address, numbers that are not numbers, and times that are not
 * times.
 */
import fc from 'fast-check';
import type { Attendee, CalendarEvent, Candidate, Interview, ParticipationStatus, Person } from '../../src/domain/types.js';

export const RUNS = 10_000;

export const CANDIDATE: Candidate = { name: 'Ada Park', email: 'ada@example.org', phone: '+14155550100', timezone: 'America/New_York' };

const nasty = fc.constantFrom(
  '\r\n',
  '\n',
  '\r',
  '\u0000',
  '\u2028',
  '\u202e',
  '\ud800',
  '\udfff',
  '<script>alert(1)</script>',
  '"><img src=x onerror=alert(1)>',
  '&amp;&lt;',
  '\r\nBcc: victim@evil.example',
  '\nTo: all@evil.example',
  'Subject: spoofed',
  ', other@evil.example',
  ' <x@evil.example>',
  '=?utf-8?b?PHNjcmlwdD4=?=',
  '#noringback',
  '#held',
  '+1 (415) 555-0199',
  'call me at +44 20 7946 0958',
  'mailto:recruiter@evil.example',
  'phone screen',
  '😀',
  '\t',
);

/** Any text, with hostile pieces mixed in. */
export const hostileText: fc.Arbitrary<string> = fc
  .array(fc.oneof({ weight: 3, arbitrary: fc.string({ unit: 'binary', maxLength: 40 }) }, { weight: 2, arbitrary: nasty }), { maxLength: 12 })
  .map((parts) => parts.join(''));

/** Sometimes very long. */
export const longText: fc.Arbitrary<string> = fc.oneof(
  { weight: 9, arbitrary: hostileText },
  { weight: 1, arbitrary: fc.tuple(hostileText, fc.integer({ min: 1, max: 20_000 })).map(([t, n]) => (t || 'x').repeat(Math.ceil(n / Math.max(1, t.length)))) },
);

/** Addresses: plausible ones, and strings that try to be several or none. */
export const address: fc.Arbitrary<string> = fc.oneof(
  fc.emailAddress(),
  fc.constantFrom('dana@acme.example', 'DANA@ACME.EXAMPLE ', 'ada@example.org', '', 'no-at-sign', 'a@b@c', 'x@evil.example, y@evil.example'),
  // Senders nobody reads: an invitation from one alone gives a counterpart without an address.
  fc.constantFrom('no-reply@fabrikam.example', 'NoReply@greenhouse.io', 'do-not-reply@acme.example', 'noreply+x@evil.example, y@evil.example'),
  fc.tuple(fc.emailAddress(), nasty).map(([a, n]) => `${a}${n}`),
  hostileText,
);

export const status: fc.Arbitrary<ParticipationStatus> = fc.constantFrom('accepted', 'declined', 'tentative', 'needs-action', 'delegated', 'unknown');

export const person: fc.Arbitrary<Person> = fc.record({ name: hostileText, email: address });

export const attendee: fc.Arbitrary<Attendee> = fc.record({
  name: hostileText,
  email: address,
  status,
  self: fc.option(fc.boolean(), { nil: undefined }),
}).map((a) => (a.self === undefined ? { name: a.name, email: a.email, status: a.status } : a));

/** Instants, including ones that are not: NaN, ±Infinity, beyond the Date range. */
export const instant: fc.Arbitrary<number> = fc.oneof(
  { weight: 8, arbitrary: fc.integer({ min: Date.UTC(1990, 0, 1), max: Date.UTC(2090, 0, 1) }) },
  { weight: 1, arbitrary: fc.constantFrom(Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY, 8.64e15 + 1, -8.64e15 - 1, 0) },
  { weight: 1, arbitrary: fc.double() },
);

export const zone: fc.Arbitrary<string | null> = fc.constantFrom(null, 'America/New_York', 'Europe/Paris', 'Asia/Kolkata', 'UTC', 'Not/AZone', '', 'Australia/Lord_Howe');

/** A calendar event as any source might report it, from a hostile sender. */
export const calendarEvent: fc.Arbitrary<CalendarEvent> = fc.record({
  id: fc.string({ maxLength: 60 }),
  title: fc.oneof(hostileText, hostileText.map((t) => `Phone screen ${t}`), longText),
  description: longText,
  location: hostileText,
  start: instant,
  end: instant,
  timeZone: zone,
  allDay: fc.boolean(),
  status: fc.constantFrom('confirmed', 'tentative', 'cancelled'),
  organizer: fc.option(person, { nil: null }),
  attendees: fc.array(attendee, { maxLength: 6 }),
  categories: fc.array(fc.oneof(hostileText, fc.constant('Phone interview')), { maxLength: 3 }),
  tags: fc.dictionary(fc.string({ maxLength: 10 }), fc.string({ maxLength: 20 }), { maxKeys: 3 }),
  conferencePhones: fc.array(hostileText, { maxLength: 3 }),
});

/** A recorded interview with hostile facts (as if detect had let them through). */
export const interview: fc.Arbitrary<Interview> = fc.record({
  id: fc.stringMatching(/^iv[0-9a-f]{10}$/),
  sourceId: fc.constant('cal'),
  eventId: fc.string({ maxLength: 30 }),
  revision: fc.integer({ min: 1, max: 50 }),
  revisionKey: fc.string({ maxLength: 16 }),
  status: fc.constantFrom('scheduled', 'cancelled', 'declined', 'done'),
  rescheduled: fc.nat(5),
  outcome: fc.constantFrom(null, 'held', 'interviewer-no-show', 'candidate-missed'),
  outcomeSource: fc.constantFrom(null, 'cli', 'tag', 'mailbox', 'assumed', 'dashboard'),
  firstSeen: instant,
  title: longText,
  start: instant,
  end: instant,
  timeZone: zone,
  // Sometimes without an address: an invitation from a no-reply sender.
  counterpart: fc.oneof({ weight: 4, arbitrary: person }, { weight: 1, arbitrary: fc.record({ name: hostileText, email: fc.constant(null) }) }),
  company: fc.option(hostileText, { nil: null }),
  number: fc.option(fc.oneof(fc.constantFrom('+14155550199', '+442079460958', '+33142685300'), hostileText), { nil: null }),
  direction: fc.constantFrom('candidate-calls', 'interviewer-calls', 'unknown'),
  role: fc.constantFrom('organizer', 'accepted', 'tentative', 'declined', 'needs-action', 'unknown'),
  notes: longText,
  taggedOutcome: fc.constantFrom(null, 'held', 'interviewer-no-show', 'candidate-missed'),
});

/** Header values must never hold a line break or another control character. */
// eslint-disable-next-line no-control-regex
export const CONTROL = /[\u0000-\u001f\u007f\u2028\u2029]/;
