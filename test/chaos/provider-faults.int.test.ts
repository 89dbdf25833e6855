/**
 * provider faults, reduced (the full run at 20%: `npm run chaos provider-faults`,
 * docs/RELIABILITY.md): three Google accounts behind proxies that fail one call in ten (500, 503,
 * 429 with Retry-After, no answer, resets before and after the server acted); B's sync token is
 * invalidated (410) and C's sign-in revoked (invalid_grant). The confirmations go out through
 * Gmail exactly once, A and B hold what their calendars hold, C needs re-auth, and no call reached
 * an account while it had asked to wait.
 *
 * The deadline leaves room for a sixth attempt of a send: with one call in ten failing and five
 * calls per attempt, five failed attempts in a row (then a 32 s backoff) happen in a few runs in a
 * hundred, and a 48 s deadline failed those runs while the send was still being retried as it should.
 */
import { describe, expect, it } from 'vitest';
import { runProviderFaults } from '../../chaos/scenarios/provider-faults.js';

describe('provider faults (reduced)', () => {
  it('converges to what the calendars hold, sends once, honours Retry-After and flags the revoked account', async () => {
    const r = await runProviderFaults({ soon: 2, later: 3, faultRate: 0.1, changeAfterMs: 4_000, stepMs: 1_000, cleanPoll: false, deadlineMs: 75_000, log: () => undefined });
    expect(r.problems).toEqual([]);
    expect(r.diagnosis.filter((line) => line.startsWith('<'))).toEqual([]);
    expect(r.faultsInjected).toBeGreaterThan(0);
    expect(r.lost).toBe(0);
    expect(r.duplicated).toBe(0);
    expect(r.retryAfterEarly).toEqual([]);
    expect(r.callsDuringRetryAfter).toBe(0);
    expect(r.accounts['acct-c']?.attention).toBe('needs-reauth');
    for (const id of ['acct-a', 'acct-b']) {
      expect(r.accounts[id]?.attention).not.toBe('needs-reauth');
      expect(r.accounts[id]?.lastSyncAt ?? 0).toBeGreaterThan(r.brokenAt);
    }
    expect(r.secretHits).toEqual([]);
  }, 100_000);
});
