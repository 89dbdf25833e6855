/**
 * The image's files, rebuilt from the Dockerfile (image-layout.ts), run as the container would run
 * them: only the image's files and production packages, the image's environment, `/` standing for
 * a temporary folder. `ringback --version`, `ringback doctor`, then `ringback start` with an .ics
 * calendar and a Maildir until one confirmation is in Sent. No Docker engine is needed.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdir, mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { readHeaders } from '../../src/providers/mail/mime.js';
import { harnessCalendarToIcs } from '../providers/calendar/contract.js';
import { interviewEvent, MINUTE } from '../support/engine-harness.js';
import { testPrefix } from '../support/prefix.js';
import { buildImageLayout, type ImageLayout } from './image-layout.js';

const REPO = path.join(import.meta.dirname, '..', '..');

interface Run {
  readonly code: number | null;
  readonly out: string;
}

describe('the image, run from its files', () => {
  let image: ImageLayout;
  let env: Record<string, string>;
  let mail: string;
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
    const code = await new Promise<number | null>((resolve, reject) => {
      child.once('exit', resolve);
      child.once('error', reject);
    });
    return { code, out: child.output() };
  }

  beforeAll(async () => {
    const root = await mkdtemp(path.join(tmpdir(), 'ringback-image-'));
    image = await buildImageLayout(await readFile(path.join(REPO, 'Dockerfile'), 'utf8'), { context: REPO, root });
    // What the container has: the image's environment, a home, node on PATH; nothing of this checkout's.
    env = {
      PATH: [path.join(root, 'usr', 'local', 'bin'), path.dirname(process.execPath), '/usr/bin', '/bin'].join(':'),
      HOME: path.join(root, 'home', 'node'),
      TMPDIR: tmpdir(),
      CI: 'true',
      ...image.env,
      REDIS_URL: inject('redisUrl'),
    };
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

  it('passes `ringback doctor` with an .ics calendar and a Maildir, keeping its key in the data volume', async () => {
    const config = image.env.RINGBACK_CONFIG;
    expect(config, 'the image says where its config file is (ENV RINGBACK_CONFIG)').toBeDefined();
    const start = Math.ceil((Date.now() + 15 * MINUTE + 12_000) / 1000) * 1000;
    await mkdir(path.dirname(config ?? ''), { recursive: true });
    await writeFile(path.join(path.dirname(config ?? ''), 'calendar.ics'), harnessCalendarToIcs([interviewEvent({ uid: 'image-1', start })]));
    await writeFile(
      config ?? '',
      [
        'candidate: { name: Ada Park, email: ada@example.org, phone: "+1 415 555 0100", timezone: America/New_York }',
        `prefix: ${testPrefix('image')}`,
        'calendars: [{ type: ics, id: cal, path: ./calendar.ics }]',
        `mailbox: { type: maildir, id: mail, path: ${JSON.stringify(mail)} }`,
        'timing: { confirmLeadMinutes: 15 }',
        '',
      ].join('\n'),
    );
    const run = await finished(ringback(['doctor']));
    expect(run.out).toContain('✓ cal (ics) ready');
    expect(run.out).toContain('✓ mail (maildir) ready');
    expect(run.code, run.out).toBe(0);
    // No RINGBACK_SECRET_KEY: the key file goes to the default data folder, under XDG_DATA_HOME.
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
    daemon.kill('SIGTERM');
    const run = await finished(daemon);
    expect(run.out).toContain('ringback started: 1 calendar, mailbox mail');
    expect(run.code, run.out).toBe(0);
    expect(sent).toHaveLength(1);
  }, 90_000);
});
