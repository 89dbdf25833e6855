/**
 * An edit of the confirmation saved after it had left. A mail client saves the draft it has open as
 * a new message in Drafts, whatever became of the one it opened (IMAP has no replace: it APPENDs
 * the new version and expunges the old, thunderbird/thunderbird-android#2060), so an edit the user
 * was still typing when the send took the draft lands in Drafts after the send, under ringback's
 * Message-ID or X-Ringback-Ref. Nothing told them: they could take the interviewer to have read
 * what they wrote, while their edit sat in Drafts, unsent.
 *
 * What they are told, once, in the audit (and so on the dashboard): that the edit came after the
 * confirmation had left, when it left and to whom, that the copy in Sent is what went, and that
 * the edit is theirs to send or delete. Nothing is sent or deleted for them: the edit may say
 * something the interviewer needs (a new number), or nothing new, and only they know which.
 * Looked for right after the send (an edit saved while the server took the message), then at each
 * reconcile round until the call begins (one saved minutes later), and only where the mailbox can
 * say (Mailbox.draftCopies).
 */
import { clock } from '../domain/time-phrases.js';
import type { Interview } from '../domain/types.js';
import { audit } from '../store/audit.js';
import { getEmail, putEmail, type EmailRecord } from '../store/drafts.js';
import type { DraftRef, Mailbox } from '../providers/mail/types.js';
import { draftRecipients } from './addressed.js';
import type { Engine } from './context.js';
import { safeTitle } from './wording.js';

/**
 * Tells the user of an edit of the sent confirmation left in Drafts, once; true when told. `sent`:
 * the record as the send just had it, so that the look costs no read of Redis when there is
 * nothing in Drafts; the stored record is read (and written) only when there is.
 */
export async function tellLateEdit(engine: Engine, interview: Interview, sent?: EmailRecord): Promise<boolean> {
  const mailbox = engine.mailbox;
  if (!mailbox?.draftCopies) return false;
  const known = sent ?? (await getEmail(engine.store, interview.id, 'confirmation'));
  if (!untold(known)) return false;
  const copies = await mailbox.draftCopies(known.ref.messageId);
  if (copies.length === 0 || !(await anEditOf(mailbox, copies, known))) return false;
  const record = sent ? await getEmail(engine.store, interview.id, 'confirmation') : known;
  if (!untold(record) || record.ref.messageId !== known.ref.messageId) return false;
  await putEmail(engine.store, interview.id, { ...record, lateEditNoted: true });
  const to = record.to ?? interview.counterpart.email ?? 'the recipient';
  const left = clock(record.submittedAt ?? record.updatedAt, engine.config.candidate.timezone);
  const message = `you saved an edit of the confirmation ("${safeTitle(record.subject)}") after it had left at ${left}: ${to} has the version in your Sent folder, and your edit is in Drafts, not sent; send it yourself if it tells them something they need, or delete it`;
  await audit(engine.store, { type: 'kept-as-draft', interviewId: interview.id, message, at: engine.now() });
  return true;
}

/**
 * True when one of the copies still goes to whom the confirmation went: an edit of it. A copy the
 * user addressed to someone else is an email of their own (a duplicate made to write to another
 * person), no late edit; the send leaves such a copy alone too (imap-send.ts, maildir-send.ts).
 */
async function anEditOf(mailbox: Mailbox, copies: readonly DraftRef[], sent: EmailRecord): Promise<boolean> {
  if (typeof sent.to !== 'string') return true;
  for (const copy of copies) if ((await draftRecipients(mailbox, copy)).includes(sent.to)) return true;
  return false;
}

/** True for a sent confirmation whose late edit was not told yet. */
function untold(record: EmailRecord | null): record is EmailRecord {
  return record !== null && record.kind === 'confirmation' && record.state === 'sent' && record.lateEditNoted !== true;
}

/**
 * {@link tellLateEdit} for a step whose own work is done (the send, a reconcile round): a failure
 * to look is logged, and the next reconcile round looks again.
 */
export async function tellLateEditAfter(engine: Engine, interview: Interview, sent?: EmailRecord): Promise<void> {
  try {
    await tellLateEdit(engine, interview, sent);
  } catch (error) {
    engine.log.warn({ interview: interview.id, err: error }, 'could not look in Drafts for an edit of the confirmation saved after it had left; looked for again at the next reconcile');
  }
}
