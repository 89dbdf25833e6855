/**
 * An interview that is cancelled, declined, or no longer in the calendar: its pending jobs come
 * off the queue and its unsent drafts are deleted from the mailbox, what each said kept in the
 * audit. Sent mail is never touched.
 */
import { simpleParser } from 'mailparser';
import type { EmailKind } from '../domain/ids.js';
import type { Interview, InterviewStatus } from '../domain/types.js';
import type { DraftRef, Mailbox } from '../providers/mail/types.js';
import { audit } from '../store/audit.js';
import { emailLockKey, getEmail, getEmails, saveEmail, sendClaimed, type EmailRecord } from '../store/drafts.js';
import { acquireLease, holdLease } from '../store/lease.js';
import { getInterview } from '../store/interviews.js';
import { getNotices, noticeLeft } from '../store/notices.js';
import { sendTogether } from '../store/connection.js';
import type { Store } from '../store/store.js';
import { currentOutage, draftsCleaned, draftsLeft, leaveDrafts } from '../store/outages.js';
import { updateInterview } from '../store/interview-writes.js';
import type { Engine } from './context.js';
import { removeNotes } from './missed-notice.js';
import { accountTrouble, beginOutage } from './outage.js';
import { unplan } from './replan.js';

export async function cancelInterview(
  engine: Engine,
  interview: Interview,
  status: Exclude<InterviewStatus, 'scheduled'>,
  reason: string,
  how: { readonly vanished?: true; readonly cancelledIn?: string } = {},
): Promise<void> {
  // Only the status changes (and, for an event gone from its calendar, `vanished`: see
  // domain/duplicates.ts; for an organizer's cancellation, where it was shown), on the record as it is now (an outcome recorded meanwhile stays); one
  // taken off the schedule meanwhile (a reply made it done) keeps the status it has.
  const written = await updateInterview(engine.store, interview.id, (current) => (current.status === 'scheduled' ? { ...current, ...how, status } : null));
  await withdrawInterview(engine, written?.after ?? { ...interview, ...how, status }, status, reason);
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
 * reconciler for any that a mailbox failure left behind, and when the mailbox works again after an
 * outage ({@link cleanDraftsLeft}).
 *
 * A mailbox that cannot be used (a folder gone, sign-in refused, the server not answering) leaves
 * the drafts where they are, and the withdrawal itself stands. Thrown, it failed the
 * calendar sync that read the cancellation: the calendar was shown as failing, its sends held for
 * a read that had worked, and the rest of its changes waited for the next poll (found by the
 * randomised timelines, timeline-stories.int.test.ts).
 */
export async function deleteUnsentDrafts(engine: Engine, interview: Interview): Promise<number> {
  const mailbox = engine.mailbox;
  if (!mailbox) return 0;
  try {
    return await deleteUnsent(engine, mailbox, interview);
  } catch (error) {
    const trouble = accountTrouble(error);
    const mailboxId = engine.config.mailbox?.id;
    if (!trouble || mailboxId === undefined) throw error;
    const message = error instanceof Error ? error.message : String(error);
    // A server that did not answer once is no outage yet (actions retry before they park): the
    // reconciler's next round deletes the drafts; a mailbox that cannot be used begins its outage.
    if (trouble !== 'unreachable') await beginOutage(engine, trouble, message, error);
    await leaveDrafts(engine.store, mailboxId, interview.id);
    engine.log.warn({ account: mailboxId, interview: interview.id }, `the unsent drafts of ${interview.id} stay in ${mailboxId} until it works again: ${message}`);
    // What was deleted before the failure is in the audit; the count is the reconciler's.
    return 0;
  }
}

/**
 * After an outage of the mailbox: deletes the unsent drafts of the interviews withdrawn meanwhile
 * (those still withdrawn: one planned again keeps its drafts, rewritten by its plan).
 *
 * A list of its own rather than a parked action (src/engine/outage.ts), although both wait for the
 * mailbox: a parked action is a step of an interview's plan, a queued job `(interview, kind,
 * revision)` whose record the interview lists (`interviews --json` shows its actions), that the
 * reconciler removes as stale once the interview is no longer scheduled, and that runs after the
 * outage only while still of use (src/domain/outage.ts `pastUse`), else is audited as missed. A
 * withdrawn interview has no plan, and deleting its drafts is never too late: as a parked action it
 * would need a kind outside every plan, kept from the reconciler, from `pastUse` and from the
 * interview's list of actions. Here it is one set entry per interview, and the reconciler deletes
 * any draft that this leaves behind (a mailbox down again mid-way) on its own rounds.
 */
export async function cleanDraftsLeft(engine: Engine): Promise<void> {
  const mailboxId = engine.config.mailbox?.id;
  if (mailboxId === undefined) return;
  for (const id of await draftsLeft(engine.store, mailboxId)) {
    const interview = await getInterview(engine.store, id);
    if (interview && interview.status !== 'scheduled') await deleteUnsentDrafts(engine, interview);
    const left = interview !== null && interview.status !== 'scheduled' && (await draftsLeftOf(engine.store, interview));
    // Down again: it stays noted, for the next recovery.
    if (left && (await currentOutage(engine.store, mailboxId))) return;
    await draftsCleaned(engine.store, mailboxId, id);
  }
}

/**
 * Whether the interview still has drafts a withdrawal deletes: its emails not sent, or a note that
 * its confirmation was not sent (missed-notice.ts), as far as the records tell. One round trip.
 */
export async function draftsLeftOf(store: Store, interview: Interview): Promise<boolean> {
  const off = callOff(interview);
  const [emails, notes] = await Promise.all([getEmails(store, interview.id), off ? getNotices(store, interview.id) : new Map<number, never>()]);
  return emails.some((e) => e.state === 'draft' || e.state === 'submitted') || [...notes.values()].some(noticeLeft);
}

/**
 * {@link draftsLeftOf} for each of these interviews, their reads sent before this returns and in
 * one socket write, so that a caller can send them beside a read of its own and have all answered
 * in one round trip: the reconciler's rounds took a round trip for each interview no longer
 * scheduled (issue 17).
 */
export function draftsLeftIn(store: Store, interviews: readonly Interview[]): Promise<boolean[]> {
  return Promise.all(sendTogether(store.redis, () => interviews.map((interview) => draftsLeftOf(store, interview))));
}

/** Cancelled or declined: the notes that its confirmation was not sent go (not for a call done). */
function callOff(interview: Interview): boolean {
  return interview.status === 'cancelled' || interview.status === 'declined';
}

/**
 * Which unsent drafts {@link deleteUnsent} deletes (`kind`: only that email's; every one without)
 * and why, said in the audit after the draft's subject.
 */
export interface DraftsToDelete {
  readonly kind?: EmailKind;
  readonly why?: string;
  /** The audit line's start, by default "<kind> draft removed from Drafts" ({@link deleteOne}). */
  readonly lead?: string;
}

/** Whether the record is of a draft ringback may still delete as unsent. */
function unsent(mailbox: Mailbox, email: EmailRecord): boolean {
  // A send that failed after it was recorded as submitted left the draft where it was, unless
  // the mailbox files sent mail later (src/engine/submitted.ts): draftState tells which.
  return email.state === 'draft' || (email.state === 'submitted' && mailbox.filesSentLater !== true);
}

let locksTaken = 0;

/** Long enough for one look at a draft, its text read and its removal; renewed while held. */
const DELETE_LOCK_MS = 30_000;

/**
 * Deletes the interview's drafts that were not sent (one the user sent meanwhile is recorded as
 * sent), what each said kept in the audit. A mailbox failure is thrown to the caller.
 *
 * Each unsent draft is deleted under its lock (emailLockKey), with its record read again once the
 * lock is taken. A draft whose lock another job holds is left to it: a writer looks at the call
 * again once its record is stored (written-meanwhile.ts); a send that claimed it looks again right
 * before the mail server is handed it, and deletes it itself; one past that look cannot be taken
 * back (a draft deleted under it went out all the same, and the audit said it was removed:
 * confirmation-while-withdrawn.int.test.ts). Whatever either leaves, the reconciler's next round finds.
 */
export async function deleteUnsent(engine: Engine, mailbox: Mailbox, interview: Interview, which: DraftsToDelete = {}): Promise<number> {
  let deleted = 0;
  for (const listed of await getEmails(engine.store, interview.id)) {
    if (which.kind !== undefined && listed.kind !== which.kind) continue;
    if (!unsent(mailbox, listed)) continue;
    const lock = emailLockKey(interview.id, listed.kind);
    const token = `${engine.owner}:withdraw:${++locksTaken}`;
    if (!(await acquireLease(engine.store, lock, token, DELETE_LOCK_MS))) {
      // A send that claimed the draft and has not yet handed it over looks at the call once more
      // right before it does (confirmation.ts, submitAsClaimed), finds it withdrawn, sends nothing
      // and deletes the draft itself: only one recorded as submitted is under way for good.
      if (interview.status !== 'scheduled' && (await getEmail(engine.store, interview.id, listed.kind))?.state !== 'submitted') continue;
      if (await sendClaimed(engine.store, listed.ref.messageId)) {
        const when = interview.status === 'scheduled' ? `as ringback came to remove it (${which.why ?? 'no longer of use'})` : `when the call was ${interview.status}`;
        const message = `the ${listed.kind} ("${listed.subject}") was already being sent ${when}: a send under way is not stopped (what reached the mail server cannot be taken back), and its "sent" entry follows if it left`;
        await audit(engine.store, { type: interview.status === 'declined' ? 'declined' : interview.status === 'cancelled' ? 'cancelled' : 'skipped', interviewId: interview.id, message, at: engine.now() });
      }
      continue;
    }
    const removed = await holdLease(
      engine.store,
      lock,
      token,
      DELETE_LOCK_MS,
      async () => {
        const email = await getEmail(engine.store, interview.id, listed.kind);
        return email !== null && unsent(mailbox, email) && (await deleteOne(engine, mailbox, interview, email, { why: which.why, ...(which.lead !== undefined ? { lead: which.lead } : {}) }));
      },
      (reason) => engine.log.warn({ interview: interview.id }, `the lock on the ${listed.kind} draft was lost while deleting it (${reason})`),
    );
    if (removed) deleted++;
  }
  // The notes that its confirmation was not sent, once the call is off (missed-notice.ts).
  if (which.kind === undefined && callOff(interview)) deleted += await removeNotes(engine, mailbox, interview);
  return deleted;
}

/**
 * Deletes one unsent draft, its words kept in the audit; false when it was found sent instead.
 * Called with the draft's lock held. `said`: the audit line's start (by default "<kind> draft
 * removed from Drafts") and why, after the draft's subject.
 */
export async function deleteOne(engine: Engine, mailbox: Mailbox, interview: Interview, email: EmailRecord, said: { readonly lead?: string; readonly why?: string | undefined } = {}): Promise<boolean> {
  const state = await mailbox.draftState(email.ref);
  if (state.state === 'sent') {
    await saveEmail(engine.store, interview.id, { ...email, ref: state.ref, state: 'sent', updatedAt: engine.now() });
    return false;
  }
  // The draft may hold the user's own words (edits win when it is sent), and the cancellation
  // may come from a calendar that answered badly: what it said goes into the audit before it is
  // deleted, so that nothing the user wrote is lost without a trace. Read before the delete; a
  // read that fails leaves the draft for the reconciler's next try.
  const words = state.state === 'draft' ? await draftWords(mailbox, state.ref) : null;
  if (state.state === 'draft') await mailbox.deleteDraft(state.ref);
  await saveEmail(engine.store, interview.id, { ...email, state: 'deleted', updatedAt: engine.now() });
  await audit(engine.store, {
    type: 'deleted-draft',
    interviewId: interview.id,
    message: `${said.lead ?? `${email.kind} draft removed from Drafts`} ("${email.subject}")${said.why ? `: ${said.why}` : ''}${words ? `; it read: "${words}"` : ''}`,
    at: engine.now(),
  });
  return true;
}

/** At most this much of a deleted draft's text is kept in the audit (a confirmation is ~600). */
const WORDS_KEPT = 2_000;

/** The draft's text as it stands in the mailbox, on one line, or null when it is gone already. */
async function draftWords(mailbox: Mailbox, ref: DraftRef): Promise<string | null> {
  const message = await mailbox.readMessage(ref);
  if (!message) return null;
  const text = ((await simpleParser(message.raw)).text ?? '').replace(/\s+/g, ' ').trim();
  return text.length > WORDS_KEPT ? `${text.slice(0, WORDS_KEPT)}…` : text;
}
