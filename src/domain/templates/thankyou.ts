/**
 * The thank-you note after a call that was held, under its own subject (it starts a new
 * conversation: what comes next). When the call had been moved, or came after a call of the same
 * company that did not happen, it first thanks them for their flexibility.
 */
import type { ComposedEmail } from '../types.js';
import { readerDayPhrase } from '../zones.js';
import { type Block, type ComposeBase, factsOf, finish, greeting, para, signature, subjectLine } from './email.js';

export interface ThankYouInput extends ComposeBase {
  /**
   * The call was moved before it took place, or it replaced a call with the same company that
   * did not happen (an interviewer no-show, a cancelled invitation).
   */
  readonly rescheduled: boolean;
}

export function composeThankYou(input: ThankYouInput): ComposedEmail {
  const facts = factsOf(input);
  const { role, company } = facts.words;
  // No clock follows: the day as the reader counts it.
  const day = readerDayPhrase(input.interview.start, input.now, facts.candidateZone, facts.recipientZone);
  const about = role === null ? '' : ` about the ${role} role`;
  const flexibility = input.rescheduled ? ', and for your flexibility in finding a new time for our call' : '';
  const interest = company === null ? 'I remain very interested in the opportunity' : `I remain very interested in joining ${company}`;
  const blocks: Block[] = [
    greeting(facts),
    para(`Thank you for speaking with me ${day}${about}${flexibility}.`),
    para(`I enjoyed learning more about the team, and ${interest}. If there is anything else I can send you, please let me know.`),
    para('I look forward to hearing about the next steps.'),
    signature(facts, input, 'Best regards,'),
  ];
  const subject = role === null ? subjectLine('Thank you for our conversation') : subjectLine(`Thank you – ${role} conversation`);
  return finish({ base: input, facts, subject, blocks });
}
