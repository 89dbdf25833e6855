/**
 * Redis stopped under a running daemon, for real (SIGKILL, then started again on the same port):
 * one line when it goes, one when it is back (with the outage in the audit), no "worker error" or
 * "job failed" line per attempt, no unhandled rejection or ioredis stack trace; a maxmemory-policy
 * changed while running, and a password lost with Redis's data, are said at once.
 */
import { Writable } from 'node:stream';
import pino from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { daemonHealth, startDaemon, type Daemon } from '../../src/daemon/daemon.js';
import { startTestRedis, type TestRedis } from '../support/redis-server.js';
import { MINUTE, interviewEvent, startEngineHarness, type EngineHarness } from '../support/engine-harness.js';

let h: EngineHarness | null = null;
let redis: TestRedis | null = null;
let daemon: Daemon | null = null;
afterEach(async () => {
  await daemon?.stop();
  daemon = null;
  await h?.stop();
  h = null;
  await redis?.stop();
  redis = null;
});

async function until(what: string, ok: () => boolean, timeoutMs = 20_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!ok()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe('Redis outage under a running daemon', () => {
  it('says it once when Redis goes and once when it is back, and nothing per job', async () => {
    redis = await startTestRedis();
    h = await startEngineHarness({ extra: { redis: redis.url } });
    // Work in flight during the outage: an interview whose confirmation is written at once.
    await h.setEvents([interviewEvent({ uid: 'o1', start: Math.floor((h.now() + 3 * 60 * MINUTE) / 1000) * 1000 })]);
    const logged: string[] = [];
    const log = pino({ level: 'debug' }, new Writable({ write: (chunk: Buffer, _e, done) => (logged.push(chunk.toString()), done()) }));
    const engine = { ...h.engine, log };
    const said: string[] = [];
    const unhandled: unknown[] = [];
    const onUnhandled = (reason: unknown) => unhandled.push(reason);
    process.on('unhandledRejection', onUnhandled);
    const consoleErrors: string[] = [];
    const originalError = console.error;
    console.error = (...args: unknown[]) => consoleErrors.push(args.map(String).join(' '));
    try {
      const health = daemonHealth(h.runtime, engine, (line) => said.push(line));
      daemon = await startDaemon(h.runtime, engine, { health, reconcileEveryMs: 2_000 });
      await h.sync();
      await h.waitForAudit((r) => r.type === 'drafted');

      await redis.kill();
      await until('the outage line', () => said.some((l) => l.includes('Redis is unreachable since')));
      // Let the workers, the reconciler and ioredis retry for a while.
      await new Promise((r) => setTimeout(r, 6_000));
      await redis.restart();
      await until('the recovery line', () => said.some((l) => l.includes('Redis is unreachable from')));
      const back = await h.waitForAudit((r) => r.type === 'error' && r.message.startsWith('Redis is unreachable from'));
      expect(back.message).toMatch(/\(\d+ s, ECONNREFUSED, \d+ failed attempts?\); work resumed$/);

      expect(said.filter((l) => l.includes('Redis is unreachable'))).toHaveLength(2);
      expect(said[0]).toMatch(/^ringback: Redis is unreachable since \d{4}-\d\d-\d\d \d\d:\d\d:\d\d UTC \(ECONNREFUSED\): ringback retries on its own/);
      expect(logged.filter((l) => /worker error|job failed; it will be retried/.test(l))).toEqual([]);
      expect(unhandled).toEqual([]);
      expect(consoleErrors.filter((l) => l.includes('ioredis'))).toEqual([]);

      // A policy changed while running is noticed within the check interval, without a reconnection.
      await h.runtime.redis.config('SET', 'maxmemory-policy', 'allkeys-lru');
      h.runtime.redis.disconnect(true); // reconnects: the check runs on "ready"
      await until('the policy line', () => said.some((l) => l.includes('maxmemory-policy is "allkeys-lru"')));
      await h.runtime.redis.config('SET', 'maxmemory-policy', 'noeviction');
    } finally {
      console.error = originalError;
      process.off('unhandledRejection', onUnhandled);
    }
  }, 60_000);

  it('reports at once a stored password that Redis lost, with the command to reconnect', async () => {
    redis = await startTestRedis();
    h = await startEngineHarness({ extra: { redis: redis.url }, secrets: { mail: { smtpPassword: 'relay-pass' } } });
    const said: string[] = [];
    const health = daemonHealth(h.runtime, h.engine, (line) => said.push(line));
    daemon = await startDaemon(h.runtime, h.engine, { health });
    // Redis comes back empty: what a restart without its data (no AOF, a new volume) does.
    await h.runtime.redis.flushall();
    h.runtime.redis.disconnect(true);
    await until('the lost-password line', () => said.some((l) => l.includes('stored password of mail is gone')));
    expect(said.find((l) => l.includes('stored password'))).toContain('run "ringback connect maildir" again');
  }, 30_000);
});
