/**
 * A confirmation send's last look at its call (DESIGN.md, Sending exactly once), made once the
 * mailbox has read the draft and right before the provider is handed it (SendOptions.beforeSubmit):
 * a cancellation or a move read after the send's claim stops it there, where before the claim was
 * the point of no return and a cancellation landing between it and the adapter's read let the
 * email go (confirmation-while-withdrawn.int.test.ts). And what follows a send stopped there, or
 * one whose draft the user deleted in that moment.
 */
import type { Interview } from '../domain/types.js';
import { TransientError } from '../providers/errors.js';
import { audit } from '../store/audit.js';
import { emailRecordNote, submitAsRead, type EmailRecord } from '../store/drafts.js';
import type { HeldLease } from '../store/lease.js';
import { decodeInterview } from '../store/records.js';
import type { ActionOutcome } from './action-outcome.js';
import { mailboxOf, type Engine } from './context.js';
import { lookAgain } from './written-meanwhile.js';

/** Records of the call written over and over meanwhile (each an outcome, a reply noted): given up after this many, and tried again by the job. */
const LOOK_TRIES = 200;

/** Thrown by a send's last look when the call changed since its claim: the adapter hands nothing to the provider. */
export class SendStopped extends TransientError {}

/**
 * The send's last look at the call, right before the provider is handed the draft: records it
 * as submitted while the call's record is still the one the claim read, or is another record of
 * the same call still scheduled at the same revision (an outcome, a reply noted meanwhile);
 * 'changed' when the call was withdrawn or moved since (store/drafts.ts submitAsRead).
 */
export async function submitAsClaimed(engine: Engine, interview: Interview, send: { readonly read: Buffer; readonly record: EmailRecord; readonly token: string }): Promise<'submitted' | 'changed'> {
  let read = send.read;
  for (let tries = 1; ; tries++) {
    const check = await submitAsRead(engine.store, { interviewId: interview.id, read, record: send.record }, { token: send.token });
    if (check.state === 'submitted') return 'submitted';
    if (check.state === 'lost') throw new TransientError('the lock on the confirmation was lost before it was handed to the mail server: it is tried again');
    if (check.now === null) return 'changed';
    const now = decodeInterview(check.now);
    if (now.status !== 'scheduled' || now.revision !== interview.revision) return 'changed';
    read = check.now;
    if (tries >= LOOK_TRIES) throw new TransientError('the call of this confirmation keeps changing: it is tried again');
  }
}

/**
 * A send stopped at its last look: the call was withdrawn or moved after the claim. The lock is
 * given back, and the call looked at as after any draft written (written-meanwhile.ts): a
 * withdrawn call's draft is deleted, its words kept in the audit; a draft of the old time is
 * removed unless the call's new draft job holds it.
 */
export async function stoppedBeforeSubmit(engine: Engine, interview: Interview, lease: HeldLease): Promise<ActionOutcome> {
  await lease.release();
  const looked = await lookAgain(engine, interview, 'confirmation');
  const why = looked.changed?.message ?? 'the call changed';
  return { state: 'stale', message: `not sent: the call changed after this send began, before the mail server was handed the draft (${why})` };
}

/** The outcome of a draft found deleted by the user once the send was claimed, or null when it is there after all (the error was another). */
export async function vetoedMeanwhile(engine: Engine, interview: Interview, record: EmailRecord, lease: HeldLease): Promise<ActionOutcome | null> {
  const state = await mailboxOf(engine).draftState(record.ref);
  if (state.state !== 'gone') return null;
  const now = engine.now();
  await lease.release(emailRecordNote(interview.id, { ...record, state: 'vetoed', updatedAt: now }));
  const message = 'you deleted the confirmation draft as it was about to be sent: nothing sent';
  await audit(engine.store, { type: 'vetoed', interviewId: interview.id, message, at: now });
  return { state: 'vetoed', message };
}
