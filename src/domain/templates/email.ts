/**
 * What every email template shares: the facts pulled (cleaned) from an interview, the greeting,
 * the signature, the ways of writing a time and a number, and the step that turns paragraphs
 * into a {@link ComposedEmail} whose text and HTML say the same thing.
 *
 * Bodies are written as blocks of plain sentences. The HTML is made by escaping each block, so
 * no input reaches the HTML unescaped and the two versions cannot drift apart.
 */
import type { Candidate, ComposedEmail, Interview, Millis, Person, Slot } from '../types.js';
import { formatPhoneForDisplay, safeZone } from '../format.js';
import { interviewWords, isTeamName, type InterviewWords } from '../interview-words.js';
import { dateClockWithZone, interviewRecipientClock, spokenTime, type RecipientClock } from '../zones.js';
import { MAX_SUBJECT, escapeHtml, headerToken, oneLine, replySubject } from './text.js';

/** The input every template takes. */
export interface ComposeBase {
  /** Title, start, end, timeZone (the event's zone, may be null), counterpart, company, number, direction. */
  readonly interview: Interview;
  /** Name, email, phone (E.164), timezone. */
  readonly candidate: Candidate;
  /** Already made by the caller, angle-bracketed. */
  readonly messageId: string;
  /** When the email is written. The mailbox sets the Date header again when it is sent. */
  readonly now: Millis;
  /**
   * The recipient's zone as the user set it for their address or company (`ringback company
   * zone`); it wins over the event's zone. Null or absent: only the event can tell.
   */
  readonly zoneSet?: string | null;
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
  /**
   * The recipient's zone when something tells it (see zones.ts); else the offset the invitation
   * stated for the call, good at the call's instant only; else null: one zone is shown.
   */
  readonly recipientZone: RecipientClock;
  /** Counterpart's first name as the greeting uses it, '' for a team, a mailbox or no name. */
  readonly counterpartName: string;
  readonly candidateName: string;
  /** The role and company the event names; the title itself is never quoted. */
  readonly words: InterviewWords;
  readonly from: Person;
  /** Null when the counterpart has no address: the draft is written without a recipient. */
  readonly to: Person | null;
}

const NAME_MAX = 80;
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
  const team = isTeamName(interview.counterpart.name, interview.company);
  const counterpartName = team ? '' : greetingName(interview.counterpart.name);
  const candidateName = oneLine(candidate.name, NAME_MAX);
  return {
    candidateZone: safeZone(candidate.timezone),
    recipientZone: interviewRecipientClock(interview, base.zoneSet, base.candidate.timezone),
    counterpartName,
    candidateName,
    words: interviewWords({
      title: interview.title,
      company: interview.company,
      counterpartName: interview.counterpart.name,
      candidateName: candidate.name,
    }),
    from: { name: candidateName, email: headerToken(candidate.email, EMAIL_MAX) },
    to: interview.counterpart.email === null ? null : { name: oneLine(interview.counterpart.name, NAME_MAX), email: headerToken(interview.counterpart.email, EMAIL_MAX) },
  };
}

export function greeting(facts: Facts): Block {
  return { kind: 'para', text: facts.counterpartName === '' ? 'Hello,' : `Hi ${facts.counterpartName},` };
}

/**
 * Closing line, then the candidate's name and the number they are reached at for this call (the
 * one the interviewer was given, when it differs from the configured one), so that the body and
 * the signature never name two different numbers.
 */
export function signature(facts: Facts, base: Pick<ComposeBase, 'interview' | 'candidate'>, closing: string): Block {
  const phone = candidateNumber(base.interview, base.candidate);
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

/** "3:00 PM Eastern (12:00 PM Pacific for you)", or with the date in front. */
export function timeFor(facts: Facts, t: Millis, withDate: boolean): string {
  return spokenTime(t, facts.candidateZone, facts.recipientZone, { withDate });
}

/** "Wednesday, March 11, 9:00 AM Eastern". */
export function ownDateClock(facts: Facts, t: Millis): string {
  return dateClockWithZone(t, facts.candidateZone);
}

/** The proposed times, each in both zones, earliest first, at most a handful. */
export function slotList(facts: Facts, slots: readonly Slot[]): Block {
  const items = [...slots]
    .filter((slot) => Number.isFinite(slot.start))
    .sort((a, b) => a.start - b.start)
    .slice(0, SLOTS_MAX)
    // The sentence before the list names whose clock is whose; "for you" on every line is noise.
    .map((slot) => spokenTime(slot.start, facts.candidateZone, facts.recipientZone, { withDate: true, otherLabel: '', otherWeekdayOnly: true }));
  return { kind: 'list', items };
}

/**
 * The free times as a list after the sentence that offers them (`one` when a single time is left,
 * which "one of these" would not fit), or, when there are none, the sentence that asks the
 * counterpart for a time instead (never an invented time).
 */
export function offerTimes(facts: Facts, slots: readonly Slot[], sentence: { readonly some: string; readonly one: string; readonly none: string }): Block[] {
  if (slots.length === 0) return [para(sentence.none)];
  return [para(slots.length === 1 ? sentence.one : sentence.some), slotList(facts, slots)];
}

/** Words of a body as a reader counts them. */
export function wordCount(blocks: readonly Block[]): number {
  return renderText(blocks).split(/\s+/).filter((word) => word !== '').length;
}

/**
 * The body with as many of the free times as fit in `limit` words, earliest first (at least one
 * when there are any). Each time read on two clocks, a day apart, is a dozen words: three of them
 * after a start and an "until" also on two clocks take a no-show note to 120 words (New York and
 * Auckland), past what a recruiter reads on a phone.
 */
export function fitTimes(limit: number, slots: readonly Slot[], body: (slots: readonly Slot[]) => Block[]): Block[] {
  const sorted = [...slots].sort((a, b) => a.start - b.start);
  for (let n = sorted.length; n > 1; n -= 1) {
    const blocks = body(sorted.slice(0, n));
    if (wordCount(blocks) <= limit) return blocks;
  }
  return body(sorted.slice(0, 1));
}

/** "our phone interview for the Platform Engineer role", or "our phone interview". */
export function interviewPhrase(facts: Facts): string {
  return facts.words.role === null ? 'our phone interview' : `our phone interview for the ${facts.words.role} role`;
}

/** Longest subject we write: what a mail list shows without cutting it. */
const SUBJECT_MAX = 78;

/**
 * A subject as a person writes it: a head that is always kept, then an optional tail (" – the
 * role") only when it fits whole; the head itself is cut at a word boundary if it must be.
 */
export function subjectLine(head: string, tail: string | null = null): string {
  const clean = oneLine(head, MAX_SUBJECT);
  const extra = tail === null ? '' : oneLine(tail, MAX_SUBJECT);
  if (extra !== '' && clean.length + 3 + extra.length <= SUBJECT_MAX) return `${clean} – ${extra}`;
  if (clean.length <= SUBJECT_MAX) return clean;
  const cut = clean.slice(0, SUBJECT_MAX + 1);
  const space = cut.lastIndexOf(' ');
  return (space > 20 ? cut.slice(0, space) : cut.slice(0, SUBJECT_MAX)).replace(/[\s,;:–—-]+$/, '');
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

/**
 * Assembles the email. A reply (only ever under a message the recipient received) takes "Re:" and
 * the earlier subject, which Gmail needs to keep it in the thread ("The Subject headers must
 * match", Gmail API, users.drafts: https://developers.google.com/resources/api-libraries/documentation/gmail/v1/python/latest/gmail_v1.users.drafts.html),
 * and names it in In-Reply-To and References.
 */
export function finish({ base, facts, subject, blocks, replyTo }: Finish): ComposedEmail {
  const inReplyTo = replyTo ? headerToken(replyTo.messageId, MESSAGE_ID_MAX) : '';
  const email: ComposedEmail = {
    messageId: headerToken(base.messageId, MESSAGE_ID_MAX),
    from: facts.from,
    to: facts.to === null ? [] : [facts.to],
    subject: replyTo ? replySubject(replyTo.subject) : oneLine(subject, MAX_SUBJECT),
    text: renderText(blocks),
    html: renderHtml(blocks),
    date: base.now,
  };
  if (inReplyTo === '') return email;
  return { ...email, inReplyTo, references: [inReplyTo] };
}
