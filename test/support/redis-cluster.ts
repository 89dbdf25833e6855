/**
 * A real Redis Cluster for tests: three `redis-server --cluster-enabled yes` primaries in a temp
 * folder, joined by `redis-cli --cluster create`, ready once every node says `cluster_state:ok`.
 * No replicas and no persistence: the tests ask whether every key and script stays in one slot,
 * not how a cluster survives a failover.
 */
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { Redis } from 'ioredis';

const run = promisify(execFile);

export interface TestCluster {
  /** As a user writes it in `redis:` or REDIS_URL. */
  readonly url: string;
  readonly ports: readonly number[];
  stop(): Promise<void>;
}

/** Null when the cluster tests can run here, else why not (for the skip message). */
export async function clusterUnsupported(): Promise<string | null> {
  let version: string;
  try {
    version = (await run('redis-server', ['--version'])).stdout;
  } catch {
    return 'redis-server is not installed (Debian/Ubuntu: apt-get install redis-server)';
  }
  try {
    await run('redis-cli', ['--version']);
  } catch {
    return 'redis-cli is not installed (Debian/Ubuntu: apt-get install redis-tools)';
  }
  // `redis-cli --cluster create` came with Redis 5.
  const major = Number(/v=(\d+)\./.exec(version)?.[1] ?? 0);
  if (major < 5) return `redis-server ${version.trim()} is older than 5.0 and cannot create a cluster with redis-cli`;
  return null;
}

async function portFree(port: number): Promise<boolean> {
  return await new Promise((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(false));
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
  });
}

/**
 * A port whose cluster bus port (port + 10000) is free too. Ephemeral ports (from 32768) would put
 * the bus port past 65535, so the draw is from 20000–29999.
 */
async function freeClusterPort(taken: Set<number>): Promise<number> {
  for (let attempt = 0; attempt < 200; attempt++) {
    const port = 20_000 + Math.floor(Math.random() * 10_000);
    if (taken.has(port)) continue;
    if ((await portFree(port)) && (await portFree(port + 10_000))) return port;
  }
  throw new Error('no free port pair (port and port + 10000) for a cluster node');
}

async function waitFor(what: string, deadlineMs: number, check: () => Promise<boolean>): Promise<void> {
  const until = Date.now() + deadlineMs;
  for (;;) {
    if (await check().catch(() => false)) return;
    if (Date.now() > until) throw new Error(`${what} within ${deadlineMs} ms`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

export async function startTestCluster(options: { nodes?: number } = {}): Promise<TestCluster> {
  const count = options.nodes ?? 3;
  const dir = await mkdtemp(join(tmpdir(), 'ringback-cluster-'));
  const taken = new Set<number>();
  const children: ChildProcess[] = [];
  const ports: number[] = [];
  const admins: Redis[] = [];

  const stop = async (): Promise<void> => {
    for (const admin of admins) admin.disconnect();
    await Promise.all(
      children.map(async (child) => {
        if (child.exitCode !== null || child.signalCode !== null) return;
        const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
        child.kill('SIGTERM');
        await exited;
      }),
    );
    await rm(dir, { recursive: true, force: true });
  };

  try {
    for (let i = 0; i < count; i++) {
      const port = await freeClusterPort(taken);
      taken.add(port);
      // Each node keeps its own nodes.conf, so each gets a folder of its own.
      const nodeDir = join(dir, String(port));
      await mkdir(nodeDir);
      const child = spawn(
        'redis-server',
        [
          '--port', String(port),
          '--bind', '127.0.0.1',
          '--cluster-enabled', 'yes',
          '--cluster-config-file', 'nodes.conf',
          '--dir', nodeDir,
          '--save', '',
          '--appendonly', 'no',
          // ringback refuses a Redis that may evict (src/store/connection.ts).
          '--maxmemory-policy', 'noeviction',
          '--daemonize', 'no',
          '--logfile', join(nodeDir, 'redis.log'),
        ],
        { stdio: 'ignore' },
      );
      children.push(child);
      ports.push(port);
      const admin = new Redis({ port, host: '127.0.0.1', lazyConnect: true, maxRetriesPerRequest: 1, retryStrategy: () => 100 });
      admin.on('error', () => undefined); // refused until the node listens
      admins.push(admin);
    }
    await Promise.all(
      admins.map((admin, i) =>
        waitFor(`cluster node ${ports[i]} did not answer PING (see its redis.log)`, 10_000, async () => (await admin.ping()) === 'PONG'),
      ),
    );
    await run(
      'redis-cli',
      ['--cluster', 'create', ...ports.map((p) => `127.0.0.1:${p}`), '--cluster-replicas', '0', '--cluster-yes'],
      { timeout: 30_000 },
    );
    await Promise.all(
      admins.map((admin, i) =>
        waitFor(`cluster node ${ports[i]} did not report cluster_state:ok`, 20_000, async () =>
          (await admin.cluster('INFO')).includes('cluster_state:ok'),
        ),
      ),
    );
  } catch (error) {
    await stop();
    throw error;
  }
  return {
    url: `redis+cluster://${ports.map((p) => `127.0.0.1:${p}`).join(',')}`,
    ports,
    stop,
  };
}
