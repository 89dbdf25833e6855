import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadConfig, parseConfigObject, validateConfigText } from '../../config/load.js';
import { BadInputError } from '../../src/errors.js';
import { CANDIDATE, readExample, tempDir, withFile } from './helpers.js';

const HOME = '/home/ada';
const base = { env: {}, platform: 'linux' as const, homedir: HOME };

/** The problems of a config made of the candidate line plus `extra`. */
function problems(extra: string, env: Record<string, string> = {}): readonly string[] {
  return validateConfigText(CANDIDATE + extra, 'ringback.yaml', '/srv/rb', env, { platform: 'linux', homedir: HOME }).problems;
}

async function loadError(text: string, env: Record<string, string> = {}): Promise<BadInputError> {
  const dir = await withFile(text);
  const error: unknown = await loadConfig({ ...base, env, cwd: dir }).then(
    () => new Error('loaded'),
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(BadInputError);
  return error as BadInputError;
}

describe('loadConfig', () => {
  it('loads the example with every default filled in', async () => {
    const dir = await withFile(await readExample());
    const config = await loadConfig({ ...base, cwd: dir });
    expect(config.file).toBe(path.join(dir, 'ringback.yaml'));
    expect(config.candidate).toEqual({ name: 'Ada Park', email: 'ada@example.org', phone: '+14155550100', timezone: 'America/New_York' });
    expect(config.redis).toEqual({ mode: 'managed' });
    expect(config.dataDir).toBe('/home/ada/.local/share/ringback');
    expect(config.calendars).toEqual([{ type: 'ics', id: expect.stringMatching(/^ics-[0-9a-f]{8}$/), path: path.join(dir, 'calendar.ics') }]);
    expect(config.mailbox).toEqual({ type: 'maildir', id: expect.stringMatching(/^maildir-[0-9a-f]{8}$/), path: path.join(dir, 'mail') });
    expect(config.timing).toEqual({
      confirmLeadMinutes: 60, minLeadMinutes: 10, draftHorizonHours: 24, waitMinutes: 15,
      giveUpMinutes: 30, thankYouDelayMinutes: 60, bufferMinutes: 30, reviewMinutes: 5,
    });
    expect(config.confirmations).toBe('send');
    expect(config.log.level).toBe('info');
  });

  it('fills the same defaults when only the candidate is given', async () => {
    const fromExample = await loadConfig({ ...base, cwd: await withFile(await readExample()) });
    const minimal = await loadConfig({ ...base, cwd: await withFile(CANDIDATE) });
    expect(minimal.calendars).toEqual([]);
    expect(minimal.mailbox).toBeNull();
    expect(minimal.prefix).toBe('ringback');
    for (const key of ['timing', 'policy', 'confirmations', 'detection', 'workingHours', 'sync', 'dashboard', 'log', 'redis', 'dataDir'] as const) {
      expect(minimal[key], key).toEqual(fromExample[key]);
    }
    expect(minimal.detection.keywords).toContain('phone screen');
    expect(minimal.detection.freeMailDomains).toContain('gmail.com');
    expect(minimal.workingHours).toEqual({ days: [1, 2, 3, 4, 5], start: '09:00', end: '17:00' });
    expect(minimal.sync).toEqual({ pollSeconds: 60, horizonDays: 30 });
    expect(minimal.dashboard).toEqual({ port: 7807, host: '127.0.0.1', publicUrl: null });
  });

  it('treats an empty section as not given', async () => {
    const config = await loadConfig({ ...base, cwd: await withFile(`${CANDIDATE}timing:\npolicy:\n`) });
    expect(config.timing.confirmLeadMinutes).toBe(60);
    expect(config.policy).toEqual({ askToCallAfter: 2, moveOnAfter: 2 });
  });

  it('refuses a text field longer than 4096 characters and a file over 1 MB, in one line each', async () => {
    // A 10 MB name was accepted once, and the daemon grew to 550 MB.
    const name = 'A'.repeat(10_000_000);
    const long = `candidate: { name: ${name}, email: ada@example.org, phone: "+1 415 555 0100", timezone: America/New_York }\n`;
    const problems = validateConfigText(long, 'ringback.yaml', '/srv/rb', {}, { platform: 'linux', homedir: HOME }).problems;
    expect(problems).toEqual(['ringback.yaml: candidate.name: is too long: at most 4096 characters (your name; got 10000000)']);
    const dir = await withFile(long);
    const error: unknown = await loadConfig({ ...base, cwd: dir }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(BadInputError);
    expect((error as Error).message).toBe(`ringback.yaml: the file is ${long.length} bytes; a config is at most 1000000 (is it the right file?)`);
  });

  it('says the file is missing and how to make one', async () => {
    const dir = await tempDir();
    await expect(loadConfig({ ...base, cwd: dir })).rejects.toThrow(
      new BadInputError('ringback.yaml: not found (run "ringback init" to write one)'),
    );
  });

  it('reads the file named by RINGBACK_CONFIG, and --config before it', async () => {
    const dir = await tempDir();
    await mkdir(path.join(dir, 'etc'));
    await writeFile(path.join(dir, 'etc', 'rb.yaml'), CANDIDATE.replace('Ada Park', 'From Env'));
    await writeFile(path.join(dir, 'flag.yaml'), CANDIDATE.replace('Ada Park', 'From Flag'));
    const env = { RINGBACK_CONFIG: 'etc/rb.yaml' };
    expect((await loadConfig({ ...base, env, cwd: dir })).candidate.name).toBe('From Env');
    expect((await loadConfig({ ...base, env, cwd: dir, file: 'flag.yaml' })).candidate.name).toBe('From Flag');
    await expect(loadConfig({ ...base, env: { RINGBACK_CONFIG: 'nope.yaml' }, cwd: dir })).rejects.toThrow(
      'nope.yaml: not found (named by RINGBACK_CONFIG; run "ringback init" to write one)',
    );
  });

  it('resolves relative paths against the config file, not the current folder', async () => {
    const dir = await tempDir();
    await mkdir(path.join(dir, 'conf'));
    await writeFile(
      path.join(dir, 'conf', 'ringback.yaml'),
      `${CANDIDATE}dataDir: ../data\ncalendars: [{ type: ics, path: cal/work.ics }, { type: ics, path: ~/home.ics }]\nmailbox: { type: maildir, path: ./mail }\n`,
    );
    const config = await loadConfig({ ...base, cwd: dir, file: 'conf/ringback.yaml' });
    expect(config.dataDir).toBe(path.join(dir, 'data'));
    expect(config.calendars.map((c) => (c.type === 'ics' ? c.path : null))).toEqual([
      path.join(dir, 'conf', 'cal', 'work.ics'),
      '/home/ada/home.ics',
    ]);
    expect(config.mailbox).toMatchObject({ path: path.join(dir, 'conf', 'mail') });
  });

  it('lets REDIS_URL override redis, and checks it', async () => {
    const dir = await withFile(`${CANDIDATE}redis: redis://db.internal:6379/2\n`);
    expect((await loadConfig({ ...base, cwd: dir })).redis).toEqual({ mode: 'url', url: 'redis://db.internal:6379/2' });
    const env = { REDIS_URL: 'rediss://:s3cretPassw0rd@cache:6380/0' };
    expect((await loadConfig({ ...base, env, cwd: dir })).redis).toEqual({ mode: 'url', url: env.REDIS_URL });
    const bad = await loadError(CANDIDATE, { REDIS_URL: 'http://x:hunter22@y' });
    expect(bad.message).toBe('REDIS_URL (environment): must be "managed" or a redis://, rediss:// or unix: URL');
  });

  it('rejects a password in the redis URL of the file without echoing it', async () => {
    const error = await loadError(`${CANDIDATE}redis: redis://:hunter22@db:6379\n`);
    expect(error.message).toBe('ringback.yaml: redis: must not hold a password: set the REDIS_URL environment variable instead');
  });

  it('names the line of a YAML syntax error', async () => {
    const error = await loadError(`${CANDIDATE}timing:\n  confirmLeadMinutes: [60\nconfirmations: send\n`);
    expect(error.message).toMatch(/^ringback\.yaml: line \d+: YAML syntax error: \S/);
    expect(error.message).not.toContain('\n');
    const tabbed = await loadError('candidate:\n\tname: Ada\n');
    expect(tabbed.message).toMatch(/^ringback\.yaml: line 2: YAML syntax error: /);
  });

  it('names the first problem in the file and counts the rest', async () => {
    const error = await loadError(`${CANDIDATE}timing: { confirmLeadMinutes: 5 }\nconfirmations: sned\npolicy: { moveOnAfter: 11 }\n`);
    expect(error.message).toBe('ringback.yaml: timing.confirmLeadMinutes: must be between 15 and 240 (got 5) (and 2 more problems)');
  });

  it('reads a folder given as the file as bad input', async () => {
    const dir = await tempDir();
    await mkdir(path.join(dir, 'ringback.yaml'));
    await expect(loadConfig({ ...base, cwd: dir })).rejects.toBeInstanceOf(BadInputError);
  });
});

describe('validateConfigText', () => {
  it('returns every problem, one line each, in file order', () => {
    const found = problems('timing: { confirmLeadMinuts: 60, waitMinutes: 200 }\nconfirmations: sned\nlog: { level: loud }\n');
    expect(found).toEqual([
      'ringback.yaml: timing.confirmLeadMinuts: unknown field (did you mean "confirmLeadMinutes"?)',
      'ringback.yaml: timing.waitMinutes: must be between 5 and 120 (got 200)',
      'ringback.yaml: confirmations: "sned" is not one of send, draft, off (did you mean "send"?)',
      'ringback.yaml: log.level: "loud" is not one of info, fatal, error, warn, debug, trace, silent',
    ]);
  });

  it('says an empty file is empty', () => {
    expect(validateConfigText('# nothing\n', 'ringback.yaml', '/srv', {}).problems).toEqual([
      'ringback.yaml: is empty (run "ringback init" to write one)',
    ]);
  });

  it('refuses a document that is not a mapping', () => {
    expect(validateConfigText('- a\n- b\n', 'ringback.yaml', '/srv', {}).problems).toEqual([
      'ringback.yaml: must be a mapping of settings (got a list)',
    ]);
  });

  it('stops alias bombs with one line', () => {
    const bomb = ['a: &a [x, x, x, x, x, x, x, x, x, x]', ...'bcdefgh'.split('').map((k, i) => `${k}: &${k} [${Array(10).fill(`*${'abcdefgh'[i]}`).join(', ')}]`)].join('\n');
    const result = validateConfigText(bomb, 'ringback.yaml', '/srv', {});
    expect(result.config).toBeNull();
    expect(result.problems[0]).toMatch(/^ringback\.yaml: /);
  });
});

describe('parseConfigObject', () => {
  it('validates settings that come from code', () => {
    const config = parseConfigObject(
      { candidate: { name: 'Ada', email: 'ADA@Example.org', phone: '+44 20 7946 0958', timezone: 'Europe/London' }, confirmations: 'draft' },
      { baseDir: '/srv', env: {}, platform: 'darwin', homedir: '/Users/ada' },
    );
    expect(config.file).toBeNull();
    expect(config.candidate.email).toBe('ada@example.org');
    expect(config.candidate.phone).toBe('+442079460958');
    expect(config.dataDir).toBe('/Users/ada/Library/Application Support/ringback');
    expect(config.confirmations).toBe('draft');
  });

  it('throws one line naming the field', () => {
    expect(() => parseConfigObject({ candidate: { name: 'Ada' } }, { baseDir: '/srv', env: {}, label: 'demo' })).toThrow(
      new BadInputError('demo: candidate.email: required (an email address, like ada@example.org) (and 2 more problems)'),
    );
  });
});
