/**
 * Watching for Redis restarts, against a real Redis: a connection to a server with another run_id
 * than the one known means a restart; a recovery that fails is tried again without waiting for
 * another reconnection.
 */
import { describe, expect, inject, it } from 'vitest';
import { watchRedisRestarts } from '../../src/daemon/redis-restart.js';
import { openRedis } from '../../src/store/connection.js';

describe('watchRedisRestarts', () => {
  it('tries a failed recovery again after 5 s, then stops once it succeeded', async () => {
    const redis = openRedis(inject('redisUrl'));
    await redis.connect();
    const attempts: number[] = [];
    const errors: number[] = [];
    const began = Date.now();
    // A run_id other than the server's: as if the server had restarted since it was read.
    const unwatch = watchRedisRestarts(
      redis,
      'run-id-before-the-restart',
      async () => {
        attempts.push(Date.now() - began);
        if (attempts.length === 1) throw new Error('Redis went away again during the recovery');
      },
      (_error, retryInMs) => errors.push(retryInMs),
    );
    try {
      redis.emit('ready'); // what ioredis emits once it has reconnected
      const until = Date.now() + 9_000;
      while (attempts.length < 2 && Date.now() < until) await new Promise((r) => setTimeout(r, 100));
      expect(errors).toEqual([5_000]);
      expect(attempts).toHaveLength(2);
      expect(attempts[1]! - attempts[0]!).toBeGreaterThanOrEqual(4_900);
      redis.emit('ready'); // the same server again: recovered, nothing to do
      await new Promise((r) => setTimeout(r, 300));
      expect(attempts).toHaveLength(2);
    } finally {
      unwatch();
      redis.disconnect();
    }
  }, 15_000);
});
