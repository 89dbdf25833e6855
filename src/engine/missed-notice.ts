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
import { simpleParser } from 'mailparser';
import type { ActionRecord } from '../domain/actions.js';
import { composeMissedNotice } from '../domain/compose.js';
import { noticeMessageIdFor, sha256 } from '../domain/ids.js';
import type { Interview } from '../domain/types.js';
import type { DraftState, Mailbox } from '../providers/mail/types.js';
import { audit } from '../store/audit.js';
import { getEmail } from '../store/drafts.js';
import { getActionRecords, getInterview } from '../store/interviews.js';
import { acquireLease, holdLease } from '../store/lease.js';
import { getNotice, getNotices, noticeLeft, noticeLockKey, putNotice, type NoticeRecord } from '../store/notices.js';
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
  if (settled(await getNotice(engine.store, interview.id, interview.revision))) return false;
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
  const [noted, confirmation, current] = await Promise.all([
    getNotice(engine.store, interview.id, interview.revision),
    getEmail(engine.store, interview.id, 'confirmation'),
    getInterview(engine.store, interview.id),
  ]);
  if (settled(noted)) return false;
  // Withdrawn since the caller read it: a note written now would stay behind in Drafts.
  if (current?.status !== 'scheduled' || current.revision !== interview.revision) return false;
  // Only a confirmation the user had in Drafts, expecting it to go, is missed: none was written for
  // a call added or moved inside the minimum lead time, or moved after it took place (its earlier
  // time's confirmation was sent).
  if (confirmation === null || confirmation.state === 'sent' || confirmation.state === 'vetoed') return false;
  const now = engine.now();
  // A write begun by a process that died may have reached the mailbox.
  const found = noted?.state === 'writing' ? await mailbox.findByMessageId(messageId) : null;
  if (noted && found) {
    await putNotice(engine.store, interview.id, interview.revision, { ...noted, state: 'written', ...(found.folder === 'drafts' ? { ref: found.ref } : {}) });
    return false;
  }
  const email = composeMissedNotice({ interview, candidate: engine.config.candidate, messageId, now, why: send.plain ?? WITHOUT_PLAIN_WORDS[send.state === 'failed' ? 'failed' : 'missed'], fix: send.fix });
  const digest = noteDigest(email.subject, email.text);
  await putNotice(engine.store, interview.id, interview.revision, { state: 'writing', messageId, at: now, digest });
  const ref = await mailbox.createDraft(email);
  await putNotice(engine.store, interview.id, interview.revision, { state: 'written', messageId, at: now, digest, ref });
  const message = `a note to you that the confirmation was not sent is in your Drafts ("${safeTitle(email.subject)}"); it is not sent to anyone`;
  await audit(engine.store, { type: 'drafted', interviewId: interview.id, message, at: now });
  return true;
}

/** A note recorded past writing: written, or settled after a withdrawal; never written again. */
function settled(record: NoticeRecord | null): boolean {
  return record !== null && record.state !== 'writing';
}

/**
 * What a note said as ringback wrote it, as a short digest: its subject and text with line ends
 * and the space around them evened out, as a mailbox gives the text back (late-confirmation.ts
 * compares a confirmation so too).
 */
export function noteDigest(subject: string, text: string): string {
  const even = (value: string) => value.replace(/\r\n/g, '\n').replace(/\s+/g, ' ').trim();
  return sha256(`${even(subject)}\n${even(text)}`, 'base64url').slice(0, 22);
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

/**
 * Takes the notes left for a withdrawn call out of Drafts (DESIGN.md: cancelled or declined, unsent
 * drafts deleted): a note that the confirmation was not sent, about a call that is off, only
 * misleads. Each as the other drafts are decided (cancel.ts `deleteOne`, late-confirmation.ts): one
 * the user deleted is left gone, one in Sent is theirs, one whose subject or text is no longer what
 * ringback wrote was changed by them and stays (as does one of an earlier version, which kept no
 * digest of its words); the rest are deleted. Under the note's lock, so never beside its writing: a
 * writer that holds it looks at the call under it and writes nothing for one withdrawn, and a note
 * written just before is found by the reconciler's next round. Mailbox failures are thrown to the
 * caller (cancel.ts). How many were deleted.
 */
export async function removeNotes(engine: Engine, mailbox: Mailbox, interview: Interview): Promise<number> {
  if (![...(await getNotices(engine.store, interview.id)).values()].some(noticeLeft)) return 0;
  const lock = noticeLockKey(interview.id);
  const token = `${engine.owner}:notice:${++locksTaken}`;
  if (!(await acquireLease(engine.store, lock, token, NOTICE_LOCK_MS))) return 0;
  return await holdLease(
    engine.store,
    lock,
    token,
    NOTICE_LOCK_MS,
    async () => {
      let deleted = 0;
      for (const [revision, record] of await getNotices(engine.store, interview.id)) {
        if (noticeLeft(record) && (await removeNote(engine, mailbox, interview, revision, record))) deleted++;
      }
      return deleted;
    },
    (reason) => engine.log.warn({ interview: interview.id }, `the lock on the note that the confirmation was not sent was lost while removing it (${reason})`),
  );
}

/** Where the note is now: by its ref, or for a record without one (cut short while writing, of an earlier version) by its Message-ID. */
async function whereNote(mailbox: Mailbox, record: NoticeRecord): Promise<DraftState> {
  if (record.ref) return await mailbox.draftState(record.ref);
  const found = await mailbox.findByMessageId(record.messageId);
  if (!found) return { state: 'gone' };
  return { state: found.folder === 'sent' ? 'sent' : 'draft', ref: found.ref };
}

/** {@link removeNotes} for one note, with the lock held; true when it was deleted. */
async function removeNote(engine: Engine, mailbox: Mailbox, interview: Interview, revision: number, record: NoticeRecord): Promise<boolean> {
  const now = engine.now();
  const where = await whereNote(mailbox, record);
  const stored = where.state === 'draft' ? await mailbox.readMessage(where.ref) : null;
  if (where.state !== 'draft' || !stored || stored.state !== 'draft') {
    await putNotice(engine.store, interview.id, revision, { ...record, state: where.state === 'sent' || stored?.state === 'sent' ? 'sent' : 'gone' });
    return false;
  }
  const message = await simpleParser(stored.raw);
  const subject = safeTitle(message.subject ?? '');
  if (record.digest === undefined || noteDigest(message.subject ?? '', message.text ?? '') !== record.digest) {
    await putNotice(engine.store, interview.id, revision, { ...record, state: 'edited', ref: where.ref });
    const said = `the note that the confirmation was not sent stays in your Drafts ("${subject}"): the call was ${interview.status}, but ${record.digest === undefined ? 'ringback cannot tell whether you changed it' : 'you changed it'}; delete it when you wish`;
    await audit(engine.store, { type: 'skipped', interviewId: interview.id, message: said, at: now });
    return false;
  }
  await mailbox.deleteDraft(where.ref);
  await putNotice(engine.store, interview.id, revision, { ...record, state: 'deleted', ref: where.ref });
  await audit(engine.store, { type: 'deleted-draft', interviewId: interview.id, message: `the note that the confirmation was not sent was removed from Drafts ("${subject}"): the call was ${interview.status}`, at: now });
  return true;
}
