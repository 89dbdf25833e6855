/**
 * `ringback start` with the embedded default (an .ics calendar and a Maildir) loads none of the
 * other providers' libraries: each is loaded only for an account of its type
 * (src/providers/factory.ts), which keeps tens of MB out of the daemon (bench/README.md, footprint).
 * The packages are recorded in the real command's process by a preloaded module hook.
 */
import { mkdir, mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { spawn } from 'node:child_process';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { harnessCalendarToIcs } from '../providers/calendar/contract.js';
import { interviewEvent, MINUTE } from '../support/engine-harness.js';
import { freePort } from '../support/redis-server.js';
import { BIN, configHead } from './cli.js';

const RECORDER = join(import.meta.dirname, 'loaded-packages.mjs');

/** The libraries of the Google, Microsoft, IMAP and CalDAV adapters. */
const OTHER_PROVIDERS = ['googleapis', 'google-auth-library', '@microsoft/microsoft-graph-client', '@azure/msal-node', 'imapflow', 'tsdav'];

describe('ringback start with an .ics calendar and a Maildir', () => {
  it('loads no library of the other providers', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'ringback-packages-'));
    await mkdir(join(dir, 'mail', 'cur'), { recursive: true });
    await writeFile(join(dir, 'calendar.ics'), harnessCalendarToIcs([interviewEvent({ uid: 'packages-1', start: Math.floor((Date.now() + 3 * 60 * MINUTE) / 1000) * 1000 })]));
    const config = join(dir, 'ringback.yaml');
    await writeFile(
      config,
      [...configHead(dir, 'packages'), 'calendars: [{ type: ics, id: cal, path: ./calendar.ics }]', 'mailbox: { type: maildir, id: mail, path: ./mail }', `dashboard: { port: ${await freePort()} }`].join('\n'),
    );
    const recorded = join(dir, 'packages.txt');
    const child = spawn(process.execPath, ['--import', RECORDER, BIN, '--config', config, 'start'], {
      cwd: dir,
      env: { ...process.env, CI: 'true', RINGBACK_SECRET_KEY: '44'.repeat(32), REDIS_URL: undefined, LOADED_PACKAGES_FILE: recorded },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (out += d.toString()));
    const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
    try {
      // Started: the engine (with its adapters) is built and the first sync is queued.
      const end = Date.now() + 30_000;
      while (!out.includes('ringback started')) {
        if (Date.now() > end || child.exitCode !== null) throw new Error(`ringback start did not start:\n${out}`);
        await new Promise((r) => setTimeout(r, 50));
      }
    } finally {
      child.kill('SIGTERM');
    }
    expect(await exited).toBe(0);
    const packages = (await readFile(recorded, 'utf8')).split('\n').filter(Boolean);
    // The recorder sees what the daemon loads, its adapters' libraries included.
    expect(packages).toEqual(expect.arrayContaining(['bullmq', 'ioredis', 'ical.js']));
    expect(packages.filter((p) => OTHER_PROVIDERS.includes(p))).toEqual([]);
  });
});
