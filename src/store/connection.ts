/**
 * Opening Redis and checking that it can be trusted with the queue (DESIGN.md, Redis):
 * version ≥ 6.2 and `maxmemory-policy noeviction` are required; AOF off is a warning.
 *
 * A `redis+cluster://` URL opens a Redis Cluster client instead (config/cluster-url.ts). Every
 * key of one installation carries the `{prefix}` hash tag (src/store/store.ts, bullPrefix in
 * src/queue/queues.ts), so all of them live in one slot and the multi-key scripts of the store and
 * of BullMQ run there unchanged; the checks below then ask every primary node.
 */
import { Cluster, Redis } from 'ioredis';
import { BadInputError, RunTimeError } from '../errors.js';
import { describeClusterUrl, isClusterUrl, parseClusterUrl } from '../../config/cluster-url.js';

/** A single Redis or a Redis Cluster: both take the same commands. */
export type RedisConnection = Redis | Cluster;

export interface RedisCheck {
  readonly version: string;
  readonly aof: boolean;
  readonly warnings: readonly string[];
}

/** Hides a password in a redis:// URL for messages. */
export function describeRedisUrl(url: string): string {
  if (isClusterUrl(url)) {
    const cluster = parseClusterUrl(url);
    return typeof cluster === 'string' ? 'a redis+cluster:// URL' : describeClusterUrl(cluster);
  }
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = '***';
    return parsed.toString();
  } catch {
    // Not a URL at all (a unix path): nothing secret in it.
    return url;
  }
}

const connectionDefaults = (options: { forWorkers?: boolean }) => ({
  // BullMQ workers block on Redis and must not give up on a command while it reconnects.
  maxRetriesPerRequest: options.forWorkers ? null : 3,
  enableReadyCheck: true,
  lazyConnect: true,
});

/**
 * What ringback's own connections use: a Redis Cluster client for a `redis+cluster://` URL, else
 * {@link openRedis}.
 */
export function openRedisConnection(url: string, options: { forWorkers?: boolean } = {}): RedisConnection {
  if (!isClusterUrl(url)) return openRedis(url, options);
  const cluster = parseClusterUrl(url);
  if (typeof cluster === 'string') throw new BadInputError(`redis: ${cluster}`);
  const { lazyConnect, enableReadyCheck, ...perNode } = connectionDefaults(options);
  return new Cluster(
    cluster.nodes.map((n) => ({ host: n.host, port: n.port })),
    {
      lazyConnect,
      enableReadyCheck,
      redisOptions: {
        ...perNode,
        ...(cluster.username !== undefined ? { username: cluster.username } : {}),
        ...(cluster.password !== undefined ? { password: cluster.password } : {}),
        ...(cluster.tls ? { tls: {} } : {}),
      },
      // Managed clusters over TLS (ElastiCache, MemoryDB) answer with node names their
      // certificates are issued for; resolving them to addresses would fail the TLS check.
      ...(cluster.tls ? { dnsLookup: (address: string, callback: (error: null, address: string) => void) => callback(null, address) } : {}),
    },
  );
}

/** One Redis server, by redis://, rediss:// or unix: URL (a socket path alone works too). */
export function openRedis(url: string, options: { forWorkers?: boolean } = {}): Redis {
  if (isClusterUrl(url)) throw new Error(`openRedis opens one server; ${describeRedisUrl(url)} needs openRedisConnection`);
  const common = connectionDefaults(options);
  if (url.startsWith('unix:') || url.startsWith('/')) {
    const path = url.replace(/^unix:(\/\/)?/, '');
    return new Redis({ ...common, path });
  }
  return new Redis(url, common);
}

/** Connects, or fails with one line saying how to get a Redis. */
export async function connectRedis(redis: RedisConnection, label: string): Promise<void> {
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
 * The servers behind a connection: itself, or each primary of a cluster. A cluster client sends a
 * command without a key to any node, so the checks and the run id must ask each one.
 */
export function redisServers(redis: RedisConnection): Redis[] {
  return redis instanceof Cluster ? redis.nodes('master') : [redis];
}

/**
 * Runs `issue`, which sends commands without awaiting them (and returns their promises), with the
 * connection's socket corked, so that the commands it sends leave in one socket write instead of
 * one write each. They are the same commands, sent in the same order on the same connection, and
 * answered one by one as before; only the system calls are fewer. A sync's poll sends about twelve
 * commands in four round trips, and each write of its own cost the process about 20 µs and woke
 * Redis once more (fleet benchmark, bench/README.md). A Cluster client, or a connection not ready
 * (its commands wait in ioredis' offline queue), sends as usual.
 */
export function sendTogether<T>(redis: RedisConnection, issue: () => T): T {
  const socket = redis instanceof Redis && redis.status === 'ready' ? redis.stream : undefined;
  socket?.cork();
  try {
    return issue();
  } finally {
    socket?.uncork();
  }
}

/**
 * The `run_id` Redis draws at each start. A new one means the server restarted, and may have come
 * back without its last writes: `appendfsync everysec` keeps about a second unwritten to disk.
 * For a cluster, the run ids of its primaries in a fixed order: any of them restarting (or a
 * replica taking over) changes it.
 */
export async function redisRunId(redis: RedisConnection): Promise<string> {
  const ids = await Promise.all(redisServers(redis).map(async (node) => infoField(await node.info('server'), 'run_id') ?? ''));
  return ids.sort().join(',');
}

/**
 * The Lua expression a script reads the run id of the Redis it runs on with (nil when `INFO`
 * gives none): what {@link redisRunId} reads for one server, used by the scripts that begin and
 * end a sync (src/store/accounts.ts, src/store/sync-commit.ts) so that both read it alike.
 */
export const LUA_RUN_ID = `string.match(redis.call('INFO', 'server'), 'run_id:(%x+)')`;

/**
 * Whether Redis is still the server a sync began on: `started` is what {@link redisRunId} gave
 * then, or the run id of the one node that holds the installation's keys, read inside a script
 * (the sync lease's step, src/store/accounts.ts); `now` is what redisRunId gives now. For one
 * Redis both are its run id. For a cluster, a list read at the start must be the same list, and
 * one node's id must still be among the primaries' (a restart or a replica taking over gives that
 * node a new one), as the sync's last step checks it (src/store/sync-commit.ts).
 */
export function sameRedisSince(started: string, now: string): boolean {
  if (started === now) return true;
  return started !== '' && !started.includes(',') && now.split(',').includes(started);
}

export async function checkRedis(redis: RedisConnection): Promise<RedisCheck> {
  const checks = await Promise.all(redisServers(redis).map(checkServer));
  const first = checks[0];
  if (!first) throw new RunTimeError('redis: the cluster has no primary node');
  // One line per problem, not one per node.
  return { version: first.version, aof: checks.every((c) => c.aof), warnings: [...new Set(checks.flatMap((c) => c.warnings))] };
}

async function checkServer(redis: Redis): Promise<RedisCheck> {
  const server = await redis.info('server');
  const version = infoField(server, 'redis_version') ?? '0';
  if (!versionAtLeast(version, [6, 2])) {
    throw new BadInputError(`redis: version ${version} is too old; ringback needs Redis 6.2 or newer`);
  }
  // INFO, not CONFIG GET: managed Redis services (ElastiCache, MemoryDB, Azure Cache) refuse CONFIG
  // but report the policy in INFO memory.
  const policy =
    infoField(await redis.info('memory'), 'maxmemory_policy') ?? ((await redis.config('GET', 'maxmemory-policy')) as string[])[1] ?? 'unknown';
  if (policy !== 'noeviction') {
    throw new BadInputError(
      `redis: maxmemory-policy is "${policy}"; ringback needs "noeviction" so that planned emails are never evicted ` +
        '(fix: redis-cli CONFIG SET maxmemory-policy noeviction, and set it in redis.conf, or in the parameter group of a managed Redis)',
    );
  }
  const persistence = await redis.info('persistence');
  const aof = infoField(persistence, 'aof_enabled') === '1';
  const warnings = aof
    ? []
    : ['Redis has AOF off: a Redis crash can lose recently planned emails (fix: CONFIG SET appendonly yes, or "redis: managed")'];
  return { version, aof, warnings };
}
