/** The audit stream against a real Redis: entries older than a year go as new ones come. */
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { Redis } from 'ioredis';
import { audit, readAudit } from '../../src/store/audit.js';
import { openRedis } from '../../src/store/connection.js';
import { createStore, key, type Store } from '../../src/store/store.js';
import { testPrefix } from '../support/prefix.js';

let redis: Redis;
let store: Store;
beforeAll(async () => {
  redis = openRedis(inject('redisUrl'));
  await redis.connect();
  store = createStore(redis, testPrefix('audit'));
});
afterAll(() => redis.disconnect());

describe('audit', () => {
  it('drops entries older than a year when it writes, and keeps the recent ones', async () => {
    const k = key(store, 'audit');
    const twoYearsAgo = Date.now() - 2 * 365 * 86_400_000;
    // 300 entries from two years ago (Redis trims whole stream nodes of 100 entries each)…
    for (let i = 0; i < 300; i++) await redis.xadd(k, `${twoYearsAgo + i}-0`, 'type', 'planned', 'message', `old ${i}`, 'at', String(twoYearsAgo + i));
    // …and one from a month ago, which stays.
    const monthAgo = Date.now() - 30 * 86_400_000;
    await redis.xadd(k, `${monthAgo}-0`, 'type', 'planned', 'message', 'last month', 'at', String(monthAgo));

    await audit(store, { type: 'detected', message: 'now', at: Date.now() });

    const messages = (await readAudit(store, { count: 1_000 })).map((r) => r.message);
    expect(messages.filter((m) => m.startsWith('old ')).length).toBeLessThan(100);
    expect(messages.slice(-2)).toEqual(['last month', 'now']);
  });
});
