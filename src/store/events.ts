/**
 * What ringback remembers of each event of a calendar source: the content hash of the event as
 * last processed (a sync skips an event whose hash is unchanged) and its busy time (for sources
 * whose calendar has no free/busy query of its own: ics files, feeds; the synced events stand in
 * for it, src/engine/slots.ts).
 *
 * Key: `src:{sourceId}:events` hash eventId → `{hash}[ {start},{end}]` (ms). Skipped entries and
 * floods are kept beside the events (`skip:…`, `flood:…` → `1`).
 *
 * Earlier versions kept the busy time in a second hash, `src:{sourceId}:busy` (eventId →
 * `{start},{end}`), and only the hash here: two fields per event, about 108 bytes each at 10,000
 * events, most of it Redis' per-field overhead (issue 17, footprint benchmark). One field per
 * event took 234 → 132 bytes per event. {@link mergeLegacyBusy} moves the busy times of an earlier
 * version into the events' values when the engine is built, before anything syncs or reads them.
 */
import type { Millis } from '../domain/types.js';
import { key, type Store } from './store.js';

/** An event as the sync leaves it: its content hash, and its busy time when it takes any. */
export interface EventSeen {
  readonly hash: string;
  readonly busy?: { readonly start: Millis; readonly end: Millis };
}

type Interval = { start: Millis; end: Millis };

export const eventsKey = (store: Store, sourceId: string): string => key(store, 'src', sourceId, 'events');
const legacyBusyKey = (store: Store, sourceId: string) => key(store, 'src', sourceId, 'busy');

/** The content hash of a stored value (of this version or an earlier one: the hash alone). */
function hashOf(value: string): string {
  const space = value.indexOf(' ');
  return space < 0 ? value : value.slice(0, space);
}

/** `start,end` in ms, as this version writes it after the hash and earlier ones in the busy hash. */
function parseInterval(text: string): Interval | null {
  const [s, e] = text.split(',').map(Number);
  if (s === undefined || e === undefined || !Number.isFinite(s) || !Number.isFinite(e)) return null;
  return { start: s, end: e };
}

function busyOf(value: string): Interval | null {
  const space = value.indexOf(' ');
  return space < 0 ? null : parseInterval(value.slice(space + 1));
}

function encode(seen: EventSeen): string {
  return seen.busy ? `${seen.hash} ${seen.busy.start},${seen.busy.end}` : seen.hash;
}

/** The fields and values `setEventsSeen` writes for these events, flat (id, value, id, value…). */
export function eventsSeenFields(events: ReadonlyMap<string, EventSeen>): string[] {
  const flat: string[] = [];
  for (const [id, seen] of events) flat.push(id, encode(seen));
  return flat;
}

/** Every event's content hash, by event id. */
export async function getEventHashes(store: Store, sourceId: string): Promise<Map<string, string>> {
  const all = await store.redis.hgetall(eventsKey(store, sourceId));
  return new Map(Object.entries(all).map(([id, value]) => [id, hashOf(value)]));
}

/** Every entry as the sync left it: its content hash and its busy time (none for an all-day or cancelled event). */
export async function getEventsSeen(store: Store, sourceId: string): Promise<Map<string, EventSeen>> {
  const all = await store.redis.hgetall(eventsKey(store, sourceId));
  const out = new Map<string, EventSeen>();
  for (const [id, value] of Object.entries(all)) {
    const busy = busyOf(value);
    out.set(id, busy ? { hash: hashOf(value), busy } : { hash: hashOf(value) });
  }
  return out;
}

/** The hashes of these event ids only (those never seen are left out). */
export async function getEventHashesOf(store: Store, sourceId: string, eventIds: readonly string[]): Promise<Map<string, string>> {
  const found = new Map<string, string>();
  for (let i = 0; i < eventIds.length; i += 1000) {
    const chunk = eventIds.slice(i, i + 1000);
    const values = await store.redis.hmget(eventsKey(store, sourceId), ...chunk);
    values.forEach((value, j) => {
      if (value !== null) found.set(chunk[j] as string, hashOf(value));
    });
  }
  return found;
}

/** Writes each event's hash and busy time (an event given without one takes no time). */
export async function setEventsSeen(store: Store, sourceId: string, events: ReadonlyMap<string, EventSeen>): Promise<void> {
  if (events.size === 0) return;
  const entries = [...events.entries()];
  for (let i = 0; i < entries.length; i += 1000) {
    const flat = entries.slice(i, i + 1000).flatMap(([id, seen]) => [id, encode(seen)]);
    await store.redis.hset(eventsKey(store, sourceId), ...flat);
  }
}

/**
 * Makes the next sync of a source process every event it lists again, while still knowing which
 * ids it had: each known event (and each of `alsoIds`) keeps its id, and its busy time, with an
 * empty hash, which no event matches, so that an id the listing leaves out is still withdrawn as
 * deleted.
 */
export async function invalidateEventHashes(store: Store, sourceId: string, alsoIds: readonly string[] = []): Promise<void> {
  const k = eventsKey(store, sourceId);
  const values = new Map(Object.entries(await store.redis.hgetall(k)).filter(([id]) => !id.startsWith('skip:')));
  for (const id of alsoIds) if (!values.has(id)) values.set(id, '');
  const entries = [...values.entries()];
  for (let i = 0; i < entries.length; i += 1000) {
    await store.redis.hset(k, ...entries.slice(i, i + 1000).flatMap(([id, value]) => [id, value.slice(hashOf(value).length)]));
  }
}

/**
 * Makes the next sync of a source process this one event again, as {@link invalidateEventHashes}
 * does for all: its hash emptied, its busy time kept. KEYS: the source's events hash; ARGV: the
 * event id. In one step, so that a sync storing the event's new hash meanwhile is not written over
 * with an older busy time.
 */
const INVALIDATE_ONE = `
local v = redis.call('hget', KEYS[1], ARGV[1])
if not v then v = '' end
local space = string.find(v, ' ', 1, true)
redis.call('hset', KEYS[1], ARGV[1], space and string.sub(v, space) or '')
return 1`;

export async function invalidateEventHash(store: Store, sourceId: string, eventId: string): Promise<void> {
  await store.redis.eval(INVALIDATE_ONE, 1, eventsKey(store, sourceId), eventId);
}

/** Forgets these events (deleted from the calendar), hash and busy time. */
export async function forgetEvents(store: Store, sourceId: string, eventIds: readonly string[]): Promise<void> {
  for (let i = 0; i < eventIds.length; i += 1000) {
    const chunk = eventIds.slice(i, i + 1000);
    if (chunk.length > 0) await store.redis.hdel(eventsKey(store, sourceId), ...chunk);
  }
}

/** The busy times of a source's events that overlap `range`, soonest first. */
export async function getBusy(store: Store, sourceId: string, range: { from: Millis; to: Millis }): Promise<Interval[]> {
  const out: Interval[] = [];
  for (const value of await store.redis.hvals(eventsKey(store, sourceId))) {
    const interval = busyOf(value);
    if (interval && interval.end > range.from && interval.start < range.to) out.push(interval);
  }
  return out.sort((a, b) => a.start - b.start);
}

/**
 * When the candidate's next busy time begins after `after` and before `until`, from the synced
 * events of each calendar in `sourceIds` (no request), or null. A busy time already begun by
 * `after` (the missed call's own event) is not the next.
 */
export async function nextBusyStart(store: Store, sourceIds: Iterable<string>, after: Millis, until: Millis): Promise<Millis | null> {
  let next: Millis | null = null;
  for (const id of sourceIds) {
    for (const b of await getBusy(store, id, { from: after, to: until })) {
      if (b.start > after && b.start < until && (next === null || b.start < next)) next = b.start;
    }
  }
  return next;
}

/**
 * KEYS[1] the events hash, KEYS[2] the busy hash of an earlier version. Each busy time whose event
 * is known and has none in its value is appended to it; busy times of events no longer known are
 * dropped with the busy hash. Returns how many were moved.
 */
const MERGE_LEGACY_BUSY = `
if redis.call('EXISTS', KEYS[2]) == 0 then return 0 end
local busy = redis.call('HGETALL', KEYS[2])
local moved = 0
for i = 1, #busy, 2 do
  local value = redis.call('HGET', KEYS[1], busy[i])
  if value and not string.find(value, ' ', 1, true) then
    redis.call('HSET', KEYS[1], busy[i], value .. ' ' .. busy[i + 1])
    moved = moved + 1
  end
end
redis.call('DEL', KEYS[2])
return moved`;

/**
 * Moves the busy times an earlier version kept in `src:{sourceId}:busy` into the events' values,
 * in one step, and removes that hash; nothing to do (one command) once done. Run for every
 * calendar when the engine is built (src/daemon/runtime.ts). Returns how many were moved.
 */
export async function mergeLegacyBusy(store: Store, sourceId: string): Promise<number> {
  return Number(await store.redis.eval(MERGE_LEGACY_BUSY, 2, eventsKey(store, sourceId), legacyBusyKey(store, sourceId)));
}
