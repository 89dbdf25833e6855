/**
 * What the eighteenth held-out round taught: phone interviews written in Mongolian, Nepali and
 * Kannada, with who dials and numbers written the local way; a sentence before a fallback's on the
 * same line still says how the interview is held ("… on Microsoft Teams. Have your phone nearby in
 * case of technical issues"); "will call the number on your application" is them calling you; an
 * automated phone screen and a podcast's guest interview are no phone interviews; a recruiter's event
 * made from the user's own reply ("Hi John, … I will plan on calling you … on 617-…") has the user
 * dialling that number; several private-matter words in a description ("move-in date", "rental
 * history", "apartment") outweigh a "phone screen" title; a reporter's "(story on …)" and a radio
 * call-in's "studio line" are no phone interviews of the user's.
 */
import { describe, expect, it } from 'vitest';
import { analyse } from '../../src/domain/detect.js';
import type { CalendarEvent, Person } from '../../src/domain/types.js';
import { OWN, SELF, detectSettings, invitation, readEvent, sender } from '../support/detection.js';

const RECRUITER: Person = { name: 'Noor Haddad', email: 'noor.haddad@cedarworks.example' };
const sent = sender(RECRUITER);

/** Invitations in a language, from the recruiter, in the event's own zone: what detection reads. */
const LANGUAGE_CASES = [
  // https://news.zangia.mn/content/38431 (ho18-mn-utsaar-yariltslaga)
  { name: 'Mongolian "Утсаар ярилцлага … утсаар холбогдоно"', title: 'Утсаар ярилцлага – хуульч', text: 'Таныг ажлын ярилцлагад урьж байна. Товлосон цагт менежер тань руу утсаар холбогдоно.', zone: 'Asia/Ulaanbaatar', direction: 'interviewer-calls', number: OWN },
  // https://mhri.mn/news/2320/… (ho18-mn-zalgana-uu)
  { name: 'Mongolian "7012 5550 дугаар руу залгана уу": an Ulaanbaatar number', title: 'Ажлын ярилцлага (утсаар) – нярав', text: 'Товлосон цагт 7012 5550 дугаар руу залгана уу.', zone: 'Asia/Ulaanbaatar', direction: 'candidate-calls', number: '+97670125550' },
  // https://notes.gyanpark.com.np/2022/07/blog-post_39.html (ho18-ne-phone-antarvarta)
  { name: 'Nepali "फोन अन्तर्वार्ता … तपाईंलाई फोन गर्नेछौं"', title: 'फोन अन्तर्वार्ता – कार्यालय सहायक', text: 'आवेदनका लागि धन्यवाद। तोकिएको समयमा हामी तपाईंलाई फोन गर्नेछौं।', zone: 'Asia/Kathmandu', direction: 'interviewer-calls', number: OWN },
  { name: 'Nepali "01-5550124 मा फोन गर्नुहोस्": a Kathmandu number', title: 'अन्तर्वार्ता (फोनमार्फत) – लेखा अधिकृत', text: 'तोकिएको समयमा कृपया 01-5550124 मा फोन गर्नुहोस्।', zone: 'Asia/Kathmandu', direction: 'candidate-calls', number: '+97715550124' },
  // https://kn.chalized.com/… (ho18-kn-doorvani-sandarshana)
  { name: 'Kannada "ದೂರವಾಣಿ ಸಂದರ್ಶನ … ನಿಮಗೆ ಕರೆ ಮಾಡುತ್ತೇವೆ"', title: 'ದೂರವಾಣಿ ಸಂದರ್ಶನ – ಮಾರಾಟ ಪ್ರತಿನಿಧಿ', text: 'ಅರ್ಜಿ ಸಲ್ಲಿಸಿದ್ದಕ್ಕೆ ಧನ್ಯವಾದಗಳು. ನಿಗದಿತ ಸಮಯಕ್ಕೆ ನಾವು ನಿಮಗೆ ಕರೆ ಮಾಡುತ್ತೇವೆ.', zone: 'Asia/Kolkata', direction: 'interviewer-calls', number: OWN },
  // https://www.prajavani.net/columns/… (ho18-kn-kare-maadi)
  { name: 'Kannada "080 5550 1235 ಗೆ ಕರೆ ಮಾಡಿ": a Bengaluru number', title: 'ನೌಕರಿ ಸಂದರ್ಶನ (ದೂರವಾಣಿ) – ಲೆಕ್ಕಿಗ', text: 'ನಿಗದಿತ ಸಮಯಕ್ಕೆ ದಯವಿಟ್ಟು 080 5550 1235 ಗೆ ಕರೆ ಮಾಡಿ.', zone: 'Asia/Dubai', direction: 'candidate-calls', number: '+918055501235' },
];

describe('languages: a phone interview and who dials', () => {
  it.each(LANGUAGE_CASES)('$name', ({ title, text, zone, direction, number }) => {
    expect(readEvent(sent(title, text, zone))).toEqual({ kind: 'phone', direction, number });
  });
});

describe('languages: look-alikes in the same words (guards: already right, now covered)', () => {
  it('a Mongolian bank\'s "утсаар холбогдоно" about a loan request is no job', () => {
    const event = sent('Зээлийн хүсэлт', 'Таны зээлийн хүсэлтийг хүлээн авлаа. Манай ажилтан утсаар холбогдоно.', 'Asia/Ulaanbaatar');
    expect(readEvent(event).kind).toBe('not-interview');
  });

  it('a Nepali shop\'s "तपाईंलाई फोन गर्नेछौं" about an order is no job', () => {
    const event = sent('अर्डर डेलिभरी', 'तपाईंको अर्डर तयार छ। हामी तपाईंलाई फोन गर्नेछौं।', 'Asia/Kathmandu');
    expect(readEvent(event).kind).toBe('not-interview');
  });
});

describe('how the interview is held, read sentence by sentence', () => {
  // https://jobs.kent.gov.uk/working-here/preparing-for-your-interview/remote-interviews (ho18-kent-teams-phone-nearby)
  it('"… will be on Microsoft Teams; please join the video call. Have your phone nearby in case of technical issues" is a video interview', () => {
    const event = sent(
      'Interview – Occupational Therapist',
      'Your remote interview will be on Microsoft Teams; please join the video call 5 minutes early. Have your phone nearby in case you have any technical issues.',
      'Europe/London',
    );
    expect(readEvent(event).kind).toBe('video');
  });

  it('guard: the fallback\'s own sentence still decides nothing ("We\'ll call you … In case the call drops, join the Teams meeting")', () => {
    const event = sent('Phone interview – Occupational Therapist', "We'll call you at (415) 555-0100. In case the call drops, join the Microsoft Teams meeting from the link.");
    expect(readEvent(event)).toEqual({ kind: 'phone', direction: 'interviewer-calls', number: OWN });
  });

  // https://www.routeflex.ai/guide/recruiting/interview-scheduling (ho18-routeflex-interview)
  it('"will call the number on your application … Calls come from (602) 555-0187": they call you', () => {
    const event = sent('Interview – Delivery Driver', 'A dispatcher will call the number on your application at your booked time. Calls come from (602) 555-0187.', 'America/Phoenix', { location: 'Phone' });
    expect(readEvent(event)).toEqual({ kind: 'phone', direction: 'interviewer-calls', number: OWN });
  });
});

describe('no phone interview of the user\'s', () => {
  // https://raw.githubusercontent.com/team-telnyx/telnyx-code-examples/main/merge-interview-pipeline-python/README.md (ho18-not-ai-phone-screen)
  it('an automated phone screen, "our AI assistant will call you", is no phone interview', () => {
    const event = sent('Automated phone screen – Warehouse Associate', 'Our AI assistant will call you at (415) 555-0100 within a minute of applying.');
    expect(readEvent(event).kind).toBe('not-interview');
  });

  // https://github.com/LoganRickert/HarborFM/wiki/Group-calls.md (ho18-not-podcast-guest-recording)
  it('a podcast\'s "Guest interview" with a dial-in is no phone interview', () => {
    const event = sent('Guest interview – Ep. 7 "Landing a first job"', 'Join the recording by link or code 5532. Phone dial-in: +1 (720) 555-0108, code 5532.');
    expect(readEvent(event).kind).toBe('not-interview');
  });

  // https://raw.githubusercontent.com/mohitagw15856/pm-claude-skills/…/skills/tenant-screening-guide/SKILL.md (ho18-not-landlord-phone-screen)
  it('a landlord\'s "Phone screen" with move-in date, rental history and apartment in its text is no phone interview', () => {
    const event = sent(
      'Phone screen – 2BR at 9 Oak St (rental application)',
      "Thanks for applying for the apartment. Every applicant gets the same short phone screen: move-in date, household size and rental history. I'll call you at (415) 555-0100.",
    );
    expect(readEvent(event).kind).toBe('not-interview');
  });

  // https://raw.githubusercontent.com/jamditis/claude-skills-journalism/master/journalism-core/skills/interview-prep/SKILL.md (ho18-not-reporter-phone-interview)
  it('a reporter\'s "Phone interview – … (story on remote hiring)" is press', () => {
    const event = sent('Phone interview – Ada Park (story on tech layoffs)', "Thanks for agreeing to talk. I'll call you at (415) 555-0100; with your consent I'll record the call. Theo Lang, Reporter");
    expect(readEvent(event).kind).toBe('not-interview');
  });

  // https://raw.githubusercontent.com/team-telnyx/telnyx-code-examples/main/live-podcast-call-in-python/README.md (ho18-not-podcast-call-in)
  it('a radio call-in, "call the studio line when we go live … before you go on air", is no phone interview', () => {
    const event = sent('Call in to "Job Talk" – your question on interviews', "You're on the list. Call the studio line at (888) 555-0143 when we go live; our screener takes your question before you go on air.");
    expect(readEvent(event).kind).toBe('not-interview');
  });

  it('guard: "tell us the story of your last project" and "when we go live" in a phone screen leave it one', () => {
    const event = sent(
      'Phone screen – Implementation Specialist',
      "Thanks for applying for the Implementation Specialist role, which supports clients when we go live. Be ready to tell us the story of your last project. We'll call you at (415) 555-0100.",
    );
    expect(readEvent(event)).toEqual({ kind: 'phone', direction: 'interviewer-calls', number: OWN });
  });

  it('guard: a phone interview for a leasing job that names the same words stays one', () => {
    const event = sent(
      'Phone interview – Leasing Consultant',
      "Thanks for applying for the Leasing Consultant position. The job covers move-in dates, rental history checks and apartment tours. We'll call you at (415) 555-0100.",
    );
    expect(readEvent(event)).toEqual({ kind: 'phone', direction: 'interviewer-calls', number: OWN });
  });
});

describe("a recruiter's event made from the user's own reply", () => {
  const JOHN: Person = { name: 'John Morales', email: 'john.morales@redline-sales.example' };

  // https://www.boston.com/news/jobs/2010/12/20/waiting-for-the-call-telephone-interview-tips (ho18-reply-candidate-will-call)
  it('"Hi John, … I will plan on calling you at that time on 617-555-0124": the user dials that number', () => {
    const event = invitation(JOHN, {
      title: 'RE: Telephone interview – Account Executive',
      description:
        'Hi John, Thanks for the invitation to the telephone interview for the Account Executive role. As I recall, you had suggested that I call you at 10am on Tuesday. I will plan on calling you at that time on 617-555-0124. In case you need it, my number is 415-555-0100.',
      timeZone: 'America/New_York',
    });
    expect(readEvent(event)).toEqual({ kind: 'phone', direction: 'candidate-calls', number: '+16175550124' });
  });

  it('guard: the recruiter\'s own text greeting the user, "Hi Ada, I\'ll call you at …", still has them dialling', () => {
    const event = invitation(JOHN, { title: 'Telephone interview – Account Executive', description: "Hi Ada, thanks for your time. I'll call you at 415-555-0100 at 10am." });
    expect(readEvent(event)).toEqual({ kind: 'phone', direction: 'interviewer-calls', number: OWN });
  });

  it('guard: with a third person on the event, a text greeting the organizer is not taken for the user\'s', () => {
    const event = invitation(JOHN, {
      title: 'Telephone interview – Account Executive',
      description: 'Hi John, adding Ada for the telephone interview for the Account Executive role. I will call you at 617-555-0124 to set it up; Ada, we will call you at 415-555-0100.',
      attendees: [{ ...SELF, status: 'accepted' }, { name: 'Mia Chen', email: 'mia.chen@redline-sales.example', status: 'accepted' }],
    });
    expect(readEvent(event)).toEqual({ kind: 'phone', direction: 'interviewer-calls', number: OWN });
  });
});

describe("the call's clock stated in words (guards: already right, now covered)", () => {
  // https://www.devex.com/news/secrets-to-a-successful-phone-interview-for-development-aid-job-seekers-72933/amp (ho18-zone-your-local-time)
  const LOCAL = 'Your phone interview is at 11:00 AM New York time, which is 8:00 AM your local time. Dana will call you at +1 415 555 0100.';
  const at = (hour: number): Partial<CalendarEvent> => ({ start: Date.UTC(2031, 3, 8, hour), end: Date.UTC(2031, 3, 8, hour, 30) });

  it('"8:00 AM your local time" on an entry at 8:00 AM Pacific needs no review', () => {
    const analysis = analyse(sent('Phone interview – Program Officer', LOCAL, 'America/New_York', at(15)), detectSettings);
    expect(analysis.review).toBe(false);
  });

  it('"8:00 AM your local time" on an entry at 9:00 AM Pacific is held for review', () => {
    const analysis = analyse(sent('Phone interview – Program Officer', LOCAL, 'America/New_York', at(16)), detectSettings);
    expect(analysis.review).toBe(true);
  });
});
