/**
 * After an upgrade whose detection reads events differently (`DETECTION_VERSION`, src/domain/detect.ts), the events
 * a calendar already listed are not reported again: a source names only what changed, and the
 * sync skips an event whose content hash is the one it kept. The events detection weighed without
 * making them phone interviews are kept whole (`seen:{id}`, src/store/detections.ts), so they can
 * be read again without asking the calendar anything. This finds those of one calendar that are
 * worth reading again: still ahead, and still what the calendar says.
 *
 * A kept event is the calendar's current one only when its hash is the one the sync kept for its
 * id: an event deleted since has no hash, and one that changed since into something not kept (a
 * cancelled or all-day event, one with no word of an interview) has another, while its old kept
 * record lives on until it expires. Those are left out, so nothing the calendar no longer says is
 * ever planned. So is an event whose description was longer than what is kept (8,000 characters):
 * its hash cannot be checked; it is read again when it next changes.
 */
import { eventHash, interviewIdFor } from '../domain/ids.js';
import type { CalendarEvent, Millis } from '../domain/types.js';
import { getSeenMany } from '../store/detections.js';
import { getEventsSeen, type EventSeen } from '../store/events.js';
import type { Store } from '../store/store.js';

export interface KeptEvents {
  /** Every entry the sync keeps for the calendar (what a full listing reads first). */
  readonly entries: ReadonlyMap<string, EventSeen>;
  /** The kept events to read again, soonest first. */
  readonly events: readonly CalendarEvent[];
  /** Kept events that could not be read, by interview id, with why. */
  readonly unreadable: ReadonlyMap<string, string>;
}

/**
 * The calendar's kept events that start after `now` and that the calendar still lists as they were
 * kept. Two round trips (the calendar's entries, then the kept events of those ahead).
 */
export async function keptEventsAhead(store: Store, sourceId: string, now: Millis): Promise<KeptEvents> {
  const entries = await getEventsSeen(store, sourceId);
  // An entry without a busy time is an all-day or cancelled event (never an interview), a skipped
  // calendar item or a flood: none is read again.
  const ahead = new Map<string, { eventId: string; hash: string }>();
  for (const [eventId, seen] of entries) {
    if (seen.busy && seen.busy.start > now) ahead.set(interviewIdFor(sourceId, eventId), { eventId, hash: seen.hash });
  }
  const { kept, unreadable } = await getSeenMany(store, [...ahead.keys()]);
  const events: CalendarEvent[] = [];
  for (const [id, seen] of kept) {
    const entry = ahead.get(id);
    if (!entry || seen.sourceId !== sourceId || seen.event.id !== entry.eventId) continue;
    if (seen.event.start <= now || eventHash(seen.event) !== entry.hash) continue;
    events.push(seen.event);
  }
  events.sort((a, b) => a.start - b.start);
  return { entries, events, unreadable };
}
