/**
 * `redis: managed` against the real redis-server: a private server on a unix socket in the data
 * folder, with the settings ringback relies on, shared by a second command, stopped on exit, and
 * one line with the fix when it cannot start.
 */
import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { startManagedRedis, type ManagedRedis } from '../../src/daemon/managed-redis.js';
import { RunTimeError } from '../../src/errors.js';
import { openRedis } from '../../src/store/connection.js';

const cleanup: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const step of cleanup.splice(0).reverse()) await step();
});

async function dataDir(): Promise<string> {
  // Short, so that the socket path stays under the unix limit.
  const dir = await mkdtemp(join(tmpdir(), 'rb-mr-'));
  cleanup.push(() => rm(dir, { recursive: true, force: true }));
  return dir;
}

async function started(dir: string): Promise<ManagedRedis> {
  const redis = await startManagedRedis(dir);
  cleanup.push(() => redis.stop());
  return redis;
}

async function configOf(url: string, names: readonly string[]): Promise<Record<string, string>> {
  const client = openRedis(url);
  await client.connect();
  try {
    const out: Record<string, string> = {};
    for (const name of names) {
      const [, value] = (await client.config('GET', name)) as [string, string];
      out[name] = value;
    }
    return out;
  } finally {
    client.disconnect();
  }
}

describe('managed Redis', () => {
  it('runs on a private socket in the data folder, with AOF, noeviction, hz 100 and compact hashes', async () => {
    const dir = await dataDir();
    const redis = await started(dir);
    expect(redis.owned).toBe(true);
    const socket = join(dir, 'redis', 'redis.sock');
    expect(redis.url).toBe(`unix://${socket}`);
    expect((await stat(socket)).mode & 0o777).toBe(0o700);
    expect((await stat(join(dir, 'redis'))).mode & 0o777).toBe(0o700);
    const config = await configOf(redis.url, ['appendonly', 'appendfsync', 'maxmemory-policy', 'hz', 'hash-max-ziplist-value', 'port']);
    expect(config).toEqual({
      appendonly: 'yes',
      appendfsync: 'everysec',
      'maxmemory-policy': 'noeviction',
      hz: '100',
      'hash-max-ziplist-value': '256',
      port: '0',
    });
  });

  it('is shared by a second command, which leaves it running when it ends; the first one stops it', async () => {
    const dir = await dataDir();
    const first = await started(dir);
    const second = await startManagedRedis(dir);
    expect(second).toMatchObject({ url: first.url, owned: false });
    await second.stop();
    expect(await configOf(first.url, ['appendonly'])).toEqual({ appendonly: 'yes' });

    await first.stop();
    const client = openRedis(first.url);
    client.on('error', () => undefined); // the refusal is what this checks
    await expect(client.connect()).rejects.toThrow();
    client.disconnect();
  });

  it('keeps what it was given across a stop and a start (AOF)', async () => {
    const dir = await dataDir();
    const first = await startManagedRedis(dir);
    const writer = openRedis(first.url);
    await writer.connect();
    await writer.set('ringback-test:kept', 'yes');
    writer.disconnect();
    await first.stop();

    const again = await started(dir);
    const reader = openRedis(again.url);
    await reader.connect();
    expect(await reader.get('ringback-test:kept')).toBe('yes');
    reader.disconnect();
  });

  it('says how to install redis-server when it is missing', async () => {
    const dir = await dataDir();
    const failure = startManagedRedis(dir, { binary: join(dir, 'no-such-redis-server') });
    await expect(failure).rejects.toBeInstanceOf(RunTimeError);
    await expect(failure).rejects.toThrow(/redis-server is not installed: install it .*REDIS_URL/);
  });

  it('refuses a data folder whose socket path would be too long, naming the setting', async () => {
    const dir = join(await dataDir(), 'x'.repeat(120));
    await expect(startManagedRedis(dir)).rejects.toThrow(/too long for a Redis socket .*dataDir/);
  });
});
