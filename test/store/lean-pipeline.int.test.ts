/** A pipeline without the connection's Lua commands, against a real Redis. */
import { describe, expect, it } from 'vitest';
import { leanMulti, leanPipeline } from '../../src/store/lean-pipeline.js';
import { useTestStore } from '../support/store.js';

const t = useTestStore('lean-pipeline');

describe('leanPipeline', () => {
  it('does not carry the Lua commands of the connection, and runs one by name as the connection would', async () => {
    const k = (name: string) => `{${t.store.prefix}}:lean:${name}`;
    t.redis.defineCommand('leanTestIncrBy', { numberOfKeys: 1, lua: "return redis.call('INCRBY', KEYS[1], ARGV[1])" });
    const defined = t.redis.scriptsSet;
    const ordinary = t.redis.pipeline() as unknown as Record<string, unknown>;
    expect(typeof ordinary.leanTestIncrBy).toBe('function');

    const { batch, runScript } = leanPipeline(t.redis);
    expect((batch as unknown as Record<string, unknown>).leanTestIncrBy).toBeUndefined();
    // The connection keeps its commands.
    expect(t.redis.scriptsSet).toBe(defined);
    expect(Object.keys(t.redis.scriptsSet)).toContain('leanTestIncrBy');

    batch.set(k('n'), '1');
    runScript('leanTestIncrBy', [k('n'), 4]);
    batch.multi();
    runScript('leanTestIncrBy', [[k('n'), 10]]);
    batch.get(k('n'));
    void batch.exec();
    const replies = await batch.exec();
    expect(replies?.map(([error]) => error)).toEqual(replies?.map(() => null));
    // SET, the script, MULTI, two QUEUED, EXEC: [15, '15'].
    expect(replies?.map(([, reply]) => reply)).toEqual(['OK', 5, 'OK', 'QUEUED', 'QUEUED', [15, '15']]);
    expect(await t.redis.get(k('n'))).toBe('15');
    await t.redis.del(k('n'));
  });

  it('lets go of its commands once its replies are in, and leaves those replies and the connection as they were', async () => {
    const k = `{${t.store.prefix}}:lean:released`;
    const { batch, release } = leanPipeline(t.redis);
    batch.set(k, 'a');
    batch.multi();
    batch.append(k, 'b');
    batch.get(k);
    void batch.exec();
    const replies = await batch.exec();
    expect(batch.length).toBe(5);
    release();
    expect(batch.length).toBe(0);
    expect(replies).toEqual([
      [null, 'OK'],
      [null, 'OK'],
      [null, 'QUEUED'],
      [null, 'QUEUED'],
      [null, [2, 'ab']],
    ]);
    expect(await t.redis.get(k)).toBe('ab');
    // The connection's next batch runs as any other.
    const next = leanPipeline(t.redis);
    next.batch.del(k);
    expect(await next.batch.exec()).toEqual([[null, 1]]);
  });

  it('refuses a Lua command the connection does not have, before anything is sent', () => {
    const { batch, runScript } = leanPipeline(t.redis);
    expect(() => runScript('noSuchLeanCommand', [])).toThrow(/noSuchLeanCommand/);
    expect(() => runScript('pipeline', [])).toThrow(/pipeline/);
    expect(batch.length).toBe(0);
  });
});

describe('leanMulti', () => {
  it('is a transaction without the Lua commands of the connection: replies of its commands in order, the connection keeping its commands', async () => {
    const k = (name: string) => `{${t.store.prefix}}:lean-multi:${name}`;
    t.redis.defineCommand('leanMultiTestIncrBy', { numberOfKeys: 1, lua: "return redis.call('INCRBY', KEYS[1], ARGV[1])" });
    const defined = t.redis.scriptsSet;

    const tx = leanMulti(t.redis);
    expect((tx as unknown as Record<string, unknown>).leanMultiTestIncrBy).toBeUndefined();
    expect(t.redis.scriptsSet).toBe(defined);
    expect(Object.keys(t.redis.scriptsSet)).toContain('leanMultiTestIncrBy');

    await t.redis.set(k('taken'), 'before');
    tx.set(k('taken'), 'after', 'NX').set(k('free'), 'new', 'NX').incrby(k('n'), 3);
    const replies = await tx.exec();
    expect(replies).toEqual([
      [null, null],
      [null, 'OK'],
      [null, 3],
    ]);
    expect(await t.redis.mget(k('taken'), k('free'))).toEqual(['before', 'new']);
    // Still a transaction: a command that fails when queued discards all of it.
    const broken = leanMulti(t.redis);
    broken.set(k('free'), 'lost').call('NO-SUCH-COMMAND');
    await expect(broken.exec()).rejects.toThrow(/EXECABORT/);
    expect(await t.redis.get(k('free'))).toBe('new');
    await t.redis.del(k('taken'), k('free'), k('n'));
  });
});
