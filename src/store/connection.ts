/**
 * Opening Redis and checking that it can be trusted with the queue (DESIGN.md, Redis):
 * version ≥ 6.2 and `maxmemory-policy noeviction` are required; AOF off is a warning.
 */
import { Redis } from 'ioredis';
import { BadInputError, RunTimeError } from '../errors.js';

export interface RedisCheck {
  readonly version: string;
  readonly aof: boolean;
  readonly warnings: readonly string[];
}

/** Hides a password in a redis:// URL for messages. */
export function describeRedisUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = '***';
    return parsed.toString();
  } catch {
    // Not a URL at all (a unix path): nothing secret in it.
    return url;
  }
}

export function openRedis(url: string, options: { forWorkers?: boolean } = {}): Redis {
  const common = {
    // BullMQ workers block on Redis and must not give up on a command while it reconnects.
    maxRetriesPerRequest: options.forWorkers ? null : 3,
    enableReadyCheck: true,
    lazyConnect: true,
  };
  if (url.startsWith('unix:') || url.startsWith('/')) {
    const path = url.replace(/^unix:(\/\/)?/, '');
    return new Redis({ ...common, path });
  }
  return new Redis(url, common);
}

/** Connects, or fails with one line saying how to get a Redis. */
export async function connectRedis(redis: Redis, label: string): Promise<void> {
  try {
    await redis.connect();
  } catch (error) {
    redis.disconnect();
    const reason = error instanceof Error ? error.message : String(error);
    throw new RunTimeError(
      `cannot reach Redis at ${describeRedisUrl(label)} (${reason}): start one (Debian/Ubuntu: apt-get install redis-server; ` +
        'macOS: brew install redis; or docker compose up -d redis), set REDIS_URL, or use "redis: managed" in ringback.yaml',
    );
  }
}

function infoField(info: string, field: string): string | undefined {
  const line = info.split(/\r?\n/).find((l) => l.startsWith(`${field}:`));
  return line?.slice(field.length + 1).trim();
}

export function versionAtLeast(version: string, wanted: readonly number[]): boolean {
  const parts = version.split('.').map((p) => Number.parseInt(p, 10));
  for (let i = 0; i < wanted.length; i++) {
    const have = parts[i] ?? 0;
    const want = wanted[i] ?? 0;
    if (have !== want) return have > want;
  }
  return true;
}

/**
 * The `run_id` Redis draws at each start. A new one means the server restarted, and may have come
 * back without its last writes: `appendfsync everysec` keeps about a second unwritten to disk.
 */
export async function redisRunId(redis: Redis): Promise<string> {
  return infoField(await redis.info('server'), 'run_id') ?? '';
}

export async function checkRedis(redis: Redis): Promise<RedisCheck> {
  const server = await redis.info('server');
  const version = infoField(server, 'redis_version') ?? '0';
  if (!versionAtLeast(version, [6, 2])) {
    throw new BadInputError(`redis: version ${version} is too old; ringback needs Redis 6.2 or newer`);
  }
  const policy = ((await redis.config('GET', 'maxmemory-policy')) as string[])[1] ?? 'unknown';
  if (policy !== 'noeviction') {
    throw new BadInputError(
      `redis: maxmemory-policy is "${policy}"; ringback needs "noeviction" so that planned emails are never evicted ` +
        '(fix: redis-cli CONFIG SET maxmemory-policy noeviction, and set it in redis.conf)',
    );
  }
  const persistence = await redis.info('persistence');
  const aof = infoField(persistence, 'aof_enabled') === '1';
  const warnings = aof
    ? []
    : ['Redis has AOF off: a Redis crash can lose recently planned emails (fix: CONFIG SET appendonly yes, or "redis: managed")'];
  return { version, aof, warnings };
}
