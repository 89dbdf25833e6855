/**
 * An interview that is cancelled, declined, or no longer in the calendar: its pending jobs come
 * off the queue and its unsent drafts are deleted from the mailbox. Sent mail is never touched.
 */
import type { Interview, InterviewStatus } from '../domain/types.js';
import { audit } from '../store/audit.js';
import { getEmails, saveEmail } from '../store/drafts.js';
import { updateInterview } from '../store/interview-writes.js';
import type { Engine } from './context.js';
import { unplan } from './replan.js';

export async function cancelInterview(
  engine: Engine,
  interview: Interview,
  status: Exclude<InterviewStatus, 'scheduled'>,
  reason: string,
): Promise<void> {
  // Only the status changes, on the record as it is now (an outcome recorded meanwhile stays); one
  // taken off the schedule meanwhile (a reply made it done) keeps the status it has.
  const written = await updateInterview(engine.store, interview.id, (current) => (current.status === 'scheduled' ? { ...current, status } : null));
  await withdrawInterview(engine, written?.after ?? { ...interview, status }, status, reason);
}

/**
 * What follows once an interview's record is no longer scheduled (written by the caller): its
 * pending jobs come off the queue, the audit says why, its unsent drafts are deleted.
 */
export async function withdrawInterview(
  engine: Engine,
  interview: Interview,
  status: Exclude<InterviewStatus, 'scheduled'>,
  reason: string,
): Promise<void> {
  await unplan(engine, interview);
  await audit(engine.store, {
    type: status === 'declined' ? 'declined' : 'cancelled',
    interviewId: interview.id,
    message: `${reason}: pending emails withdrawn`,
    at: engine.now(),
  });
  await deleteUnsentDrafts(engine, interview);
}

/**
 * Deletes the drafts ringback wrote for this interview that were not sent. Called again by the
 * reconciler for any that a mailbox failure left behind.
 */
export async function deleteUnsentDrafts(engine: Engine, interview: Interview): Promise<number> {
  const mailbox = engine.mailbox;
  if (!mailbox) return 0;
  let deleted = 0;
  for (const email of await getEmails(engine.store, interview.id)) {
    // A send that failed after it was recorded as submitted left the draft where it was, unless
    // the mailbox files sent mail later (src/engine/submitted.ts): draftState tells which.
    const unsent = email.state === 'draft' || (email.state === 'submitted' && mailbox.filesSentLater !== true);
    if (!unsent) continue;
    const state = await mailbox.draftState(email.ref);
    if (state.state === 'sent') {
      await saveEmail(engine.store, interview.id, { ...email, ref: state.ref, state: 'sent', updatedAt: engine.now() });
      continue;
    }
    if (state.state === 'draft') await mailbox.deleteDraft(state.ref);
    await saveEmail(engine.store, interview.id, { ...email, state: 'deleted', updatedAt: engine.now() });
    deleted++;
    await audit(engine.store, {
      type: 'deleted-draft',
      interviewId: interview.id,
      message: `${email.kind} draft removed from Drafts ("${email.subject}")`,
      at: engine.now(),
    });
  }
  return deleted;
}
