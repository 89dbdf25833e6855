/**
 * After the call (DESIGN.md lifecycle, issue "After the call"): the no-show contingency draft at
 * T + wait, its resolution at T + giveUp, the thank-you at E + thankYouDelay, and the apology when
 * the candidate missed the call. Each one first looks for a reply from the counterpart after the
 * call started: a reply stops every pending follow-up of that interview.
 */
import { availableUntilFor, composeApology, composeNoShow, composeThankYou, type ComposeBase } from '../domain/compose.js';
import { decideEscalation, noShowLevel } from '../domain/escalation.js';
import { flexibilityOwed } from '../domain/reschedule.js';
import { emailKindOf, messageIdFor, type EmailKind } from '../domain/ids.js';
import { ACTION_LABEL, type ActionKind } from '../domain/actions.js';
import type { ComposedEmail, Interview } from '../domain/types.js';
import type { DraftRef } from '../providers/mail/types.js';
import { audit } from '../store/audit.js';
import { getCompany } from '../store/companies.js';
import { getEmail, getEmails, receivedBy, recipientOf, saveEmail, type EmailRecord } from '../store/drafts.js';
import { updateInterview } from '../store/interview-writes.js';
import { listInterviews } from '../store/interviews.js';
import { counterpartZone } from '../store/zones.js';
import { nextBusyStart } from '../store/events.js';
import type { ActionOutcome } from './action-outcome.js';
import { sentRecipients } from './addressed.js';
import { deleteUnsent } from './cancel.js';
import { personalReplies } from './auto-replies.js';
import { mailboxOf, messageDomain, type Engine } from './context.js';
import { recordOutcome } from './outcome.js';
import { unplan } from './replan.js';
import { findFreeSlots } from './slots.js';
import { safeTitle } from './wording.js';
import { changedWhileWritten, writtenSince } from './written-meanwhile.js';

/**
 * Stops the follow-ups when the counterpart wrote back after the call started. A counterpart
 * without an address (a no-reply invitation) cannot be told from anyone else who writes: never
 * looked for, the follow-ups stay drafts for the user to address.
 */
async function repliedAfterCall(engine: Engine, interview: Interview): Promise<boolean> {
  const counterpart = interview.counterpart.email;
  if (counterpart === null) return false;
  const mailbox = mailboxOf(engine);
  const ours = (await getEmails(engine.store, interview.id)).map((e) => e.ref);
  const answers = await mailbox.repliesSince(
    {
      messageIds: ours.map((r) => r.messageId),
      threadId: ours.find((r) => r.threadId)?.threadId ?? null,
      counterpart,
    },
    interview.start,
  );
  // An out-of-office or a bounce is no reply: the follow-ups go on (auto-replies.ts).
  const replies = await personalReplies(engine, interview.id, answers);
  if (replies.length === 0) return false;
  const first = replies[0];
  // On the record as it is now: an outcome recorded meanwhile stays, a cancel stays a cancel.
  const written = await updateInterview(engine.store, interview.id, (current) => (current.status === 'scheduled' ? { ...current, status: 'done' } : null));
  await unplan(engine, written?.after ?? { ...interview, status: 'done' });
  await audit(engine.store, {
    type: 'reply',
    interviewId: interview.id,
    message: `${first?.from ?? counterpart} replied after the call ("${safeTitle(first?.subject ?? '')}"): pending follow-ups stopped`,
    at: engine.now(),
  });
  return true;
}

/**
 * The thread to answer in: the confirmation, only when this recipient received it. A draft nobody
 * received (pattern company, tentative invite, `confirmations: draft`) is no thread of theirs, and
 * neither is a confirmation sent to someone else: the coordinator who booked the call, before the
 * interviewer it names became the counterpart. A "Re:" to a message they never got reads as a
 * mistake; a note under its own subject is clear to anyone.
 */
async function threadAnchor(engine: Engine, interview: Interview): Promise<EmailRecord | null> {
  const confirmation = await getEmail(engine.store, interview.id, 'confirmation');
  const address = interview.counterpart.email;
  if (confirmation?.state === 'sent' && confirmation.to === undefined && address !== null) {
    // Recorded by an earlier version, which kept no recipient: its copy in Sent says whom it went to.
    const to = await sentRecipients(mailboxOf(engine), confirmation.ref);
    return to.includes(address.toLowerCase()) ? confirmation : null;
  }
  return receivedBy(confirmation, address) ? confirmation : null;
}

function replyOf(anchor: EmailRecord | null): { messageId: string; subject: string } | null {
  return anchor ? { messageId: anchor.ref.messageId, subject: anchor.subject } : null;
}

/** The recipient's zone the user set for them (`ringback company zone`), if any. */
async function zoneSetFor(engine: Engine, interview: Interview): Promise<string | null> {
  return await counterpartZone(engine.store, { email: interview.counterpart.email, company: interview.company });
}

/**
 * One draft per email: the draft of this kind written for an earlier revision (the event moved
 * after it was written) is taken out of Drafts before the new one goes in. Left there, it stayed
 * beside the new one, and its record, replaced by the new one's, no longer led to it: a cancel
 * deleted one of the two.
 */
async function removeEarlierDraft(engine: Engine, interview: Interview, kind: EmailKind): Promise<void> {
  const earlier = await getEmail(engine.store, interview.id, kind);
  if (!earlier || earlier.state !== 'draft' || earlier.revision === interview.revision) return;
  const mailbox = mailboxOf(engine);
  const state = await mailbox.draftState(earlier.ref);
  if (state.state !== 'draft') return;
  await mailbox.deleteDraft(state.ref);
  // Said in the audit log, as a cancel says it (cancel.ts): the user may have edited that draft, or
  // written it to someone the counterpart no longer is (the emails now go to another person).
  const to = typeof earlier.to === 'string' ? `, written to ${earlier.to}` : '';
  await audit(engine.store, {
    type: 'deleted-draft',
    interviewId: interview.id,
    message: `the ${ACTION_LABEL[`${kind}-draft`]} written before the event changed was removed from Drafts ("${safeTitle(earlier.subject)}"${to}): a new one replaces it, and changes made to the old one are not carried over`,
    at: engine.now(),
  });
}

async function writeDraft(
  engine: Engine,
  interview: Interview,
  kind: EmailKind,
  email: ComposedEmail,
  replyTo: DraftRef | null,
  what: string,
): Promise<ActionOutcome> {
  const mailbox = mailboxOf(engine);
  const found = await mailbox.findByMessageId(email.messageId);
  if (!found) await removeEarlierDraft(engine, interview, kind);
  const ref = found ? found.ref : await mailbox.createDraft(email, { replyTo });
  await saveEmail(engine.store, interview.id, {
    kind,
    ref,
    revision: interview.revision,
    state: found?.folder === 'sent' ? 'sent' : 'draft',
    subject: email.subject,
    updatedAt: engine.now(),
    to: recipientOf(email),
    start: interview.start,
  });
  // The record is stored: the call is looked at again (written-meanwhile.ts).
  const changed = await changedWhileWritten(engine, interview, kind);
  if (changed) return changed;
  // A no-reply invitation: the user addresses every draft.
  const message = `${what} ("${safeTitle(email.subject)}")${email.to.length === 0 ? '; it has no recipient: add it in the draft before you send it' : ''}`;
  await audit(engine.store, { type: 'drafted', interviewId: interview.id, message, at: engine.now() });
  return { state: 'done', message };
}

/**
 * Nothing to write when the draft of this revision is already written (a retried job) or when the
 * counterpart replied after the call (which stops every follow-up); null when the draft is due.
 */
async function nothingToDraft(engine: Engine, interview: Interview, action: ActionKind): Promise<ActionOutcome | null> {
  const existing = await getEmail(engine.store, interview.id, emailKindOf(action));
  if (existing && existing.revision === interview.revision) return { state: 'done', message: `${ACTION_LABEL[action]} already written` };
  const since = writtenSince(existing, interview, emailKindOf(action));
  if (since) return since;
  if (existing && (await sentForThisCall(engine, interview, existing))) {
    return { state: 'stale', message: `you already sent this email for the call at this time ("${safeTitle(existing.subject)}"): none is written again` };
  }
  if (await repliedAfterCall(engine, interview)) return { state: 'stale', message: 'the counterpart replied' };
  return null;
}

/**
 * True when the email of an earlier revision was sent (by the user, from Drafts) for the call at the
 * same time: the event changed otherwise since (a new recipient, a new number), and a second no-show
 * note or thank-you for one call would be one too many. Recorded as sent when found so. A record
 * without the call's start (earlier versions) is not known to be for this call.
 */
async function sentForThisCall(engine: Engine, interview: Interview, existing: EmailRecord): Promise<boolean> {
  if (existing.start !== interview.start) return false;
  if (existing.state === 'sent') return true;
  if (existing.state !== 'draft') return false;
  const state = await mailboxOf(engine).draftState(existing.ref);
  if (state.state !== 'sent') return false;
  await saveEmail(engine.store, interview.id, { ...existing, ref: state.ref, state: 'sent', updatedAt: engine.now() });
  return true;
}

/** What every follow-up email is written from: the interview, the candidate, its Message-ID, now and the zone set. */
async function composeBaseFor(engine: Engine, interview: Interview, kind: EmailKind): Promise<ComposeBase & { readonly zoneSet: string | null }> {
  return {
    interview,
    candidate: engine.config.candidate,
    messageId: messageIdFor({ interviewId: interview.id, kind, revision: interview.revision, domain: messageDomain(engine) }),
    now: engine.now(),
    zoneSet: await zoneSetFor(engine, interview),
  };
}

/** A step of the lifecycle after the call: the interview as its action read it. */
type AfterCallStep = (engine: Engine, interview: Interview) => Promise<ActionOutcome>;

/**
 * The step, after it has taken out of Drafts a confirmation that was never sent. Once the call has
 * begun, "Confirming our phone interview today at 2:41 AM" is of no use, and one click from going
 * to the interviewer late: it stayed beside the no-show note or the thank-you when its send was
 * missed (the mailbox down across it, ringback stopped), or kept as a draft for the user (an
 * invitation not accepted, a company flagged, `confirmations: draft`). What it said, the user's
 * edits included, is kept in the audit. Every step after the call does it, not one of them alone:
 * the plan may leave any one out (no no-show note once the user said how it went, no thank-you
 * after a no-show), and the first that runs clears it. A mailbox failure fails the step, which
 * parks and runs again like any other.
 */
export function afterTheCall(step: AfterCallStep): AfterCallStep {
  return async (engine, interview) => {
    if (engine.now() >= interview.start) {
      await deleteUnsent(engine, mailboxOf(engine), interview, { kind: 'confirmation', why: 'never sent, and the call has begun' });
    }
    return await step(engine, interview);
  };
}

export async function draftNoShow(engine: Engine, interview: Interview): Promise<ActionOutcome> {
  if (interview.outcome === 'held' || interview.outcome === 'candidate-missed') {
    return { state: 'stale', message: `the outcome is already known (${interview.outcome})` };
  }
  const nothing = await nothingToDraft(engine, interview, 'noshow-draft');
  if (nothing) return nothing;

  const record = interview.company ? await getCompany(engine.store, interview.company) : null;
  const earlier = record ? record.noShows.filter((id) => id !== interview.id).length : 0;
  const history = { interviewerNoShows: earlier + 1, candidateMisses: record?.candidateMisses.length ?? 0 };
  const escalation = decideEscalation(history, engine.config.policy);
  const level = noShowLevel(history, engine.config.policy);
  const base = await composeBaseFor(engine, interview, 'noshow');
  const slots = level === 1 ? await findFreeSlots(engine, interview, base.zoneSet) : [];
  const availableUntil = interview.start + engine.config.timing.giveUpMinutes * 60_000;
  // From the synced events, no request: the note is written while the candidate waits by the phone.
  const nextBusy = await nextBusyStart(engine.store, engine.calendars.keys(), base.now, availableUntilFor({ availableUntil, now: base.now }));
  const anchor = await threadAnchor(engine, interview);
  const email = composeNoShow({
    ...base,
    escalation,
    level,
    availableUntil,
    nextBusy,
    slots,
    replyTo: replyOf(anchor),
  });
  const company = interview.company ?? 'this company';
  const what =
    level === 3
      ? `no-show draft ready in Drafts, short and without new times (${company} has missed calls before): send it if they did not call`
      : level === 2
        ? `no-show draft ready in Drafts, asking them to call you (missed call #${escalation.noShows} at ${company}): send it if they did not call`
        : `no-show draft ready in Drafts, offering ${slots.length} new times: send it if the call did not happen`;
  return await writeDraft(engine, interview, 'noshow', email, anchor?.ref ?? null, what);
}

export async function resolveNoShow(engine: Engine, interview: Interview): Promise<ActionOutcome> {
  const mailbox = mailboxOf(engine);
  const record = await getEmail(engine.store, interview.id, 'noshow');
  const now = engine.now();
  if (interview.outcome) {
    // The user already said how it went; an unsent contingency draft has no purpose any more.
    if (record?.state === 'draft' && interview.outcome !== 'interviewer-no-show') {
      const state = await mailbox.draftState(record.ref);
      if (state.state === 'draft') await mailbox.deleteDraft(state.ref);
      await saveEmail(engine.store, interview.id, { ...record, state: 'deleted', updatedAt: now });
    }
    return { state: 'done', message: `outcome already known (${interview.outcome})` };
  }
  // Sent for this call and recorded so (nothingToDraft found it in Sent after the event changed).
  if (record?.state === 'sent' && record.start === interview.start) {
    await recordOutcome(engine, interview.id, 'interviewer-no-show', 'mailbox');
    return { state: 'done', message: 'you sent the no-show email: outcome interviewer-no-show' };
  }
  if (!record || record.state !== 'draft') {
    await recordOutcome(engine, interview.id, 'held', 'assumed');
    return { state: 'done', message: 'no no-show email was sent: call assumed held' };
  }
  const state = await mailbox.draftState(record.ref);
  if (state.state === 'sent') {
    await saveEmail(engine.store, interview.id, { ...record, ref: state.ref, state: 'sent', updatedAt: now });
    await recordOutcome(engine, interview.id, 'interviewer-no-show', 'mailbox');
    return { state: 'done', message: 'you sent the no-show email: outcome interviewer-no-show' };
  }
  if (state.state === 'draft') await mailbox.deleteDraft(state.ref);
  await saveEmail(engine.store, interview.id, { ...record, state: 'deleted', updatedAt: now });
  await audit(engine.store, {
    type: 'deleted-draft',
    interviewId: interview.id,
    message: 'the no-show draft was not sent: removed from Drafts, the call is assumed to have happened',
    at: now,
  });
  await recordOutcome(engine, interview.id, 'held', 'assumed');
  return { state: 'done', message: 'no-show draft unsent: removed, call assumed held' };
}

export async function draftThankYou(engine: Engine, interview: Interview): Promise<ActionOutcome> {
  if (interview.outcome && interview.outcome !== 'held') {
    return { state: 'stale', message: `no thank-you: outcome is ${interview.outcome}` };
  }
  const noshow = await getEmail(engine.store, interview.id, 'noshow');
  if (noshow?.state === 'sent') return { state: 'stale', message: 'no thank-you: you sent the no-show email' };
  const nothing = await nothingToDraft(engine, interview, 'thankyou-draft');
  if (nothing) return nothing;
  const earlier = await listInterviews(engine.store, { from: interview.start - 60 * 86_400_000, to: interview.start });
  const follows = flexibilityOwed(interview, earlier);
  const email = composeThankYou({ ...(await composeBaseFor(engine, interview, 'thankyou')), rescheduled: follows.owed });
  // Its own subject, so never in the confirmation's thread (Gmail threads only equal subjects).
  const link = follows.after === null ? '' : ` (thanks them for their flexibility: it follows ${follows.after})`;
  return await writeDraft(engine, interview, 'thankyou', email, null, `thank-you draft ready in Drafts${link}`);
}

export async function draftApology(engine: Engine, interview: Interview): Promise<ActionOutcome> {
  if (interview.outcome !== 'candidate-missed') return { state: 'stale', message: 'the outcome is no longer "candidate-missed"' };
  const nothing = await nothingToDraft(engine, interview, 'apology-draft');
  if (nothing) return nothing;
  const base = await composeBaseFor(engine, interview, 'apology');
  const slots = await findFreeSlots(engine, interview, base.zoneSet);
  const anchor = await threadAnchor(engine, interview);
  const email = composeApology({ ...base, slots, replyTo: replyOf(anchor) });
  const what = slots.length > 0 ? `apology draft ready in Drafts with ${slots.length} free times` : 'apology draft ready in Drafts (no free time found this week: it asks them for a time)';
  return await writeDraft(engine, interview, 'apology', email, anchor?.ref ?? null, what);
}
