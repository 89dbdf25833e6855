/**
 * The note after the candidate missed the call: one sentence of apology, one of ownership, then
 * straight to "now, or one of these times?". Dwelling on the mistake helps nobody.
 */
import type { ComposedEmail, Slot } from '../types.js';
import { dayPhrase, sameWeek } from '../format.js';
import {
  type Block,
  type ComposeBase,
  type Facts,
  type ReplyTo,
  factsOf,
  finish,
  greeting,
  para,
  signature,
  slotList,
  subjectWithTitle,
  timeFor,
  titleRef,
} from './email.js';

export interface ApologyInput extends ComposeBase {
  /** Free times with a buffer on both sides; may be empty. */
  readonly slots: readonly Slot[];
  readonly replyTo: ReplyTo | null;
}

function apologySentence(input: ApologyInput, facts: Facts): string {
  const start = input.interview.start;
  const when = `${dayPhrase(start, input.now, facts.candidateZone)} at ${timeFor(facts, start, false)}`;
  switch (input.interview.direction) {
    case 'interviewer-calls':
      return `I am sorry I missed your call ${when} for our phone interview${titleRef(facts)}.`;
    case 'candidate-calls':
      return `I am sorry I did not call you as planned ${when} for our phone interview${titleRef(facts)}.`;
    case 'unknown':
      return `I am sorry I missed our phone interview${titleRef(facts)} ${when}.`;
  }
}

function askForTime(input: ApologyInput, facts: Facts): Block[] {
  if (input.slots.length === 0) {
    return [para('My schedule is flexible: is now a good time, or could you suggest a time that suits you?')];
  }
  const allThisWeek = input.slots.every((slot: Slot) => sameWeek(slot.start, input.now, facts.candidateZone));
  const horizon = allThisWeek ? 'later this week' : 'in the coming days';
  return [para(`Is now a good time, or would one of these times ${horizon} suit you?`), slotList(facts, input.slots)];
}

export function composeApology(input: ApologyInput): ComposedEmail {
  const facts = factsOf(input);
  const blocks: Block[] = [
    greeting(facts),
    para(`${apologySentence(input, facts)} That was on me, and I am still very keen to speak with you.`),
    ...askForTime(input, facts),
    para('Thank you for your understanding.'),
    signature(facts, input.candidate, 'Best regards,'),
  ];
  const subject = subjectWithTitle('Finding a new time for our phone interview', facts);
  return finish({ base: input, facts, subject, blocks, replyTo: input.replyTo });
}
