/**
 * The note after the candidate missed the call: one sentence of apology, one of ownership, then
 * straight to the next step, which says who calls: "I am free now at <number> if you would like to
 * call" (or, when the candidate was to dial, "I can call you now at <number>");
 * otherwise would one of these times suit you?" (one time: "would this time suit you?"). At most
 * 90 words.
 */
import { dialsIn } from '../dial-in.js';
import type { ComposedEmail, Slot } from '../types.js';
import { sharedDayPhrase } from '../zones.js';
import {
  type Block,
  type ComposeBase,
  type Facts,
  type ReplyTo,
  candidateNumber,
  displayNumber,
  factsOf,
  finish,
  fitTimes,
  offerTimes,
  greeting,
  para,
  signature,
  subjectLine,
  timeFor,
} from './email.js';

export interface ApologyInput extends ComposeBase {
  /** Free times both can take, with a buffer on both sides; may be empty. */
  readonly slots: readonly Slot[];
  /** The confirmation, when it was sent: the apology answers it. */
  readonly replyTo: ReplyTo | null;
}

function apologySentence(input: ApologyInput, facts: Facts): string {
  const start = input.interview.start;
  const when = `${sharedDayPhrase(start, input.now, facts.candidateZone, facts.recipientZone)} at ${timeFor(facts, start, false)}`;
  // No role in the body: the subject or the thread says which interview, and 90 words is little.
  switch (input.interview.direction) {
    case 'interviewer-calls':
      return `I am sorry I missed your call ${when}.`;
    case 'candidate-calls':
      return dialsIn(input.interview) ? `I am sorry I did not dial in as planned ${when}.` : `I am sorry I did not call you as planned ${when}.`;
    case 'unknown':
      return `I am sorry I missed our phone interview ${when}.`;
  }
}

/**
 * The next step says who calls, as the call itself was meant to go: the one who was to dial and
 * did not offers to call now (at their number, when the invitation gave one); otherwise the
 * candidate says they are free now, at their own number.
 */
function callNow(input: ApologyInput): string {
  // A meeting's bridge stays open only as long as its host keeps it: the offer says so.
  if (dialsIn(input.interview)) return 'I can dial in right away if the meeting is still open';
  if (input.interview.direction === 'candidate-calls') {
    const theirs = displayNumber(input.interview.number);
    return theirs === null ? 'I can call you right away' : `I can call you now at ${theirs}`;
  }
  const mine = candidateNumber(input.interview, input.candidate);
  return mine === null ? 'I am free now if you would like to call' : `I am free now at ${mine} if you would like to call`;
}

function askForTime(input: ApologyInput, facts: Facts): Block[] {
  const now = callNow(input);
  return offerTimes(facts, input.slots, {
    some: `${now}; otherwise, would one of these times suit you?`,
    one: `${now}; otherwise, would this time suit you?`,
    none: `${now}; otherwise, could you suggest a time that suits you?`,
  });
}

/** The design's limit for this note. */
const WORD_LIMIT = 90;

export function composeApology(input: ApologyInput): ComposedEmail {
  const facts = factsOf(input);
  const blocks = fitTimes(WORD_LIMIT, input.slots, (slots) => [
    greeting(facts),
    para(`${apologySentence(input, facts)} That was my mistake; I am still very keen to talk with you.`),
    ...askForTime({ ...input, slots }, facts),
    signature(facts, input, 'Best regards,'),
  ]);
  const subject = subjectLine('Sorry I missed our call', facts.words.role === null ? null : `${facts.words.role} interview`);
  return finish({ base: input, facts, subject, blocks, replyTo: input.replyTo });
}
