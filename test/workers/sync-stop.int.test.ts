/**
 * Stopping `ringback start` while a calendar sync is in flight, with a real Redis and real BullMQ
 * workers: the sync is aborted, so the stop does not wait for a calendar that answers slowly, and
 * an aborted sync is no failure of the account (its status and cursor stay as they were).
 */
import { once } from 'node:events';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { startDaemon, type Daemon } from '../../src/daemon/daemon.js';
import { getAccountStatus, getCursor } from '../../src/store/accounts.js';
import { STOPPED } from '../../workers/sync.js';
import { harnessCalendarToIcs } from '../providers/calendar/contract.js';
import { MINUTE, interviewEvent, startEngineHarness, type EngineHarness } from '../support/engine-harness.js';

/**
 * A calendar feed on 127.0.0.1 that answers at once until `hold()`; then it sends the head and the
 * first line of the feed and holds the rest, like a slow server in the middle of a large calendar.
 */
interface SlowFeed {
  readonly url: string;
  /** Resolves with the held request's response once a request is held. */
  hold(): Promise<ServerResponse>;
  close(): Promise<void>;
}

async function startSlowFeed(ics: string): Promise<SlowFeed> {
  let holding: ((res: ServerResponse) => void) | null = null;
  const held = new Set<ServerResponse>();
  const server: Server = createServer((_req: IncomingMessage, res: ServerResponse) => {
    res.setHeader('content-type', 'text/calendar');
    if (!holding) {
      res.end(ics);
      return;
    }
    res.writeHead(200);
    res.write('BEGIN:VCALENDAR\r\n');
    held.add(res);
    holding(res);
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/private-token/calendar.ics`,
    hold: () => new Promise((resolve) => (holding = resolve)),
    async close() {
      for (const res of held) res.destroy();
      server.closeAllConnections();
      server.close();
      await once(server, 'close');
    },
  };
}

/** Rejects after `ms`: a stop that waits for the held sync fails the test here, not by its timeout. */
function within<T>(ms: number, what: string, promise: Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(`${what} took more than ${ms} ms`)), ms)));
  return Promise.race([promise, late]).finally(() => clearTimeout(timer));
}

let h: EngineHarness | null = null;
let feed: SlowFeed | null = null;
let daemon: Daemon | null = null;
afterEach(async () => {
  await daemon?.stop();
  await h?.stop();
  await feed?.close();
  [h, feed, daemon] = [null, null, null];
});

describe('stopping the daemon during a sync', () => {
  it('aborts the sync in flight, returns promptly, and leaves the account as it was', async () => {
    const start = Math.floor((Date.now() + 3 * 60 * MINUTE) / 1000) * 1000;
    feed = await startSlowFeed(harnessCalendarToIcs([interviewEvent({ uid: 'stop-1', start })]));
    h = await startEngineHarness({ calendars: [{ type: 'ics', id: 'cal', url: feed.url }] });
    // A first sync goes through: the account has a cursor and a clean status to keep.
    expect((await h.sync()).interviewsNew).toBe(1);
    const cursor = await getCursor(h.runtime.store, 'cal');
    expect(cursor).not.toBeNull();
    const before = await getAccountStatus(h.runtime.store, 'cal');

    const heldRequest = feed.hold();
    daemon = await startDaemon(h.runtime, h.engine, { reconcileEveryMs: 3_600_000 });
    // The daemon syncs at once on start: its request is now held by the feed.
    const res = await within(20_000, 'the first sync of the daemon', heldRequest);
    const cutOff = once(res, 'close');

    const stopping = daemon.stop();
    daemon = null;
    await within(5_000, 'stopping the daemon', stopping);

    // The sync was aborted: it dropped the connection, and its job says so instead of failing.
    await within(1_000, 'the held request to close', cutOff);
    expect(res.writableFinished).toBe(false);
    const completed = await h.runtime.queues.sync.getCompleted();
    expect(completed.filter((job) => job.name === 'sync').map((job) => job.returnvalue)).toContain(STOPPED);
    expect(await h.runtime.queues.sync.getFailedCount()).toBe(0);

    // Nothing recorded against the account: no problem, no audit of a failed sync, same cursor.
    const after = await getAccountStatus(h.runtime.store, 'cal');
    expect(after.attention).toBeNull();
    expect(after.lastError).toBeNull();
    expect(after).toEqual(before);
    expect(await getCursor(h.runtime.store, 'cal')).toBe(cursor);
    expect((await h.audit()).filter((r) => r.type === 'account')).toEqual([]);
  });
});
