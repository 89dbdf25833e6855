/**
 * What the seventh held-out round taught: English-speaking users' own calendars. The abbreviations
 * users type ("HM screen", "Ph scrn", "TPS w/"), Indian, British and agency phrasing, who dials in a
 * note the user wrote ("they call my cell", "I call them"), a number the recruiter gives only for
 * rescheduling, and look-alikes a user types (an informational interview, an offer call, a call to set
 * up an interview time, the recruiter's own phone screen, a Talview video interview).
 */
import { describe, expect, it } from 'vitest';
import { analyse } from '../../src/domain/detect.js';
import { REVIEW_BELOW } from '../../src/domain/detection/classify.js';
import type { CalendarEvent, Person } from '../../src/domain/types.js';
import { detectSettings as settings, OWN, readEvent, SELF } from '../support/detection.js';

const RECRUITER: Person = { name: 'Priya Shah', email: 'priya.shah@northwind.example' };

/** An event the user typed into their own calendar, with the recruiter added as a guest. */
function typed(title: string, description = '', location = '', guest: Person = RECRUITER): CalendarEvent {
  return {
    id: 'e1',
    title,
    description,
    location,
    start: Date.UTC(2031, 2, 4, 17),
    end: Date.UTC(2031, 2, 4, 17, 30),
    timeZone: 'America/Los_Angeles',
    allDay: false,
    status: 'confirmed',
    organizer: SELF,
    attendees: [
      { ...SELF, status: 'accepted' },
      { ...guest, status: 'accepted' },
    ],
    categories: [],
    tags: {},
    conferencePhones: [],
  };
}

/** An invitation the recruiter sent. */
function sent(title: string, description: string): CalendarEvent {
  return { ...typed(title, description), organizer: RECRUITER, attendees: [{ ...RECRUITER, status: 'accepted' }, { ...SELF, status: 'accepted' }] };
}

const read = (event: CalendarEvent) => readEvent(event, settings);

describe('what users type', () => {
  it.each(['HM screen – Northwind', 'TPS w/ Meta', 'Phone int. Deloitte', 'Ph scrn Wayne Ent 10:30', '1st round – phone'])('"%s" is a phone interview in which they call the user', (title) => {
    expect(read(typed(title))).toEqual({ kind: 'phone', direction: 'interviewer-calls', number: OWN });
  });

  it('"they call my cell" says they dial, "I call them" that the user dials', () => {
    expect(read(typed('Initial screen Umbrella – they call my cell'))).toEqual({ kind: 'phone', direction: 'interviewer-calls', number: OWN });
    expect(read(typed('Phone interview Massive Dynamic', 'I call them — (646) 555-0171 ext 4, ask for Nina'))).toEqual({
      kind: 'phone',
      direction: 'candidate-calls',
      number: '+16465550171',
    });
    expect(read(typed('Call Jordan (Initech recruiter)', 'call him at 312-555-0187 re PM role'))).toEqual({ kind: 'phone', direction: 'candidate-calls', number: '+13125550187' });
  });
});

describe('what recruiters write in five countries', () => {
  it('an Indian "telephonic round" after a shortlist is an interview; "please call on the below number" is theirs', () => {
    const text = 'Your profile is shortlisted. Please call on the below number at the scheduled time to attend the telephonic technical round.\nPh: +1 732-555-0164';
    expect(read(sent('Technical round – Java Developer (C2H)', text))).toEqual({ kind: 'phone', direction: 'candidate-calls', number: '+17325550164' });
  });

  it('a staffing specialist\'s "I\'ll call you" about a contract role is an interview', () => {
    const text = "Hi Ada, I'll call you at 2pm to go over your experience and a contract role with our client.";
    expect(read(sent('Call with Samantha – Compugain (Staffing Specialist)', text)).kind).toBe('phone');
  });

  it('a Handshake "Quick Screen" by phone is an interview', () => {
    expect(read(sent('Quick Screen with Northwind', 'Medium: Phone\nNorthwind will call the phone number on your Handshake profile.')).kind).toBe('phone');
  });

  it('"please phone Rachel on …" is a number the user dials', () => {
    const text = 'Hi Ada, please phone Rachel on +44 (0)20 7946 0322 at 3pm UK time for your telephone interview.';
    expect(read(sent('Telephone interview – 2nd stage', text))).toEqual({ kind: 'phone', direction: 'candidate-calls', number: '+442079460322' });
  });

  it('a British number written without +44 in an English email is not read as a German one', () => {
    // "telephone interview" is German too, but English names no country: the number is left unread
    // rather than dialled in the wrong country.
    const text = 'At the time above please phone Sarah Ellis on 020 7946 0321; the interview will last around 30 minutes.';
    const read7 = read(sent('Telephone interview – Ashdown Housing Trust', text));
    expect(read7.direction).toBe('candidate-calls');
    expect(read7.number).toBeNull();
  });

  it('a number to "contact me at" for rescheduling is the recruiter\'s: they still call the user\'s', () => {
    const text = 'Marie-Claude will call you at the number you provided, Monday at 1:30 p.m. If you need to reschedule, contact me at 647-555-0188.';
    expect(read(sent('Phone interview – Maple Credit Union', text))).toEqual({ kind: 'phone', direction: 'interviewer-calls', number: OWN });
  });
});

describe('look-alikes users type', () => {
  it.each([
    ['Informational interview – Priya (UX at Northwind)', '20 min call to learn how she moved into UX research. I call her cell 650-555-0118.'],
    ['Offer call w/ Northwind recruiter', 'Jamie calls me to go over the offer, start date and benefits.'],
    ['Call DHS HR to set up interview time', 'Selected to interview for the analyst job; call 202-555-0147 to pick a time.'],
  ])('"%s" is no phone interview', (title, description) => {
    expect(read(typed(title, description)).kind).toBe('not-interview');
  });

  it('the user\'s own phone screen of a candidate, run from a script, is the hiring side', () => {
    const text = 'Candidate phone: 312-555-0193\nPosition: Program Coordinator\nUse the phone screen script; 30 minutes.';
    expect(read(typed('Phone screen: candidate Jane Doe', text, '', { name: 'Jane Doe', email: 'jane.doe@gmail.com' })).kind).toBe('not-interview');
  });

  it('a Talview interview in which the interviewer may call only to help the user join is a video interview', () => {
    const text = 'Join your live interview: https://app.talview.example/live/8XQ2\nIf you have not joined on time, the interviewer may call your registered phone number to help you join.';
    expect(read(sent('Interview – Northwind (Talview)', text)).kind).toBe('video');
  });
});

describe('phrases that could read the other way', () => {
  // "calls me" written by the recruiter about the hiring manager still means the user is called.
  it('"the hiring manager calls me" in a recruiter\'s note is read as they call the user only through the config', () => {
    expect(read(sent('Phone screen – Northwind', 'The hiring manager will call you; if she cannot reach you she calls me.')).direction).toBe('interviewer-calls');
  });
  // "TPS w/ Meta" is a technical phone screen; a TPS report with a colleague is not, nor is a screen share.
  it.each(['TPS report review w/ Bill', 'Quick screen share – design review'])('"%s" is no interview', (title) => {
    expect(read(typed(title)).kind).toBe('not-interview');
  });
  // "informational" in a real interview's sentence about the call's tone would wrongly exclude it:
  // only the title's weight decides against a phone interview whose title says "phone interview".
  it('a phone interview whose description says the first part is informational stays a phone interview', () => {
    expect(read(sent('Phone interview – Northwind', 'We will call you at 415-555-0100. The first ten minutes are informational, then questions.')).kind).toBe('phone');
  });
  it('"to schedule an interview" in a real phone interview\'s rescheduling line does not undo it', () => {
    expect(read(sent('Phone interview – Northwind', 'Priya will call you at the time above. If it no longer suits, reply to schedule an interview at another time.')).kind).toBe('phone');
  });
});

describe('a number whose country could be either', () => {
  function spanish(description: string): CalendarEvent {
    return { ...sent('Entrevista telefónica', description), organizer: { name: 'Lucía Gómez', email: 'lucia@contoso.example' }, timeZone: 'America/Mexico_City' };
  }

  it('a local number in a Spanish sentence that is also a US number needs review, and says why', () => {
    const analysis = analyse(spanish('Por favor llámame al 646 555 0172 a la hora indicada.'), settings);
    const detection = analysis.result.kind === 'interview' ? analysis.result.detection : null;
    expect(detection?.number).toBe('+526465550172');
    expect(analysis.review).toBe(true);
    expect(detection?.review).toBe(true);
    // Below the line under which an interview needs review, as every list that shows it says.
    expect(analysis.confidence).toBeLessThan(REVIEW_BELOW);
    // The evidence kept with the interview (what `explain` shows) names both readings.
    expect((detection?.evidence ?? []).some((e) => e.text.includes('+526465550172') && e.text.includes('+16465550172'))).toBe(true);
  });

  it('written with its country code, or the North American way, it is no question', () => {
    for (const text of ['Por favor llámame al +52 646 555 0172 a la hora indicada.', 'Por favor llámame al (646) 555-0172 a la hora indicada.']) {
      expect(analyse(spanish(text), settings).review).toBe(false);
    }
  });

  it('the user\'s answer settles it', () => {
    const analysis = analyse(spanish('Por favor llámame al 646 555 0172 a la hora indicada.'), settings, { kind: 'phone', direction: 'candidate-calls', number: '+16465550172', at: 0 });
    const detection = analysis.result.kind === 'interview' ? analysis.result.detection : null;
    expect(detection).toMatchObject({ review: false, number: '+16465550172' });
  });
});
