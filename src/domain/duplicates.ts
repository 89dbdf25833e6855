/**
 * One call, one set of emails: when two calendars of the user list the same call (a Google
 * calendar and an .ics subscription of it, an iCloud calendar that received the invitation too, a
 * CalDAV account listing "Work" and "Personal"), only the interview recorded first gets the
 * lifecycle; the other is a duplicate of it.
 *
 * Two listings are one call when they start at the same instant and
 * - share the iCalendar UID: RFC 5545 §3.8.4.7 makes it a "persistent, globally unique identifier",
 *   and the same invitation keeps it in every calendar that holds it (Etar-Group/Etar-Calendar#25,
 *   nemomobile/buteo-sync-plugin-caldav#59: one event in two synced calendars, one UID; Apple's
 *   EventKit `calendarItemExternalIdentifier` lists the cases: an .ics imported into several
 *   calendars, a shared calendar plus an invitation, a subscription added to several accounts).
 *   The id our ical sources give is the UID, with `/{original start}` for an occurrence of a
 *   series (providers/calendar/ical-recurrence.ts); the occurrence part is left out here, since
 *   the start is compared on its own. Google and Microsoft 365 name events by ids of their own,
 *   and give the invitation's UID beside them (Google's `iCalUID`, Graph's `iCalUId`), carried as
 *   the interview's `uid`: that is what is compared for them. Google's instances of a series all
 *   carry the series' `iCalUID` (https://developers.google.com/calendar/api/v3/reference/events),
 *   as an iCalendar occurrence carries its series' UID, so the start is what tells them apart;
 * - or, failing a shared UID, name the same counterpart address: a copied or re-imported event
 *   gets a new UID (cozy/jsDAV#21: a server that rewrote the UID made iOS keep a second copy;
 *   SufficientlySecure/calendar-import-export#23: an import option that makes UIDs new), and
 *   Outlook's .ics feeds do not keep their ids stable (derekantrican/GAS-ICS-Sync#283).
 *
 * Pure: the records are given, nothing is read.
 */
import type { Interview, SameCallBy } from './types.js';

/** The occurrence part our ical sources append to a series' UID: a date, or an instant in UTC. */
const OCCURRENCE = /\/\d{4}-\d{2}-\d{2}(?:T\d{2}:\d{2}:\d{2}(?:\.\d{3})?Z)?$/;

/** The UID of the call an event id names: the id without its occurrence part. */
export function callUidOf(eventId: string): string {
  return eventId.replace(OCCURRENCE, '');
}

/** The UID of the call a listing is for: the invitation's UID its provider gave, else the one its id is made of. */
export function callUid(listing: Pick<Interview, 'eventId' | 'uid'>): string {
  return listing.uid ?? callUidOf(listing.eventId);
}

/**
 * What two listings at one start are compared by: the call's UID, and its interviewer's address in
 * lower case ('' for none). The call index (src/store/call-index.ts) digests these very keys, so
 * that it lists together exactly the listings {@link sameCall} may find to be one call.
 */
export interface CallKeys {
  readonly uid: string;
  readonly counterpart: string;
}

export function callKeysOf(listing: Pick<Interview, 'eventId' | 'uid' | 'counterpart'>): CallKeys {
  const email = listing.counterpart.email;
  return { uid: callUid(listing), counterpart: email === null || email === '' ? '' : email.toLowerCase() };
}

/** Which key two calls share (the UID first), or null: their keys, or digests of them, compared. */
export function sharedCallKey(a: CallKeys, b: CallKeys): SameCallBy | null {
  if (a.uid === b.uid) return 'uid';
  return a.counterpart !== '' && a.counterpart === b.counterpart ? 'counterpart' : null;
}

/** What comparing two listings reads of each. */
type Listing = Pick<Interview, 'id' | 'sourceId' | 'start' | 'eventId' | 'uid' | 'counterpart'>;

/** Why `a` and `b` are one call, or null when they are not (different starts, or nothing shared). */
export function sameCall(a: Listing, b: Listing): SameCallBy | null {
  // Two calendars only: within one calendar the same UID is one entry already (the higher
  // SEQUENCE wins, ical-entries.ts), and two entries of one calendar at one time with one
  // interviewer are what that calendar holds (a test entry next to the real one, a second
  // invitation the organizer sent on purpose): taking one of them for the other would drop emails
  // the user can see planned in that calendar.
  if (a.id === b.id || a.start !== b.start || a.sourceId === b.sourceId) return null;
  return sharedCallKey(callKeysOf(a), callKeysOf(b));
}

/** An owner that `interview` duplicates, and why. */
export interface SameCall {
  readonly owner: Interview;
  readonly by: SameCallBy;
}

/**
 * The interview among `peers` (the records at the same start) that owns the call `interview` is
 * listed for, or null when none does: an interview that is no duplicate itself and whose event
 * is still listed by its calendar, the one recorded first (then the smaller id, so that every
 * process picks the same one). An owner the user declined or marked as no phone interview, or
 * whose organizer cancelled the call, still owns it: those decisions are about the call, not
 * about one calendar's listing, so its duplicates stay silent whichever calendar was read first.
 * Only a listing gone from its calendar (`vanished`) leaves the call to another calendar's.
 */
export function ownerOf(interview: Interview, peers: readonly Interview[]): SameCall | null {
  let found: SameCall | null = null;
  for (const peer of peers) {
    if (peer.vanished === true || peer.duplicateOf !== undefined) continue;
    const by = sameCall(interview, peer);
    if (by === null) continue;
    if (found === null || peer.firstSeen < found.owner.firstSeen || (peer.firstSeen === found.owner.firstSeen && peer.id < found.owner.id)) found = { owner: peer, by };
  }
  return found;
}

/**
 * Whether a duplicate still at its time follows `owner`, which its calendar has moved to another
 * time: one invitation listed at two times means one calendar has not caught up with a move yet,
 * and the user expects the duplicate to follow when its own calendar moves it, and never to write
 * to the interviewer on its own meanwhile (it would confirm the time the call has left). So it stays
 * the owner's duplicate while it is the same call but for the time: the same UID or interviewer,
 * from another calendar, the owner still listed and no duplicate itself. Moved by its own calendar
 * to a time of its own, it is handled on its own (it is then decided at that time, not here).
 */
export function followsMovedOwner(interview: Interview, owner: Interview): SameCall | null {
  if (owner.vanished === true || owner.duplicateOf !== undefined || owner.start === interview.start) return null;
  const by = sameCall({ ...interview, start: owner.start }, owner);
  return by === null ? null : { owner, by };
}

/** `interview` as a duplicate of `same`'s owner, or as one of its own when `same` is null. */
export function withOwner(interview: Interview, same: SameCall | null): Interview {
  const { duplicateOf: _of, duplicateBy: _by, ...own } = interview;
  return same === null ? own : { ...own, duplicateOf: same.owner.id, duplicateBy: same.by };
}

/** Why a duplicate is one, in the words of the audit and `ringback explain`. */
export function describeSameCall(by: SameCallBy): string {
  return by === 'uid' ? 'the same invitation (same UID) at the same time' : 'the same time with the same interviewer';
}
