/**
 * What every draft writer (the confirmation, the follow-ups) does once the record of the draft it
 * wrote is stored: look at the call again. The writer read the call as scheduled when its action
 * started and wrote the draft afterwards; a sync may have withdrawn or moved the call in between.
 *
 * Withdrawn: the sync deleted the unsent drafts it found recorded, maybe before this one was
 * recorded. Looked at again once the record is stored, whichever of the two comes second deletes
 * it. Left, a confirmation draft stayed in Drafts until the reconciler's next round, and a send
 * that had written its own draft sent it (confirmation-while-withdrawn.int.test.ts; for a follow-up,
 * found by the randomised timelines, timeline-stories.int.test.ts, on a loaded machine).
 *
 * Moved: the draft names the old time. It is removed, unless another job holds the draft's lock
 * (emailLockKey): that is the job of the call as it now is, which rewrites it, and a draft deleted
 * under it would read as your veto (confirmation.ts); or unless it names a time it replaces, which
 * only its record remembers. Otherwise changed (same time, a new counterpart or number): the plan
 * of the call as it now is writes its own. Either way, nothing written before is sent.
 */
import { ACTION_LABEL } from '../domain/actions.js';
import type { EmailKind } from '../domain/ids.js';
import type { Interview } from '../domain/types.js';
import { emailLockKey, getEmail, type EmailRecord } from '../store/drafts.js';
import { getStoredInterview, type StoredInterview } from '../store/interview-writes.js';
import { decodeInterview } from '../store/records.js';
import { acquireLease, releaseLease } from '../store/lease.js';
import type { ActionOutcome } from './action-outcome.js';
import { deleteOne, deleteUnsentDrafts } from './cancel.js';
import { mailboxOf, type Engine } from './context.js';

/**
 * Null when the call is still scheduled as `written` (the interview the draft was written from)
 * says; otherwise the action's outcome, once a withdrawn call's unsent drafts are deleted.
 */
export async function changedWhileWritten(engine: Engine, written: Interview, kind: EmailKind): Promise<ActionOutcome | null> {
  return (await lookAgain(engine, written, kind)).changed;
}

/**
 * {@link changedWhileWritten}, with the call's record as the step that stored the draft's record
 * read it right after (store/interviews.ts settleActionState, null when it has none), so that the
 * look costs no round trip of its own (fire benchmark, bench/README.md). `written` is the record
 * the action read when it started, as stored: the same bytes are the same call, still scheduled
 * at the revision the draft was written for (the action ran only then), and are not decoded again.
 */
export async function changedAsStored(engine: Engine, written: StoredInterview, kind: EmailKind, asStored: Buffer | null): Promise<ActionOutcome | null> {
  if (asStored !== null && asStored.equals(written.raw)) return null;
  return (await judge(engine, written.interview, kind, asStored === null ? null : { interview: decodeInterview(asStored), raw: asStored })).changed;
}

type Look = { readonly changed: ActionOutcome; readonly stored?: never } | { readonly changed: null; readonly stored: Buffer };

/**
 * {@link changedWhileWritten}, with the call's record as stored when it is unchanged: a send
 * claims its Message-ID only while the record still holds these bytes (store/drafts.ts claimSend).
 */
export async function lookAgain(engine: Engine, written: Interview, kind: EmailKind): Promise<Look> {
  return await judge(engine, written, kind, await getStoredInterview(engine.store, written.id));
}

/** What the look at the call finds, `read` being its record as stored after the draft's record. */
async function judge(engine: Engine, written: Interview, kind: EmailKind, read: StoredInterview | null): Promise<Look> {
  const current = read?.interview ?? null;
  const label = ACTION_LABEL[`${kind}-draft`];
  if (current === null || current.status !== 'scheduled') {
    await deleteUnsentDrafts(engine, current ?? written);
    return { changed: { state: 'stale', message: `the call was ${current?.status ?? 'removed'} while its ${label} was written: the draft was removed` } };
  }
  if (current.revision === written.revision && read) return { changed: null, stored: read.raw };
  if (current.start === written.start) {
    return { changed: { state: 'stale', message: `the call changed while its ${label} was written: ringback sends nothing written before the change` } };
  }
  const removed = await removeOldTime(engine, written, kind);
  return { changed: { state: 'stale', message: `the call moved while its ${label} was written: ringback sends nothing written for the old time${removed ? ', and the draft was removed' : ''}` } };
}

/**
 * Before a draft is written: a late job of the call as it was, when the draft of the call as it
 * is was written meanwhile (its record is of a newer revision), writes nothing, and this is its
 * outcome; null otherwise. Written, it took the place of the newer draft (the confirmation rewrote
 * it with the old time, a follow-up took it out of Drafts as an earlier one).
 */
export function writtenSince(existing: EmailRecord | null, interview: Interview, kind: EmailKind): ActionOutcome | null {
  if (existing === null || existing.revision <= interview.revision) return null;
  return { state: 'stale', message: `the call changed since this step read it: its ${ACTION_LABEL[`${kind}-draft`]} as it now stands was written meanwhile, and stays` };
}

let removals = 0;

/**
 * Deletes the draft written for `written` (the call before it moved) when its record is still
 * that draft's and no job holds the draft's lock; true when it was deleted. The record says
 * `deleted`, so that the next writer writes a new draft rather than look for this one.
 */
async function removeOldTime(engine: Engine, written: Interview, kind: EmailKind): Promise<boolean> {
  const lock = emailLockKey(written.id, kind);
  const token = `${engine.owner}:moved:${++removals}`;
  if (!(await acquireLease(engine.store, lock, token, REMOVAL_LOCK_MS))) return false;
  try {
    const record = await getEmail(engine.store, written.id, kind);
    if (!record || record.revision !== written.revision || record.state !== 'draft') return false;
    // A draft that names the time it replaces (its recipient was sent a confirmation of an earlier
    // one): deleted, its record no longer told what they were sent, and the new time's draft read
    // as a first confirmation. It is left for that draft to rewrite.
    if (record.confirmed !== undefined) return false;
    // Sent by you from Drafts meanwhile: recorded so, as a withdrawal records it; what the draft
    // said (your edits too) is kept in the audit before it goes.
    return await deleteOne(engine, mailboxOf(engine), written, record, {
      lead: `the ${ACTION_LABEL[`${kind}-draft`]} written for the old time was removed from Drafts`,
      why: 'the call moved while it was written',
    });
  } finally {
    await releaseLease(engine.store, lock, token);
  }
}

/** Long enough for one look at the draft and its removal (the writers' own lock lasts 10 s, renewed). */
const REMOVAL_LOCK_MS = 30_000;
