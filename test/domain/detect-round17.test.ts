/**
 * What the seventeenth held-out round taught: phone interviews written in Malayalam, Gujarati,
 * Uzbek (Latin and Cyrillic), Armenian, Pashto and Sinhala, with who dials and numbers written the
 * local way; the user's own recruiter screen organised from a second work address (an organizer
 * with the user's full name is the user, and a screen the user organises for a guest at a personal
 * address, with a hiring-side word in it, is the user hiring).
 */
import { describe, expect, it } from 'vitest';
import type { Person } from '../../src/domain/types.js';
import { OWN, SELF, detectSettings, invitation, readEvent, sender } from '../support/detection.js';

const RECRUITER: Person = { name: 'Noor Haddad', email: 'noor.haddad@cedarworks.example' };
const sent = sender(RECRUITER);

/** Invitations in a language, from the recruiter, in the event's own zone: what detection reads. */
const LANGUAGE_CASES = [
  // https://manoramaonline.com/education/career-guru/2024/09/13/phone-interview-tips-for-success.amp.html (ho17-ml-phone-interview)
  { name: 'Malayalam "ഫോൺ ഇന്റർവ്യൂ … ഞങ്ങൾ നിങ്ങളെ വിളിക്കും"', title: 'ഫോൺ ഇന്റർവ്യൂ – അക്കൗണ്ടന്റ്', text: 'അപേക്ഷയ്ക്ക് നന്ദി. നിശ്ചിത സമയത്ത് ഞങ്ങൾ നിങ്ങളെ വിളിക്കും.', zone: 'Asia/Kolkata', direction: 'interviewer-calls', number: OWN },
  { name: 'Malayalam, the older spelling "ഇന്റര്വ്യൂ", "0484 455 0123 എന്ന നമ്പറിൽ വിളിക്കുക": a Kochi number', title: 'ഫോണ് ഇന്റര്വ്യൂ – സെയിൽസ് മാനേജർ', text: 'നിശ്ചിത സമയത്ത് ദയവായി 0484 455 0123 എന്ന നമ്പറിൽ വിളിക്കുക.', zone: 'Asia/Dubai', direction: 'candidate-calls', number: '+914844550123' },
  // https://storymirror.com/read/gujarati/story/priikssaa/yp4kwil6 (ho17-gu-phone-interview)
  { name: 'Gujarati "ફોન ઇન્ટરવ્યુ … અમે તમને ફોન કરીશું"', title: 'ફોન ઇન્ટરવ્યુ – એકાઉન્ટન્ટ', text: 'નોકરી માટે અરજી કરવા બદલ આભાર. નિર્ધારિત સમયે અમે તમને ફોન કરીશું.', zone: 'Asia/Kolkata', direction: 'interviewer-calls', number: OWN },
  { name: 'Gujarati "079 4555 0123 પર ફોન કરો": an Ahmedabad number', title: 'ટેલિફોનિક ઈન્ટરવ્યુ – સેલ્સ મેનેજર', text: 'નિર્ધારિત સમયે કૃપા કરીને 079 4555 0123 પર ફોન કરો.', zone: 'Asia/Dubai', direction: 'candidate-calls', number: '+917945550123' },
  // https://gazeta.norma.uz/publish/doc/text105395_siz_bir_endan_biz_bir_endan?paper=nm (ho17-uz-telefon-suhbat)
  { name: 'Uzbek "Telefon orqali sinov suhbati … sizga qo\'ng\'iroq qilamiz"', title: 'Telefon orqali sinov suhbati – buxgalter', text: "Belgilangan vaqtda sizga qo'ng'iroq qilamiz.", zone: 'Asia/Tashkent', direction: 'interviewer-calls', number: OWN },
  { name: 'Uzbek with the letter ʻ, "sizga qoʻngʻiroq qilamiz"', title: 'Ish suhbati telefon orqali – menejer', text: 'Belgilangan vaqtda sizga qoʻngʻiroq qilamiz.', zone: 'Asia/Tashkent', direction: 'interviewer-calls', number: OWN },
  { name: 'Uzbek in Cyrillic "71 255 01 23 рақамига қўнғироқ қилинг": a Tashkent number', title: 'Телефон орқали синов суҳбати – савдо менежери', text: 'Белгиланган вақтда илтимос, 71 255 01 23 рақамига қўнғироқ қилинг.', zone: 'Asia/Tashkent', direction: 'candidate-calls', number: '+998712550123' },
  // https://career.anau.am/harcazruyc/ (ho17-hy-herakhosayin)
  { name: 'Armenian "Հեռախոսային հարցազրույց … մենք կզանգահարենք Ձեզ"', title: 'Հեռախոսային հարցազրույց – հաշվապահ', text: 'Շնորհակալություն դիմելու համար։ Նշանակված ժամին մենք կզանգահարենք Ձեզ։', zone: 'Asia/Yerevan', direction: 'interviewer-calls', number: OWN },
  { name: 'Armenian "խնդրում ենք զանգահարել 010 55 01 23 համարով": a Yerevan number', title: 'Հեռախոսային հարցազրույց – վաճառքի մենեջեր', text: 'Նշանակված ժամին խնդրում ենք զանգահարել 010 55 01 23 համարով։', zone: 'Asia/Yerevan', direction: 'candidate-calls', number: '+37410550123' },
  // https://test.larawbar.net/?p=4886 and http://zalaand.com/?p=2449 (ho17-ps-telefoni-interview)
  { name: 'Pashto "تلیفوني انټرویو … تاسو ته زنګ ووهو"', title: 'تلیفوني انټرویو – محاسب', text: 'د دندې لپاره ستاسو د غوښتنې مننه. په ټاکلي وخت به تاسو ته زنګ ووهو.', zone: 'Asia/Kabul', direction: 'interviewer-calls', number: OWN },
  { name: 'Pashto with the Arabic yeh, "انټرويو", "020 255 0123 ته زنګ ووهئ": a Kabul number', title: 'د تلیفون له لارې انټرويو – د پلور مدیر', text: 'په ټاکلي وخت مهرباني وکړئ 020 255 0123 ته زنګ ووهئ.', zone: 'Asia/Kabul', direction: 'candidate-calls', number: '+93202550123' },
  // https://www.govlk.com/Interview-tips (ho17-si-durakathana)
  { name: 'Sinhala "දුරකථන සම්මුඛ පරීක්ෂණය … අපි ඔබට කතා කරන්නෙමු"', title: 'දුරකථන සම්මුඛ පරීක්ෂණය – ගණකාධිකාරී', text: 'නියමිත වේලාවට අපි ඔබට කතා කරන්නෙමු.', zone: 'Asia/Colombo', direction: 'interviewer-calls', number: OWN },
  { name: 'Sinhala "011 255 0123 අංකයට අමතන්න": a Colombo number', title: 'දුරකථන සම්මුඛ පරීක්ෂණය – විකුණුම් කළමනාකරු', text: 'නියමිත වේලාවට කරුණාකර 011 255 0123 අංකයට අමතන්න.', zone: 'Asia/Colombo', direction: 'candidate-calls', number: '+94112550123' },
];

describe('languages: a phone interview and who dials', () => {
  it.each(LANGUAGE_CASES)('$name', ({ title, text, zone, direction, number }) => {
    expect(readEvent(sent(title, text, zone))).toEqual({ kind: 'phone', direction, number });
  });
});

describe('languages: look-alikes in the same words (guards: already right, now covered)', () => {
  it('an Uzbek bank\'s "arizangiz uchun rahmat … sizga qo\'ng\'iroq qilamiz" is no job', () => {
    const event = sent('Kapitalbank – telefon qo\'ng\'irog\'i', "Arizangiz uchun rahmat. Belgilangan vaqtda sizga qo'ng'iroq qilamiz.", 'Asia/Tashkent');
    expect(readEvent(event).kind).toBe('not-interview');
  });

  it('a Gujarati shop\'s "અમે તમને ફોન કરીશું" about an order is no job', () => {
    const event = sent('ઓર્ડર ડિલિવરી', 'તમારો ઓર્ડર તૈયાર છે. અમે તમને ફોન કરીશું.', 'Asia/Kolkata');
    expect(readEvent(event).kind).toBe('not-interview');
  });
});

describe("the user's own second address", () => {
  // https://gist.github.com/gusmcnair/b3eaac3906e946f74b4818eb18a03724 (ho17-not-user-second-address-screen)
  it('a recruiter screen the user organises from a work address, under the same full name, is the user running it', () => {
    const event = invitation(
      { name: 'Ada Park', email: 'ada@vendly.example' },
      {
        title: 'Initial phone screen – Angus McNair (Junior Developer)',
        description: "Initial phone screen with Angus for the Junior Developer opening. I'll call Angus at (503) 555-0188. Scorecard in the ATS after.",
        attendees: [{ ...SELF, status: 'accepted' }, { name: 'Angus McNair', email: 'angus.mcnair@gmail.com', status: 'accepted' }],
      },
    );
    expect(readEvent(event).kind).toBe('not-interview');
  });

  it('guard: a recruiter who shares only the first name is someone else, and the phone interview stays one', () => {
    const event = invitation(
      { name: 'Ada Brooks', email: 'ada.brooks@vendly.example' },
      { title: 'Initial phone screen – Ada Park / Vend.ly', description: "Thanks for getting back to me. I'll call you at 415-555-0100. Ada Brooks, Technical Recruiter" },
    );
    expect(readEvent(event)).toEqual({ kind: 'phone', direction: 'interviewer-calls', number: OWN });
  });

  it('guard: with only a first name configured, an organizer of that name is not taken for the user', () => {
    const settings = { ...detectSettings, candidate: { ...detectSettings.candidate, name: 'Ada' } };
    const event = invitation({ name: 'Ada', email: 'ada@vendly.example' }, { title: 'Phone screen – Vend.ly', description: "I'll call you at 415-555-0100 about the Support Engineer role." });
    expect(readEvent(event, settings)).toEqual({ kind: 'phone', direction: 'interviewer-calls', number: OWN });
  });
});

describe("guards (already right, now covered): the user's own phone interview stays one", () => {
  // https://www.youcheckcredit.com/blog/2021/12/prescreening-rental-prospects/ (ho17-not-landlord-prescreen is still
  // read as a phone interview: its housing words are all in the description, capped below "phone interview" in the title)
  it('a phone interview for a leasing consultant job still is one', () => {
    const event = sent('Phone interview – Leasing Consultant', "Thanks for applying for the Leasing Consultant position at Greenway Rentals. We'll call you at (415) 555-0100.");
    expect(readEvent(event)).toEqual({ kind: 'phone', direction: 'interviewer-calls', number: OWN });
  });

  it('an entry the user made from a work address for their own interview, the recruiter a guest, still is one', () => {
    const event = invitation(
      { name: 'Ada Park', email: 'ada@lattice-db.example' },
      {
        title: 'Phone screen – Vend.ly (Jacob Ross)',
        description: 'Jacob Ross, technical recruiter, calls me at 415-555-0100 about the Junior Developer role.',
        attendees: [{ ...SELF, status: 'accepted' }, { name: 'Jacob Ross', email: 'jacob.ross@vendly.example', status: 'needs-action' }],
      },
    );
    expect(readEvent(event)).toEqual({ kind: 'phone', direction: 'interviewer-calls', number: OWN });
  });

  it("an entry the user made for a small firm's recruiter who writes from Gmail, with no hiring-side word, still is one", () => {
    const event = invitation(SELF, {
      title: 'Phone interview – Pine & Oak Bakery (shift lead)',
      description: 'Maria will call me at 415-555-0100 about the shift lead job.',
      attendees: [{ ...SELF, status: 'accepted' }, { name: 'Maria Lopez', email: 'maria.pineoak@gmail.com', status: 'accepted' }],
    });
    expect(readEvent(event)).toEqual({ kind: 'phone', direction: 'interviewer-calls', number: OWN });
  });
});
