/**
 * What the sixteenth held-out round taught: phone interviews written in Tamil, Urdu, Albanian,
 * Azerbaijani, Kazakh, Turkmen and Kyrgyz, with who dials and numbers written the local way; a
 * Chinese conference line the candidate dials and keys a meeting ID into is the meeting's bridge
 * (the candidate dials in, no number to choose); and look-alikes: an AI screening call with no person on the line, an HR investigation's
 * witness interview, a TV talk show's phone-in.
 */
import { describe, expect, it } from 'vitest';
import { analyse } from '../../src/domain/detect.js';
import type { CalendarEvent, Person } from '../../src/domain/types.js';
import { OWN, detectSettings, readEvent, sender } from '../support/detection.js';

const RECRUITER: Person = { name: 'Noor Haddad', email: 'noor.haddad@cedarworks.example' };
const sent = sender(RECRUITER);

/** Invitations in a language, from the recruiter, in the event's own zone: what detection reads. */
const LANGUAGE_CASES = [
  // https://mahaons.ru/ta/entertaining-anatomy/chto-mozhno-i-nelzya-govorit-pri-zvonke-po-povodu-raboty-telefonnoe-sobesedovanie-luchshe-kogda-net.html (ho16-ta-tholaipesi-nerkanal)
  { name: 'Tamil "தொலைபேசி நேர்காணல் … உங்களை அழைப்போம்"', title: 'தொலைபேசி நேர்காணல் – கணக்காளர்', text: 'உங்கள் விண்ணப்பத்திற்கு நன்றி. குறித்த நேரத்தில் நாங்கள் உங்களை அழைப்போம்.', zone: 'Asia/Kolkata', direction: 'interviewer-calls', number: OWN },
  { name: 'Tamil "044 4555 0123 என்ற எண்ணை அழைக்கவும்": a Chennai number', title: 'தொலைபேசி நேர்காணல் – விற்பனை மேலாளர்', text: 'குறித்த நேரத்தில் 044 4555 0123 என்ற எண்ணை அழைக்கவும்.', zone: 'Asia/Colombo', direction: 'candidate-calls', number: '+914445550123' },
  // https://www.express.pk/story/1835145/509 (ho16-ur-telephonic-interview)
  { name: 'Urdu "ٹیلیفونک انٹرویو … ہم آپ کو کال کریں گے"', title: 'ٹیلیفونک انٹرویو – اکاؤنٹنٹ', text: 'ملازمت کی درخواست کا شکریہ۔ مقررہ وقت پر ہم آپ کو کال کریں گے۔', zone: 'Asia/Karachi', direction: 'interviewer-calls', number: OWN },
  { name: 'Urdu "021 3555 0123 پر کال کریں": a Karachi number', title: 'فون انٹرویو – سیلز مینیجر', text: 'مقررہ وقت پر براہ کرم 021 3555 0123 پر کال کریں۔', zone: 'Asia/Dubai', direction: 'candidate-calls', number: '+922135550123' },
  // https://akademia.kosovajob.com/article?id=13 (ho16-sq-interviste-telefonike)
  { name: 'Albanian "Intervistë telefonike … Do t\'ju telefonojmë"', title: 'Intervistë telefonike – kontabiliste', text: "Faleminderit për aplikimin. Do t'ju telefonojmë në orën e caktuar.", zone: 'Europe/Tirane', direction: 'interviewer-calls', number: OWN },
  { name: 'Albanian "na telefononi në numrin 069 555 0123": a Tirana mobile', title: 'Intervistë pune përmes telefonit – menaxhere shitjesh', text: 'Në orën e caktuar ju lutem na telefononi në numrin 069 555 0123.', zone: 'Europe/Tirane', direction: 'candidate-calls', number: '+355695550123' },
  // https://qazancim.az/yaxsi-ish-tapmaq-ucun/musahibede-oezunu-aparmaq-da-bir-senetdir....-davami-1 (ho16-az-telefon-musahibesi)
  { name: 'Azerbaijani "Telefon müsahibəsi … sizə zəng edəcəyik"', title: 'Telefon müsahibəsi – mühasib', text: 'Müraciətiniz üçün təşəkkür edirik. Təyin olunmuş vaxtda sizə zəng edəcəyik.', zone: 'Asia/Baku', direction: 'interviewer-calls', number: OWN },
  { name: 'Azerbaijani "012 555 01 23 nömrəsinə zəng edin": a Baku number', title: 'Telefon müsahibəsi – satış meneceri', text: 'Təyin olunmuş vaxtda zəhmət olmasa 012 555 01 23 nömrəsinə zəng edin.', zone: 'Asia/Baku', direction: 'candidate-calls', number: '+994125550123' },
  // https://kz.kursiv.media/kk/2022-09-23/s-hbattasu-kezinde-andaj-atelik-zhibermeu-kerek/amp/ (ho16-kk-telefon-suhbat)
  { name: 'Kazakh "Телефон арқылы сұхбат … сізге қоңырау шаламыз"', title: 'Телефон арқылы сұхбат – бухгалтер', text: 'Өтініміңізге рахмет. Белгіленген уақытта сізге қоңырау шаламыз.', zone: 'Asia/Almaty', direction: 'interviewer-calls', number: OWN },
  { name: 'Kazakh "8 727 355 01 23 нөміріне қоңырау шалыңыз": an Almaty number', title: 'Телефон арқылы сұхбат – менеджер', text: 'Белгіленген уақытта 8 727 355 01 23 нөміріне қоңырау шалыңыз.', zone: 'Asia/Almaty', direction: 'candidate-calls', number: '+77273550123' },
  // https://maslahat.media/ahli-zady-isgarler-cozyar/ (ho16-tk-telefon-sohbetdeslik)
  { name: 'Turkmen "Telefon arkaly söhbetdeşlik … size jaň ederis"', title: 'Telefon arkaly söhbetdeşlik – buhgalter', text: 'Arzaňyz üçin sag boluň. Bellenen wagtda size jaň ederis.', zone: 'Asia/Ashgabat', direction: 'interviewer-calls', number: OWN },
  { name: 'Turkmen "8 12 55 01 23 belgä jaň ediň": an Ashgabat number', title: 'Telefon arkaly söhbetdeşlik – satuw menejeri', text: 'Bellenen wagtda 8 12 55 01 23 belgä jaň ediň.', zone: 'Asia/Ashgabat', direction: 'candidate-calls', number: '+99312550123' },
  // https://ky.cosmeticn.ru/1711-skype-interview-tips-on-how-to-successfully-pass-a-sk.html (ho16-ky-telefon-maek)
  { name: 'Kyrgyz "Телефон аркылуу маек … сизге чалабыз"', title: 'Телефон аркылуу маек – бухгалтер', text: 'Арызыңыз үчүн рахмат. Белгиленген убакытта сизге чалабыз.', zone: 'Asia/Bishkek', direction: 'interviewer-calls', number: OWN },
  { name: 'Kyrgyz "0312 55 01 23 номерине чалыңыз": a Bishkek number', title: 'Телефондук маек – менеджер', text: 'Белгиленген убакытта 0312 55 01 23 номерине чалыңыз.', zone: 'Asia/Bishkek', direction: 'candidate-calls', number: '+996312550123' },
];

describe('languages: a phone interview and who dials', () => {
  it.each(LANGUAGE_CASES)('$name', ({ title, text, zone, direction, number }) => {
    expect(readEvent(sent(title, text, zone))).toEqual({ kind: 'phone', direction, number });
  });
});

/** What a test reads of a phone interview held on a conference line: who dials, the number, and whether the candidate dials in. */
function dialling(event: CalendarEvent): { kind: string; direction: string | null; number: string | null; dialIn: boolean } {
  const analysis = analyse(event, detectSettings);
  const detection = analysis.result.kind === 'interview' ? analysis.result.detection : null;
  return { kind: analysis.kind, direction: detection?.direction ?? null, number: detection?.number ?? null, dialIn: detection?.dialIn === true };
}

describe('languages: look-alikes in the same words', () => {
  it('an Azerbaijani bank\'s "Müraciətiniz üçün təşəkkür edirik … sizə zəng edəcəyik" is no job', () => {
    const event = sent('Kapital – telefon zəngi', 'Müraciətiniz üçün təşəkkür edirik. Təyin olunmuş vaxtda sizə zəng edəcəyik.', 'Asia/Baku');
    expect(readEvent(event).kind).toBe('not-interview');
  });

  it('an Italian radio\'s "intervista telefonica" is no job interview (Albanian "intervistë" is not Italian "intervista")', () => {
    const event = sent('Intervista telefonica – Radio Lago', 'La chiameremo in diretta alle 10 per la sua intervista.', 'Europe/Rome');
    expect(readEvent(event).kind).toBe('not-interview');
  });
});

describe('conference lines: the candidate dials in', () => {
  // https://kdun.com/ask/775602.html (ho16-zh-dial-in-conference)
  it('a Chinese "拨打会议接入号码 …，按语音提示输入会议号": the bridge is dialled in to, never chosen as a person\'s', () => {
    const event = sent('电话面试 – 产品经理', '请在面试开始时拨打会议接入号码 +86 10 5550 1234，按语音提示输入会议号 882 4410 及密码 6612 后接入。', 'Asia/Shanghai');
    expect(dialling(event)).toEqual({ kind: 'phone', direction: 'candidate-calls', number: null, dialIn: true });
  });

  it('a Chinese phone interview whose interviewer dials your mobile still is theirs to dial', () => {
    const event = sent('电话面试 – 产品经理', '面试官会在约定时间拨打您的手机，请保持电话畅通。', 'Asia/Shanghai');
    expect(dialling(event)).toEqual({ kind: 'phone', direction: 'interviewer-calls', number: OWN, dialIn: false });
  });
});

describe('look-alikes: no phone interview of the user', () => {
  // https://raw.githubusercontent.com/team-telnyx/telnyx-code-examples/main/candidate-screening-call-agent/README.md (ho16-not-ai-screening-call)
  it('an AI screening call, with no person on the line, is no phone interview', () => {
    const event = sent('AI screening call – Retail Associate', 'Our AI screening assistant will call you at (415) 555-0100 and ask five questions; a recruiter reviews the recording.');
    expect(readEvent(event).kind).toBe('not-interview');
  });

  it('a phone interview with a person, booked after an AI screening call, still is one', () => {
    const event = sent('Phone interview – Retail Associate', 'Thanks for completing the AI screening call. Maya, the store manager, will call you at 415-555-0100.');
    expect(readEvent(event)).toEqual({ kind: 'phone', direction: 'interviewer-calls', number: OWN });
  });

  // https://raw.githubusercontent.com/ServiceNow/ServiceNowDocs/australia/markdown/employee-service-management/hr-service-delivery/using-interview-management.md (ho16-not-er-investigation)
  it("an HR investigation's witness interview by phone is no job interview", () => {
    const event = sent('Witness interview (phone) – ER case 20417', 'We would like to interview you as a witness in an open investigation. The investigator will call you on 415-555-0100.');
    expect(readEvent(event).kind).toBe('not-interview');
  });

  it('a phone interview for an employee relations investigator job still is one', () => {
    const event = sent('Phone interview – Employee Relations Investigator', 'Thanks for applying for the Employee Relations Investigator position. We will call you at 415-555-0100.');
    expect(readEvent(event)).toEqual({ kind: 'phone', direction: 'interviewer-calls', number: OWN });
  });

  // https://imranjunior.com/siyasatdaan-interviews-mein-tareef-ka-kehte (ho16-not-ur-tv-phone-in)
  it('an Urdu talk show\'s "ٹیلیفونک انٹرویو" of a guest is no job interview', () => {
    const event = sent('ٹیلیفونک انٹرویو – ٹاک شو', 'آج رات کے ٹاک شو میں آپ کا ٹیلیفونک انٹرویو ہوگا، پروڈیوسر آپ کو کال کرے گا۔', 'Asia/Karachi');
    expect(readEvent(event).kind).toBe('not-interview');
  });
});
