import { describe, expect, it } from 'vitest';
import { DEFAULT_FREE_MAIL_DOMAINS, DEFAULT_INTERVIEW_KEYWORDS } from '../../config/fields.js';
import {
  CANDIDATE_CALLS_PHRASES,
  INTERVIEWER_CALLS_PHRASES,
  NOTES_LIMIT,
  detect,
  revisionKey,
  type DetectSettings,
} from '../../src/domain/detect.js';
import type { Attendee, CalendarEvent, DetectResult, Detection } from '../../src/domain/types.js';
import { withCpuTime } from '../support/cpu-time.js';

const ADA = 'ada@example.org';
const ADA_PHONE = '+14155550100';
const RAVI = { name: 'Ravi Shah', email: 'ravi@acme.com' };

const settings: DetectSettings = {
  candidate: { name: 'Ada Park', email: ADA, phone: ADA_PHONE, timezone: 'America/New_York' },
  detection: {
    keywords: DEFAULT_INTERVIEW_KEYWORDS,
    defaultDirection: 'unknown',
    freeMailDomains: DEFAULT_FREE_MAIL_DOMAINS,
  },
};

const adaAccepted: Attendee = { name: 'Ada Park', email: ADA, status: 'accepted' };
const raviAttending: Attendee = { ...RAVI, status: 'accepted' };

/** A phone interview organised by Ravi at Acme, accepted by Ada, unless `over` says otherwise. */
function event(over: Partial<CalendarEvent> = {}): CalendarEvent {
  return {
    id: 'evt-1',
    title: 'Phone interview with Acme',
    description: '',
    location: '',
    start: Date.UTC(2030, 2, 4, 15, 0),
    end: Date.UTC(2030, 2, 4, 15, 30),
    timeZone: 'America/New_York',
    allDay: false,
    status: 'confirmed',
    organizer: RAVI,
    attendees: [raviAttending, adaAccepted],
    categories: [],
    tags: {},
    conferencePhones: [],
    ...over,
  };
}

function interview(result: DetectResult): Detection {
  if (result.kind !== 'interview') throw new Error(`expected an interview, got ${JSON.stringify(result)}`);
  return result.detection;
}

describe('detect: what qualifies', () => {
  it.each([
    { why: 'keyword "phone interview"', over: { title: 'Phone interview with Acme' } },
    { why: 'keyword in any case', over: { title: 'PHONE SCREEN – Acme' } },
    { why: 'keyword "phone screening"', over: { title: 'Acme phone screening' } },
    { why: 'keyword "screening call"', over: { title: 'Screening call (Acme)' } },
    { why: 'keyword "recruiter call"', over: { title: 'Recruiter call: backend role' } },
    { why: 'keyword "phone call with"', over: { title: 'Phone call with Ravi' } },
    { why: 'keyword "intro call"', over: { title: 'Intro call' } },
    { why: 'keyword across a line break', over: { title: 'Phone\r\ninterview' } },
    { why: 'keyword with a hyphen', over: { title: 'Phone-screen w/ Acme' } },
    { why: 'keyword with typographic apostrophe nearby', over: { title: 'Acme’s phone interview' } },
    { why: '#interview in the description', over: { title: 'Chat with Ravi', description: 'Agenda\n#interview' } },
    { why: '#interview in the title', over: { title: 'Chat with Ravi #Interview' } },
    { why: 'category "Phone interview"', over: { title: 'Chat with Ravi', categories: ['Work', ' phone INTERVIEW '] } },
    { why: 'Google private property', over: { title: 'Chat with Ravi', tags: { ringback: 'interview' } } },
    { why: 'explicit tag beats own-block words', over: { title: 'Prep call', description: '#interview' } },
  ])('$why', ({ over }) => {
    const result = detect(event(over), settings);
    expect(result.kind).toBe('interview');
  });

  it.each([
    { why: 'a lunch', over: { title: 'Lunch with Ravi' }, reason: 'no-match' },
    { why: 'keyword inside a longer word', over: { title: 'Microphone interviewing setup' }, reason: 'no-match' },
    { why: 'keyword split by other words', over: { title: 'Phone the interview panel' }, reason: 'no-match' },
    { why: '#interview inside a word', over: { title: 'Chat', description: 'see foo#interview' }, reason: 'no-match' },
    { why: '#interviewing is not the tag', over: { title: 'Chat', description: '#interviewing' }, reason: 'no-match' },
    { why: 'other category', over: { title: 'Chat', categories: ['Phone interviews'] }, reason: 'no-match' },
    { why: 'other provider tag', over: { title: 'Chat', tags: { ringback: 'no' } }, reason: 'no-match' },
    { why: 'all-day "Phone interview"', over: { allDay: true }, reason: 'all-day' },
    { why: 'cancelled', over: { status: 'cancelled' as const }, reason: 'cancelled' },
    { why: 'Phone interview prep', over: { title: 'Phone interview prep' }, reason: 'own-block' },
    { why: 'Phone screen practice', over: { title: 'Phone screen practice' }, reason: 'own-block' },
    { why: 'mock phone interview', over: { title: 'Mock phone interview' }, reason: 'own-block' },
    { why: 'prepare for phone screen', over: { title: 'Prepare for phone screen' }, reason: 'own-block' },
    { why: '#noringback in the title', over: { title: 'Phone interview #noringback' }, reason: 'excluded' },
    { why: '#NoRingback in the description', over: { description: 'x\n#NoRingback.' }, reason: 'excluded' },
    { why: 'no attendees, no organizer', over: { organizer: null, attendees: [] }, reason: 'no-counterpart' },
    {
      why: 'only the candidate, as organizer and attendee',
      over: { organizer: { name: 'Ada', email: ADA }, attendees: [adaAccepted] },
      reason: 'no-counterpart',
    },
    {
      why: 'the candidate under another address, marked self',
      over: {
        organizer: { name: 'Ada', email: 'ada.park@gmail.com' },
        attendees: [{ name: 'Ada', email: 'ada.park@gmail.com', status: 'accepted' as const, self: true }],
      },
      reason: 'no-counterpart',
    },
    {
      why: 'an address in the description is never the counterpart',
      over: { organizer: null, attendees: [], description: 'Reply to ravi@acme.com <ravi@acme.com>' },
      reason: 'no-counterpart',
    },
    {
      why: 'a Google calendar id is not a person',
      over: { organizer: { name: 'Jobs', email: 'abc123@group.calendar.google.com' }, attendees: [adaAccepted] },
      reason: 'no-counterpart',
    },
  ])('skips $why ($reason)', ({ over, reason }) => {
    const result = detect(event(over), settings);
    expect(result).toMatchObject({ kind: 'skip', reason });
  });

  it('says which own-block word it saw', () => {
    expect(detect(event({ title: 'Phone interview PREP' }), settings)).toEqual({
      kind: 'skip',
      reason: 'own-block',
      detail: 'the title says "prep"',
    });
  });

  it('escapes keywords that contain regex metacharacters', () => {
    const custom: DetectSettings = {
      ...settings,
      detection: { ...settings.detection, keywords: ['C++ call (tech)', 'a.b', '[x', '$1 chat?'] },
    };
    expect(detect(event({ title: 'C++ call (tech) with Acme' }), custom).kind).toBe('interview');
    expect(detect(event({ title: 'Quick $1 chat?' }), custom).kind).toBe('interview');
    expect(detect(event({ title: 'aXb' }), custom)).toMatchObject({ reason: 'no-match' });
    expect(detect(event({ title: 'a.b' }), custom).kind).toBe('interview');
    expect(detect(event({ title: 'C++ call tech' }), custom)).toMatchObject({ reason: 'no-match' });
  });

  it('matches keywords in other scripts on word boundaries', () => {
    const custom: DetectSettings = {
      ...settings,
      detection: { ...settings.detection, keywords: ['Telefoninterview', 'собеседование'] },
    };
    expect(detect(event({ title: 'TELEFONINTERVIEW mit Acme' }), custom).kind).toBe('interview');
    expect(detect(event({ title: 'Собеседование по телефону' }), custom).kind).toBe('interview');
    expect(detect(event({ title: 'Telefoninterviewvorbereitung' }), custom)).toMatchObject({ reason: 'no-match' });
  });
});

describe('detect: counterpart, company and role', () => {
  it.each([
    { why: 'the organizer', over: {}, email: 'ravi@acme.com', company: 'acme.com' },
    {
      why: 'the first other attendee when the candidate organised it',
      over: {
        organizer: { name: 'Ada', email: 'ADA@example.org' },
        attendees: [adaAccepted, { name: 'Kim', email: 'Kim@Talent.Example.COM', status: 'needs-action' as const }],
      },
      email: 'kim@talent.example.com',
      company: 'talent.example.com',
    },
    {
      why: 'a free-mail recruiter (no company)',
      over: { organizer: { name: 'Sam', email: 'sam.recruits@gmail.com' } },
      email: 'sam.recruits@gmail.com',
      company: null,
    },
  ])('counterpart is $why', ({ over, email, company }) => {
    const detection = interview(detect(event(over), settings));
    expect(detection.counterpart.email).toBe(email);
    expect(detection.company).toBe(company);
  });

  it.each([
    { role: 'organizer', over: { organizer: { name: 'Ada', email: ADA }, attendees: [raviAttending, adaAccepted] } },
    { role: 'accepted', over: {} },
    { role: 'tentative', over: { attendees: [raviAttending, { ...adaAccepted, status: 'tentative' as const }] } },
    { role: 'needs-action', over: { attendees: [raviAttending, { ...adaAccepted, status: 'needs-action' as const }] } },
    { role: 'declined', over: { attendees: [raviAttending, { ...adaAccepted, status: 'declined' as const }] } },
    { role: 'unknown', over: { attendees: [raviAttending] } },
    {
      role: 'accepted',
      over: { attendees: [raviAttending, { name: '', email: 'ada@work.example', status: 'accepted' as const, self: true }] },
    },
  ])('candidate role $role', ({ over, role }) => {
    expect(interview(detect(event(over), settings)).role).toBe(role);
  });

  it.each([
    { theirs: 'organizer', over: {} },
    {
      theirs: 'needs-action',
      over: { organizer: { name: 'Ada', email: ADA }, attendees: [{ ...raviAttending, status: 'needs-action' as const }, adaAccepted] },
    },
    { theirs: 'accepted', over: { organizer: { name: 'Ada', email: ADA }, attendees: [raviAttending, adaAccepted] } },
    { theirs: 'unknown', over: { organizer: null, attendees: [{ name: 'Ravi', email: 'ravi@acme.com', status: 'unknown' as const }, adaAccepted] } },
  ])('counterpart role $theirs', ({ over, theirs }) => {
    expect(interview(detect(event(over), settings)).counterpartRole).toBe(theirs);
  });

  it('keeps CR/LF and bidi overrides out of the title and counterpart name', () => {
    const detection = interview(
      detect(
        event({
          title: 'Phone interview\r\nBcc: victim@example.com\u202Egpj.exe',
          organizer: { name: 'Ravi\r\nX-Evil: 1', email: 'ravi@acme.com' },
        }),
        settings,
      ),
    );
    expect(detection.title).toBe('Phone interview Bcc: victim@example.comgpj.exe');
    expect(detection.counterpart.name).toBe('Ravi X-Evil: 1');
  });
});

describe('detect: an invitation from a no-reply address', () => {
  const fabrikam = { name: 'Fabrikam Recruiting', email: 'no-reply@fabrikam.example' };
  /** The Greenhouse-style invitation of the held-out set: a no-reply organizer, only Ada invited. */
  function noReply(over: Partial<CalendarEvent> = {}): CalendarEvent {
    return event({
      title: 'Interview with Fabrikam',
      organizer: fabrikam,
      attendees: [{ ...adaAccepted, status: 'needs-action' }],
      description:
        'Hi Ada,\n\nHere are the details of your upcoming interview for Senior Analyst.\n\nInterview: Recruiter Phone Screen\n' +
        'Interviewer: Sam Lee, Talent Partner\nDuration: 30 minutes\n\nSam will call you at (415) 555-0100 at the time above.\n\nBest,\nThe Fabrikam Recruiting Team',
      ...over,
    });
  }

  it('is an interview with no address, the named interviewer, the company of the sender, and the number as usual', () => {
    const d = interview(detect(noReply(), settings));
    expect(d.counterpart).toEqual({ name: 'Sam Lee', email: null });
    expect(d.company).toBe('fabrikam.example');
    expect(d.direction).toBe('interviewer-calls');
    expect(d.number).toBe(ADA_PHONE);
    expect(d.counterpartRole).toBe('organizer');
    expect(d.role).toBe('needs-action');
  });

  it.each([
    { why: 'a reminder naming the interviewer in the location', location: 'Phone - Dana will call you', description: 'Company: Contoso\nCandidate: Ada Park\nInterview: Hiring Manager Interview', name: 'Dana' },
    { why: 'a labelled interviewer beats a caller named later', location: '', description: 'Interviewer: Dana Whitfield\nSam will call you.', name: 'Dana Whitfield' },
    { why: 'several interviewers: the first', location: '', description: 'Interviewers: Chris Ng and Pat Doe\nWe will call you.', name: 'Chris Ng' },
    { why: 'only the caller', location: '', description: 'Our recruiter Sam Lee will call you at the time above.', name: 'Sam Lee' },
    { why: 'nobody named ("The Recruiter")', location: '', description: 'The Recruiter will call you at the time above.', name: '' },
    { why: 'nobody named ("we")', location: '', description: "We'll call you at the time above.", name: '' },
    { why: 'a department, not a person', location: '', description: 'Our VP of Engineering will call you.', name: '' },
    { why: 'the end of a sentence before the name', location: '', description: 'An opening at Umbrella Finance. Leo will call you.', name: 'Leo' },
    { why: 'the candidate herself is never the interviewer', location: '', description: 'Interviewer: Ada Park\nWe will call you.', name: '' },
    { why: 'no name and no caller', location: 'Phone', description: 'Your phone screen with Fabrikam.', name: '' },
  ])('names $why', ({ location, description, name }) => {
    const d = interview(detect(noReply({ location, description }), settings));
    expect(d.counterpart).toEqual({ name, email: null });
  });

  it('never takes the sender’s display name ("Fabrikam Recruiting") for a person', () => {
    const d = interview(detect(noReply({ description: 'Your phone screen. We will call you.' }), settings));
    expect(d.counterpart.name).toBe('');
  });

  it('a real interviewer among the attendees is still the counterpart, with their address', () => {
    const sam = { name: 'Sam Lee', email: 'sam.lee@fabrikam.example', status: 'accepted' as const };
    const d = interview(detect(noReply({ attendees: [{ ...adaAccepted, status: 'needs-action' }, sam] }), settings));
    expect(d.counterpart).toEqual({ name: 'Sam Lee', email: 'sam.lee@fabrikam.example' });
    expect(d.counterpartRole).toBe('accepted');
  });

  it('the recruiting tool’s own domain names no company', () => {
    const d = interview(detect(noReply({ organizer: { name: 'Greenhouse', email: 'no-reply@greenhouse.io' } }), settings));
    expect(d.counterpart.email).toBeNull();
    expect(d.company).toBeNull();
  });
});

describe('detect: number and direction', () => {
  it.each([
    { text: 'We will call you at the time above.', direction: 'interviewer-calls' },
    { text: 'We’ll call you, be ready.', direction: 'interviewer-calls' },
    { text: 'The recruiter will call.', direction: 'interviewer-calls' },
    { text: 'Expect a call from +1 212 555 0199.', direction: 'interviewer-calls' },
    { text: 'We will ring you.', direction: 'interviewer-calls' },
    { text: 'Please call +1 212 555 0199.', direction: 'candidate-calls' },
    { text: 'Call us at (212) 555-0199', direction: 'candidate-calls' },
    { text: 'Dial 212-555-0199 and ask for Ravi', direction: 'candidate-calls' },
    { text: 'Dial-in: +1 212 555 0199', direction: 'candidate-calls' },
    { text: 'Dial-in: please call Ruth at 312-555-0122.', direction: 'candidate-calls' },
    { text: 'Call the number below\n212 555 0199', direction: 'candidate-calls' },
    { text: 'Call me at 212 555 0199', direction: 'candidate-calls' },
    { text: 'Please call 212 555 0199; if you cannot, we will call you.', direction: 'candidate-calls' },
    { text: 'We will call you. Questions? Call us at 212 555 0199.', direction: 'interviewer-calls' },
    { text: 'A dialogue about the role. Numbers: 212 555 0199', direction: 'unknown' },
    { text: 'Talk soon.', direction: 'interviewer-calls' },
    { text: 'Vou ligar para o seu celular.\nPara participar por telefone, disque +55 11 5555-0198 e digite este PIN: 482 913 557#', direction: 'interviewer-calls' },
    { text: "Merci de m'appeler au +33 1 99 00 31 42.", direction: 'candidate-calls' },
    { text: 'Wil je zelf bellen naar +31 20 555 0158?', direction: 'candidate-calls' },
    { text: 'Proszę zadzwonić pod numer +48 22 555 01 47.', direction: 'candidate-calls' },
    { text: '当日は下記の番号までお電話ください。+81 3 5555 0162', direction: 'candidate-calls' },
    { text: 'Please call Ravi.\nTo join by phone, dial +1 408 555 0163 and enter this PIN: 512 884#', direction: 'candidate-calls' },
    { text: 'We will call you.\nTo join by phone, dial +1 408 555 0163 and enter this PIN: 512 884#', direction: 'interviewer-calls' },
  ])('"$text" → $direction', ({ text, direction }) => {
    expect(interview(detect(event({ description: text }), settings)).direction).toBe(direction);
  });

  it.each([
    { why: 'interviewer calls: the candidate phone', description: 'We will call you.', number: ADA_PHONE },
    { why: 'candidate calls: the number given', description: 'Please call 212-555-0199 ext. 4', number: '+12125550199' },
    { why: 'unknown: first other number', description: 'Numbers: 212 555 0199, 646 555 0123', number: '+12125550199' },
    { why: 'no number written: they call the candidate', description: 'Talk soon.', number: ADA_PHONE },
    { why: 'only a bridge written: they call the candidate', description: 'Join by phone\n+1 646 555 0134 PIN: 4432#', number: ADA_PHONE },
    { why: 'a "Dial-in" label alone: the number to call', description: 'Dial-in: please call Ruth at 312-555-0122.', number: '+13125550122' },
    { why: 'a "Dial-in" label with an access code below: a bridge', description: 'Dial-in: +1 312 555 0122\nAccess code: 884 213 377', number: ADA_PHONE },
    { why: 'a list of dial-in numbers, the meeting ID further down: bridges', description: 'Dial-in numbers:\n+1 312 555 0122\n+1 646 555 0133\n+1 206 555 0114\nConference ID: 4432 8812', number: ADA_PHONE },
    { why: 'candidate calls, no number', description: 'Please call Ravi.', number: null },
    { why: 'tel: URI', description: '<a href="tel:+44-20-7946-0958">call us</a> please call', number: '+442079460958' },
  ])('$why', ({ description, number }) => {
    expect(interview(detect(event({ description }), settings)).number).toBe(number);
  });

  it('reads the candidate number alone as "the interviewer calls", whatever the phrase', () => {
    const detection = interview(detect(event({ description: 'Please call Ada on (415) 555-0100.' }), settings));
    expect(detection).toMatchObject({ direction: 'interviewer-calls', number: ADA_PHONE });
  });

  it('takes numbers from the location first, then the description, never from conference dial-ins', () => {
    const fromLocation = event({ location: '+1 646 555 0123', description: 'Please call 212 555 0199' });
    expect(interview(detect(fromLocation, settings)).number).toBe('+16465550123');
    // A conference dial-in is a bridge (it needs a PIN): never the number to dial for the interview.
    const fromConference = event({ description: 'Please dial in.', conferencePhones: ['tel:+1-212-555-0199,,123#'] });
    expect(interview(detect(fromConference, settings)).number).toBeNull();
  });

  it('reads national numbers in the region of the candidate phone', () => {
    const london: DetectSettings = { ...settings, candidate: { ...settings.candidate, phone: '+447911123456' } };
    const detection = interview(detect(event({ description: 'Please call 020 7946 0958' }), london));
    expect(detection.number).toBe('+442079460958');
  });

  it('lets the description speak before the title', () => {
    const titled = event({ title: 'Screening call in English', description: 'We will call you.' });
    expect(interview(detect(titled, settings)).direction).toBe('interviewer-calls');
    const titleOnly = event({ title: 'Phone screen: we will call you' });
    expect(interview(detect(titleOnly, settings)).direction).toBe('interviewer-calls');
  });

  it.each([
    { why: 'a location of "Phone" and nothing else', over: { location: 'Phone' }, direction: 'interviewer-calls', number: ADA_PHONE },
    { why: 'a "Telephone interview" title and nothing else', over: { title: 'Telephone interview - Acme' }, direction: 'interviewer-calls', number: ADA_PHONE },
    { why: 'the candidate’s own number in the title', over: { title: 'Phone screen - Ada Park - 415-555-0100' }, direction: 'interviewer-calls', number: ADA_PHONE },
    { why: 'another number in the title, whose unsaid', over: { title: 'Phone screen - Acme - 212-555-0199' }, direction: 'unknown', number: '+12125550199' },
    { why: '"please call" with no number', over: { description: 'Please call Ravi.' }, direction: 'candidate-calls', number: null },
    { why: 'an ISO date and hour in the title', over: { title: 'Phone screen 2026-12-15 10:00' }, direction: 'interviewer-calls', number: ADA_PHONE },
    { why: 'an ISO date and hour in the description', over: { description: 'Scheduled for 2026-12-15 10:00 (New York).' }, direction: 'interviewer-calls', number: ADA_PHONE },
    { why: 'a European date and hour', over: { description: 'Am 15.12.2026 10:00 Uhr.' }, direction: 'interviewer-calls', number: ADA_PHONE },
    { why: 'a US date and hour', over: { description: 'On 12/15/2026 10:00 AM.' }, direction: 'interviewer-calls', number: ADA_PHONE },
    { why: 'a number beside a date is still read', over: { description: 'Call me at 202-612-1510 on 2026-12-15.' }, direction: 'candidate-calls', number: '+12026121510' },
  ])('with no number said to be theirs: $why → $direction', ({ over, direction, number }) => {
    expect(interview(detect(event(over), settings))).toMatchObject({ direction, number });
  });

  it('without the candidate’s own number, an invitation with none takes the configured default', () => {
    const noPhone: DetectSettings = { ...settings, candidate: { ...settings.candidate, phone: '' } };
    expect(interview(detect(event({ location: 'Phone' }), noPhone))).toMatchObject({ direction: 'unknown', number: null });
  });

  it('falls back to the configured default direction', () => {
    const candidateDials: DetectSettings = {
      ...settings,
      detection: { ...settings.detection, defaultDirection: 'candidate-calls' },
    };
    const detection = interview(detect(event({ location: '212 555 0199' }), candidateDials));
    expect(detection).toMatchObject({ direction: 'candidate-calls', number: '+12125550199' });
  });

  it('exports phrase lists that all steer detection', () => {
    for (const phrase of INTERVIEWER_CALLS_PHRASES) {
      expect(interview(detect(event({ description: `${phrase}.` }), settings)).direction, phrase).toBe(
        'interviewer-calls',
      );
    }
    for (const phrase of CANDIDATE_CALLS_PHRASES) {
      expect(interview(detect(event({ description: `${phrase}.` }), settings)).direction, phrase).toBe(
        'candidate-calls',
      );
    }
  });
});

describe('detect: tags and notes', () => {
  it.each([
    { text: 'went well #held', outcome: 'held' },
    { text: '#NOSHOW nobody called', outcome: 'interviewer-no-show' },
    { text: '#no-show', outcome: 'interviewer-no-show' },
    { text: 'overslept #missed', outcome: 'candidate-missed' },
    { text: '#heldover is not a tag', outcome: null },
    { text: 'a#held is not a tag', outcome: null },
    { text: 'nothing written', outcome: null },
  ])('description "$text" → $outcome', ({ text, outcome }) => {
    expect(interview(detect(event({ description: text }), settings)).taggedOutcome).toBe(outcome);
  });

  it('reads outcome tags in the title too', () => {
    expect(interview(detect(event({ title: 'Phone screen #missed' }), settings)).taggedOutcome).toBe('candidate-missed');
  });

  it('keeps the description trimmed and bounded as notes', () => {
    const detection = interview(detect(event({ description: '  \r\nBring your CV.\u0000\u202E\r\n ' }), settings));
    expect(detection.notes).toBe('Bring your CV.');
    const long = interview(detect(event({ description: 'é'.repeat(10_000) }), settings));
    expect(long.notes).toHaveLength(NOTES_LIMIT);
  });
});

describe('detect: hostile input', () => {
  it('answers a 5 MB description quickly, still seeing a tag at its end', () => {
    const junk = '+1 (212) 555-01 ((( \u202E we will call you ' + '1-2 34 ('.repeat(650_000);
    const { value: [plain, excluded], cpuMs } = withCpuTime(() => [
      detect(event({ description: junk }), settings),
      detect(event({ description: `${junk}\n#noringback` }), settings),
    ]);
    expect(interview(plain).notes.length).toBeLessThanOrEqual(NOTES_LIMIT);
    expect(interview(plain).direction).toBe('interviewer-calls');
    expect(excluded).toMatchObject({ kind: 'skip', reason: 'excluded' });
    expect(cpuMs).toBeLessThan(2_000);
  });

  it('survives a 5 MB title of regex metacharacters and controls', () => {
    const title = 'Phone interview ' + '(.*+?[\\^$|{}\u0000\r\n'.repeat(250_000);
    const { value: detection, cpuMs } = withCpuTime(() => interview(detect(event({ title }), settings)));
    expect(cpuMs).toBeLessThan(2_000);
    expect(detection.title.length).toBeLessThanOrEqual(500);
    expect(detection.title).not.toMatch(/\p{Cc}/u);
  });

  it('reads a long unbroken run (an inline image, a long link) next to an email address in linear time', () => {
    const run = `data:image/png;base64,${'QUJD'.repeat(8_000)}`;
    const { value: detection, cpuMs } = withCpuTime(() =>
      interview(detect(event({ title: `Phone interview ${run} jobs@acme.example`, location: `${run} a@b.example`, description: `We will call you. ${run} hr@acme.example` }), settings)),
    );
    expect(cpuMs).toBeLessThan(1_000);
    expect(detection.direction).toBe('interviewer-calls');
  });

  it('does not backtrack on long runs of near-keywords', () => {
    const title = 'phone '.repeat(20_000) + 'phone-'.repeat(20_000) + 'interviewx';
    const { value, cpuMs } = withCpuTime(() => detect(event({ title }), settings));
    expect(value).toMatchObject({ reason: 'no-match' });
    expect(cpuMs).toBeLessThan(1_000);
  });
});

describe('revisionKey', () => {
  const base = event({ description: 'We will call you.' });
  const keyOf = (e: CalendarEvent): string => revisionKey(e, interview(detect(e, settings)));

  it('ignores attendee order, status and the title', () => {
    const reordered = event({
      description: 'We will call you.',
      title: 'Phone interview (moved room)',
      attendees: [{ ...adaAccepted, status: 'tentative' }, raviAttending],
    });
    expect(keyOf(reordered)).toBe(keyOf(base));
  });

  it.each([
    { what: 'start', over: { start: base.start + 60_000 } },
    { what: 'end', over: { end: base.end + 60_000 } },
    { what: 'number and direction', over: { description: 'Please call 212 555 0199' } },
    { what: 'organizer', over: { organizer: { name: 'Kim', email: 'kim@acme.com' } } },
    { what: 'attendees', over: { attendees: [...base.attendees, { name: 'Kim', email: 'kim@acme.com', status: 'accepted' as const }] } },
  ])('changes with $what', ({ over }) => {
    expect(keyOf({ ...base, ...over })).not.toBe(keyOf(base));
  });
});
