/**
 * docker-compose.yml against what ringback's config and its image expect: Redis as ringback
 * requires it, an environment ringback reads, every path it writes on a volume the node user
 * owns, the dashboard published on the host's 127.0.0.1 only, a healthcheck on the port the
 * dashboard listens on. The image's side (ENV, EXPOSE, the folders given to node) is read from
 * the Dockerfile itself.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { NUMBER_BOUNDS, parseRedisSetting } from '../../config/schema.js';
import { defaultDataDir } from '../../config/paths.js';
import { durationMs, environmentOf, interpolate, mountsOf, portsOf, readCompose, type ComposeFile, type Service } from './compose.js';
import { dockerInstructions } from './image-layout.js';

const REPO = path.join(import.meta.dirname, '..', '..');
/** The environment variables ringback reads (README, Configuration), and TZ. */
const KNOWN_ENV = new Set(['REDIS_URL', 'RINGBACK_CONFIG', 'RINGBACK_SECRET_KEY', 'XDG_DATA_HOME', 'TZ']);

interface ImageFacts {
  readonly env: Record<string, string>;
  readonly exposed: number[];
  readonly nodeOwned: string[];
  readonly user: string | null;
}

async function imageFacts(): Promise<ImageFacts> {
  const env: Record<string, string> = {};
  const exposed: number[] = [];
  const nodeOwned: string[] = [];
  let user: string | null = null;
  for (const { keyword, args } of dockerInstructions(await readFile(path.join(REPO, 'Dockerfile'), 'utf8'))) {
    if (keyword === 'ENV') for (const pair of args.split(/\s+/)) env[pair.slice(0, pair.indexOf('='))] = pair.slice(pair.indexOf('=') + 1);
    if (keyword === 'EXPOSE') exposed.push(...args.split(/\s+/).map(Number));
    if (keyword === 'USER') user = args;
    if (keyword === 'RUN') {
      for (const command of args.split('&&').map((c) => c.trim().split(/\s+/))) {
        if (command[0] !== 'chown') continue;
        const rest = command[1] === '-R' ? command.slice(2) : command.slice(1);
        if (rest[0]?.split(':')[0] === 'node') nodeOwned.push(...rest.slice(1));
      }
    }
  }
  return { env, exposed, nodeOwned, user };
}

/** Whether `p` lies in the folder `dir` (or is it). */
function inside(p: string, dir: string): boolean {
  const rel = path.posix.relative(dir, p);
  return !rel.startsWith('..') && !path.posix.isAbsolute(rel);
}

describe('docker-compose.yml', () => {
  let compose: ComposeFile;
  let ringback: Service;
  let image: ImageFacts;
  let env: Record<string, string>;

  beforeAll(async () => {
    compose = await readCompose(REPO);
    ringback = compose.services.ringback ?? {};
    image = await imageFacts();
    // What the container sees: the image's ENV, then the service's.
    env = { ...image.env, ...environmentOf(ringback, { RINGBACK_SECRET_KEY: 'ab'.repeat(32) }) };
  });

  it('starts with no variable set on the host: the secret key has a home in the data volume', () => {
    expect(() => environmentOf(ringback, {})).not.toThrow();
  });

  it('runs Redis as ringback requires it, and ringback once Redis is healthy', () => {
    const redis = compose.services.redis ?? {};
    const command = (redis.command ?? []) as string[];
    const flag = (name: string) => command[command.indexOf(name) + 1];
    expect(flag('--maxmemory-policy'), 'ringback refuses to start without noeviction').toBe('noeviction');
    expect(flag('--appendonly')).toBe('yes');
    expect(redis.healthcheck).toBeDefined();
    expect(ringback.build).toBe('.');
    expect(ringback.depends_on).toEqual({ redis: { condition: 'service_healthy' } });
  });

  it('gives ringback only variables it reads, a Redis URL it accepts, and no key written in the file', () => {
    for (const name of Object.keys(env)) expect(KNOWN_ENV.has(name), name).toBe(true);
    const redisUrl = env.REDIS_URL ?? '';
    expect(parseRedisSetting(redisUrl, { allowPassword: true })).toEqual({ mode: 'url', url: redisUrl });
    expect(Object.keys(compose.services)).toContain(new URL(redisUrl).hostname);
    // The key, when given, comes from the host's environment: never a value in this file.
    const raw = (ringback.environment as Record<string, string>).RINGBACK_SECRET_KEY;
    if (raw !== undefined) {
      expect(raw).toMatch(/^\$\{RINGBACK_SECRET_KEY(:?[-?][^}]*)?\}$/);
      expect(interpolate(raw, { RINGBACK_SECRET_KEY: 'ab'.repeat(32) })).toBe('ab'.repeat(32));
    }
  });

  it('keeps the config, the data folder (secret key) and the Maildir on volumes the node user owns', () => {
    expect(image.user).toBe('node');
    const mounts = mountsOf(ringback);
    const mountFor = (p: string) => mounts.find((m) => inside(p, m.target));
    const config = env.RINGBACK_CONFIG ?? '';
    const dataDir = defaultDataDir({ platform: 'linux', env, homedir: '/home/node' });
    const keyFile = path.posix.join(dataDir, 'secret.key');
    for (const [what, p] of [['config folder', path.posix.dirname(config)], ['secret key file', keyFile], ['Maildir', '/mail']] as const) {
      const mount = mountFor(p);
      expect(mount, `${what} ${p} is on a volume`).toBeDefined();
    }
    // ringback writes the config (connect), the key and the Maildir: each mount must be writable by node.
    for (const m of mounts) {
      expect(m.bind, `${m.target}: a bind mount takes the host folder's owner; a named volume the image's`).toBe(false);
      expect(Object.keys(compose.volumes), `${m.source} is declared`).toContain(m.source);
      expect(image.nodeOwned, `${m.target} is given to node in the Dockerfile`).toContain(m.target);
    }
  });

  it('publishes the dashboard on the host\'s 127.0.0.1 only, at the address the dashboard accepts by default', () => {
    const ports = portsOf(ringback);
    expect(ports).toHaveLength(1);
    const [published] = ports;
    const dashboardPort = NUMBER_BOUNDS.dashboard.port[2];
    expect(published?.hostIp).toBe('127.0.0.1');
    expect(published?.containerPort).toBe(dashboardPort);
    expect(image.exposed).toContain(dashboardPort);
    // Same port on both sides: http://127.0.0.1:7807 is what the dashboard accepts without publicUrl.
    expect(published?.hostPort).toBe(dashboardPort);
  });

  it('checks health on the dashboard\'s port, and gives SIGTERM the time it needs', () => {
    const health = ringback.healthcheck as { test: string[]; interval: string; timeout: string; start_period: string; retries: number };
    expect(health.test[0]).toBe('CMD');
    expect(health.test.join(' ')).toContain(`http://127.0.0.1:${NUMBER_BOUNDS.dashboard.port[2]}/healthz`);
    expect(durationMs(health.timeout)).toBeLessThan(durationMs(health.interval));
    expect(durationMs(health.start_period)).toBeGreaterThan(0);
    expect(health.retries).toBeGreaterThan(0);
    // SIGTERM finishes the work in flight within 10 s; Compose kills at stop_grace_period.
    expect(durationMs(String(ringback.stop_grace_period))).toBeGreaterThan(10_000);
  });
});

describe('compose reading', () => {
  it('expands variables as Compose does', () => {
    expect(interpolate('${A:-x}', {})).toBe('x');
    expect(interpolate('${A:-x}', { A: '' })).toBe('x');
    expect(interpolate('${A-x}', { A: '' })).toBe('');
    expect(interpolate('${A}', { A: 'v' })).toBe('v');
    expect(() => interpolate('${A:?set A}', {})).toThrow('${A}: set A');
  });

  it('reads ports and volumes in both syntaxes', () => {
    expect(portsOf({ ports: ['127.0.0.1:8080:7807', '7807', { host_ip: '127.0.0.1', published: '9000', target: 7807 }] })).toEqual([
      { hostIp: '127.0.0.1', hostPort: 8080, containerPort: 7807 },
      { hostIp: null, hostPort: 7807, containerPort: 7807 },
      { hostIp: '127.0.0.1', hostPort: 9000, containerPort: 7807 },
    ]);
    expect(mountsOf({ volumes: ['data:/data', './mail:/mail', { type: 'bind', source: '/srv', target: '/x' }] })).toEqual([
      { source: 'data', target: '/data', bind: false },
      { source: './mail', target: '/mail', bind: true },
      { source: '/srv', target: '/x', bind: true },
    ]);
    expect(durationMs('1m30s')).toBe(90_000);
  });
});
