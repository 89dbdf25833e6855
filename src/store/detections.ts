/**
 * What the user said about an event (`ringback mark`, the dashboard's button) and the events
 * detection looked at closely, so that `ringback explain` and `ringback mark` can find them by id or
 * title, and an uncertain phone interview's event as the calendar listed it, so that `ringback
 * mark` can decide it again without asking the calendar.
 *
 * Keys:
 * - `marks` hash interview id → JSON {@link StoredMark}; kept until the user changes it
 * - `seen:{id}` {@link SeenEvent} as `seen-record.ts` writes it, expiring 30 days after the event ends
 * - `seen` sorted set of those ids by start time
 */
import type { Millis, UserMark } from '../domain/types.js';
import { decodeSeen, encodeSeen, type SeenEvent } from './seen-record.js';
import { key, type Store } from './store.js';

export { KEPT_INTERVIEW, type SeenEvent } from './seen-record.js';

export interface StoredMark extends UserMark {
  readonly sourceId: string;
  readonly eventId: string;
}

/** The description kept with a seen event: enough for detection's reading, bounded in Redis. */
const KEPT_DESCRIPTION = 8_000;
const KEEP_AFTER_END: Millis = 30 * 86_400_000;
/** The strongest pieces of evidence kept with a seen event. */
const KEPT_EVIDENCE = 20;

export async function getMark(store: Store, id: string): Promise<StoredMark | null> {
  const raw = await store.redis.hget(key(store, 'marks'), id);
  return raw === null ? null : (JSON.parse(raw) as StoredMark);
}

/** The marks of these ids, in one round trip (a sync reads them for a page of events). */
export async function getMarks(store: Store, ids: readonly string[]): Promise<Map<string, StoredMark>> {
  const found = new Map<string, StoredMark>();
  if (ids.length === 0) return found;
  const raws = await store.redis.hmget(key(store, 'marks'), ...ids);
  raws.forEach((raw, i) => {
    if (raw !== null) found.set(ids[i]!, JSON.parse(raw) as StoredMark);
  });
  return found;
}

export async function saveMark(store: Store, id: string, mark: StoredMark): Promise<void> {
  await store.redis.hset(key(store, 'marks'), id, JSON.stringify(mark));
}

/** Every mark, by interview id (`ringback export`). */
export async function listMarks(store: Store): Promise<Record<string, StoredMark>> {
  const all = await store.redis.hgetall(key(store, 'marks'));
  return Object.fromEntries(Object.entries(all).map(([id, raw]) => [id, JSON.parse(raw) as StoredMark]));
}

/** Writes an exported mark unless the event already has one here (`ringback import`): the user's answer on this machine stays. */
export async function importMark(store: Store, id: string, mark: StoredMark): Promise<void> {
  await store.redis.hsetnx(key(store, 'marks'), id, JSON.stringify(mark));
}

export async function saveSeen(store: Store, seen: SeenEvent, now: Millis): Promise<void> {
  await saveSeenMany(store, [{ seen, now }]);
}

/**
 * KEYS: the `seen` index, then `seen:{id}` of each event; ARGV: for each event its JSON, its time to
 * live in ms, its start (the index's score) and its id. Each event's `SET … PX`, then one `ZADD` of
 * every event into the index: what a `MULTI` of one `SET` and one `ZADD` per event did, as
 * atomically, with the same keys, values, expiry and scores (a repeated id keeps its last score,
 * as the last of its `ZADD`s did). One `ZADD` instead of one per event: each `redis.call` from a
 * script costs Redis about as much as the command's own work (fleet benchmark, 2026-12-06).
 */
const SAVE_SEEN = `
local index = {}
for i = 2, #KEYS do
  local a = (i - 2) * 4
  redis.call('set', KEYS[i], ARGV[a + 1], 'PX', ARGV[a + 2])
  index[#index + 1] = ARGV[a + 3]
  index[#index + 1] = ARGV[a + 4]
  if #index >= 1000 then
    redis.call('zadd', KEYS[1], unpack(index))
    index = {}
  end
end
if #index > 0 then redis.call('zadd', KEYS[1], unpack(index)) end
return 1`;

/**
 * Several at once, in one step: a first sync keeps most of a calendar's meetings, and one
 * transaction each was a round trip (and a client-side pipeline) per event (fleet benchmark). One
 * script rather than a `MULTI` of two commands per event: the client built a command object, a
 * promise and a pipeline copying every script defined on the connection (BullMQ's) for what is
 * one write (9% of a first sync's time, fleet benchmark, 2026-12-05).
 */
export async function saveSeenMany(store: Store, items: readonly { seen: SeenEvent; now: Millis }[]): Promise<void> {
  if (items.length === 0) return;
  const keys: string[] = [key(store, 'seen')];
  const args: string[] = [];
  for (const { seen, now } of items) {
    const ttl = Math.max(60_000, seen.event.end + KEEP_AFTER_END - now);
    keys.push(key(store, 'seen', seen.id));
    args.push(seenJson(seen), String(Math.round(ttl)), String(seen.event.start), seen.id);
  }
  await store.redis.eval(SAVE_SEEN, keys.length, ...keys, ...args);
}

/** The text kept: the description and the evidence bounded (copied only when over their bounds). */
function seenJson(seen: SeenEvent): string {
  const long = seen.event.description.length > KEPT_DESCRIPTION;
  if (!long && seen.evidence.length <= KEPT_EVIDENCE) return encodeSeen(seen);
  const event = long ? { ...seen.event, description: seen.event.description.slice(0, KEPT_DESCRIPTION) } : seen.event;
  return encodeSeen({ ...seen, event, evidence: seen.evidence.slice(0, KEPT_EVIDENCE) });
}

export async function getSeen(store: Store, id: string): Promise<SeenEvent | null> {
  const raw = await store.redis.get(key(store, 'seen', id));
  return raw === null ? null : decodeSeen(raw);
}

/**
 * The kept events of these ids, in one round trip per 1,000 (ids not kept are left out), and the ids
 * whose value cannot be read (written by a newer version, or damaged), with why.
 */
export async function getSeenMany(store: Store, ids: readonly string[]): Promise<{ kept: Map<string, SeenEvent>; unreadable: Map<string, string> }> {
  const kept = new Map<string, SeenEvent>();
  const unreadable = new Map<string, string>();
  for (let i = 0; i < ids.length; i += 1000) {
    const chunk = ids.slice(i, i + 1000);
    const raws = await store.redis.mget(chunk.map((id) => key(store, 'seen', id)));
    raws.forEach((raw, j) => {
      const id = chunk[j]!;
      if (raw === null) return;
      try {
        kept.set(id, decodeSeen(raw));
      } catch (error) {
        unreadable.set(id, error instanceof Error ? error.message : String(error));
      }
    });
  }
  return { kept, unreadable };
}

export async function forgetSeen(store: Store, id: string): Promise<void> {
  await store.redis.multi().del(key(store, 'seen', id)).zrem(key(store, 'seen'), id).exec();
}

/** Every seen event still kept, oldest first (expired ones are dropped from the index on the way). */
export async function listSeen(store: Store): Promise<SeenEvent[]> {
  const ids = await store.redis.zrange(key(store, 'seen'), 0, -1);
  if (ids.length === 0) return [];
  const raws = await store.redis.mget(ids.map((id) => key(store, 'seen', id)));
  const gone = ids.filter((_, i) => raws[i] === null);
  if (gone.length > 0) await store.redis.zrem(key(store, 'seen'), ...gone);
  return raws.filter((raw): raw is string => raw !== null).map(decodeSeen);
}
