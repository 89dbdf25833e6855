/** Commands sent together against a real Redis: one socket write, the same replies, in order. */
import type { Socket } from 'node:net';
import type { Redis } from 'ioredis';
import { describe, expect, inject, it } from 'vitest';
import { openRedisConnection, sendTogether } from '../../src/store/connection.js';
import { useTestStore } from '../support/store.js';

const t = useTestStore('send-together');

/** Counts the socket writes of the connection (a corked socket flushes its chunks with one `_writev`). */
function countWrites(socket: Socket): { writes: () => number; stop: () => void } {
  const target = socket as unknown as { _write: (...args: unknown[]) => void; _writev: (...args: unknown[]) => void };
  const write = target._write;
  const writev = target._writev;
  let writes = 0;
  target._write = function (this: unknown, ...args: unknown[]) {
    writes++;
    return write.apply(this, args);
  };
  target._writev = function (this: unknown, ...args: unknown[]) {
    writes++;
    return writev.apply(this, args);
  };
  return {
    writes: () => writes,
    stop() {
      target._write = write;
      target._writev = writev;
    },
  };
}

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

describe("ringback's own connections (openRedisConnection)", () => {
  const k = (name: string) => `{${t.store.prefix}}:coalesced:${name}`;

  it('write the commands of one turn of the event loop in one socket write, answered in order, and the next turn in another', async () => {
    const redis = openRedisConnection(inject('redisUrl')) as Redis;
    await redis.connect();
    const counting = countWrites(redis.stream as Socket);
    try {
      // A MULTI, an INFO and plain commands, issued in one turn: Redis runs them in the order sent.
      const tx = redis.multi().incr(k('n')).incr(k('n'));
      const replies = await Promise.all([redis.set(k('n'), '5'), tx.exec(), redis.info('server'), redis.get(k('n')), redis.incr(k('n'))]);
      expect(replies[0]).toBe('OK');
      expect(replies[1]).toEqual([
        [null, 6],
        [null, 7],
      ]);
      expect(replies[2]).toContain('redis_version');
      expect(replies.slice(3)).toEqual(['7', 8]);
      expect(counting.writes()).toBe(1);
      // Commands sent from the replies' continuations: one more write for all of them.
      await Promise.all([redis.get(k('n')).then(() => redis.del(k('n'))), redis.exists(k('n')).then(() => redis.exists(k('n')))]);
      expect(counting.writes()).toBe(3);
      expect((redis.stream as Socket).writableCorked).toBe(0);
      await new Promise((resolve) => setImmediate(resolve));
      expect(await redis.exists(k('n'))).toBe(0);
    } finally {
      counting.stop();
      redis.disconnect();
    }
  });

  it('still send the commands issued before the connection is ready, then coalesce after a reconnection', async () => {
    const redis = openRedisConnection(inject('redisUrl')) as Redis;
    try {
      // Not connected yet (lazyConnect): queued offline, sent once ready.
      const early = Promise.all([redis.set(k('early'), 'a'), redis.append(k('early'), 'b'), redis.get(k('early'))]);
      expect(await early).toEqual(['OK', 2, 'ab']);
      redis.disconnect(true);
      await new Promise<void>((resolve) => redis.once('ready', () => resolve()));
      const counting = countWrites(redis.stream as Socket);
      try {
        expect(await Promise.all([redis.get(k('early')), redis.del(k('early'))])).toEqual(['ab', 1]);
        expect(counting.writes()).toBe(1);
      } finally {
        counting.stop();
      }
    } finally {
      redis.disconnect();
    }
  });
});
