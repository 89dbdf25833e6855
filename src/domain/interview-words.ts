/**
 * What an email may say about the interview instead of quoting its title: the role ("Senior
 * Payments Infrastructure Engineer") and the company ("Northwind") when the event names them.
 *
 * Titles are written by schedulers and people for their own calendars ("Phone Screen: Ada Park <>
 * Northwind – Senior Payments Infrastructure Engineer (Remote, US)", "Phone call with Dana
 * Whitfield (Northwind)"); pasted into a sentence to that very recruiter they read like a robot.
 * So the title is only mined: its parts are split at the separators schedulers use, a part that
 * ends in a job noun is the role, and the company is the counterpart's mail domain when the title
 * or the counterpart's name spells it (in their spelling). Nothing found means nothing said: the
 * email then speaks of "our phone interview".
 *
 * Pure; the word lists are data (`data/email-words.ts`).
 */
import { CALL_WORDS, ROLE_NOUNS, TEAM_WORDS } from './data/email-words.js';
import { oneLine } from './templates/text.js';

export interface InterviewWordsInput {
  readonly title: string;
  /** The company key: the counterpart's mail domain, or null. */
  readonly company: string | null;
  readonly counterpartName: string;
  readonly candidateName: string;
}

export interface InterviewWords {
  /** "Platform Engineer", or null when the title names no role. */
  readonly role: string | null;
  /** "Northwind", or null when neither the title nor the counterpart's name spells the company. */
  readonly company: string | null;
}

const ROLE = new Set(ROLE_NOUNS);
const CALL = new Set(CALL_WORDS);
const TEAM = new Set(TEAM_WORDS);
const ROLE_MAX_WORDS = 6;
const ROLE_MAX_CHARS = 60;
/** Second-level labels under which the company is the next label (acme.co.uk). */
const SECOND_LEVEL = new Set(['co', 'com', 'org', 'net', 'ac', 'gov', 'edu', 'ltd', 'plc']);

/** The parts of a title between the separators people and schedulers put in them. */
function partsOf(title: string): string[] {
  return title
    .split(/\s*(?:<>|[–—|:()[\]<>,;/•·]|\s-\s|\s@\s|\bfor\b|\bwith\b|\bat\b|\bre\b|\bx\b)\s*/i)
    .map((part) => part.trim())
    .filter((part) => part !== '');
}

function bare(word: string): string {
  return word.toLowerCase().replace(/^[^\p{L}\p{N}]+|[^\p{L}\p{N}]+$/gu, '');
}

/** Words of the names that must never end up in a subject or a sentence as a "role". */
function nameWords(...names: string[]): Set<string> {
  return new Set(names.flatMap((name) => name.split(/\s+/).map(bare)).filter((word) => word.length >= 2));
}

function isTitleCase(word: string): boolean {
  return /^\p{Lu}/u.test(word);
}

/** The role in one part of a title, or null. */
function roleIn(part: string, names: Set<string>): string | null {
  const words = part.split(/\s+/);
  if (words.some((word) => names.has(bare(word)))) return null;
  for (let end = words.length - 1; end >= 0; end -= 1) {
    const word = words[end] ?? '';
    const noun = bare(word);
    if (!ROLE.has(noun) || !isTitleCase(word)) continue;
    if (noun === 'manager' && bare(words[end - 1] ?? '') === 'hiring') continue;
    // "Head of Product", "VP of Sales": the role runs on to the end of the part.
    const last = bare(words[end + 1] ?? '') === 'of' ? words.length - 1 : end;
    let start = end;
    while (start > 0 && last - start + 1 < ROLE_MAX_WORDS && !CALL.has(bare(words[start - 1] ?? ''))) start -= 1;
    const role = words.slice(start, last + 1).join(' ').replace(/[.,;:!?-]+$/, '');
    if (role.length > ROLE_MAX_CHARS || /[<>@"“”]/.test(role) || /\d{3,}/.test(role)) return null;
    return role;
  }
  return null;
}

/** The label of a domain that names the company: "careers.northwind.co.uk" → "northwind". */
export function companyLabel(domain: string): string | null {
  const labels = domain.toLowerCase().split('.').filter((label) => label !== '');
  if (labels.length < 2) return null;
  labels.pop();
  if (labels.length >= 2 && SECOND_LEVEL.has(labels[labels.length - 1] ?? '')) labels.pop();
  const label = labels[labels.length - 1] ?? '';
  return label.length >= 2 ? label : null;
}

function squash(text: string): string {
  return text.toLowerCase().replace(/[^\p{L}\p{N}]/gu, '');
}

/** The company as the title or the name spells it ("Northwind", "Acme Corp"), or null. */
function companyIn(texts: readonly string[], label: string): string | null {
  const wanted = squash(label);
  for (const text of texts) {
    const words = text.split(/\s+/).filter((word) => word !== '');
    // Up to three words in a row may spell the label ("Northwind Traders" for northwind-traders).
    for (let i = 0; i < words.length; i += 1) {
      for (let n = 1; n <= 3 && i + n <= words.length; n += 1) {
        const phrase = words.slice(i, i + n).join(' ').replace(/^[^\p{L}\p{N}]+|[^\p{L}\p{N}.&]+$/gu, '');
        if (squash(phrase) === wanted) return phrase;
      }
    }
  }
  return null;
}

export function interviewWords(input: InterviewWordsInput): InterviewWords {
  const title = oneLine(input.title, 300);
  const counterpart = oneLine(input.counterpartName, 80);
  const names = nameWords(counterpart, oneLine(input.candidateName, 80));
  const label = input.company === null ? null : companyLabel(input.company);
  const parts = partsOf(title);
  const company = label === null ? null : companyIn([...parts, counterpart], label);
  const companyWords = company === null ? new Set<string>() : nameWords(company);
  let role: string | null = null;
  for (const part of parts) {
    role = roleIn(part, new Set([...names, ...companyWords]));
    if (role !== null) break;
  }
  return { role, company };
}

/**
 * True when a counterpart's name is a team, a mailbox or the company rather than a person
 * ("Northwind Talent Team", "Careers", "Northwind"): such a name gets "Hello," not "Hi Northwind,".
 */
export function isTeamName(name: string, company: string | null): boolean {
  const words = oneLine(name, 80).split(/\s+/).map(bare).filter((word) => word !== '');
  if (words.length === 0) return true;
  if (words.some((word) => TEAM.has(word) || ROLE.has(word))) return true;
  const label = company === null ? null : companyLabel(company);
  return label !== null && words.some((word) => squash(word) === squash(label));
}
