/**
 * Entries that repeat too often to be calls (src/domain/flood.ts), as a sync meets them: found per
 * page, held as one entry to review, reported once.
 */
import { detect } from '../domain/detect.js';
import { describeFlood, findFloods, type Flood } from '../domain/flood.js';
import { interviewIdFor, sha256 } from '../domain/ids.js';
import type { CalendarEvent } from '../domain/types.js';
import { audit } from '../store/audit.js';
import { noteHeld } from '../store/held.js';
import { getInterview } from '../store/interviews.js';
import { cancelInterview } from './cancel.js';
import type { Engine } from './context.js';
import { safeTitle } from './wording.js';

/** A short stable hash, for the keys a sync keeps beside the events. */
export function hashKey(text: string): string {
  return sha256(text, 'base64url').slice(0, 16);
}

/** Remembered beside the events like a skipped entry, so that each flood is reported once. */
export function floodKeyOf(flood: Flood): string {
  return `skip:${hashKey(`flood:${flood.key}`)}`;
}

/**
 * The occurrences, by event id, of entries that repeat too often to be calls (see flood.ts). Only
 * entries that would be phone interviews count: a meeting every hour is no concern of ringback's.
 */
export function floodsIn(engine: Engine, events: readonly CalendarEvent[]): Map<string, Flood> {
  const occurrences = events.flatMap((e) =>
    e.seriesId !== undefined && !e.allDay && e.status !== 'cancelled' ? [{ eventId: e.id, key: e.seriesId, start: e.start }] : [],
  );
  const byId = new Map(events.map((e) => [e.id, e]));
  const out = new Map<string, Flood>();
  for (const flood of findFloods(occurrences)) {
    const first = byId.get(flood.eventIds[0] ?? '');
    if (!first || detect(first, { candidate: engine.config.candidate, detection: engine.config.detection }).kind !== 'interview') continue;
    for (const id of flood.eventIds) out.set(id, flood);
  }
  return out;
}

/** One occurrence of a flooding entry: no interview (one made before it flooded is withdrawn). */
export async function holdFlooded(engine: Engine, sourceId: string, event: CalendarEvent, mayExist: boolean): Promise<'withdrawn' | { reason: string }> {
  const existing = mayExist ? await getInterview(engine.store, interviewIdFor(sourceId, event.id)) : null;
  if (existing && existing.status === 'scheduled') {
    await cancelInterview(engine, existing, 'cancelled', `"${safeTitle(event.title)}" repeats too often to be a call: held for your review`);
    return 'withdrawn';
  }
  return { reason: 'repeats too often to be a call: held for your review' };
}

/** One audit entry and one `doctor` item for the whole entry, however many occurrences it has. */
export async function reportFlood(engine: Engine, accountId: string, flood: Flood, first: CalendarEvent | undefined): Promise<void> {
  const title = safeTitle(first?.title ?? '');
  const message =
    `"${title}" repeats too often to be a call (${describeFlood(flood)}): ringback treats it as one entry to review and ` +
    'writes or sends nothing for it. If these are real calls, give each its own calendar entry.';
  const at = engine.now();
  await audit(engine.store, { type: 'skipped', accountId, message, at });
  await noteHeld(engine.store, { subject: `entry:${hashKey(flood.key)}`, message: `${accountId}: ${message}`, at });
}
