import { chmod, readdir, readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadConfig, validateConfigText } from '../../config/load.js';
import { addAccountToConfigFile, renderConfig } from '../../config/write.js';
import { BadInputError } from '../../src/errors.js';
import { readExample, withFile } from './helpers.js';

const base = { env: {}, platform: 'linux' as const, homedir: '/home/ada' };
const ada = { name: 'Ada Park', email: 'ada@example.org', phone: '+1 415 555 0100', timezone: 'America/New_York' };

describe('renderConfig', () => {
  it('writes the example from the example values', async () => {
    const text = renderConfig({ candidate: ada, calendars: [{ type: 'ics', path: './calendar.ics' }], mailbox: { type: 'maildir', path: './mail' } });
    expect(text).toBe(await readExample());
  });

  it('renders other accounts and awkward values so that they load back', () => {
    const text = renderConfig({
      candidate: { name: "Zoë O'Hara: #1", email: 'zoe@example.org', phone: '+33 6 12 34 56 78', timezone: 'Europe/Paris' },
      redis: 'redis://db.internal:6379/3',
      calendars: [
        { type: 'caldav', id: 'work', url: 'https://dav.example.org/', username: 'zoe', calendars: [] },
        { type: 'google', account: 'zoe@gmail.com', calendars: ['primary', 'jobs@group.calendar.google.com'] },
      ],
      mailbox: { type: 'imap', host: 'imap.example.org', port: 993, secure: true, username: 'zoe', smtp: { host: 'smtp.example.org', port: 465, secure: true }, serverFilesSent: false },
    });
    const result = validateConfigText(text, 'ringback.yaml', '/srv', {}, { platform: 'linux', homedir: '/home/zoe' });
    expect(result.problems).toEqual([]);
    expect(result.config?.candidate).toEqual({ name: "Zoë O'Hara: #1", email: 'zoe@example.org', phone: '+33612345678', timezone: 'Europe/Paris' });
    expect(result.config?.calendars.map((c) => c.id)).toEqual(['work', 'google']);
    expect(result.config?.redis).toEqual({ mode: 'url', url: 'redis://db.internal:6379/3' });
    expect(result.config?.mailbox).toMatchObject({ type: 'imap', smtp: { port: 465 } });
  });
});

describe('addAccountToConfigFile', () => {
  it('adds a calendar and keeps every comment', async () => {
    const dir = await withFile(await readExample());
    const file = path.join(dir, 'ringback.yaml');
    const before = await readFile(file, 'utf8');
    const result = await addAccountToConfigFile(file, { calendars: [{ type: 'google', id: 'google', account: 'ada@gmail.com', calendars: ['primary'] }] });
    expect(result).toEqual({ added: ['google'], replaced: [] });
    const after = await readFile(file, 'utf8');
    const entry = '  - type: google\n    id: google\n    account: ada@gmail.com\n    calendars:\n      - primary\n';
    expect(after).toBe(before.replace('    path: ./calendar.ics\n', `    path: ./calendar.ics\n${entry}`));
    const config = await loadConfig({ ...base, cwd: dir });
    expect(config.calendars.map((c) => c.type)).toEqual(['ics', 'google']);
    expect(await readdir(dir)).toEqual(['ringback.yaml']);
  });

  it('makes the file readable by its owner only once it holds a calendar\'s secret address', async () => {
    // Only "ringback init" wrote 0600: a world-readable file kept its rights when a secret ics URL was added.
    const dir = await withFile(await readExample());
    const file = path.join(dir, 'ringback.yaml');
    await chmod(file, 0o644);
    await addAccountToConfigFile(file, { calendars: [{ type: 'google', id: 'google', account: 'ada@gmail.com', calendars: ['primary'] }] });
    expect((await stat(file)).mode & 0o777).toBe(0o644);
    await addAccountToConfigFile(file, { calendars: [{ type: 'ics', id: 'secret', url: 'https://calendar.example.org/private-3f9a0c12d4/basic.ics' }] });
    expect((await stat(file)).mode & 0o777).toBe(0o600);
  });

  it('replaces the entry with the same id in place, keeping its comments', async () => {
    const dir = await withFile(
      [
        'candidate: { name: Ada, email: ada@example.org, phone: "+1 415 555 0100", timezone: UTC }',
        'calendars:',
        '  # my work calendar',
        '  - type: caldav',
        '    id: work',
        '    url: https://old.example.org/  # the old server',
        '    username: ada',
        '  - type: ics',
        '    path: ./calendar.ics',
        '',
      ].join('\n'),
    );
    const file = path.join(dir, 'ringback.yaml');
    const { calendars } = await loadConfig({ ...base, cwd: dir });
    const icsId = calendars[1]?.id ?? '';
    const result = await addAccountToConfigFile(file, {
      calendars: [
        { type: 'caldav', id: 'work', url: 'https://new.example.org/', username: 'ada', calendars: [] },
        { type: 'ics', id: icsId, path: path.join(dir, 'other.ics') },
      ],
    });
    expect(result).toEqual({ added: [], replaced: ['work', icsId] });
    const text = await readFile(file, 'utf8');
    expect(text).toContain('# my work calendar');
    expect(text).toContain('# the old server');
    expect(text).toContain('path: ./other.ics');
    const config = await loadConfig({ ...base, cwd: dir });
    expect(config.calendars).toEqual([
      { type: 'caldav', id: 'work', url: 'https://new.example.org/', username: 'ada', calendars: [] },
      { type: 'ics', id: icsId, path: path.join(dir, 'other.ics') },
    ]);
  });

  it('replaces the mailbox and keeps the file mode', async () => {
    const dir = await withFile(await readExample());
    const file = path.join(dir, 'ringback.yaml');
    await chmod(file, 0o640);
    const mailbox = { type: 'imap', id: 'imap-ada', host: 'imap.example.org', port: 993, secure: true, username: 'ada', smtp: { host: 'smtp.example.org', port: 587, secure: false }, serverFilesSent: false } as const;
    expect(await addAccountToConfigFile(file, { mailbox })).toEqual({ added: [], replaced: ['imap-ada'] });
    expect((await loadConfig({ ...base, cwd: dir })).mailbox).toEqual(mailbox);
    expect((await stat(file)).mode & 0o777).toBe(0o640);
    expect(await readFile(file, 'utf8')).toContain('# The mailbox where drafts are written');
  });

  it('leaves a file it has nothing to add to as it was', async () => {
    const text = await readExample();
    const dir = await withFile(text);
    await addAccountToConfigFile(path.join(dir, 'ringback.yaml'), {});
    expect(await readFile(path.join(dir, 'ringback.yaml'), 'utf8')).toBe(text);
  });

  it('writes nothing when the result would not load', async () => {
    const text = await readExample();
    const dir = await withFile(text);
    const file = path.join(dir, 'ringback.yaml');
    await expect(addAccountToConfigFile(file, { calendars: [{ type: 'google', id: 'not an id!', account: 'ada@gmail.com', calendars: [] }] })).rejects.toThrow(BadInputError);
    expect(await readFile(file, 'utf8')).toBe(text);
  });

  it('creates the calendars list when the file has none', async () => {
    const dir = await withFile('# mine\ncandidate: { name: Ada, email: ada@example.org, phone: "+1 415 555 0100", timezone: UTC }\n');
    const file = path.join(dir, 'ringback.yaml');
    const result = await addAccountToConfigFile(file, { calendars: [{ type: 'microsoft', id: 'microsoft', account: 'ada@outlook.com' }], mailbox: { type: 'microsoft', id: 'microsoft', account: 'ada@outlook.com' } });
    expect(result).toEqual({ added: ['microsoft', 'microsoft'], replaced: [] });
    const config = await loadConfig({ ...base, cwd: dir });
    expect(config.calendars).toEqual([{ type: 'microsoft', id: 'microsoft', account: 'ada@outlook.com' }]);
    expect(config.mailbox).toEqual({ type: 'microsoft', id: 'microsoft', account: 'ada@outlook.com' });
    expect(await readFile(file, 'utf8')).toMatch(/^# mine\n/);
  });

  it('says when the file is missing', async () => {
    const dir = await withFile('x: 1\n');
    await expect(addAccountToConfigFile(path.join(dir, 'nope.yaml'), {})).rejects.toThrow(/nope\.yaml: not found \(run "ringback init" to write one\)/);
  });
});
