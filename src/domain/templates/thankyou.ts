/**
 * The thank-you note after a call that was held, answering the confirmation's thread when there
 * is one. When the interview had to be moved, it also thanks them for their flexibility.
 */
import type { ComposedEmail } from '../types.js';
import { dayPhrase } from '../format.js';
import {
  type Block,
  type ComposeBase,
  type ReplyTo,
  factsOf,
  finish,
  greeting,
  para,
  signature,
  subjectWithTitle,
  titleRef,
} from './email.js';

export interface ThankYouInput extends ComposeBase {
  readonly replyTo: ReplyTo | null;
  /** The interview was moved at least once before it took place. */
  readonly rescheduled: boolean;
}

export function composeThankYou(input: ThankYouInput): ComposedEmail {
  const facts = factsOf(input);
  const day = dayPhrase(input.interview.start, input.now, facts.candidateZone);
  const blocks: Block[] = [
    greeting(facts),
    para(`Thank you for taking the time to talk with me ${day} for our phone interview${titleRef(facts)}.`),
    para('I appreciated learning more about the role and the team, and I remain very interested in the opportunity.'),
    ...(input.rescheduled ? [para('Thank you as well for your flexibility in finding a new time for our call.')] : []),
    para('If there is anything else I can send you, please let me know. I look forward to hearing about the next steps.'),
    signature(facts, input.candidate, 'Best regards,'),
  ];
  const subject = subjectWithTitle('Thank you for our conversation', facts);
  return finish({ base: input, facts, subject, blocks, replyTo: input.replyTo });
}
