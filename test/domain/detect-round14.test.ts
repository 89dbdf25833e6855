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

/** Invitations in a language, from the recruiter, in the event's own zone: what detection reads. */
const LANGUAGE_CASES = [
  // https://www.kalibrr.com/advice/2016/02/6-ways-to-up-your-phone-interview-game (ho14-tl-bpo)
  { name: 'Tagalog "Tatawagan ka namin"; "Customer Service Representative" is a job', title: 'Panayam sa telepono – Customer Service Representative', text: 'Salamat sa iyong aplikasyon. Tatawagan ka namin sa oras na nakasaad.', zone: 'Asia/Manila', direction: 'interviewer-calls', number: OWN },
  // https://www.jamiiforums.com/threads/ajira-mhe-rais-magufuli-tunaomba-interview-sahili-zote-zifanyikie-dodoma.1245360/ (ho14-sw-usaili)
  { name: 'Swahili "Usaili kwa simu … Tutakupigia simu kwenye namba yako"', title: 'Usaili kwa simu – Mhasibu', text: 'Tutakupigia simu kwenye namba yako saa iliyopangwa.', zone: 'Africa/Nairobi', direction: 'interviewer-calls', number: OWN },
  // https://posao.hr/clanci/karijera/na-radnom-mjestu/6-savjeta-kako-voditi-intervju-za-posao/4224 (ho14-hr-nazovite)
  { name: 'Croatian "molimo nazovite … na broj 01 555 0188": a Zagreb number', title: 'Telefonski intervju – Referent nabave', text: 'U dogovoreno vrijeme molimo nazovite gospodina Babića na broj 01 555 0188.', zone: 'Europe/Zagreb', direction: 'candidate-calls', number: '+38515550188' },
  { name: 'Croatian "Telefonski razgovor za posao": "telefonski razgovor" does not hide "za posao"', title: 'Telefonski razgovor za posao – Voditelj skladišta', text: 'Molimo nazovite gđu Horvat na broj 01 555 0188.', zone: 'Europe/Zagreb', direction: 'candidate-calls', number: '+38515550188' },
  // http://www.jobtiger.bg/statia/top-10-saveta-pri-telefonno-intervyu-245-2?ln=2 (ho14-bg-intervyu)
  { name: 'Bulgarian "Телефонно интервю … Ще ви се обадим"', title: 'Телефонно интервю – Маркетинг специалист', text: 'Ще ви се обадим в уговорения час.', zone: 'Europe/Sofia', direction: 'interviewer-calls', number: OWN },
  { name: 'Bulgarian "моля, обадете се на 02 555 0188": a Sofia number', title: 'Телефонно интервю – Счетоводител', text: 'В уговорения час, моля, обадете се на 02 555 0188.', zone: 'Europe/Sofia', direction: 'candidate-calls', number: '+35925550188' },
  // https://kanglaonline.in/2016/05/telephonic-interview-for-jobs/ (ho14-hi-telephonic)
  { name: 'Hindi in Devanagari "फ़ोन इंटरव्यू … आपको … कॉल करेगी"', title: 'फ़ोन इंटरव्यू – अकाउंटेंट', text: 'हमारी टीम आपको तय समय पर कॉल करेगी।', zone: 'Asia/Kolkata', direction: 'interviewer-calls', number: OWN },
  // https://donyayekar.ir/blog-post/ on phone interviews (ho14-fa-mosahebe)
  { name: 'Persian "مصاحبه تلفنی … با شما تماس خواهیم گرفت"', title: 'مصاحبه تلفنی – حسابدار', text: 'در زمان مقرر با شما تماس خواهیم گرفت.', zone: 'Asia/Tehran', direction: 'interviewer-calls', number: OWN },
  // https://karjera.lt/kaip-sekmingai-pasirodyti-darbo-pokalbyje (ho14-lt-paskambinkite)
  { name: 'Lithuanian "Pokalbis telefonu … Prašome paskambinti numeriu +370 5 255 0188"', title: 'Pokalbis telefonu – Vadybininkas', text: 'Nurodytu laiku prašome paskambinti numeriu +370 5 255 0188.', zone: 'Europe/Vilnius', direction: 'candidate-calls', number: '+37052550188' },
  // https://www.visidarbi.lv/blogs/padomi-darba-mekletajiem/ka-sagatavoties-telefonintervijai (ho14-lv-telefonintervija)
  { name: 'Latvian "Telefonintervija … Mēs jums piezvanīsim"', title: 'Telefonintervija – Grāmatvedis', text: 'Mēs jums piezvanīsim norunātajā laikā.', zone: 'Europe/Riga', direction: 'interviewer-calls', number: OWN },
  // ho14-af-bel: a South African number written the local way
  { name: 'Afrikaans "Skakel asseblief vir me. Venter by 012 555 0188": a Pretoria number', title: 'Telefoniese onderhoud – Verkoopsbestuurder', text: 'Skakel asseblief vir me. Venter by 012 555 0188 vir u aansoek.', zone: 'Africa/Johannesburg', direction: 'candidate-calls', number: '+27125550188' },
  // https://www.lectiva.com/noticias/lb-empleo-ca_entrevista_telefono.htm (ho14-ca-trucarem)
  { name: 'Catalan "Entrevista telefònica … Et trucarem"', title: 'Entrevista telefònica – Comptable', text: "Gràcies per la teva candidatura. Et trucarem a l'hora acordada.", zone: 'Europe/Madrid', direction: 'interviewer-calls', number: OWN },
  { name: 'Catalan "truqueu a la Laia al 935 550 188": a Barcelona number', title: 'Entrevista telefònica – Comptable', text: "A l'hora acordada, truqueu a la Laia al 935 550 188.", zone: 'Europe/Madrid', direction: 'candidate-calls', number: '+34935550188' },
];

describe('languages: a phone interview and who dials', () => {
  it.each(LANGUAGE_CASES)('$name', ({ title, text, zone, direction, number }) => {
    expect(readEvent(sent(title, text, zone))).toEqual({ kind: 'phone', direction, number });
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

const NO_JOB_CASES = [
  // https://www.nj.gov/labor/myunemployment/before/about/howtoapply/appointments_ol.shtml (ho14-not-ui-factfinding)
  { name: "an unemployment claim's fact-finding phone interview", title: 'Fact-finding phone interview – unemployment claim', text: 'A claims examiner will call you at 415-555-0100 about your separation from your last employer.' },
  // https://www.rcjfs.net/get-help/how-to-apply (ho14-not-medicaid)
  { name: "a Medicaid caseworker's phone interview about the user's application", title: 'Medicaid renewal – phone interview', text: 'Your caseworker will call you about your application. Have your case number ready.' },
  // https://legalclarity.org/why-do-i-have-a-phone-interview-for-unemployment (ho14-not-loan-interview)
  { name: "a loan officer's phone interview about the user's employment and income", title: 'Loan application – phone interview', text: 'Your loan officer will call you at 415-555-0100 to go over your application, your employment and your income.' },
  // https://help.pinpoint.support/en/articles/5609558-what-are-the-options-for-scheduling-interviews-with-candidates (ho14-not-ats-discovery)
  { name: "a recruiting software vendor's discovery call", title: 'Discovery call – Cedarworks recruiting', text: "I'll call you at 415-555-0100 to hear how your team schedules interviews today." },
];

describe('look-alikes: a phone interview with no job to get', () => {
  it.each(NO_JOB_CASES)('$name', ({ title, text }) => {
    expect(readEvent(sent(title, text)).kind).toBe('not-interview');
  });

  it('a phone interview for a loan officer role still is one', () => {
    expect(readEvent(sent('Phone interview – Loan Officer role', 'We will call you at 415-555-0100 about the position.'))).toEqual({ kind: 'phone', direction: 'interviewer-calls', number: OWN });
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
