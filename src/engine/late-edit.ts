/**
 * An edit of the confirmation saved after it had left. A mail client saves the draft it has open as
 * a new message in Drafts, whatever became of the one it opened (IMAP has no replace: it APPENDs
 * the new version and expunges the old, thunderbird/thunderbird-android#2060), so an edit the user
 * was still typing when the send took the draft lands in Drafts after the send, under ringback's
 * Message-ID or X-Ringback-Ref. Nothing told them: they could take the interviewer to have read
 * what they wrote, while their edit sat in Drafts, unsent.
 *
 * What they are told, once per edit, in the audit (and so on the dashboard): that the edit came
 * after the confirmation had left, when it left and to whom, that the copy in Sent is what went,
 * and that the edit is theirs to send or delete. Nothing is sent or deleted for them: the edit may
 * say something the interviewer needs (a new number), or nothing new, and only they know which.
 * An edit is what a copy says (its subject and text, as missed-notice.ts `noteDigest` evens them):
 * the user who opens their edit in Drafts and changes it again is told of that one too (they may
 * again take it to be on its way), while the same words saved again (a client saving on close, or
 * between its two steps of a save) and every later round tell nothing more.
 * Looked for right after the send (an edit saved while the server took the message), then at each
 * reconcile round until the call begins (one saved minutes later), and only where the mailbox can
 * say (Mailbox.draftCopies).
 */
import { clock } from '../domain/time-phrases.js';
import type { Interview } from '../domain/types.js';
import { audit } from '../store/audit.js';
import { getEmail, putEmail, LATE_EDITS_KEPT, type EmailRecord } from '../store/drafts.js';
import type { DraftRef, Mailbox } from '../providers/mail/types.js';
import { draftAsItStands } from './addressed.js';
import type { Engine } from './context.js';
import { noteDigest } from './missed-notice.js';
import { safeTitle } from './wording.js';

/**
 * Tells the user of an edit of the sent confirmation left in Drafts that they were not told of yet;
 * true when told. `sent`: the record as the send just had it, so that the look costs no read of
 * Redis when there is nothing in Drafts; the stored record is read (and written) only when there is.
 */
export async function tellLateEdit(engine: Engine, interview: Interview, sent?: EmailRecord): Promise<boolean> {
  const mailbox = engine.mailbox;
  if (!mailbox?.draftCopies) return false;
  const known = sent ?? (await getEmail(engine.store, interview.id, 'confirmation'));
  if (!sentConfirmation(known)) return false;
  const copies = await mailbox.draftCopies(known.ref.messageId);
  if (copies.length === 0) return false;
  const edits = await editsOf(mailbox, copies, known);
  if (edits.length === 0) return false;
  const record = sent ? await getEmail(engine.store, interview.id, 'confirmation') : known;
  if (!sentConfirmation(record) || record.ref.messageId !== known.ref.messageId) return false;
  const told = record.lateEdits ?? [];
  const fresh = edits.filter((digest) => !told.includes(digest));
  if (fresh.length === 0) return false;
  const kept = [...told, ...fresh].slice(-LATE_EDITS_KEPT);
  await putEmail(engine.store, interview.id, { ...record, lateEdits: kept });
  // A record of an earlier version says an edit was told, not which: the ones in Drafts now are taken as told.
  if (record.lateEditNoted === true && record.lateEdits === undefined) return false;
  const again = told.length > 0;
  const to = record.to ?? interview.counterpart.email ?? 'the recipient';
  const left = clock(record.submittedAt ?? record.updatedAt, engine.config.candidate.timezone);
  const message = `you saved ${again ? 'another' : 'an'} edit of the confirmation ("${safeTitle(record.subject)}") after it had left at ${left}: ${to} has the version in your Sent folder, and ${again ? 'this' : 'your'} edit is in Drafts, not sent; send it yourself if it tells them something they need, or delete it`;
  await audit(engine.store, { type: 'kept-as-draft', interviewId: interview.id, message, at: engine.now() });
  return true;
}

/**
 * What each copy that still goes to whom the confirmation went says, as a digest, each once: the
 * edits. A copy the user addressed to someone else is an email of their own (a duplicate made to
 * write to another person), no late edit; the send leaves such a copy alone too (imap-send.ts,
 * maildir-send.ts). A record of an earlier version, which did not keep its recipient, takes every copy.
 */
async function editsOf(mailbox: Mailbox, copies: readonly DraftRef[], sent: EmailRecord): Promise<string[]> {
  const digests = new Set<string>();
  for (const copy of copies) {
    const draft = await draftAsItStands(mailbox, copy);
    if (draft === null || (typeof sent.to === 'string' && !draft.recipients.includes(sent.to))) continue;
    digests.add(noteDigest(draft.subject, draft.text));
  }
  return [...digests];
}

/** True for the record of a sent confirmation. */
function sentConfirmation(record: EmailRecord | null): record is EmailRecord {
  return record !== null && record.kind === 'confirmation' && record.state === 'sent';
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
