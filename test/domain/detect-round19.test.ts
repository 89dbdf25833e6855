/**
 * What the nineteenth held-out round taught: phone interviews written in Amharic and isiXhosa, with
 * who dials and numbers written the local way; a number an invitation gives in a field of its own, a
 * phone label ("Phone: …") or the line under a place label ("Location" / "(971) …"), with no word on
 * who dials, is the one the candidate dials; "will call the number on your … profile" is them calling
 * you, whatever the record is called; and look-alikes of kinds no round had before (a roommate's phone
 * interview, a household survey, the user as phone interpreter, a host-family interview, a union's
 * endorsement interview, a wedding officiant's, a mentor's intro call) are no phone interviews.
 * Each case is written after the round's source, in other words than its entry.
 */
import { describe, expect, it } from 'vitest';
import type { Person } from '../../src/domain/types.js';
import { OWN, readEvent, sender } from '../support/detection.js';

const RECRUITER: Person = { name: 'Selam Bekele', email: 'selam.bekele@abaytrade.example' };
const sent = sender(RECRUITER);

describe('languages: a phone interview and who dials', () => {
  it.each([
    // https://www.bbc.com/amharic/news-48250897 ("የሥራ ቃለመጠይቅ"); https://magazine.planetethiopia.com/2018/10/22/… ("ስልክ")
    { name: 'Amharic "የስልክ ቃለ መጠይቅ … ይደውሉልዎታል"', title: 'የስልክ ቃለ መጠይቅ – የቢሮ ረዳት', text: 'ለቢሮ ረዳት የሥራ መደብ ቃለ መጠይቅ ተመርጠዋል። በተያዘው ሰዓት ሥራ አስኪያጃችን ይደውሉልዎታል።', zone: 'Africa/Addis_Ababa', direction: 'interviewer-calls', number: OWN },
    { name: 'Amharic "እባክዎ በ011 555 0124 ይደውሉ": an Addis Ababa number', title: 'ቃለ መጠይቅ (በስልክ) – ገንዘብ ያዥ', text: 'ቃለ መጠይቅዎ በስልክ ይካሄዳል። እባክዎ በ011 555 0124 ይደውሉ።', zone: 'Africa/Addis_Ababa', direction: 'candidate-calls', number: '+251115550124' },
    // https://www.isolezwelesixhosa.co.za/iindaba/kuqesha-oodadobawo-efrontier/ ("kudliwanondlebe", "iza kufowunelwa")
    { name: 'isiXhosa "udliwanondlebe ngefowuni … siza kukufowunela"', title: 'Udliwanondlebe ngefowuni – uMgcini-mali', text: 'Molo Ada, ubizelwe kudliwanondlebe lomsebenzi. Siza kukufowunela ngexesha elimiselweyo.', zone: 'Africa/Johannesburg', direction: 'interviewer-calls', number: OWN },
    { name: 'isiXhosa "nceda ufowunele u-041 555 0124": a Gqeberha number', title: 'Udliwanondlebe lomsebenzi (ngefowuni)', text: 'Ngexesha elimiselweyo nceda ufowunele u-041 555 0124.', zone: 'Africa/Johannesburg', direction: 'candidate-calls', number: '+27415550124' },
  ])('$name', ({ title, text, zone, direction, number }) => {
    expect(readEvent(sent(title, text, zone))).toEqual({ kind: 'phone', direction, number });
  });
});

describe('a number given in a field of its own, with no word on who dials, is the one the candidate dials', () => {
  it.each([
    // https://support.epayhire.com/support/solutions/articles/3000034435 ("Add a contact Phone number")
    { name: '"Phone: +1 (312) 555-0177" alone on its line', title: 'Phone interview – Accounts Clerk', text: 'We would like to schedule a phone interview for the Accounts Clerk position.\nPhone: +1 (312) 555-0177', direction: 'candidate-calls', number: '+13125550177' },
    { name: '"Phone number:" on one line and the number on the next', title: 'Phone screen – Barista', text: 'Your phone screen is booked.\nPhone number:\n(503) 555-0161', direction: 'candidate-calls', number: '+15035550161' },
    // https://help.poachedjobs.com/hc/en-us/articles/222449708-What-is-the-Interview-Scheduler- ("Location will automatically populate …")
    { name: "the number on the line under a \"Location\" label, as the event's place", title: 'Interview: Line Cook', text: 'Interview request accepted\nType\nPhone\nLocation\n(971) 555-0143', direction: 'candidate-calls', number: '+19715550143' },
    { name: '"Where: (617) 555-0135" on one line', title: 'Phone interview – Claims Adjuster', text: 'Interview type: phone\nWhere: (617) 555-0135', direction: 'candidate-calls', number: '+16175550135' },
    { name: '(guard) "Phone:" with the user\'s own number: they call the user', title: 'Phone interview – Harrow Logistics', text: 'Communication Method: Phone\nPhone: +1 415 555 0100', direction: 'interviewer-calls', number: OWN },
    { name: '(guard) a sentence that says who calls wins over a signature\'s "Phone:"', title: 'Phone interview – Tessellate', text: 'Marta will call you at the time above.\n\nMarta Olsen\nRecruiter\nPhone: (206) 555-0172', direction: 'interviewer-calls', number: OWN },
  ])('$name', ({ title, text, direction, number }) => {
    expect(readEvent(sent(title, text))).toEqual({ kind: 'phone', direction, number });
  });
});

describe('"will call the number on your …" is them calling you', () => {
  // https://support.jobget.com/how-candidates-are-notified-and-reminded-about-scheduled-interviews
  it('The store manager will call the number on your JobGet profile.', () => {
    expect(readEvent(sent('Phone interview – Shift Supervisor', 'The store manager will call the number on your JobGet profile.'))).toEqual({ kind: 'phone', direction: 'interviewer-calls', number: OWN });
  });

  it('(guard) "will call the number on your résumé"', () => {
    expect(readEvent(sent('Phone interview – Shift Supervisor', 'A recruiter will call the number on your résumé at the time above.'))).toEqual({ kind: 'phone', direction: 'interviewer-calls', number: OWN });
  });
});

describe('look-alikes of kinds no round had before', () => {
  const other = sender({ name: 'Jordan Reyes', email: 'jordan@reyes-home.example' });
  it.each([
    // https://followexperts.online/articles_9rz1ca.html
    { name: 'a flatmate\'s phone interview', title: 'Flatmate phone interview – spare room', text: 'Quick phone interview before you view the room: your schedule, bills, guests. I\'ll call you at (415) 555-0100.' },
    // https://www.census.gov/programs-surveys/surveyhelp/safety-commitment.html
    { name: 'a household survey\'s phone interview', title: 'Phone interview – American Community Survey', text: 'Your household was selected for a Census Bureau survey. A field representative will call you to complete the interview.' },
    // https://certifiedlanguages.com/opi-support/how-to-preschedule-a-phone-interpreter/
    { name: 'the user as phone interpreter for someone else\'s interview', title: 'Interpreting assignment – telephone interview (Portuguese)', text: 'Scheduled phone interpreter confirmation. Nature of call: a recruiter\'s phone interview with an applicant. Call 1-800-555-0149 with your reference number.' },
    // https://blog.exchangemom.com/2019/12/16/choosing-an-exchange-program/
    { name: 'an exchange program\'s host-family interview', title: 'Host family interview (phone)', text: 'As your local coordinator I will interview your family by phone before the home visit. I\'ll call you at (415) 555-0100.' },
    // https://nwlaborpress.org/2024/10/how-unions-decide-which-campaigns-to-endorse
    { name: 'a union\'s endorsement interview of a candidate for office', title: 'Endorsement interview – school board race', text: 'The political action committee will interview you by phone about your campaign. The chair will call you at (415) 555-0100.' },
    // https://richerliving.org/weddingceremonies/interviewing-a-potential-wedding-officiant/
    { name: 'a wedding officiant\'s phone interview', title: 'Phone interview with officiant', text: 'Happy to talk through your wedding ceremony, vows and fees. I\'ll call you at (415) 555-0100.' },
    // https://www.aad.org/members/leadership-institute/mentoring/become-a-mentor/mentor-guidelines
    { name: 'a mentoring program\'s intro call', title: 'Intro call – your mentor', text: 'Your mentor will call you at (415) 555-0100 to get acquainted and agree on a meeting schedule.' },
  ])('$name', ({ title, text }) => {
    expect(readEvent(other(title, text)).kind).toBe('not-interview');
  });
});

describe('hostile text around a field', () => {
  // A line of spaces before a number and a word: the first reading of a field's label (a pattern with
  // two runs of spaces around a lazy label) took about 0.75 s here; cutting at the first colon is one pass.
  it('a line of nearly two thousand spaces before a number and a word is read at once, and names no field', () => {
    const event = (text: string) => sent('Phone interview – Accounts Clerk', `We would like to schedule a phone interview.\n${text}`);
    readEvent(event('warm-up'));
    const started = process.hrtime.bigint();
    const read = readEvent(event(`${' '.repeat(1_970)}+1 (312) 555-0177 abc`));
    expect(Number(process.hrtime.bigint() - started) / 1e6).toBeLessThan(200);
    expect(read.kind).toBe('phone');
    expect(read.number).not.toBe('+13125550177');
  });
});
