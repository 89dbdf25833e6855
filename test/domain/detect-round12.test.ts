/**
 * What the twelfth held-out round taught: confirmations from ATS, staffing agencies, public-sector
 * panels and career offices, and invitations in Chinese, Korean, Italian, Swedish and Polish, say
 * who calls in words detection did not read ("Harriet will telephone you on …", "asked that you call
 * their campus recruiter … at", "我們將主動致電給您", "面试官会拨打您…的手机号码", "…로 전화 주시면",
 * "la preghiamo di chiamare", "Ring växeln på"); a consultant's "If anything changes, my mobile is …"
 * is no number for the interview; an adjustments line's "contact the vacancy holder on …" is not the
 * user's number; a toll-free hiring line is a number to call, not a conference bridge; a federal
 * panel's "dial … and enter participant code" is a dial-in. Look-alikes: a call for papers on
 * telephone interview methods, an agency's call about a hiring plan on a conference line, and the
 * user's own phone screens of candidates in Swedish and Chinese. Then the old misses a name between
 * the verb and the number caused ("Call Jacob at …", "give Hemi a ring on …").
 */
import { describe, expect, it } from 'vitest';
import type { CalendarEvent, Person } from '../../src/domain/types.js';
import { invitation, OWN, readEvent, SELF, sender } from '../support/detection.js';

const RECRUITER: Person = { name: 'Morgan Hale', email: 'morgan.hale@northgate-water.example' };
const GUEST: Person = { name: 'Erik Holm', email: 'erik.holm@gmail.com' };

/** An invitation the recruiter sent, in `zone`. */
const sent = sender(RECRUITER);

/** A note the user typed in their own calendar, with the other person as a guest. */
function typed(title: string, description: string, over: Partial<CalendarEvent> = {}): CalendarEvent {
  return invitation(SELF, { title, description, attendees: [{ ...SELF, status: 'accepted' }, { ...GUEST, status: 'accepted' }], ...over });
}

describe('who calls, in the words of a confirmation', () => {
  // https://www.easywebats.com/features/self-service-interviews/ (ho12-easyweb-hm-telephones)
  it('"Harriet will telephone you on 07911 123457": they call the number written', () => {
    const event = sent('Telephone interview – Team Leader', 'Interview type: Telephone\nHarriet will telephone you on 07911 123457, the number on your application.', 'Europe/London');
    expect(readEvent(event)).toEqual({ kind: 'phone', direction: 'interviewer-calls', number: '+447911123457' });
  });

  // https://www.civil-service-careers.gov.uk/assessments-and-interviews/ (ho12-uk-civil-service-panel-calls)
  it('"The panel will telephone you …; for an adjustment contact the vacancy holder on 0306 999 0123": the user\'s own number', () => {
    const event = sent(
      'Telephone interview – Administrative Officer',
      'The panel will telephone you on the number in your account. If you need a reasonable adjustment, contact the vacancy holder on 0306 999 0123.',
      'Europe/London',
    );
    expect(readEvent(event)).toEqual({ kind: 'phone', direction: 'interviewer-calls', number: OWN });
  });

  // https://cas360.qu.edu/interviewing-being-available-and-accepting-the-interview/ (ho12-campus-student-calls-recruiter)
  it('"asked that you call their campus recruiter, Lena Ortiz, at 203-555-0184"', () => {
    const event = sent('Phone interview – Summer Analyst', 'The firm asked that you call their campus recruiter, Lena Ortiz, at 203-555-0184 at your slot.', 'America/New_York');
    expect(readEvent(event)).toEqual({ kind: 'phone', direction: 'candidate-calls', number: '+12035550184' });
  });

  // https://robinson-toms.com/?p=761 (ho12-michaelpage-call-client)
  it('"You will call their Head of Finance on 0161 496 0732 … If anything changes, my mobile is 07911 123458": the client\'s number', () => {
    const event = sent(
      'Telephone interview – Finance Manager (via agency)',
      'You will call their Head of Finance on 0161 496 0732 at 2pm.\n\nIf anything changes on the day, my mobile is 07911 123458.',
      'Europe/London',
    );
    expect(readEvent(event)).toEqual({ kind: 'phone', direction: 'candidate-calls', number: '+441614960732' });
  });
});

describe('who calls, in Chinese, Korean, Italian and Swedish', () => {
  // https://lwstw.com/gongshangxinxizixun/wm36bh8093.html (ho12-zh-tw-we-call-callback-ext)
  it('Traditional Chinese "主動致電給您", with a call-back number if the call does not come', () => {
    const event = sent('電話面試通知 – 行銷專員', '我們將於約定時間主動致電給您。\n如未接到來電，請回撥 (02) 2755-0138 分機 11。', 'Asia/Taipei');
    expect(readEvent(event)).toEqual({ kind: 'phone', direction: 'interviewer-calls', number: OWN });
  });

  // https://bjdnbx.com/bk/522510.html (ho12-zh-cn-keep-phone-on)
  it('Simplified Chinese "请保持手机畅通，面试官会拨打您的手机"', () => {
    const event = sent('电话面试安排 – 产品经理', '面试形式：电话面试\n届时请保持手机畅通，面试官会拨打您的手机。', 'Asia/Shanghai');
    expect(readEvent(event)).toEqual({ kind: 'phone', direction: 'interviewer-calls', number: OWN });
  });

  it('Simplified Chinese "请拨打 010-6555 0123" still asks the user to dial', () => {
    const event = sent('电话面试 – 产品经理', '请于面试时间拨打 010-6555 0123。', 'Asia/Shanghai');
    expect(readEvent(event)).toEqual({ kind: 'phone', direction: 'candidate-calls', number: '+861065550123' });
  });

  // https://m.jobkorea.co.kr/GoodJob/Tip/View?News_No=19651&schCtgr=120002 (ho12-ko-jeonhwa-jusimyeon)
  it('Korean "02-3456-0147로 전화 주시면"', () => {
    const event = sent('전화 면접 – 마케팅', '면접 시간에 02-3456-0147로 전화 주시면 인사팀 담당자가 받습니다.', 'Asia/Seoul');
    expect(readEvent(event)).toEqual({ kind: 'phone', direction: 'candidate-calls', number: '+82234560147' });
  });

  // https://www.informalavoro.org/colloquio-la-convocazione (ho12-it-chiami-interno)
  it('Italian "la preghiamo di chiamare l\'ufficio selezione al numero 02 5555 0173, interno 21"', () => {
    const event = sent('Colloquio telefonico – Ufficio Selezione', "Per il colloquio la preghiamo di chiamare l'ufficio selezione al numero 02 5555 0173, interno 21.", 'Europe/Rome');
    expect(readEvent(event)).toEqual({ kind: 'phone', direction: 'candidate-calls', number: '+390255550173' });
  });

  // https://rekryteraratt.se/telefonintervju.shtml (ho12-sv-ring-vaxeln)
  it('Swedish "Ring växeln på 08-123 456 78"', () => {
    const event = sent('Telefonintervju – Lagerchef', 'Ring växeln på 08-123 456 78 vid utsatt tid och be att bli kopplad till Johan.', 'Europe/Stockholm');
    expect(readEvent(event)).toEqual({ kind: 'phone', direction: 'candidate-calls', number: '+46812345678' });
  });
});

describe('a Polish "wywiad telefoniczny" is a phone interview', () => {
  // https://wumed.edu.pl/pl/biuro-karier/aktualnosci-biura-karier/tele-rekrutacja.html (ho12-pl-prosze-dzwonic-wew)
  it('"Zapraszamy na wywiad telefoniczny. Proszę zadzwonić pod numer 22 555 01 47 wew. 12"', () => {
    const event = invitation(
      { name: 'Dział HR', email: 'rekrutacja@wislanka.example' },
      { title: 'Wywiad telefoniczny – Księgowa', description: 'Zapraszamy na wywiad telefoniczny. Proszę zadzwonić pod numer 22 555 01 47 wew. 12.', timeZone: 'Europe/Warsaw' },
    );
    expect(readEvent(event)).toEqual({ kind: 'phone', direction: 'candidate-calls', number: '+48225550147' });
  });
});

describe('numbers to call that look like bridges', () => {
  // https://www.tf-usa.com/toll-free-numbers-and-hotline-numbers/ (ho12-toll-free-option)
  it('"call our toll-free recruiting line, 1-877-555-0190, and choose option 3"', () => {
    const event = sent('Phone interview – Caregiver', 'At your interview time please call our toll-free recruiting line, 1-877-555-0190, and choose option 3.');
    expect(readEvent(event)).toEqual({ kind: 'phone', direction: 'candidate-calls', number: '+18775550190' });
  });

  it('a Zoom block\'s "Dial by your location" toll-free numbers stay bridges', () => {
    const event = sent('Video interview – Caregiver', 'Join Zoom Meeting\nhttps://zoom.us/j/93312345678\n\nMeeting ID: 933 1234 5678\nDial by your location\n+1 877 555 0190 US Toll-free\n');
    expect(readEvent(event).number).not.toBe('+18775550190');
  });

  // http://www.vanitytollfreenumbers.com/blog/extensive-vanity-numbers/ (ho12-vanity-hr)
  it('"call our hiring line at 1-844-555-01HR"', () => {
    const event = sent('Phone interview – Bus Operator', 'For your phone interview, call our hiring line at 1-844-555-01HR at the scheduled time.');
    expect(readEvent(event)).toEqual({ kind: 'phone', direction: 'candidate-calls', number: '+18445550147' });
  });

  // https://gogovernment.org/application-process/interviewing-for-federal-jobs/ (ho12-usajobs-structured-bridge)
  it('"dial 1-877-555-0143 and enter participant code 559 2031#": the user dials in', () => {
    const event = sent('Structured phone interview – Program Analyst', 'Format: structured telephone interview with a panel.\nAt the scheduled time, dial 1-877-555-0143 and enter participant code 559 2031#.');
    const analysis = readEvent(event);
    expect(analysis).toEqual({ kind: 'phone', direction: 'candidate-calls', number: null });
  });
});

describe('look-alikes', () => {
  // https://port.sas.ac.uk/mod/book/view.php?id=1555&chapterid=1686 (ho12-no-cfp-phone-interview-methods)
  it('a call for papers on telephone interview methods', () => {
    const event = typed('CFP: telephone interview methods – abstract due', 'Call for papers for the survey methods panel on telephone interviews. Send the abstract to the organisers.');
    expect(readEvent(event).kind).not.toBe('phone');
  });

  it('the words of a look-alike inside an email address ("a@a.cfp", "jobs@hiring-plan.example") are no words of the event', () => {
    const event = sent('Phone screen with Morgan please write to a@a.cfp or mailto:a@a.cfp', 'Morgan will call you at 415-555-0100. Questions: jobs@hiring-plan.example');
    expect(readEvent(event)).toEqual({ kind: 'phone', direction: 'interviewer-calls', number: '+14155550100' });
  });

  it("an apostrophe or backtick inside an address (\"o'brien@…\", \"cfp.`a@…\") is part of it; one around it (\"'jobs@…'\") is not", () => {
    const event = sent("Phone screen with Morgan please write to cfp.`a.a@a.aa or cfp.'b@acme.example", "Morgan will call you at 415-555-0100. Questions: 'jobs@cfp.example' or o'brien@cfp-desk.example");
    expect(readEvent(event)).toEqual({ kind: 'phone', direction: 'interviewer-calls', number: '+14155550100' });
    const quoted = sent('CFP: phone interview methods', "Send the abstract to 'papers@acme.example'. Call for papers.");
    expect(readEvent(quoted).kind).not.toBe('phone');
  });

  // https://www.zipdx.info/when-can-i-join-my-conference-call/ (ho12-no-bridge-agency-partner)
  it("an agency's call about the user's hiring plan on a conference line", () => {
    const event = invitation(
      { name: 'Kim Ward', email: 'kim.ward@keystone-staffing.example' },
      { title: 'Agency call – Q4 hiring plan', description: 'Dial-in: 1-888-555-0119, participant code 448 2210#. Agenda: open requisitions, interview turnaround.' },
    );
    expect(readEvent(event).kind).not.toBe('phone');
  });

  // https://rekryteraratt.se/telefonintervju.shtml (ho12-no-sv-user-calls-candidate)
  it("the user's own phone interview of a candidate, in Swedish", () => {
    const event = typed('Telefonintervju med kandidat – Erik Holm', 'Jag ringer kandidaten på 070-555 01 23.', { timeZone: 'Europe/Stockholm' });
    expect(readEvent(event).kind).not.toBe('phone');
  });

  // https://www.qituowang.com/portal/25862.html (ho12-no-zh-user-calls-candidate)
  it("the user's own phone interview of a candidate, in Chinese", () => {
    const event = typed('电话面试候选人 – 李明', '我打给候选人，先核实简历。', { timeZone: 'Asia/Shanghai' });
    expect(readEvent(event).kind).not.toBe('phone');
  });
});

describe('a request to dial a person named between the verb and the number', () => {
  // https://gist.github.com/gusmcnair/b3eaac3906e946f74b4818eb18a03724 (ho9-typed-call-them)
  it('"Call Priya at 206-555-0173." typed by the user: the user dials', () => {
    const event = typed('Phone screen – Lumen (Priya)', 'Call Priya at 206-555-0173. Ask about the team.');
    expect(readEvent(event)).toEqual({ kind: 'phone', direction: 'candidate-calls', number: '+12065550173' });
  });

  // https://github.com/dmfs/opentasks/issues/411 (ho6-apple-tel-url)
  it('"Call Sam Okafor at this number when it\'s time." after a tel: link', () => {
    const event = sent('Phone screen – Birchwood Labs', "URL: tel:+16175550122\n\nCall Sam Okafor at this number when it's time.");
    expect(readEvent(event)).toEqual({ kind: 'phone', direction: 'candidate-calls', number: '+16175550122' });
  });

  // https://zemien.blogspot.com/2011/01/first-phone-interview.html (ho8-nz-give-ring)
  it('"please give Aroha a ring on 021 555 0147" in an event set in Auckland', () => {
    const event = sent('Phone interview – Payroll Officer', 'Kia ora Ada, please give Aroha a ring on 021 555 0147 at 10am for your phone interview.', 'Pacific/Auckland');
    expect(readEvent(event)).toEqual({ kind: 'phone', direction: 'candidate-calls', number: '+64215550147' });
  });

  it('"Priya will call Ada at 415-555-0100" is no request to the user: they call', () => {
    const event = sent('Phone screen – Lumen', 'Priya will call Ada at 415-555-0100 for the screen.');
    expect(readEvent(event)).toEqual({ kind: 'phone', direction: 'interviewer-calls', number: OWN });
  });

  it('"give me a ring on Tuesday" names nobody', () => {
    const event = sent('Phone interview – Lumen', 'We will call you at 415-555-0100. If the time stops working, give me a ring on Tuesday.');
    expect(readEvent(event)).toEqual({ kind: 'phone', direction: 'interviewer-calls', number: OWN });
  });
});

describe('job words the earlier rounds missed', () => {
  // https://pastebin.com/tFVjF9rY (typed-phone-call-two-names)
  it('"Intro conversation about the Data Analyst opening. Mia will call you."', () => {
    const event = invitation({ name: 'Mia Torres', email: 'mia.torres@kestrel.example' }, { title: 'Phone call: Ada Park / Mia Torres', description: 'Intro conversation about the Data Analyst opening at Kestrel. Mia will call you.' });
    expect(readEvent(event)).toEqual({ kind: 'phone', direction: 'interviewer-calls', number: OWN });
  });

  it('an intro conversation about a product is still no interview', () => {
    const event = invitation({ name: 'Sam Keller', email: 'sam.keller@vectracrm.example' }, { title: 'Phone call: Ada Park / Sam Keller', description: 'Intro conversation about our CRM plans. Sam will call you.' });
    expect(readEvent(event).kind).not.toBe('phone');
  });

  // https://www.hunzeenaas.nl/werkenbij/Paginas/Procedure.aspx (ho4-nl-je-wordt-gebeld)
  it('Dutch "je wordt gebeld door Mark van HR voor het eerste gesprek"', () => {
    const event = invitation({ name: 'Mark Visser', email: 'mark.visser@contoso.example' }, { title: 'Eerste gesprek – Contoso (telefonisch)', description: 'Je wordt gebeld door Mark van HR voor het eerste gesprek over de vacature.', timeZone: 'Europe/Amsterdam' });
    expect(readEvent(event)).toEqual({ kind: 'phone', direction: 'interviewer-calls', number: OWN });
  });

  // https://www.mulakatavi.com/Blog/interview-types-comprehensive-guide (ho12-tr-dahili-tuslayin)
  it('Turkish "Telefon görüşmesi" from "İnsan Kaynakları": "… numaralı telefonu arayıp dahili 12\'yi tuşlayınız"', () => {
    const event = invitation(
      { name: 'İnsan Kaynakları', email: 'ik@marmara-lojistik.example' },
      { title: 'Telefon görüşmesi – Satış Uzmanı', description: "Görüşme saatinde 0216 555 01 47 numaralı telefonu arayıp dahili 12'yi tuşlayınız; İK'dan Ayşe Hanım sizinle görüşecek.", timeZone: 'Europe/Istanbul' },
    );
    expect(readEvent(event)).toEqual({ kind: 'phone', direction: 'candidate-calls', number: '+902165550147' });
  });

  it("a Turkish bank's call is still no interview", () => {
    const event = invitation({ name: 'Müşteri Hizmetleri', email: 'musteri@anadolubank.example' }, { title: 'Telefon görüşmesi – kredi başvurusu', description: 'Banka temsilciniz sizi arayacaktır.', timeZone: 'Europe/Istanbul' });
    expect(readEvent(event).kind).not.toBe('phone');
  });
});
