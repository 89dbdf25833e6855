/**
 * What the fifteenth held-out round taught: phone interviews written in Icelandic, Estonian,
 * Slovenian, Serbian (Cyrillic), Bengali, Welsh, Basque, Georgian, Telugu and Marathi, with who dials
 * and numbers written the local way; an automated voice screen with no person on the line is no
 * phone interview (the confirmation, the "you did not call" note and the thank-you go to a person),
 * though a phone interview with a person booked after one is; and look-alikes that speak of a
 * "phone interview" with no job to get: a school's parent interview and a hospice's volunteer
 * interview.
 */
import { describe, expect, it } from 'vitest';
import type { Person } from '../../src/domain/types.js';
import { OWN, readEvent, sender } from '../support/detection.js';

const RECRUITER: Person = { name: 'Noor Haddad', email: 'noor.haddad@cedarworks.example' };
const sent = sender(RECRUITER);

/** Invitations in a language, from the recruiter, in the event's own zone: what detection reads. */
const LANGUAGE_CASES = [
  // https://www.hagvangur.is/hagvangur/radningar/atvinnuleit/god-rad/starfsvidtal/ (ho15-is-simavidtal)
  { name: 'Icelandic "Símaviðtal … hringdu í mig í síma 555 1234": a Reykjavík number', title: 'Símaviðtal – bókari', text: 'Takk fyrir umsóknina. Vinsamlegast hringdu í mig í síma 555 1234 á umsömdum tíma.', zone: 'Atlantic/Reykjavik', direction: 'candidate-calls', number: '+3545551234' },
  { name: 'Icelandic "Starfsviðtal í síma … Við hringjum í þig"', title: 'Starfsviðtal í síma – sölufulltrúi', text: 'Við hringjum í þig á umsömdum tíma vegna starfsins.', zone: 'Atlantic/Reykjavik', direction: 'interviewer-calls', number: OWN },
  // https://et.motonoticias.com/phone-interview-tips-that-will-help-you-get-hired-78702 (ho15-et-telefoniintervjuu)
  { name: 'Estonian "Telefoniintervjuu … Helistame teile"', title: 'Telefoniintervjuu – raamatupidaja', text: 'Aitäh kandideerimast! Helistame teile kokkulepitud ajal.', zone: 'Europe/Tallinn', direction: 'interviewer-calls', number: OWN },
  { name: 'Estonian "palun helistage numbrile 5555 0123": a mobile written the local way', title: 'Telefoniintervjuu – müügijuht', text: 'Kokkulepitud ajal palun helistage numbrile 5555 0123.', zone: 'Europe/Tallinn', direction: 'candidate-calls', number: '+37255550123' },
  // https://sl.wikipedia.org/wiki/Zaposlitveni_razgovor (ho15-sl-telefonski)
  { name: 'Slovenian "Zaposlitveni razgovor … pokličite nas na 01 555 01 23": a Ljubljana number', title: 'Zaposlitveni razgovor – računovodja', text: 'Ob dogovorjenem terminu nas prosim pokličite na 01 555 01 23.', zone: 'Europe/Ljubljana', direction: 'candidate-calls', number: '+38615550123' },
  { name: 'Slovenian "Zaposlitveni razgovor po telefonu … poklicali vas bomo"', title: 'Zaposlitveni razgovor po telefonu', text: 'Hvala za vašo prijavo. Poklicali vas bomo ob dogovorjeni uri.', zone: 'Europe/Ljubljana', direction: 'interviewer-calls', number: OWN },
  // https://sajam.link2job.eu/2017/03/24/intervju-za-posao/ (ho15-sr-telefonski)
  { name: 'Serbian (Cyrillic) "Телефонски разговор за посао … Позваћемо вас"', title: 'Телефонски разговор за посао – инжењер продаје', text: 'Хвала на пријави. Позваћемо вас у договорено време.', zone: 'Europe/Belgrade', direction: 'interviewer-calls', number: OWN },
  { name: 'Serbian (Cyrillic) "позовите нас на 011 555 0123": a Belgrade number', title: 'Телефонски интервју – рачуновођа', text: 'У договорено време позовите нас на 011 555 0123.', zone: 'Europe/Belgrade', direction: 'candidate-calls', number: '+381115550123' },
  // https://www.kalerkantho.com/print-edition/chakriache/2020/03/28/891402 (ho15-bn-phone-interview)
  { name: 'Bengali "ফোন ইন্টারভিউ … আপনাকে ফোন করবে"', title: 'ফোন ইন্টারভিউ – হিসাবরক্ষক', text: 'নির্ধারিত সময়ে আমাদের এইচআর টিম আপনাকে ফোন করবে।', zone: 'Asia/Dhaka', direction: 'interviewer-calls', number: OWN },
  { name: 'Bengali "01712-555012 নম্বরে ফোন করুন": a Bangladeshi mobile', title: 'ফোন ইন্টারভিউ – বিক্রয় কর্মকর্তা', text: 'নির্ধারিত সময়ে অনুগ্রহ করে 01712-555012 নম্বরে ফোন করুন।', zone: 'Asia/Dhaka', direction: 'candidate-calls', number: '+8801712555012' },
  // https://gyrfacymru.llyw.cymru/fy-nyfodol/chwilio-am-waith/paratoi-ar-gyfer-cyfweliad/beth-yw-cyfweliad (ho15-cy-cyfweliad-ffon)
  { name: 'Welsh "Cyfweliad ffôn … Byddwn yn eich ffonio chi"', title: 'Cyfweliad ffôn – Cynorthwyydd Gweinyddol', text: 'Diolch am eich cais. Byddwn yn eich ffonio chi ar yr amser uchod.', zone: 'Europe/London', direction: 'interviewer-calls', number: OWN },
  { name: 'Welsh "ffoniwch fi ar 029 2018 0123": a Cardiff number', title: 'Cyfweliad ffôn – Swyddog Marchnata', text: 'Ar yr amser uchod, ffoniwch fi ar 029 2018 0123.', zone: 'Europe/London', direction: 'candidate-calls', number: '+442920180123' },
  // https://eu.wikipedia.org/wiki/Lan-elkarrizketa (ho15-eu-telefono-elkarrizketa)
  { name: 'Basque "Telefono bidezko elkarrizketa … deitu iezadazu 943 555 012 zenbakira": a Donostia number', title: 'Telefono bidezko elkarrizketa – administraria', text: 'Adostutako orduan deitu iezadazu 943 555 012 zenbakira, mesedez.', zone: 'Europe/Madrid', direction: 'candidate-calls', number: '+34943555012' },
  { name: 'Basque "Lan-elkarrizketa telefonoz … deituko dizugu"', title: 'Lan-elkarrizketa telefonoz – sukaldaria', text: 'Eskerrik asko zure eskaerarengatik. Adostutako orduan deituko dizugu.', zone: 'Europe/Madrid', direction: 'interviewer-calls', number: OWN },
  // https://www.ice.ge/web/127/__2.html (ho15-ka-gasaubreba)
  { name: 'Georgian "სატელეფონო გასაუბრება … დაგირეკავთ"', title: 'სატელეფონო გასაუბრება – ბუღალტერი', text: 'გმადლობთ განაცხადისთვის. დათქმულ დროს დაგირეკავთ.', zone: 'Asia/Tbilisi', direction: 'interviewer-calls', number: OWN },
  { name: 'Georgian "დაგვირეკეთ ნომერზე 555 12 34 56": a Georgian mobile', title: 'სატელეფონო გასაუბრება – მენეჯერი', text: 'დათქმულ დროს დაგვირეკეთ ნომერზე 555 12 34 56.', zone: 'Asia/Tbilisi', direction: 'candidate-calls', number: '+995555123456' },
  // https://mictv.in/if-telephonic-interview-is-there-please-follow-tips-get-succeed (ho15-te-telephonic)
  { name: 'Telugu "టెలిఫోనిక్ ఇంటర్వ్యూ … మీకు కాల్ చేస్తారు"', title: 'టెలిఫోనిక్ ఇంటర్వ్యూ – అకౌంటెంట్', text: 'నిర్ణయించిన సమయానికి మా HR మీకు కాల్ చేస్తారు.', zone: 'Asia/Kolkata', direction: 'interviewer-calls', number: OWN },
  { name: 'Telugu "040 4555 0123 నంబర్‌కు కాల్ చేయండి": a Hyderabad number', title: 'ఫోన్ ఇంటర్వ్యూ – సేల్స్ మేనేజర్', text: 'నిర్ణయించిన సమయానికి దయచేసి 040 4555 0123 నంబర్‌కు కాల్ చేయండి.', zone: 'Asia/Kolkata', direction: 'candidate-calls', number: '+914045550123' },
  // https://www.loksatta.com/career-vrutantta-news/while-giving-interview-on-phone-86845/ (ho15-mr-mulakhat)
  { name: 'Marathi "फोनवरून मुलाखत … 020 4555 0123 या क्रमांकावर … फोन करा": a Pune number', title: 'फोनवरून मुलाखत – लेखापाल', text: 'ठरलेल्या वेळी कृपया 020 4555 0123 या क्रमांकावर फोन करा.', zone: 'Asia/Kolkata', direction: 'candidate-calls', number: '+912045550123' },
  { name: 'Marathi "दूरध्वनी मुलाखत … आम्ही तुम्हाला फोन करू"', title: 'दूरध्वनी मुलाखत – विक्री अधिकारी', text: 'ठरलेल्या वेळी आम्ही तुम्हाला फोन करू.', zone: 'Asia/Kolkata', direction: 'interviewer-calls', number: OWN },
];

describe('languages: a phone interview and who dials', () => {
  it.each(LANGUAGE_CASES)('$name', ({ title, text, zone, direction, number }) => {
    expect(readEvent(sent(title, text, zone))).toEqual({ kind: 'phone', direction, number });
  });
});

describe('languages: look-alikes in the same words', () => {
  // https://eyjafrettir.is/2020/04/08/simavidtol-vegna-covid-19-a-heilsugaeslunni-yfir-paskana/ (ho15-not-is-hjukrun)
  it('an Icelandic nurse\'s "símaviðtal" at the health centre is no interview', () => {
    const event = sent('Símaviðtal við hjúkrunarfræðing – Heilsugæslan', 'Hjúkrunarfræðingur hringir í þig á bókuðum tíma.', 'Atlantic/Reykjavik');
    expect(readEvent(event).kind).toBe('not-interview');
  });
});

describe('automated voice screens: no person on the line', () => {
  // https://www.scoutup.ai/help/interview-process (ho15-not-ai-outbound)
  it('an AI phone interview the AI interviewer places is no phone interview', () => {
    const event = sent('AI phone interview – Warehouse Associate', 'At this time our AI interviewer will call you at +1 415 555 0100 and ask each question in order.');
    expect(readEvent(event).kind).toBe('not-interview');
  });

  // https://hyring.com/free-hr-toolkit/hr-glossary/ai-phone-screening (ho15-not-ai-inbound)
  it('an automated phone screening line the candidate calls is no phone interview', () => {
    const event = sent('Automated phone screening – Customer Care Agent', 'Call our voice assistant at 1-888-555-0142 any time today; it will ask six questions.');
    expect(readEvent(event).kind).toBe('not-interview');
  });

  it('a phone interview for a job building voice assistants still is one', () => {
    const event = sent('Phone interview – Voice Assistant Product Manager', 'We will call you at 415-555-0100 about the role.');
    expect(readEvent(event)).toEqual({ kind: 'phone', direction: 'interviewer-calls', number: OWN });
  });

  // https://edesy.in/docs/voice-agent/examples/recruitment-screening (ho15-after-ai-screen)
  it('a phone interview with a person, booked after the automated screening call, still is one', () => {
    const event = sent('Hiring manager phone interview – Field Coordinator', 'Thanks for completing the automated screening call. Ritu, the hiring manager, will call you on +1 415 555 0100.');
    expect(readEvent(event)).toEqual({ kind: 'phone', direction: 'interviewer-calls', number: OWN });
  });
});

describe('look-alikes: a phone interview with no job to get', () => {
  // https://parent-resource.com/dos-and-donts-of-parent-interviews-at-private-schools/ (ho15-not-school-parent)
  it("a private school's parent interview by phone", () => {
    const event = sent('Parent interview (phone) – Grade 3 applicant', 'Our Director of Admission will call you at (415) 555-0100 for the parent interview.');
    expect(readEvent(event).kind).toBe('not-interview');
  });

  // https://cardinalhospicecare.com/volunteer/ (ho15-not-hospice-volunteer)
  it("a hospice's volunteer phone interview", () => {
    const event = sent('Volunteer phone interview – Companion Volunteer', "Thank you for your volunteer application! I'll call you at (415) 555-0100 for a short interview.");
    expect(readEvent(event).kind).toBe('not-interview');
  });

  it('a phone interview for a director of admissions job still is one', () => {
    const event = sent('Phone interview – Director of Admissions', 'Thanks for applying for the Director of Admissions position. We will call you at 415-555-0100.');
    expect(readEvent(event)).toEqual({ kind: 'phone', direction: 'interviewer-calls', number: OWN });
  });

  it('a phone interview for a paid volunteer coordinator job still is one', () => {
    const event = sent('Phone interview – Volunteer Coordinator', 'Thanks for applying for the Volunteer Coordinator position. We will call you at 415-555-0100.');
    expect(readEvent(event)).toEqual({ kind: 'phone', direction: 'interviewer-calls', number: OWN });
  });
});

describe('numbers: who dials', () => {
  // https://documentation.avaya.com/en-us/home/bundle/ip-office/IPOfficeWebManagerR12_3/vmpro-auto-attendants/Attendant_Actions/Attendant_Dial_By_Number.html (ho15-num-prompt)
  it('"call 617.555.0123 and enter 415 at the prompt": the candidate dials the office and keys in the extension', () => {
    const event = sent('Phone screen – Office Coordinator', 'At your interview time call 617.555.0123 and enter 415 at the prompt to reach my desk.');
    expect(readEvent(event)).toEqual({ kind: 'phone', direction: 'candidate-calls', number: '+16175550123' });
  });
});

describe('earlier rounds: an email reply made into an event', () => {
  // https://support.saashost.net/support/solutions/articles/6000013516-responding-to-a-mesasge-with-a-meeting-request (ho13-outlook-reply-meeting-recruiter)
  it('Outlook\'s "Reply with Meeting" to the user\'s email titled "RE: Application – …" is about a job', () => {
    const event = sent('RE: Application – Junior Analyst', "Hi Ada, let's do a 20-minute phone interview at this time. I'll call you on your mobile.\nGrace");
    expect(readEvent(event)).toEqual({ kind: 'phone', direction: 'interviewer-calls', number: OWN });
  });

  it('"RE: Loan application" stays no job', () => {
    const event = sent('RE: Loan application – phone call', "I'll call you on your mobile to go over your income documents.");
    expect(readEvent(event).kind).toBe('not-interview');
  });
});
