import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runInit, type InitFlags, type InitIO } from '../../src/cli/init.js';
import { loadConfig } from '../../config/load.js';
import { BadInputError } from '../../src/errors.js';

const dirs: string[] = [];
afterAll(async () => {
  await Promise.all(dirs.map((d) => rm(d, { recursive: true, force: true })));
});
async function tempDir(): Promise<string> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'ringback-init-'));
  dirs.push(dir);
  return dir;
}

/** A terminal with scripted answers that records what it was asked and told. */
function terminal(answers: string[]): InitIO & { asked: string[]; said: string[] } {
  const asked: string[] = [];
  const said: string[] = [];
  return {
    isTTY: true,
    asked,
    said,
    ask: (question, def) => {
      asked.push(def === undefined ? question : `${question} [${def}]`);
      const answer = answers.shift();
      if (answer === undefined) throw new Error(`unexpected question: ${question}`);
      return Promise.resolve(answer);
    },
    say: (line) => said.push(line),
  };
}
function noTerminal(): InitIO & { said: string[] } {
  const said: string[] = [];
  return {
    isTTY: false,
    said,
    ask: (question) => Promise.reject(new Error(`asked without a terminal: ${question}`)),
    say: (line) => said.push(line),
  };
}

const ada: Partial<InitFlags> = { name: 'Ada Park', email: 'ada@example.org', phone: '+1 415 555 0100', timezone: 'America/New_York' };
const load = (cwd: string, file = 'ringback.yaml') => loadConfig({ env: {}, cwd, file, platform: 'linux', homedir: '/home/ada' });

describe('runInit --dashboard-host', () => {
  it('writes where the dashboard listens (for a container), and refuses what is not an IP address', async () => {
    const dir = await tempDir();
    await runInit({ file: 'ringback.yaml', flags: { ...ada, calendarPath: 'c.ics', dashboardHost: '0.0.0.0' }, io: noTerminal(), force: false, cwd: dir });
    expect((await load(dir)).dashboard).toEqual({ port: 7807, host: '0.0.0.0', publicUrl: null });
    const other = await tempDir();
    await expect(
      runInit({ file: 'ringback.yaml', flags: { ...ada, calendarPath: 'c.ics', dashboardHost: 'everywhere' }, io: noTerminal(), force: false, cwd: other }),
    ).rejects.toThrow(/dashboard\.host: must be an IP address to listen on/);
    await expect(stat(path.join(other, 'ringback.yaml'))).rejects.toThrow(/ENOENT/);
  });
});

describe('runInit without a terminal', () => {
  it('writes a file from flags that loads', async () => {
    const dir = await tempDir();
    const io = noTerminal();
    const written = await runInit({ file: 'ringback.yaml', flags: { ...ada, calendarPath: 'cal/work.ics', mailboxPath: 'maildir' }, io, force: false, cwd: dir });
    expect(written).toBe(path.join(dir, 'ringback.yaml'));
    expect((await stat(written)).mode & 0o777).toBe(0o600);
    const config = await load(dir);
    expect(config.candidate).toEqual({ name: 'Ada Park', email: 'ada@example.org', phone: '+14155550100', timezone: 'America/New_York' });
    expect(config.calendars).toEqual([{ type: 'ics', id: expect.stringMatching(/^ics-/), path: path.join(dir, 'cal', 'work.ics') }]);
    expect(config.mailbox).toMatchObject({ type: 'maildir', path: path.join(dir, 'maildir') });
    expect(config.redis).toEqual({ mode: 'managed' });
    expect(await readFile(written, 'utf8')).toContain('path: ./cal/work.ics');
    expect(io.said[0]).toBe('Wrote ringback.yaml.');
  });

  it('keeps paths right when the file goes elsewhere, and takes a calendar URL', async () => {
    const dir = await tempDir();
    await runInit({
      file: 'conf/rb.yaml',
      flags: { ...ada, calendarUrl: 'https://cal.example.org/ada.ics', mailboxPath: 'mail', redis: 'redis://db:6379/1' },
      io: noTerminal(),
      force: false,
      cwd: dir,
    });
    const config = await load(dir, 'conf/rb.yaml');
    expect(config.calendars).toEqual([{ type: 'ics', id: expect.stringMatching(/^ics-/), url: 'https://cal.example.org/ada.ics' }]);
    expect(config.mailbox).toMatchObject({ path: path.join(dir, 'mail') });
    expect(config.redis).toEqual({ mode: 'url', url: 'redis://db:6379/1' });
  });

  it('names the missing flag', async () => {
    const dir = await tempDir();
    const { email: _email, ...flags } = ada;
    await expect(runInit({ file: 'ringback.yaml', flags, io: noTerminal(), force: false, cwd: dir })).rejects.toThrow(
      new BadInputError('--email is required when not on a terminal'),
    );
    await expect(stat(path.join(dir, 'ringback.yaml'))).rejects.toMatchObject({ code: 'ENOENT' });
  });

  it('names the flag with a bad value', async () => {
    const dir = await tempDir();
    const run = (flags: Partial<InitFlags>) => runInit({ file: 'ringback.yaml', flags: { ...ada, ...flags }, io: noTerminal(), force: false, cwd: dir });
    await expect(run({ phone: '12' })).rejects.toThrow(/^--phone: must be a valid phone number in international form/);
    await expect(run({ timezone: 'Europe/Berln' })).rejects.toThrow('--timezone: "Europe/Berln" is not an IANA time zone (did you mean "Europe/Berlin"?)');
    await expect(run({ redis: 'redis://:pw@db' })).rejects.toThrow('--redis: must not hold a password: set the REDIS_URL environment variable instead');
    await expect(run({ calendarPath: 'a.ics', calendarUrl: 'https://x/a.ics' })).rejects.toThrow(
      '--calendar-path and --calendar-url: give one of them, not both',
    );
    await expect(run({ calendarUrl: 'ftp://x/a.ics' })).rejects.toThrow('--calendar-url: must be an address starting with https:// or http://');
  });

  it('refuses to overwrite unless forced', async () => {
    const dir = await tempDir();
    const file = path.join(dir, 'ringback.yaml');
    await writeFile(file, 'mine: true\n');
    const options = { file: 'ringback.yaml', flags: ada, io: noTerminal(), cwd: dir };
    const error: unknown = await runInit({ ...options, force: false }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(BadInputError);
    expect((error as BadInputError).exitCode).toBe(2);
    expect((error as BadInputError).message).toBe('ringback.yaml: already exists (pass --force to overwrite it)');
    expect(await readFile(file, 'utf8')).toBe('mine: true\n');
    await runInit({ ...options, force: true });
    expect((await load(dir)).candidate.name).toBe('Ada Park');
  });
});

describe('runInit on a terminal', () => {
  it('asks for what the flags did not give, with defaults, until the answer is valid', async () => {
    const dir = await tempDir();
    const io = terminal(['Grace Hopper', 'grace@example.org', '555', '+44 20 7946 0958', '', 'https://cal.example.org/g.ics', '', '']);
    await runInit({ file: 'ringback.yaml', flags: {}, io, force: false, cwd: dir });
    const zone = Intl.DateTimeFormat().resolvedOptions().timeZone;
    expect(io.asked).toEqual([
      'Your name',
      'Your email address',
      'Your phone number, in international form (like +1 415 555 0100)',
      'Your phone number, in international form (like +1 415 555 0100)',
      `Your time zone [${zone}]`,
      'Calendar: an .ics file, or the http(s) address of one [./calendar.ics]',
      'Maildir folder where drafts are written [./mail]',
      'Redis ("managed" starts one for you, or a redis:// URL) [managed]',
    ]);
    expect(io.said[0]).toMatch(/^ {2}must be a valid phone number/);
    const config = await load(dir);
    expect(config.candidate).toEqual({ name: 'Grace Hopper', email: 'grace@example.org', phone: '+442079460958', timezone: zone });
    expect(config.calendars[0]).toMatchObject({ url: 'https://cal.example.org/g.ics' });
    expect(config.mailbox).toMatchObject({ path: path.join(dir, 'mail') });
  });

  it('asks only for what is missing', async () => {
    const dir = await tempDir();
    const io = terminal(['./calendar.ics', 'mail', 'managed']);
    await runInit({ file: 'ringback.yaml', flags: ada, io, force: false, cwd: dir });
    expect(io.asked).toHaveLength(3);
    expect((await load(dir)).calendars[0]).toMatchObject({ path: path.join(dir, 'calendar.ics') });
  });

  it('gives up after repeated invalid answers', async () => {
    const dir = await tempDir();
    const io = terminal(['Ada', 'nope', 'nope', 'nope', 'nope', 'nope']);
    await expect(runInit({ file: 'ringback.yaml', flags: {}, io, force: false, cwd: dir })).rejects.toThrow(
      new BadInputError('--email: no valid answer after 5 tries'),
    );
  });
});
