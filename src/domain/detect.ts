/**
 * detect: does one calendar event qualify as a phone interview, and what does an email about it
 * need to know? Pure: the event and the settings in, a {@link DetectResult} out.
 *
 * Event text is hostile input: anyone can put an invitation into the candidate's calendar. So
 * nothing here throws on odd text, every pattern is a literal (keywords are escaped) between
 * one-character lookarounds (no backtracking to speak of), and long text is cut before it is
 * searched. Recipients come only from the organizer and attendees; an address written in the
 * description never becomes the counterpart.
 */
import type { DetectionSettings } from '../../config/types.js';
import { companyOf, isReachablePerson } from './company.js';
import { findPhoneNumbers, regionOf, toE164 } from './phone.js';
import type {
  Attendee,
  CalendarEvent,
  Candidate,
  CandidateRole,
  DetectResult,
  Detection,
  Direction,
  Outcome,
  Person,
} from './types.js';

export { DEFAULT_FREE_MAIL_DOMAINS } from './company.js';

export interface DetectSettings {
  readonly candidate: Candidate;
  readonly detection: DetectionSettings;
}

/** Title phrases that make an event a phone interview. The config's `detection.keywords` replaces this. */
export const DEFAULT_INTERVIEW_KEYWORDS: readonly string[] = [
  'phone interview',
  'phone screen',
  'phone screening',
  'screening call',
  'recruiter call',
  'phone call with',
  'intro call',
];

/** Phrases saying that the interviewer dials the candidate. */
export const INTERVIEWER_CALLS_PHRASES: readonly string[] = [
  'we will call you',
  "we'll call you",
  'will call you',
  'will phone you',
  'we will ring you',
  "we'll ring you",
  'will ring you',
  'recruiter will call',
  'interviewer will call',
  'expect a call',
  'call you at',
  'call you on',
];

/** Phrases saying that the candidate dials the interviewer. */
export const CANDIDATE_CALLS_PHRASES: readonly string[] = [
  'please call',
  'call us at',
  'call us on',
  'call me at',
  'call me on',
  'give us a call',
  'give me a call',
  'dial',
  'call in',
  'call the number',
  'join by phone',
];

/**
 * Title words of a block the candidate made for themselves around an interview ("Phone interview
 * prep", "Mock phone interview"). Checked only when the title keyword alone qualified the event:
 * an explicit `#interview` tag, category or provider tag is the user's word and wins.
 */
export const OWN_BLOCK_WORDS: readonly string[] = [
  'prep',
  'preparation',
  'prepare',
  'preparing',
  'practice',
  'practise',
  'practicing',
  'practising',
  'mock',
  'rehearsal',
  'rehearse',
  'dry run',
  'debrief',
  'follow up',
];

/** The category (Outlook, iCalendar CATEGORIES) that marks an interview, compared in any case. */
export const INTERVIEW_CATEGORY = 'phone interview';

/** Only this much of a long title, location or description is searched for phrases. */
export const TEXT_SCAN_LIMIT = 65_536;
/** `notes` keeps at most this many characters of the description. */
export const NOTES_LIMIT = 4_000;
/** `title` keeps at most this many characters. */
export const TITLE_LIMIT = 500;

const WORD_CHAR = '[\\p{L}\\p{N}\\p{M}_]';
/** Whitespace, controls (CR, LF, NUL…), and dashes: all read as one space when matching. */
const SEPARATORS = /[\s\p{Cc}\p{Z}\u2010-\u2015-]+/gu;
/** Bidi overrides, zero-width characters: invisible, dropped before matching. */
const FORMAT_CHARS = /\p{Cf}/gu;
const APOSTROPHES = /[\u2018\u2019\u02BC\u00B4`]/g;

/** The same reading of text and of phrases, so that a phrase matches however it was typed. */
function normalize(text: string): string {
  return text
    .slice(0, TEXT_SCAN_LIMIT)
    .normalize('NFC')
    .replace(FORMAT_CHARS, '')
    .replace(APOSTROPHES, "'")
    .replace(SEPARATORS, ' ');
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
}

/**
 * One regex matching any of `phrases` as whole words, in any case. After escaping, the pattern is
 * an alternation of literals between one-character lookarounds: no quantifier, so no
 * catastrophic backtracking whatever the config or the event text holds.
 */
function phraseMatcher(phrases: readonly string[]): RegExp | null {
  const alternatives = phrases
    .map((p) => normalize(p).trim())
    .filter((p) => p.length > 0)
    .map(escapeRegExp);
  if (alternatives.length === 0) return null;
  return new RegExp(`(?<!${WORD_CHAR})(?:${alternatives.join('|')})(?!${WORD_CHAR})`, 'iu');
}

const interviewerCalls = phraseMatcher(INTERVIEWER_CALLS_PHRASES);
const candidateCalls = phraseMatcher(CANDIDATE_CALLS_PHRASES);
const ownBlock = phraseMatcher(OWN_BLOCK_WORDS);

type Tag = 'noringback' | 'interview' | Outcome;

const TAGS: ReadonlyMap<string, Tag> = new Map<string, Tag>([
  ['noringback', 'noringback'],
  ['interview', 'interview'],
  ['held', 'held'],
  ['noshow', 'interviewer-no-show'],
  ['no-show', 'interviewer-no-show'],
  ['missed', 'candidate-missed'],
]);
/**
 * Tags are searched in the whole text, not only its start: a user may append `#noringback` at the
 * end of a long forwarded description. The pattern is a literal alternation, linear in the text.
 */
const TAG_PATTERN = new RegExp(
  `(?<![\\p{L}\\p{N}\\p{M}_#])#(noringback|interview|held|noshow|no-show|missed)(?![\\p{L}\\p{N}\\p{M}_-])`,
  'giu',
);
const MAX_TAG_MATCHES = 1_000;
const DISTINCT_TAGS = new Set(TAGS.values()).size;

/** The tags written in `text`, in order of first appearance. */
function tagsIn(text: string): Tag[] {
  const tags: Tag[] = [];
  let count = 0;
  for (const match of text.matchAll(TAG_PATTERN)) {
    const tag = TAGS.get((match[1] ?? '').toLowerCase());
    if (tag !== undefined && !tags.includes(tag)) tags.push(tag);
    count += 1;
    if (count >= MAX_TAG_MATCHES || tags.length === DISTINCT_TAGS) break;
  }
  return tags;
}

function isOutcome(tag: Tag): tag is Outcome {
  return tag === 'held' || tag === 'interviewer-no-show' || tag === 'candidate-missed';
}

/** One line of plain text for display and headers: no CR/LF, controls or bidi overrides. */
function oneLine(text: string, limit: number): string {
  const line = text
    .slice(0, limit * 2)
    .replace(FORMAT_CHARS, '')
    .replace(/[\s\p{Cc}\p{Z}]+/gu, ' ')
    .trim();
  return cut(line, limit);
}

/** Cuts to at most `limit` UTF-16 units without splitting a surrogate pair. */
function cut(text: string, limit: number): string {
  if (text.length <= limit) return text;
  const last = text.charCodeAt(limit - 1);
  return text.slice(0, last >= 0xd800 && last <= 0xdbff ? limit - 1 : limit);
}

function notesOf(description: string): string {
  const kept = description
    .slice(0, NOTES_LIMIT * 2)
    .replace(/\r\n?/g, '\n')
    .replace(/[\u202A-\u202E\u2066-\u2069\u200E\u200F\u061C]/g, '')
    .replace(/\p{Cc}/gu, (c) => (c === '\n' || c === '\t' ? c : ''))
    .trim();
  return cut(kept, NOTES_LIMIT).trim();
}

function emailOf(person: Person): string {
  return person.email.trim().toLowerCase();
}

/** The candidate's addresses: the configured one, and any the source marks as the owner's. */
function candidateEmails(event: CalendarEvent, candidate: Candidate): Set<string> {
  const emails = new Set<string>([candidate.email.trim().toLowerCase()]);
  for (const attendee of event.attendees) {
    if (attendee.self === true && emailOf(attendee) !== '') emails.add(emailOf(attendee));
  }
  emails.delete('');
  return emails;
}

function isCandidateAttendee(attendee: Attendee, self: ReadonlySet<string>): boolean {
  return attendee.self === true || self.has(emailOf(attendee));
}

/** The organizer when it is not the candidate, else the first attendee who is not. */
function counterpartOf(event: CalendarEvent, self: ReadonlySet<string>): Person | null {
  const others: Person[] = event.attendees.filter((a) => !isCandidateAttendee(a, self));
  if (event.organizer !== null && !self.has(emailOf(event.organizer))) others.unshift(event.organizer);
  const person = others.find((p) => isReachablePerson(p.email));
  return person === undefined ? null : { name: oneLine(person.name, 200), email: emailOf(person) };
}

function roleOf(event: CalendarEvent, self: ReadonlySet<string>): CandidateRole {
  if (event.organizer !== null && self.has(emailOf(event.organizer))) return 'organizer';
  const attendee = event.attendees.find((a) => isCandidateAttendee(a, self));
  switch (attendee?.status) {
    case 'accepted':
    case 'declined':
    case 'tentative':
    case 'needs-action':
      return attendee.status;
    default:
      return 'unknown';
  }
}

/** Who dials whom, as the text says it; the earliest phrase wins. */
function directionInText(text: string): Direction | null {
  const interviewer = interviewerCalls?.exec(text)?.index ?? -1;
  const candidate = candidateCalls?.exec(text)?.index ?? -1;
  if (interviewer < 0 && candidate < 0) return null;
  if (candidate < 0) return 'interviewer-calls';
  if (interviewer < 0) return 'candidate-calls';
  return interviewer <= candidate ? 'interviewer-calls' : 'candidate-calls';
}

interface Dialling {
  readonly direction: Direction;
  readonly number: string | null;
}

function diallingOf(event: CalendarEvent, settings: DetectSettings, title: string): Dialling {
  const candidatePhone = toE164(settings.candidate.phone);
  const region = candidatePhone === null ? undefined : regionOf(candidatePhone);
  const sources = [event.location, event.description, ...event.conferencePhones.slice(0, 20)];
  const numbers = [...new Set(sources.flatMap((s) => findPhoneNumbers(s, region).map((p) => p.e164)))];
  const others = numbers.filter((n) => n !== candidatePhone);
  // The only number written being the candidate's own can only mean that they will be called.
  const direction: Direction =
    numbers.length > 0 && others.length === 0
      ? 'interviewer-calls'
      : (directionInText(`${normalize(event.location)} \n ${normalize(event.description)}`) ??
        // The title last: a word in it ("Intro call in English") says less than the body does.
        directionInText(title) ??
        settings.detection.defaultDirection);
  const number = direction === 'interviewer-calls' ? candidatePhone : (others[0] ?? null);
  return { direction, number };
}

interface Qualification {
  /** A `#interview` tag, the category or the provider tag: the user said so. */
  readonly explicit: boolean;
  readonly byKeyword: boolean;
}

function qualifies(event: CalendarEvent, keywords: readonly string[], tags: readonly Tag[], title: string): Qualification {
  const explicit =
    tags.includes('interview') ||
    event.categories.some((c) => c.trim().toLowerCase() === INTERVIEW_CATEGORY) ||
    event.tags['ringback'] === 'interview';
  const byKeyword = phraseMatcher(keywords)?.test(title) ?? false;
  return { explicit, byKeyword };
}

/** Decides whether `event` is a phone interview and, if so, what the emails about it need. */
export function detect(event: CalendarEvent, settings: DetectSettings): DetectResult {
  const titleTags = tagsIn(event.title);
  const descriptionTags = tagsIn(event.description);
  if (titleTags.includes('noringback')) return { kind: 'skip', reason: 'excluded', detail: '#noringback in the title' };
  if (descriptionTags.includes('noringback')) {
    return { kind: 'skip', reason: 'excluded', detail: '#noringback in the description' };
  }
  const title = normalize(event.title);
  const tags = [...titleTags, ...descriptionTags];
  const { explicit, byKeyword } = qualifies(event, settings.detection.keywords, tags, title);
  if (!explicit && !byKeyword) return { kind: 'skip', reason: 'no-match' };
  if (event.status === 'cancelled') return { kind: 'skip', reason: 'cancelled' };
  if (event.allDay) return { kind: 'skip', reason: 'all-day' };
  if (!explicit) {
    const word = ownBlock?.exec(title)?.[0];
    if (word !== undefined) {
      return { kind: 'skip', reason: 'own-block', detail: `the title says "${word.toLowerCase()}"` };
    }
  }
  const self = candidateEmails(event, settings.candidate);
  const counterpart = counterpartOf(event, self);
  if (counterpart === null) return { kind: 'skip', reason: 'no-counterpart' };

  const { direction, number } = diallingOf(event, settings, title);
  const detection: Detection = {
    title: oneLine(event.title, TITLE_LIMIT),
    start: event.start,
    end: event.end,
    timeZone: event.timeZone,
    counterpart,
    company: companyOf(counterpart.email, settings.detection.freeMailDomains),
    number,
    direction,
    role: roleOf(event, self),
    notes: notesOf(event.description),
    taggedOutcome: tags.find(isOutcome) ?? null,
  };
  return { kind: 'interview', detection };
}

/**
 * The facts an email depends on, as one stable string: start, end, the number dialled, who dials,
 * the organizer and the attendees (sorted, so that a reorder by the server changes nothing).
 * The store hashes it; when it changes, the interview's revision rises.
 */
export function revisionKey(event: CalendarEvent, detection: Detection): string {
  const attendees = [...new Set(event.attendees.map(emailOf).filter((e) => e !== ''))].sort();
  return JSON.stringify({
    v: 1,
    start: detection.start,
    end: detection.end,
    number: detection.number,
    direction: detection.direction,
    organizer: event.organizer === null ? null : emailOf(event.organizer),
    attendees,
  });
}
