/**
 * A confirmation that did not leave (recorded as missed: the mailbox could not be used until the
 * call was too near, ringback was not running at its time; or failed for good) is told to the
 * candidate in their own mailbox too, not only in the audit, `ringback interviews` and the
 * dashboard: a short note in Drafts, addressed to them and never sent (templates/missed-notice.ts).
 * It is where they look, and the interviewer has had no word from them.
 *
 * Written once per interview and revision (store/notices.ts): right after the step is recorded,
 * and by each reconcile until it is written (a mailbox still down then), under a lock, and after a
 * crash between the mailbox storing it and its record, found in the mailbox by its Message-ID
 * rather than written again.
 */
import type { ActionRecord } from '../domain/actions.js';
import { composeMissedNotice } from '../domain/compose.js';
import { noticeMessageIdFor } from '../domain/ids.js';
import type { Interview } from '../domain/types.js';
import { audit } from '../store/audit.js';
import { getEmail } from '../store/drafts.js';
import { getActionRecords, getInterview } from '../store/interviews.js';
import { acquireLease, holdLease } from '../store/lease.js';
import { getNotice, noticeLockKey, putNotice } from '../store/notices.js';
import { mailboxOf, messageDomain, type Engine } from './context.js';
import { safeTitle } from './wording.js';

/**
 * Why, when the send's record has no plain words: a failure found by the reconciler (the queue
 * keeps only its message, the server's reply with it: failed-actions.ts `plainWordsOf`), an
 * adapter's failure it gave none for, a record of an earlier version. The note never quotes the
 * record's own note, which may hold a server's raw reply; `ringback interviews` shows that.
 */
const WITHOUT_PLAIN_WORDS = {
  failed: 'sending it failed, and ringback does not try again ("ringback interviews" shows what the mail server said)',
  missed: 'it could not run in time',
} as const;

/** Long enough for a look in the mailbox and one draft written; renewed while held. */
const NOTICE_LOCK_MS = 30_000;
let locksTaken = 0;

/** Whether the interview's confirmation send of its current revision did not leave, and the call is still on. */
export function confirmationNotSent(interview: Interview, send: ActionRecord | undefined): send is ActionRecord {
  return interview.status === 'scheduled' && send !== undefined && send.kind === 'confirmation-send' && send.revision === interview.revision && (send.state === 'missed' || send.state === 'failed');
}

/**
 * Leaves the note in Drafts when {@link confirmationNotSent}, once; true when it wrote it now. A
 * confirmation the user sent or deleted meanwhile needs none. Mailbox failures are thrown.
 */
export async function leaveMissedNotice(engine: Engine, interview: Interview, send: ActionRecord | undefined): Promise<boolean> {
  // Once the call has begun the note is of no use: nothing can be confirmed any more, and the
  // follow-up drafts speak for what comes next.
  if (!engine.mailbox || !confirmationNotSent(interview, send) || interview.start <= engine.now()) return false;
  if ((await getNotice(engine.store, interview.id, interview.revision))?.state === 'written') return false;
  const lock = noticeLockKey(interview.id);
  const token = `${engine.owner}:notice:${++locksTaken}`;
  // Another process is writing it.
  if (!(await acquireLease(engine.store, lock, token, NOTICE_LOCK_MS))) return false;
  return await holdLease(engine.store, lock, token, NOTICE_LOCK_MS, () => writeNotice(engine, interview, send), (reason) =>
    engine.log.warn({ interview: interview.id }, `the lock on the note that the confirmation was not sent was lost while writing it (${reason})`),
  );
}

/** {@link leaveMissedNotice} with its lock held. */
async function writeNotice(engine: Engine, interview: Interview, send: ActionRecord): Promise<boolean> {
  const mailbox = mailboxOf(engine);
  const messageId = noticeMessageIdFor({ interviewId: interview.id, revision: interview.revision, domain: messageDomain(engine) });
  const [noted, confirmation] = await Promise.all([getNotice(engine.store, interview.id, interview.revision), getEmail(engine.store, interview.id, 'confirmation')]);
  if (noted?.state === 'written') return false;
  // Only a confirmation the user had in Drafts, expecting it to go, is missed: none was written for
  // a call added or moved inside the minimum lead time, or moved after it took place (its earlier
  // time's confirmation was sent).
  if (confirmation === null || confirmation.state === 'sent' || confirmation.state === 'vetoed') return false;
  const now = engine.now();
  // A write begun by a process that died may have reached the mailbox.
  if (noted?.state === 'writing' && (await mailbox.findByMessageId(messageId))) {
    await putNotice(engine.store, interview.id, interview.revision, { ...noted, state: 'written' });
    return false;
  }
  const email = composeMissedNotice({ interview, candidate: engine.config.candidate, messageId, now, why: send.plain ?? WITHOUT_PLAIN_WORDS[send.state === 'failed' ? 'failed' : 'missed'], fix: send.fix });
  await putNotice(engine.store, interview.id, interview.revision, { state: 'writing', messageId, at: now });
  await mailbox.createDraft(email);
  await putNotice(engine.store, interview.id, interview.revision, { state: 'written', messageId, at: now });
  const message = `a note to you that the confirmation was not sent is in your Drafts ("${safeTitle(email.subject)}"); it is not sent to anyone`;
  await audit(engine.store, { type: 'drafted', interviewId: interview.id, message, at: now });
  return true;
}

/**
 * {@link leaveMissedNotice} right after a confirmation send was recorded as missed or failed for
 * good; a failure is only logged, as the reconciler writes the note on its next rounds.
 */
export async function noticeAfterMissed(engine: Engine, interviewId: string): Promise<void> {
  try {
    const [interview, records] = await Promise.all([getInterview(engine.store, interviewId), getActionRecords(engine.store, interviewId)]);
    if (interview) await leaveMissedNotice(engine, interview, records.find((r) => r.kind === 'confirmation-send'));
  } catch (error) {
    engine.log.warn({ interview: interviewId, err: error }, 'the note that the confirmation was not sent could not be written in Drafts now; tried again at the next reconcile');
  }
}
