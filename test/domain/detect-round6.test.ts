/**
 * What the sixth held-out round taught: eleven more languages (Russian, Ukrainian, Greek, Hungarian,
 * Romanian, Arabic, Hebrew, Vietnamese, Indonesian, Malay, Thai), labels that are no part of a longer
 * phrase ("Candidate:" in "candidate PIN"), the config's number among several of the candidate's,
 * numbers written with letters or in words, a sentence in another country's language writing that
 * country's numbers, and the round's look-alikes (benefit interviews, surveys, press, TV).
 */
import { describe, expect, it } from 'vitest';
import { analyse } from '../../src/domain/detect.js';
import { buildLexicon, readable, scan } from '../../src/domain/detection/words.js';
import type { CalendarEvent } from '../../src/domain/types.js';
import { detectSettings as settings, invitation, OWN, readEvent } from '../support/detection.js';

function event(over: Partial<CalendarEvent>): CalendarEvent {
  return invitation({ name: 'Eleni Georgiou', email: 'eleni@adatum.example' }, { timeZone: 'Europe/Athens', ...over });
}

function read(title: string, description: string, location = ''): { kind: string; direction: string | null; number: string | null } {
  return readEvent(event({ title, description, location }));
}

describe('invitations in the languages of the sixth round', () => {
  it.each([
    { lang: 'ru', title: 'Телефонное собеседование — аналитик', text: 'Наш рекрутер позвонит вам на мобильный в указанное время.', direction: 'interviewer-calls', number: OWN },
    { lang: 'ru', title: 'Собеседование по телефону', text: 'Пожалуйста, позвоните мне по номеру +7 (495) 555-01-23.', direction: 'candidate-calls', number: '+74955550123' },
    { lang: 'uk', title: 'Телефонна співбесіда — QA', text: 'Рекрутерка зателефонує вам за номером, вказаним у резюме.', direction: 'interviewer-calls', number: OWN },
    { lang: 'el', title: 'Τηλεφωνική συνέντευξη – Λογιστής', text: 'Θα σας καλέσουμε στο κινητό σας την ώρα του ραντεβού.', direction: 'interviewer-calls', number: OWN },
    { lang: 'hu', title: 'Telefonos interjú', text: 'Kérjük, hívja a +36 1 555 0123 számot.', direction: 'candidate-calls', number: '+3615550123' },
    { lang: 'ro', title: 'Interviu telefonic – Analist', text: 'Vă vom suna la ora stabilită pe numărul de mobil din CV.', direction: 'interviewer-calls', number: OWN },
    { lang: 'ar', title: 'مقابلة هاتفية – محاسب', text: 'سيتصل بك فريق الموارد البشرية في الموعد المحدد.', direction: 'interviewer-calls', number: OWN },
    { lang: 'he', title: 'ראיון טלפוני – מפתחת', text: 'המגייסת תתקשר אלייך בשעה שנקבעה.', direction: 'interviewer-calls', number: OWN },
    { lang: 'vi', title: 'Phỏng vấn qua điện thoại', text: 'Phòng nhân sự sẽ gọi điện cho bạn đúng giờ hẹn.', direction: 'interviewer-calls', number: OWN },
    { lang: 'id', title: 'Undangan Wawancara Telepon', text: 'HRD kami akan menelepon Anda pada jadwal tersebut.', direction: 'interviewer-calls', number: OWN },
    { lang: 'ms', title: 'Temu duga melalui telefon', text: 'Pegawai sumber manusia kami akan menghubungi anda pada masa tersebut.', direction: 'interviewer-calls', number: OWN },
    { lang: 'th', title: 'นัดสัมภาษณ์งานทางโทรศัพท์', text: 'ฝ่ายบุคคลจะโทรหาคุณตามเบอร์ที่ให้ไว้ในใบสมัคร', direction: 'interviewer-calls', number: OWN },
  ])('$lang: "$title" is a phone interview, $direction $number', ({ title, text, direction, number }) => {
    expect(read(title, text)).toEqual({ kind: 'phone', direction, number });
  });

  it('reads Thai, written without spaces, character by character as Japanese is', () => {
    const lexicon = buildLexicon();
    expect(scan(readable('ฝ่ายบุคคลจะโทรหาคุณ'), lexicon.byFirst).map((h) => h.phrase)).toEqual(['ฝ่ายบุคคล', 'จะโทรหา']);
  });

  it('a video interview in Russian is still an interview, held on video', () => {
    expect(analyse(event({ title: 'Собеседование в Microsoft Teams', conference: ['https://teams.microsoft.com/l/meetup-join/19%3ameeting_x%40thread.v2/0'] }), settings).kind).toBe('video');
  });
});

describe('a label is no part of a longer phrase', () => {
  it('"Candidate Phone Call between Dana and Ada" (Cal.com) is no "Candidate phone:" label of the hiring side', () => {
    const description = "What: Candidate Phone Call\nI will call you directly at the date and time you've selected.\nWhere: tel:+14155550100";
    expect(read('Candidate Phone Call between Dana Ruiz and Ada Park', description, 'tel:+14155550100')).toEqual({ kind: 'phone', direction: 'interviewer-calls', number: OWN });
  });

  it('"Candidate phone: …" in an interviewer\'s brief still names the hiring side', () => {
    const lexicon = buildLexicon();
    const [hit] = scan(readable('Candidate phone: 646-555-0101'), lexicon.byFirst);
    expect(hit?.signals).toContain('interviewerSide');
  });

  it('a "candidate PIN" for a hiring line is no conference bridge: the candidate dials the line', () => {
    const text = 'At your interview time, call our hiring line 1-877-555-0134. When prompted, enter your candidate PIN 48213.';
    expect(read('Phone interview – Lakeshore Credit Union', text)).toEqual({ kind: 'phone', direction: 'candidate-calls', number: '+18775550134' });
  });

  it('a meeting PIN next to a number still makes a bridge', () => {
    const text = 'Dial 1-877-555-0134 and enter PIN 48213#.';
    expect(read('Phone interview – Lakeshore Credit Union', text).number).not.toBe('+18775550134');
  });
});

describe('the number to dial', () => {
  it("prefers the config's number when the invitation also names another of the candidate's", () => {
    const text = "I'll call your mobile, (415) 555-0100; if you don't pick up I'll try the home number on your application, (415) 555-0197.";
    expect(read('Phone interview with Osprey Logistics', text)).toEqual({ kind: 'phone', direction: 'interviewer-calls', number: OWN });
  });

  it("keeps a number of the candidate's written alone as the one they will dial", () => {
    expect(read('Phone interview with Osprey Logistics', "We'll call your mobile at (415) 555-0197.").number).toBe('+14155550197');
  });

  it.each([
    { written: '1-855-555-01GO', number: '+18555550146' },
    { written: '1-800-FLOWERS', number: '+18003569377' },
  ])('reads the letters of $written as the keypad digits', ({ written, number }) => {
    expect(read('Phone interview – Summit Home Care', `Please call our recruiting line at ${written}.`)).toEqual({ kind: 'phone', direction: 'candidate-calls', number });
  });

  it('reads no lower-case word as keypad digits', () => {
    expect(read('Phone interview – Summit Home Care', 'Please call 415-555-call back later.').number).toBeNull();
  });

  it('reads a number spelled out digit by digit', () => {
    expect(read('Phone interview - Harbor Dental', 'Please ring me at eight five eight, five five five, zero one two nine.')).toEqual({ kind: 'phone', direction: 'candidate-calls', number: '+18585550129' });
  });

  it("reads a number in a sentence wholly in another country's language in that country, though it is also a US number", () => {
    expect(read('Συνέντευξη μέσω τηλεφώνου', 'Παρακαλούμε καλέστε μας στο 210 555 0123.').number).toBe('+302105550123');
  });

  it('keeps a number written the North American way, and the candidate\'s own, in the candidate\'s country', () => {
    expect(read('Συνέντευξη μέσω τηλεφώνου', 'Παρακαλούμε καλέστε μας στο (210) 555-0123.').number).toBe('+12105550123');
    expect(read('Τηλεφωνική συνέντευξη', 'Θα σας καλέσουμε στο 415 555 0100.').number).toBe(OWN);
  });
});

describe('look-alikes of the sixth round', () => {
  it.each([
    { title: 'SNAP phone interview', text: 'A caseworker will call you at (415) 555-0100. Have your pay stubs ready.' },
    { title: 'Interview taping – Morning Live segment', text: 'Our producer will call you at 415-555-0100 for a short pre-interview.' },
    { title: 'Entrevista telefónica – Estudio de hábitos de consumo', text: 'Una entrevistadora la llamará al +1 415 555 0100 para nuestra encuesta.' },
    { title: 'Συνέντευξη για το περιοδικό Οικονομία', text: 'Θα σας καλέσω στο +1 415 555 0100 για τη συνέντευξη.' },
    { title: 'ראיון כניסה – רשות האוכלוסין', text: 'נציג הרשות יתקשר אלייך למספר +1 415 555 0100.' },
    { title: 'Интервью для газеты «Деловой вестник»', text: 'Я позвоню вам по телефону +1 415 555 0100.' },
    { title: 'Wawancara penelitian skripsi via telepon', text: 'Saya akan menelepon Ibu ke nomor +1 415 555 0100.' },
    { title: 'Telefonos interjú – háztartási felmérés', text: 'Kérdezőbiztosunk a +1 415 555 0100 számon hívja Önt egy telefonos interjúra.' },
  ])('$title is not an interview', ({ title, text }) => {
    expect(read(title, text).kind).toBe('not-interview');
  });

  it('an interview at Snap, the company, stays an interview', () => {
    expect(read('Phone interview - Snap', "We'll call you at (415) 555-0100.").kind).toBe('phone');
  });
});

describe('"at this number" says no direction by itself', () => {
  // "Call Sam at this number" and "You will receive a call at this number" use it both ways; as a
  // candidate-calls phrase it turned the second, a common ATS wording, into "dial them".
  it.each([
    'You will receive a call at this number: +1 646 555 0199.',
    'You will receive a phone call from our recruiter at this number: (646) 555-0199',
    'Our recruiter will reach you at this number: 646-555-0199',
  ])('"%s": the interviewer calls the number written', (text) => {
    expect(read('Phone screen - Acme', text)).toEqual({ kind: 'phone', direction: 'interviewer-calls', number: '+16465550199' });
  });
});
