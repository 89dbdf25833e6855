/**
 * Invitations in the languages added after the fifth held-out round (Swedish, Danish, Norwegian,
 * Finnish, Czech, Turkish, Korean, Chinese, Hindi-English), numbers written the local way and read
 * in the country of the invitation's language, the user named as the interviewer, and look-alikes
 * of that round (visa interviews, tenant screens, reference calls).
 */
import { describe, expect, it } from 'vitest';
import { analyse } from '../../src/domain/detect.js';
import { buildLexicon, readable, regionsOf, scan } from '../../src/domain/detection/words.js';
import type { CalendarEvent } from '../../src/domain/types.js';
import { detectSettings as settings, invitation, OWN, readEvent } from '../support/detection.js';

function event(over: Partial<CalendarEvent>): CalendarEvent {
  return invitation({ name: 'Karin Lind', email: 'karin@fabrikam.example' }, { timeZone: 'Europe/Stockholm', ...over });
}

function read(title: string, description: string): { kind: string; direction: string | null; number: string | null } {
  return readEvent(event({ title, description }));
}

describe('invitations in the languages of the fifth round', () => {
  it.each([
    { lang: 'sv', title: 'Telefonintervju – Ekonomiassistent', text: 'Hej Ada! Jag ringer dig på +1 415 555 0100 på utsatt tid.', direction: 'interviewer-calls', number: OWN },
    { lang: 'sv', title: 'Telefonintervju Contoso', text: 'Ring mig på 070-174 06 52 när det är dags.', direction: 'candidate-calls', number: '+46701740652' },
    { lang: 'da', title: 'Telefoninterview – Salgskonsulent', text: 'Vi ringer dig op til det aftalte tidspunkt.', direction: 'interviewer-calls', number: OWN },
    { lang: 'da', title: 'Telefonisk jobsamtale', text: 'Du bedes ringe til Lars på tlf. 55 50 01 42.', direction: 'candidate-calls', number: '+4555500142' },
    { lang: 'nb', title: 'Telefonintervju – Woodgrove', text: 'Vi ringer deg på mobilen til avtalt tid.', direction: 'interviewer-calls', number: OWN },
    { lang: 'nb', title: 'Første intervju (telefon)', text: 'Kan du ringe meg på 922 55 014 til avtalt tid?', direction: 'candidate-calls', number: '+4792255014' },
    { lang: 'fi', title: 'Puhelinhaastattelu – Asiakaspalvelija', text: 'Soitamme sinulle sovittuna aikana.', direction: 'interviewer-calls', number: OWN },
    { lang: 'fi', title: 'Puhelinhaastattelu', text: 'Soita minulle sovittuun aikaan numeroon 040 555 0142.', direction: 'candidate-calls', number: '+358405550142' },
    { lang: 'cs', title: 'Telefonický pohovor – Fabrikam', text: 'Ve sjednaný čas Vám zavoláme.', direction: 'interviewer-calls', number: OWN },
    { lang: 'cs', title: 'Telefonický pohovor', text: 'Prosím zavolejte na číslo 222 555 014.', direction: 'candidate-calls', number: '+420222555014' },
    { lang: 'tr', title: 'Telefon Mülakatı', text: 'Belirlenen saatte sizi arayacağız.', direction: 'interviewer-calls', number: OWN },
    { lang: 'tr', title: 'Telefon görüşmesi', text: 'İlk mülakatımızı telefonda yapacağız: lütfen 0212 555 01 42 numaralı telefondan beni arayınız.\nElif Yılmaz, İK Uzmanı', direction: 'candidate-calls', number: '+902125550142' },
    { lang: 'ko', title: '[파브리컴] 전화 면접 안내', text: '예정된 시간에 담당자가 전화드리겠습니다.', direction: 'interviewer-calls', number: OWN },
    { lang: 'ko', title: '1차 전화 면접 안내', text: '면접 시간에 아래 번호로 전화 주시기 바랍니다.\n채용 담당 직통: 02-555-0142', direction: 'candidate-calls', number: '+8225550142' },
    { lang: 'zh', title: '电话面试通知', text: '我们将在约定时间致电您的手机。', direction: 'interviewer-calls', number: OWN },
    { lang: 'zh', title: '电话面试', text: '请于面试时间拨打 010-5555 0142 联系招聘负责人。', direction: 'candidate-calls', number: '+861055550142' },
    { lang: 'hi', title: 'Telephonic interview - Initech', text: 'HR team aapko call karegi.', direction: 'interviewer-calls', number: OWN },
    { lang: 'hi', title: 'Telephonic round - Globex', text: 'Interview time par mujhe 98205 50142 par call kijiye.', direction: 'candidate-calls', number: '+919820550142' },
  ])('$lang: "$text" is a phone interview, $direction $number', ({ title, text, direction, number }) => {
    expect(read(title, text)).toEqual({ kind: 'phone', direction, number });
  });
});

describe('numbers written the local way', () => {
  it("reads one that is no number of the candidate's country in the country of the line's language", () => {
    expect(read('Telefonintervju', 'Ring mig på 08-465 004 27.').number).toBe('+46846500427');
  });

  it("keeps a number valid in the candidate's own country there, whatever the language", () => {
    expect(read('Telefonintervju', 'Ring mig på (206) 555-0173.').number).toBe('+12065550173');
  });

  it("guesses no country from English words: a number they leave is read in the country of the event's own zone", () => {
    // English names no country; the event here is set in Europe/Stockholm, the interviewer's zone, not the candidate's.
    expect(read('Phone interview - Contoso', 'Please call me at 070-174 06 52.')).toEqual({ kind: 'phone', direction: 'candidate-calls', number: '+46701740652' });
  });

  it("lists the countries of the languages of the words, the most frequent language first, English naming none", () => {
    const lexicon = buildLexicon();
    expect(regionsOf(scan(readable('ring mig på, telefonintervju'), lexicon.byFirst), lexicon).slice(0, 1)).toEqual(['SE']);
    expect(regionsOf(scan(readable('请拨打'), lexicon.byFirst), lexicon)).toEqual(['CN', 'TW', 'HK']);
    expect(regionsOf(scan(readable('please call me'), lexicon.byFirst), lexicon)).toEqual([]);
  });
});

describe('Turkish capitals', () => {
  it('reads "İ" as the "i" a person typed, so that "İK Uzmanı" is the phrase "ik uzmanı"', () => {
    expect(readable('İK Uzmanı')).toBe('ik uzmanı');
  });
});

describe('the user named as the interviewer', () => {
  const workday = (interviewers: string): string =>
    ['Candidate: Jordan Miles', 'Interview: Manager Phone Screen', `Interviewers: ${interviewers}`, 'Please call the candidate at (312) 555-0190.'].join('\n');

  it('"Interviewers: Ada Park" is the hiring side: not an interview of the user', () => {
    const analysis = analyse(event({ title: 'Interview: Jordan Miles - Payroll Analyst', description: workday('Ada Park'), organizer: { name: 'Recruiting', email: 'recruiting@woodgrove.example' } }), settings);
    expect(analysis.kind).toBe('not-interview');
    expect(analysis.evidence.some((e) => e.signal === 'interviewerSide' && e.text.includes('you interview someone'))).toBe(true);
  });

  it('"Candidate: Ada Park, Interviewers: Sam Lee" stays the user\'s phone interview', () => {
    const description = ['Candidate: Ada Park', 'Interview: Recruiter Phone Screen', 'Interviewers: Sam Lee', 'Sam will call you at (415) 555-0100.'].join('\n');
    expect(read('Interview: Recruiter Phone Screen - Woodgrove', description)).toEqual({ kind: 'phone', direction: 'interviewer-calls', number: OWN });
  });
});

describe('look-alikes of the fifth round', () => {
  it.each([
    { title: 'Visa interview - U.S. Consulate General', text: 'Your visa interview appointment is confirmed. For questions call +1 202-555-0132.' },
    { title: 'Phone screen with landlord - 2BR on Elm St', text: "Before a showing I do a short phone interview with every applicant: I'll call you at 415-555-0100 to ask about your move-in date and rental history." },
    { title: 'Reference call re Sam Lee - Contoso HR', text: "Sam listed you as a referee for our Senior Engineer role. I'll call you at 415-555-0100." },
    { title: 'Telefonkonsultation – Lægehuset', text: 'Lægen ringer dig op inden for det valgte tidsrum.' },
    { title: '客服电话回访预约', text: '我们将在预约时间致电回访您的售后问题。' },
  ])('$title is not an interview', ({ title, text }) => {
    expect(read(title, text).kind).toBe('not-interview');
  });

  it('a phone interview for a job at an embassy is still one: only a visa interview is left out', () => {
    expect(read('Phone interview - Administrative Assistant, U.S. Embassy', "We'll call you at (415) 555-0100.").kind).toBe('phone');
  });

  it('"기술 지원 전화" (a support call) names no job in Korean', () => {
    expect(read('기술 지원 전화', '상담사가 전화드리겠습니다.').kind).toBe('not-interview');
  });
});
