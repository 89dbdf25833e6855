/**
 * The sync lease, with a real Redis: one sync of an account at a time, and a lease that outlived
 * its sync never blocks the next one for long.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { syncWithLease } from '../../workers/sync.js';
import { acquireSyncLease, acquireSyncLeaseWithCursor, getAccountStatus, getCursor, releaseSyncLease, syncLeaseHolder } from '../../src/store/accounts.js';
import { interviewIdFor } from '../../src/domain/ids.js';
import { getInterview } from '../../src/store/interviews.js';
import { syncAccount } from '../../src/engine/sync.js';
import { redisRunId } from '../../src/store/connection.js';
import { getEventHashes } from '../../src/store/events.js';
import { TransientError } from '../../src/providers/errors.js';
import { DETECTION_VERSION } from '../../src/domain/detect.js';
import { syncLeaseKey, syncSuccessNote } from '../../src/store/accounts.js';
import { MINUTE, interviewEvent, startEngineHarness, type EngineHarness } from '../support/engine-harness.js';

let h: EngineHarness | null = null;
afterEach(async () => {
  await h?.stop();
  h = null;
});

describe('sync lease', () => {
  it("takes over a lease in the engine's own name that no sync of it holds (one a restarted Redis brought back from its AOF)", async () => {
    h = await startEngineHarness();
    await h.setEvents([interviewEvent({ uid: 'lease-1', start: Math.floor((h.now() + 3 * 60 * MINUTE) / 1000) * 1000 })]);
    // As after a power cut: the lease of a sync that has ended is back, for a whole minute.
    expect(await acquireSyncLease(h.runtime.store, 'cal', h.engine.owner, 60_000)).toBe(true);

    const summary = await syncWithLease(h.engine, 'cal', new AbortController().signal);
    expect(summary?.interviewsNew).toBe(1);
    expect(await getInterview(h.runtime.store, interviewIdFor('cal', 'lease-1'))).not.toBeNull();
    expect(await syncLeaseHolder(h.runtime.store, 'cal')).toBeNull();
  });

  it('leaves a lease of another live process alone, and runs one sync of an account at a time in this one', async () => {
    h = await startEngineHarness();
    await h.setEvents([interviewEvent({ uid: 'lease-2', start: Math.floor((h.now() + 3 * 60 * MINUTE) / 1000) * 1000 })]);
    const other = `another-host:${process.pid}:abcdef`;
    expect(await acquireSyncLease(h.runtime.store, 'cal', other, 60_000)).toBe(true);
    expect(await syncWithLease(h.engine, 'cal', new AbortController().signal)).toBeNull();
    expect(await syncLeaseHolder(h.runtime.store, 'cal')).toBe(other);
    await releaseSyncLease(h.runtime.store, 'cal', other);

    const [first, second] = await Promise.all([
      syncWithLease(h.engine, 'cal', new AbortController().signal),
      syncWithLease(h.engine, 'cal', new AbortController().signal),
    ]);
    expect([first, second].filter((s) => s !== null)).toHaveLength(1);
  });

  it('reads the cursor with the lease it takes, names the holder of one it cannot, and records the success with the release', async () => {
    h = await startEngineHarness();
    await h.setEvents([interviewEvent({ uid: 'lease-3', start: Math.floor((h.now() + 3 * 60 * MINUTE) / 1000) * 1000 })]);
    const summary = await syncWithLease(h.engine, 'cal', new AbortController().signal);
    expect(summary?.events).toBe(1);
    const status = await getAccountStatus(h.runtime.store, 'cal');
    expect(status.events).toBe(1);
    expect(status.lastSyncAt).not.toBeNull();
    expect(await syncLeaseHolder(h.runtime.store, 'cal')).toBeNull();

    const cursor = await getCursor(h.runtime.store, 'cal');
    expect(cursor).not.toBeNull();
    // The step that takes the lease reads what the sync starts from: the cursor, the detection
    // version the sync stored, and the run id of the Redis it runs on.
    const runId = await redisRunId(h.runtime.store.redis);
    expect(runId).toMatch(/^[0-9a-f]{40}$/);
    expect(await acquireSyncLeaseWithCursor(h.runtime.store, 'cal', 'one', 60_000)).toEqual({ taken: true, cursor, detectionVersion: DETECTION_VERSION, runId });
    expect(await acquireSyncLeaseWithCursor(h.runtime.store, 'cal', 'two', 60_000)).toEqual({ taken: false, holder: 'one' });
    await releaseSyncLease(h.runtime.store, 'cal', 'one');
  });

  it('stores neither the hashes, nor the cursor, nor the success, nor releases the lease when Redis restarted during the sync', async () => {
    h = await startEngineHarness();
    const store = h.runtime.store;
    await h.setEvents([interviewEvent({ uid: 'lease-4', start: Math.floor((h.now() + 3 * 60 * MINUTE) / 1000) * 1000 })]);
    expect(await acquireSyncLease(store, 'cal', 'me', 60_000)).toBe(true);
    const calls: string[] = [];
    const release = {
      lease: syncLeaseKey('cal'),
      holder: 'me',
      note: () => syncSuccessNote('cal', { at: h!.now(), nextAt: null, events: 1 }),
      releasing: () => calls.push('releasing'),
      released: () => calls.push('released'),
    };
    // The run id read when this sync began is not the server's any more: as if Redis restarted.
    const before = { cursor: null, runId: 'f'.repeat(40), detectionVersion: null, release };
    await expect(syncAccount(h.engine, 'cal', new AbortController().signal, before)).rejects.toBeInstanceOf(TransientError);
    expect(await getInterview(store, interviewIdFor('cal', 'lease-4'))).not.toBeNull(); // written before the check
    expect(await getCursor(store, 'cal')).toBeNull();
    expect((await getEventHashes(store, 'cal')).size).toBe(0);
    expect((await getAccountStatus(store, 'cal')).lastSyncAt).toBeNull();
    expect(await syncLeaseHolder(store, 'cal')).toBe('me');
    expect(calls).toEqual(['releasing']);

    // A cluster's run ids: the node that holds the keys is one of the primaries read at the start.
    const runId = `${'0'.repeat(40)},${await redisRunId(store.redis)}`;
    const summary = await syncAccount(h.engine, 'cal', new AbortController().signal, { cursor: null, runId, detectionVersion: null, release });
    expect(summary.events).toBe(1);
    expect(await getCursor(store, 'cal')).not.toBeNull();
    expect([...(await getEventHashes(store, 'cal')).keys()]).toEqual(['lease-4']);
    expect((await getAccountStatus(store, 'cal')).events).toBe(1);
    expect(await syncLeaseHolder(store, 'cal')).toBeNull();
    expect(calls).toEqual(['releasing', 'releasing', 'released']);
  });

  it('checks for a restart before writing more than a thousand hashes in chunks, and stores them all when Redis did not restart', async () => {
    h = await startEngineHarness();
    const store = h.runtime.store;
    const base = Math.floor((h.now() + 3 * 60 * MINUTE) / 1000) * 1000;
    // Ordinary meetings: no word about a job or a call, so nothing is planned or kept for them.
    const meetings = Array.from({ length: 1_050 }, (_, i) => ({
      uid: `m${i}`,
      title: `Budget review ${i}`,
      start: base + i * 10 * MINUTE,
      end: base + i * 10 * MINUTE + 30 * MINUTE,
      description: '',
      attendees: [],
    }));
    await h.setEvents(meetings);
    const restarted = { cursor: null, runId: 'f'.repeat(40), detectionVersion: null };
    await expect(syncAccount(h.engine, 'cal', new AbortController().signal, restarted)).rejects.toBeInstanceOf(TransientError);
    expect((await getEventHashes(store, 'cal')).size).toBe(0);
    expect(await getCursor(store, 'cal')).toBeNull();

    const summary = await syncAccount(h.engine, 'cal', new AbortController().signal, { cursor: null, runId: await redisRunId(store.redis), detectionVersion: null });
    expect(summary.events).toBe(1_050);
    expect((await getEventHashes(store, 'cal')).size).toBe(1_050);
    expect(await getCursor(store, 'cal')).not.toBeNull();
  });
});
