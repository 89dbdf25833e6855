/**
 * What every email template shares: the facts pulled (cleaned) from an interview, the greeting,
 * the signature, the ways of writing a time and a number, and the step that turns paragraphs
 * into a {@link ComposedEmail} whose text and HTML say the same thing.
 *
 * Bodies are written as blocks of plain sentences. The HTML is made by escaping each block, so
 * no input reaches the HTML unescaped and the two versions cannot drift apart.
 */
import type { Candidate, ComposedEmail, Interview, Millis, Person, Slot } from '../types.js';
import { formatPhoneForDisplay, formatTimeBothZones, knownZone, safeZone } from '../format.js';
import { MAX_SUBJECT, escapeHtml, headerToken, oneLine, replySubject, truncate } from './text.js';

/** The input every template takes. */
export interface ComposeBase {
  /** Title, start, end, timeZone (the event's zone, may be null), counterpart, company, number, direction. */
  readonly interview: Interview;
  /** Name, email, phone (E.164), timezone. */
  readonly candidate: Candidate;
  /** Already made by the caller, angle-bracketed. */
  readonly messageId: string;
  /** When the email is written; becomes its Date. */
  readonly now: Millis;
}

/** An earlier message of the same conversation that this email answers. */
export interface ReplyTo {
  readonly messageId: string;
  readonly subject: string;
}

export type Block =
  | { readonly kind: 'para'; readonly text: string }
  | { readonly kind: 'list'; readonly items: readonly string[] }
  | { readonly kind: 'lines'; readonly lines: readonly string[] };

/** The cleaned facts a template needs; nothing raw from the calendar is used past this point. */
export interface Facts {
  readonly candidateZone: string;
  /** The event's zone when known; the recipient is assumed to live by it. */
  readonly recipientZone: string | null;
  /** Counterpart's name as the greeting uses it, '' when there is none worth using. */
  readonly counterpartName: string;
  readonly candidateName: string;
  /** Cleaned, short event title, '' when empty. */
  readonly title: string;
  readonly from: Person;
  readonly to: Person;
}

const NAME_MAX = 80;
const TITLE_MAX = 100;
const EMAIL_MAX = 254;
const MESSAGE_ID_MAX = 250;
/** More proposed times than this would not be read; the slot finder offers three. */
const SLOTS_MAX = 5;

/**
 * A name as people say it: "Whitfield, Dana" (Outlook's directory order) becomes "Dana Whitfield";
 * an address given as a name is no name.
 */
export function addressName(raw: string): string {
  const name = oneLine(raw, NAME_MAX);
  if (name.includes('@')) return '';
  const parts = /^([^,]+),\s*([^,]+)$/.exec(name);
  if (parts?.[1] !== undefined && parts[2] !== undefined) return `${parts[2].trim()} ${parts[1].trim()}`;
  return name;
}

const HONORIFIC = /^(dr|mr|mrs|ms|mx|prof|sir|dame)\.?$/i;

/**
 * How the greeting addresses someone: the first name ("Dana" for "Dana Whitfield"), or the whole
 * name after an honorific ("Dr. Lee"). The user reads every draft and can change it.
 */
export function greetingName(raw: string): string {
  const name = addressName(raw);
  const words = name.split(' ');
  const first = words[0] ?? '';
  if (words.length < 2 || HONORIFIC.test(first)) return name;
  return first;
}

export function factsOf(base: ComposeBase): Facts {
  const { interview, candidate } = base;
  const counterpartName = greetingName(interview.counterpart.name);
  const candidateName = oneLine(candidate.name, NAME_MAX);
  return {
    candidateZone: safeZone(candidate.timezone),
    recipientZone: knownZone(interview.timeZone),
    counterpartName,
    candidateName,
    title: oneLine(interview.title, TITLE_MAX),
    from: { name: candidateName, email: headerToken(candidate.email, EMAIL_MAX) },
    to: { name: oneLine(interview.counterpart.name, NAME_MAX), email: headerToken(interview.counterpart.email, EMAIL_MAX) },
  };
}

export function greeting(facts: Facts): Block {
  return { kind: 'para', text: facts.counterpartName === '' ? 'Hello,' : `Hi ${facts.counterpartName},` };
}

/** Closing line, then the candidate's name and number. */
export function signature(facts: Facts, candidate: Candidate, closing: string): Block {
  const phone = displayNumber(candidate.phone);
  const lines = [closing, facts.candidateName, phone ?? ''].filter((line) => line !== '');
  return { kind: 'lines', lines };
}

/** A number for the body, or null when there is nothing that looks like a number at all. */
export function displayNumber(raw: string | null | undefined): string | null {
  if (typeof raw !== 'string' || !/\d/.test(raw.slice(0, 40))) return null;
  return formatPhoneForDisplay(raw);
}

/**
 * The number at which the counterpart reaches the candidate. When the interviewer dials, the
 * event's number is the one they were given (it may differ from the configured one); otherwise
 * the event's number is the interviewer's own, and the candidate's configured number is meant.
 */
export function candidateNumber(interview: Interview, candidate: Candidate): string | null {
  if (interview.direction === 'interviewer-calls') {
    return displayNumber(interview.number) ?? displayNumber(candidate.phone);
  }
  return displayNumber(candidate.phone);
}

/** "3:00 PM EDT (12:00 PM PDT for you)", or with the date in front. */
export function timeFor(facts: Facts, t: Millis, withDate: boolean): string {
  return formatTimeBothZones(t, facts.candidateZone, facts.recipientZone, { withDate });
}

/** The proposed times, each in both zones, earliest first, at most a handful. */
export function slotList(facts: Facts, slots: readonly Slot[]): Block {
  const items = [...slots]
    .filter((slot) => Number.isFinite(slot.start))
    .sort((a, b) => a.start - b.start)
    .slice(0, SLOTS_MAX)
    .map((slot) => timeFor(facts, slot.start, true));
  return { kind: 'list', items };
}

/** ` (“Backend Engineer, Acme”)` after "our phone interview", so a busy recruiter knows which one. */
export function titleRef(facts: Facts): string {
  return facts.title === '' ? '' : ` (“${facts.title}”)`;
}

/** A subject with a short reminder of the title, bounded. */
export function subjectWithTitle(subject: string, facts: Facts): string {
  const withTitle = facts.title === '' ? subject : `${subject} – ${truncate(facts.title, 60)}`;
  return oneLine(withTitle, MAX_SUBJECT);
}

export function para(text: string): Block {
  return { kind: 'para', text };
}

function renderText(blocks: readonly Block[]): string {
  const parts = blocks.map((block) => {
    if (block.kind === 'para') return block.text;
    if (block.kind === 'list') return block.items.map((item) => `  - ${item}`).join('\n');
    return block.lines.join('\n');
  });
  return `${parts.join('\n\n')}\n`;
}

function renderHtml(blocks: readonly Block[]): string {
  const parts = blocks.map((block) => {
    if (block.kind === 'para') return `<p>${escapeHtml(block.text)}</p>`;
    if (block.kind === 'list') return `<ul>${block.items.map((item) => `<li>${escapeHtml(item)}</li>`).join('')}</ul>`;
    return `<p>${block.lines.map(escapeHtml).join('<br>')}</p>`;
  });
  return `<!DOCTYPE html><html><head><meta charset="utf-8"></head><body>${parts.join('\n')}</body></html>\n`;
}

export interface Finish {
  readonly base: ComposeBase;
  readonly facts: Facts;
  readonly subject: string;
  readonly blocks: readonly Block[];
  readonly replyTo?: ReplyTo | null;
}

/** Assembles the email; a reply takes "Re:" of the earlier subject and names it in its threading headers. */
export function finish({ base, facts, subject, blocks, replyTo }: Finish): ComposedEmail {
  const inReplyTo = replyTo ? headerToken(replyTo.messageId, MESSAGE_ID_MAX) : '';
  const email: ComposedEmail = {
    messageId: headerToken(base.messageId, MESSAGE_ID_MAX),
    from: facts.from,
    to: [facts.to],
    subject: replyTo ? replySubject(replyTo.subject) : oneLine(subject, MAX_SUBJECT),
    text: renderText(blocks),
    html: renderHtml(blocks),
    date: base.now,
  };
  if (inReplyTo === '') return email;
  return { ...email, inReplyTo, references: [inReplyTo] };
}
