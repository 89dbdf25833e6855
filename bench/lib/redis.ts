/**
 * A private redis-server per benchmark (temp folder, AOF on, noeviction: see
 * test/support/redis-server.ts), and what Redis says about the work done on it.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { startManagedRedis } from '../../src/daemon/managed-redis.js';
import { openRedis } from '../../src/store/connection.js';
import { startTestRedis } from '../../test/support/redis-server.js';
import type { ScenarioContext } from './figures.js';

/**
 * `unix`: the product's default, `redis: managed` (startManagedRedis: a unix socket in a temp
 * data folder, AOF on). `tcp`: a redis-server on a local port (test/support/redis-server.ts), as
 * with `redis: redis://…`.
 */
export type RedisTransport = 'unix' | 'tcp';

export interface BenchRedis {
  readonly url: string;
  readonly transport: RedisTransport;
  /** A plain connection for the benchmark's own questions (INFO, SLOWLOG); not the engine's. */
  readonly admin: Redis;
  usedMemory(): Promise<number>;
  /** CPU seconds Redis has used since it started (`used_cpu_user + used_cpu_sys` of INFO cpu). */
  cpuSeconds(): Promise<number>;
  /** Resets command stats and the slow log, so that the next {@link profile} covers one phase. */
  resetStats(): Promise<void>;
  /** The commands that took the most time since the last reset, and the slow log. */
  profile(top?: number): Promise<RedisProfile>;
  stop(): Promise<void>;
}

export interface CommandStat {
  readonly command: string;
  readonly calls: number;
  readonly usec: number;
  readonly usecPerCall: number;
}

export interface RedisProfile {
  readonly totalCalls: number;
  readonly totalUsec: number;
  readonly top: readonly CommandStat[];
  /** Slow log entries (over 10 ms), newest first: command name and microseconds. */
  readonly slowlog: readonly { command: string; usec: number }[];
}

export async function startBenchRedis(transport: RedisTransport, options: { config?: Readonly<Record<string, string>> } = {}): Promise<BenchRedis> {
  let url: string;
  let stopServer: () => Promise<void>;
  if (transport === 'tcp') {
    const server = await startTestRedis();
    url = server.url;
    stopServer = () => server.stop();
  } else {
    const dir = await mkdtemp(join(tmpdir(), 'rb-redis-'));
    const managed = await startManagedRedis(dir);
    url = managed.url;
    stopServer = async () => {
      await managed.stop();
      await rm(dir, { recursive: true, force: true });
    };
  }
  const admin = openRedis(url);
  await admin.connect();
  await admin.config('SET', 'slowlog-log-slower-than', '10000');
  // What-if runs (bench/README.md): `hz` bounds how late a delayed job can start, since Redis
  // checks blocked clients' timeouts hz times a second; `hash-max-listpack-value` decides whether
  // job hashes are stored compactly.
  for (const [name, value] of Object.entries(options.config ?? {})) await admin.config('SET', name, value);
  return {
    url,
    transport,
    admin,
    async usedMemory() {
      const info = await admin.info('memory');
      const line = info.split(/\r?\n/).find((l) => l.startsWith('used_memory:'));
      return Number(line?.slice('used_memory:'.length) ?? Number.NaN);
    },
    async cpuSeconds() {
      return await redisCpuSeconds(admin);
    },
    async resetStats() {
      await admin.config('RESETSTAT');
      await admin.slowlog('RESET');
    },
    async profile(top = 6) {
      const info = await admin.info('commandstats');
      const stats: CommandStat[] = [];
      for (const line of info.split(/\r?\n/)) {
        const m = /^cmdstat_([^:]+):calls=(\d+),usec=(\d+)/.exec(line);
        if (!m) continue;
        const calls = Number(m[2]);
        const usec = Number(m[3]);
        // The benchmark's own INFO/CONFIG calls are not the engine's work.
        if (['info', 'config', 'slowlog'].includes(m[1] as string)) continue;
        stats.push({ command: m[1] as string, calls, usec, usecPerCall: calls > 0 ? Math.round((usec / calls) * 10) / 10 : 0 });
      }
      stats.sort((a, b) => b.usec - a.usec);
      const slow = (await admin.slowlog('GET', 10)) as unknown[];
      const slowlog = slow.map((entry) => {
        const e = entry as [number, number, number, string[]];
        return { command: (e[3] ?? []).slice(0, 2).join(' '), usec: e[2] };
      });
      return {
        totalCalls: stats.reduce((n, s) => n + s.calls, 0),
        totalUsec: stats.reduce((n, s) => n + s.usec, 0),
        top: stats.slice(0, top),
        slowlog,
      };
    },
    async stop() {
      admin.disconnect();
      await stopServer();
    },
  };
}

/** CPU seconds a Redis has used since it started (user + system), from INFO cpu. */
async function redisCpuSeconds(admin: { info(section: string): Promise<string> }): Promise<number> {
  const text = await admin.info('cpu');
  const field = (name: string) => Number(new RegExp(`^${name}:([\\d.]+)`, 'm').exec(text)?.[1] ?? Number.NaN);
  return field('used_cpu_sys') + field('used_cpu_user');
}

/** One line per command: "evalsha 12,000 calls 35 µs/call". */
export function describeProfile(profile: RedisProfile): string {
  const top = profile.top.map((s) => `${s.command} ${s.calls} calls ${s.usecPerCall} µs/call`).join('; ');
  return `${profile.totalCalls} Redis calls, ${(profile.totalUsec / 1000).toFixed(0)} ms inside Redis (${top})`;
}

/** The benchmark's Redis as the run asked for it (`--redis`, `--redis-hz`). */
export async function startRedisFor(context: ScenarioContext): Promise<BenchRedis> {
  return await startBenchRedis(context.redis, context.redisConfig ? { config: context.redisConfig } : {});
}

/**
 * Where Redis memory goes, by kind of key: every key (SCAN) with its MEMORY USAGE, grouped by the
 * key with its ids replaced by `*` (`{bench}:iv:*:actions`, `{bench}:actions:*`). Largest first.
 */
export async function memoryByKeyKind(admin: Redis): Promise<{ kind: string; keys: number; bytes: number }[]> {
  const groups = new Map<string, { keys: number; bytes: number }>();
  let cursor = '0';
  do {
    const [next, keys] = await admin.scan(cursor, 'COUNT', 1000);
    cursor = next;
    const pipeline = admin.pipeline();
    for (const k of keys) pipeline.memory('USAGE', k, 'SAMPLES', '0');
    const sizes = (await pipeline.exec()) ?? [];
    keys.forEach((k, i) => {
      const kind = k.replace(/:iv[0-9a-f]{10}(?=:|\.|$)/g, ':iv*').replace(/:(iv[0-9a-f]{10})\.[a-z-]+\.r\d+$/, ':<job>').replace(/:\d+$/, ':<n>');
      const entry = groups.get(kind) ?? { keys: 0, bytes: 0 };
      entry.keys += 1;
      entry.bytes += Number(sizes[i]?.[1] ?? 0);
      groups.set(kind, entry);
    });
  } while (cursor !== '0');
  return [...groups.entries()].map(([kind, v]) => ({ kind, ...v })).sort((a, b) => b.bytes - a.bytes);
}
