/**
 * The "submitted" state of a send (DESIGN.md, Sending exactly once). The confirmation is recorded
 * as submitted before the provider is asked to send it, in the send's last look at its call
 * (last-look.ts). Microsoft Graph answers a send with 202
 * and files the copy in Sent Items later, possibly under a new id; a crash or a timeout right
 * after the 202 used to lead to a second `/send` (two emails) or, when the draft had already left
 * Drafts, to "you deleted the draft". Now, for a mailbox that files sent mail later
 * (`Mailbox.filesSentLater`), a submitted confirmation is never sent again: its copy in Sent is
 * awaited with backoff (the job is retried: 2 s, 4 s, … up to a minute), found by our Message-ID
 * or ref (the provider id updated to the copy's), and only its arrival is audited as sent. One not
 * seen within {@link SUBMITTED_BOUND_MS} is audited as such, never as a veto, and not sent again.
 *
 * Mailboxes that file at once (Maildir, IMAP, Gmail) keep their own exactly-once checks: for them a
 * message still in Drafts after a submission was not taken, and the send goes on as before.
 */
import type { Interview } from '../domain/types.js';
import { TransientError } from '../providers/errors.js';
import type { DraftRef } from '../providers/mail/types.js';
import { audit } from '../store/audit.js';
import { emailRecordNote, saveEmail, type EmailRecord } from '../store/drafts.js';
import type { HeldLease } from '../store/lease.js';
import type { ActionOutcome } from './action-outcome.js';
import { mailboxOf, type Engine } from './context.js';
import { clock, safeTitle } from './wording.js';

/** How long a submitted message may take to show in Sent before the user is told. */
export const SUBMITTED_BOUND_MS = 10 * 60_000;

/** Whether a submitted confirmation is waited for rather than sent again. */
export function awaitsCopy(engine: Engine, record: EmailRecord): boolean {
  return record.state === 'submitted' && engine.mailbox?.filesSentLater === true;
}

/**
 * Records the confirmation as sent with the ref of its copy in Sent, and audits it once. A send
 * holding the draft's lock (`lease`) releases it with the record, in the same step.
 */
export async function confirmSent(engine: Engine, interview: Interview, record: EmailRecord, sentRef: DraftRef, note = '', lease?: HeldLease): Promise<ActionOutcome> {
  const sent: EmailRecord = { ...record, ref: sentRef, state: 'sent', updatedAt: engine.now() };
  await (lease ? lease.release(emailRecordNote(interview.id, sent)) : saveEmail(engine.store, interview.id, sent));
  const message = `confirmation sent to ${interview.counterpart.email ?? record.to ?? 'the recipient you wrote in the draft'} ("${safeTitle(record.subject)}")${note}`;
  await audit(engine.store, { type: 'sent', interviewId: interview.id, message, at: engine.now() });
  return { state: 'sent', message };
}

/**
 * Looks for the copy in Sent of a submitted confirmation: sent when it is there; after the bound,
 * unconfirmed; otherwise a TransientError, so that the job looks again after its backoff.
 */
export async function awaitSentCopy(engine: Engine, interview: Interview, record: EmailRecord): Promise<ActionOutcome> {
  const mailbox = mailboxOf(engine);
  const state = await mailbox.draftState(record.ref);
  if (state.state === 'sent') return await confirmSent(engine, interview, record, state.ref);
  const since = record.submittedAt ?? record.updatedAt;
  const waited = engine.now() - since;
  if (waited < SUBMITTED_BOUND_MS) {
    // Still in Drafts (transport has not taken it yet) or in neither folder (in the Outbox).
    throw new TransientError(`the confirmation was handed to ${mailbox.id} ${Math.round(waited / 1000)} s ago; waiting for its copy in Sent`);
  }
  const where = state.state === 'draft' ? 'it is still in Drafts' : 'it is in neither Drafts nor Sent';
  const message = `the confirmation was handed to ${mailbox.id} at ${clock(since, engine.config.candidate.timezone)} but has not appeared in Sent after ${SUBMITTED_BOUND_MS / 60_000} minutes (${where}): check your Outbox and Sent folders; ringback will not send it again, to avoid a second copy`;
  await audit(engine.store, { type: 'unconfirmed', interviewId: interview.id, message, at: engine.now() });
  return { state: 'unconfirmed', message };
}
