/**
 * The confirmation: a short note one or two hours before the call saying when, who dials whom,
 * and at which number (or, on a meeting's bridge, that the candidate dials in). Sent as the user left the draft. When the event does not say who dials, it
 * asks: settling that is the point of confirming.
 */
import type { Candidate, ComposedEmail, Interview, Millis } from '../types.js';
import { dialsIn } from '../dial-in.js';
import { sha256 } from '../ids.js';
import { minutesUntil, plural } from '../format.js';
import { interviewRecipientClock, sharedDayPhrase, spokenTime, subjectTime } from '../zones.js';
import {
  type Block,
  type ComposeBase,
  type Facts,
  candidateNumber,
  displayNumber,
  factsOf,
  finish,
  greeting,
  interviewPhrase,
  para,
  signature,
  subjectLine,
  timeFor,
} from './email.js';

export interface ConfirmationInput extends ComposeBase {
  /** Written inside the lead window: the email says how many minutes are left. */
  readonly shortNotice: boolean;
  /**
   * When the draft is due to be sent: "today" and "in 25 minutes" are read from then, not from
   * when the draft was written. Absent: about an hour before the call, the default lead.
   */
  readonly sendAt?: Millis;
  /**
   * The start named by a confirmation this recipient already received, when the call has moved
   * since: this one confirms the new time, and says which time it replaces. Null or absent: the
   * first confirmation they get (a new recipient never got the earlier one).
   */
  readonly earlier?: Millis | null;
}

const USUAL_LEAD_MS = 60 * 60_000;

/**
 * What a confirmation says, as a short digest of everything its text is made from: of the
 * interview (the start, the title's role and company, the interviewer, who dials and the number,
 * the clocks it is written on, the user's role), and of the candidate as the config gives them
 * (the name it is signed with and sent from, the number it states and signs with, their clock).
 * Two revisions with the same digest get the same confirmation, word for word: a call made longer,
 * or another attendee added, changes none of it; a new phone number in the config does, and the
 * interviewer, whose copy names the old one, is given a new one. The end is left out on purpose:
 * no confirmation names it. Numbers and addresses as the email shows them, so that the same number
 * written otherwise in the config is no change. The recipient's clock the user set for the company
 * or address (`ringback company zone`, `theirZone`; null for none) as the email uses it: set after
 * the call's confirmation went out, it is a detail the recipient was not given, as a new number is.
 * Left out: the send time, which only moves "today" and "in 25 minutes".
 */
export function confirmationSays(interview: Interview, candidate: Candidate, theirZone: string | null = null): string {
  const theirClock = interviewRecipientClock(interview, theirZone, candidate.timezone);
  return SAYS_VERSION + digestOf({ ...interviewSays(interview), me: meSays(candidate), theirClock });
}

/**
 * Marks a digest that holds the candidate and the recipient's clock. `2`: the candidate without
 * the recipient's clock; none: 16 characters of the interview alone (earlier versions).
 */
const SAYS_VERSION = '3';
const WITH_CANDIDATE = '2';

const digestOf = (said: Record<string, unknown>): string => sha256(JSON.stringify(said), 'base64url').slice(0, 16);

function meSays(candidate: Candidate): Record<string, unknown> {
  return { name: candidate.name.trim(), email: candidate.email.trim().toLowerCase(), phone: displayNumber(candidate.phone), timezone: candidate.timezone };
}

/**
 * True when `recorded` (a confirmation record's digest) is what `interview` would be given now,
 * `theirZone` being the recipient's zone the user has set (null for none). A digest of an earlier
 * version is compared as it was made (without the recipient's clock; the oldest, of the interview
 * alone): the first event change after an upgrade would otherwise write a second confirmation for
 * every call whose confirmation had gone out. A change made before the upgrade is not seen in such
 * a record.
 */
export function saysTheSame(recorded: string, interview: Interview, candidate: Candidate, theirZone: string | null = null): boolean {
  const versioned = recorded.length === 1 + 16;
  if (versioned && recorded.startsWith(SAYS_VERSION)) return recorded === confirmationSays(interview, candidate, theirZone);
  if (versioned && recorded.startsWith(WITH_CANDIDATE)) return recorded === WITH_CANDIDATE + digestOf({ ...interviewSays(interview), me: meSays(candidate) });
  return recorded === digestOf(interviewSays(interview));
}

function interviewSays(interview: Interview): Record<string, unknown> {
  const { title, start, timeZone, counterpart, company, number, direction, dialIn, statedZone, statedOffset, role, counterpartRole } = interview;
  return { title, start, timeZone, counterpart, company, number, direction, dialIn, statedZone, statedOffset, role, counterpartRole };
}

function whoDials(input: ConfirmationInput): string {
  const { interview, candidate } = input;
  const mine = candidateNumber(interview, candidate);
  switch (interview.direction) {
    case 'candidate-calls': {
      // A meeting's bridge: the number and its ID are in the invitation both have; no number to ask for.
      if (dialsIn(interview)) return 'I will dial in with the number and meeting ID from the invitation at that time.';
      const theirs = displayNumber(interview.number);
      return theirs === null
        ? 'I will call you; could you let me know the best number to reach you?'
        : `I will call you at ${theirs}.`;
    }
    case 'interviewer-calls':
      return mine === null ? 'I will be ready for your call.' : `I will be at ${mine} for your call.`;
    case 'unknown': {
      const noted = displayNumber(interview.number);
      const myNumber = displayNumber(candidate.phone);
      if (mine === null) return 'Should I call you, or will you call me? If I should call, please send me the best number to reach you.';
      if (noted !== null && noted !== myNumber) return `Will you call me at ${mine}, or should I call you at ${noted}?`;
      return `Will you call me at ${mine}, or should I call you? If I should, please send me the best number to reach you.`;
    }
  }
}

function reference(input: ConfirmationInput): Millis {
  const sendAt = input.sendAt !== undefined && Number.isFinite(input.sendAt) ? input.sendAt : null;
  if (sendAt !== null) return Math.max(input.now, sendAt);
  return input.shortNotice ? input.now : Math.max(input.now, input.interview.start - USUAL_LEAD_MS);
}

function whenPhrase(input: ConfirmationInput, facts: Facts, from: Millis): string {
  const start = input.interview.start;
  const clock = timeFor(facts, start, false);
  if (input.shortNotice) return `in ${plural(minutesUntil(start, from), 'minute', 'minutes')}, at ${clock}`;
  return `${sharedDayPhrase(start, from, facts.candidateZone, facts.recipientZone)} at ${clock}`;
}

/** The earlier time a moved call replaces, or null when there is none to name. */
function replaced(input: ConfirmationInput): Millis | null {
  const earlier = input.earlier;
  return typeof earlier === 'number' && Number.isFinite(earlier) && earlier !== input.interview.start ? earlier : null;
}

/**
 * The sentence that confirms: after a move, it names the new time first and the one it replaces
 * ("instead of today at 3:00 PM Eastern"), so that a reader who saw the first confirmation cannot
 * take this one for a copy of it.
 */
function confirmSentence(input: ConfirmationInput, facts: Facts, from: Millis): string {
  const when = whenPhrase(input, facts, from);
  const earlier = replaced(input);
  if (earlier === null) return `I am writing to confirm ${interviewPhrase(facts)} ${when}.`;
  // The earlier time only as much as it takes to tell it apart: its clock when the day is the
  // same on both sides, and the recipient's reading without a second "for you". Another day is
  // named by its weekday and date, never "yesterday" or "today": the earlier time is often already
  // past when this one leaves, and a recruiter reading "instead of yesterday" a day later, or after
  // "today" (the new time), is sent looking for the wrong day.
  const sameDay = sharedDayPhrase(earlier, from, facts.candidateZone, facts.recipientZone) === sharedDayPhrase(input.interview.start, from, facts.candidateZone, facts.recipientZone);
  const before = spokenTime(earlier, facts.candidateZone, facts.recipientZone, { otherLabel: '', withDate: !sameDay });
  return `I am writing to confirm the new time of ${interviewPhrase(facts)}: ${when}, instead of ${before}.`;
}

export function composeConfirmation(input: ConfirmationInput): ComposedEmail {
  const facts = factsOf(input);
  const start = input.interview.start;
  const from = reference(input);
  const blocks: Block[] = [
    greeting(facts),
    para(`${confirmSentence(input, facts, from)} ${whoDials(input)}`),
    para('I look forward to speaking with you.'),
    signature(facts, input, 'Best regards,'),
  ];
  const head = replaced(input) === null ? 'Confirming our phone interview' : 'New time for our phone interview:';
  const subject = subjectLine(`${head} ${subjectTime(start, from, facts.candidateZone, facts.recipientZone)}`, facts.words.role);
  return finish({ base: input, facts, subject, blocks });
}
