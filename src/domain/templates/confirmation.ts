/**
 * The confirmation: a short note one or two hours before the call saying when, who dials whom,
 * and at which number. Sent as the user left the draft.
 */
import type { ComposedEmail } from '../types.js';
import { dayPhrase, formatClockIn, minutesUntil, plural } from '../format.js';
import {
  type Block,
  type ComposeBase,
  type Facts,
  candidateNumber,
  displayNumber,
  factsOf,
  finish,
  greeting,
  para,
  signature,
  subjectWithTitle,
  timeFor,
  titleRef,
} from './email.js';

export interface ConfirmationInput extends ComposeBase {
  /** Written inside the lead window: the email says how many minutes are left. */
  readonly shortNotice: boolean;
}

/**
 * The draft may be written up to a day ahead but leaves about an hour before the call (the
 * default lead), so "today" is judged from then, not from when the draft was written.
 */
const USUAL_LEAD_MS = 60 * 60_000;

function whoDials(input: ConfirmationInput): string | null {
  const { interview, candidate } = input;
  switch (interview.direction) {
    case 'candidate-calls': {
      const theirs = displayNumber(interview.number);
      return theirs === null
        ? 'I will call you then; could you let me know the best number to reach you?'
        : `I will call you at ${theirs}.`;
    }
    case 'interviewer-calls': {
      const mine = candidateNumber(interview, candidate);
      return mine === null ? 'I will be ready for your call.' : `I will be at ${mine} for your call.`;
    }
    case 'unknown': {
      const noted = displayNumber(interview.number);
      return noted === null ? null : `I have ${noted} noted as the number for our call.`;
    }
  }
}

function whenPhrase(input: ConfirmationInput, facts: Facts): string {
  const start = input.interview.start;
  const clock = timeFor(facts, start, false);
  if (input.shortNotice) return `in ${plural(minutesUntil(start, input.now), 'minute', 'minutes')}, at ${clock}`;
  const reference = Math.max(input.now, start - USUAL_LEAD_MS);
  return `${dayPhrase(start, reference, facts.candidateZone)} at ${clock}`;
}

export function composeConfirmation(input: ConfirmationInput): ComposedEmail {
  const facts = factsOf(input);
  const start = input.interview.start;
  const reference = input.shortNotice ? input.now : Math.max(input.now, start - USUAL_LEAD_MS);
  const dials = whoDials(input);
  const blocks: Block[] = [
    greeting(facts),
    para(`I am writing to confirm our phone interview${titleRef(facts)} ${whenPhrase(input, facts)}.`),
    ...(dials === null ? [] : [para(dials)]),
    para('I look forward to speaking with you.'),
    signature(facts, input.candidate, 'Best regards,'),
  ];
  const day = dayPhrase(start, reference, facts.candidateZone);
  const subject = subjectWithTitle(`Confirming our phone interview ${day} at ${formatClockIn(start, facts.candidateZone)}`, facts);
  return finish({ base: input, facts, subject, blocks });
}
