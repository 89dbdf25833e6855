/**
 * First run: `start` and `doctor` check the accounts for real. A Maildir path that does not exist
 * yet is created with Drafts and Sent when its parent exists, and `start` stops with one line
 * (exit 2) when the parent is missing too; a calendar that cannot be read and a mailbox that
 * cannot be used are reported with their fix, and `accounts` shows the mailbox as needing attention.
 */
import { mkdtemp, stat, writeFile, mkdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { harnessCalendarToIcs } from '../providers/calendar/contract.js';
import { configHead, runCli } from './cli.js';

const ENV = { RINGBACK_SECRET_KEY: '33'.repeat(32), REDIS_URL: undefined };

async function workspace(mailPath: string, calendarPath = './calendar.ics'): Promise<{ dir: string; config: string }> {
  const dir = await mkdtemp(join(tmpdir(), 'ringback-first-run-'));
  await writeFile(join(dir, 'calendar.ics'), harnessCalendarToIcs([]));
  const config = join(dir, 'ringback.yaml');
  await writeFile(
    config,
    [
      ...configHead(dir, 'first-run'),
      'calendars:',
      `  - { type: ics, id: cal, path: ${calendarPath} }`,
      `mailbox: { type: maildir, id: mail, path: ${mailPath} }`,
    ].join('\n'),
  );
  return { dir, config };
}

const isDir = (path: string) => stat(path).then((s) => s.isDirectory(), () => false);

describe('first run', () => {
  it('doctor creates a missing Maildir with Drafts and Sent when its parent exists, and calls it ready', async () => {
    const { dir, config } = await workspace('./mail');
    const r = await runCli(['--config', config, 'doctor'], { env: ENV });
    expect(r.stdout).toContain(`created the Maildir ${join(dir, 'mail')}`);
    expect(r.stdout).toMatch(/✓ mail \(maildir\) ready: Drafts and Sent found/);
    expect(r.stdout).toMatch(/✓ cal \(ics\) ready.*read \(0 events on the first page\)/);
    expect(r.code).toBe(0);
    for (const folder of ['cur', '.Drafts/cur', '.Sent/cur']) expect(await isDir(join(dir, 'mail', folder))).toBe(true);
  });

  it('start exits 2 with one line naming the field when the Maildir and its parent are missing', async () => {
    const { dir, config } = await workspace('./no/such/mail');
    const r = await runCli(['--config', config, 'start', '--quiet'], { env: ENV, timeoutMs: 30_000 });
    expect(r.code).toBe(2);
    const lines = r.stderr.trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toContain('ringback.yaml: mailbox.path');
    expect(lines[0]).toContain(join(dir, 'no', 'such', 'mail'));
    expect(await isDir(join(dir, 'no'))).toBe(false);
  });

  it('doctor reports an unreadable calendar and an unusable mailbox with their fix, and accounts shows it', async () => {
    const { dir, config } = await workspace('./mail', './missing.ics');
    await mkdir(join(dir, 'mail', 'cur'), { recursive: true });
    // A file where the Drafts folder should be: the mailbox cannot be used until it is removed.
    await writeFile(join(dir, 'mail', '.Drafts'), 'not a folder');
    const r = await runCli(['--config', config, 'doctor'], { env: ENV });
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/✗ cal \(ics\) cannot be read: the calendar file .*missing\.ics does not exist/);
    expect(r.stdout).toMatch(/✗ mail \(maildir\) cannot be used: /);
    expect(r.stdout).toMatch(/fix: .*ringback connect maildir/);
    const accounts = await runCli(['--config', config, 'accounts'], { env: ENV });
    expect(accounts.stdout).toMatch(/mail\s+mailbox\s+maildir\s+NEEDS ATTENTION/);
    expect(accounts.stdout).toMatch(/fix: .*ringback resumes on its own/);
  });
});
