/**
 * An outage holding two facts at once, against a real Redis: a limit that lifts by itself (a
 * sending limit: only the sends wait, not checked before its time) and a fault that lasts until
 * it is fixed (a folder missing, the server down). Each mark adds its fact and keeps the other's.
 */
import { describe, expect, it } from 'vitest';
import { currentOutage, easeToLimit, endOutage, markUnusable } from '../../src/store/outages.js';
import { useTestStore } from '../support/store.js';

const t = useTestStore('outages');
const AT = Date.UTC(2026, 11, 7, 14, 0);
const LIMIT = { attention: 'unusable' as const, message: '550 5.4.5 Daily user sending quota exceeded.', fix: 'the sending limit lifts by itself', recheckAt: AT + 15 * 60_000, sendsOnly: true };
const FAULT = { attention: 'unusable' as const, message: 'the Drafts folder is missing', fix: 'make the Drafts folder exist' };

describe('markUnusable with a limit and a fault', () => {
  it('keeps a full outage full when a sending limit comes during it, and adds the limit', async () => {
    const first = await markUnusable(t.store, 'rev', { ...FAULT, at: AT });
    expect(first.began).toBe(true);
    const limit = await markUnusable(t.store, 'rev', { ...LIMIT, at: AT + 60_000 });
    expect(limit).toMatchObject({ began: false, added: true });
    const outage = await currentOutage(t.store, 'rev');
    expect(outage?.sendsOnly).toBeFalsy();
    expect(outage?.recheckAt).toBe(LIMIT.recheckAt);
    expect(limit.fix).toBe('make the Drafts folder exist; and meanwhile the sending limit lifts by itself');
    // The same limit said again adds nothing and does not repeat its words.
    const again = await markUnusable(t.store, 'rev', { ...LIMIT, at: AT + 120_000 });
    expect(again).toMatchObject({ added: false, fix: limit.fix });
  });

  it('keeps the recheck time of a sending limit when a fault comes, and goes back to the limit alone when the fault is over', async () => {
    await markUnusable(t.store, 'fwd', { ...LIMIT, at: AT });
    const fault = await markUnusable(t.store, 'fwd', { ...FAULT, at: AT + 60_000 });
    expect(fault).toMatchObject({ began: false, added: true, fix: 'make the Drafts folder exist; and meanwhile the sending limit lifts by itself' });
    expect(await currentOutage(t.store, 'fwd')).toEqual({ since: AT, until: null, recheckAt: LIMIT.recheckAt, faultBesideLimit: true });
    expect(await easeToLimit(t.store, 'fwd')).toBe(true);
    expect(await easeToLimit(t.store, 'fwd')).toBe(false);
    expect(await currentOutage(t.store, 'fwd')).toEqual({ since: AT, until: null, recheckAt: LIMIT.recheckAt, sendsOnly: true });
    expect(await t.redis.hmget(`{${t.store.prefix}}:account:fwd`, 'lastError', 'fix')).toEqual([LIMIT.message, LIMIT.fix]);
    // Its end clears every field of both facts.
    expect(await endOutage(t.store, 'fwd', AT + 20 * 60_000)).not.toBeNull();
    const left = await t.redis.hmget(`{${t.store.prefix}}:account:fwd`, 'recheckAt', 'sendsOnly', 'fault', 'faultFix', 'limitSendsOnly', 'limitError', 'limitFix', 'fix');
    expect(left).toEqual([null, null, null, null, null, null, null, null]);
  });
});
