/**
 * One event as a sync reads it (a changed one, or a kept one read again), or as `ringback mark`
 * has it read again: made, kept or withdrawn as an interview, and kept for `ringback explain` when
 * detection weighed it without making it one.
 */
import { NO_ADDRESS_NOTE, counterpartShown } from '../domain/counterpart.js';
import { analyse, revisionKey, type Analysis } from '../domain/detect.js';
import { interviewIdFor } from '../domain/ids.js';
import { dialsIn } from '../domain/dial-in.js';
import type { CalendarEvent, Detection, Interview, NotAnInterview, UserMark } from '../domain/types.js';
import { audit, type AuditEntry } from '../store/audit.js';
import { sendTogether } from '../store/connection.js';
import { KEPT_INTERVIEW, getMark, getMarks, saveSeen, type SeenEvent, type StoredMark } from '../store/detections.js';
import { checkAttempts, getStoredInterview, saveInterviewIfUnchanged, type StoredInterview } from '../store/interview-writes.js';
import { recordedInterviews } from '../store/interviews.js';
import { cancelInterview, deleteUnsentDrafts, withdrawInterview } from './cancel.js';
import {
  cancelCall,
  cancelFirstRead,
  cancelledElsewhere,
  cancelledHere,
  declineCall,
  declinedElsewhere,
  reinstateCall,
  reinstatedFor,
  restoreCall,
  withdrawIfCallWithdrawn,
  withdrawnForAnother,
  withdrawnForCall,
} from './declined-call.js';
import { announceChange, duplicateFound, keepSentOfGone, recordNew, saveDeciding } from './duplicates.js';
import type { SameCall } from '../domain/duplicates.js';
import type { Engine } from './context.js';
import type { PageWrites } from './first-plans.js';
import { hashKey } from './floods.js';
import { dropDraftsOfOldTime } from './moved-drafts.js';
import { recordOutcome } from './outcome.js';
import { readForReplan, replan, type ReplanReads } from './replan.js';
import { safeTitle } from './wording.js';

const SKIP_WORDS: Record<NotAnInterview['reason'], string> = {
  'no-match': 'not a phone interview',
  excluded: 'excluded',
  'all-day': 'all-day events never qualify',
  cancelled: 'cancelled',
  'no-counterpart': 'nobody else on it: no organizer or attendee besides you, not even a no-reply sender (an entry of your own)',
  'own-block': 'a block of your own',
  video: 'a video interview',
  'in-person': 'an in-person interview',
  'not-interview': 'not a job interview',
  marked: 'you marked it',
};

export function describeSkip(skip: NotAnInterview): string {
  const base = SKIP_WORDS[skip.reason];
  return 'detail' in skip && skip.detail ? `${base}: ${skip.detail}` : base;
}

/** Which of these interviews have a record, and the user's marks of them, in one round trip. */
export async function recordsAndMarks(engine: Engine, ids: readonly string[]): Promise<[Set<string>, Map<string, StoredMark>]> {
  return await Promise.all([recordedInterviews(engine.store, ids), getMarks(engine.store, ids)]);
}

export type ProcessResult = 'new' | 'updated' | 'unchanged' | 'withdrawn' | { reason: string };

/**
 * Detects `event` again with the user's mark (after `ringback mark`), as a sync would, so that the
 * choice takes effect now rather than when the event next changes.
 */
export async function reprocessEvent(engine: Engine, sourceId: string, event: CalendarEvent, mark: UserMark): Promise<ProcessResult> {
  return await processEvent(engine, sourceId, event, { mayExist: true, mark });
}

/** Signals that make an event worth keeping for `ringback explain` even when it is not an interview. */
const WORTH_KEEPING = new Set(['interview', 'keyword', 'scheduler', 'phone', 'call', 'video', 'interviewerCalls', 'candidateCalls']);

function worthKeeping(analysis: Analysis): boolean {
  if (analysis.result.kind !== 'skip' || analysis.decidedBy === 'tag') return false;
  const reason = analysis.result.reason;
  if (reason === 'cancelled' || reason === 'all-day' || reason === 'excluded') return false;
  return reason !== 'no-match' || analysis.evidence.some((e) => e.weight > 0 && WORTH_KEEPING.has(e.signal));
}

export interface ProcessOptions {
  readonly id?: string;
  readonly mayExist: boolean;
  readonly mark?: UserMark | undefined;
  readonly writes?: PageWrites;
}

/** What {@link processOnce} says when another writer changed the record between its read and its write. */
const CHANGED_MEANWHILE = Symbol('changed meanwhile');

/**
 * Makes the event's interview what the event now says. Its record is written only over the record
 * it was decided on (interview-writes.ts): when another writer came in between (the user recorded
 * an outcome, marked the event, a reply closed it), the record and the user's mark are read again
 * and the event processed again on them, so that what they wrote stays and the event's new facts
 * go in on top. `options.mark` (the page's read) is used only for an event with no record yet.
 */
export async function processEvent(engine: Engine, sourceId: string, event: CalendarEvent, options: ProcessOptions): Promise<ProcessResult> {
  const id = options.id ?? interviewIdFor(sourceId, event.id);
  for (let attempt = 1, mayExist = options.mayExist; ; attempt++, mayExist = true) {
    const result = await processOnce(engine, sourceId, event, { ...options, id, mayExist });
    if (result !== CHANGED_MEANWHILE) return result;
    checkAttempts(id, attempt);
  }
}

/**
 * True when the emails now go to someone else: the counterpart's address changed while the event's
 * facts did not (the revision key does not hold it). A coordinator's invitation read again once its
 * text names the interviewer (detection/interviewer.ts), or a text that names another attendee,
 * hands the call to another person; their drafts must be written to them, as a move rewrites them.
 */
function recipientChanged(before: Interview, d: Detection): boolean {
  const address = (email: string | null): string | null => (email === null ? null : email.toLowerCase());
  return address(before.counterpart.email) !== address(d.counterpart.email);
}

/** The record of an existing interview with the event's new detection: what the calendar says goes in, what the user said stays. */
function rewritten(
  existing: Interview,
  d: Detection,
  rk: string,
  declined: boolean,
  uid: string | undefined,
): { updated: Interview; moved: boolean; changed: boolean; revived: boolean; handedOver: boolean } {
  const moved = existing.start !== d.start;
  const handedOver = recipientChanged(existing, d);
  // A new recipient is a new revision: every pending draft is rewritten to them and its jobs
  // replaced, and no reply is threaded under what the earlier one received (followups.ts).
  const changed = rk !== existing.revisionKey || handedOver;
  const revived = existing.status !== 'scheduled' && !declined && existing.status !== 'done';
  const revision = changed || revived ? existing.revision + 1 : existing.revision;
  // What detection wrote only when true goes when it no longer says so: a dial-in read before the
  // invitation named a person's number to call is no dial-in now.
  // A listing that left its calendar and is listed again is that call's listing again.
  // The invitation's UID as the provider gives it now (a record of an earlier version has none).
  // Listed again as on, it is no longer cancelled where it was (a caller keeping it cancelled says so).
  const { dialIn: _before, statedZone: _stated, statedOffset: _offset, vanished: _gone, uid: _uid, cancelledIn: _shown, ...kept } = existing;
  const updated: Interview = {
    ...kept,
    ...(uid !== undefined ? { uid } : {}),
    ...d,
    outcome: existing.outcome,
    outcomeSource: existing.outcomeSource,
    taggedOutcome: d.taggedOutcome,
    revision,
    revisionKey: rk,
    rescheduled: existing.rescheduled + (moved ? 1 : 0),
    status: declined ? 'declined' : existing.status === 'done' ? 'done' : 'scheduled',
  };
  return { updated, moved, changed, revived, handedOver };
}

async function processOnce(
  engine: Engine,
  sourceId: string,
  event: CalendarEvent,
  options: ProcessOptions & { readonly id: string },
): Promise<ProcessResult | typeof CHANGED_MEANWHILE> {
  const id = options.id;
  // The record and the user's mark, read together (one socket write): a mark is saved before the
  // record it changes, so a record read here with the user's decision comes with the mark behind
  // it, even one saved after the page's marks were read.
  const [stored, markNow]: [StoredInterview | null, StoredMark | null] = options.mayExist
    ? await sendTogether(engine.store.redis, () => Promise.all([getStoredInterview(engine.store, id), getMark(engine.store, id)]))
    : [null, null];
  const mark = options.mayExist ? (markNow ?? undefined) : options.mark;
  const existing = stored?.interview ?? null;
  const analysis = analyse(event, { candidate: engine.config.candidate, detection: engine.config.detection }, mark);
  const result = analysis.result;
  const now = engine.now();

  if (result.kind === 'skip') {
    const reason = describeSkip(result);
    if (worthKeeping(analysis)) {
      const seen = { id, sourceId, event, kind: analysis.kind, confidence: analysis.confidence, reason, evidence: analysis.evidence };
      if (options.writes) options.writes.keep(seen, now);
      else await saveSeen(engine.store, seen, now);
    }
    const organizer = result.reason === 'cancelled';
    if (existing && existing.status === 'scheduled') {
      // Cancelled by its organizer (or no longer an interview): that is about the call, so another
      // calendar that still lists it, not caught up yet, does not take it over (domain/duplicates.ts).
      await cancelInterview(engine, existing, 'cancelled', `"${safeTitle(event.title)}" ${organizer ? 'was cancelled' : `is no longer a phone interview (${reason})`}`, organizer ? { cancelledIn: id } : {});
      // Shown first by the calendar of a duplicate: the listing with the emails, in a calendar not caught up yet, goes too.
      if (organizer && existing.duplicateOf !== undefined) await cancelCall(engine, existing);
      return 'withdrawn';
    }
    // Withdrawn already for what another calendar showed (a decline, a cancellation): its own calendar now shows the cancellation.
    if (existing && organizer && withdrawnForAnother(existing)) await cancelledHere(engine, existing, `"${safeTitle(event.title)}" was cancelled`);
    // Read cancelled the first time, for a call still to come: another calendar's listing of it goes too.
    if (!existing && organizer && event.start > now) {
      await cancelFirstRead(engine, { id, sourceId, eventId: event.id, ...(event.uid !== undefined ? { uid: event.uid } : {}), start: event.start, title: event.title });
    }
    if (result.reason !== 'no-match') {
      // In a sync, writes that nothing reads before the page ends go out together (first-plans.ts).
      const written = audit(engine.store, { type: 'skipped', accountId: sourceId, message: `"${safeTitle(event.title)}" skipped: ${reason}`, at: now });
      if (options.writes) options.writes.later(written);
      else await written;
    }
    return { reason };
  }

  const d = result.detection;
  // An uncertain one (needs review, the calls `ringback mark` is for) is kept whole, as an event
  // weighed and left out is: withdrawn by a mark and then marked back, it is decided again from it
  // (mark.ts), since a calendar read by its changes does not list it again while it does not
  // change. Not every interview: about 1.5 KB each in Redis, against 3 KB per interview for all of
  // it (footprint benchmark, 4.41 KB per interview with every interview's event kept).
  if (d.review === true) {
    const kept: SeenEvent = { id, sourceId, event, kind: analysis.kind, confidence: analysis.confidence, reason: KEPT_INTERVIEW, evidence: analysis.evidence };
    if (options.writes) options.writes.keep(kept, now);
    else await saveSeen(engine.store, kept, now);
  }
  const rk = hashKey(revisionKey(event, d));
  // Declined in its own calendar; or withdrawn because another calendar's listing of the call is
  // declined there and still is (a decline is about the call: declined-call.ts), which an edit of
  // this one, whose calendar has not caught up, does not undo.
  const declined =
    d.role === 'declined' ||
    (existing !== null && withdrawnForCall(existing) && existing.start === d.start && (await declinedElsewhere(engine, existing)));
  // Withdrawn because another calendar showed the organizer's cancellation, which it still shows:
  // this change is one its own calendar shows late (a move made before the cancellation), and does
  // not bring the call back; the reinstatement does, shown in either calendar (declined-call.ts).
  const stillCancelled = !declined && existing !== null && (await cancelledElsewhere(engine, existing));

  if (!stored) {
    const interview: Interview = {
      ...d,
      id,
      sourceId,
      eventId: event.id,
      ...(event.uid !== undefined ? { uid: event.uid } : {}),
      revision: 1,
      revisionKey: rk,
      status: declined ? 'declined' : 'scheduled',
      rescheduled: 0,
      outcome: null,
      outcomeSource: null,
      firstSeen: now,
    };
    const found: AuditEntry = {
      type: declined ? 'declined' : 'detected',
      interviewId: id,
      message: declined
        ? `"${safeTitle(d.title)}" found, but you declined it: nothing will be sent`
        : `phone interview found: "${safeTitle(d.title)}" with ${counterpartShown(d.counterpart)}` +
          `${d.company ? ` (${d.company})` : ''}, ${dialsIn(d) ? "you dial in to the meeting's bridge" : d.direction === 'candidate-calls' ? 'you call' : d.direction === 'interviewer-calls' ? 'they call' : 'who calls whom is not said'}` +
          (d.counterpart.email === null ? `; ${NO_ADDRESS_NOTE}` : '') +
          (d.review === true ? `; needs review (confidence ${d.confidence ?? 0}): the confirmation stays a draft until "ringback mark ${id} phone"` : ''),
      at: now,
    };
    // In a sync, the page's new interviews are recorded and planned together (first-plans.ts); one
    // that another writer recorded first is processed again as an existing one.
    if (options.writes) {
      const again = async () => await processEvent(engine, sourceId, event, { id, mayExist: true });
      options.writes.add({ interview, found, plan: !declined, again });
      return 'new';
    }
    const created = await recordNew(engine, interview);
    if (!created) return CHANGED_MEANWHILE;
    if (created.same) {
      await audit(engine.store, duplicateFound(created.interview, created.same, now));
      if (reinstatedFor(created.same.owner, created.interview)) await reinstateCall(engine, created.interview, created.same.owner.id);
      return 'new';
    }
    await audit(engine.store, found);
    if (declined) {
      await declineCall(engine, created.interview);
      return 'new';
    }
    await replan(engine, created.interview, null);
    if (d.taggedOutcome) await recordOutcome(engine, interview.id, d.taggedOutcome, 'tag');
    return 'new';
  }

  const { updated, moved, changed, revived, handedOver } = rewritten(stored.interview, d, rk, declined, event.uid);
  if (stillCancelled) {
    const kept: Interview = { ...updated, status: 'cancelled', cancelledIn: stored.interview.cancelledIn as string };
    return (await saveInterviewIfUnchanged(engine.store, stored, kept)) ? 'unchanged' : CHANGED_MEANWHILE;
  }
  if (declined) {
    if (stored.interview.status === 'scheduled') {
      const withdrawn: Interview = { ...updated, status: 'declined' };
      if (!(await saveInterviewIfUnchanged(engine.store, stored, withdrawn))) return CHANGED_MEANWHILE;
      await withdrawInterview(engine, withdrawn, 'declined', `you declined "${safeTitle(d.title)}"`);
      await declineCall(engine, withdrawn);
      return 'withdrawn';
    }
    return (await saveInterviewIfUnchanged(engine.store, stored, updated)) ? 'unchanged' : CHANGED_MEANWHILE;
  }
  // What the replan below reads is sent right behind the record's write, in the same round trip:
  // it reads keys the write does not touch (the company, the emails, the action records, the
  // jobs), and it is used only once the write is known to be done. A replan read them in a round
  // trip of its own after the write (fleet benchmark, issue 17, bench/README.md). Dropped when the
  // write loses (the event is then processed again) or the interview turns out to be a duplicate.
  let planRead: Promise<ReplanReads> | undefined;
  const readPlan = () => {
    planRead = readForReplan(engine, updated, stored.interview.revision);
    // A failure is thrown where the reads are used; the reads of a write that lost are not.
    planRead.catch(() => undefined);
  };
  // A move, a return from cancelled (another calendar's listing may have taken the call over
  // meanwhile) or a duplicate's change decides again whether it is the same call as another
  // calendar's listing (duplicates.ts); any other change leaves that as it was.
  if (moved || revived || stored.interview.duplicateOf !== undefined) {
    // A duplicate's change goes on in afterDecided, which reads for itself.
    const decided = await saveDeciding(engine, stored, updated, stored.interview.duplicateOf === undefined ? readPlan : undefined);
    if (!decided) return CHANGED_MEANWHILE;
    if (decided.same || stored.interview.duplicateOf !== undefined) {
      return await afterDecided(engine, stored.interview, decided.interview, decided.same, changed || revived);
    }
  } else {
    const saved = sendTogether(engine.store.redis, () => {
      const saving = saveInterviewIfUnchanged(engine.store, stored, updated);
      readPlan();
      return saving;
    });
    if (!(await saved)) return CHANGED_MEANWHILE;
  }
  if (changed || revived) {
    const written = audit(engine.store, {
      type: 'updated',
      interviewId: id,
      message: revived
        ? onAgain(stored.interview, d, moved, handedOver)
        : moved
        ? `"${safeTitle(d.title)}" moved: plan recomputed, drafts will be rewritten${handedOver ? ` to ${counterpartShown(d.counterpart)}` : ''}`
        : handedOver
          ? `"${safeTitle(d.title)}": the emails now go to ${counterpartShown(d.counterpart)} (was ${counterpartShown(stored.interview.counterpart)}): plan recomputed, drafts will be rewritten to them`
          : `"${safeTitle(d.title)}" changed (${stored.interview.end !== d.end ? 'its end time, number or attendees' : 'number or attendees'}): plan recomputed`,
      at: now,
    });
    // In a sync the line is not waited for on its own: sent before the plan's commands on the same
    // connection, it is in the audit before the plan's line, and the page's flush reports its
    // failure (a round trip less per moved interview, fleet benchmark, issue 17).
    if (options.writes) options.writes.later(written);
    else await written;
  }
  const planned = await replan(engine, updated, stored.interview.revision, { quiet: !(changed || revived), ...(planRead ? { read: await planRead } : {}) });
  if (moved && planRead) await dropDraftsOfOldTime(engine, updated, stored.interview, planned, (await planRead).inputs.emails ?? []);
  if (d.taggedOutcome && d.taggedOutcome !== stored.interview.outcome) await recordOutcome(engine, id, d.taggedOutcome, 'tag');
  return changed || revived ? 'updated' : 'unchanged';
}

/**
 * What the user is told of a call withdrawn before (cancelled by its organizer, declined by them)
 * that the calendar shows on again: that it is on, not a change of some detail ("changed (number or
 * attendees)" followed "was cancelled: pending emails withdrawn", restored-call.int.test.ts).
 */
function onAgain(before: Interview, d: Detection, moved: boolean, handedOver: boolean): string {
  const title = `"${safeTitle(d.title)}"`;
  const back = before.status === 'declined' ? `you accepted ${title} again, after declining it` : `${title} is on again: it had been cancelled`;
  const what = [moved ? 'at a new time' : '', handedOver ? `the emails now go to ${counterpartShown(d.counterpart)}` : ''].filter((x) => x !== '').join(', ');
  return `${back}${what ? ` (${what})` : ''}; planned again`;
}

/**
 * The rest of an update whose record was written by {@link saveDeciding} as a duplicate, or that
 * was one: a duplicate has no emails (its plan is empty, its unsent drafts go), one that is no
 * longer a duplicate is planned on its own. Audited once, by the change of state.
 */
async function afterDecided(engine: Engine, before: Interview, after: Interview, same: SameCall | null, changed: boolean): Promise<ProcessResult> {
  // Freed because its owner left its calendar: what the owner sent counts as sent before it is planned.
  await announceChange(engine, before, after, same, await keepSentOfGone(engine, before, after));
  // Accepted again in this calendar, or reinstated by the organizer after this calendar showed the
  // cancellation: the listing with the emails plans the call again (declined-call.ts).
  if (same !== null && after.status === 'scheduled') {
    if (before.status === 'declined') await restoreCall(engine, after, same.owner.id);
    else if (before.status === 'cancelled' && before.cancelledIn !== undefined) await reinstateCall(engine, after, same.owner.id);
  }
  if (same === null) {
    // Freed because its owner left its calendar while the call is declined or cancelled in another one.
    if (before.duplicateOf !== undefined && (await withdrawIfCallWithdrawn(engine, after))) return 'withdrawn';
    await replan(engine, after, before.revision);
    return 'updated';
  }
  if (before.duplicateOf === undefined) {
    await replan(engine, after, before.revision, { quiet: true });
    await deleteUnsentDrafts(engine, after);
  }
  return changed ? 'updated' : 'unchanged';
}
