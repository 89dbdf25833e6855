/**
 * The sync processor: one sync of one calendar account under a lease (several `ringback start`
 * processes may share a Redis; one of them syncs an account at a time), recording the account's
 * success or its problem ("needs re-auth" for a refused sign-in) for `accounts` and `doctor`.
 */
import type { Engine } from '../src/engine/context.js';
import { syncAccount, type SyncSummary } from '../src/engine/sync.js';
import { AuthError } from '../src/providers/errors.js';
import type { SyncJobData } from '../src/queue/jobs.js';
import { acquireSyncLease, recordAccountProblem, recordSyncSuccess, releaseSyncLease } from '../src/store/accounts.js';
import { audit } from '../src/store/audit.js';

const LEASE_MS = 10 * 60_000;

/** One sync of one account, under a lease; null when another process holds it. */
export async function syncWithLease(engine: Engine, accountId: string, signal: AbortSignal): Promise<SyncSummary | null> {
  if (!(await acquireSyncLease(engine.store, accountId, engine.owner, LEASE_MS))) return null;
  try {
    const summary = await syncAccount(engine, accountId, signal);
    const every = engine.config.sync.pollSeconds * 1000;
    await recordSyncSuccess(engine.store, accountId, { at: engine.now(), nextAt: engine.now() + every, events: summary.events });
    return summary;
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    const attention = error instanceof AuthError ? 'needs-reauth' : 'error';
    await recordAccountProblem(engine.store, accountId, { attention, message, at: engine.now() });
    await audit(engine.store, {
      type: 'account',
      accountId,
      message: attention === 'needs-reauth' ? `${accountId} needs you to sign in again: ${message}` : `sync of ${accountId} failed: ${message}`,
      at: engine.now(),
    });
    throw error;
  } finally {
    await releaseSyncLease(engine.store, accountId, engine.owner);
  }
}

export function syncProcessor(
  engine: Engine,
  onSync?: (summary: SyncSummary) => void,
): (data: SyncJobData, signal: AbortSignal) => Promise<string> {
  return async (data, signal) => {
    if (!engine.calendars.has(data.accountId)) return 'account not built (see ringback accounts)';
    const summary = await syncWithLease(engine, data.accountId, signal);
    if (summary) onSync?.(summary);
    return summary ? `${summary.events} events, ${summary.changed} changed` : 'another process is syncing this account';
  };
}
