/**
 * What the tenth held-out round taught: joining blocks and phone interviews in other languages.
 * A Brazilian Zoom block ("Entrar na reunião Zoom", "Disque pelo seu local") holds only bridges;
 * "llama a Marta al …" and "marca al …" give the number the candidate dials (and "Marta te llama a
 * las 10" still does not); "Merci de joindre Thomas au …" too (and "merci de joindre votre CV" asks
 * for an attachment); a French "premier échange téléphonique" is a phone screen; a job title such as
 * "Senior Analyst Pricing" is no sales call; "Frau Vogt wird Sie zum vereinbarten Zeitpunkt anrufen"
 * says who calls; a Personio notice inviting the user as interviewer is the hiring side; an insurer's
 * "telephonic discussion" with a customer is a private call.
 */
import { describe, expect, it } from 'vitest';
import type { CalendarEvent, Person } from '../../src/domain/types.js';
import { invitation, OWN, readEvent, SELF } from '../support/detection.js';

const RECRUITER: Person = { name: 'Lucía Hernández', email: 'lucia.hernandez@maguey.example' };

function sent(title: string, description: string, over: Partial<CalendarEvent> = {}): CalendarEvent {
  return invitation(RECRUITER, { title, description, attendees: [{ ...RECRUITER, status: 'accepted' }, { ...SELF, status: 'accepted' }], ...over });
}

// A Brazilian Zoom joining block as invitations write it (wording: "Entrar na reunião Zoom:", "ID da
// reunião:", "Senha de acesso:"; public code, exact-string index files 41371374632 and 40698930682).
const ZOOM_PT = [
  'Entrar na reunião Zoom',
  'https://us02web.zoom.us/j/84785973845?pwd=cHRicmFzaWw',
  '',
  'ID da reunião: 847 8597 3845',
  'Senha de acesso: 136428',
  '',
  'Disque pelo seu local',
  '• +55 11 5555-0157 Brasil',
  'Encontre seu número local: https://us02web.zoom.us/u/aBr7Qx',
].join('\n');

describe('a Brazilian Zoom block holds only bridges', () => {
  // https://devforum.zoom.us/t/language-settings-on-get-meeting-invitation-api/24786 (ho10-zoom-pt-gestor)
  it('a video interview whose only number is the block\'s stays a video interview', () => {
    expect(readEvent(sent('Entrevista com o gestor – Desenvolvedora Front-end', `Oi Ada! A entrevista com o gestor será pelo Zoom.\n\n${ZOOM_PT}`, { timeZone: 'America/Sao_Paulo' })).kind).toBe('video');
  });

  it('"vai te ligar" beside the block: they dial the number in the config, never the block\'s', () => {
    const event = sent('Entrevista por telefone – Desenvolvedora', `Oi Ada! Nossa recrutadora Juliana vai te ligar no horário combinado.\n\n${ZOOM_PT}`, { timeZone: 'America/Sao_Paulo' });
    expect(readEvent(event)).toEqual({ kind: 'phone', direction: 'interviewer-calls', number: OWN });
  });
});

describe('Spanish: the candidate dials a name "al" a number', () => {
  // https://support.personio.de/hc/es/articles/360000983217 (ho10-meet-es-llama-a-marta)
  it('"llama a Marta Ortega al 915 550 147"', () => {
    const event = sent('Entrevista telefónica con Hélice Logística', 'A la hora acordada, llama a Marta Ortega al 915 550 147.', { timeZone: 'Europe/Madrid' });
    expect(readEvent(event)).toEqual({ kind: 'phone', direction: 'candidate-calls', number: '+34915550147' });
  });

  // https://manatal.com/es/hr-email-template/candidates-not-showing-up-for-interview-email-template (ho10-teams-es-marca-al)
  it('"por favor marca al 55 5555 0134 y pregunta por Lucía"', () => {
    const event = sent('Entrevista telefónica – Ejecutiva de cuenta', 'Por favor marca al 55 5555 0134 y pregunta por Lucía.', { timeZone: 'America/Mexico_City' });
    expect(readEvent(event)).toEqual({ kind: 'phone', direction: 'candidate-calls', number: '+525555550134' });
  });

  it('"Marta te llama a las 10:00" still says nothing of the candidate dialling', () => {
    const event = sent('Entrevista telefónica – Analista', 'Marta te llama a las 10:00 para la entrevista telefónica.', { timeZone: 'Europe/Madrid' });
    expect(readEvent(event).direction).not.toBe('candidate-calls');
  });
});

describe('French: "joindre" someone at a number, and a first phone exchange', () => {
  // https://blog-recruteur.com/5-exemples-de-mails-pour-confirmer-une-date-dentretien-avec-un-candidat (ho10-flatchr-joindre-thomas)
  it('"Premier échange téléphonique … Merci de joindre Thomas au 01 99 00 27 64"', () => {
    const event = sent('Premier échange téléphonique – Commercial(e) terrain', "Je vous confirme notre premier échange téléphonique. Merci de joindre Thomas au 01 99 00 27 64 à l'heure convenue.", { timeZone: 'Europe/Paris' });
    expect(readEvent(event)).toEqual({ kind: 'phone', direction: 'candidate-calls', number: '+33199002764' });
  });

  it('"merci de joindre votre CV" asks for an attachment, not a call', () => {
    const event = sent('Entretien téléphonique – Comptable', "Thomas vous appellera. Merci de joindre votre CV à jour à votre réponse.", { timeZone: 'Europe/Paris' });
    expect(readEvent(event)).toEqual({ kind: 'phone', direction: 'interviewer-calls', number: OWN });
  });
});

describe('a job title is no sales call', () => {
  // https://raw.githubusercontent.com/api-evangelist/workday-recruiting/refs/heads/main/examples/recruiting-rest-api-interview-example.json (ho10-workday-de-ort-telefon)
  it('"Senior Analyst Pricing" in a Workday title', () => {
    const event = sent('Interview geplant: Ada Park – Senior Analyst Pricing', 'Ihr Interview wurde geplant.\nInterviewtyp: Telefoninterview\nOrt: Telefon', { location: 'Telefon', timeZone: 'Europe/Berlin' });
    expect(readEvent(event)).toEqual({ kind: 'phone', direction: 'interviewer-calls', number: OWN });
  });

  it('"Pricing call" is still a sales call', () => {
    expect(readEvent(sent('Pricing call – Contoso Analytics', 'Jordan will call you at 415-555-0100 to walk through pricing for a team of 12.')).kind).toBe('not-interview');
  });
});

describe('German: "wird Sie zum vereinbarten Zeitpunkt anrufen"', () => {
  // https://www.heyjobs.co/recruiting/blog/einladung-zum-vorstellungsgespraech (ho10-softgarden-kontakt-tel)
  it('they dial; the number for questions is theirs, not the one to call', () => {
    const description = 'Gerne bestätigen wir Ihren Termin für das Telefoninterview.\nFrau Vogt wird Sie zum vereinbarten Zeitpunkt anrufen.\n\nBei Rückfragen erreichen Sie uns unter Tel. 030 23125 588.';
    expect(readEvent(sent('Ihr Telefoninterview bei Nordlicht Logistik', description, { timeZone: 'Europe/Berlin' }))).toEqual({ kind: 'phone', direction: 'interviewer-calls', number: OWN });
  });
});

describe('look-alikes', () => {
  // https://support.personio.de/hc/de/articles/360000883057 (ho10-no-personio-interviewerin)
  it('a Personio notice inviting the user as interviewer is the hiring side', () => {
    const description = 'Sie wurden als Interviewerin für ein Telefoninterview eingeladen.\nBewerber: Jonas Richter\nBitte rufen Sie den Bewerber unter 030 23125 699 an und füllen Sie anschließend den Evaluationsbogen aus.';
    expect(readEvent(sent('Telefoninterview: Jonas Richter – Junior Controller', description, { timeZone: 'Europe/Berlin' })).kind).toBe('not-interview');
  });

  // https://writeatopic.com/letter/interview-call-letter (ho10-no-telephonic-renewal)
  it("an insurer's telephonic discussion with a customer is a private call", () => {
    const description = 'Dear Customer, our advisor will call you on your registered mobile number to discuss the renewal of your health policy.';
    expect(readEvent(sent('Telephonic discussion - Health insurance renewal', description, { timeZone: 'Asia/Kolkata' })).kind).toBe('not-interview');
  });

  it('an Indian telephonic round is still an interview', () => {
    const description = 'Dear Candidate, you are shortlisted for the telephonic round. Our HR will call you on your registered mobile number.';
    expect(readEvent(sent('Telephonic round - Business Analyst', description, { timeZone: 'Asia/Kolkata' }))).toEqual({ kind: 'phone', direction: 'interviewer-calls', number: OWN });
  });
});
