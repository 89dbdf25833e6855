/**
 * `redis: managed`: ringback runs its own private `redis-server` on a unix socket in the data
 * folder, with AOF on and `noeviction`, and stops it on exit. A second ringback command (say,
 * `ringback interviews` while `ringback start` runs) finds the socket answering and shares it.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdir, rm, stat } from 'node:fs/promises';
import { connect } from 'node:net';
import { join } from 'node:path';
import { RunTimeError } from '../errors.js';

export interface ManagedRedis {
  /** `unix:` URL of the socket. */
  readonly url: string;
  /** Whether this process started it (and so stops it). */
  readonly owned: boolean;
  stop(): Promise<void>;
}

const INSTALL_HINT =
  'redis-server is not installed: install it (Debian/Ubuntu: sudo apt-get install redis-server; macOS: brew install redis), ' +
  'or point ringback at a running Redis with REDIS_URL or "redis: redis://host:6379" in ringback.yaml';

function answers(socketPath: string): Promise<boolean> {
  return new Promise((resolve) => {
    const s = connect(socketPath);
    s.once('connect', () => {
      s.end();
      resolve(true);
    });
    s.once('error', () => resolve(false));
  });
}

async function exists(path: string): Promise<boolean> {
  try {
    await stat(path);
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return false;
    throw error;
  }
}

export async function startManagedRedis(dataDir: string, options: { binary?: string } = {}): Promise<ManagedRedis> {
  const dir = join(dataDir, 'redis');
  await mkdir(dir, { recursive: true, mode: 0o700 });
  const socket = join(dir, 'redis.sock');
  // Unix socket paths are limited to 107 bytes on Linux (103 on macOS).
  if (Buffer.byteLength(socket) > 100) {
    throw new RunTimeError(`the data folder path is too long for a Redis socket (${socket}): set a shorter dataDir in ringback.yaml`);
  }
  const url = `unix://${socket}`;
  if (await answers(socket)) return { url, owned: false, async stop() {} };
  if (await exists(socket)) await rm(socket, { force: true });

  const args = [
    '--port', '0',
    '--unixsocket', socket,
    '--unixsocketperm', '700',
    '--dir', dir,
    '--appendonly', 'yes',
    '--appendfsync', 'everysec',
    '--save', '',
    '--maxmemory-policy', 'noeviction',
    // Delayed jobs are promoted on Redis's timer: at the default 10 Hz they start up to 100 ms late.
    '--hz', '100',
    // A BullMQ job hash holds values of 70–190 bytes: above the default 64, each hash becomes a
    // full hash table (815 bytes a job); kept compact, an interview takes 30% less memory. The
    // ziplist name is the one Redis 6.2 knows; Redis 7 reads it as hash-max-listpack-value.
    '--hash-max-ziplist-value', '256',
    '--daemonize', 'no',
    '--logfile', join(dir, 'redis.log'),
  ];
  const child: ChildProcess = spawn(options.binary ?? 'redis-server', args, { stdio: 'ignore', detached: false });
  const failed = new Promise<never>((_, reject) => {
    child.once('error', (error: NodeJS.ErrnoException) => {
      reject(new RunTimeError(error.code === 'ENOENT' ? INSTALL_HINT : `could not start redis-server: ${error.message}`));
    });
    child.once('exit', (code) => reject(new RunTimeError(`redis-server exited at start (code ${code}); see ${join(dir, 'redis.log')}`)));
  });
  const ready = (async () => {
    const until = Date.now() + 15_000;
    while (Date.now() < until) {
      if (await answers(socket)) return;
      await new Promise((r) => setTimeout(r, 50));
    }
    throw new RunTimeError(`redis-server did not open its socket within 15 s; see ${join(dir, 'redis.log')}`);
  })();
  try {
    await Promise.race([ready, failed]);
  } catch (error) {
    child.kill('SIGKILL');
    throw error;
  }
  failed.catch(() => undefined); // Its later exit is expected once we stop it.
  return {
    url,
    owned: true,
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
      await exited;
      clearTimeout(timer);
    },
  };
}
