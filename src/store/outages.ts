/**
 * Outages of an account and the actions parked while it lasts (DESIGN.md, Outages).
 *
 * Keys:
 * - `account:{id}` hash (shared with src/store/accounts.ts): `unusableSince` while an outage lasts,
 *   `attention`, `lastError`, `fix`, `sendsOnly` ('1': only sends wait); for a limit that lifts by
 *   itself `recheckAt` (no check of the account before), `limitSendsOnly`, `limitError` and
 *   `limitFix` (the limit's own scope and words), and `fault` ('1') and `faultFix` while a fault
 *   that is not the limit holds the account too; `lastOutageSince` / `lastOutageUntil` once it is over.
 * - `parked:{id}` hash action job id → JSON {@link ParkedAction}: the actions waiting for the account
 *   in an outage; `parked:unlisted:{id}` those waiting for a calendar whose listing left out their
 *   calls (src/engine/held-sends.ts, src/store/unlisted.ts `heldList`) or that could not be read
 *   lately (src/engine/unread-sends.ts).
 * - `releasing:{list}` hash, as `parked:{list}`: the actions taken off that parked list by a
 *   release under way (the outage's end, a sync that reads the calendar); each entry goes once
 *   its job was brought forward or recorded as missed. What a process stopped in the middle of
 *   a release leaves here is released again by the next one (the probe, the next sync).
 * - `drafts-left:{id}` set of interview ids: withdrawn interviews whose unsent drafts could not be
 *   deleted because the mailbox could not be used (src/engine/cancel.ts); cleaned when it works again.
 */
import type { ActionKind, Millis } from '../domain/types.js';
import type { Attention } from './accounts.js';
import { key, type Store } from './store.js';

export interface ParkedAction {
  readonly interviewId: string;
  readonly kind: ActionKind;
  readonly revision: number;
  readonly parkedAt: Millis;
  /**
   * For a send held because its calendar could not be read (src/engine/unread-sends.ts): that
   * calendar's last successful read when it was parked (its parked time when never read).
   */
  readonly unreadSince?: Millis;
}

export interface Outage {
  readonly since: Millis;
  /** Null while it lasts. */
  readonly until: Millis | null;
  /** A limit that lifts by itself: the account is not checked again before this time. */
  readonly recheckAt?: Millis;
  /** A sending limit: only sends wait, drafts are still written. */
  readonly sendsOnly?: boolean;
  /** A limit holds the account and a fault besides it (see {@link markUnusable}). */
  readonly faultBesideLimit?: boolean;
}

/**
 * Marks the account unusable. An outage may hold two facts at once: a limit that lifts by itself
 * (`recheckAt` given: a sending limit, Gmail's IMAP limit) and a fault that lasts until it is
 * fixed or the server is back (a folder missing, the server down, a sign-in refused). Each mark
 * adds its fact and never erases the other's: a fault during a sending limit holds the whole
 * account but keeps the limit's recheck time (erased, the next check, a login that passes, ended
 * the outage and the sends were refused again); a limit during a fault does not narrow the
 * outage to the sends (the drafts would run into the fault). While both hold, the fault's words
 * are shown first, the limit's after them; {@link easeToLimit} takes the fault off again.
 *
 * Returns the outage's start, whether this call began it, whether it added a fact to one under way
 * (so that the audit and the log get one line per fact, not one per action that ran into it), and
 * the fix now shown.
 */
const MARK = `
local k = KEYS[1]
local began = redis.call('HSETNX', k, 'unusableSince', ARGV[1])
local recheck = redis.call('HGET', k, 'recheckAt')
local hadLimit = began == 0 and recheck ~= false and recheck ~= ''
-- An outage from before limits were kept apart has no 'fault' field: without a limit, it is one.
local hadFault = began == 0 and (redis.call('HGET', k, 'fault') == '1' or not hadLimit)
local added = 0
if ARGV[5] ~= '' then
  redis.call('HSET', k, 'recheckAt', ARGV[5], 'limitSendsOnly', ARGV[6], 'limitError', ARGV[3], 'limitFix', ARGV[4])
  if hadFault then
    if not hadLimit then added = 1 end
    local faultFix = redis.call('HGET', k, 'faultFix') or redis.call('HGET', k, 'fix') or ''
    redis.call('HSET', k, 'sendsOnly', '', 'fix', faultFix .. '; and meanwhile ' .. ARGV[4])
  else
    redis.call('HSET', k, 'attention', ARGV[2], 'lastError', ARGV[3], 'fix', ARGV[4], 'sendsOnly', ARGV[6])
  end
else
  if hadLimit and not hadFault then added = 1 end
  local fix = ARGV[4]
  if hadLimit then fix = fix .. '; and meanwhile ' .. redis.call('HGET', k, 'limitFix') end
  redis.call('HSET', k, 'fault', '1', 'faultFix', ARGV[4], 'attention', ARGV[2], 'lastError', ARGV[3], 'fix', fix, 'sendsOnly', '')
end
redis.call('HSET', k, 'lastErrorAt', ARGV[1])
return {began, redis.call('HGET', k, 'unusableSince'), added, redis.call('HGET', k, 'fix')}`;

export async function markUnusable(
  store: Store,
  accountId: string,
  problem: { attention: Exclude<Attention, null>; message: string; fix: string; at: Millis; recheckAt?: Millis; sendsOnly?: boolean },
): Promise<{ began: boolean; since: Millis; added: boolean; fix: string }> {
  const [began, since, added, fix] = (await store.redis.eval(
    MARK,
    1,
    key(store, 'account', accountId),
    String(problem.at),
    problem.attention,
    problem.message.slice(0, 500),
    problem.fix.slice(0, 300),
    problem.recheckAt === undefined ? '' : String(problem.recheckAt),
    problem.sendsOnly ? '1' : '',
  )) as [number, string, number, string];
  return { began: began === 1, since: Number(since), added: added === 1, fix };
}

/**
 * Takes the fault off an outage that also holds a limit: the fault is over (the account's check
 * passed) but the limit has not lifted. The outage goes on as the limit alone, with its own scope,
 * words and recheck time. Returns whether it did (false: no such outage, another process did it).
 */
const EASE = `
if redis.call('HGET', KEYS[1], 'fault') ~= '1' then return 0 end
local limit = redis.call('HMGET', KEYS[1], 'recheckAt', 'limitSendsOnly', 'limitError', 'limitFix')
if not limit[1] or limit[1] == '' then return 0 end
redis.call('HDEL', KEYS[1], 'fault', 'faultFix')
redis.call('HSET', KEYS[1], 'sendsOnly', limit[2] or '', 'lastError', limit[3] or '', 'fix', limit[4] or '', 'attention', 'unusable')
return 1`;

export async function easeToLimit(store: Store, accountId: string): Promise<boolean> {
  return (await store.redis.eval(EASE, 1, key(store, 'account', accountId))) === 1;
}

/** The outage under way, or null when the account is usable. */
export async function currentOutage(store: Store, accountId: string): Promise<Outage | null> {
  const [since, recheckAt, sendsOnly, fault] = await store.redis.hmget(key(store, 'account', accountId), 'unusableSince', 'recheckAt', 'sendsOnly', 'fault');
  if (!since) return null;
  return {
    since: Number(since),
    until: null,
    ...(recheckAt ? { recheckAt: Number(recheckAt) } : {}),
    ...(sendsOnly === '1' ? { sendsOnly: true } : {}),
    ...(recheckAt && fault === '1' ? { faultBesideLimit: true } : {}),
  };
}

/** The outage under way, else the last one that ended, or null when there never was one. */
export async function latestOutage(store: Store, accountId: string): Promise<Outage | null> {
  const [since, lastSince, lastUntil] = await store.redis.hmget(key(store, 'account', accountId), 'unusableSince', 'lastOutageSince', 'lastOutageUntil');
  if (since) return { since: Number(since), until: null };
  if (lastSince && lastUntil) return { since: Number(lastSince), until: Number(lastUntil) };
  return null;
}

/** The last outage that ended, or null when none has (yet): kept while a new one lasts. */
export async function previousOutage(store: Store, accountId: string): Promise<Outage | null> {
  const [lastSince, lastUntil] = await store.redis.hmget(key(store, 'account', accountId), 'lastOutageSince', 'lastOutageUntil');
  return lastSince && lastUntil ? { since: Number(lastSince), until: Number(lastUntil) } : null;
}

/**
 * Lua: moves the entries of parked list KEYS[1] to its releasing list KEYS[2] (a newer entry of
 * the same job replaces the one there). HSET one entry at a time: a long list unpacked into one
 * call could pass Lua's limit on arguments.
 */
const MOVE = `
local taken = redis.call('HGETALL', KEYS[1])
for i = 1, #taken, 2 do redis.call('HSET', KEYS[2], taken[i], taken[i + 1]) end
redis.call('DEL', KEYS[1])`;

/**
 * Ends the outage: the account is usable again. Returns its window and the actions to run: those
 * parked during it, moved to the releasing list ({@link releasedParked} takes each off once its
 * job was brought forward), with any a release stopped half-way left there. Null when no outage
 * was under way (another process ended it).
 */
const END = `
local since = redis.call('HGET', KEYS[3], 'unusableSince')
if not since then return false end
redis.call('HDEL', KEYS[3], 'unusableSince', 'fix', 'recheckAt', 'sendsOnly', 'fault', 'faultFix', 'limitSendsOnly', 'limitError', 'limitFix')
redis.call('HSET', KEYS[3], 'attention', '', 'lastError', '', 'lastOutageSince', since, 'lastOutageUntil', ARGV[1])
${MOVE}
return {since, redis.call('HGETALL', KEYS[2])}`;

const TAKE = `${MOVE}
return redis.call('HGETALL', KEYS[2])`;

export async function endOutage(
  store: Store,
  accountId: string,
  at: Millis,
): Promise<{ outage: Outage; parked: Array<ParkedAction & { jobId: string }> } | null> {
  const result = (await store.redis.eval(END, 3, key(store, 'parked', accountId), key(store, 'releasing', accountId), key(store, 'account', accountId), String(at))) as
    | [string, string[]]
    | null;
  if (!result) return null;
  const [since, flat] = result;
  return { outage: { since: Number(since), until: at }, parked: entries(flat) };
}

/**
 * Notes an action as waiting for the account; the first park time of a job is kept. Returns
 * whether it was not noted yet (a parked job that looks again finds itself noted).
 */
export async function parkAction(store: Store, accountId: string, jobId: string, action: ParkedAction): Promise<boolean> {
  return (await store.redis.hsetnx(key(store, 'parked', accountId), jobId, JSON.stringify(action))) === 1;
}

/** The action as parked for the account, or null when it is not parked for it. */
export async function parkedEntry(store: Store, accountId: string, jobId: string): Promise<ParkedAction | null> {
  const raw = await store.redis.hget(key(store, 'parked', accountId), jobId);
  return raw ? (JSON.parse(raw) as ParkedAction) : null;
}

/** One parked action from its field in a parked hash (the job id) and its value. */
function parkedFrom(jobId: string, raw: string): ParkedAction & { jobId: string } {
  return { jobId, ...(JSON.parse(raw) as ParkedAction) };
}

/** The entries of a script's flat reply of a parked hash (job id, action, job id, action…). */
function entries(flat: readonly string[]): Array<ParkedAction & { jobId: string }> {
  const all: Array<ParkedAction & { jobId: string }> = [];
  for (let i = 0; i + 1 < flat.length; i += 2) all.push(parkedFrom(flat[i] as string, flat[i + 1] as string));
  return all;
}

/** The actions parked for the account (not those of a release under way). */
export async function parkedActions(store: Store, accountId: string): Promise<Array<ParkedAction & { jobId: string }>> {
  const all = await store.redis.hgetall(key(store, 'parked', accountId));
  return Object.entries(all).map(([jobId, raw]) => parkedFrom(jobId, raw));
}

/**
 * The two hashes of an account's (or a held list's) parked actions: those parked, and those a
 * release stopped half-way left. The sync's last step counts both (src/store/sync-commit.ts).
 */
export function parkedKeys(store: Store, accountId: string): readonly [string, string] {
  return [key(store, 'parked', accountId), key(store, 'releasing', accountId)];
}

/**
 * Moves the account's parked actions to its releasing list, at once, and returns all there (with
 * those a release stopped half-way left). The caller takes each off with {@link releasedParked}
 * once its job was brought forward or recorded as missed.
 */
export async function takeParked(store: Store, accountId: string): Promise<Array<ParkedAction & { jobId: string }>> {
  return entries((await store.redis.eval(TAKE, 2, key(store, 'parked', accountId), key(store, 'releasing', accountId))) as string[]);
}

/** The actions a release stopped half-way left on the account's releasing list (none, as a rule). */
export async function releasingParked(store: Store, accountId: string): Promise<Array<ParkedAction & { jobId: string }>> {
  const all = await store.redis.hgetall(key(store, 'releasing', accountId));
  return Object.entries(all).map(([jobId, raw]) => parkedFrom(jobId, raw));
}

/** Takes released actions off the account's releasing list: their jobs were brought forward or recorded. */
export async function releasedParked(store: Store, accountId: string, jobIds: readonly string[]): Promise<void> {
  if (jobIds.length > 0) await store.redis.hdel(key(store, 'releasing', accountId), ...jobIds);
}

/** Forgets a parked action that has run (or was found past its use). */
export async function unpark(store: Store, accountId: string, jobId: string): Promise<void> {
  await store.redis.hdel(key(store, 'parked', accountId), jobId);
}

/** Notes a withdrawn interview whose unsent drafts are still in the account's mailbox. */
export async function leaveDrafts(store: Store, accountId: string, interviewId: string): Promise<void> {
  await store.redis.sadd(key(store, 'drafts-left', accountId), interviewId);
}

/** The withdrawn interviews whose drafts wait for the account to work again. */
export async function draftsLeft(store: Store, accountId: string): Promise<string[]> {
  return await store.redis.smembers(key(store, 'drafts-left', accountId));
}

/** Forgets an interview whose drafts are cleaned (or that has none left). */
export async function draftsCleaned(store: Store, accountId: string, interviewId: string): Promise<void> {
  await store.redis.srem(key(store, 'drafts-left', accountId), interviewId);
}
