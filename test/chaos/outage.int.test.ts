/**
 * outage, reduced (the full run: `npm run chaos outage`, docs/RELIABILITY.md): 12 interviews, the
 * mailbox cut while 8 confirmations fall due, then restored. Those still at least minLeadMinutes
 * ahead arrive exactly once, the others are audited once as missed with the window, nothing fails
 * for good and no interview is withdrawn.
 */
import { describe, expect, it } from 'vitest';
import { outagePassed, runOutage, type OutageVariant } from '../../chaos/scenarios/outage.js';

describe('outage (reduced)', () => {
  it.each<OutageVariant>(['maildir-removed', 'relay-stopped', 'revoked', 'imap-stopped', 'calendar'])('%s: nothing lost, nothing twice', async (variant) => {
    const r = await runOutage({ variant, interviews: 12, due: 8, log: () => undefined });
    expect(r.problems).toEqual([]);
    expect(r.lost).toBe(0);
    expect(r.duplicated).toBe(0);
    expect(r.sentOnce).toBe(r.stillAhead);
    expect(r.stillAhead).toBeGreaterThan(0);
    expect(r.missedAudited).toBe(r.pastUse);
    expect(r.pastUse).toBeGreaterThan(0);
    expect(r.sentAfterItsUse).toBe(0);
    expect(r.failedForGood).toBe(0);
    expect(r.withdrawn).toBe(0);
    expect(r.resumeMs).toBeLessThan(60_000);
    expect(outagePassed(r)).toBe(true);
  }, 120_000);
});
