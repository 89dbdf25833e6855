/**
 * What the eighth held-out round taught: English as written outside North America. A number written
 * the local way ("020 7946 0321", "0917 555 0123") in an English invitation is read in the country of
 * the event's own time zone; "kindly call", "please ring", "ring his mobile" say the candidate dials;
 * "give me a shout on" gives the sender's number; "your phone interview" says nothing of whose number
 * follows; a fallback's sentence leaves the sentences before it on the same line readable; a
 * "Cancelled:" notice, a scholarship finalist's call, a juror's phone screening and a volunteer's
 * screening call are no phone interview. Each phrase has a sentence where it could mean the opposite.
 */
import { describe, expect, it } from 'vitest';
import { analyse, type DetectSettings } from '../../src/domain/detect.js';
import type { CalendarEvent, Person } from '../../src/domain/types.js';
import { detectSettings as settings, OWN, readEvent, SELF } from '../support/detection.js';

const RECRUITER: Person = { name: 'Oliver Hughes', email: 'oliver.hughes@thamesgate.example' };

/** An invitation the recruiter sent from a calendar set in `timeZone`. */
function sent(title: string, description: string, timeZone = 'America/Los_Angeles'): CalendarEvent {
  return {
    id: 'e1',
    title,
    description,
    location: '',
    start: Date.UTC(2031, 2, 4, 10),
    end: Date.UTC(2031, 2, 4, 10, 30),
    timeZone,
    allDay: false,
    status: 'confirmed',
    organizer: RECRUITER,
    attendees: [
      { ...RECRUITER, status: 'accepted' },
      { ...SELF, status: 'accepted' },
    ],
    categories: [],
    tags: {},
    conferencePhones: [],
  };
}

const read = (event: CalendarEvent) => readEvent(event, settings);

describe("a local number read in the country of the event's time zone", () => {
  it.each([
    ['Europe/London', 'Please call me on 020 7946 0321 for your telephone interview.', '+442079460321'],
    ['Asia/Manila', 'Please call our recruitment hotline 0917 555 0123 at your scheduled time.', '+639175550123'],
    ['Africa/Johannesburg', 'Please phone Mrs Fourie on (021) 555 0123 at the time of this invite.', '+27215550123'],
    ['Asia/Kolkata', 'Kindly call the HR desk on 080 4555 0123 at the scheduled time.', '+918045550123'],
  ])('in %s: %s', (zone, description, number) => {
    expect(read(sent('Telephone interview - Analyst', description, zone))).toEqual({ kind: 'phone', direction: 'candidate-calls', number });
  });

  it('is left unread when the zone is the candidate\'s own: an English invitation names no country', () => {
    expect(read(sent('Telephone interview - Analyst', 'Please call me on 020 7946 0321 for your telephone interview.')).number).toBeNull();
  });

  it("never replaces a number of the candidate's own country: a US number in a London event stays American", () => {
    expect(read(sent('Telephone interview', 'Please call the hiring manager in San Francisco on (415) 555-0142.', 'Europe/London')).number).toBe('+14155550142');
  });

  it("is left unread when the event's zone is the candidate's own, though it names another country than their phone's", () => {
    // A candidate with a US number living in London: their calendar stamps London on what they type; it says nothing of the interviewer.
    const inLondon: DetectSettings = { ...settings, candidate: { ...settings.candidate, timezone: 'Europe/London' } };
    const analysis = analyse(sent('Telephone interview - Analyst', 'Please call me on 020 7946 0321.', 'Europe/London'), inLondon);
    expect(analysis.result.kind === 'interview' ? analysis.result.detection.number : 'not an interview').toBeNull();
  });

  it('a zone of no country (UTC) reads nothing', () => {
    expect(read(sent('Telephone interview - Analyst', 'Please call me on 020 7946 0321.', 'UTC')).number).toBeNull();
  });
});

describe('who dials, as written in Ireland, India and Kenya', () => {
  it.each([
    ['please ring Ciarán on 087 555 0123 at the time in the invite', 'Europe/Dublin', '+353875550123'],
    ['Kindly call the panel on 0712 555 123 at 9.00 a.m.', 'Africa/Nairobi', '+254712555123'],
    ['Tom is on site, so ring his mobile, 07946 055456, at the time in the invite.', 'Europe/London', '+447946055456'],
  ])('"%s": the candidate dials', (description, zone, number) => {
    expect(read(sent('Phone interview', description, zone))).toEqual({ kind: 'phone', direction: 'candidate-calls', number });
  });

  it('"kindly call us if" you cannot make it still lets an earlier sentence say who calls', () => {
    const event = sent('Telephonic interview', 'The panel will call you on your mobile.\nKindly call us on 0803 555 0123 if you cannot make it.', 'Africa/Lagos');
    expect(read(event)).toEqual({ kind: 'phone', direction: 'interviewer-calls', number: OWN });
  });

  it('"give me a shout on" is the sender\'s number, not the one they will call', () => {
    const event = sent('Phone interview', "Niamh will ring you on your mobile. Any bother, give me a shout on 021 455 5012.", 'Europe/Dublin');
    expect(read(event)).toEqual({ kind: 'phone', direction: 'interviewer-calls', number: OWN });
  });

  it('"give me a shout on" a number for the interview itself: the candidate dials it', () => {
    const event = sent('Phone interview', 'For the interview, give me a shout on 021 455 5012 at 10am.', 'Europe/Dublin');
    expect(read(event)).toEqual({ kind: 'phone', direction: 'candidate-calls', number: '+353214555012' });
  });
});

describe('"your phone interview" says nothing of whose number follows', () => {
  it('"call me on … for your phone interview": the number is theirs', () => {
    expect(read(sent('Phone interview', 'Kindly call me on 0803 555 0123 at 10am prompt for your phone interview.', 'Africa/Lagos'))).toEqual({
      kind: 'phone',
      direction: 'candidate-calls',
      number: '+2348035550123',
    });
  });

  it('"your phone" alone still names the candidate\'s number', () => {
    expect(read(sent('Phone interview', 'Jamie will call your phone, +1 415 555 0199.'))).toEqual({ kind: 'phone', direction: 'interviewer-calls', number: '+14155550199' });
  });
});

describe('a fallback on the same line as who calls', () => {
  it('the sentence before "in case of any issue" says who calls', () => {
    const event = sent('Telephonic Interview', 'Your telephonic interview is scheduled. Mr. Anand will call you. In case of any issue reach me on +91 98450 55099.', 'Asia/Kolkata');
    expect(read(event)).toEqual({ kind: 'phone', direction: 'interviewer-calls', number: OWN });
  });

  it('a fallback sentence alone still says nothing about the interview', () => {
    const event = sent('Phone interview', 'In case the line drops, we will call you back. Please dial +1 312 555 0188.');
    expect(read(event)).toEqual({ kind: 'phone', direction: 'candidate-calls', number: '+13125550188' });
  });
});

describe('look-alikes', () => {
  it.each([
    ['Cancelled: Phone screen - Northwind', 'This phone screen has been cancelled. We will be in touch about next steps.'],
    ['Canceled: Telephone Interview - Contoso Support Lead', 'I have to cancel our telephone interview; the role is on hold.'],
    ['Scholarship finalist phone interview', 'A member of the selection committee will call you.'],
    ['Juror phone screening - Superior Court', 'A clerk will call you about your availability.'],
    ['Volunteer screening call - Harbour Food Bank', 'Our coordinator will call you.'],
  ])('"%s" is no phone interview', (title, description) => {
    expect(read(sent(title, description)).kind).toBe('not-interview');
  });

  it.each([
    // Opposite sentences: the same words in an invitation that is one.
    ['Phone interview - Volunteer Coordinator (paid role)', 'Thanks for applying to our Volunteer Coordinator job. We will call you.'],
    ['Phone interview - Jury Administrator', 'You would phone each prospective juror in this role. We will call you on your mobile.'],
    ['Rescheduled: Phone interview (the earlier slot was cancelled)', 'Jamie will call you at +1 415 555 0100.'],
  ])('"%s" still is', (title, description) => {
    expect(read(sent(title, description)).kind).toBe('phone');
  });
});
