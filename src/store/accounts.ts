/**
 * Per-account state: sync cursor, last and next sync, the last error, and whether the account
 * needs the user's attention (a refused password or sign-in). `accounts`, `doctor` and the
 * dashboard show it.
 *
 * Keys: `account:{id}` hash; `cursor:{id}` string. The account hash also keeps `detection`: the
 * version of the detection rules its kept events were last read with (src/engine/sync.ts).
 */
import { randomUUID } from 'node:crypto';
import type { Millis } from '../domain/types.js';
import { LUA_RUN_ID } from './connection.js';
import { key, type Store } from './store.js';
import { acquireLease, leaseHolder, releaseLease, type LeaseKey, type ReleaseNote } from './lease.js';

/**
 * Why an account needs the user: `needs-reauth` (sign-in refused), `unusable` (a folder missing, no
 * permission, over quota: see src/store/outages.ts), `unreachable` (the server does not answer),
 * `error` (anything else the last attempt ran into).
 */
export type Attention = 'needs-reauth' | 'unusable' | 'unreachable' | 'error' | null;

export interface AccountStatus {
  readonly id: string;
  readonly lastSyncAt: Millis | null;
  readonly nextSyncAt: Millis | null;
  readonly lastError: string | null;
  readonly attention: Attention;
  /** What the user can do about it, in one line (set with the attention of an outage). */
  readonly fix: string | null;
  /** Since when actions of this account wait for it (an outage under way), or null. */
  readonly unusableSince: Millis | null;
  readonly events: number | null;
}

export async function getCursor(store: Store, accountId: string): Promise<string | null> {
  return await store.redis.get(key(store, 'cursor', accountId));
}

export async function setCursor(store: Store, accountId: string, cursor: string | null): Promise<void> {
  if (cursor === null) await store.redis.del(key(store, 'cursor', accountId));
  else await store.redis.set(key(store, 'cursor', accountId), cursor);
}

const FULL_LISTING = '{"fullListing":';

/**
 * Makes the next sync of the account list its calendar in full. A cursor of its own, not none: a
 * sync under way stores its cursor only over the one it began from (src/store/sync-commit.ts), so
 * it leaves this in place, and a new value each time, so that a full listing under way, which may
 * have read the events before this was asked, does not take it for the one it began from.
 */
export async function requestFullListing(store: Store, accountId: string): Promise<void> {
  await store.redis.set(key(store, 'cursor', accountId), `${FULL_LISTING}${JSON.stringify(randomUUID())}}`);
}

/** The stored cursor as the calendar source takes it: none when a full listing was asked for. */
export function sourceCursor(stored: string | null): string | null {
  return stored !== null && stored.startsWith(FULL_LISTING) ? null : stored;
}

/**
 * The version of the detection rules the account's kept events were last read with; null when
 * none was stored (a version that kept none, or a calendar never synced).
 */
export async function getDetectionVersion(store: Store, accountId: string): Promise<number | null> {
  return detectionVersionOf(await store.redis.hget(key(store, 'account', accountId), 'detection'));
}

function detectionVersionOf(value: string | null): number | null {
  const version = value === null ? NaN : Number(value);
  return Number.isInteger(version) ? version : null;
}

export async function setDetectionVersion(store: Store, accountId: string, version: number): Promise<void> {
  await store.redis.hset(key(store, 'account', accountId), 'detection', String(version));
}

export interface SyncSuccess {
  readonly at: Millis;
  readonly nextAt: Millis | null;
  readonly events: number;
}

/** The account fields a successful sync writes. */
function successFields(fields: SyncSuccess): Record<string, string> {
  return {
    lastSyncAt: String(fields.at),
    nextSyncAt: fields.nextAt === null ? '' : String(fields.nextAt),
    events: String(fields.events),
    lastError: '',
    attention: '',
  };
}

/**
 * A successful sync's account fields, written by the step that releases the sync lease (one round
 * trip, sent with the cursor: workers/sync.ts).
 */
export function syncSuccessNote(accountId: string, fields: SyncSuccess): ReleaseNote {
  return { hash: ['account', accountId], fields: successFields(fields) };
}

export async function recordAccountProblem(
  store: Store,
  accountId: string,
  problem: { attention: Exclude<Attention, null>; message: string; at: Millis },
): Promise<void> {
  await store.redis.hset(key(store, 'account', accountId), {
    lastError: problem.message.slice(0, 500),
    attention: problem.attention,
    lastErrorAt: String(problem.at),
  });
}

export async function clearAccountProblem(store: Store, accountId: string): Promise<void> {
  await store.redis.hset(key(store, 'account', accountId), { lastError: '', attention: '' });
}

export async function getAccountStatus(store: Store, accountId: string): Promise<AccountStatus> {
  const h = await store.redis.hgetall(key(store, 'account', accountId));
  const num = (v: string | undefined) => (v ? Number(v) : null);
  return {
    id: accountId,
    lastSyncAt: num(h.lastSyncAt),
    nextSyncAt: num(h.nextSyncAt),
    lastError: h.lastError ? h.lastError : null,
    attention: (h.attention || null) as Attention,
    fix: h.fix ? h.fix : null,
    unusableSince: num(h.unusableSince),
    events: num(h.events),
  };
}

/** KEYS: account hashes. Returns each one's `lastSyncAt` ('' when none). */
const LAST_SYNCS = `
local out = {}
for i, k in ipairs(KEYS) do out[i] = redis.call('hget', k, 'lastSyncAt') or '' end
return out`;

/**
 * The time of the last successful sync of each of these calendar accounts (null: none stored), in
 * one command: what a confirmation send reads in its first round trip, with its interview, before
 * it knows which of the calendars holds its call (src/engine/unread-sends.ts). One account hash
 * per calendar of the config, which a person has a few of.
 */
export async function lastSyncTimes(store: Store, accountIds: readonly string[]): Promise<Map<string, Millis | null>> {
  if (accountIds.length === 0) return new Map();
  // EVAL, not EVALSHA (scripts.ts): a script Redis does not know yet would cost the action a
  // round trip more, and this one is 120 bytes, sent once per send.
  const raw = (await store.redis.eval(LAST_SYNCS, accountIds.length, ...accountIds.map((id) => key(store, 'account', id)))) as string[];
  return new Map(accountIds.map((id, i) => [id, raw[i] ? Number(raw[i]) : null]));
}

/** The time of the account's last successful sync, or null. */
export async function lastSyncTime(store: Store, accountId: string): Promise<Millis | null> {
  const raw = await store.redis.hget(key(store, 'account', accountId), 'lastSyncAt');
  return raw ? Number(raw) : null;
}

/** A per-account lease so that, with several `ringback start` processes, one syncs an account at a time. */
export const syncLeaseKey = (accountId: string): LeaseKey => ['lease', accountId];

export async function acquireSyncLease(store: Store, accountId: string, owner: string, ttlMs: number): Promise<boolean> {
  return await acquireLease(store, syncLeaseKey(accountId), owner, ttlMs);
}

/**
 * Takes the account's sync lease when nobody holds it and reads, in the same step, what the sync
 * starts from: its cursor, the detection version its kept events were read with, and the run id of
 * the Redis that holds them (`INFO server` read by the script, as the sync's last step reads it,
 * src/store/sync-commit.ts). One command instead of three (the lease, `INFO server`, `HGET`) in
 * the poll's first round trip: each command a poll sends costs this process its own request,
 * promise and reply, and the `INFO` reply is 1.3 KB of text to split (fleet benchmark,
 * bench/README.md 2026-12-06 14:30). On a Redis Cluster the run id is that of the node holding the
 * prefix's slot, where every key of the sync lives (see `sameRedisSince`). Not taken: who holds the
 * lease.
 *
 * KEYS: lease, cursor, account hash. ARGV: holder, time to live in ms.
 */
const ACQUIRE_AND_READ = `
if redis.call('set', KEYS[1], ARGV[1], 'PX', ARGV[2], 'NX') then
  local id = ${LUA_RUN_ID} or ''
  return {1, redis.call('get', KEYS[2]), redis.call('hget', KEYS[3], 'detection'), id}
end
return {0, redis.call('get', KEYS[1])}`;

export type SyncLeaseAttempt =
  | { readonly taken: true; readonly cursor: string | null; readonly detectionVersion: number | null; readonly runId: string }
  | { readonly taken: false; readonly holder: string | null };

export async function acquireSyncLeaseWithCursor(store: Store, accountId: string, owner: string, ttlMs: number): Promise<SyncLeaseAttempt> {
  const [taken, value, detection, runId] = (await store.redis.eval(
    ACQUIRE_AND_READ,
    3,
    key(store, ...syncLeaseKey(accountId)),
    key(store, 'cursor', accountId),
    key(store, 'account', accountId),
    owner,
    String(ttlMs),
  )) as [number, string | null, string | null, string];
  return taken === 1 ? { taken: true, cursor: value, detectionVersion: detectionVersionOf(detection), runId } : { taken: false, holder: value };
}

/** Who holds the account's sync lease, or null. */
export async function syncLeaseHolder(store: Store, accountId: string): Promise<string | null> {
  return await leaseHolder(store, syncLeaseKey(accountId));
}

export async function releaseSyncLease(store: Store, accountId: string, owner: string): Promise<void> {
  await releaseLease(store, syncLeaseKey(accountId), owner);
}
