/**
 * A decline is the user's decision about the call, not about one calendar's copy of it, and an
 * organizer's cancellation is the organizer's ({@link cancelCall}) (README,
 * "One call in two calendars"): declined in any calendar that lists the call's invitation (the
 * same UID), the call is declined. The listing with the emails (the owner, src/engine/duplicates.ts) is withdrawn when
 * the user declines another listing of it, stays withdrawn while that listing is declined (an
 * edit in the owner's own calendar, which has not caught up, does not bring it back), and gets its
 * emails back when the user accepts there again.
 *
 * A listing declined by its own calendar is told by its record: status `declined` and the role
 * detection read from its event `declined`. An owner withdrawn for another listing's decline keeps
 * the role its own calendar gives (accepted, organizer…).
 *
 * A cancellation is told by `cancelledIn`, the listing whose calendar showed it. The organizer who
 * reinstates the call sends the same invitation again with a higher SEQUENCE, which obsoletes the
 * cancellation (RFC 5546 §2.1.5; Google lists the same event id again, `status` no longer
 * "cancelled"): a listing whose calendar shows the call again after showing it cancelled plans it
 * again, through the listing with the emails ({@link reinstateCall}). Until then, a change of the
 * call in a calendar that has not caught up with the cancellation (a move the organizer made
 * before cancelling, shown late) does not bring it back ({@link cancelledElsewhere}).
 */
import { callUid, ownerOf, sameCall } from '../domain/duplicates.js';
import type { Interview } from '../domain/types.js';
import { audit } from '../store/audit.js';
import { callDigestsOf } from '../store/call-index.js';
import { readPeers } from '../store/calls.js';
import { updateInterview } from '../store/interview-writes.js';
import { getInterview } from '../store/interviews.js';
import { cancelInterview } from './cancel.js';
import type { Engine } from './context.js';
import { replan } from './replan.js';
import { safeTitle } from './wording.js';

/** Declined by its own calendar (not withdrawn for another listing's decline). */
function declinedHere(listing: Interview): boolean {
  return listing.status === 'declined' && listing.role === 'declined';
}

/** Withdrawn only because another calendar's listing of its call is declined there; its own calendar still lists it as accepted. */
export function withdrawnForCall(listing: Interview): boolean {
  return listing.status === 'declined' && listing.role !== 'declined';
}

/** Withdrawn because another calendar's listing of its call showed the organizer's cancellation; its own calendar has not. */
function cancelledForCall(listing: Interview): boolean {
  return listing.status === 'cancelled' && listing.cancelledIn !== undefined && listing.cancelledIn !== listing.id;
}

/** Withdrawn for what another calendar's listing of its call showed: a decline or a cancellation. */
export function withdrawnForAnother(listing: Interview): boolean {
  return withdrawnForCall(listing) || cancelledForCall(listing);
}

/**
 * Whether `listing`, withdrawn for a cancellation another calendar showed, stays withdrawn: that
 * calendar's listing still shows the call cancelled and is still there, in a calendar still in the
 * config. A change of `listing`'s own event meanwhile is one its calendar shows late, and confirms
 * nothing. A calendar taken out of the config shows nothing again, not the reinstatement either:
 * `listing`'s own calendar speaks for the call from then on, while it is still to come.
 */
export async function cancelledElsewhere(engine: Engine, listing: Interview): Promise<boolean> {
  if (!cancelledForCall(listing)) return false;
  const there = await getInterview(engine.store, listing.cancelledIn as string);
  // No record: that calendar has listed the call only cancelled ({@link cancelFirstRead}).
  if (there === null) return true;
  if (there.status !== 'cancelled' || there.vanished === true) return false;
  return listing.start <= engine.now() || engine.config.calendars.some((calendar) => calendar.id === there.sourceId);
}

/**
 * `listing`, withdrawn for the cancellation shown by a calendar since taken out of the config: that
 * calendar will show nothing again, the reinstatement neither, and `listing`'s own calendar, which
 * still lists the call as on (unchanged, so no sync reads it again), speaks for it: planned again
 * as a reinstated call is, while it is still to come ({@link cancelledElsewhere}). Whether it was.
 * Run by the reconciler.
 */
export async function releaseFromRemovedCalendar(engine: Engine, listing: Interview): Promise<boolean> {
  // A call whose time has passed is not planned again: its no-show and thank-you notes would be about a cancelled call.
  if (!cancelledForCall(listing) || listing.vanished === true || listing.duplicateOf !== undefined || listing.start <= engine.now()) return false;
  const there = await getInterview(engine.store, listing.cancelledIn as string);
  if (there === null || engine.config.calendars.some((calendar) => calendar.id === there.sourceId)) return false;
  const what = `calendar "${there.sourceId}", which showed "${safeTitle(listing.title)}" cancelled, is no longer in the config; calendar "${listing.sourceId}" still lists it`;
  return await planAgain(engine, listing.id, (current) => cancelledForCall(current) && current.cancelledIn === there.id, what);
}

/**
 * A listing withdrawn for another listing's decline or cancellation that now leaves its own
 * calendar: recorded as gone, so that accepting or reinstating the call in the other calendar gives
 * the emails to the listing still there instead of planning one whose calendar no longer has it
 * (which would then write for a time the call may leave). Whether it was one withdrawn for a
 * decline, whose duplicates still listed then take the call over (declined with it); those of a
 * cancelled call stay as they are.
 */
export async function leaveWithdrawnCall(engine: Engine, id: string): Promise<boolean> {
  const written = await updateInterview(engine.store, id, (current) =>
    withdrawnForAnother(current) && current.vanished !== true ? { ...current, vanished: true } : null,
  );
  return written !== null && written.after !== written.before && withdrawnForCall(written.after);
}

/**
 * The user declined `declined` in its calendar: the owner of its call, when another listing owns
 * it and is still scheduled, is withdrawn as declined too, and the audit names the calendar.
 */
export async function declineCall(engine: Engine, declined: Interview): Promise<void> {
  await withdrawOwner(engine, declined, 'declined', `you declined "${safeTitle(declined.title)}"`);
}

/**
 * The organizer cancelled `cancelled`, and its calendar was the first to show it: the owner of its
 * call, in a calendar that has not caught up yet, is withdrawn as cancelled too (it would confirm a
 * call that no longer takes place). A cancellation of the owner itself needs nothing more: its
 * duplicates stay silent (domain/duplicates.ts).
 */
export async function cancelCall(engine: Engine, cancelled: Interview): Promise<void> {
  await withdrawOwner(engine, cancelled, 'cancelled', `the organizer cancelled "${safeTitle(cancelled.title)}"`);
}

/** Withdraws the scheduled owner of `listing`'s call, of the same invitation, with the status the call now has. */
async function withdrawOwner(engine: Engine, listing: Interview, status: 'declined' | 'cancelled', what: string): Promise<void> {
  const owner = await scheduledOwnerOf(engine, listing);
  if (owner === null) return;
  await cancelInterview(
    engine,
    owner,
    status,
    `${what} in calendar "${listing.sourceId}" (${listing.id}), the same call as this one: ${status} for the call`,
    status === 'cancelled' ? { cancelledIn: listing.id } : {},
  );
}

/**
 * `listing`'s own calendar now shows the organizer's cancellation, while it was withdrawn for what
 * another calendar showed: recorded as cancelled there. A listing withdrawn for a decline is
 * cancelled, so that accepting the call again in the other calendar does not plan a call that no
 * longer takes place ({@link restoreCall} plans only a listing withdrawn for a decline); one
 * withdrawn for the cancellation another calendar showed is no longer held by that calendar
 * ({@link cancelledElsewhere}): its own calendar speaks for it from then on.
 */
export async function cancelledHere(engine: Engine, listing: Interview, what: string): Promise<void> {
  const written = await updateInterview(engine.store, listing.id, (current) =>
    withdrawnForAnother(current) ? { ...current, status: 'cancelled', cancelledIn: current.id } : null,
  );
  if (!written || written.after === written.before || written.before.status !== 'declined') return;
  await audit(engine.store, { type: 'cancelled', interviewId: listing.id, message: `${what}: cancelled for the call, no longer only declined`, at: engine.now() });
}

/**
 * The organizer's cancellation read by a calendar that never listed the call as on (connected after
 * it): detection stops at the cancellation, so nothing is recorded for `shown`, but the listing
 * with the emails of the same invitation at that start, in a calendar not caught up yet, is
 * withdrawn as cancelled there (`cancelledIn` names `shown`'s id, which has no record). When that
 * calendar lists the call again, reinstated, its new listing plans it again
 * ({@link reinstatedFor}).
 */
export async function cancelFirstRead(engine: Engine, shown: Pick<Interview, 'id' | 'sourceId' | 'eventId' | 'uid' | 'start' | 'title'>): Promise<void> {
  const listing = { ...shown, counterpart: { name: '', email: null } };
  const peers = await readPeers(engine.store, shown.start, shown.id, callDigestsOf(listing));
  const owner = peers.interviews.find((peer) => peer.status === 'scheduled' && peer.duplicateOf === undefined && peer.vanished !== true && sameCall(listing, peer) === 'uid');
  if (owner === undefined) return;
  const what = `the organizer cancelled "${safeTitle(shown.title)}" in calendar "${shown.sourceId}" (${shown.id}), which lists it only cancelled`;
  await cancelInterview(engine, owner, 'cancelled', `${what}, the same call as this one: cancelled for the call`, { cancelledIn: shown.id });
}

/** Whether `listing`, just recorded as a duplicate of `owner`, is the call reinstated in the calendar that first read it cancelled. */
export function reinstatedFor(owner: Interview | undefined, listing: Interview): boolean {
  return owner !== undefined && owner.status === 'cancelled' && owner.cancelledIn === listing.id;
}

async function scheduledOwnerOf(engine: Engine, listing: Interview): Promise<Interview | null> {
  const owner =
    listing.duplicateOf !== undefined
      ? await getInterview(engine.store, listing.duplicateOf)
      : // Declined from its first read, it was recorded as no one's duplicate: the owner is found at its start.
        (ownerOf(listing, (await readPeers(engine.store, listing.start, listing.id, callDigestsOf(listing))).interviews)?.owner ?? null);
  return owner?.status === 'scheduled' && sameInvitation(owner, listing) ? owner : null;
}

/**
 * Whether two listings of one call are the same invitation (the same UID), the only ones a decline
 * goes across: two invitations matched by their time and interviewer alone are two answers the user
 * gives, and declining one (a first invitation, superseded by a second one sent to another address)
 * leaves the other, still accepted in its calendar, with its emails.
 */
function sameInvitation(a: Interview, b: Interview): boolean {
  return callUid(a) === callUid(b);
}

/** Whether another calendar's listing of `interview`'s call, at its start, is declined there. */
export async function declinedElsewhere(engine: Engine, interview: Interview): Promise<boolean> {
  return (await withdrawnElsewhere(engine, interview)).declined;
}

/**
 * Another calendar's listings of `interview`'s invitation at its start: whether one is declined
 * there, and the one that shows the organizer's cancellation and is still listed, if any.
 */
async function withdrawnElsewhere(engine: Engine, interview: Interview): Promise<{ declined: boolean; cancelledIn: Interview | undefined }> {
  const peers = await readPeers(engine.store, interview.start, interview.id, callDigestsOf(interview));
  const same = peers.interviews.filter((peer) => sameCall(interview, peer) === 'uid');
  return { declined: same.some(declinedHere), cancelledIn: same.find((peer) => peer.status === 'cancelled' && peer.cancelledIn === peer.id && peer.vanished !== true) };
}

/**
 * A listing that has just taken the call over (a handover, or freed by its own change after its
 * owner left its calendar) while another calendar's listing of the call is declined there, or shows
 * the organizer's cancellation: the call is declined or cancelled, so it is withdrawn as the owner
 * it replaces was, to be planned again when the user accepts there again ({@link restoreCall}) or
 * the organizer reinstates it ({@link reinstateCall}). Whether it was.
 */
export async function withdrawIfCallWithdrawn(engine: Engine, listing: Interview): Promise<boolean> {
  if (listing.status !== 'scheduled') return false;
  const elsewhere = await withdrawnElsewhere(engine, listing);
  const title = safeTitle(listing.title);
  if (elsewhere.declined) {
    await cancelInterview(engine, listing, 'declined', `"${title}" takes over a call you declined in another calendar: declined for the call`);
  } else if (elsewhere.cancelledIn !== undefined) {
    const shown = elsewhere.cancelledIn;
    await cancelInterview(engine, listing, 'cancelled', `"${title}" takes over a call its organizer cancelled, as calendar "${shown.sourceId}" (${shown.id}) shows: cancelled for the call`, { cancelledIn: shown.id });
  } else return false;
  return true;
}

/**
 * The user accepted again the listing `accepted`, a duplicate of `ownerId`: an owner withdrawn only
 * because a listing of its call was declined, and no listing of it declined any more, is planned
 * again (a new revision: its withdrawn drafts are not brought back, new ones are written).
 */
export async function restoreCall(engine: Engine, accepted: Interview, ownerId: string): Promise<void> {
  const owner = await getInterview(engine.store, ownerId);
  if (owner === null || !withdrawnForCall(owner) || owner.vanished === true) return;
  if (await declinedElsewhere(engine, owner)) return;
  await planAgain(engine, ownerId, withdrawnForCall, `you accepted "${safeTitle(accepted.title)}" again in calendar "${accepted.sourceId}" (${accepted.id})`);
}

/**
 * The organizer reinstated the call: `reinstated`, a duplicate of `ownerId`, is listed again by its
 * calendar after it showed the call cancelled. The owner, withdrawn for that cancellation (shown in
 * whichever calendar), is planned again as {@link restoreCall} plans it: a confirmation the
 * interviewer already has for this time is not sent twice (confirmation.ts).
 */
export async function reinstateCall(engine: Engine, reinstated: Interview, ownerId: string): Promise<void> {
  const cancelled = (owner: Interview): boolean => owner.status === 'cancelled' && owner.cancelledIn !== undefined;
  await planAgain(engine, ownerId, cancelled, `the organizer reinstated "${safeTitle(reinstated.title)}", shown in calendar "${reinstated.sourceId}" (${reinstated.id})`);
}

/** Plans the owner `ownerId` again, when it is still withdrawn as `withdrawn` says and still in its calendar, at a new revision. Whether it did. */
async function planAgain(engine: Engine, ownerId: string, withdrawn: (owner: Interview) => boolean, what: string): Promise<boolean> {
  const written = await updateInterview(engine.store, ownerId, (current) => {
    if (!withdrawn(current) || current.vanished === true) return null;
    const { cancelledIn: _shown, ...kept } = current;
    return { ...kept, status: 'scheduled', revision: current.revision + 1 };
  });
  if (!written || written.after === written.before) return false;
  await audit(engine.store, { type: 'updated', interviewId: ownerId, message: `${what}, the same call as this one: planned again`, at: engine.now() });
  await replan(engine, written.after, written.before.revision);
  return true;
}
