/**
 * `ringback start` SIGKILLed while it is sending confirmations, then started again: every
 * confirmation ends up in .Sent exactly once (DESIGN.md, Sending exactly once).
 */
import { mkdtemp, mkdir, readFile, readdir, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readHeaders } from '../../src/providers/mail/mime.js';
import { harnessCalendarToIcs } from '../providers/calendar/contract.js';
import { interviewEvent, MINUTE } from '../support/engine-harness.js';
import { configHead, spawnCli } from './cli.js';

const COUNT = 12;

async function sentIds(maildir: string): Promise<string[]> {
  const ids: string[] = [];
  for (const sub of ['cur', 'new']) {
    let names: string[] = [];
    try {
      names = await readdir(join(maildir, '.Sent', sub));
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    }
    for (const n of names) {
      const id = readHeaders(await readFile(join(maildir, '.Sent', sub, n))).messageId;
      if (id) ids.push(id);
    }
  }
  return ids;
}

async function until(check: () => Promise<boolean>, timeoutMs: number, what: string): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

describe('crash while sending', () => {
  it('sends every confirmation exactly once across a SIGKILL and a restart', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'ringback-crash-'));
    const maildir = join(dir, 'mail');
    for (const sub of ['cur', 'new', 'tmp']) await mkdir(join(maildir, sub), { recursive: true });
    // All due within a few seconds of each other, some seconds after the daemon starts.
    const base = Math.floor((Date.now() + 15 * MINUTE + 8_000) / 1000) * 1000;
    await writeFile(
      join(dir, 'calendar.ics'),
      harnessCalendarToIcs(
        // Each call with its own interviewer: ringback sends one address at most 3 emails a day.
        Array.from({ length: COUNT }, (_, i) => {
          const dana = { name: 'Dana Whitfield', email: `dana.${i}@acme.example` };
          return interviewEvent({
            uid: `crash-${i}`,
            start: base + (i % 3) * 1000,
            organizer: dana,
            attendees: [{ name: 'Ada Park', email: 'ada@example.org', status: 'accepted' }, { ...dana, status: 'accepted' }],
          });
        }),
      ),
    );
    const config = join(dir, 'ringback.yaml');
    await writeFile(
      config,
      [
        ...configHead(dir, 'crash'),
        'calendars: [{ type: ics, id: cal, path: ./calendar.ics }]',
        'mailbox: { type: maildir, id: mail, path: ./mail }',
        // Sent seconds after the draft (no review window): the test is about the kill.
        'timing: { confirmLeadMinutes: 15, reviewMinutes: 0 }',
      ].join('\n'),
    );
    const env = { RINGBACK_SECRET_KEY: '33'.repeat(32), REDIS_URL: undefined };

    const first = spawnCli(['--config', config, 'start'], { env });
    // Kill it as soon as the first confirmation is in Sent: others are mid-flight.
    await until(async () => (await sentIds(maildir)).length >= 1, 40_000, 'the first send');
    first.kill('SIGKILL');
    await new Promise((r) => first.once('exit', r));
    const atKill = (await sentIds(maildir)).length;

    const second = spawnCli(['--config', config, 'start'], { env });
    try {
      await until(async () => (await sentIds(maildir)).length >= COUNT, 90_000, `all ${COUNT} confirmations (had ${atKill} at the kill)`);
      // Give any duplicate a chance to appear.
      await new Promise((r) => setTimeout(r, 2_000));
    } finally {
      const stopAt = Date.now();
      second.kill('SIGTERM');
      await new Promise((r) => second.once('exit', r));
      // SIGTERM finishes the work in flight and exits within 10 s.
      expect(Date.now() - stopAt).toBeLessThan(10_000);
    }
    const ids = await sentIds(maildir);
    expect(atKill).toBeLessThan(COUNT);
    expect(ids).toHaveLength(COUNT);
    expect(new Set(ids).size).toBe(COUNT);
    expect(second.exitCode).toBe(0);
  }, 150_000);
});
