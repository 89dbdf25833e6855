/**
 * What the eleventh held-out round taught: how people get phone interviews into their calendar
 * outside an ATS. A note typed in German, French, Spanish, Portuguese, Dutch, Italian or Polish says
 * who calls in its own words ("Ich rufe Herrn Weber an", "J'appelle Sophie", "llamo yo", "ligar eu",
 * "Ik bel Mireille", "chiamo io", "dzwonię do"); "la selezionatrice mi chiama" means she calls the
 * user; "pls call me" asks the user to dial. A recruiter's text that says they call the user's cell
 * and then gives a number for something else ("Call me right after to debrief: …", "Any issues give
 * the branch a call on …") keeps the user's number: whose a number is, is said in its own sentence.
 * A Portuguese note in an event set in Europe/Lisbon writes a Portuguese number, not a Brazilian
 * one. Look-alikes of the same shapes: a friend practising for her own interview, a bank adviser's
 * call about a mortgage, an agency's pitch of its fees to the user's team, an agency taking the
 * brief for the user's own vacancy, and the user's own phone interview of a candidate in Italian.
 */
import { describe, expect, it } from 'vitest';
import type { CalendarEvent, Person } from '../../src/domain/types.js';
import { invitation, OWN, readEvent, SELF } from '../support/detection.js';

const GUEST: Person = { name: 'Sam Rivera', email: 'sam.rivera@brenner-gmbh.example' };

/** A note the user typed in their own calendar, with the other person as a guest. */
function typed(title: string, description: string, over: Partial<CalendarEvent> = {}): CalendarEvent {
  return invitation(SELF, { title, description, attendees: [{ ...SELF, status: 'accepted' }, { ...GUEST, status: 'accepted' }], ...over });
}

describe('a note typed in another language says the user dials', () => {
  // https://www.stepstone.at/Karriere-Bewerbungstipps/tipps-furs-telefoninterview/ (ho11-de-ich-rufe-an)
  it('German "Ich rufe Herrn Weber an: 030 23125 699"', () => {
    const event = typed('Telefonat Personalabteilung Brenner GmbH – Bewerbung Controller', 'Ich rufe Herrn Weber an: 030 23125 699 (Durchwahl). Telefoninterview ca. 30 Min.', { timeZone: 'Europe/Berlin' });
    expect(readEvent(event)).toEqual({ kind: 'phone', direction: 'candidate-calls', number: '+493023125699' });
  });

  it('German "Ich rufe Sie an" from a recruiter still says the recruiter calls', () => {
    const event = typed('Telefoninterview – Controller', 'Ich rufe Sie zum vereinbarten Termin an.', { timeZone: 'Europe/Berlin' });
    expect(readEvent(event)).toEqual({ kind: 'phone', direction: 'interviewer-calls', number: OWN });
  });

  // https://emplois.francedefi.fr/conseils/recherche-emploi/entretien-embauche-telephone-preparer (ho11-fr-j-appelle)
  it("French \"J'appelle Sophie Martin (RH) au 01 99 00 27 64\"", () => {
    const event = typed("Entretien tel. avec RH – j'appelle", "Poste : chargée de communication. J'appelle Sophie Martin (RH) au 01 99 00 27 64 à l'heure convenue.", { timeZone: 'Europe/Paris' });
    expect(readEvent(event)).toEqual({ kind: 'phone', direction: 'candidate-calls', number: '+33199002764' });
  });

  // https://www.cetelem-empleo.es/la-entrevista-telefonica-otro-modelo-de-seleccion/ (ho11-es-llamar-yo)
  it('Spanish "llamo yo" in the title, "Tengo que llamarle yo al 612 555 014"', () => {
    const event = typed('Entrevista por teléfono con Javier (Cetrix) – llamo yo', 'Tengo que llamarle yo al 612 555 014. Puesto de analista de datos.', { timeZone: 'Europe/Madrid' });
    expect(readEvent(event)).toEqual({ kind: 'phone', direction: 'candidate-calls', number: '+34612555014' });
  });

  // https://werf-en.nl/hoe-bereiden-recruiters-een-sollicitatiegesprek-voor (ho11-nl-ik-bel)
  it('Dutch "Ik bel Mireille (recruiter) op 06 5555 0142"', () => {
    const event = typed('Telefonisch interview gemeente Westland – ik bel', 'Ik bel Mireille (recruiter) op 06 5555 0142 om 14.00 uur voor de functie beleidsmedewerker.', { timeZone: 'Europe/Amsterdam' });
    expect(readEvent(event)).toEqual({ kind: 'phone', direction: 'candidate-calls', number: '+31655550142' });
  });

  // https://www.agoranews.it/come-affrontare-un-colloquio-di-lavoro-telefonico.html (ho11-it-chiamare-io)
  it('Italian "Devo chiamare io il Dott. Ferri al 347 555 0142"', () => {
    const event = typed('Colloquio telefonico – chiamare Dott. Ferri', 'Devo chiamare io il Dott. Ferri al 347 555 0142 alle 11. Posizione: buyer junior.', { timeZone: 'Europe/Rome' });
    expect(readEvent(event)).toEqual({ kind: 'phone', direction: 'candidate-calls', number: '+393475550142' });
  });

  // https://wumed.edu.pl/pl/biuro-karier/aktualnosci-biura-karier/tele-rekrutacja.html (ho11-pl-dzwonie-ja)
  it('Polish "dzwonię do p. Kowalskiego" in the title', () => {
    const event = typed('Rozmowa kwalifikacyjna przez telefon – dzwonię do p. Kowalskiego', 'Zadzwonić pod numer 512 555 014 o 10:00. Stanowisko: przedstawiciel medyczny.', { timeZone: 'Europe/Warsaw' });
    expect(readEvent(event)).toEqual({ kind: 'phone', direction: 'candidate-calls', number: '+48512555014' });
  });

  // https://www.e-konomista.pt/artigo/dicas-entrevista-por-telefone/ (ho11-pt-pt-ligar-eu)
  it('Portuguese "ligar eu" in an event set in Europe/Lisbon: a Portuguese number', () => {
    const event = typed('Entrevista telefónica – ligar eu à Dra. Marta Silva', 'Ligar para a Dra. Marta Silva (recursos humanos) para o número 912 555 014 às 15h. Vaga: gestora de sinistros.', { timeZone: 'Europe/Lisbon' });
    expect(readEvent(event)).toEqual({ kind: 'phone', direction: 'candidate-calls', number: '+351912555014' });
  });

  it('the same note in an event set in America/Sao_Paulo still reads a Brazilian number', () => {
    const event = typed('Entrevista por telefone – ligar eu', 'Ligar para a recrutadora no número 91 2555-0147 às 15h. Vaga: analista.', { timeZone: 'America/Sao_Paulo' });
    expect(readEvent(event).number).toBe('+559125550147');
  });
});

describe('who calls, in the words of a note or a text', () => {
  // https://www.apexkk.com/blog/2025/07/how-to-effectively-handle-phone-calls-related-to-job-interviews (ho11-ja-kochira-kara)
  it('Japanese "こちらから電話" in a note: the user dials', () => {
    const event = typed('電話面接 こちらから電話する（エイペックス）', '14時に水島様へこちらから電話：090-5555-0123。応募職種：経理スタッフ。', { timeZone: 'Asia/Tokyo' });
    expect(readEvent(event)).toEqual({ kind: 'phone', direction: 'candidate-calls', number: '+819055550123' });
  });

  it('a company\'s "こちらからお電話いたします" still says the company calls', () => {
    const event = typed('電話面接のご案内', '面接当日はこちらからお電話いたします。', { timeZone: 'Asia/Tokyo' });
    expect(readEvent(event)).toEqual({ kind: 'phone', direction: 'interviewer-calls', number: OWN });
  });

  // https://www.adecco.it/come-trovare-lavoro/il-colloquio-telefonico (ho11-it-mi-chiama)
  it('Italian "La selezionatrice mi chiama sul cellulare": she calls the user', () => {
    const event = typed('Colloquio telefonico Adecco – mi chiamano loro', 'Posizione: impiegata amministrativa. La selezionatrice mi chiama sul cellulare, circa 20 minuti.', { timeZone: 'Europe/Rome' });
    expect(readEvent(event)).toEqual({ kind: 'phone', direction: 'interviewer-calls', number: OWN });
  });

  it('Italian "mi chiami al 02 5555 0142" still asks the user to dial', () => {
    const event = typed('Colloquio telefonico – buyer', 'Per il colloquio telefonico mi chiami al 02 5555 0142.', { timeZone: 'Europe/Rome' });
    expect(readEvent(event)).toEqual({ kind: 'phone', direction: 'candidate-calls', number: '+390255550142' });
  });

  // https://www.smlessons.com/do-recruiters-message-you-on-whatsapp/ (ho11-whatsapp-pls-call-me)
  it('WhatsApp "Pls call me 9am sharp on +91 98450 12345"', () => {
    const event = typed('Interview call – Infosys (via WhatsApp)', 'Hi Ada, your profile is shortlisted for Java developer position. Pls call me 9am sharp on +91 98450 12345 for the telephonic round.', { timeZone: 'Asia/Kolkata' });
    expect(readEvent(event)).toEqual({ kind: 'phone', direction: 'candidate-calls', number: '+919845012345' });
  });
});

describe("whose a number is, is said in the number's own sentence", () => {
  // https://www.text-em-all.com/blog/best-practices-for-texting-candidates (ho11-agency-sms-client-calls)
  it('"The controller will call your cell. Call me right after to debrief: 213-555-0158."', () => {
    const event = typed('Client phone interview – Robert Half (Staff Accountant)', 'Text from Nina: Great news! The client wants a phone interview tomorrow 11am. The controller, Mr. Evans, will call your cell. Call me right after to debrief: 213-555-0158.');
    expect(readEvent(event)).toEqual({ kind: 'phone', direction: 'interviewer-calls', number: OWN });
  });

  // https://msspeople.com/resources/blog/2018/08/hi-r-u-redi-4-yr-intrvw/ (ho11-agency-sms-uk-temp)
  it('"He\'ll ring you on your mobile. Any issues give the branch a call on 0161 496 0123."', () => {
    const event = typed('Phone interview – Pertemps (warehouse ops)', "Hi Ada, you're booked in for a telephone interview with the site manager at 9am Monday. He'll ring you on your mobile. Any issues give the branch a call on 0161 496 0123. Jade", { timeZone: 'Europe/London' });
    expect(readEvent(event)).toEqual({ kind: 'phone', direction: 'interviewer-calls', number: OWN });
  });

  it('"Dana will call you. Your other number: 020 7946 0321." is still the number they call', () => {
    const event = typed('Phone interview – Kestrel', 'Dana will call you at the scheduled time. Your other number: 020 7946 0321.', { timeZone: 'Europe/London' });
    expect(readEvent(event)).toEqual({ kind: 'phone', direction: 'interviewer-calls', number: '+442079460321' });
  });
});

describe('look-alikes of the same shapes', () => {
  // https://www.smlessons.com/do-recruiters-message-you-on-whatsapp/ (ho11-no-friend-job-advice)
  it("a friend practising for her own interview", () => {
    const event = typed('Phone call with Maya – she wants advice on her interview', 'WhatsApp: Maya calling me at 7 to practise answers for her interview at Deloitte next week.');
    expect(readEvent(event).kind).not.toBe('phone');
  });

  // https://www.helloworkplace.fr/conseils-entretien-telephonique (ho11-no-fr-banque)
  it('a bank adviser\'s call about a mortgage ("ma conseillère", "prêt immobilier")', () => {
    const event = typed('Entretien téléphonique avec ma conseillère bancaire', "Ma conseillère m'appelle pour le prêt immobilier.", { timeZone: 'Europe/Paris' });
    expect(readEvent(event).kind).not.toBe('phone');
  });

  // https://www.eleverpro.com/2014/09/time-to-rethink-your-cold-call-strategy/ (ho11-no-recruiter-sales-pitch)
  it("an agency's pitch of its fees to the user's team", () => {
    const event = invitation({ name: 'Ryan Cole', email: 'ryan.cole@talentbridge-search.example' }, {
      title: 'Call with TalentBridge – recruiting support for our team',
      description: "Hi Ada, I saw that your team at Northwind is hiring a Director of Marketing. I have three candidates you must meet. I'll give you a call at 415-555-0100 to walk you through our fees and how we can help you fill the role.",
    });
    expect(readEvent(event).kind).not.toBe('phone');
  });

  it('"I saw that your team is hiring" is said to the hiring side too', () => {
    const event = invitation({ name: 'Ryan Cole', email: 'ryan.cole@talentbridge-search.example' }, {
      title: 'Intro call – TalentBridge',
      description: "Hi Ada, I saw that your team is hiring. I'll give you a call at 415-555-0100.",
    });
    expect(readEvent(event).kind).not.toBe('phone');
  });

  // https://gregsavage.com.au/2012/05/15/the-golden-rule-of-cold-calling-dont/ (ho11-no-recruiter-client-brief)
  it("an agency taking the brief for the user's own vacancy", () => {
    const event = typed('Phone call – Hays re our open Data Analyst req', "Oliver from Hays calling me to take the brief for the Data Analyst role on my team (I'm hiring manager).");
    expect(readEvent(event).kind).not.toBe('phone');
  });

  // https://gruppoitaliaretail.it/blog/colloquio-telefonico-10-domande-da-chiedere-al-candidato (ho11-no-it-candidato-io)
  it("the user's own phone interview of a candidate, in Italian", () => {
    const event = typed('Colloquio telefonico con candidato – Marco Bianchi', 'Chiamo io il candidato al 347 555 0142. Usare le 10 domande della scheda, poi compilare la valutazione.', { timeZone: 'Europe/Rome' });
    expect(readEvent(event).kind).not.toBe('phone');
  });
});
