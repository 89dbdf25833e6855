/** The audit stream against a real Redis: entries older than a year go as new ones come. */
import { describe, expect, it } from 'vitest';
import { audit, readAudit } from '../../src/store/audit.js';
import { key } from '../../src/store/store.js';
import { useTestStore } from '../support/store.js';

const t = useTestStore('audit');

describe('audit', () => {
  it('drops entries older than a year when it writes, and keeps the recent ones', async () => {
    const k = key(t.store, 'audit');
    const twoYearsAgo = Date.now() - 2 * 365 * 86_400_000;
    // 300 entries from two years ago (Redis trims whole stream nodes of 100 entries each)…
    for (let i = 0; i < 300; i++) await t.redis.xadd(k, `${twoYearsAgo + i}-0`, 'type', 'planned', 'message', `old ${i}`, 'at', String(twoYearsAgo + i));
    // …and one from a month ago, which stays.
    const monthAgo = Date.now() - 30 * 86_400_000;
    await t.redis.xadd(k, `${monthAgo}-0`, 'type', 'planned', 'message', 'last month', 'at', String(monthAgo));

    await audit(t.store, { type: 'detected', message: 'now', at: Date.now() });

    const messages = (await readAudit(t.store, { count: 1_000 })).map((r) => r.message);
    expect(messages.filter((m) => m.startsWith('old ')).length).toBeLessThan(100);
    expect(messages.slice(-2)).toEqual(['last month', 'now']);
  });
});
