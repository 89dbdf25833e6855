/**
 * detect on anything a calendar can hold: it never throws, the counterpart (the only possible
 * recipient) is always the organizer or an attendee and never an address written in the title,
 * location or description, what it keeps for display is one clean line, and a number is E.164.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DEFAULT_FREE_MAIL_DOMAINS, DEFAULT_INTERVIEW_KEYWORDS } from '../../config/fields.js';
import { detect, revisionKey, type DetectSettings } from '../../src/domain/detect.js';
import type { CalendarEvent } from '../../src/domain/types.js';
import { CANDIDATE, CONTROL, RUNS, calendarEvent, hostileText } from './arbitraries.js';

const settings: DetectSettings = {
  candidate: CANDIDATE,
  detection: { keywords: DEFAULT_INTERVIEW_KEYWORDS, defaultDirection: 'unknown', freeMailDomains: DEFAULT_FREE_MAIL_DOMAINS },
};

const norm = (email: string) => email.trim().toLowerCase();

describe('detect on hostile events', () => {
  it(`never throws; the counterpart is the organizer or an attendee; display text is one clean line (${RUNS} events)`, () => {
    fc.assert(
      fc.property(calendarEvent, (event) => {
        const result = detect(event, settings);
        if (result.kind === 'skip') return;
        const d = result.detection;
        const invited = [event.organizer, ...event.attendees].filter((p) => p !== null).map((p) => norm(p.email));
        expect(d.title).not.toMatch(CONTROL);
        expect(d.counterpart.name).not.toMatch(CONTROL);
        if (d.counterpart.email === null) {
          // No address: only when a no-reply sender is on the event, and never a name that is an address.
          expect(invited.some((e) => /^(?:no-?reply|do-?not-?reply|donotreply|mailer-daemon)[+.@]/.test(e))).toBe(true);
          expect(d.counterpart.name).not.toContain('@');
          return;
        }
        expect(invited).toContain(d.counterpart.email);
        expect(d.counterpart.email).not.toBe(norm(CANDIDATE.email));
        expect(d.counterpart.email).toMatch(/^[^\s@<>,;:"()[\]\\]+@[^\s@<>,;:"()[\]\\]+$/);
        expect(d.title).not.toMatch(CONTROL);
        expect(d.counterpart.name).not.toMatch(CONTROL);
        if (d.number !== null) expect(d.number).toMatch(/^\+[1-9]\d{5,14}$/);
        expect(() => revisionKey(event, d)).not.toThrow();
      }),
      { numRuns: RUNS },
    );
  });

  it(`never takes a recipient from the text: addresses written in the description, title or location stay out (${RUNS} events)`, () => {
    const planted = fc.emailAddress().filter((e) => !['dana@acme.example', CANDIDATE.email].includes(norm(e)));
    fc.assert(
      fc.property(planted, hostileText, fc.constantFrom('description', 'title', 'location') as fc.Arbitrary<'description' | 'title' | 'location'>, (extra, text, field) => {
        fc.pre(!/#noringback/i.test(text)); // the user's own opt-out, not a recipient question
        const event: CalendarEvent = {
          id: 'e1',
          title: 'Phone screen with Dana',
          description: 'Dana will call you.',
          location: '',
          start: Date.UTC(2031, 0, 6, 15),
          end: Date.UTC(2031, 0, 6, 15, 30),
          timeZone: 'America/New_York',
          allDay: false,
          status: 'confirmed',
          organizer: { name: 'Dana', email: 'dana@acme.example' },
          attendees: [{ name: 'Ada Park', email: CANDIDATE.email, status: 'accepted' }],
          categories: [],
          tags: {},
          conferencePhones: [],
        };
        const hostile = { ...event, [field]: `${event[field]} ${text} please write to ${extra} or mailto:${extra}` };
        const result = detect(hostile, settings);
        expect(result.kind).toBe('interview');
        if (result.kind === 'interview') expect(result.detection.counterpart.email).toBe('dana@acme.example');
      }),
      { numRuns: RUNS },
    );
  });

  it(`an invitation the candidate has not accepted is never given an accepting role (${RUNS} events)`, () => {
    fc.assert(
      fc.property(calendarEvent, (event) => {
        const result = detect(event, settings);
        if (result.kind === 'skip') return;
        const role = result.detection.role;
        // The candidate's addresses: the configured one, and any the source marks as the owner's.
        const self = new Set([CANDIDATE.email, ...event.attendees.filter((a) => a.self === true).map((a) => norm(a.email))].filter((e) => e !== ''));
        const mine = event.attendees.find((a) => a.self === true || self.has(norm(a.email)));
        if (role === 'organizer') expect(self.has(norm(event.organizer?.email ?? ''))).toBe(true);
        if (role === 'accepted') expect(mine?.status).toBe('accepted');
        if (mine === undefined && !self.has(norm(event.organizer?.email ?? ''))) expect(role).toBe('unknown');
      }),
      { numRuns: RUNS },
    );
  });
});
