import { describe, expect, it } from 'vitest';
import { companyLabel, interviewWords, isTeamName } from '../../src/domain/interview-words.js';

const words = (title: string, company: string | null = 'northwind.example', counterpartName = 'Dana Whitfield') =>
  interviewWords({ title, company, counterpartName, candidateName: 'Ada Park' });

describe('interviewWords: role and company from the event, never the raw title', () => {
  it.each([
    ['Phone Screen: Ada Park <> Northwind – Senior Payments Infrastructure Engineer (Remote, US)', 'Senior Payments Infrastructure Engineer', 'Northwind'],
    ['Phone call with Dana Whitfield (Northwind)', null, 'Northwind'],
    ['Platform Engineer phone screen', 'Platform Engineer', null],
    ['Engineering Manager phone screen', 'Engineering Manager', null],
    ['Hiring Manager Interview', null, null],
    ['Recruiter call - Backend Developer', 'Backend Developer', null],
    ['Senior Data Scientist – 2nd round', 'Senior Data Scientist', null],
    ['Interview', null, null],
    ['Call with Dana re: the lead role', null, null],
    ['Ada Park and Dana Whitfield', null, null],
  ])('%j → role %j, company %j', (title, role, company) => {
    expect(words(title)).toEqual({ role, company });
  });

  it('spells the company as the title does, across words and hyphens', () => {
    expect(words('Phone interview for Head of Product at Northwind Traders', 'northwind-traders.com')).toEqual({ role: 'Head of Product', company: 'Northwind Traders' });
    expect(words('Backend Engineer, Acme', 'acme.example')).toEqual({ role: 'Backend Engineer', company: 'Acme' });
  });

  it('takes the company from a team name when the title does not say it', () => {
    expect(words('Phone interview', 'northwind.example', 'Northwind Talent Team').company).toBe('Northwind');
  });

  it('never reads a participant’s name or markup as a role', () => {
    expect(words('Dana Engineer call').role).toBeNull();
    expect(words('<script>Engineer</script>').role).not.toMatch(/[<>]/);
    expect(words('x'.repeat(5_000)).role).toBeNull();
  });
});

describe('companyLabel', () => {
  it.each([
    ['northwind.example', 'northwind'],
    ['careers.acme.co.uk', 'acme'],
    ['eu.acme.com', 'acme'],
    ['localhost', null],
  ])('%s → %s', (domain, label) => {
    expect(companyLabel(domain)).toBe(label);
  });
});

describe('isTeamName', () => {
  it.each([
    ['Northwind Talent Team', true],
    ['Careers at Acme', true],
    ['HR', true],
    ['Northwind', true],
    ['Recruiting', true],
    ['', true],
    ['Dana Whitfield', false],
    ['Dr. Lee', false],
    ['Dana', false],
  ])('%j → %s', (name, team) => {
    expect(isTeamName(name, 'northwind.example')).toBe(team);
  });
});
