/**
 * ringback's queues on the test Redis (`inject('redisUrl')`) under a prefix of their own, opened
 * before the file's tests and closed after them: what every queue-level test needs.
 */
import { afterAll, beforeAll, inject } from 'vitest';
import type { Redis } from 'ioredis';
import { createQueues, type Queues } from '../../src/queue/queues.js';
import { openRedis } from '../../src/store/connection.js';
import { testPrefix } from './prefix.js';

export interface TestQueues {
  readonly redis: Redis;
  readonly queues: Queues;
}

export function useTestQueues(name: string): TestQueues {
  let opened: TestQueues | null = null;
  beforeAll(async () => {
    const redis = openRedis(inject('redisUrl'));
    await redis.connect();
    opened = { redis, queues: createQueues(redis, testPrefix(name)) };
    await opened.queues.actions.waitUntilReady();
  });
  afterAll(async () => {
    await opened?.queues.close();
    opened?.redis.disconnect();
  });
  const get = (): TestQueues => {
    if (!opened) throw new Error('the test queues are opened in beforeAll');
    return opened;
  };
  return {
    get redis() {
      return get().redis;
    },
    get queues() {
      return get().queues;
    },
  };
}
