/**
 * `ringback connect` as a careless user runs it: credentials in a plain http calendar address are
 * refused before any request, and the password variable the README names works for the Maildir's
 * SMTP relay.
 */
import { mkdtemp, readFile, stat, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startRecordingSmtpServer, type RecordingSmtpServer } from '../support/smtp-server.js';
import { configHead, runCli } from './cli.js';

const ENV = { RINGBACK_SECRET_KEY: '33'.repeat(32), REDIS_URL: undefined, RINGBACK_SMTP_PASSWORD: undefined, RINGBACK_PASSWORD: undefined };

async function workspace(): Promise<{ dir: string; config: string }> {
  const dir = await mkdtemp(join(tmpdir(), 'ringback-hardening-'));
  const config = join(dir, 'ringback.yaml');
  await writeFile(
    config,
    [
      ...configHead(dir, 'hardening'),
      '',
    ].join('\n'),
    { mode: 0o644 },
  );
  return { dir, config };
}

describe('connect, hardened', () => {
  let feed: Server;
  let feedPort = 0;
  let requests = 0;
  let smtp: RecordingSmtpServer;

  beforeAll(async () => {
    feed = createServer((_req, res) => {
      requests++;
      res.end('BEGIN:VCALENDAR\r\nVERSION:2.0\r\nEND:VCALENDAR\r\n');
    });
    // 127.0.0.2: a loopback address too, but not one of the names the check lets carry credentials,
    // so a request that got through would arrive here.
    await new Promise<void>((resolve) => feed.listen(0, '127.0.0.2', resolve));
    const address = feed.address();
    feedPort = typeof address === 'object' && address ? address.port : 0;
    smtp = await startRecordingSmtpServer({ auth: { user: 'ada-smtp', pass: 'relay-pass-5e1' } });
  });
  afterAll(async () => {
    await new Promise<void>((resolve) => feed.close(() => resolve()));
    await smtp.stop();
  });

  it('refuses a user name and password in a plain http calendar address, before any request', async () => {
    const { dir, config } = await workspace();
    const url = `http://ada:hunter2@127.0.0.2:${feedPort}/private/basic.ics`;
    const r = await runCli(['connect', 'ics', '--url', url, '--config', config], { cwd: dir, env: ENV });
    expect(r.code).toBe(2);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toContain('has a user name and password but starts with http:');
    expect(r.stderr).not.toContain('hunter2');
    expect(requests).toBe(0);
    // The same feed with a secret path and no credentials is read, and the file becomes owner-only.
    const ok = await runCli(['connect', 'ics', '--url', `http://127.0.0.2:${feedPort}/private-token/basic.ics`, '--config', config], { cwd: dir, env: ENV });
    expect(ok.code, ok.stderr).toBe(0);
    expect(requests).toBe(1);
    expect((await stat(config)).mode & 0o777).toBe(0o600);
  });

  it('takes the SMTP password of a Maildir relay from RINGBACK_PASSWORD, as the README says', async () => {
    const { dir, config } = await workspace();
    const r = await runCli(
      ['connect', 'maildir', '--path', './mail', '--smtp-host', smtp.host, '--smtp-port', String(smtp.port), '--smtp-user', 'ada-smtp', '--config', config],
      { cwd: dir, env: { ...ENV, RINGBACK_PASSWORD: 'relay-pass-5e1' } },
    );
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain('accepted the login');
    expect(await readFile(config, 'utf8')).not.toContain('relay-pass-5e1');
  });
  it('doctor names an unwritable data folder as the data folder, not as Redis', async () => {
    const { dir, config } = await workspace();
    // A file where the folder should be (permissions would not stop root, who may run the tests).
    await writeFile(join(dir, 'data'), 'not a folder');
    const r = await runCli(['doctor', '--config', config], { cwd: dir, env: { ...ENV, RINGBACK_SECRET_KEY: undefined } });
    expect(r.code).toBe(1);
    expect(r.stdout).toContain(`✗ data folder: cannot write ${join(dir, 'data', 'secret.key')} (ENOTDIR)`);
    expect(r.stdout).toContain('fix: make');
    expect(r.stdout).not.toContain('Redis:');
  });
});
