/**
 * The note ringback leaves the candidate in their own Drafts when a confirmation it was to send
 * did not leave (the mailbox could not be used until the call was too near, ringback was not
 * running, the send failed for good). It is addressed to the candidate and never sent: DESIGN.md
 * has ringback write only drafts in the person's own mailbox, and email only the people of the
 * event. It says what did not happen, why, and the one thing left to do. At most 120 words.
 */
import type { ComposedEmail } from '../types.js';
import { MAX_SUBJECT, headerToken, oneLine } from './text.js';
import { type Block, type ComposeBase, addressName, factsOf, finish, ownDateClock, para, subjectLine } from './email.js';

export interface MissedNoticeInput extends ComposeBase {
  /**
   * Why it was not sent, in plain words, lower-case, no full stop, as the action's record keeps them
   * apart from its note (domain/actions.ts `plain`): never a server's raw reply, never a sentence of
   * another module's to take apart.
   */
  readonly why: string;
  /** What to do with the draft before sending it, where not the usual (a refusal as spam: change it); lower-case. */
  readonly fix?: string | undefined;
}

/** Longest reason kept: a calendar's or an account's name in it can be long, the note is short; cut at a word. */
const WHY_MAX = 360;

function shortReason(why: string): string {
  const line = oneLine(why, 2000).replace(/[.\s]+$/, '');
  if (line.length <= WHY_MAX) return line;
  const cut = line.slice(0, WHY_MAX);
  return `${cut.slice(0, Math.max(cut.lastIndexOf(' '), WHY_MAX / 2)).replace(/[,;:\s]+$/, '')} …`;
}

/** The sentence that says what to do with the draft: one thing, its own. */
function nextStep(fix: string | undefined): string {
  const what = fix === undefined || fix.trim() === '' ? 'send it yourself if it still reads right' : oneLine(fix, 300).replace(/[.\s]+$/, '');
  return `${what.charAt(0).toUpperCase()}${what.slice(1)}, or write them a short note of your own.`;
}

export function composeMissedNotice(input: MissedNoticeInput): ComposedEmail {
  const facts = factsOf(input);
  const { interview } = input;
  const name = addressName(interview.counterpart.name);
  const who = name !== '' ? name : interview.counterpart.email !== null ? oneLine(interview.counterpart.email, 254) : 'the interviewer';
  const company = facts.words.company;
  const whom = company !== null && !who.includes(company) ? `${who} (${company})` : who;
  const call = facts.words.role === null ? 'your phone interview' : `your phone interview for the ${facts.words.role} role`;
  const when = ownDateClock(facts, interview.start);
  const why = shortReason(input.why);
  const blocks: Block[] = [
    para('A note from ringback, for you only: this note goes to nobody else.'),
    para(`Your confirmation to ${whom} for ${call}, ${when}, was not sent.`),
    para(`What happened: ${why}.`),
    para(`${who === 'the interviewer' ? 'They have' : `${who} has`} not had it. The call is still ahead: until it begins, the confirmation's draft is in your Drafts. ${nextStep(input.fix)}`),
    para('Delete this draft once read.'),
  ];
  const me = { name: facts.candidateName, email: headerToken(input.candidate.email, 254) };
  const email = finish({ base: input, facts: { ...facts, to: me }, subject: subjectLine(`Not sent: your confirmation for ${when}`).slice(0, MAX_SUBJECT), blocks });
  return email;
}
