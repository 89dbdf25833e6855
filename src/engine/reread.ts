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
import { DETECTION_VERSION, analyse } from '../domain/detect.js';
import { eventHash, interviewIdFor } from '../domain/ids.js';
import type { CalendarEvent, Millis } from '../domain/types.js';
import { TransientError } from '../providers/errors.js';
import { setDetectionVersion } from '../store/accounts.js';
import { audit } from '../store/audit.js';
import { redisRunId, sameRedisSince, sendTogether } from '../store/connection.js';
import { getSeen, getSeenMany } from '../store/detections.js';
import { getEventHashesOf, getEventsSeen, type EventSeen } from '../store/events.js';
import type { Store } from '../store/store.js';
import type { Engine } from './context.js';
import { decideEvents, type SyncRun } from './decide-events.js';
import { floodsIn } from './floods.js';
import { recordsAndMarks } from './process-event.js';

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

/**
 * The kept event of this interview when it is still what the calendar last listed (its hash the
 * one the sync kept for the event, as in keptEventsAhead); null otherwise. One round trip.
 */
export async function keptEventAsListed(store: Store, sourceId: string, eventId: string, id: string): Promise<CalendarEvent | null> {
  const [seen, hashes] = await sendTogether(store.redis, () => Promise.all([getSeen(store, id), getEventHashesOf(store, sourceId, [eventId])]));
  if (seen === null || seen.sourceId !== sourceId || seen.event.id !== eventId) return null;
  return eventHash(seen.event) === hashes.get(eventId) ? seen.event : null;
}

/**
 * Reads the account's kept events that are still ahead again with this version's rules (see
 * keptEventsAhead): each one these rules would plan (or that has an interview record) is decided as a
 * changed event of a page is, so that one that now qualifies is recorded, planned and audited as
 * found; one still left out stays as it was kept, and one the user marked keeps the mark (read
 * with its record). The version is stored once those writes are in Redis: a sync cut short reads
 * them again next time, which changes nothing already done. With nothing to read again (a new
 * calendar), the version is left to the sync's last round trip (`stored` false). Returns the
 * account's entries (the events' hashes, read for this: a full listing needs them).
 */
export async function readKeptAgain(engine: Engine, run: SyncRun, readWith: number, runId: string): Promise<{ entries: ReadonlyMap<string, EventSeen>; stored: boolean }> {
  const { accountId, summary, writes } = run;
  const kept = await keptEventsAhead(engine.store, accountId, engine.now());
  for (const [id, why] of kept.unreadable) engine.log.warn({ account: accountId, interview: id }, `a kept event cannot be read again (${why}); it is read when the calendar next changes it`);
  if (kept.events.length === 0) return { entries: kept.entries, stored: false };
  const interviewId = (event: CalendarEvent) => interviewIdFor(accountId, event.id);
  const records = await recordsAndMarks(engine, kept.events.map(interviewId));
  const [recorded, marks] = records;
  const settings = { candidate: engine.config.candidate, detection: engine.config.detection };
  const qualifying = kept.events.filter((event) => {
    const id = interviewId(event);
    return recorded.has(id) || analyse(event, settings, marks.get(id)).result.kind !== 'skip';
  });
  const before = summary.interviewsNew + summary.interviewsUpdated;
  await decideEvents(engine, run, { events: qualifying, listed: qualifying, floods: floodsIn(engine, qualifying), interviewId, records });
  const interviews = summary.interviewsNew + summary.interviewsUpdated - before;
  // As at the end of a sync: Redis must still be the one these writes went to (see syncAccount).
  const [, runNow] = await sendTogether(engine.store.redis, () => Promise.all([writes.flush(), redisRunId(engine.store.redis)]));
  if (!sameRedisSince(runId, runNow)) throw new TransientError('Redis restarted during the sync; the next sync reads these changes again');
  summary.readAgain = { events: kept.events.length, interviews };
  const message =
    `detection improved (rules ${readWith} → ${DETECTION_VERSION}): read again after an upgrade: ${kept.events.length} event${kept.events.length === 1 ? '' : 's'} ` +
    `of ${accountId} still ahead, ${interviews} now phone interview${interviews === 1 ? '' : 's'}`;
  await sendTogether(engine.store.redis, () =>
    Promise.all([setDetectionVersion(engine.store, accountId, DETECTION_VERSION), audit(engine.store, { type: 'account', accountId, message, at: engine.now() })]),
  );
  return { entries: kept.entries, stored: true };
}
