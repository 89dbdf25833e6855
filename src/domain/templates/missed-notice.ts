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
  /** Why it was not sent, in one line, as the audit says it ("mail could not be used from … to …, and by then …"). */
  readonly why: string;
}

/** Longest reason kept: a provider's words can be long, the note is short; cut at a word. */
const WHY_MAX = 360;

/**
 * What a send failed for good says beyond the plain words, for the audit and `ringback interviews`
 * (src/providers/mail/smtp.ts, a refusal as spam): the server's raw reply, that it was not sent and
 * that its draft is in Drafts, which the note says already; and "this email", which in the note
 * would read as the note itself.
 */
const RAW_REPLY = /\s*\(its reply: .*\)[.\s]*$/;
const SAID_ALREADY = /: it was not sent\b[^;:]*;\s*its draft is still in Drafts:\s*(\p{Ll})/u;

function shortReason(why: string): string {
  const plain = oneLine(why, 2000).replace(/^missed:\s*/, '').replace(RAW_REPLY, '');
  const line = plain.replace(SAID_ALREADY, (_, first: string) => `. ${first.toUpperCase()}`).replace(/\bthis email\b/g, 'it').replace(/[.\s]+$/, '');
  if (line.length <= WHY_MAX) return line;
  const cut = line.slice(0, WHY_MAX);
  return `${cut.slice(0, Math.max(cut.lastIndexOf(' '), WHY_MAX / 2)).replace(/[,;:\s]+$/, '')} …`;
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
    para('A note from ringback, for you only: it has not been sent, and will not be.'),
    para(`Your confirmation to ${whom} for ${call}, ${when}, was not sent.`),
    para(`What happened: ${why}.`),
    para(`${who === 'the interviewer' ? 'They have' : `${who} has`} not had it. The call is still ahead: until it begins, the confirmation's draft is in your Drafts to send yourself if it still reads right, or write them a short note of your own.`),
    para('Delete this draft once read.'),
  ];
  const me = { name: facts.candidateName, email: headerToken(input.candidate.email, 254) };
  const email = finish({ base: input, facts: { ...facts, to: me }, subject: subjectLine(`Not sent: your confirmation for ${when}`).slice(0, MAX_SUBJECT), blocks });
  return email;
}
