/**
 * Per-account state: sync cursor, last and next sync, the last error, and whether the account
 * needs the user's attention (a refused password or sign-in). `accounts`, `doctor` and the
 * dashboard show it.
 *
 * Keys: `account:{id}` hash; `cursor:{id}` string.
 */
import type { Millis } from '../domain/types.js';
import { key, type Store } from './store.js';
import { acquireLease, leaseHolder, releaseLease, type LeaseKey } from './lease.js';

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

export async function recordSyncSuccess(
  store: Store,
  accountId: string,
  fields: { at: Millis; nextAt: Millis | null; events: number },
): Promise<void> {
  await store.redis.hset(key(store, 'account', accountId), {
    lastSyncAt: String(fields.at),
    nextSyncAt: fields.nextAt === null ? '' : String(fields.nextAt),
    events: String(fields.events),
    lastError: '',
    attention: '',
  });
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

/** A per-account lease so that, with several `ringback start` processes, one syncs an account at a time. */
export const syncLeaseKey = (accountId: string): LeaseKey => ['lease', accountId];

export async function acquireSyncLease(store: Store, accountId: string, owner: string, ttlMs: number): Promise<boolean> {
  return await acquireLease(store, syncLeaseKey(accountId), owner, ttlMs);
}

/** Who holds the account's sync lease, or null. */
export async function syncLeaseHolder(store: Store, accountId: string): Promise<string | null> {
  return await leaseHolder(store, syncLeaseKey(accountId));
}

export async function releaseSyncLease(store: Store, accountId: string, owner: string): Promise<void> {
  await releaseLease(store, syncLeaseKey(accountId), owner);
}
