/** Leases against a real Redis: held as long as the work runs, released after, loss reported. */
import { describe, expect, it } from 'vitest';
import { acquireLease, holdLease, leaseHolder } from '../../src/store/lease.js';
import { useTestStore } from '../support/store.js';

const t = useTestStore('lease');

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('holdLease', () => {
  it('keeps the lease through work that outlasts its life, then releases it', async () => {
    const lease = ['lease', 'slow'];
    expect(await acquireLease(t.store, lease, 'me', 300)).toBe(true);
    const lost: string[] = [];
    const seen = await holdLease(t.store, lease, 'me', 300, async () => {
      await sleep(1_000);
      return await leaseHolder(t.store, lease);
    }, (reason) => lost.push(reason));
    expect(seen).toBe('me');
    expect(lost).toEqual([]);
    expect(await leaseHolder(t.store, lease)).toBeNull();
  });

  it('lets the work release the lease itself with a note written in the same step, and releases it otherwise', async () => {
    const lease = ['lease', 'noted'];
    const hash = ['account', 'noted'];
    expect(await acquireLease(t.store, lease, 'me', 1_000)).toBe(true);
    const result = await holdLease(t.store, lease, 'me', 1_000, async (held) => {
      await held.release({ hash, fields: { lastSyncAt: '42' } });
      expect(await leaseHolder(t.store, lease)).toBeNull();
      // Taken by another right after: holdLease must not release it on its way out.
      expect(await acquireLease(t.store, lease, 'other', 1_000)).toBe(true);
      return '42';
    }, () => {});
    expect(result).toBe('42');
    expect(await leaseHolder(t.store, lease)).toBe('other');
    expect(await t.redis.hget(`{${t.store.prefix}}:account:noted`, 'lastSyncAt')).toBe('42');
    await t.redis.del(`{${t.store.prefix}}:lease:noted`);

    expect(await acquireLease(t.store, lease, 'me', 1_000)).toBe(true);
    const failed = holdLease(t.store, lease, 'me', 1_000, async (): Promise<string> => {
      throw new Error('calendar down');
    }, () => {});
    await expect(failed).rejects.toThrow('calendar down');
    expect(await leaseHolder(t.store, lease)).toBeNull();
  });

  it('removes the fields a release note names from their hash in the same step, and only those', async () => {
    const lease = ['lease', 'draft'];
    const writing = `{${t.store.prefix}}:iv:x:drafts:writing`;
    await t.redis.hset(writing, 'confirmation', '<m1@x>', 'noshow', '<m2@x>');
    expect(await acquireLease(t.store, lease, 'me', 1_000)).toBe(true);
    await holdLease(t.store, lease, 'me', 1_000, async (held) => {
      await held.release({ hash: ['iv', 'x', 'drafts'], fields: { confirmation: '{"revision":1}' }, remove: { hash: ['iv', 'x', 'drafts', 'writing'], fields: ['confirmation'] } });
    }, () => {});
    expect(await leaseHolder(t.store, lease)).toBeNull();
    expect(await t.redis.hget(`{${t.store.prefix}}:iv:x:drafts`, 'confirmation')).toBe('{"revision":1}');
    expect(await t.redis.hgetall(writing)).toEqual({ noshow: '<m2@x>' });
  });

  it('says once that the lease was lost when another takes it, and leaves the other its lease', async () => {
    const lease = ['lease', 'stolen'];
    expect(await acquireLease(t.store, lease, 'me', 300)).toBe(true);
    const lost: string[] = [];
    await holdLease(t.store, lease, 'me', 300, async () => {
      await t.redis.set(`{${t.store.prefix}}:lease:stolen`, 'other');
      await sleep(700);
    }, (reason) => lost.push(reason));
    expect(lost).toEqual(['another process holds it now, or it expired']);
    expect(await leaseHolder(t.store, lease)).toBe('other');
  });
});
