/**
 * Interviews, the per-source memory of events seen, and the state of each planned action.
 *
 * Keys:
 * - `iv:{id}` the {@link Interview}, compact (records.ts)
 * - `ivs` sorted set of interview ids by start time
 * - `src:{sourceId}:events` hash eventId → content hash of the event last processed
 * - `iv:{id}:actions` hash action kind → {@link ActionRecord}, compact JSON (records.ts)
 */
import { REPLANNABLE_STATES, type ActionRecord, type ActionState } from '../domain/actions.js';
import type { ActionKind, Interview, Millis } from '../domain/types.js';
import { auditIn, type AuditEntry } from './audit.js';
import { decodeActionRecord, decodeInterview, encodeActionRecord, encodeInterview } from './records.js';
import { key, type Store } from './store.js';

export async function getInterview(store: Store, id: string): Promise<Interview | null> {
  const raw = await store.redis.getBuffer(key(store, 'iv', id));
  return raw ? decodeInterview(raw) : null;
}

export async function saveInterview(store: Store, interview: Interview): Promise<void> {
  await store.redis
    .multi()
    .set(key(store, 'iv', interview.id), encodeInterview(interview))
    .zadd(key(store, 'ivs'), interview.start, interview.id)
    .exec();
}

/** Which of these interviews have a record: one round trip per 500 ids. */
export async function recordedInterviews(store: Store, ids: readonly string[]): Promise<Set<string>> {
  const found = new Set<string>();
  for (let i = 0; i < ids.length; i += 500) {
    const chunk = ids.slice(i, i + 500);
    const present = await store.redis.mgetBuffer(chunk.map((id) => key(store, 'iv', id)));
    present.forEach((raw, j) => {
      if (raw !== null) found.add(chunk[j] as string);
    });
  }
  return found;
}

export async function listInterviewIds(store: Store, range: { from?: Millis; to?: Millis } = {}): Promise<string[]> {
  return await store.redis.zrangebyscore(
    key(store, 'ivs'),
    range.from ?? '-inf',
    range.to ?? '+inf',
  );
}

export async function getInterviews(store: Store, ids: readonly string[]): Promise<Interview[]> {
  if (ids.length === 0) return [];
  const out: Interview[] = [];
  for (let i = 0; i < ids.length; i += 500) {
    const chunk = ids.slice(i, i + 500);
    const raws = await store.redis.mgetBuffer(chunk.map((id) => key(store, 'iv', id)));
    for (const raw of raws) if (raw) out.push(decodeInterview(raw));
  }
  return out;
}

export async function listInterviews(store: Store, range: { from?: Millis; to?: Millis } = {}): Promise<Interview[]> {
  return await getInterviews(store, await listInterviewIds(store, range));
}

/** Finds an interview by its id or an unambiguous prefix of it (as users type them). */
export async function findInterview(store: Store, idOrPrefix: string): Promise<Interview | null> {
  const exact = await getInterview(store, idOrPrefix);
  if (exact) return exact;
  if (idOrPrefix.length < 4) return null;
  const matches = (await listInterviewIds(store)).filter((id) => id.startsWith(idOrPrefix));
  return matches.length === 1 && matches[0] ? await getInterview(store, matches[0]) : null;
}

// ---- events seen per source -------------------------------------------------------------------

export async function getEventHashes(store: Store, sourceId: string): Promise<Map<string, string>> {
  const all = await store.redis.hgetall(key(store, 'src', sourceId, 'events'));
  return new Map(Object.entries(all));
}

/** The hashes of these event ids only (those never seen are left out). */
export async function getEventHashesOf(store: Store, sourceId: string, eventIds: readonly string[]): Promise<Map<string, string>> {
  const found = new Map<string, string>();
  for (let i = 0; i < eventIds.length; i += 1000) {
    const chunk = eventIds.slice(i, i + 1000);
    const hashes = await store.redis.hmget(key(store, 'src', sourceId, 'events'), ...chunk);
    hashes.forEach((h, j) => {
      if (h !== null) found.set(chunk[j] as string, h);
    });
  }
  return found;
}

export async function setEventHashes(store: Store, sourceId: string, hashes: ReadonlyMap<string, string>): Promise<void> {
  if (hashes.size === 0) return;
  const entries = [...hashes.entries()];
  for (let i = 0; i < entries.length; i += 1000) {
    const flat = entries.slice(i, i + 1000).flat();
    await store.redis.hset(key(store, 'src', sourceId, 'events'), ...flat);
  }
}

/**
 * Makes the next sync of a source process every event it lists again, while still knowing which
 * ids it had: each known event (and each of `alsoIds`) keeps its id with an empty hash, which no
 * event matches, so that an id the listing leaves out is still withdrawn as deleted.
 */
export async function invalidateEventHashes(store: Store, sourceId: string, alsoIds: readonly string[] = []): Promise<void> {
  const k = key(store, 'src', sourceId, 'events');
  const ids = [...new Set([...(await store.redis.hkeys(k)).filter((id) => !id.startsWith('skip:')), ...alsoIds])];
  for (let i = 0; i < ids.length; i += 1000) {
    await store.redis.hset(k, ...ids.slice(i, i + 1000).flatMap((id) => [id, '']));
  }
}

export async function forgetEvents(store: Store, sourceId: string, eventIds: readonly string[]): Promise<void> {
  for (let i = 0; i < eventIds.length; i += 1000) {
    const chunk = eventIds.slice(i, i + 1000);
    if (chunk.length > 0) await store.redis.hdel(key(store, 'src', sourceId, 'events'), ...chunk);
  }
}

// ---- action states ----------------------------------------------------------------------------

export async function setActionRecords(store: Store, interviewId: string, records: readonly ActionRecord[]): Promise<void> {
  if (records.length === 0) return;
  const flat = records.flatMap((r) => [r.kind, encodeActionRecord(r)]);
  await store.redis.hset(key(store, 'iv', interviewId, 'actions'), ...flat);
}

/** A Lua table literal whose keys are the given states: `{['pending']=true, ['failed']=true}`. */
function luaSet(states: readonly ActionState[]): string {
  return `{${states.map((state) => `[${JSON.stringify(state)}]=true`).join(', ')}}`;
}

const PENDING: ActionState = 'pending';

/**
 * Replaces every record of an interview, in one step. A `pending` record never replaces one of
 * the same revision that is already settled: the caller read the records before a job finished
 * and wrote its state, and writing `pending` over it would hide that the action was done (the
 * reconciler would then never run it again, and `interviews` would show it pending for ever).
 * Which states it may replace is the domain's {@link REPLANNABLE_STATES}, written into the script.
 */
const REPLACE_RECORDS = `
local replannable = ${luaSet(REPLANNABLE_STATES)}
local function state(r) return r.s or r.state end
local function revision(r) return r.r or r.revision end
local current = {}
local stored = redis.call('HGETALL', KEYS[1])
for i = 1, #stored, 2 do current[stored[i]] = stored[i + 1] end
redis.call('DEL', KEYS[1])
for i = 1, #ARGV, 2 do
  local value = ARGV[i + 1]
  local old = current[ARGV[i]]
  if old then
    local new, was = cjson.decode(value), cjson.decode(old)
    if state(new) == '${PENDING}' and revision(was) == revision(new) and not replannable[state(was)] then value = old end
  end
  redis.call('HSET', KEYS[1], ARGV[i], value)
end
return 1`;

export async function replaceActionRecords(store: Store, interviewId: string, records: readonly ActionRecord[]): Promise<void> {
  await store.redis.eval(REPLACE_RECORDS, 1, key(store, 'iv', interviewId, 'actions'), ...records.flatMap((r) => [r.kind, encodeActionRecord(r)]));
}

export async function getActionRecords(store: Store, interviewId: string): Promise<ActionRecord[]> {
  const all = await store.redis.hgetall(key(store, 'iv', interviewId, 'actions'));
  return Object.entries(all)
    .map(([kind, raw]) => decodeActionRecord(kind, raw))
    .sort((a, b) => a.dueAt - b.dueAt);
}

/**
 * Writes the record (ARGV[3]) of kind ARGV[1] unless the one stored is of a revision newer than
 * ARGV[2]; reads both forms of a stored record (records.ts).
 */
const SETTLE = `
local raw = redis.call('HGET', KEYS[1], ARGV[1])
if raw then
  local was = cjson.decode(raw)
  if (was.r or was.revision) > tonumber(ARGV[2]) then return 0 end
end
redis.call('HSET', KEYS[1], ARGV[1], ARGV[3])
return 1`;

/**
 * The state an action ended in, with the audit entries that go with it, in one round trip (was
 * three: read the record, write it, add the entry). `read` is the record as the job read it when it
 * started: its due time is kept (a revision's due time never changes); the check that a newer
 * revision's record is never overwritten by a late job of an older one is made in Redis.
 */
export async function settleActionState(
  store: Store,
  read: ActionRecord | undefined,
  settled: { readonly interviewId: string; readonly kind: ActionKind; readonly revision: number; readonly state: ActionState; readonly note?: string },
  entries: readonly AuditEntry[],
): Promise<void> {
  const { interviewId, kind, revision, state, note } = settled;
  const record: ActionRecord = { kind, dueAt: read?.dueAt ?? Date.now(), state, revision, ...(note ? { note } : {}) };
  const batch = store.redis.multi().eval(SETTLE, 1, key(store, 'iv', interviewId, 'actions'), kind, String(revision), encodeActionRecord(record));
  if (entries.length > 0) auditIn(batch, store, ...entries);
  const replies = (await batch.exec()) ?? [];
  const failed = replies.find(([error]) => error !== null);
  if (failed?.[0]) throw failed[0];
}

export async function updateActionState(
  store: Store,
  interviewId: string,
  kind: ActionKind,
  revision: number,
  state: ActionState,
  note?: string,
): Promise<void> {
  const k = key(store, 'iv', interviewId, 'actions');
  const raw = await store.redis.hget(k, kind);
  const previous = raw ? decodeActionRecord(kind, raw) : null;
  // A record of a newer revision is never overwritten by a late job of an older one.
  if (previous && previous.revision > revision) return;
  const record: ActionRecord = { kind, dueAt: previous?.dueAt ?? Date.now(), state, revision, ...(note ? { note } : {}) };
  await store.redis.hset(k, kind, encodeActionRecord(record));
}

export async function deleteInterviewData(store: Store, interviewId: string): Promise<void> {
  await store.redis
    .multi()
    .del(
      key(store, 'iv', interviewId),
      key(store, 'iv', interviewId, 'actions'),
      key(store, 'iv', interviewId, 'drafts'),
      key(store, 'iv', interviewId, 'drafts', 'writing'),
      key(store, 'iv', interviewId, 'undelivered'),
    )
    .zrem(key(store, 'ivs'), interviewId)
    .exec();
}
