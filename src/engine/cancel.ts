/**
 * An interview that is cancelled, declined, or no longer in the calendar: its pending jobs come
 * off the queue and its unsent drafts are deleted from the mailbox. Sent mail is never touched.
 */
import type { Interview, InterviewStatus } from '../domain/types.js';
import { audit } from '../store/audit.js';
import { getEmails, saveEmail } from '../store/drafts.js';
import { saveInterview } from '../store/interviews.js';
import type { Engine } from './context.js';
import { unplan } from './replan.js';

export async function cancelInterview(
  engine: Engine,
  interview: Interview,
  status: Exclude<InterviewStatus, 'scheduled'>,
  reason: string,
): Promise<void> {
  const now = engine.now();
  const updated: Interview = { ...interview, status };
  await saveInterview(engine.store, updated);
  await unplan(engine, updated);
  await audit(engine.store, {
    type: status === 'declined' ? 'declined' : 'cancelled',
    interviewId: interview.id,
    message: `${reason}: pending emails withdrawn`,
    at: now,
  });
  await deleteUnsentDrafts(engine, updated);
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
    if (email.state !== 'draft') continue;
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
