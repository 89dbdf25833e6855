/**
 * What the twenty-first held-out round taught: numbers written in other digits than 0–9 (fullwidth,
 * Eastern Arabic, Persian, Devanagari, Thai, Khmer) are numbers; phone interviews written in Khmer,
 * which like Thai puts no spaces between words; an "Applicant:" of the hiring side is a "Candidate:";
 * a pre-interview is the call before a show's interview, not a job's; and notes left in the ATS are
 * the interviewer's. Each case is written after the round's source, in other words than its entry.
 */
import { describe, expect, it } from 'vitest';
import type { Person } from '../../src/domain/types.js';
import { findPhoneNumbers, toE164 } from '../../src/domain/phone.js';
import { OWN, readEvent, sender } from '../support/detection.js';

const RECRUITER: Person = { name: 'Dana Okafor', email: 'dana.okafor@harbourline.example' };
const sent = sender(RECRUITER);

describe('numbers written in other digits are numbers', () => {
  it.each([
    // https://en.wikipedia.org/wiki/Halfwidth_and_Fullwidth_Forms_(Unicode_block) (U+FF10–FF19, U+FF0D)
    { name: 'fullwidth digits and hyphens in Japanese: an Osaka number', title: '電話面接（営業アシスタント）', text: '面接当日は人事部の田中まで ０６－５５５５－０１８２ にお電話ください。', zone: 'Asia/Tokyo', number: '+81655550182' },
    // https://en.wikipedia.org/wiki/Eastern_Arabic_numerals (٠–٩ in Arabic, ۰–۹ in Persian)
    { name: 'Eastern Arabic digits: a Cairo mobile', title: 'مقابلة هاتفية – مهندس مبيعات', text: 'يرجى الاتصال بالسيد أحمد على الرقم ٠١٠ ٥٥٥٠ ١٢٣٤ في الموعد المحدد.', zone: 'Africa/Cairo', number: '+201055501234' },
    { name: 'Persian digits: a Mashhad number', title: 'مصاحبه تلفنی – حسابدار', text: 'لطفاً در زمان مقرر با خانم احمدی به شماره ۰۵۱ ۳۵۵۵ ۰۱۲۳ تماس بگیرید.', zone: 'Asia/Tehran', number: '+985135550123' },
    // https://en.wikipedia.org/wiki/Devanagari_numerals
    { name: 'Devanagari digits: a Delhi number', title: 'टेलीफोनिक इंटरव्यू – Sales Executive', text: 'कृपया तय समय पर श्री वर्मा को ०११ ५५५५ ०१२३ पर कॉल करें।', zone: 'Asia/Kolkata', number: '+911155550123' },
    // https://en.wikipedia.org/wiki/Thai_numerals
    { name: 'Thai digits: a Bangkok number', title: 'สัมภาษณ์งานทางโทรศัพท์ – พนักงานขาย', text: 'กรุณาโทรที่เบอร์ ๐๒ ๕๕๕ ๐๑๒๓ ตามเวลานัด', zone: 'Asia/Bangkok', number: '+6625550123' },
  ])('$name', ({ title, text, zone, number }) => {
    expect(readEvent(sent(title, text, zone))).toEqual({ kind: 'phone', direction: 'candidate-calls', number });
  });

  it('(guard) the number finder and the reader of one number already read other digits (libphonenumber)', () => {
    expect(findPhoneNumbers('الرقم ٠١٠ ٥٥٥٠ ١٢٣٤', 'EG').map((p) => p.e164)).toEqual(['+201055501234']);
    expect(toE164('０６－５５５５－０１８２', 'JP')).toBe('+81655550182');
  });

  it('(guard) digits 0–9 read as before', () => {
    expect(readEvent(sent('Phone interview – Sales Executive', 'Please call Mr Verma at (312) 555-0177 at the time above.'))).toEqual({ kind: 'phone', direction: 'candidate-calls', number: '+13125550177' });
  });
});

describe('Khmer: a phone interview and who dials', () => {
  it.each([
    // https://www.khimphon.com/2017/10/blog-post_10.html ("សម្ភាសការងារ", "អ្នកសម្ភាស");
    // https://news.todaysharing.com/knowledge/407/ ("ការទូរស័ព្ទទៅកាន់នណាម្នាក់")
    { name: '"អ្នកសម្ភាសនឹងទូរស័ព្ទទៅអ្នក": they call', title: 'សម្ភាសការងារតាមទូរស័ព្ទ – គណនេយ្យករ', text: 'អ្នកសម្ភាសនឹងទូរស័ព្ទទៅអ្នកនៅម៉ោងកំណត់។', direction: 'interviewer-calls', number: OWN },
    // https://bongsokla.blogspot.com/2026/02/art-of-telephone-communication.html ("ទូរស័ព្ទ"; "សូម")
    { name: '"សូមទូរស័ព្ទទៅកាន់ …": a Phnom Penh number in Khmer digits', title: 'សម្ភាសការងារ (ទូរស័ព្ទ) – អ្នកលក់', text: 'សូមទូរស័ព្ទទៅកាន់អ្នកស្រី ចាន់ តាមលេខ ០២៣ ៥៥៥ ០១២ នៅម៉ោងសម្ភាស។', direction: 'candidate-calls', number: '+85523555012' },
  ])('$name', ({ title, text, direction, number }) => {
    expect(readEvent(sent(title, text, 'Asia/Phnom_Penh'))).toEqual({ kind: 'phone', direction, number });
  });
});

describe('the hiring side', () => {
  // https://help.workstream.us/en/articles/6459276-getting-started-with-workstream (the applicant's name on the manager's appointment)
  it('"Applicant:" and "Applicant phone:" naming someone else: the user interviews', () => {
    expect(readEvent(sent('Phone screen – Priya Das', 'Applicant: Priya Das\nApplicant phone: (503) 555-0141\nRole: Barista, Pearl District')).kind).toBe('not-interview');
  });

  it('(guard) "Applicant: Ada Park" names the user: still the user\'s phone interview', () => {
    expect(readEvent(sent('Phone interview – Barista', 'Applicant: Ada Park\nThe store manager will call you at the time above.'))).toEqual({ kind: 'phone', direction: 'interviewer-calls', number: OWN });
  });

  // A letter's salutation addresses its reader as the one applying: "Dear Candidate, we appreciate your
  // interest" (https://github.com/t0nylombardi/blog/blob/main/src/content/blog/rejection-emails-the-cold-dead-eyed-fish-of-the-hiring-world.md),
  // with the colon of a business letter ("Dear [[Recipient]]:", https://letters.net.au/job-letters/employers/tetatively-accepting/).
  it.each([
    { name: '"Dear Candidate:" is the user, not a "Candidate:" label of someone else', salutation: 'Dear Candidate:' },
    { name: '"Dear Applicant:" is the user, not an "Applicant:" label of someone else', salutation: 'Dear Applicant:' },
  ])('$name', ({ salutation }) => {
    expect(readEvent(sent('Telephone interview – Clerk II', `${salutation} thank you for applying. The panel will call you at the time above.`))).toEqual({ kind: 'phone', direction: 'interviewer-calls', number: OWN });
  });

  // https://pastebin.com/7rUSv6ZX (a coordinator's no-show follow-up)
  it('notes left in the ATS after the call are the interviewer\'s', () => {
    expect(readEvent(sent('Phone screen – Marcus Lee (Driver)', 'Marcus asked to move to today. Please ring him on (214) 555-0177 and add your notes in the ATS after.')).kind).toBe('not-interview');
  });
});

describe('a pre-interview is the call before a show, not a job interview', () => {
  // https://davidhooper.net/the-significance-of-pre-interviews-in-podcasting
  it('"Pre-interview" in the title', () => {
    expect(readEvent(sent('Pre-interview – Main Street Makers', 'A short chat before your segment is recorded. I will phone you on your mobile.')).kind).toBe('not-interview');
  });

  it('(guard) a phone interview that asks for a pre-interview questionnaire stays one', () => {
    expect(readEvent(sent('Phone interview – Logistics Coordinator', 'Please fill in the pre-interview questionnaire beforehand. Dana will call you at the time above.'))).toEqual({ kind: 'phone', direction: 'interviewer-calls', number: OWN });
  });
});

describe('a title "with <job> candidate" names someone else as the candidate', () => {
  // https://magpieconsults.com/reference-call-builder (an agency presents a nanny to a family); the
  // family's phone interview, wrong since round 20
  it('a family\'s phone call with a childminder candidate an agency found', () => {
    expect(readEvent(sent('Phone call with childminder candidate – Aisha Khan', 'Here is your call with Aisha for your two boys. Please ring her on (415) 555-0144.')).kind).toBe('not-interview');
  });

  it.each([
    { name: '(guard) "with <company> – candidate <the user>"', title: 'Phone interview with Northwind – candidate Ada Park', text: 'Sam will call you at the time above.' },
    { name: '(guard) "with the hiring manager for candidate <the user>"', title: 'Phone interview with the hiring manager for candidate Ada Park', text: 'Sam will call you at the time above.' },
    // https://visualfoodie.com/interviewing-a-potential-care-com-nanny (the family's phone screen of the nanny)
    { name: '(guard) the user as the nanny a family phones', title: 'Phone interview – nanny job (Okafor family)', text: 'Thanks for applying to our nanny job! I will call you at the time above about your experience with toddlers.' },
  ])('$name', ({ title, text }) => {
    expect(readEvent(sent(title, text))).toEqual({ kind: 'phone', direction: 'interviewer-calls', number: OWN });
  });
});
