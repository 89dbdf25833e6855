/**
 * What the fourteenth held-out round taught: phone interviews written in Tagalog, Swahili, Croatian,
 * Bulgarian, Hindi in Devanagari, Persian, Lithuanian, Latvian, Afrikaans and Catalan, with who
 * dials and numbers written the local way; Zoom's own "… is inviting you to a scheduled Zoom meeting"
 * is the provider's text, not a person's word for video; an ATS form's "Contact phone:" is the
 * employer's number; and look-alikes that speak of a "phone interview" or a "phone screen" without a
 * job to get: an unemployment claim's fact-finding call, a Medicaid caseworker, a loan officer, a
 * vendor's discovery call, and the user as the interviewer ("You've been added as an interviewer",
 * "you're screening Priya", a Hindi note about a candidate).
 */
import { describe, expect, it } from 'vitest';
import type { Person } from '../../src/domain/types.js';
import { invitation, OWN, readEvent, SELF, sender } from '../support/detection.js';

const RECRUITER: Person = { name: 'Noor Haddad', email: 'noor.haddad@cedarworks.example' };
const sent = sender(RECRUITER);

describe('languages: a phone interview and who dials', () => {
  // https://www.kalibrr.com/advice/2016/02/6-ways-to-up-your-phone-interview-game (ho14-tl-bpo)
  it('Tagalog "Panayam sa telepono – Customer Service Representative … Tatawagan ka namin"', () => {
    const event = sent('Panayam sa telepono – Customer Service Representative', 'Salamat sa iyong aplikasyon. Tatawagan ka namin sa oras na nakasaad.', 'Asia/Manila');
    expect(readEvent(event)).toEqual({ kind: 'phone', direction: 'interviewer-calls', number: OWN });
  });

  // https://www.jamiiforums.com/threads/ajira-mhe-rais-magufuli-tunaomba-interview-sahili-zote-zifanyikie-dodoma.1245360/ (ho14-sw-usaili)
  it('Swahili "Usaili kwa simu … Tutakupigia simu kwenye namba yako"', () => {
    const event = sent('Usaili kwa simu – Mhasibu', 'Tutakupigia simu kwenye namba yako saa iliyopangwa.', 'Africa/Nairobi');
    expect(readEvent(event)).toEqual({ kind: 'phone', direction: 'interviewer-calls', number: OWN });
  });

  // https://posao.hr/clanci/karijera/na-radnom-mjestu/6-savjeta-kako-voditi-intervju-za-posao/4224 (ho14-hr-nazovite)
  it('Croatian "Telefonski intervju … molimo nazovite … na broj 01 555 0188": a Zagreb number', () => {
    const event = sent('Telefonski intervju – Referent nabave', 'U dogovoreno vrijeme molimo nazovite gospodina Babića na broj 01 555 0188.', 'Europe/Zagreb');
    expect(readEvent(event)).toEqual({ kind: 'phone', direction: 'candidate-calls', number: '+38515550188' });
  });

  it('Croatian "Telefonski razgovor za posao – …": "telefonski razgovor" does not hide "za posao"', () => {
    const event = sent('Telefonski razgovor za posao – Voditelj skladišta', 'Molimo nazovite gđu Horvat na broj 01 555 0188.', 'Europe/Zagreb');
    expect(readEvent(event)).toEqual({ kind: 'phone', direction: 'candidate-calls', number: '+38515550188' });
  });

  // http://www.jobtiger.bg/statia/top-10-saveta-pri-telefonno-intervyu-245-2?ln=2 (ho14-bg-intervyu)
  it('Bulgarian "Телефонно интервю … Ще ви се обадим"', () => {
    const event = sent('Телефонно интервю – Маркетинг специалист', 'Ще ви се обадим в уговорения час.', 'Europe/Sofia');
    expect(readEvent(event)).toEqual({ kind: 'phone', direction: 'interviewer-calls', number: OWN });
  });

  it('Bulgarian "моля, обадете се на 02 555 0188": a Sofia number', () => {
    const event = sent('Телефонно интервю – Счетоводител', 'В уговорения час, моля, обадете се на 02 555 0188.', 'Europe/Sofia');
    expect(readEvent(event)).toEqual({ kind: 'phone', direction: 'candidate-calls', number: '+35925550188' });
  });

  // https://kanglaonline.in/2016/05/telephonic-interview-for-jobs/ (ho14-hi-telephonic)
  it('Hindi in Devanagari "फ़ोन इंटरव्यू … आपको … कॉल करेगी"', () => {
    const event = sent('फ़ोन इंटरव्यू – अकाउंटेंट', 'हमारी टीम आपको तय समय पर कॉल करेगी।', 'Asia/Kolkata');
    expect(readEvent(event)).toEqual({ kind: 'phone', direction: 'interviewer-calls', number: OWN });
  });

  // http://donyayekar.ir/blog-post/ on phone interviews (ho14-fa-mosahebe)
  it('Persian "مصاحبه تلفنی … با شما تماس خواهیم گرفت"', () => {
    const event = sent('مصاحبه تلفنی – حسابدار', 'در زمان مقرر با شما تماس خواهیم گرفت.', 'Asia/Tehran');
    expect(readEvent(event)).toEqual({ kind: 'phone', direction: 'interviewer-calls', number: OWN });
  });

  // https://karjera.lt/kaip-sekmingai-pasirodyti-darbo-pokalbyje (ho14-lt-paskambinkite)
  it('Lithuanian "Pokalbis telefonu … Prašome paskambinti numeriu +370 5 255 0188"', () => {
    const event = sent('Pokalbis telefonu – Vadybininkas', 'Nurodytu laiku prašome paskambinti numeriu +370 5 255 0188.', 'Europe/Vilnius');
    expect(readEvent(event)).toEqual({ kind: 'phone', direction: 'candidate-calls', number: '+37052550188' });
  });

  // https://www.visidarbi.lv/blogs/padomi-darba-mekletajiem/ka-sagatavoties-telefonintervijai (ho14-lv-telefonintervija)
  it('Latvian "Telefonintervija … Mēs jums piezvanīsim"', () => {
    const event = sent('Telefonintervija – Grāmatvedis', 'Mēs jums piezvanīsim norunātajā laikā.', 'Europe/Riga');
    expect(readEvent(event)).toEqual({ kind: 'phone', direction: 'interviewer-calls', number: OWN });
  });

  // ho14-af-bel: a South African number written the local way
  it('Afrikaans "Telefoniese onderhoud … Skakel asseblief vir me. Venter by 012 555 0188"', () => {
    const event = sent('Telefoniese onderhoud – Verkoopsbestuurder', 'Skakel asseblief vir me. Venter by 012 555 0188 vir u aansoek.', 'Africa/Johannesburg');
    expect(readEvent(event)).toEqual({ kind: 'phone', direction: 'candidate-calls', number: '+27125550188' });
  });

  // https://www.lectiva.com/noticias/lb-empleo-ca_entrevista_telefono.htm (ho14-ca-trucarem)
  it('Catalan "Entrevista telefònica … Et trucarem"', () => {
    const event = sent('Entrevista telefònica – Comptable', "Gràcies per la teva candidatura. Et trucarem a l'hora acordada.", 'Europe/Madrid');
    expect(readEvent(event)).toEqual({ kind: 'phone', direction: 'interviewer-calls', number: OWN });
  });

  it('Catalan "Truqueu a la Laia al 935 550 188": the candidate dials a Barcelona number', () => {
    const event = sent('Entrevista telefònica – Comptable', "A l'hora acordada, truqueu a la Laia al 935 550 188.", 'Europe/Madrid');
    expect(readEvent(event)).toEqual({ kind: 'phone', direction: 'candidate-calls', number: '+34935550188' });
  });
});

/** Zoom's invitation as Zoom writes it, with its own first line. */
const ZOOM = [
  'Kestrel Analytics is inviting you to a scheduled Zoom meeting.',
  '',
  'Join Zoom Meeting',
  'https://zoom.us/j/95510348821?pwd=cmluZ2JhY2tleGFtcGxl',
  '',
  'Meeting ID: 955 1034 8821',
  'Passcode: 518204',
  '',
  'Dial by your location',
  '• +1 646 555 0193 US (New York)',
].join('\n');

describe("a provider's joining block", () => {
  // https://github.com/jskinnercbs/slacktest (ho14-zoom-audio-only)
  it('"… is inviting you to a scheduled Zoom meeting" is Zoom\'s, not a person\'s word for video: a phone interview held on Zoom audio', () => {
    const event = sent('Phone interview (Zoom audio)', `We'll keep this to audio: please dial in from your phone using one of the numbers below.\n\n${ZOOM}`);
    expect(readEvent(event)).toEqual({ kind: 'phone', direction: 'candidate-calls', number: null });
  });

  it('a video interview on the same Zoom invitation stays a video interview', () => {
    const event = sent('Interview – Data Engineer', `Looking forward to seeing you on video.\n\n${ZOOM}`);
    expect(readEvent(event).kind).toBe('video');
  });
});

describe('ATS forms', () => {
  // https://support.heartlandhelpcenter.com/hc/en-us/articles/14346307705997-Schedule-an-Interview (ho14-heartland-method-phone)
  it('"Contact phone: (619) 555-0199" on an ATS form is the employer\'s: the candidate calls it', () => {
    const event = sent('Interview Request – Barista', 'Interview method: Phone\nContact phone: (619) 555-0199\n\nCall the café at the number above at your interview time.');
    expect(readEvent(event)).toEqual({ kind: 'phone', direction: 'candidate-calls', number: '+16195550199' });
  });

  it('"Contact phone:" with the candidate\'s own number stays theirs to be called on', () => {
    const event = sent('Phone interview – Barista', 'Contact phone: (415) 555-0100\nWe will call you at the time above.');
    expect(readEvent(event)).toEqual({ kind: 'phone', direction: 'interviewer-calls', number: OWN });
  });
});

describe('look-alikes: a phone interview with no job to get', () => {
  // https://www.nj.gov/labor/myunemployment/before/about/howtoapply/appointments_ol.shtml (ho14-not-ui-factfinding)
  it("an unemployment claim's fact-finding phone interview", () => {
    const event = sent('Fact-finding phone interview – unemployment claim', 'A claims examiner will call you at 415-555-0100 about your separation from your last employer.');
    expect(readEvent(event).kind).toBe('not-interview');
  });

  // https://www.rcjfs.net/get-help/how-to-apply (ho14-not-medicaid)
  it("a Medicaid caseworker's phone interview about the user's application", () => {
    const event = sent('Medicaid renewal – phone interview', 'Your caseworker will call you about your application. Have your case number ready.');
    expect(readEvent(event).kind).toBe('not-interview');
  });

  // https://legalclarity.org/why-do-i-have-a-phone-interview-for-unemployment (ho14-not-loan-interview)
  it("a loan officer's phone interview about the user's employment and income", () => {
    const event = sent('Loan application – phone interview', 'Your loan officer will call you at 415-555-0100 to go over your application, your employment and your income.');
    expect(readEvent(event).kind).toBe('not-interview');
  });

  // https://help.pinpoint.support/en/articles/5609558-what-are-the-options-for-scheduling-interviews-with-candidates (ho14-not-ats-discovery)
  it("a recruiting software vendor's discovery call", () => {
    const event = sent('Discovery call – Cedarworks recruiting', "I'll call you at 415-555-0100 to hear how your team schedules interviews today.");
    expect(readEvent(event).kind).toBe('not-interview');
  });
});

describe('look-alikes: the user interviews someone', () => {
  // https://support.recruitee.com/en/articles/1066262-schedule-events-with-candidates-and-team-members (ho14-not-recruitee-interviewer)
  it('"You\'ve been added as an interviewer" for a phone interview', () => {
    const event = sent('Phone interview with Marco Silva – Junior Designer', "You've been added as an interviewer.\nType: Phone interview\nCandidate: Marco Silva\nPlease fill in the evaluation form afterwards.");
    expect(readEvent(event).kind).toBe('not-interview');
  });

  // ho14-not-teams-user-screens
  it('"you\'re screening Priya" on a phone screen the coordinator booked', () => {
    const event = sent('Phone screen: Priya Shah – Senior Accountant', "Ada – you're screening Priya for the Senior Accountant req. She will dial in by phone.");
    expect(readEvent(event).kind).toBe('not-interview');
  });

  // ho14-not-hi-user-screens
  it('a Hindi note: the telephonic interview of a candidate for the user\'s opening', () => {
    const event = invitation(SELF, {
      title: 'उम्मीदवार राहुल वर्मा का टेलीफोनिक इंटरव्यू',
      description: 'मुझे राहुल को कॉल करना है – सेल्स एग्जीक्यूटिव पद के उम्मीदवार। उनका रिज़्यूमे देख लेना।',
      timeZone: 'Asia/Kolkata',
      attendees: [{ name: 'Rahul Verma', email: 'rahul.verma.91@gmail.com', status: 'accepted' }, { ...SELF, status: 'accepted' }],
    });
    expect(readEvent(event).kind).toBe('not-interview');
  });
});
