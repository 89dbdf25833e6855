/**
 * Interviews and the state of each planned action (the events seen per source: events.ts).
 *
 * Keys:
 * - `iv:{id}` the {@link Interview}, compact (records.ts)
 * - `ivs` sorted set of the interviews by start time, each member its id (`{id}|{digests}` for a
 *   member an earlier version wrote, call-index.ts)
 * - `ivc:{n}` and `ivc:complete` the call index: which interviews at one start may list the same
 *   call (call-index.ts)
 * - `iv:{id}:actions` hash action kind's code → {@link ActionRecord}, compact (records.ts)
 */
import type { ChainableCommander } from 'ioredis';
import { REPLANNABLE_STATES, type ActionRecord, type ActionState, type PlainWords } from '../domain/actions.js';
import type { ActionKind, Interview, Millis } from '../domain/types.js';
import { AUDIT_LUA, auditKey, auditScriptArgs, type AuditEntry } from './audit.js';
import {
  ACTION_KIND_FIELD,
  ACTION_STATE_CODE,
  decodeActionRecord,
  decodeInterview,
  encodeActionRecord,
  encodeInterview,
  kindOfActionField,
} from './records.js';
import { callIndexChange, earlierMemberOf, idOfMember, indexMemberOf } from './call-index.js';
import { RELEASE_LUA, releaseScriptParts, type LeaseRelease } from './lease.js';
import { key, type Store } from './store.js';
import { runScript, runScriptForBytes } from './scripts.js';

export async function getInterview(store: Store, id: string): Promise<Interview | null> {
  const raw = await store.redis.getBuffer(key(store, 'iv', id));
  return raw ? decodeInterview(raw) : null;
}

/**
 * Writes the record as given, over whatever is stored: for a store nobody else writes (tests and
 * benchmarks preparing one). The engine creates records with `createInterviews` and changes them with
 * `updateInterview` (interview-writes.ts), which never overwrite what another writer put there.
 */
export async function saveInterview(store: Store, interview: Interview): Promise<void> {
  await saveInterviews(store, [interview]);
}

/** Several records in one transaction, each written as {@link saveInterview} writes one (its member of the index replaced). */
export async function saveInterviews(store: Store, interviews: readonly Interview[]): Promise<void> {
  if (interviews.length === 0) return;
  const earlier = await store.redis.mgetBuffer(interviews.map((interview) => key(store, 'iv', interview.id)));
  const tx = store.redis.multi();
  interviews.forEach((interview, i) => {
    const raw = earlier[i];
    const before = raw ? decodeInterview(raw) : null;
    const member = indexMemberOf(interview);
    const gone = [interview.id, ...(before ? [earlierMemberOf(before)] : [])].filter((m) => m !== member);
    tx.set(key(store, 'iv', interview.id), encodeInterview(interview));
    if (gone.length > 0) tx.zrem(key(store, 'ivs'), ...gone);
    tx.zadd(key(store, 'ivs'), interview.start, member);
    const change = callIndexChange(store, before, interview);
    for (const entry of change.remove) tx.zrem(entry.key, entry.member);
    for (const entry of change.add) tx.zadd(entry.key, 0, entry.member);
  });
  await tx.exec();
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
  const members = await store.redis.zrangebyscore(key(store, 'ivs'), range.from ?? '-inf', range.to ?? '+inf');
  return members.map(idOfMember);
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

// ---- action states ----------------------------------------------------------------------------

/** The field of a kind's record and the field earlier versions used for it (records.ts). */
function fieldsOf(kind: ActionKind): { field: string; earlier: string } {
  return { field: ACTION_KIND_FIELD[kind], earlier: kind };
}

export async function setActionRecords(store: Store, interviewId: string, records: readonly ActionRecord[]): Promise<void> {
  if (records.length === 0) return;
  const k = key(store, 'iv', interviewId, 'actions');
  await store.redis
    .multi()
    .hdel(k, ...records.map((r) => fieldsOf(r.kind).earlier))
    .hset(k, ...actionRecordFields(records))
    .exec();
}

/** A Lua table literal: `{['a']='b', ['c']=true}`. */
function luaTable(entries: readonly (readonly [string, string | true])[]): string {
  return `{${entries.map(([k, v]) => `[${JSON.stringify(k)}]=${v === true ? 'true' : JSON.stringify(v)}`).join(', ')}}`;
}

/**
 * Lua shared by the scripts below: `field(f)` is the code of a field of either version (records.ts),
 * `parse(v)` the state code and revision of a record of any version.
 */
const LUA_RECORDS = `
local kindField = ${luaTable(Object.entries(ACTION_KIND_FIELD))}
local stateCode = ${luaTable(Object.entries(ACTION_STATE_CODE))}
local function field(f) return kindField[f] or f end
local function parse(v)
  if string.sub(v, 1, 1) == '{' then
    local r = cjson.decode(v)
    return stateCode[r.s or r.state], tonumber(r.r or r.revision)
  end
  local s, rev = string.match(v, '^(%S+) (%d+)')
  return s, tonumber(rev)
end`;

/**
 * Replaces every record of an interview, in one step. A `pending` record never replaces one of
 * the same revision that is already settled: the caller read the records before a job finished
 * and wrote its state, and writing `pending` over it would hide that the action was done (the
 * reconciler would then never run it again, and `interviews` would show it pending for ever).
 * Which states it may replace is the domain's {@link REPLANNABLE_STATES}, written into the script.
 * Nothing is written when a stored record is of a newer revision than every record given: two
 * replans of one interview at once (the outcome's and the sync's of a moved event) each write the
 * records of the revision they read, and the older one, landing last, took out the newer plan's.
 * Records of earlier versions (under the kind's name) are compared the same way, and rewritten
 * under the kind's code.
 */
const REPLACE_RECORDS = `${LUA_RECORDS}
local replannable = ${luaTable(REPLANNABLE_STATES.map((state) => [ACTION_STATE_CODE[state], true] as const))}
local newest = nil
for i = 2, #ARGV, 2 do
  local _, revision = parse(ARGV[i])
  if newest == nil or revision > newest then newest = revision end
end
local current = {}
local stored = redis.call('HGETALL', KEYS[1])
for i = 1, #stored, 2 do
  local f = field(stored[i])
  -- a plan of an older revision, written late, leaves the newer revision's records alone
  local _, revision = parse(stored[i + 1])
  if newest ~= nil and revision ~= nil and revision > newest then return 0 end
  -- a record under its code is newer than one under the kind's name
  if f == stored[i] or current[f] == nil then current[f] = stored[i + 1] end
end
redis.call('DEL', KEYS[1])
for i = 1, #ARGV, 2 do
  local value = ARGV[i + 1]
  local old = current[ARGV[i]]
  if old then
    local newState, newRevision = parse(value)
    local wasState, wasRevision = parse(old)
    if newState == '${ACTION_STATE_CODE.pending}' and wasRevision == newRevision and not replannable[wasState] then value = old end
  end
  redis.call('HSET', KEYS[1], ARGV[i], value)
end
return 1`;

/** The arguments of an `EVAL` that replaces the interview's action records (see REPLACE_RECORDS). */
function replaceRecordsArgs(store: Store, interviewId: string, records: readonly ActionRecord[]): (string | number)[] {
  return [REPLACE_RECORDS, 1, key(store, 'iv', interviewId, 'actions'), ...actionRecordFields(records)];
}

export async function replaceActionRecords(store: Store, interviewId: string, records: readonly ActionRecord[]): Promise<void> {
  await store.redis.call('eval', ...replaceRecordsArgs(store, interviewId, records));
}

/** {@link replaceActionRecords} queued on the caller's batch (a replan's writes, src/engine/replan.ts). */
export function replaceActionRecordsIn(batch: ChainableCommander, store: Store, interviewId: string, records: readonly ActionRecord[]): void {
  batch.call('eval', ...replaceRecordsArgs(store, interviewId, records));
}

/** The action records of an interview from its hash's fields and values (of every version), soonest first. */
export function actionRecordsFrom(entries: Iterable<readonly [string, string]>): ActionRecord[] {
  const byKind = new Map<ActionKind, ActionRecord>();
  for (const [field, raw] of entries) {
    const kind = kindOfActionField(field);
    if (!kind) continue;
    // A record under the kind's code is newer than one left under its name by an earlier version.
    if (byKind.has(kind) && field === kind) continue;
    byKind.set(kind, decodeActionRecord(kind, raw));
  }
  return [...byKind.values()].sort((a, b) => a.dueAt - b.dueAt);
}

/** The fields and values of `records` as an interview's hash keeps them. */
export function actionRecordFields(records: readonly ActionRecord[]): string[] {
  // A loop, not flatMap: half the CPU for a new interview's five records, on every first plan
  // (schedule benchmark, issue 17, bench/README.md).
  const fields: string[] = [];
  for (const r of records) fields.push(ACTION_KIND_FIELD[r.kind], encodeActionRecord(r));
  return fields;
}

export async function getActionRecords(store: Store, interviewId: string): Promise<ActionRecord[]> {
  return actionRecordsFrom(Object.entries(await store.redis.hgetall(key(store, 'iv', interviewId, 'actions'))));
}

/**
 * Writes the record (ARGV[3]) under the kind's code ARGV[1] unless the one stored (under the code,
 * else under the kind's name ARGV[4], as earlier versions wrote it) is of a revision newer than
 * ARGV[2]; the record under the kind's name goes. `once`: nor when the one stored is of this
 * revision in the state ARGV[5] already (a miss said once: {@link markActionMissed}).
 */
const settleBody = (once: boolean): string => `
local raw = redis.call('HGET', KEYS[1], ARGV[1]) or redis.call('HGET', KEYS[1], ARGV[4])
if raw then
  local state, revision = parse(raw)
  if revision > tonumber(ARGV[2]) then return 0 end${once ? "\n  if revision == tonumber(ARGV[2]) and state == ARGV[5] then return 0 end" : ''}
end
redis.call('HDEL', KEYS[1], ARGV[4])
redis.call('HSET', KEYS[1], ARGV[1], ARGV[3])
return 1`;
const SETTLE_BODY = settleBody(false);

const SETTLE = `${LUA_RECORDS}${SETTLE_BODY}`;
const SETTLE_ONCE = `${LUA_RECORDS}${settleBody(true)}`;

/**
 * SETTLE, then the audit entries (KEYS[2], ARGV[5] on: audit.ts's `addAudit`), in one script.
 * The entries are added whatever the state's write did, as the transaction of both did before:
 * a late job of an older revision still says in the audit what it did. A failed write of the
 * state is raised after the entries are in.
 */
const SETTLE_WITH_AUDIT = `${LUA_RECORDS}${AUDIT_LUA}
local function settle()${SETTLE_BODY.replace(/\n/g, '\n  ')}
end
local ok, result = pcall(settle)
addAudit(KEYS[2], 5)
if not ok then return redis.error_reply(type(result) == 'table' and result.err or tostring(result)) end
return result`;

/**
 * SETTLE_WITH_AUDIT, with a lease the action still holds released first, with its note (lease.ts's
 * `releaseWith`: the lease KEYS[3], the note's hash KEYS[4], KEYS[5] the hash it removes fields
 * from; its arguments from ARGV[5], the audit's after them). Returns the interview's record
 * (KEYS[6]) as stored once the note is written, nil when it has none: the look at the call that
 * follows a draft's record (engine/written-meanwhile.ts), in this step instead of one of its own.
 */
const SETTLE_AND_RELEASE = `${LUA_RECORDS}${AUDIT_LUA}${RELEASE_LUA}
local function settle()${SETTLE_BODY.replace(/\n/g, '\n  ')}
end
local auditAt = releaseWith(KEYS[3], KEYS[4], KEYS[5], 5)
local ok, result = pcall(settle)
addAudit(KEYS[2], auditAt)
if not ok then return redis.error_reply(type(result) == 'table' and result.err or tostring(result)) end
return redis.call('GET', KEYS[6])`;

/**
 * The state an action ended in, with the audit entries that go with it, in one round trip (was
 * three: read the record, write it, add the entry). `read` is the record as the job read it when it
 * started: its due time is kept (a revision's due time never changes); the check that a newer
 * revision's record is never overwritten by a late job of an older one is made in Redis.
 * `release`: a lease the action still holds (a confirmation draft's lock, with the draft's record
 * as its note), released in the same step instead of one of its own (fire benchmark); the step
 * then returns the interview's record as stored right after the note was written (null when it
 * has none), the look at the call that a draft's writer takes once its record is stored
 * (engine/written-meanwhile.ts): one round trip less per confirmation draft (fire benchmark,
 * bench/README.md).
 *
 * One script rather than a `MULTI` of the script and the entries' `XADD`: a transaction is built as
 * an ioredis pipeline, which copies the Lua commands BullMQ defined on the shared connection, and it
 * sends two commands more (fire benchmark, bench/README.md).
 */
export async function settleActionState(store: Store, read: ActionRecord | undefined, settled: SettledAction, entries: readonly AuditEntry[]): Promise<void>;
export async function settleActionState(store: Store, read: ActionRecord | undefined, settled: SettledAction, entries: readonly AuditEntry[], release: LeaseRelease): Promise<Buffer | null>;
export async function settleActionState(store: Store, read: ActionRecord | undefined, settled: SettledAction, entries: readonly AuditEntry[], release?: LeaseRelease): Promise<Buffer | null | void>;
export async function settleActionState(
  store: Store,
  read: ActionRecord | undefined,
  settled: SettledAction,
  entries: readonly AuditEntry[],
  release?: LeaseRelease,
): Promise<Buffer | null | void> {
  const { interviewId, kind, revision, state, note } = settled;
  const record: ActionRecord = { kind, dueAt: read?.dueAt ?? Date.now(), state, revision, ...(note ? { note } : {}) };
  const { field, earlier } = fieldsOf(kind);
  const args = [field, String(revision), encodeActionRecord(record), earlier];
  const actions = key(store, 'iv', interviewId, 'actions');
  if (release) {
    const lease = releaseScriptParts(store, release);
    const keys = [actions, auditKey(store), ...lease.keys, key(store, 'iv', interviewId)];
    return (await runScriptForBytes(store.redis, SETTLE_AND_RELEASE, keys.length, ...keys, ...args, ...lease.args, ...auditScriptArgs(entries))) as Buffer | null;
  }
  if (entries.length === 0) await runScript(store.redis, SETTLE, 1, actions, ...args);
  else await runScript(store.redis, SETTLE_WITH_AUDIT, 2, actions, auditKey(store), ...args, ...auditScriptArgs(entries));
}

/** What {@link settleActionState} writes: the action's state, for the revision it ran for. */
export interface SettledAction {
  readonly interviewId: string;
  readonly kind: ActionKind;
  readonly revision: number;
  readonly state: ActionState;
  readonly note?: string;
}

/**
 * Writes the action's state for `revision` (never over a record of a newer one); `note` is what
 * the audit and `ringback interviews` say, `words` the same in plain words for the user, apart.
 */
export async function updateActionState(
  store: Store,
  interviewId: string,
  kind: ActionKind,
  revision: number,
  state: ActionState,
  note?: string,
  words: PlainWords = {},
): Promise<void> {
  await settleAction(store, { interviewId, kind, revision, state, note, words, once: false });
}

/**
 * Records the action missed, with its note (and apart, `words`: why in plain words); false when it
 * was recorded missed already. The reconciler and the action's own job may both find it overdue at
 * once (the computer waking long after its time), and each said so in the audit: "audited once as
 * missed" (DESIGN.md, Outages).
 */
export async function markActionMissed(store: Store, interviewId: string, kind: ActionKind, revision: number, note: string, words: PlainWords = {}): Promise<boolean> {
  return settleAction(store, { interviewId, kind, revision, state: 'missed', note, words, once: true });
}

/**
 * {@link updateActionState} and {@link markActionMissed}: the record's due time kept from the one
 * stored. A record of a newer revision is never overwritten by a late job of an older one: checked
 * here, and again in Redis, since a replan of a newer revision may write between this read and the
 * write. True when it was written.
 */
async function settleAction(
  store: Store,
  change: { interviewId: string; kind: ActionKind; revision: number; state: ActionState; note: string | undefined; words: PlainWords; once: boolean },
): Promise<boolean> {
  const { interviewId, kind, revision, state, note, words } = change;
  const k = key(store, 'iv', interviewId, 'actions');
  const { field, earlier } = fieldsOf(kind);
  const [current, old] = await store.redis.hmget(k, field, earlier);
  const raw = current ?? old;
  const previous = raw ? decodeActionRecord(kind, raw) : null;
  if (previous && previous.revision > revision) return false;
  const record: ActionRecord = {
    kind,
    dueAt: previous?.dueAt ?? Date.now(),
    state,
    revision,
    ...(note ? { note } : {}),
    ...(words.plain ? { plain: words.plain } : {}),
    ...(words.fix ? { fix: words.fix } : {}),
  };
  const args = [k, field, String(revision), encodeActionRecord(record), earlier];
  if (!change.once) return (await runScript(store.redis, SETTLE, 1, ...args)) === 1;
  return (await runScript(store.redis, SETTLE_ONCE, 1, ...args, ACTION_STATE_CODE[state])) === 1;
}

export async function deleteInterviewData(store: Store, interviewId: string): Promise<void> {
  const record = await getInterview(store, interviewId);
  const tx = store.redis.multi();
  for (const entry of record ? callIndexChange(store, record, null).remove : []) tx.zrem(entry.key, entry.member);
  await tx
    .del(
      key(store, 'iv', interviewId),
      key(store, 'iv', interviewId, 'actions'),
      key(store, 'iv', interviewId, 'drafts'),
      key(store, 'iv', interviewId, 'drafts', 'writing'),
      key(store, 'iv', interviewId, 'undelivered'),
      key(store, 'iv', interviewId, 'notice'),
    )
    .zrem(key(store, 'ivs'), interviewId, ...(record ? [earlierMemberOf(record)] : []))
    .exec();
}
