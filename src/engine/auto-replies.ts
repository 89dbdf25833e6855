/**
 * Which answers in the thread are the counterpart replying. The mailbox reports every message that
 * answers us or comes from the counterpart, each marked when a mail system sent it on its own (an
 * out-of-office, a vacation responder, a bounce: src/providers/mail/auto-reply.ts). Only a person's
 * answer stops the follow-ups; an automatic one is worth one line in the audit, so that the user
 * sees in the interview's history on the dashboard (and in what `ringback start` prints) why the
 * no-show draft was still written.
 */
import type { Reply } from '../providers/mail/types.js';
import { audit } from '../store/audit.js';
import type { Engine } from './context.js';
import { safeTitle } from './wording.js';

/**
 * The answers a person wrote. When there is none but automatic ones arrived, says so in the audit:
 * once per follow-up check that saw them (a check runs at most once per follow-up of an interview).
 */
export async function personalReplies(engine: Engine, interviewId: string, replies: readonly Reply[]): Promise<readonly Reply[]> {
  const people = replies.filter((reply) => reply.automatic === null);
  const automatic = replies.filter((reply) => reply.automatic !== null);
  const first = automatic[0];
  if (people.length === 0 && first !== undefined) {
    const more = automatic.length > 1 ? ` and ${automatic.length - 1} more` : '';
    await audit(engine.store, {
      type: 'reply',
      interviewId,
      message: `an automatic reply from ${safeTitle(first.from)} arrived after the call ("${safeTitle(first.subject)}", ${safeTitle(first.automatic ?? '')})${more}: not counted as a reply, the follow-ups go on`,
      at: engine.now(),
    });
  }
  return people;
}
