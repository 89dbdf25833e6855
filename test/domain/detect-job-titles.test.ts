/**
 * The job an invitation is for is named in it ("Phone interview – Prep Cook", "for the Journalist
 * position"), and a job's name can hold a word that elsewhere says the event is no interview of the
 * user's: "prep" (the user's own preparation), "coach", "journalist", "podcast" (look-alikes), "phone"
 * or "telephone". The job's name says what the job is, not what the event is: it gives no evidence.
 * Each job title is a real one (source next to it); the invitation around it is adapted from the
 * templates cited, with invented people and numbers.
 */
import { describe, expect, it } from 'vitest';
import type { Person } from '../../src/domain/types.js';
import { analyse } from '../../src/domain/detect.js';
import { withCpuTime } from '../support/cpu-time.js';
import { OWN, detectSettings, readEvent, sender } from '../support/detection.js';

const MANAGER: Person = { name: 'Maria Lopez', email: 'maria.lopez@harborbistro.example' };
const sent = sender(MANAGER);
// "We've received your application for the {position title} position" (adapted):
// https://www.mightyrecruiter.com/recruiter-templates/sample-letters-to-candidates/first-interview-letter-template/
const applied = (job: string): string => `We've received your application for the ${job} position. I will call you at the time above.`;

describe('a job title with a look-alike word is the job, not the event', () => {
  it.each([
    // https://www.freshworks.com/hrms/job-descriptions/hospitality-prep-cook/ ("Prep Cook")
    { name: '"Phone interview – Prep Cook"', title: 'Phone interview – Prep Cook', text: 'I will call you at the time above.' },
    { name: '"for the Prep Cook position" in the description (guard)', title: 'Phone interview – Harbor Bistro', text: applied('Prep Cook') },
    // "Interview Invitation for [Position Name]": https://brokencoconutmtl.com/interview-call-letter-email-format
    { name: '"Phone Screen: Prep Cook"', title: 'Phone Screen: Prep Cook', text: applied('Prep Cook') },
    // "Invitation for the Position of …", "the position of Editor": https://mytour.vn/en/blog/bai-viet/professional-interview-invitation-template.html
    { name: '"Phone interview – Journalist" and "the position of Journalist"', title: 'Phone interview – Journalist', text: 'Thank you for your application for the position of Journalist at Harbor Daily. I will call you at the time above.' },
    { name: '"Phone interview – Journalist" and "for the Journalist position"', title: 'Phone interview – Journalist', text: applied('Journalist') },
    // "Position: …" in an ATS's form; https://support.epayhire.com/support/solutions/articles/3000034435 (a form's labelled fields), adapted
    { name: 'a form\'s "Position: Prep Cook" line (guard)', title: 'Phone interview – Harbor Bistro', text: 'Interview type: Phone\nPosition: Prep Cook\nI will call you at the time above.' },
    // https://crowdsourcelawyers.com/job-description-templates/telemarketers/ (O*NET titles: "Telephone Sales Representative")
    { name: '"Phone interview: Telephone Sales Representative" (guard)', title: 'Phone interview: Telephone Sales Representative', text: applied('Telephone Sales Representative') },
    // https://recruithorizon.ai/templates/job-descriptions/call-center-phone-support-specialist ("Phone Support Specialist")
    { name: '"Phone interview – Phone Support Specialist" (guard)', title: 'Phone interview – Phone Support Specialist', text: 'I will call you at the time above.' },
    // https://callcenterjob.org/call-center-jobs-what-is-a-call-center-agent-job-like ("Call center agents")
    { name: '"Phone Screen: Call Center Agent" (guard)', title: 'Phone Screen: Call Center Agent', text: applied('Call Center Agent') },
  ])('$name', ({ title, text }) => {
    expect(readEvent(sent(title, text))).toEqual({ kind: 'phone', direction: 'interviewer-calls', number: OWN });
  });

  it('a video interview for a "Phone Support Specialist" is a video interview (guard)', () => {
    expect(readEvent(sent('Video interview – Phone Support Specialist', 'Join us on Zoom: https://zoom.us/j/81234567890', 'America/Los_Angeles', { conference: ['https://zoom.us/j/81234567890'] })).kind).toBe('video');
  });
});

describe('the same words outside a job title still say the event is none (guards)', () => {
  it.each([
    { name: 'the user\'s own prep before a phone interview', title: 'Phone interview prep – Harbor Bistro', text: 'Review my notes and the menu.' },
    { name: '"Phone interview – prep"', title: 'Phone interview – prep', text: 'Review my notes before the call.' },
    { name: 'a journalist\'s phone interview of the user', title: 'Phone interview – journalist', text: 'A reporter from the Harbor Daily will call you for the piece on the new bistro. I will call you at the time above.' },
    { name: 'a session with a career coach', title: 'Phone interview practice – career coach', text: 'Mock interview with my coach.' },
  ])('$name', ({ title, text }) => {
    expect(readEvent(sent(title, text)).kind).toBe('not-interview');
  });
});

describe('hostile text around a job name', () => {
  it('runs of spaces after "for the" and "position of" are read at once', () => {
    const spaces = ' '.repeat(2_000);
    const text = `for the${spaces}prep${spaces}position of${spaces}journalist${spaces}`.repeat(6);
    const title = `Phone interview – ${spaces}Prep Cook`;
    const filler = (length: number): string => 'lorem ipsum dolor '.repeat(Math.ceil(length / 18)).slice(0, length);
    readEvent(sent('Phone interview – Prep Cook', 'warm-up'));
    // CPU time against text of the same length without the runs, read in the same worker: wall time
    // grows with whatever else the machine runs, and a backtracking pattern costs seconds either way.
    const base = withCpuTime(() => readEvent(sent(`Phone interview – ${filler(spaces.length)}Prep Cook`, filler(text.length)))).cpuMs;
    const { value: read, cpuMs } = withCpuTime(() => readEvent(sent(title, text)));
    expect(cpuMs).toBeLessThan(base * 8 + 25);
    expect(read.kind).toBe('phone');
  });
});

/**
 * A job named before the interview words ("Prep Cook – Phone interview"), and job names in the
 * languages detection reads besides English, where the job's own word usually comes first ("Chargé de
 * formation", "Arzt in Weiterbildung") and a gender mark follows ("(H/F)", "(m/w/d)", "Journalist/in").
 * Each job title is a real one (source next to it); the invitations are adapted, with invented people.
 */
describe('a job named before the interview words, or in another language, is the job', () => {
  it.each([
    // https://www.freshworks.com/hrms/job-descriptions/hospitality-prep-cook/ ("Prep Cook")
    { name: '"Prep Cook – Phone interview"', title: 'Prep Cook – Phone interview', text: 'I will call you at the time above.' },
    { name: '"Harbor Bistro | Prep Cook – Phone Screen"', title: 'Harbor Bistro | Prep Cook – Phone Screen', text: 'I will call you at the time above.' },
    // "the position of Editor": https://mytour.vn/en/blog/bai-viet/professional-interview-invitation-template.html
    { name: '"Journalist – Phone interview" and "for the Journalist position"', title: 'Journalist – Phone interview', text: applied('Journalist') },
    // "chargé-e d'ingénierie de formation": https://doczz.fr/doc/6400294/fiche-de-poste-111-a-chef-projet----eplefpa--guyane
    { name: '"Entretien téléphonique – Chargé de formation (H/F)"', title: 'Entretien téléphonique – Chargé de formation (H/F)', text: "Bonjour Ada, je vous appellerai à l'heure prévue.", zone: 'Europe/Paris' },
    // "Journalist/in" as German job ads write the two forms; "Lokalredaktion" (local news desk)
    { name: '"Telefoninterview – Journalist/in Lokalredaktion"', title: 'Telefoninterview – Journalist/in Lokalredaktion', text: 'Hallo Ada, ich rufe Sie zum vereinbarten Termin an.', zone: 'Europe/Berlin' },
  ])('$name', ({ title, text, zone }) => {
    expect(readEvent(sent(title, text, zone))).toEqual({ kind: 'phone', direction: 'interviewer-calls', number: OWN });
  });

  it.each([
    // "Médecin Généraliste … CDI H/F": https://www.alpesolidaires.org/offre-emploi/medecin-generaliste-en-centre-de-sante-communautaire-cdi-hf-isere-38
    { name: '"Entretien téléphonique – Médecin généraliste (H/F)"', title: 'Entretien téléphonique – Médecin généraliste (H/F)', text: "Bonjour Ada, je vous appellerai à l'heure prévue.", zone: 'Europe/Paris', word: 'médecin' },
    // "Arzt in Weiterbildung": https://www.matzen-partner.de/de/2018/page/4/
    { name: '"Telefoninterview – Arzt in Weiterbildung (m/w/d)"', title: 'Telefoninterview – Arzt in Weiterbildung (m/w/d)', text: 'Hallo Ada, ich rufe Sie zum vereinbarten Termin an.', zone: 'Europe/Berlin', word: 'arzt' },
    // "una plaza de Oficial Fontanero": https://govclipping.com/es/aragon/boa/2025-06-05/1040258-resolucion-22-mayo-2025-ayuntamiento-huesca-relativa-convocatoria-cobertura-propiedad-sistema-concurso-oposicion-turno-libre-plaza-oficial-fontanero-vacante-plantilla-personal-funcionario-ayuntamiento-huesca
    { name: '"Entrevista telefónica – Oficial Fontanero"', title: 'Entrevista telefónica – Oficial Fontanero', text: 'Hola Ada, te llamaré a la hora acordada.', zone: 'Europe/Madrid', word: 'fontanero' },
    // "el puesto de Fontanero": https://govclipping.com/es/castillayleon/boa/2025-05-16/1018725-resolucion-7-mayo-2025-alcaldia-ayuntamiento-tudela-duero-valladolid-se-aprueban-bases-han-regir-convocatoria-proceso-seleccion-1-relevista-puesto-fontanero-sistema-oposicion-expte-3797-2025
    { name: '"el puesto de Fontanero" in the description', title: 'Entrevista telefónica', text: 'Hola Ada, gracias por tu candidatura para el puesto de Fontanero. Te llamaré a la hora acordada.', zone: 'Europe/Madrid', word: 'fontanero' },
    { name: '"Poste : Médecin généraliste" in the description', title: 'Entretien téléphonique', text: "Poste : Médecin généraliste\nJe vous appellerai à l'heure prévue.", zone: 'Europe/Paris', word: 'médecin' },
  ])('$name: its private-matter word gives no evidence', ({ title, text, zone, word }) => {
    const analysis = analyse(sent(title, text, zone), detectSettings);
    expect(analysis.kind).toBe('phone');
    expect(analysis.evidence.filter((e) => e.text === word)).toEqual([]);
  });

  it.each([
    { name: '"Prep – Phone interview": one word before, named nowhere else, stays the user\'s prep', title: 'Prep – Phone interview', text: 'Review my notes before the call.' },
    { name: '"Career coach – Phone interview practice"', title: 'Career coach – Phone interview practice', text: 'Mock interview with my coach.' },
    { name: '"Préparation – Entretien téléphonique"', title: 'Préparation – Entretien téléphonique', text: 'Relire mes notes avant l\'appel.', zone: 'Europe/Paris' },
    { name: '"Entretien téléphonique – séance avec mon coach"', title: 'Entretien téléphonique – séance avec mon coach', text: 'Simulation avec mon coach.', zone: 'Europe/Paris' },
  ])('$name (guard)', ({ title, text, zone }) => {
    expect(readEvent(sent(title, text, zone)).kind).toBe('not-interview');
  });
});

describe('hostile text around a job name in other languages', () => {
  // The same length of plain words, read in the same worker just before: the unit of the bound.
  const plain = (length: number): string => 'lorem ipsum dolor '.repeat(Math.ceil(length / 18)).slice(0, length);

  // Guard: the old code read these in time linear too; the new frames, marks and the part before the
  // interview words must keep it so.
  it('frames, labels, gender marks and separators repeated are read in time linear in their length (guard)', () => {
    const spaces = ' '.repeat(2_000);
    const description = [
      `poste de${spaces}chargé${spaces}`.repeat(20),
      `Poste :${'/in '.repeat(5_000)}`,
      `el puesto de ${'médico (m/w/d) '.repeat(3_000)}`,
      `die stelle als ${'arzt/in '.repeat(5_000)}`,
    ].join('\n');
    const title = `${'Prep Cook – '.repeat(5_000)}Phone interview${' – (h/f)'.repeat(5_000)}`;
    analyse(sent('Phone interview – Prep Cook', 'warm-up'), detectSettings);
    const base = withCpuTime(() => analyse(sent(plain(title.length), plain(description.length)), detectSettings)).cpuMs;
    const { value, cpuMs } = withCpuTime(() => analyse(sent(title, description), detectSettings));
    expect(value.evidence.length).toBeGreaterThan(0);
    expect(cpuMs).toBeLessThan(base * 8 + 25);
  });
});
