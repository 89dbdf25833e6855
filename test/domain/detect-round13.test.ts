/**
 * What the thirteenth held-out round taught: a Danish "Telefonscreening" and a Russian "пожалуйста,
 * позвоните нашему HR-менеджеру … по телефону" name a phone interview and who dials in words detection
 * did not read; a reporter's "Phone interview – … (quote on your startup)" is press, not hiring;
 * numbers written "0044 161 …" or broken over two lines are the interview's; and on an event the
 * user made from an email with Outlook's "Reply with Meeting", their own "Hi Kevin, … I'll call you
 * then" above the quoted email means they dial.
 */
import { describe, expect, it } from 'vitest';
import type { Person } from '../../src/domain/types.js';
import { invitation, OWN, readEvent, SELF, sender } from '../support/detection.js';

const RECRUITER: Person = { name: 'Grace Holt', email: 'grace.holt@meridian-fin.example' };

/** An invitation the recruiter sent, in `zone`. */
const sent = sender(RECRUITER);

describe('languages: words for a phone interview and for who dials', () => {
  // https://ballisager.com/telefonscreening-af-ansoegere/ (ho13-da-ringer-dig-op)
  it('Danish "Telefonscreening – Økonomimedarbejder … Jeg ringer dig op på 28 55 50 17"', () => {
    const event = sent('Telefonscreening – Økonomimedarbejder', 'Tak for din ansøgning. Jeg ringer dig op på 28 55 50 17 på det aftalte tidspunkt.', 'Europe/Copenhagen');
    expect(readEvent(event)).toEqual({ kind: 'phone', direction: 'interviewer-calls', number: '+4528555017' });
  });

  // https://brainhire.ru/blog/rekruting/telefonnoe-intervyu (ho13-ru-candidate-calls)
  it('Russian "пожалуйста, позвоните нашему HR-менеджеру Игорю по телефону 8 (495) 555-01-47"', () => {
    const event = sent(
      'Собеседование по телефону — менеджер по продажам',
      'В назначенное время, пожалуйста, позвоните нашему HR-менеджеру Игорю по телефону 8 (495) 555-01-47, доб. 312.',
      'Europe/Moscow',
    );
    expect(readEvent(event)).toEqual({ kind: 'phone', direction: 'candidate-calls', number: '+74955550147' });
  });
});

describe('press is not hiring', () => {
  // https://interviewconnections.com/podcaster-making-jump-hoops-schedule/ (ho13-no-reporter-phone-interview)
  it('"Phone interview – Bay Business Journal (quote on your startup)" from a reporter', () => {
    const event = invitation(
      { name: 'Dan Ortiz', email: 'dortiz@baybizjournal.example' },
      { title: 'Phone interview – Bay Business Journal (quote on your startup)', description: "Hi Ada, I'll call you at (415) 555-0100 for about 15 minutes for the piece on small climate startups. It runs next Friday." },
    );
    expect(readEvent(event).kind).toBe('not-interview');
  });

  it('a phone interview for a quote on a job still is one when the recruiter quotes a salary', () => {
    const event = sent('Phone interview – Data Analyst', "I'll call you at (415) 555-0100. We can talk about the salary range for the role.");
    expect(readEvent(event)).toEqual({ kind: 'phone', direction: 'interviewer-calls', number: OWN });
  });
});

describe('numbers as people write them', () => {
  // http://www.ehow.co.uk/how_7683334_identify-uk-landline-number-format.html (ho13-uk-0044-switchboard)
  it('"please ring our switchboard on 0044 161 496 0750"', () => {
    const event = sent('Phone interview – Graduate Engineer', 'At the agreed time, please ring our switchboard on 0044 161 496 0750 and ask for Priya Desai in HR.');
    expect(readEvent(event)).toEqual({ kind: 'phone', direction: 'candidate-calls', number: '+441614960750' });
  });

  // https://pixelation.org/why-phone-number-in-uk-format-is-surprisingly-easy-to-get-wrong-mws (ho13-number-split-lines)
  it('"please call my direct line: +1 (646)" with "555-0134" on the next line', () => {
    const event = sent('Phone interview with Lakeshore Analytics', 'For our phone interview please call my direct line: +1 (646)\n555-0134\nMarcus');
    expect(readEvent(event)).toEqual({ kind: 'phone', direction: 'candidate-calls', number: '+16465550134' });
  });

  it('"Call Marcus at +1 (646)" with "555-0134" on the next line: the named person\'s number', () => {
    const event = sent('Phone interview with Lakeshore Analytics', 'Call Marcus at +1 (646)\n555-0134');
    expect(readEvent(event)).toEqual({ kind: 'phone', direction: 'candidate-calls', number: '+16465550134' });
  });

  it('two numbers on two lines stay two numbers', () => {
    const event = sent('Phone interview – Analyst', 'Please call me at (646) 555-0134\n(212) 555-0188 is our front desk.');
    expect(readEvent(event).number).toBe('+16465550134');
  });
});

describe('events Outlook made with "Reply with Meeting"', () => {
  // https://www.pcreview.co.uk/threads/outlook-option-needed.836915 (ho13-outlook-reply-meeting-user)
  it('the user\'s own "I\'ll call you then" over the recruiter\'s "please call me at 720-555-0164"', () => {
    const event = invitation(SELF, {
      title: 'RE: Phone interview availability',
      description:
        "Hi Kevin, this time works for me. I'll call you then.\nAda\n\nFrom: Kevin Osei\nSubject: Phone interview availability\n\nCould you let me know a time for a 30-minute phone interview this week? When it suits, please call me at 720-555-0164.",
      attendees: [{ ...SELF, status: 'accepted' }, { name: 'Kevin Osei', email: 'kevin.osei@brightpath-hr.example', status: 'accepted' }],
    });
    expect(readEvent(event)).toEqual({ kind: 'phone', direction: 'candidate-calls', number: '+17205550164' });
  });

  it('the recruiter\'s own words pasted into the user\'s event ("Hi Ada, I\'ll call you at …") still mean they call', () => {
    const event = invitation(SELF, {
      title: 'Phone interview – BrightPath',
      description: "Hi Ada, thanks for applying. I'll call you at 415-555-0100 for the phone interview.\nKevin",
      attendees: [{ ...SELF, status: 'accepted' }, { name: 'Kevin Osei', email: 'kevin.osei@brightpath-hr.example', status: 'accepted' }],
    });
    expect(readEvent(event)).toEqual({ kind: 'phone', direction: 'interviewer-calls', number: OWN });
  });
});
