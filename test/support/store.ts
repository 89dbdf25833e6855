/**
 * A store on the test Redis (`inject('redisUrl')`, started by global-setup) under a prefix of its
 * own, opened before the file's tests and closed after them: what every store-level test needs.
 */
import { afterAll, beforeAll, inject } from 'vitest';
import type { Redis } from 'ioredis';
import { openRedis } from '../../src/store/connection.js';
import { createStore, type Store } from '../../src/store/store.js';
import { testPrefix } from './prefix.js';

export interface TestStore {
  readonly redis: Redis;
  readonly store: Store;
}

export function useTestStore(name: string): TestStore {
  let opened: TestStore | null = null;
  beforeAll(async () => {
    const redis = openRedis(inject('redisUrl'));
    await redis.connect();
    opened = { redis, store: createStore(redis, testPrefix(name)) };
  });
  afterAll(() => opened?.redis.disconnect());
  return {
    get redis() {
      if (!opened) throw new Error('the test store is opened in beforeAll');
      return opened.redis;
    },
    get store() {
      if (!opened) throw new Error('the test store is opened in beforeAll');
      return opened.store;
    },
  };
}
