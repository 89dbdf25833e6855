/**
 * The confirmation: written as a draft in the user's Drafts (rewritten when the event moves), then
 * sent at `T − confirmLead` exactly as the user left it. A draft the user deleted is a veto.
 *
 * Sending exactly once (DESIGN.md): the Message-ID is claimed in Redis before the send; a retry
 * after a crash asks the mailbox first whether that Message-ID is already in Sent.
 */
import { composeConfirmation, confirmationSays } from '../domain/compose.js';
import { messageIdFor } from '../domain/ids.js';
import { NOT_ADDRESSED, autoSendBlockers, confirmationStandsReason, sendsOnceAddressed } from '../domain/plan.js';
import { ACTION_LABEL, type ActionRecord } from '../domain/actions.js';
import type { Interview } from '../domain/types.js';
import { audit } from '../store/audit.js';
import { claimSend, confirmedStart, emailLockKey, getEmail, receivedBy, recipientOf, emailRecordNote, lockAndBeginDraftWrite, saveEmail, saysNothingNew, type DraftWrite, type EmailRecord } from '../store/drafts.js';
import { callDigestsOf } from '../store/call-index.js';
import { readPeers } from '../store/calls.js';
import { sendTogether } from '../store/connection.js';
import { noteHeld } from '../store/held.js';
import { acquireLease, holdLease, type HeldLease, type LeaseRelease } from '../store/lease.js';
import type { DeliveryFailure, DraftRef } from '../providers/mail/types.js';
import { takeSendSlot } from '../store/sends.js';
import { getCompany } from '../store/companies.js';
import { counterpartZone } from '../store/zones.js';
import { AccountUnusableError, PermanentError, TransientError } from '../providers/errors.js';
import { SendStopped, stoppedBeforeSubmit, submitAsClaimed, vetoedMeanwhile } from './last-look.js';
import type { ActionOutcome } from './action-outcome.js';
import { mailboxOf, messageDomain, type Engine } from './context.js';
import { draftAddressees, draftRecipients } from './addressed.js';
import { awaitSentCopy, awaitsCopy, confirmSent } from './submitted.js';
import { refreshLateConfirmation } from './late-confirmation.js';
import { recordRefusedAtSend } from './undelivered.js';
import { describeTime, safeTitle } from './wording.js';
import { lookAgain, writtenSince } from './written-meanwhile.js';
import { tellLateEditAfter } from './late-edit.js';

export const LOCK_TTL_MS = 10_000;

/**
 * Runs `work` holding the confirmation draft's lock, as the draft and send jobs hold it, for a step
 * that writes the draft again outside them (a change of the candidate's zone or of the recipient's);
 * 'busy' when a job holds it (it writes the draft as of now itself, or the next reconcile does).
 * `writing`: what the lock was held for, said when it is lost.
 */
export async function withConfirmationDraftHeld<T>(engine: Engine, interview: Interview, purpose: string, writing: string, work: () => Promise<T>): Promise<T | 'busy'> {
  const token = `${engine.owner}:${purpose}:${interview.id}`;
  const lock = emailLockKey(interview.id, 'confirmation');
  if (!(await acquireLease(engine.store, lock, token, LOCK_TTL_MS))) return 'busy';
  return await holdLease(engine.store, lock, token, LOCK_TTL_MS, work, (reason) =>
    engine.log.warn({ interview: interview.id }, `the lock on the confirmation draft was lost while ${writing} (${reason})`),
  );
}
let locksTaken = 0;
const LOCK_TRIES = 200;

interface Drafted {
  readonly record: EmailRecord;
  /** `unchanged`: nothing written, its recipient already got this confirmation word for word (store/drafts.ts `saysNothingNew`). */
  readonly wrote: 'new' | 'rewritten' | 'kept' | 'unchanged';
  /** The outcome when nothing was written, the record being of a newer revision than the job read. */
  readonly since?: ActionOutcome;
  /** When the plan sends it (null: it stays a draft); read only when the draft was written. */
  readonly sendAt: number | null;
  /** The draft's lock, still held, with its record as the note: released by the caller's next step. */
  readonly release?: LeaseRelease;
  /** The recipient's zone the user has set now (null for none), as read with the lock. */
  readonly zoneSet: string | null;
}

/**
 * What becomes of the draft's lock once the draft is written: released at once with the draft's
 * record (a send goes on to call the mailbox), or handed over, still held, for the action's state
 * to release it with the record in the same step (a draft job ends there: one round trip less).
 */
type LockEnd = 'release' | 'hand over';

/**
 * Writes or rewrites the confirmation draft, one job at a time (see emailLockKey). The lock is taken
 * and the draft's write begun in one step, and the recipient's zone is asked in the same socket
 * write: one round trip where the lock and the reads took two (fire benchmark).
 */
async function ensureDraft(engine: Engine, interview: Interview, records: readonly ActionRecord[], lockEnd: LockEnd): Promise<Drafted> {
  // Unique for every lock taken: the process's owner id and a count (no random bytes per draft).
  const token = `${engine.owner}:${++locksTaken}`;
  const messageId = messageIdFor({ interviewId: interview.id, kind: 'confirmation', revision: interview.revision, domain: messageDomain(engine) });
  const email = { interviewId: interview.id, kind: 'confirmation' as const, messageId, revision: interview.revision };
  for (let tries = 1; ; tries++) {
    // The zone is only used when a draft is written.
    const [began, zoneSet, replaced] = await sendTogether(engine.store.redis, () =>
      Promise.all([
        lockAndBeginDraftWrite(engine.store, email, { token, ttlMs: LOCK_TTL_MS }),
        counterpartZone(engine.store, { email: interview.counterpart.email, company: interview.company }),
        // A draft job asks, in the same write, whether the time was confirmed for another listing
        // (used only for the interview's first draft); a send finds its draft written already.
        lockEnd === 'hand over' ? confirmedForAnotherListing(engine, interview) : undefined,
      ]),
    );
    if (began) {
      const input: DraftInput = { interview, records, messageId, began, zoneSet, lockEnd, ...(replaced === undefined ? {} : { replaced }) };
      return await holdLease(engine.store, emailLockKey(interview.id, 'confirmation'), token, LOCK_TTL_MS, async (lease) => ({ ...(await writeDraft(engine, input, lease)), zoneSet }), (reason) =>
        engine.log.warn({ interview: interview.id }, `the lock on the confirmation draft was lost while writing it (${reason})`),
      );
    }
    if (tries >= LOCK_TRIES) throw new TransientError('another job is writing this confirmation draft');
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/**
 * When the plan sends this revision's confirmation, or null when it stays a draft: from the
 * interview's action records as the action read them with the interview when it started
 * (actions.ts; reading them again here cost a command per draft, fire benchmark).
 */
export function plannedSend(interview: Interview, records: readonly ActionRecord[]): number | null {
  const send = records.find((r) => r.kind === 'confirmation-send' && r.revision === interview.revision && r.state === 'pending');
  return send?.dueAt ?? null;
}

/** What the draft is written from: the action's reads, and what was read as its lock was taken. */
interface DraftInput {
  readonly interview: Interview;
  readonly records: readonly ActionRecord[];
  readonly messageId: string;
  /** The email's record, and whether an earlier write of this Message-ID never finished. */
  readonly began: DraftWrite;
  /** The recipient's zone as the user set it, if any. */
  readonly zoneSet: string | null;
  readonly lockEnd: LockEnd;
  /** What {@link confirmedForAnotherListing} answered, when it was asked with the lock. */
  readonly replaced?: number | null;
}

/**
 * Writes or rewrites the confirmation draft for the interview's current revision, under its lock;
 * its record is stored as the lock is released, in one step.
 */
async function writeDraft(engine: Engine, input: DraftInput, lease: HeldLease): Promise<Omit<Drafted, 'zoneSet'>> {
  const { interview, records, messageId, zoneSet } = input;
  const { record: existing, unfinished } = input.began;
  const mailbox = mailboxOf(engine);
  const now = engine.now();
  const sendAt = plannedSend(interview, records);
  // Rewritten by a late job of the call as it was, it named the old time again (confirmation-while-withdrawn.int.test.ts).
  const since = writtenSince(existing, interview, 'confirmation');
  if (existing && since) return { record: existing, wrote: 'kept', sendAt, since };
  if (existing && existing.revision === interview.revision && existing.state !== 'deleted') return { record: existing, wrote: 'kept', sendAt };
  // A confirmation the user deleted stays unwritten when the event moves: "don't" was about this
  // interview, and an email in their name cannot be taken back.
  if (existing && existing.state === 'vetoed') return { record: existing, wrote: 'kept', sendAt };
  if (existing && saysNothingNew(existing, interview, engine.config.candidate, zoneSet)) return { record: existing, wrote: 'unchanged', sendAt };

  const shortNotice = now > interview.start - engine.config.timing.confirmLeadMinutes * 60_000;
  // What this recipient was already told (a confirmation sent before the event moved): the new
  // one says it confirms a new time. A new recipient (the counterpart changed) gets a first one.
  // A first draft (no record yet): what an invitation this one replaces was confirmed as.
  const confirmed = existing === null ? (input.replaced !== undefined ? input.replaced : await confirmedForAnotherListing(engine, interview)) : confirmedStart(existing, interview.counterpart.email);
  const email = composeConfirmation({ interview, candidate: engine.config.candidate, messageId, now, shortNotice, zoneSet, earlier: confirmed, ...(sendAt === null ? {} : { sendAt }) });

  let ref = null;
  let wrote: 'new' | 'rewritten' = 'new';
  if (existing && existing.state === 'draft') {
    const state = await mailbox.draftState(existing.ref);
    if (state.state === 'draft') {
      // A draft ringback wrote without a recipient holds only addresses the user typed: they stay
      // (the send at its time goes to them), as the event still names nobody to write to.
      const typed = existing.to === null && interview.counterpart.email === null ? await draftAddressees(mailbox, state.ref) : [];
      ref = await mailbox.updateDraft(state.ref, typed.length === 0 ? email : { ...email, to: typed });
      wrote = 'rewritten';
    }
    // Deleted before the event moved: a veto, as at the send (a new draft was written and sent).
    if (state.state === 'gone') {
      const vetoed: EmailRecord = { ...existing, state: 'vetoed', updatedAt: now };
      await lease.release(emailRecordNote(interview.id, vetoed));
      const message = 'you deleted the confirmation draft: nothing is sent for this interview, at its new time either';
      await audit(engine.store, { type: 'vetoed', interviewId: interview.id, message, at: now });
      return { record: vetoed, wrote: 'kept', sendAt };
    }
  }
  if (!ref) {
    // A crash after the mailbox wrote the draft but before we stored its ref must not give two
    // drafts: when an earlier write of this Message-ID began and was never recorded, the mailbox
    // is asked first. Only then: the search lists whole folders (Maildir) or makes a request.
    const found = unfinished ? await mailbox.findByMessageId(messageId) : null;
    ref = found ? found.ref : await mailbox.createDraft(email);
  }
  const record: EmailRecord = {
    kind: 'confirmation',
    ref,
    revision: interview.revision,
    state: 'draft',
    subject: email.subject,
    updatedAt: now,
    to: recipientOf(email),
    start: interview.start,
    zone: engine.config.candidate.timezone,
    says: confirmationSays(interview, engine.config.candidate, zoneSet),
    theirZone: zoneSet,
    ...(confirmed === null ? {} : { confirmed }),
  };
  const note = emailRecordNote(interview.id, record);
  if (input.lockEnd === 'hand over') return { record, wrote, sendAt, release: lease.handOver(note) };
  await lease.release(note);
  return { record, wrote, sendAt };
}

/**
 * The call's start when its recipient already got ringback's confirmation of this very time for
 * another listing at that instant, or null: an invitation cancelled and sent again as a new event
 * (a new UID; a scheduling tool's reschedule, an organizer who deletes the invitation and sends a
 * fresh one) is a new interview, and its first draft would otherwise confirm, word for word, what
 * the interviewer was told minutes before. Kept as the draft's `confirmed`, it holds the send as a
 * move and a move back does ({@link confirmsAgain}). The call index's lookup of the listings at
 * its start that name the same interviewer or UID goes out with the draft's lock: two commands
 * more for a first draft, no round trip more; their records and emails are read only when there
 * are some.
 */
async function confirmedForAnotherListing(engine: Engine, interview: Interview): Promise<number | null> {
  const address = interview.counterpart.email;
  if (address === null) return null;
  const peers = await readPeers(engine.store, interview.start, interview.id, callDigestsOf(interview));
  for (const peer of peers.interviews) {
    const sent = await getEmail(engine.store, peer.id, 'confirmation');
    if (receivedBy(sent, address) && sent?.start === interview.start) return interview.start;
  }
  return null;
}

/**
 * Why a confirmation draft is no use any more, as the plan would say, or null: a draft job already
 * running or waiting when the plan dropped it (the call got an outcome, its time came and went
 * while the job waited) wrote a confirmation of a call that was over.
 */
function draftOvertaken(engine: Engine, interview: Interview): string | null {
  if (interview.outcome !== null) return `the call already has an outcome (${interview.outcome})`;
  if (engine.now() > interview.start - engine.config.timing.minLeadMinutes * 60_000) return 'the call starts in less than the minimum lead time, or has started';
  return null;
}

export async function draftConfirmation(engine: Engine, interview: Interview, records: readonly ActionRecord[]): Promise<ActionOutcome> {
  const overtaken = draftOvertaken(engine, interview);
  if (overtaken !== null) return { state: 'skipped', message: overtaken };
  const { record, wrote, sendAt, release, since } = await ensureDraft(engine, interview, records, 'hand over');
  if (since) return since;
  if (record.state === 'vetoed') return { state: 'vetoed', message: 'you deleted the confirmation draft: nothing written' };
  if (wrote === 'kept') return { state: 'done', message: 'draft already written' };
  if (wrote === 'unchanged') {
    const message = `${ACTION_LABEL['confirmation-draft']} skipped: ${confirmationStandsReason(record.to ?? null)}`;
    return { state: 'done', message, audit: { type: 'skipped', interviewId: interview.id, message, at: engine.now() } };
  }
  const at = sendAt === null ? '' : describeTime(sendAt, engine.config.candidate.timezone, engine.now());
  const when =
    interview.counterpart.email === null
      ? sendAt !== null
        ? `it has no recipient (no address to write to): add one in the draft and it is sent to them ${at}, as you left it; or send it yourself`
        : 'it has no recipient (no address to write to): add it in the draft and send it yourself'
      : confirmsAgain(interview, record)
        ? 'it is not sent: they already have a confirmation of this time, sent before the call last changed or for an invitation this one replaces; delete it, or send it yourself'
        : sendAt !== null
          ? `it will be sent ${at}; edit or delete it there before then`
        : 'it stays in Drafts for you to send';
  const message =
    wrote === 'rewritten'
      ? `confirmation draft rewritten as the event now stands ("${safeTitle(record.subject)}"): ${when}`
      : `confirmation draft written to Drafts ("${safeTitle(record.subject)}"): ${when}`;
  // Written with the action's state, and the draft's record with its lock's release, in one round trip (actions.ts).
  return { state: 'done', message, audit: { type: 'drafted', interviewId: interview.id, message, at: engine.now() }, ...(release ? { release } : {}) };
}

/**
 * True when the draft's recipient already has a confirmation of the call's time: the call moved
 * and moved back before the new one left, or an invitation it replaces was confirmed
 * ({@link confirmedForAnotherListing}), and a second, word for word the first, says nothing new.
 */
function confirmsAgain(interview: Interview, record: EmailRecord): boolean {
  return record.confirmed !== undefined && record.confirmed === interview.start && record.to === interview.counterpart.email?.toLowerCase();
}

/** A send this long after its planned time is late: what its draft says of when is checked first. */
const LATE_AFTER_MS = 60_000;

/**
 * Why the confirmation must stay a draft right now, or null when it may be sent: the plan's rule,
 * read again with today's company record, then the lead time. A counterpart without an address
 * holds it only while the draft has no recipient either (the user may have written one in).
 */
async function reasonToHold(engine: Engine, interview: Interview): Promise<string | null> {
  const companyFlagged = interview.company !== null && (await getCompany(engine.store, interview.company)).pattern;
  const blockers = autoSendBlockers({ interview, confirmations: engine.config.confirmations, companyFlagged });
  const [blocker] = blockers;
  if (blocker !== undefined && !sendsOnceAddressed(blockers)) return blocker;
  if (engine.now() > interview.start - engine.config.timing.minLeadMinutes * 60_000) {
    return 'too late to confirm: the call starts in less than the minimum lead time (the draft stays in Drafts)';
  }
  return null;
}

export async function sendConfirmation(engine: Engine, interview: Interview, records: readonly ActionRecord[]): Promise<ActionOutcome> {
  const mailbox = mailboxOf(engine);
  const { record, since, zoneSet } = await ensureDraft(engine, interview, records, 'release');
  if (since) return since;
  if (record.state === 'sent') return { state: 'sent', message: 'already sent' };
  if (record.state === 'vetoed') return { state: 'vetoed', message: 'you deleted the draft: nothing sent' };
  // Handed to a provider that files it later: never sent again, its copy in Sent is awaited.
  if (awaitsCopy(engine, record)) return await awaitSentCopy(engine, interview, record);

  const state = await mailbox.draftState(record.ref);
  const now = engine.now();
  if (state.state === 'gone') {
    await saveEmail(engine.store, interview.id, { ...record, state: 'vetoed', updatedAt: now });
    const message = 'you deleted the confirmation draft: nothing sent';
    await audit(engine.store, { type: 'vetoed', interviewId: interview.id, message, at: now });
    return { state: 'vetoed', message };
  }
  // Sent by the user, or by an attempt that died before it recorded the send: recorded and audited now, once.
  if (state.state === 'sent') return await confirmSent(engine, interview, record, state.ref, ', found already in Sent: sent from your mail client, or by an earlier attempt that did not finish');
  // The draft's record is stored: a call withdrawn or moved since this send read it is not
  // confirmed (written-meanwhile.ts). Asked before a draft gone is taken for your veto: the
  // withdrawal deletes it too. A withdrawal after this and before the claim makes the claim
  // refuse (claimAsRead); one after the claim leaves the draft to this send (cancel.ts).
  // The call is read in the round trip that reads what may hold the send (unread-calendar.int.test.ts counts them).
  const [looked, hold] = await sendTogether(engine.store.redis, () => Promise.all([lookAgain(engine, interview, 'confirmation'), reasonToHold(engine, interview)]));
  if (looked.changed) return looked.changed;

  if (confirmsAgain(interview, record)) {
    const message = `${record.to} already got a confirmation of this time, sent before the call last changed or for an invitation this one replaces: this one stays in Drafts, delete it or send it yourself`;
    await audit(engine.store, { type: 'kept-as-draft', interviewId: interview.id, message, at: now });
    return { state: 'kept-as-draft', message };
  }
  // Without an address of the counterpart's, the draft goes only to whom the user wrote into it,
  // read as it stands now; no path reaches the send without a recipient.
  const [recipient] = hold === null && interview.counterpart.email === null ? await draftRecipients(mailbox, state.ref) : [interview.counterpart.email];
  if (hold || !recipient) {
    const message = hold ?? NOT_ADDRESSED;
    await audit(engine.store, { type: 'kept-as-draft', interviewId: interview.id, message, at: now });
    return { state: 'kept-as-draft', message };
  }

  const limit = engine.config.limits.emailsPerRecipientPerDay;
  const before = await takeSendSlot(engine.store, { recipient, messageId: record.ref.messageId, limit, now });
  if (before !== null) {
    const message = `${recipient} already got ${before} email${before === 1 ? '' : 's'} from ringback in the last 24 hours (limits.emailsPerRecipientPerDay: ${limit}): the confirmation stays a draft, send it yourself if it is right`;
    await audit(engine.store, { type: 'kept-as-draft', interviewId: interview.id, message, at: now });
    await noteHeld(engine.store, { subject: `recipient:${recipient}`, message: `"${safeTitle(record.subject)}": ${message}`, at: now });
    return { state: 'kept-as-draft', message };
  }

  const token = `${engine.owner}:${++locksTaken}`;
  const claim = await claimAsRead(engine, interview, { messageId: record.ref.messageId, stored: looked.stored, token });
  if (claim.changed) return claim.changed;
  // From the claim until the send is recorded, the draft's lock is held: a withdrawal read
  // meanwhile leaves the draft being sent, and says so (cancel.ts); this entry says whether it left.
  const outcome = await holdLease(
    engine.store,
    emailLockKey(interview.id, 'confirmation'),
    token,
    LOCK_TTL_MS,
    (lease) => sendClaimed(engine, { interview, records, record, ref: state.ref, recipient, first: claim.first, read: claim.read, token, now, zoneSet }, lease),
    (reason) => engine.log.warn({ interview: interview.id }, `the lock on the confirmation was lost while sending it (${reason})`),
  );
  // An edit the user saved while the server was taking it stays in Drafts: they are told (late-edit.ts).
  if (outcome.state === 'sent') await tellLateEditAfter(engine, interview, { ...record, state: 'sent', to: recipient.toLowerCase() });
  return outcome;
}

/**
 * Claims the confirmation's send as the call stands in `stored` (store/drafts.ts claimSend), with the
 * draft's lock. A call withdrawn or moved since the send looked at it is not confirmed: its outcome
 * is returned, as the look before (written-meanwhile.ts) gives it. A record changed otherwise is
 * looked at again, and the claim made on it.
 */
async function claimAsRead(
  engine: Engine,
  interview: Interview,
  send: { readonly messageId: string; readonly stored: Buffer; readonly token: string },
): Promise<{ readonly first: boolean; readonly read: Buffer; readonly changed?: never } | { readonly changed: ActionOutcome }> {
  let stored = send.stored;
  for (let tries = 1; ; tries++) {
    const email = { interviewId: interview.id, kind: 'confirmation' as const, messageId: send.messageId, read: stored, owner: engine.owner };
    const claim = await claimSend(engine.store, email, { token: send.token, ttlMs: LOCK_TTL_MS });
    if (claim === 'first' || claim === 'again') return { first: claim === 'first', read: stored };
    if (claim === 'changed') {
      const looked = await lookAgain(engine, interview, 'confirmation');
      if (looked.changed) return { changed: looked.changed };
      stored = looked.stored;
    } else await new Promise((resolve) => setTimeout(resolve, 50));
    if (tries >= LOCK_TRIES) throw new TransientError('another job holds this confirmation, or keeps changing its call');
  }
}

/** What a claimed send goes on with: the draft as it stands (`ref`), whom it goes to, and whether this attempt claimed it first. */
interface ClaimedSend {
  readonly interview: Interview;
  readonly records: readonly ActionRecord[];
  readonly record: EmailRecord;
  readonly ref: DraftRef;
  readonly recipient: string;
  readonly first: boolean;
  /** The interview's record as the claim read it, and the lock's token: checked again right before the provider is handed the draft. */
  readonly read: Buffer;
  readonly token: string;
  readonly now: number;
  /** The recipient's zone the user has set now (null for none). */
  readonly zoneSet: string | null;
}

async function sendClaimed(engine: Engine, send: ClaimedSend, lease: HeldLease): Promise<ActionOutcome> {
  const { interview, records, record, recipient, first, now } = send;
  const mailbox = mailboxOf(engine);
  if (!first) {
    // An earlier attempt claimed this Message-ID and may have sent it before it died.
    const found = await mailbox.findByMessageId(send.ref.messageId);
    if (found?.folder === 'sent') return await confirmSent(engine, interview, record, found.ref, ', found in Sent after a retry', lease);
  }
  // "in 44 minutes" of a draft that leaves late is made true again first (late-confirmation.ts),
  // and so is a draft written on the candidate's clock before they changed zone, or before the
  // user set (or changed) the recipient's zone: "emails show their time too" held only for drafts
  // written after it, and a confirmation drafted the day before left without it. The draft was
  // written as of the planned send: on time and on today's clocks, it is true already, and the
  // draft is neither read nor parsed again. A record of an earlier version, which did not keep
  // the recipient's zone, leaves as it stands, as it did.
  const plannedAt = plannedSend(interview, records);
  const late = plannedAt === null || now - plannedAt > LATE_AFTER_MS;
  const zone = record.zone ?? engine.config.candidate.timezone;
  const theirs = record.theirZone === undefined ? null : { was: record.theirZone, now: send.zoneSet };
  const stale = late || zone !== engine.config.candidate.timezone || (theirs !== null && theirs.was !== theirs.now);
  const refreshed = stale ? await refreshLateConfirmation(engine, interview, send.ref, { earlier: record.confirmed ?? null, zone, ...(theirs ? { theirZone: theirs.was } : {}) }) : null;
  const ref = refreshed?.ref ?? send.ref;
  // Written again, on the clocks of now: what it says is recorded so (a later change of the call
  // compares with what they were sent).
  const said = refreshed?.wrote === 'rewritten' ? { theirZone: refreshed.theirZone, says: confirmationSays(interview, engine.config.candidate, refreshed.theirZone) } : {};
  // Recorded as submitted before the request (src/engine/submitted.ts), in the step that looks at
  // the call a last time, once the adapter has read the draft (SendOptions.beforeSubmit).
  // Kept with the address it leaves for: the one the user wrote in, when the counterpart had none.
  const submitted: EmailRecord = { ...record, ...said, to: recipient.toLowerCase(), ref, state: 'submitted', submittedAt: engine.now(), updatedAt: engine.now() };
  // What the last look found; 'not reached' while the adapter has not called it.
  const look: { last: 'not reached' | 'submitted' | 'changed' } = { last: 'not reached' };
  const beforeSubmit = async (): Promise<void> => {
    look.last = await submitAsClaimed(engine, interview, { read: send.read, record: submitted, token: send.token });
    if (look.last === 'changed') throw new SendStopped(`${ref.messageId} was not sent: its call changed after the send was claimed`);
  };
  // Recipients the SMTP relay refused while it took the email for the others: it left all the same.
  const refused: DeliveryFailure[] = [];
  let sentRef: DraftRef;
  try {
    sentRef = await mailbox.send(ref, { beforeSubmit, onRecipientsRefused: (some) => refused.push(...some) });
  } catch (error) {
    if (look.last === 'changed') return await stoppedBeforeSubmit(engine, interview, lease);
    // Deleted by the user after the claim and before the adapter read it (which may be after the
    // last look: maildir-send.ts and imap-send.ts read the draft then): their veto, as before the claim.
    if (error instanceof PermanentError && !(error instanceof AccountUnusableError)) {
      const vetoed = await vetoedMeanwhile(engine, interview, record, lease);
      if (vetoed) return vetoed;
    }
    throw error;
  }
  await recordRefusedAtSend(engine, interview, submitted, refused);
  if (mailbox.filesSentLater) return await awaitSentCopy(engine, interview, { ...submitted, ref: sentRef });
  // No SMTP client can tell whether an attempt that died after its last byte left was stored by
  // the server; say so rather than claim exactly once.
  const retried = first ? '' : ', retried after an attempt that did not finish (had that one reached the mail server, there are two copies with the same Message-ID)';
  return await confirmSent(engine, interview, submitted, sentRef, retried, lease);
}
