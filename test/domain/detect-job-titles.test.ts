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
import { OWN, readEvent, sender } from '../support/detection.js';

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
    readEvent(sent('Phone interview – Prep Cook', 'warm-up'));
    const started = process.hrtime.bigint();
    const read = readEvent(sent(`Phone interview – ${spaces}Prep Cook`, text));
    expect(Number(process.hrtime.bigint() - started) / 1e6).toBeLessThan(200);
    expect(read.kind).toBe('phone');
  });
});
