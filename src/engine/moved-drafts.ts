/**
 * Drafts that speak of a call's old time, taken out of Drafts as soon as the call moves rather than
 * when the new time's draft of their kind replaces them (followups.ts `removeEarlierDraft`), which
 * may be a day later or never:
 * - a follow-up written before the move: "I have not received your call yet" (the no-show note),
 *   an apology for a missed call, a thank-you, each about a call at a time it no longer has. An
 *   interviewer who missed the call and puts it on tomorrow's calendar instead (the seed article's
 *   "ask to reschedule") would otherwise be one click from a "you did not call" note;
 * - the confirmation draft of the old time when the new plan writes none (moved to a few minutes
 *   ahead, under `minLead`: DESIGN.md, "later than that, no confirmation"): it would otherwise stay
 *   until the call began, one click from telling the interviewer a time the call no longer has.
 * What each said, the user's edits included, is kept in the audit (cancel.ts `deleteOne`); one the
 * user sent meanwhile is recorded as sent and left.
 */
import { ACTION_LABEL } from '../domain/actions.js';
import { clock } from '../domain/time-phrases.js';
import type { Interview, Plan } from '../domain/types.js';
import type { EmailRecord } from '../store/drafts.js';
import { deleteUnsent } from './cancel.js';
import type { Engine } from './context.js';

/** Why the draft no longer fits the call as planned now, or null when it may stay (its job rewrites it). */
function outOfDate(email: EmailRecord, interview: Interview, planned: Plan): string | null {
  if (email.state !== 'draft' || email.revision === interview.revision) return null;
  if (email.kind === 'confirmation') {
    if (planned.actions.some((a) => a.kind === 'confirmation-draft')) return null;
    const skipped = planned.skipped.find((s) => s.kind === 'confirmation-draft');
    return skipped ? skipped.reason : 'no confirmation is planned for the new time';
  }
  // A follow-up written for the call at the time it still has (another change) is left to its job.
  return email.start === undefined || email.start !== interview.start ? 'a new one is written at the new time, if the plan has one' : null;
}

/**
 * Takes out of Drafts the drafts of `interview` written for its time before it moved (`before`),
 * `planned` being its plan now and `emails` the records its replan read (no read of its own: a
 * move waits on Redis no more than it did, replan.int.test.ts). A mailbox failure is logged: the draft of the new time still
 * replaces it when written, and the call's start removes an unsent confirmation (followups.ts).
 */
export async function dropDraftsOfOldTime(engine: Engine, interview: Interview, before: Interview, planned: Plan, emails: readonly EmailRecord[]): Promise<void> {
  const mailbox = engine.mailbox;
  if (!mailbox) return;
  const zone = engine.config.candidate.timezone;
  try {
    for (const email of emails) {
      const why = outOfDate(email, interview, planned);
      if (why === null) continue;
      const moved = `it was written for the call at ${clock(email.start ?? before.start, zone)}, which moved to ${clock(interview.start, zone)}`;
      await deleteUnsent(engine, mailbox, interview, { kind: email.kind, why: `${moved}: ${why}`, lead: `${ACTION_LABEL[`${email.kind}-draft`]} removed from Drafts` });
    }
  } catch (error) {
    engine.log.warn({ interview: interview.id, err: error }, 'could not take the drafts of the old time out of Drafts after the call moved; each is replaced when the new time\'s draft of its kind is written');
  }
}
