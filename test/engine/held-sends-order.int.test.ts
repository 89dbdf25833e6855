/**
 * The sync that begins a wait (src/engine/vanishing.ts) points the waiting interviews out to their
 * sends (src/store/unlisted.ts) before the cursor that holds the wait is stored: a process stopped
 * between the two writes, or a send that runs between them, must never find the wait stored and no
 * pointer, which lets the send go to an interviewer whose call may be cancelled. Watched on the
 * Redis of the test run with MONITOR, in the order Redis ran the commands (those of the commit's
 * Lua step included).
 */
import { Redis } from 'ioredis';
import { afterEach, describe, expect, inject, it } from 'vitest';
import { interviewIdFor } from '../../src/domain/ids.js';
import { MINUTE, interviewEvent, startEngineHarness, type EngineHarness } from '../support/engine-harness.js';

let h: EngineHarness | null = null;
let monitor: Redis | null = null;
afterEach(async () => {
  monitor?.disconnect();
  monitor = null;
  await h?.stop();
  h = null;
});

describe('the sync that begins a wait', () => {
  it('writes the pointers to the waiting interviews before the cursor that holds the wait', async () => {
    h = await startEngineHarness();
    const base = Math.floor((h.now() + 90 * MINUTE) / 1000) * 1000;
    const events = ['a', 'b'].map((uid, i) => interviewEvent({ uid: `order-${uid}`, start: base + i * 30 * MINUTE }));
    await h.setEvents(events);
    await h.sync();

    const prefix = `{${h.runtime.store.prefix}}:`;
    const seen: string[] = [];
    monitor = await new Redis(inject('redisUrl')).monitor();
    monitor.on('monitor', (_time: string, args: string[]) => {
      const [command, target, value] = args;
      if (command?.toLowerCase() === 'hset' && target === `${prefix}unlisted`) seen.push('pointers');
      if (command?.toLowerCase() === 'set' && target === `${prefix}cursor:cal` && value?.startsWith('{"awaitingConfirmation"')) seen.push('cursor');
    });
    // MONITOR is on once a command of ours is seen through it.
    await h.runtime.redis.ping('monitor-on');
    await h.setEvents([]);
    expect((await h.sync()).withdrawn).toBe(0);
    await h.runtime.redis.ping();
    await new Promise((r) => setTimeout(r, 200));

    expect(seen).toEqual(['pointers', 'cursor']);
    const pointers = await h.runtime.redis.hgetall(`${prefix}unlisted`);
    expect(pointers).toEqual(Object.fromEntries(events.map((e) => [interviewIdFor('cal', e.uid), 'cal'])));
  });
});
