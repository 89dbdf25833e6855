/**
 * While Redis is down, the daemon reports the lost connection through its log (and its Redis
 * health), not by writing every refused reconnect to stderr: BullMQ prints a queue's connection
 * errors with console.error when nobody listens for them. Seen in the randomised timelines
 * (timeline-stories.int.test.ts), where each Redis restart printed a stack of raw errors.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { startEngineHarness, type EngineHarness } from '../support/engine-harness.js';
import { startTestRedis, type TestRedis } from '../support/redis-server.js';

let redis: TestRedis;
let h: EngineHarness | null = null;
beforeAll(async () => {
  redis = await startTestRedis();
});
afterEach(async () => {
  vi.restoreAllMocks();
  await h?.stop();
  h = null;
});
afterAll(async () => {
  await redis.stop();
});

describe('Redis going down under the daemon', () => {
  it('writes nothing to stderr by itself', async () => {
    h = await startEngineHarness({ redisUrl: redis.url });
    await h.start();
    const printed = vi.spyOn(console, 'error');
    const refused = new Promise<void>((resolve) => {
      h!.runtime.store.redis.on('error', () => resolve());
    });
    await redis.kill();
    // Reconnects are refused a few times while it is down.
    await refused;
    await redis.restart();
    // Back before the daemon stops: its workers close over a live connection.
    while ((await h.runtime.store.redis.ping().catch(() => '')) !== 'PONG') await new Promise((r) => setTimeout(r, 50));
    expect(printed.mock.calls.map((call) => String(call[0]))).toEqual([]);
  });
});
