/**
 * detect: does one calendar event qualify as a phone interview, and what does an email about it
 * need to know? Pure: the event and the settings in, a {@link DetectResult} out.
 *
 * Event text is hostile input: anyone can put an invitation into the candidate's calendar. So
 * nothing here throws on odd text, every pattern is a literal (keywords are escaped) between
 * one-character lookarounds (no backtracking to speak of), and long text is cut before it is
 * searched. Recipients come only from the organizer and attendees; an address written in the
 * description never becomes the counterpart. An invitation sent from a no-reply address with
 * nobody else to write to still gives an interview: its counterpart has no address (the drafts are
 * written without a recipient), only the name the text gives, if any.
 */
import { companyOf, domainOf, isNoReplyAddress, isReachablePerson } from './company.js';
import { classify, isSchedulerDomain, type Classification } from './detection/classify.js';
import { interviewerAmong } from './detection/interviewer.js';
import { namingOf, type Naming } from './detection/named.js';
import { diallingOf, elsewhereOf, writtenNumbers } from './detection/dialling.js';
import { readEvent } from './detection/reading.js';
import { buildLexicon, builtInWords, regionOfZone, type Lexicon, type WordExtension } from './detection/words.js';
import { dialsIn } from './dial-in.js';
import { isOutcome } from './outcomes.js';
import { regionOf, toE164 } from './phone.js';
import { statedTimeOf } from './stated-time.js';
import { floatingTimeEvidence } from './zones.js';
import type {
  Attendee,
  CalendarEvent,
  Candidate,
  CandidateRole,
  Counterpart,
  CounterpartRole,
  DetectResult,
  Detection,
  Direction,
  EventKind,
  NotAnInterview,
  Evidence,
  Outcome,
  Person,
  UserMark,
} from './types.js';

/**
 * What detection needs from the config's `detection` section; the resolved config satisfies it as
 * it is (config/ documents the fields and holds their defaults).
 */
export interface DetectionSettings {
  /** Title phrases, matched on word boundaries in any case. */
  readonly keywords: readonly string[];
  /** Who dials whom when the event text does not say. */
  readonly defaultDirection: Direction;
  /** Domains that never name a company. */
  readonly freeMailDomains: readonly string[];
  /** Phrases added to the built-in word lists, by signal. Absent: none. */
  readonly words?: Readonly<Partial<Record<string, readonly string[]>>>;
}

export interface DetectSettings {
  readonly candidate: Candidate;
  readonly detection: DetectionSettings;
}

/**
 * The version of these rules, kept with each calendar once its kept events were read with it
 * (src/engine/sync.ts). Raise it when the rules change so that an event they used to leave out
 * may now be a phone interview: the next sync of each calendar then reads its kept events that are
 * still ahead again, as if they had just changed. A change that only leaves more out needs none.
 *
 * - 1: every version before this number was kept (none is stored).
 * - 2: an invitation from a no-reply address, naming the interviewer only in its text, is a phone
 *   interview with a counterpart without an address (it was left out: "no-counterpart").
 * - 3: Polish and Japanese invitations, "telephone screening", "applying for" and German
 *   "Zweitgespräch" read as interviews; a "Dial-in:" number without a code is one to call; with no
 *   number to call written, the interviewer calls the candidate (it was the default direction).
 * - 4: Swedish, Danish, Norwegian, Finnish, Czech, Turkish, Korean, Chinese and Hindi-English
 *   invitations read as interviews; a number written the local way ("070-174 06 52") is read in the
 *   country of the invitation's language when it is no number of the candidate's own country.
 * - 5: Russian, Ukrainian, Greek, Hungarian, Romanian, Arabic, Hebrew, Vietnamese, Indonesian,
 *   Malay and Thai invitations read as interviews; "Candidate Phone Call" and a "candidate PIN" are
 *   no hiring-side label or bridge; numbers with letters ("1-855-555-01GO") or spelled in words are
 *   read; a sentence wholly in another country's language writes that country's numbers.
 * - 6: the abbreviations users type ("HM screen", "Ph scrn", "Phone int.", "TPS w/", "1st round")
 *   and the phrasing of Indian, British and staffing-agency emails ("telephonic round",
 *   "shortlisted", "please phone", "staffing specialist") read as interviews; "they call my cell"
 *   and "I call them" say who dials; "contact me at" is their number; an informational interview,
 *   an offer call, a call to set up an interview time and a recruiter's phone screen script are
 *   no phone interview of the user's; Talview is a video platform; a local number read in the
 *   country of its sentence's language that is also a number of the candidate's country needs review;
 *   a word English shares with another language no longer puts a number in that language's country.
 * - 7: a number written the local way in an English invitation ("020 7946 0321") is read in the
 *   country of the event's own time zone; "kindly call", "please ring", "ring his mobile" say the
 *   candidate dials, "give me a shout on" gives the sender's number, "your phone interview" no longer
 *   makes the number after it the candidate's, and the sentences before a fallback's on one line say
 *   who calls; a "Cancelled:" notice, a scholarship finalist's, a juror's and a volunteer's screening
 *   call are no phone interview.
 * - 8: "phone number for candidate to call" (an ATS's interview form) and a hiring line's "To join,
 *   call …" give the number the candidate dials; "I ring …" says the user dials and "will ring me"
 *   that they do; "her cell", "his mobile" give the interviewer's number; "Please ring-fence the
 *   hour" asks nobody to ring; "I'm screening …" is the hiring side.
 * - 9: a phone interview held on a meeting's bridge ("Please call in with the Teams number below and
 *   enter the conference ID", "join by phone using one of the numbers below") is one the candidate
 *   dials in to (`candidate-calls`, no number, `dialIn`), not one where the interviewer calls.
 * - 10: a Brazilian Zoom block ("Entrar na reunião Zoom", "Disque pelo seu local") holds only
 *   bridges; "llama a … al", "marca al", "merci de joindre … au" give the number the candidate
 *   dials; "wird Sie zum vereinbarten Zeitpunkt anrufen" says they dial, "erreichen Sie uns unter"
 *   gives their number; a French "premier échange téléphonique" is a phone screen; a job title
 *   with "pricing" is no sales call; an interviewer's Personio notice is the hiring side; an
 *   insurer's "Dear Customer" call is private.
 * - 11: a note typed in German, French, Spanish, Portuguese, Dutch, Italian or Polish says the user
 *   dials in its own words ("Ich rufe Herrn … an", "J'appelle …", "llamo yo", "ligar eu", "Ik bel
 *   …", "chiamo io", "dzwonię do"), "mi chiama" that they do, "pls call me" gives their number; a
 *   number whose own sentence speaks of another call ("Call me right after to debrief: …") is not
 *   the user's for what an earlier sentence said; the event's zone picks the country of a language
 *   written in several (Portugal over Brazil in Europe/Lisbon); a friend's own interview, a bank
 *   adviser's mortgage call, an agency's pitch or brief to the hiring side and the user's Italian
 *   interview of a candidate are no phone interviews of the user's.
 * - 12: "will telephone you", "you will call their", "asked that you call their", "call our hiring
 *   line", Chinese "主動致電給您", "会拨打您", "保持手机畅通", Korean "전화 주시면", Italian "la preghiamo
 *   di chiamare", Swedish "Ring växeln", Turkish "numaralı telefonu arayıp" say who dials; a request
 *   to dial a named person ("Call Jacob at …", "please give Hemi a ring on …") gives the number the
 *   candidate dials; a toll-free recruiting line is no bridge, and "dial … and enter participant
 *   code" is a dial-in; "If anything changes, my mobile is …" is a fallback; Polish "wywiad
 *   telefoniczny", a Dutch "van HR", a Turkish "İK'dan" or "İnsan Kaynakları" sender and an "intro
 *   conversation" about an opening are about a job; a call for papers, a hiring plan and the user's
 *   Swedish and Chinese phone screens of candidates are no phone interviews of the user's.
 * - 13: a Danish "Telefonscreening" is a phone interview and a Russian "позвоните нашему …" asks the
 *   candidate to dial; "0044 161 …" is a British number wherever the candidate lives; a number
 *   broken over two lines ("+1 (646)", then "555-0134") is read whole; the user's own "Hi Kevin, …
 *   I'll call you then" above a quoted email (Outlook's "Reply with Meeting") says the user dials;
 *   a reporter's phone interview "for the piece on …" or a "quote on your …" is press.
 * - 14: the labels of an email address written in an event ("jobs@cfp-events.example") are no
 *   words of any list.
 * - 15: Tagalog, Swahili, Croatian, Bulgarian, Persian, Lithuanian, Latvian, Afrikaans, Slovak,
 *   Catalan and Hindi in Devanagari name a phone interview and who dials, with the countries whose
 *   numbers they write; Zoom's own "… is inviting you to a scheduled Zoom meeting" opens its block;
 *   an ATS form's "Contact phone:" is the employer's; "Customer Service Representative" is a job;
 *   an unemployment claim's fact-finding call, Medicaid, a loan application, a vendor's "discovery
 *   call", "added as an interviewer" and "you're screening" are no phone interviews of the user's.
 * - 16: Icelandic, Estonian, Slovenian, Serbian in Cyrillic, Bengali, Welsh, Basque, Georgian, Telugu
 *   and Marathi name a phone interview and who dials, with the countries whose numbers they write;
 *   an AI or automated voice screen, a school's parent interview and a volunteer interview are no
 *   phone interviews; "enter 415 at the prompt" says the candidate dials; an email reply made into
 *   an event, "RE: Application – …", is about a job.
 * - 17: Tamil, Urdu, Albanian, Azerbaijani, Kazakh, Turkmen and Kyrgyz name a phone interview and who
 *   dials, with the countries whose numbers they write; a Chinese conference line's meeting ID and
 *   password ("会议号", "密码") make its number a bridge, and "拨打会议接入号码 … 输入会议号" has the
 *   candidate dial in; an AI screening call and a witness interview are no phone interviews.
 * - 18: Malayalam, Gujarati, Uzbek (Latin and Cyrillic), Armenian, Pashto and Sinhala name a phone
 *   interview and who dials, with the countries whose numbers they write; an organizer or guest with
 *   the user's full name is the user at another address, and a screen the user organises for a guest
 *   at a personal address, with a hiring-side word in it, is the user hiring.
 * - 19: Mongolian, Nepali and Kannada name a phone interview and who dials, with the countries whose
 *   numbers they write; the sentences before a fallback's on the same line count ("… on Microsoft
 *   Teams. Have your phone nearby in case of technical issues" is a video interview); "will call the
 *   number on your application" is them calling you; an automated phone screen and a podcast's guest
 *   interview are no phone interviews; a recruiter's event made from the user's own reply ("Hi John,
 *   … I will plan on calling you … on 617-…") has the user dialling that number; several
 *   private-matter or press words in a description count up to three times their weight, not two;
 *   a reporter's "(story on …)" and a radio call-in's "studio line" are no phone interviews.
 * - 20: Amharic and isiXhosa name a phone interview and who dials, with the countries whose numbers
 *   they write; a number an invitation's form gives after a phone or place label ("Phone: +1 (208)
 *   …", "Where: …", or "Location" with the number on the line under it), with no word on who dials,
 *   is the one the candidate dials; "will call the number on your … profile" is them calling you; a
 *   roommate's, a host family's, an officiant's and a union's endorsement interview, a household
 *   survey, the user's phone-interpreting assignment and a mentor's intro call are no phone interviews.
 *   The job an invitation names ("Phone interview – Prep Cook", "for the Journalist position", "the
 *   position of …", "Position: …") gives no evidence: its "prep" or "journalist" no longer makes a
 *   phone interview the user's own block or a look-alike.
 * - 21: Punjabi, Irish and Belarusian name a phone interview and who dials, with the countries whose
 *   numbers they write; a job named before the interview words in the title ("Prep Cook – Phone
 *   interview", "Practice Receptionist – telephone interview"), in "for the … post", in French,
 *   Spanish, Portuguese, Italian and German names that start with the job's own word ("Chargé de
 *   formation", "Médecin généraliste", "Arzt in Weiterbildung") with a gender mark after them ("(H/F)",
 *   "(m/w/d)", "Journalist/in"), after "Poste :" or "Puesto:", or in "le poste de …", "el puesto de
 *   …", "die Stelle als …" gives no evidence; the user as a client choosing whom to interview ("the
 *   talent you selected", "accept or reject the candidate") is on the hiring side.
 * - 22: a number written in other digits than 0–9 (fullwidth, Eastern Arabic and Persian, Devanagari,
 *   Thai, Khmer, any Unicode decimal digit) is read as one; Khmer names a phone interview and who
 *   dials, with Cambodia's numbers, and is read as Thai is, without spaces between words; an
 *   "Applicant:" or "Applicant phone:" of someone else, "leave your notes" or "notes in the ATS" are
 *   the hiring side, as their "Candidate" and "feedback" forms are; a title "with <job> candidate"
 *   ("Phone interview with nanny candidate – …") names someone else as the candidate; a
 *   "pre-interview" is the call before a show's interview, not a job's; a letter's "Dear Candidate:" or
 *   "Dear Applicant:" addresses the user and is no label of the hiring side.
 * - 23: Webex's "When it's time, join the Webex meeting here." and RingCentral Video's "… has invited
 *   you to a RingCentral Video meeting." and "One tap to join audio only from a smartphone:" open a
 *   provider's joining block, so its links and product names are no longer a person's words for video
 *   (a phone interview dialled in on it was held for review); "press #", "press 1", "press the pound
 *   key" name a key of the keypad, not the press.
 */
export const DETECTION_VERSION = 23;

/** The confidence of an interview whose number could be of either of two countries: below the review line. */
const NUMBER_DOUBT = 0.6;

/** English phrases saying that the interviewer dials the candidate (all languages: `words.json`). */
export const INTERVIEWER_CALLS_PHRASES: readonly string[] = builtInWords('interviewerCalls', 'en');
/** English phrases saying that the candidate dials the interviewer. */
export const CANDIDATE_CALLS_PHRASES: readonly string[] = builtInWords('candidateCalls', 'en');

/** The category (Outlook, iCalendar CATEGORIES) that marks an interview, compared in any case. */
export const INTERVIEW_CATEGORY = 'phone interview';

/** `notes` keeps at most this many characters of the description. */
export const NOTES_LIMIT = 4_000;
/** `title` keeps at most this many characters. */
export const TITLE_LIMIT = 500;

/** Bidi overrides, zero-width characters: invisible, dropped before matching. */
const FORMAT_CHARS = /\p{Cf}/gu;

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
  // Most events have no '#' at all: the pattern (Unicode lookarounds) is not run on them.
  if (!text.includes('#')) return tags;
  let count = 0;
  for (const match of text.matchAll(TAG_PATTERN)) {
    const tag = TAGS.get((match[1] ?? '').toLowerCase());
    if (tag !== undefined && !tags.includes(tag)) tags.push(tag);
    count += 1;
    if (count >= MAX_TAG_MATCHES || tags.length === DISTINCT_TAGS) break;
  }
  return tags;
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

/**
 * The candidate's addresses: the configured one, any the source marks as the owner's, and any an
 * organizer or guest with the candidate's full name writes from. A user who also recruits organises
 * screens from a work address under their own name, and its copy in the personal calendar is theirs
 * (held-out rounds 16 and 17: "Ada Park <ada@vendly.example>" running a recruiter screen). A lone
 * first name says too little: someone else may share it.
 */
function candidateEmails(event: CalendarEvent, candidate: Candidate): Set<string> {
  const emails = new Set<string>();
  const own = emailOf(candidate);
  if (own !== '') emails.add(own);
  const fullName = nameKey(candidate.name);
  for (const person of [...(event.organizer === null ? [] : [event.organizer]), ...event.attendees]) {
    const marked = 'self' in person && person.self === true;
    if (!marked && !(fullName.includes(' ') && nameKey(person.name) === fullName)) continue;
    const email = emailOf(person);
    if (email !== '') emails.add(email);
  }
  return emails;
}

/** A name as one compares it: case, width and spacing aside. */
function nameKey(name: string): string {
  return name.normalize('NFKC').trim().replace(/\s+/g, ' ').toLowerCase();
}

/** "Hi Kevin,", "Dear Ms Osei,": the greeting that opens a text, and the name it is written to. */
const GREETING = /^\s*(?:hi|hello|hey|dear)\s+(?:(?:mr|mrs|ms|dr)\.?\s+)?([\p{L}'-]{2,40})/iu;

/**
 * The text was written by the user to someone else on the event. Either the user made the event and
 * its text opens with a greeting to someone else on it (Outlook's "Reply with Meeting" puts the
 * user's reply above the quoted email), or the organizer made it from the user's own email: the text
 * opens with a greeting to the organizer ("Hi John, … I will plan on calling you at that time"), and
 * nobody but the organizer and the user is on it, so nobody else can have written it (held-out round
 * 18). A text the user pasted from the recruiter is greeted to the user, and a typed note greets
 * nobody.
 */
function candidateWrote(event: CalendarEvent, self: ReadonlySet<string>): boolean {
  if (event.organizer === null) return false;
  const greeted = GREETING.exec(event.description.slice(0, 200))?.[1]?.toLowerCase();
  if (greeted === undefined) return false;
  const named = (person: Person): boolean => person.name.toLowerCase().split(/\s+/).includes(greeted);
  const others = event.attendees.filter((a) => !isCandidateAttendee(a, self));
  if (self.has(emailOf(event.organizer))) return others.some(named);
  const organizer = emailOf(event.organizer);
  return named(event.organizer) && others.every((a) => emailOf(a) === organizer);
}

function isCandidateAttendee(attendee: Attendee, self: ReadonlySet<string>): boolean {
  return attendee.self === true || self.has(emailOf(attendee));
}

/** The counterpart, and the address its company and part in the event are read from. */
interface Found {
  readonly counterpart: Counterpart;
  readonly address: string;
  /** The interviewer the text names, chosen over the organizer who can be written to. */
  readonly byOrganizer?: boolean;
}

function isOrganizer(event: CalendarEvent, address: string): boolean {
  return event.organizer !== null && emailOf(event.organizer) === address;
}

function attendeeStatus(event: CalendarEvent, address: string): Attendee['status'] | undefined {
  return event.attendees.find((a) => emailOf(a) === address)?.status;
}

/**
 * The person the text names as the interviewer when exactly one of those who can be written to is
 * that person (detection/interviewer.ts): a coordinator's invitation is about the interviewer's
 * call. Else the organizer when it is not the candidate, else the first attendee who is not. When
 * none of them can be written to but one is a no-reply sender (an ATS sent the invitation on
 * someone's behalf), the counterpart is the person the text names, without an address; its display
 * name ("Fabrikam Recruiting") is the tool's, never taken as a person's. Null when nobody else is
 * on the event at all (the user's own entry) or only calendar ids are.
 */
function counterpartOf(event: CalendarEvent, self: ReadonlySet<string>, named: Naming): Found | null {
  const others: Person[] = event.attendees.filter((a) => !isCandidateAttendee(a, self));
  if (event.organizer !== null && !self.has(emailOf(event.organizer))) others.unshift(event.organizer);
  const first = others.find((p) => isReachablePerson(p.email));
  // With one person to write to there is no choice to make: the text is not read for it.
  const choice = first !== undefined && others.some((p) => emailOf(p) !== emailOf(first) && isReachablePerson(p.email));
  const namedOne = choice ? interviewerAmong(named.all(), others.filter((p) => isReachablePerson(p.email))) : null;
  // An interviewer who declined will not be on the call: the organizer stays the one to write to.
  const picked = namedOne !== null && attendeeStatus(event, emailOf(namedOne)) !== 'declined' ? namedOne : null;
  const person = picked ?? first;
  if (person !== undefined) {
    const byOrganizer = picked !== null && first !== undefined && emailOf(picked) !== emailOf(first) && isOrganizer(event, emailOf(first));
    return { counterpart: { name: oneLine(person.name, 200), email: emailOf(person) }, address: emailOf(person), byOrganizer };
  }
  const sender = others.find((p) => isNoReplyAddress(p.email) && domainOf(emailOf(p)) !== null);
  if (sender === undefined) return null;
  return { counterpart: { name: oneLine(named.first() ?? '', 200), email: null }, address: emailOf(sender) };
}

/** The company of the counterpart's address; a recruiting tool's own domain names no employer. */
function companyFor(found: Found, freeMailDomains: readonly string[]): string | null {
  const company = companyOf(found.address, freeMailDomains);
  return company !== null && found.counterpart.email === null && isSchedulerDomain(company) ? null : company;
}

/** The candidate's names: the configured one, and those of the attendees who are the candidate. */
function ownNames(event: CalendarEvent, candidate: Candidate, self: ReadonlySet<string>): string[] {
  return [candidate.name, ...event.attendees.filter((a) => isCandidateAttendee(a, self)).map((a) => a.name)];
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

/** Whether the counterpart is the event's organizer or an attendee, and then what it answered. */
function counterpartRoleOf(event: CalendarEvent, found: Found): CounterpartRole {
  if (isOrganizer(event, found.address)) return 'organizer';
  const status = attendeeStatus(event, found.address) ?? 'unknown';
  // Interviewers often never answer an invitation an ATS or a coordinator put them on: the
  // organizer's invitation, which the user accepted, is what puts them on the call.
  if (found.byOrganizer === true && (status === 'needs-action' || status === 'unknown')) return 'named-by-organizer';
  return status;
}

interface Prepared {
  readonly lexicon: Lexicon;
  readonly freeMail: ReadonlySet<string>;
}

/** What one detection config needs, built once: the config object lives as long as the daemon. */
const prepared = new WeakMap<DetectionSettings, Prepared>();
function lexiconOf(detection: DetectionSettings): Prepared {
  let found = prepared.get(detection);
  if (found === undefined) {
    found = { lexicon: buildLexicon((detection.words ?? {}) as WordExtension, detection.keywords), freeMail: new Set(detection.freeMailDomains) };
    prepared.set(detection, found);
  }
  return found;
}

/** The candidate's own number and its country, parsed once per candidate (parsing is costly). */
const phones = new WeakMap<Candidate, { candidatePhone: string | null; region: string | undefined }>();
function phoneOf(candidate: Candidate): { candidatePhone: string | null; region: string | undefined } {
  let found = phones.get(candidate);
  if (found === undefined) {
    const candidatePhone = toE164(candidate.phone);
    found = { candidatePhone, region: candidatePhone === null ? undefined : regionOf(candidatePhone) };
    phones.set(candidate, found);
  }
  return found;
}

function isExplicit(event: CalendarEvent, tags: readonly Tag[]): boolean {
  return (
    tags.includes('interview') ||
    event.categories.some((c) => c.trim().toLowerCase() === INTERVIEW_CATEGORY) ||
    event.tags['ringback'] === 'interview'
  );
}

/** Everything detection concluded about one event: what `explain` shows. */
export interface Analysis {
  readonly result: DetectResult;
  readonly kind: EventKind;
  readonly confidence: number;
  readonly review: boolean;
  readonly decidedBy: 'detection' | 'tag' | 'you';
  /** Strongest first. */
  readonly evidence: readonly Evidence[];
}

function quoted(evidence: Evidence | null): string {
  return evidence === null ? '' : `the ${evidence.field} says "${evidence.text}"`;
}

function skipFor(classification: Classification): NotAnInterview {
  const detail = quoted(classification.decisive);
  if (classification.kind === 'video') return { reason: 'video', detail };
  if (classification.kind === 'in-person') return { reason: 'in-person', detail };
  switch (classification.because) {
    case 'own-block':
      return { reason: 'own-block', detail };
    case 'hiring-side':
      return { reason: 'not-interview', detail: `you are on the hiring side: ${detail}` };
    case 'private':
      return { reason: 'not-interview', detail: `a private call: ${detail}` };
    default:
      return { reason: 'no-match' };
  }
}

function byWeight(evidence: readonly Evidence[]): Evidence[] {
  return [...evidence].sort((a, b) => b.weight - a.weight);
}

type Facts = Omit<Analysis, 'result'>;

function skipped(reason: NotAnInterview, facts: Facts): Analysis {
  return { ...facts, result: { kind: 'skip', ...reason } };
}

/** Reads `event` whole: its class, confidence, evidence, and, for a phone interview, what the emails need. */
/**
 * The country the event's own time zone names, as a hint for a number written without a country
 * code. Not when the zone is the candidate's own: then it says where the candidate is (their calendar
 * stamps their zone on what they type), not where the interviewer is.
 */
function zoneHint(zone: string | null, own: string | undefined): string | undefined {
  return zone === null || zone === own ? undefined : regionOfZone(zone);
}

export function analyse(event: CalendarEvent, settings: DetectSettings, mark?: UserMark): Analysis {
  const titleTags = tagsIn(event.title);
  const descriptionTags = tagsIn(event.description);
  const tags = [...titleTags, ...descriptionTags];
  const tagged: Facts = { kind: 'not-interview', confidence: 1, review: false, decidedBy: 'tag', evidence: [] };
  if (titleTags.includes('noringback')) return skipped({ reason: 'excluded', detail: '#noringback in the title' }, tagged);
  if (descriptionTags.includes('noringback')) return skipped({ reason: 'excluded', detail: '#noringback in the description' }, tagged);

  const { lexicon, freeMail } = lexiconOf(settings.detection);
  const { candidatePhone, region } = phoneOf(settings.candidate);
  const self = candidateEmails(event, settings.candidate);
  const reading = readEvent(event, lexicon);
  const classification = classify({ event, reading, lexicon, freeMail, self });
  const explicit = isExplicit(event, tags);
  const decidedBy = explicit ? 'tag' : mark !== undefined ? 'you' : 'detection';
  const kind: EventKind = explicit ? 'phone' : (mark?.kind ?? classification.kind);
  const settled = decidedBy !== 'detection';
  const facts: Facts = {
    kind,
    confidence: settled ? 1 : classification.confidence,
    review: settled ? false : classification.review,
    decidedBy,
    evidence: byWeight(classification.evidence),
  };

  if (kind === 'not-interview' && (decidedBy === 'you' || classification.because === 'no-job')) {
    return skipped(decidedBy === 'you' ? { reason: 'marked', detail: 'you marked it: not an interview' } : { reason: 'no-match' }, facts);
  }
  if (event.status === 'cancelled') return skipped({ reason: 'cancelled' }, facts);
  if (event.allDay) return skipped({ reason: 'all-day' }, facts);
  if (kind !== 'phone') {
    return skipped(decidedBy === 'you' ? { reason: 'marked', detail: `you marked it: ${kind} interview` } : skipFor(classification), facts);
  }
  const found = counterpartOf(event, self, namingOf(reading, event.location, () => ownNames(event, settings.candidate, self)));
  if (found === null) return skipped({ reason: 'no-counterpart' }, facts);

  // Numbers are parsed only now, for a phone interview: parsing is the costly part of reading.
  const userWrote = candidateWrote(event, self);
  const numbers = writtenNumbers(reading, event.location, region, candidatePhone, elsewhereOf(reading, lexicon, region, zoneHint(event.timeZone, settings.candidate.timezone)), userWrote);
  const read = diallingOf({
    reading,
    numbers,
    candidatePhone,
    defaultDirection: settings.detection.defaultDirection,
    bridgeOnCalendar: event.conferencePhones.length > 0,
    candidateWrote: userWrote,
  });
  const direction = mark?.direction ?? read.direction;
  // A direction the user changed without a number: the number read for the other direction is wrong.
  const number = mark?.number ?? (direction === read.direction ? read.number : direction === 'interviewer-calls' ? candidatePhone : null);
  // Dialling in holds only while the candidate dials and no number is chosen: a mark that says otherwise ends it.
  const dialIn = dialsIn({ dialIn: read.dialIn, direction, number });
  // A number whose country could be either (a local number in another language's sentence that is also
  // one of the candidate's country) is not chosen silently: the confirmation waits for the user.
  // Its confidence falls below the review line, so that what every list shows ("needs review
  // (confidence 0.6)") agrees with the rule that uncertain means review.
  const doubt = read.otherReading !== null && number === read.number && decidedBy === 'detection';
  // A call time the text states that is not the event's instant (a floating or mis-zoned entry):
  // the confirmation would name a time hours off, so it waits for the user, as a doubtful number does.
  const stated = statedTimeOf({ ...event, candidateZone: settings.candidate.timezone });
  const timeDoubt = (stated.kind === 'differs' || stated.kind === 'unclear') && decidedBy === 'detection';
  // A floating start was placed on a clock the entry did not name: `explain` says which.
  const statedEvidence = [
    ...(stated.kind === 'none' || stated.evidence === null ? [] : [stated.evidence]),
    ...(event.floating === undefined ? [] : [floatingTimeEvidence(event.start, event.floating)]),
  ];
  const review = facts.review || doubt || timeDoubt;
  const confidence = doubt || timeDoubt ? Math.min(facts.confidence, NUMBER_DOUBT) : facts.confidence;
  const statedZone = stated.kind === 'agrees' ? stated.zone : null;
  // An offset holds for the instant it was stated for: kept with it, never as a zone.
  const statedOffset = stated.kind === 'agrees' && stated.offset !== null ? { at: event.start, offset: stated.offset } : null;
  const detection: Detection = {
    title: oneLine(event.title, TITLE_LIMIT),
    start: event.start,
    end: event.end,
    timeZone: event.timeZone,
    counterpart: found.counterpart,
    company: companyFor(found, settings.detection.freeMailDomains),
    number,
    direction,
    // Written only when true: records of interviews without it stay as they were.
    ...(dialIn ? { dialIn: true } : {}),
    ...(statedZone !== null ? { statedZone } : {}),
    ...(statedOffset !== null ? { statedOffset } : {}),
    role: roleOf(event, self),
    counterpartRole: counterpartRoleOf(event, found),
    notes: notesOf(event.description),
    taggedOutcome: tags.find(isOutcome) ?? null,
    confidence,
    review,
    // Kept with the interview (in Redis): the strongest pieces and how the number was read; `explain` shows them.
    evidence: [...statedEvidence, ...facts.evidence.filter((e) => e.weight > 0).slice(0, 10), ...read.evidence.slice(0, 3)],
    decidedBy,
  };
  const evidence = [...statedEvidence, ...facts.evidence, ...read.evidence];
  return { ...facts, confidence, review, evidence, result: { kind: 'interview', detection } };
}

/**
 * Decides whether `event` is a phone interview and, if so, what the emails about it need.
 * `mark` is the user's own answer for this event; a tag in the event still wins over it.
 */
export function detect(event: CalendarEvent, settings: DetectSettings, mark?: UserMark): DetectResult {
  return analyse(event, settings, mark).result;
}


/**
 * The facts an email depends on, as one stable string: start, end, the number dialled, who dials
 * (and whether the candidate dials in to a bridge), the organizer and the attendees (sorted, so that a reorder by the server changes nothing).
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
    // Only when set, so that the key (and the revision) of every other interview stays the same.
    ...(detection.dialIn === true ? { dialIn: true } : {}),
    // The interviewer's zone the text states changes what the emails say ("12:00 PM Pacific for you").
    ...(detection.statedZone !== undefined ? { statedZone: detection.statedZone } : {}),
    // So does an offset stated for the call ("12:00 noon GMT+5:30 for you").
    ...(detection.statedOffset !== undefined ? { statedOffset: detection.statedOffset.offset } : {}),
    organizer: event.organizer === null ? null : emailOf(event.organizer),
    attendees,
  });
}
