/** Commands sent together against a real Redis: one socket write, the same replies, in order. */
import type { Socket } from 'node:net';
import { describe, expect, it } from 'vitest';
import { sendTogether } from '../../src/store/connection.js';
import { countWrites } from '../support/round-trips.js';
import { useTestStore } from '../support/store.js';

const t = useTestStore('send-together');

describe('sendTogether', () => {
  it('sends the commands it issues in one socket write, each answered as when sent alone, in order', async () => {
    const k = (name: string) => `{${t.store.prefix}}:together:${name}`;
    const counting = countWrites(t.redis.stream as Socket);
    try {
      const replies = await sendTogether(t.redis, () =>
        Promise.all([t.redis.set(k('a'), '1'), t.redis.incr(k('a')), t.redis.get(k('a')), t.redis.hget(k('none'), 'f'), t.redis.del(k('a'))]),
      );
      expect(replies).toEqual(['OK', 2, '2', null, 1]);
      expect(counting.writes()).toBe(1);
      // Outside it, one write each, as before.
      await Promise.all([t.redis.set(k('b'), '1'), t.redis.del(k('b'))]);
      expect(counting.writes()).toBe(3);
    } finally {
      counting.stop();
    }
  });

  it('passes a failed command on to its caller and leaves the socket uncorked when the issuing throws', async () => {
    const k = `{${t.store.prefix}}:together:string`;
    await t.redis.set(k, 'text');
    const [wrong, right] = await sendTogether(t.redis, () => Promise.allSettled([t.redis.incr(k), t.redis.get(k)]));
    expect(wrong.status).toBe('rejected');
    expect(right).toEqual({ status: 'fulfilled', value: 'text' });
    expect(() => sendTogether(t.redis, () => {
      void t.redis.del(k);
      throw new Error('issuing failed');
    })).toThrow('issuing failed');
    expect((t.redis.stream as Socket).writableCorked).toBe(0);
    expect(await t.redis.exists(k)).toBe(0);
  });
});
