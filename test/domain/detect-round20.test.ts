/**
 * What the twentieth held-out round taught: phone interviews written in Punjabi, Irish and Belarusian,
 * with who dials and numbers written the local way; a job named before the interview words ("Practice
 * Receptionist – telephone interview") or in "for the … post" is the job, not a word about the event;
 * and the user as a client choosing whom to interview ("the talent you selected", "accept or reject
 * the talent") is on the hiring side. Each case is written after the round's source, in other words
 * than its entry.
 */
import { describe, expect, it } from 'vitest';
import type { Person } from '../../src/domain/types.js';
import { analyse } from '../../src/domain/detect.js';
import { OWN, detectSettings, readEvent, sender } from '../support/detection.js';

const RECRUITER: Person = { name: 'Simran Kaur', email: 'simran.kaur@goldenfields.example' };
const sent = sender(RECRUITER);

describe('languages: a phone interview and who dials', () => {
  it.each([
    // https://www.sbs.com.au/language/punjabi/audio/settlement-guide-how-to-prepare-for-a-job-interview ("ਨੌਕਰੀ ਲਈ ਇੰਟਰਵਿਊ");
    // https://www.punjabijagran.com/technology/general-landline-to-mobile-calling-rules-changed-now-add-0-before-making-a-call-from-landline-8849983.html ("ਮੋਬਾਈਲ 'ਤੇ ਕਾਲ")
    { name: 'Punjabi "ਫੋਨ ਇੰਟਰਵਿਊ … ਫੋਨ ਕਰੇਗੀ"', title: 'ਫੋਨ ਇੰਟਰਵਿਊ – ਅਕਾਊਂਟਸ ਕਲਰਕ', text: 'ਸਿਮਰਨ ਤੁਹਾਨੂੰ ਤੈਅ ਸਮੇਂ ਤੇ ਫੋਨ ਕਰੇਗੀ।', zone: 'Asia/Kolkata', direction: 'interviewer-calls', number: OWN },
    // https://www.despardestimes.com/pb/ (Adelaide: "ਫੋਨ ਨੰਬਰਾਂ", "ਕਾਲ ਕਰਨ")
    { name: 'Punjabi "ਕਿਰਪਾ ਕਰਕੇ … ਕਾਲ ਕਰੋ": a Ludhiana number', title: 'ਨੌਕਰੀ ਲਈ ਇੰਟਰਵਿਊ (ਫੋਨ)', text: "ਕਿਰਪਾ ਕਰਕੇ ਇੰਟਰਵਿਊ ਦੇ ਸਮੇਂ 0161 555 0123 'ਤੇ ਕਾਲ ਕਰੋ।", zone: 'Asia/Kolkata', direction: 'candidate-calls', number: '+911615550123' },
    // https://publicjobs.ie/ga/mol-eolais/ar-bproiseas-earcaiochta/comhairle-faoi-agallamh ("agallamh", "fón póca");
    // https://www.citizensinformation.ie/ga/consumer_affairs/telecommunications_and_postal_services/dealing_with_unwanted_telephone_sales_calls.html ("glaoch … ort")
    { name: 'Irish "agallamh ar an bhfón … glaofaimid ort"', title: 'Agallamh ar an bhfón – Cúntóir Oifige', text: 'Glaofaimid ort ar d\'fhón póca ag an am atá socraithe.', zone: 'Europe/Dublin', direction: 'interviewer-calls', number: OWN },
    { name: 'Irish "cuir glaoch orainn ar 091 …": a Galway number', title: 'Agallamh teileafóin – Oifigeach Cumarsáide', text: 'Cuir glaoch orainn ar 091 555 014 ag am an agallaimh.', zone: 'Europe/Dublin', direction: 'candidate-calls', number: '+35391555014' },
    // https://prohoster.info/be/… ("сумоўя", "кандыдатаў"); https://rh.by/ru/2009/12/16/a-vanda-doma/ ("тэлефон", "тэлефануюць")
    { name: 'Belarusian "сумоўе па тэлефоне … вам патэлефануюць"', title: 'Сумоўе па тэлефоне – мэнэджар па продажах', text: 'У прызначаны час вам патэлефануюць з аддзела кадраў.', zone: 'Europe/Minsk', direction: 'interviewer-calls', number: OWN },
    { name: 'Belarusian "патэлефануйце нам па нумары 0162 …": a Brest number', title: 'Тэлефоннае сумоўе – бухгалтар', text: 'Калі ласка, патэлефануйце нам па нумары 8 0162 55-50-12.', zone: 'Europe/Minsk', direction: 'candidate-calls', number: '+375162555012' },
  ])('$name', ({ title, text, zone, direction, number }) => {
    expect(readEvent(sent(title, text, zone))).toEqual({ kind: 'phone', direction, number });
  });
});

describe('a job named before the interview words or in "for the … post" is the job', () => {
  // https://www.westbury.nhs.uk/practice-information/telephone-consultations/ (a practice that hires and calls from a withheld line)
  it('"Practice Manager – telephone interview" is a phone interview for a practice manager', () => {
    expect(readEvent(sent('Practice Manager – telephone interview', 'Dr Shah will ring you at the time above. Our line shows as Unregistered Number.', 'Europe/London'))).toEqual({ kind: 'phone', direction: 'interviewer-calls', number: OWN });
  });

  it('"for the Practice Nurse post" names the job: its "practice" gives no evidence', () => {
    const analysis = analyse(sent('Telephone interview – Meadow Surgery', 'Thank you for applying for the Practice Nurse post. We will ring you at the time above.', 'Europe/London'), detectSettings);
    expect(analysis.kind).toBe('phone');
    expect(analysis.evidence.filter((e) => e.text === 'practice')).toEqual([]);
  });

  it('(guard) "Interview practice – telephone" stays the user\'s own practice', () => {
    expect(readEvent(sent('Interview practice – telephone', 'Practice answers with Sam before Friday.', 'Europe/London')).kind).toBe('not-interview');
  });
});

describe('the user as a client choosing whom to interview is on the hiring side', () => {
  // https://helpcenter.ttaconnect.com/topics/interview-candidates/ ("After the interview, you can accept or reject candidates")
  it.each([
    { name: '"the candidate you selected … accept or reject the candidate"', title: 'Interview: Dana Cole – Bookkeeper', text: 'Your phone interview with the candidate you selected is set. Call Dana at (312) 555-0148. Afterwards, accept or reject the candidate in your dashboard.' },
    { name: '"the talent you selected"', title: 'Phone interview – Ravi Menon (UX Writer)', text: 'We confirmed the time with the talent you selected. Ravi will wait for your call at (646) 555-0152.' },
  ])('$name', ({ title, text }) => {
    expect(readEvent(sent(title, text)).kind).toBe('not-interview');
  });
});
