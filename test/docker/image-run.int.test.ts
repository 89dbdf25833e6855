/**
 * The image's files, rebuilt from the Dockerfile (image-layout.ts), run as the container would run
 * them: only the image's files and production packages, the image's environment and the compose
 * service's, `/` standing for a temporary folder. `ringback --version`, `ringback init` as the
 * README's Docker section runs it, `ringback doctor`, then `ringback start` with an .ics calendar
 * and a Maildir until one confirmation is in Sent, with the compose healthcheck and
 * `ringback dashboard` asked meanwhile; last, `ringback connect google` with the sign-in handed
 * over by the README's command (against the Google stand-in). No Docker engine is needed.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { mkdir, mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { parseDocument } from 'yaml';
import { readHeaders } from '../../src/providers/mail/mime.js';
import { harnessCalendarToIcs } from '../providers/calendar/contract.js';
import { startGoogleServer } from '../support/google-server.js';
import { interviewEvent, MINUTE } from '../support/engine-harness.js';
import { testPrefix } from '../support/prefix.js';
import { environmentOf, readCompose, type Service } from './compose.js';
import { buildImageLayout, type ImageLayout } from './image-layout.js';

const REPO = path.join(import.meta.dirname, '..', '..');

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  if (typeof address !== 'object' || address === null) throw new Error('no port');
  return address.port;
}

interface Run {
  readonly code: number | null;
  readonly out: string;
}

describe('the image, run from its files', () => {
  let image: ImageLayout;
  let env: Record<string, string>;
  let mail: string;
  let service: Service;
  let dashboardPort: number;
  const children: ChildProcess[] = [];

  /** The image's command with other arguments, as `docker compose exec ringback ringback …` runs it. */
  function ringback(args: readonly string[]): ChildProcess & { output(): string } {
    const [program, script] = image.cmd;
    if (program !== 'node' || script === undefined) throw new Error(`CMD ${image.cmd.join(' ')}: expected node <script> …`);
    const child = spawn(process.execPath, [script, ...args], { cwd: image.workdir, env, stdio: ['ignore', 'pipe', 'pipe'] });
    children.push(child);
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (out += d.toString()));
    return Object.assign(child, { output: () => out });
  }

  async function finished(child: ChildProcess & { output(): string }): Promise<Run> {
    // A child that already exited (`connect` can finish before the hand-over's own exit is seen)
    // emits no second 'exit': waiting for one hung the test until its timeout.
    const code =
      child.exitCode !== null || child.signalCode !== null
        ? child.exitCode
        : await new Promise<number | null>((resolve, reject) => {
            child.once('exit', resolve);
            child.once('error', reject);
          });
    return { code, out: child.output() };
  }

  beforeAll(async () => {
    const root = await mkdtemp(path.join(tmpdir(), 'ringback-image-'));
    image = await buildImageLayout(await readFile(path.join(REPO, 'Dockerfile'), 'utf8'), { context: REPO, root });
    service = (await readCompose(REPO)).services.ringback ?? {};
    // What the container has: the image's environment, then the compose service's (no variable set
    // on the host), a home, node on PATH; nothing of this checkout's. The compose Redis is this
    // test's.
    env = {
      PATH: [path.join(root, 'usr', 'local', 'bin'), path.dirname(process.execPath), '/usr/bin', '/bin'].join(':'),
      HOME: path.join(root, 'home', 'node'),
      TMPDIR: tmpdir(),
      CI: 'true',
      ...image.env,
      ...environmentOf(service, {}),
      REDIS_URL: inject('redisUrl'),
    };
    dashboardPort = await freePort();
    await mkdir(env.HOME ?? '', { recursive: true });
    mail = path.join(root, 'mail');
    for (const sub of ['cur', 'new', 'tmp']) await mkdir(path.join(mail, sub), { recursive: true });
  }, 60_000);

  afterAll(async () => {
    for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
    await rm(image.root, { recursive: true, force: true });
  });

  it('prints its version', async () => {
    const pkg = JSON.parse(await readFile(path.join(REPO, 'package.json'), 'utf8')) as { version: string };
    const run = await finished(ringback(['--version']));
    expect(run.out.trim()).toBe(pkg.version);
    expect(run.code).toBe(0);
  }, 60_000);

  it('answers to `ringback` on the PATH, as `docker compose exec ringback ringback …` calls it', async () => {
    const child = spawn('ringback', ['--version'], { cwd: image.workdir, env, stdio: ['ignore', 'pipe', 'pipe'] });
    children.push(child);
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (out += d.toString()));
    const code = await new Promise<number | null>((resolve, reject) => {
      child.once('exit', resolve);
      child.once('error', reject);
    });
    expect(out.trim()).toMatch(/^\d+\.\d+\.\d+$/);
    expect(code).toBe(0);
  }, 60_000);

  it('writes its config with `ringback init --dashboard-host 0.0.0.0`, and passes `ringback doctor`, keeping its key in the data volume', async () => {
    const config = image.env.RINGBACK_CONFIG ?? '';
    expect(config, 'the image says where its config file is (ENV RINGBACK_CONFIG)').not.toBe('');
    const start = Math.ceil((Date.now() + 15 * MINUTE + 15_000) / 1000) * 1000;
    const calendar = path.join(path.dirname(config), 'calendar.ics');
    await mkdir(path.dirname(calendar), { recursive: true });
    await writeFile(calendar, harnessCalendarToIcs([interviewEvent({ uid: 'image-1', start })]));
    // /config/calendar.ics and /mail in the container are these two paths here.
    const init = await finished(
      ringback([
        'init', '--name', 'Ada Park', '--email', 'ada@example.org', '--phone', '+1 415 555 0100', '--timezone', 'America/New_York',
        '--dashboard-host', '0.0.0.0', '--calendar-path', calendar, '--mailbox-path', mail,
      ]),
    );
    expect(init.code, init.out).toBe(0);
    // For the test only: a key prefix of its own, a confirmation due in seconds, a free port.
    const doc = parseDocument(await readFile(config, 'utf8'));
    doc.set('prefix', testPrefix('image'));
    doc.setIn(['timing', 'confirmLeadMinutes'], 15);
    doc.setIn(['timing', 'reviewMinutes'], 0);
    doc.setIn(['dashboard', 'port'], dashboardPort);
    await writeFile(config, doc.toString());

    const run = await finished(ringback(['doctor']));
    expect(run.out).toMatch(/^✓ ics-[0-9a-f]{8} \(ics\) ready/m);
    expect(run.out).toMatch(/^✓ maildir-[0-9a-f]{8} \(maildir\) ready/m);
    expect(run.code, run.out).toBe(0);
    // RINGBACK_SECRET_KEY is empty: the key file goes to the default data folder, under XDG_DATA_HOME.
    const keyFile = path.join(image.env.XDG_DATA_HOME ?? '', 'ringback', 'secret.key');
    expect(run.out).toContain(`secret key file in ${path.dirname(keyFile)}`);
    expect((await stat(keyFile)).mode & 0o777).toBe(0o600);
  }, 60_000);

  it('sends a confirmation with `ringback start`, and stops cleanly on SIGTERM', async () => {
    const daemon = ringback(['start']);
    const inSent = async (): Promise<string[]> => {
      const files: string[] = [];
      for (const sub of ['cur', 'new']) {
        const dir = path.join(mail, '.Sent', sub);
        const names = await readdir(dir).catch((error: NodeJS.ErrnoException) => {
          if (error.code === 'ENOENT') return [];
          throw error;
        });
        files.push(...names.map((n) => path.join(dir, n)));
      }
      return files;
    };
    const end = Date.now() + 60_000;
    let sent: string[] = [];
    // The confirmation is due about 12 s after the calendar was written.
    while (sent.length === 0) {
      if (Date.now() > end || daemon.exitCode !== null) throw new Error(`no confirmation in Sent\n${daemon.output()}`);
      await new Promise((r) => setTimeout(r, 50));
      sent = await inSent();
    }
    const headers = readHeaders(await readFile(sent[0] ?? ''));
    expect(headers.messageId).toMatch(/^<ringback\.[^>]+\.confirmation\.\d+@/);

    // The compose healthcheck, as written there, on this test's port.
    const [kind, program, ...args] = (service.healthcheck as { test: string[] }).test;
    expect([kind, program]).toEqual(['CMD', 'node']);
    const health = spawn(process.execPath, args.map((a) => a.replace(':7807/', `:${dashboardPort}/`)), { cwd: image.workdir, env, stdio: 'ignore' });
    expect(await new Promise((resolve) => health.once('exit', resolve))).toBe(0);
    // `docker compose exec ringback ringback dashboard` prints the address the host's browser opens.
    const address = await finished(ringback(['dashboard']));
    expect(address.out).toMatch(new RegExp(`^http://127\\.0\\.0\\.1:${dashboardPort}/\\?token=[A-Za-z0-9_-]{43}$`, 'm'));

    daemon.kill('SIGTERM');
    const run = await finished(daemon);
    expect(run.out).toMatch(/^ringback started: 1 calendar, mailbox maildir-[0-9a-f]{8},/m);
    expect(run.out).toContain(`ringback: warning: the dashboard listens on 0.0.0.0:${dashboardPort} (dashboard.host)`);
    expect(run.code, run.out).toBe(0);
    expect(sent).toHaveLength(1);
  }, 90_000);

  it('connects Google with the README\'s hand-over of the loopback answer', async () => {
    // The command of the README's Docker section, as a user copies it.
    const readme = await readFile(path.join(REPO, 'README.md'), 'utf8');
    const line = /^\s*docker compose exec ringback node -e "(.+)" "http:\/\/127\.0\.0\.1:…\/oauth2callback\?state=…&code=…"$/m.exec(readme);
    expect(line, 'the README shows the hand-over command').not.toBeNull();
    const script = line?.[1] ?? '';

    const google = await startGoogleServer();
    try {
      const connect = ringback([
        'connect', 'google', '--client-id', google.clientId, '--client-secret', google.clientSecret,
        '--auth-url', google.authUrl, '--token-url', google.tokenUrl, '--api-root', google.url,
      ]);
      const end = Date.now() + 30_000;
      let consentUrl: string | undefined;
      while (consentUrl === undefined) {
        if (Date.now() > end || connect.exitCode !== null) throw new Error(`no consent address printed\n${connect.output()}`);
        await new Promise((r) => setTimeout(r, 50));
        consentUrl = /Open this address in a browser: (\S+)/.exec(connect.output())?.[1];
      }
      // The browser on the host: Google answers with the loopback address, which it cannot reach.
      const consent = await fetch(consentUrl, { redirect: 'manual' });
      const callback = consent.headers.get('location') ?? '';
      expect(callback).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/oauth2callback\?state=.+&code=/);
      // The user pastes it into the README's command, which runs in the container.
      const handOver = spawn(process.execPath, ['-e', script, callback], { cwd: image.workdir, env, stdio: ['ignore', 'pipe', 'pipe'] });
      children.push(handOver);
      let said = '';
      handOver.stdout.on('data', (d: Buffer) => (said += d.toString()));
      expect(await new Promise((resolve) => handOver.once('exit', resolve))).toBe(0);
      expect(said.trim()).toBe('ringback got the sign-in');
      const run = await finished(connect);
      expect(run.code, run.out).toBe(0);
      expect(run.out).toContain('credentials stored encrypted in Redis');
      expect(await readFile(image.env.RINGBACK_CONFIG ?? '', 'utf8')).toMatch(/type: google/);
    } finally {
      await google.close();
    }
  }, 60_000);
});
