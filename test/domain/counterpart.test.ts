/**
 * Who the emails are for when a recruiting coordinator's or recruiter's calendar sends the
 * invitation and the text names the interviewer, who is among the attendees.
 *
 * How real invitations are made (the events below are written after them; people, companies and
 * numbers are invented, .example domains, 555-01xx numbers):
 * - Greenhouse: the scheduler creates the event on their own calendar and adds the interviewers as
 *   guests (https://support.greenhouse.io/hc/en-us/articles/201913110-Scheduling-overview); the
 *   candidate's event can be sent through the scheduler's connected calendar
 *   (https://support.greenhouse.io/hc/en-us/articles/28907201832731-Candidate-calendar-events).
 * - GoodTime: interviewers are listed in the candidate-facing event description
 *   (https://support.goodtime.io/hc/en-us/articles/1500008655762-Optional-interviewers) and candidate
 *   reminders come from the coordinator or the recruiter
 *   (https://support.goodtime.io/hc/en-us/articles/4511429261591-Interview-Settings-Interview-Reminders).
 * - Ashby: the "meeting organizer" is the main point of contact chosen for the interview, not the
 *   interviewer (https://docs.ashbyhq.com/what-is-a-meeting-organizer).
 * - Lever: interviewers and rooms are guests of the scheduled event whose answers Lever tracks
 *   (https://help.lever.co/hc/en-us/articles/20087331039773-Viewing-responses-to-scheduled-interview-invitations).
 * - Guide (Greenhouse add-on): the confirmation embeds the schedule with interviewer names and bios
 *   (https://support.guide.co/en/articles/6971624-send-an-interview-confirmation).
 * - ATS templates have "Interviewer Names" and "Lead Coordinator Name" as separate tokens
 *   (https://documentation.infinite.com/docs/suggested-interview-templates).
 * - Wording of the text: bench/detection/holdout.yaml ho3-lever-confirm-where ("Who: Priya
 *   Natarajan, Engineering Manager"), ho3-workday-candidate-mobile ("Interviewers: Owen Price
 *   (Hiring Manager)"), ho-greenhouse-generic-title ("Interviewer: Sam Lee, Talent Partner").
 */
import { describe, expect, it } from 'vitest';
import { DEFAULT_FREE_MAIL_DOMAINS, DEFAULT_INTERVIEW_KEYWORDS } from '../../config/fields.js';
import { composeConfirmation, composeNoShow, composeThankYou, type ComposeBase } from '../../src/domain/compose.js';
import { detect, type DetectSettings } from '../../src/domain/detect.js';
import { recipientBlocker } from '../../src/domain/plan.js';
import { interviewRecipientZone } from '../../src/domain/zones.js';
import { storedInterview } from '../support/interview-record.js';
import type { Attendee, CalendarEvent, Counterpart, CounterpartRole, Detection, Interview, Person } from '../../src/domain/types.js';

const ADA = 'ada.park@example.org';
const settings: DetectSettings = {
  candidate: { name: 'Ada Park', email: ADA, phone: '+14155550100', timezone: 'America/Los_Angeles' },
  detection: { keywords: DEFAULT_INTERVIEW_KEYWORDS, defaultDirection: 'unknown', freeMailDomains: DEFAULT_FREE_MAIL_DOMAINS },
};

const JAMIE: Person = { name: 'Jamie Rivera', email: 'jamie.rivera@northwind.example' };
const MORGAN: Person = { name: 'Morgan Lee', email: 'morgan.lee@northwind.example' };
const ada: Attendee = { name: 'Ada Park', email: ADA, status: 'accepted' };

function attending(person: Person, status: Attendee['status'] = 'accepted'): Attendee {
  return { ...person, status };
}

/** A phone interview on Jamie the coordinator's calendar, Morgan the interviewer invited, unless `over` says otherwise. */
function event(over: Partial<CalendarEvent>): CalendarEvent {
  return {
    id: 'evt-1',
    title: 'Phone Interview - Backend Engineer - Northwind',
    description: '',
    location: '',
    start: Date.UTC(2031, 2, 4, 17, 0),
    end: Date.UTC(2031, 2, 4, 17, 30),
    timeZone: 'America/Los_Angeles',
    allDay: false,
    status: 'confirmed',
    organizer: JAMIE,
    attendees: [attending(JAMIE), attending(MORGAN, 'needs-action'), ada],
    categories: [],
    tags: {},
    conferencePhones: [],
    ...over,
  };
}

function detected(e: CalendarEvent): Detection {
  const result = detect(e, settings);
  if (result.kind !== 'interview') throw new Error(`expected an interview, got ${JSON.stringify(result)}`);
  return result.detection;
}

/** The interview a detection gives, as the store keeps it. */
function interviewOf(d: Detection, role: Interview['role'] = d.role): Interview {
  const { title, start, end, timeZone, counterpart, company, number, direction, counterpartRole, notes, statedZone } = d;
  return storedInterview('iv1', { title, start, end, timeZone, counterpart, company, number, direction, role, counterpartRole, notes, ...(statedZone === undefined ? {} : { statedZone }) });
}

interface Case {
  readonly why: string;
  readonly over: Partial<CalendarEvent>;
  readonly counterpart: Counterpart;
  readonly role: CounterpartRole;
}

const pickedInterviewer: Case[] = [
  {
    why: '"You\'ll be speaking with" and a title after the name (GoodTime, Guide)',
    over: { description: "Hi Ada,\n\nYour phone interview is confirmed. You'll be speaking with Morgan Lee, Engineering Manager.\nMorgan will call you at (415) 555-0100." },
    counterpart: { name: 'Morgan Lee', email: 'morgan.lee@northwind.example' },
    role: 'named-by-organizer',
  },
  {
    why: '"Interviewer(s):" (Greenhouse schedule)',
    over: { description: 'Interview: Hiring Manager Screen\nInterviewer(s): Morgan Lee\nFormat: Phone, we will call you on the number you gave us.' },
    counterpart: { name: 'Morgan Lee', email: 'morgan.lee@northwind.example' },
    role: 'named-by-organizer',
  },
  {
    why: '"Who:" with a title (Lever confirmation, holdout ho3-lever-confirm-where)',
    over: { description: 'Who: Morgan Lee, Senior Engineer\nWhere: Morgan will call you on +1 (415) 555-0100' },
    counterpart: { name: 'Morgan Lee', email: 'morgan.lee@northwind.example' },
    role: 'named-by-organizer',
  },
  {
    why: '"Your interviewer is", the interviewer accepted',
    over: {
      description: 'Your interviewer is Morgan Lee. Please keep your phone nearby; Morgan will call you.',
      attendees: [attending(JAMIE), attending(MORGAN), ada],
    },
    counterpart: { name: 'Morgan Lee', email: 'morgan.lee@northwind.example' },
    role: 'accepted',
  },
  {
    why: 'the first name alone, before "will call you", when one attendee has it',
    over: { description: 'Morgan will call you at 415-555-0100 at the time above.' },
    counterpart: { name: 'Morgan Lee', email: 'morgan.lee@northwind.example' },
    role: 'named-by-organizer',
  },
  {
    why: 'a middle initial in the text: first and last name match',
    over: { description: 'Interviewer: Morgan J. Lee\nMorgan will call you.' },
    counterpart: { name: 'Morgan Lee', email: 'morgan.lee@northwind.example' },
    role: 'named-by-organizer',
  },
  {
    why: "Outlook's directory order in the display name (Ashby from Microsoft 365)",
    over: {
      description: 'Recruiter Call\nInterviewer: Omar Haddad\nLocation: Phone Call - Omar will call you at +1 415-555-0100',
      attendees: [attending(JAMIE), attending({ name: 'Haddad, Omar', email: 'ohaddad@northwind.example' }), ada],
    },
    counterpart: { name: 'Haddad, Omar', email: 'ohaddad@northwind.example' },
    role: 'accepted',
  },
  {
    why: 'an attendee listed by address alone, matched by its local part, named as the text names them',
    over: {
      description: "You'll be speaking with Morgan Lee. Morgan will call you at (415) 555-0100.",
      attendees: [attending(JAMIE), attending({ name: '', email: 'morgan.lee@northwind.example' }), ada],
    },
    counterpart: { name: 'Morgan Lee', email: 'morgan.lee@northwind.example' },
    role: 'accepted',
  },
  {
    why: 'a first-name address (morgan@) and the first name in the text',
    over: {
      description: 'Interviewer: Morgan\nMorgan will call you.',
      attendees: [attending(JAMIE), attending({ name: 'morgan@northwind.example', email: 'morgan@northwind.example' }), ada],
    },
    counterpart: { name: 'Morgan', email: 'morgan@northwind.example' },
    role: 'accepted',
  },
  {
    why: 'a no-reply organizer with the coordinator listed before the interviewer',
    over: {
      organizer: { name: 'Northwind Recruiting', email: 'no-reply@northwind.example' },
      description: 'Interviewers: Morgan Lee (Hiring Manager)\nInterview Location: Candidate\'s mobile phone',
      attendees: [attending(JAMIE), attending(MORGAN), ada],
    },
    counterpart: { name: 'Morgan Lee', email: 'morgan.lee@northwind.example' },
    role: 'accepted',
  },
  {
    why: 'German: "Ihr Gesprächspartner ist"',
    over: {
      title: 'Telefoninterview - Northwind',
      description: 'Guten Tag Frau Park,\n\nIhr Gesprächspartner ist Jonas Weber (Teamleiter). Er ruft Sie unter 415-555-0100 an.',
      attendees: [attending(JAMIE), attending({ name: 'Jonas Weber', email: 'jonas.weber@northwind.example' }), ada],
    },
    counterpart: { name: 'Jonas Weber', email: 'jonas.weber@northwind.example' },
    role: 'accepted',
  },
  {
    why: 'French: "Votre interlocutrice sera"',
    over: {
      title: 'Entretien téléphonique - Northwind',
      description: 'Bonjour Ada,\n\nVotre interlocutrice sera Claire Martin, responsable technique. Elle vous appellera au 415-555-0100.',
      attendees: [attending(JAMIE), attending({ name: 'Claire Martin', email: 'claire.martin@northwind.example' }), ada],
    },
    counterpart: { name: 'Claire Martin', email: 'claire.martin@northwind.example' },
    role: 'accepted',
  },
  {
    why: 'Spanish: "Tu entrevistador será"',
    over: {
      title: 'Entrevista telefónica - Northwind',
      description: 'Hola Ada,\n\nTu entrevistador será Diego Ruiz. Te llamará al 415-555-0100.',
      attendees: [attending(JAMIE), attending({ name: 'Diego Ruiz', email: 'diego.ruiz@northwind.example' }), ada],
    },
    counterpart: { name: 'Diego Ruiz', email: 'diego.ruiz@northwind.example' },
    role: 'accepted',
  },
  {
    why: 'Dutch: "Je spreekt met", a name with "de" matched by its first name',
    over: {
      description: 'Hoi Ada,\n\nJe spreekt met Sanne de Vries (teamlead). Zij belt je op 415-555-0100.',
      attendees: [attending(JAMIE), attending({ name: 'Sanne de Vries', email: 'sanne.devries@northwind.example' }), ada],
    },
    counterpart: { name: 'Sanne de Vries', email: 'sanne.devries@northwind.example' },
    role: 'accepted',
  },
  {
    why: 'Polish: "Rozmowę przeprowadzi"',
    over: {
      description: 'Dzień dobry,\n\nRozmowę przeprowadzi Anna Nowak, kierownik zespołu. Zadzwoni pod numer 415-555-0100.',
      attendees: [attending(JAMIE), attending({ name: 'Anna Nowak', email: 'anna.nowak@northwind.example' }), ada],
    },
    counterpart: { name: 'Anna Nowak', email: 'anna.nowak@northwind.example' },
    role: 'accepted',
  },
  {
    why: 'the candidate organised it: the named attendee, not the first one',
    over: {
      organizer: { name: 'Ada Park', email: ADA },
      description: 'Interviewer: Morgan Lee\nPlease call Morgan at +1 (206) 555-0139.',
      attendees: [ada, attending(JAMIE), attending(MORGAN)],
    },
    counterpart: { name: 'Morgan Lee', email: 'morgan.lee@northwind.example' },
    role: 'accepted',
  },
];

const keptTodaysRule: Case[] = [
  {
    why: 'the text names nobody',
    over: { description: 'Your phone interview is confirmed. We will call you at (415) 555-0100.' },
    counterpart: { name: 'Jamie Rivera', email: 'jamie.rivera@northwind.example' },
    role: 'organizer',
  },
  {
    why: 'the person named is not on the event',
    over: { description: "You'll be speaking with Priya Natarajan. Priya will call you." },
    counterpart: { name: 'Jamie Rivera', email: 'jamie.rivera@northwind.example' },
    role: 'organizer',
  },
  {
    why: 'two attendees have the first name the text gives',
    over: {
      description: 'Morgan will call you at 415-555-0100.',
      attendees: [attending(JAMIE), attending(MORGAN), attending({ name: 'Morgan Diaz', email: 'morgan.diaz@northwind.example' }), ada],
    },
    counterpart: { name: 'Jamie Rivera', email: 'jamie.rivera@northwind.example' },
    role: 'organizer',
  },
  {
    why: 'two named interviewers are both on the event',
    over: {
      description: 'Interviewer(s): Morgan Lee, Sam Ortiz\nWe will call you at 415-555-0100.',
      attendees: [attending(JAMIE), attending(MORGAN), attending({ name: 'Sam Ortiz', email: 'sam.ortiz@northwind.example' }), ada],
    },
    counterpart: { name: 'Jamie Rivera', email: 'jamie.rivera@northwind.example' },
    role: 'organizer',
  },
  {
    why: 'the name is a room on the event',
    over: {
      description: 'Interviewer: Morgan\nMorgan will call you.',
      attendees: [attending(JAMIE), attending({ name: 'Morgan Conference Room', email: 'morgan-4f@northwind.example' }), ada],
    },
    counterpart: { name: 'Jamie Rivera', email: 'jamie.rivera@northwind.example' },
    role: 'organizer',
  },
  {
    why: "the name is a shared mailbox's",
    over: {
      description: 'Interviewer: Morgan\nMorgan will call you.',
      attendees: [attending(JAMIE), attending({ name: "Morgan's Team", email: 'morgan-team@northwind.example' }), ada],
    },
    counterpart: { name: 'Jamie Rivera', email: 'jamie.rivera@northwind.example' },
    role: 'organizer',
  },
  {
    why: 'the named person can only be reached through a no-reply address',
    over: {
      description: 'Interviewer: Morgan Lee\nMorgan will call you.',
      attendees: [attending(JAMIE), attending({ name: 'Morgan Lee', email: 'no-reply@northwind.example' }), ada],
    },
    counterpart: { name: 'Jamie Rivera', email: 'jamie.rivera@northwind.example' },
    role: 'organizer',
  },
  {
    why: 'the name given is the candidate\'s own',
    over: {
      description: "You'll be speaking with Ada about the role. We will call you.",
      attendees: [attending(JAMIE), attending({ name: 'Ada Parker', email: 'ada.parker@northwind.example' }), ada],
    },
    counterpart: { name: 'Jamie Rivera', email: 'jamie.rivera@northwind.example' },
    role: 'organizer',
  },
  {
    why: 'the label names a role, not a person',
    over: { description: 'Interviewer: Hiring Manager\nThe hiring manager will call you at 415-555-0100.' },
    counterpart: { name: 'Jamie Rivera', email: 'jamie.rivera@northwind.example' },
    role: 'organizer',
  },
  {
    why: 'the interviewer is the organizer: nothing changes',
    over: {
      organizer: MORGAN,
      description: 'Interviewer: Morgan Lee\nMorgan will call you.',
      attendees: [attending(MORGAN), attending(JAMIE), ada],
    },
    counterpart: { name: 'Morgan Lee', email: 'morgan.lee@northwind.example' },
    role: 'organizer',
  },
];

describe('counterpart: the interviewer the text names, among the attendees', () => {
  it.each(pickedInterviewer)('$why', ({ over, counterpart, role }) => {
    const d = detected(event(over));
    expect(d.counterpart).toEqual(counterpart);
    expect(d.counterpartRole).toBe(role);
    expect(d.company).toBe('northwind.example');
  });
});

describe('counterpart: an interviewer named but not on the call', () => {
  it('keeps the organizer when the named interviewer declined', () => {
    const d = detected(
      event({
        description: 'Interviewer: Morgan Lee\nMorgan will call you.',
        attendees: [attending(JAMIE), attending(MORGAN, 'declined'), ada],
      }),
    );
    expect(d.counterpart).toEqual(JAMIE);
    expect(d.counterpartRole).toBe('organizer');
  });
});

describe('counterpart: the named interviewer and the send', () => {
  const named = event({ description: 'Interviewer: Morgan Lee\nMorgan will call you.' });
  it('sends to an interviewer who has not answered the coordinator\'s invitation, once the user accepted it', () => {
    const d = detected(named);
    expect(d.counterpartRole).toBe('named-by-organizer');
    expect(recipientBlocker(interviewOf(d, 'accepted'))).toBeNull();
  });
  it('holds it while the user has not accepted the invitation', () => {
    expect(recipientBlocker(interviewOf(detected(named), 'needs-action'))).toMatch(/not accepted/);
  });
  it('holds it for an interviewer who answered tentative', () => {
    const d = detected({ ...named, attendees: [attending(JAMIE), attending(MORGAN, 'tentative'), ada] });
    expect(d.counterpartRole).toBe('tentative');
    expect(recipientBlocker(interviewOf(d, 'accepted'))).toMatch(/morgan\.lee@northwind\.example has not accepted/);
  });
});

describe("counterpart: today's rule when the text does not single out one attendee", () => {
  it.each(keptTodaysRule)('$why', ({ over, counterpart, role }) => {
    const d = detected(event(over));
    expect(d.counterpart).toEqual(counterpart);
    expect(d.counterpartRole).toBe(role);
  });
});

describe('counterpart: a no-reply sender and nobody else', () => {
  it.each([
    { why: 'a lead-in names the interviewer', description: "You'll be speaking with Morgan Lee, Engineering Manager. Morgan will call you.", name: 'Morgan Lee' },
    { why: 'the first of two named interviewers, as before', description: 'Interviewers: Morgan Lee, Sam Ortiz\nWe will call you.', name: 'Morgan Lee' },
    { why: 'a title after the comma is no name', description: 'Interviewer: Senior Engineer\nWe will call you.', name: '' },
  ])('$why', ({ description, name }) => {
    const sender: Person = { name: 'Northwind Recruiting', email: 'no-reply@northwind.example' };
    const d = detected(event({ organizer: sender, attendees: [attending(sender), ada], description }));
    expect(d.counterpart).toEqual({ name, email: null });
  });
});

describe('the emails to the interviewer read right', () => {
  function base(d: Detection, now: number): ComposeBase {
    return { interview: interviewOf(d), candidate: settings.candidate, messageId: '<ringback.iv1.x.1@example.org>', now };
  }

  it.each([
    { why: 'by display name', attendee: MORGAN },
    { why: 'listed by address alone', attendee: { name: '', email: 'morgan.lee@northwind.example' } },
    { why: 'in directory order', attendee: { name: 'Lee, Morgan', email: 'morgan.lee@northwind.example' } },
  ])('the thank-you and the no-show note greet Morgan ($why)', ({ attendee }) => {
    const d = detected(
      event({
        description: "You'll be speaking with Morgan Lee, Engineering Manager.\nMorgan will call you at (415) 555-0100.",
        attendees: [attending(JAMIE), attending(attendee), ada],
      }),
    );
    const thanks = composeThankYou({ ...base(d, d.end + 3_600_000), rescheduled: false });
    const noShow = composeNoShow({ ...base(d, d.start + 900_000), escalation: { noShows: 1, ask: 'reschedule', pattern: false }, availableUntil: d.start + 1_800_000, slots: [] });
    for (const email of [thanks, noShow]) {
      expect(email.to.map((p) => p.email)).toEqual(['morgan.lee@northwind.example']);
      expect(email.text).toMatch(/^Hi Morgan,$/m);
      expect(email.text).not.toContain('Jamie');
    }
  });
});

describe('counterpart: whose clock "for you" names', () => {
  // Jamie, the coordinator, books the call on their calendar in New York: the event's zone is
  // theirs (Greenhouse's scheduler creates the event on their own calendar; Ashby's organizer is the
  // point of contact, not the interviewer: see the top of this file). Morgan may sit in London.
  const START = Date.UTC(2026, 2, 10, 17, 0); // 10:00 AM Pacific, 1:00 PM Eastern, 17:00 in London
  const inNewYork = (description: string) => event({ description, timeZone: 'America/New_York', start: START, end: START + 1_800_000 });
  const confirmation = (d: Detection, zoneSet: string | null = null): string =>
    composeConfirmation({ interview: interviewOf(d, 'accepted'), candidate: settings.candidate, messageId: '<m@example.org>', now: START - 3_600_000, shortNotice: false, zoneSet }).text;
  const named = detected(inNewYork('Interviewer: Morgan Lee\nMorgan will call you.'));

  it('does not take the coordinator\'s zone for the named interviewer\'s', () => {
    expect(named.counterpart).toEqual(MORGAN);
    expect(interviewRecipientZone(named, null, settings.candidate.timezone)).toBeNull();
    expect(confirmation(named)).toContain('today at 10:00 AM Pacific. ');
    expect(confirmation(named)).not.toContain('Eastern');
  });
  it('reads the interviewer\'s own clock once the user sets their zone', () => {
    expect(confirmation(named, 'Europe/London')).toContain('today at 10:00 AM Pacific (17:00 GMT for you).');
  });
  it('keeps the event\'s zone for the organizer written to', () => {
    const organizer = detected(inNewYork('Your phone interview with Northwind.'));
    expect(organizer.counterpart).toEqual(JAMIE);
    expect(confirmation(organizer)).toContain('today at 10:00 AM Pacific (1:00 PM Eastern for you).');
  });
  // The text's times are the scheduling tool's: Ashby writes an invitation's panel times in the
  // interview's primary zone, by default that of the user who created the interview, "who may not be
  // the same person or in the same time zone as the one who ultimately ... attends the interview"
  // (https://docs.ashbyhq.com/how-are-interview-time-zones-determined-and-how-do-i-change-them).
  it('does not take a stated time on the coordinator\'s own zone for the named interviewer\'s', () => {
    const stated = detected(inNewYork('Interviewer: Morgan Lee\nMorgan will call you on Tuesday at 1:00 PM ET.'));
    expect(stated.counterpart).toEqual(MORGAN);
    expect(stated.statedZone).toBe('America/New_York');
    expect(interviewRecipientZone(stated, null, settings.candidate.timezone)).toBeNull();
    expect(confirmation(stated)).toContain('today at 10:00 AM Pacific. ');
  });
  it('takes a stated zone that is not the coordinator\'s: one set for the interviewer', () => {
    // Ashby's primary zone changed "to ensure that timezones show correctly for interviewers" (same page).
    const stated = detected(inNewYork('Interviewer: Morgan Lee\nMorgan will call you on Tuesday at 17:00 UK time.'));
    expect(confirmation(stated)).toContain('today at 10:00 AM Pacific (17:00 GMT for you).');
  });
  it('keeps a stated time on the organizer\'s own zone for the organizer written to', () => {
    const organizer = detected(inNewYork('Your phone interview with Northwind, Tuesday at 1:00 PM ET.'));
    expect(organizer.counterpart).toEqual(JAMIE);
    expect(confirmation(organizer)).toContain('today at 10:00 AM Pacific (1:00 PM Eastern for you).');
  });
});
