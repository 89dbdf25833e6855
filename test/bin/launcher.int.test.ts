/**
 * bin/ringback.js runs the compiled command while it is current, and the sources through tsx
 * once they differ from what was compiled. A copy of the package (its node_modules linked) is
 * built with bin/build.js, as `npm ci` builds a clone; a recorder preloaded into the command
 * (../e2e/loaded-packages.mjs) tells whether tsx was loaded.
 */
import { execFile } from 'node:child_process';
import { appendFile, cp, mkdir, mkdtemp, readdir, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { testPrefix } from '../support/prefix.js';

const run = promisify(execFile);
const REPO = join(import.meta.dirname, '..', '..');
const RECORDER = join(import.meta.dirname, '..', 'e2e', 'loaded-packages.mjs');

let root: string;

/** Runs the command of the copy; a non-zero exit fails the test. */
async function ringback(args: readonly string[], env: Record<string, string | undefined> = {}): Promise<{ stdout: string; packages: string[] }> {
  const file = join(root, `packages-${Math.random().toString(36).slice(2)}.txt`);
  await writeFile(file, '');
  const { stdout } = await run(process.execPath, ['--import', RECORDER, join(root, 'bin', 'ringback.js'), ...args], {
    cwd: root,
    env: { ...process.env, LOADED_PACKAGES_FILE: file, ...env },
    timeout: 30_000,
  });
  return { stdout, packages: (await readFile(file, 'utf8')).split('\n').filter(Boolean) };
}

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'ringback-launcher-'));
  for (const path of ['bin', 'src', 'workers', 'config', 'package.json', 'tsconfig.json']) await cp(join(REPO, path), join(root, path), { recursive: true });
  await symlink(join(REPO, 'node_modules'), join(root, 'node_modules'), 'dir');
  const { stdout } = await run(process.execPath, [join(root, 'bin', 'build.js')], { cwd: root, timeout: 60_000 });
  expect(stdout).toContain('compiled to dist/cli');
}, 90_000);

afterAll(async () => {
  if (root) await rm(root, { recursive: true, force: true });
});

describe('bin/ringback.js', () => {
  it('runs the compiled command right after a build, without tsx', async () => {
    const { version } = JSON.parse(await readFile(join(root, 'package.json'), 'utf8')) as { version: string };
    const { stdout, packages } = await ringback(['--version']);
    expect(stdout.trim()).toBe(version);
    expect(packages).toContain('commander');
    expect(packages).not.toContain('tsx');
  });

  it('doctor says which build runs: the current one passes, a stale one warns in one line with its fix', async () => {
    for (const sub of ['cur', 'new', 'tmp']) await mkdir(join(root, 'mail', sub), { recursive: true });
    await writeFile(join(root, 'calendar.ics'), 'BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//ringback//launcher//EN\r\nEND:VCALENDAR\r\n');
    const config = join(root, 'ringback.yaml');
    await writeFile(
      config,
      [
        'candidate: { name: Ada Park, email: ada@example.org, phone: "+1 415 555 0100", timezone: America/New_York }',
        `redis: ${inject('redisUrl')}`,
        `dataDir: ${join(root, 'data')}`,
        `prefix: ${testPrefix('launcher')}`,
        'calendars:',
        '  - { type: ics, id: cal, path: ./calendar.ics }',
        'mailbox: { type: maildir, id: mail, path: ./mail }',
      ].join('\n'),
    );
    // Exit 0 each time (ringback() fails on any other): a stale build is a warning, not a failure.
    const commandLine = async () => {
      const { stdout, packages } = await ringback(['--config', config, 'doctor'], { RINGBACK_SECRET_KEY: '33'.repeat(32), REDIS_URL: undefined });
      return { lines: stdout.split('\n').filter((line) => line.includes('command:')), tsx: packages.includes('tsx') };
    };
    expect(await commandLine()).toEqual({ lines: ['✓ command: the compiled build in dist/cli, current with the sources'], tsx: false });

    // A source changed since the build, as after a `git pull` without `npm ci`.
    await appendFile(join(root, 'src', 'domain', 'time.ts'), '\n// changed after the build\n');
    const stale = await commandLine();
    expect(stale.tsx).toBe(true);
    expect(stale.lines).toEqual([
      '! command: runs from the TypeScript sources through tsx (slower to start, 30–40 MB more memory): the build in dist/cli is stale ' +
        '(made from other sources than these); run "npm run build:cli" (or "npm ci") in the ringback folder',
    ]);

    // The fix it names.
    await run('npm', ['run', '--silent', 'build:cli'], { cwd: root, timeout: 60_000 });
    expect(await commandLine()).toEqual({ lines: ['✓ command: the compiled build in dist/cli, current with the sources'], tsx: false });
  }, 120_000);

  it('runs the sources through tsx once a source differs from the build', async () => {
    const main = join(root, 'src', 'cli', 'main.ts');
    await writeFile(main, (await readFile(main, 'utf8')).replace("'print the version'", "'print the version (edited)'"));
    const { stdout, packages } = await ringback(['--help']);
    expect(stdout).toContain('print the version (edited)');
    expect(packages).toContain('tsx');
  });

  it('keeps the files of the build before (a daemon started from it loads its modules later), and removes older ones', async () => {
    const listed = async () => (JSON.parse(await readFile(join(root, 'dist', 'cli', 'build.json'), 'utf8')) as { files: string[] }).files;
    const present = async () => new Set(await readdir(join(root, 'dist', 'cli')));
    // A change in a module the dashboard loads on its first request: its chunk gets a new name.
    const routes = join(root, 'src', 'http', 'routes.ts');
    const rebuild = async (marker: number) => {
      await writeFile(routes, `${await readFile(routes, 'utf8')}\n(globalThis as Record<string, unknown>).buildMarker = ${marker};\n`);
      await run(process.execPath, [join(root, 'bin', 'build.js')], { cwd: root, timeout: 60_000 });
    };
    await rebuild(1);
    const first = await listed();
    await rebuild(2);
    const second = await listed();
    expect(second).not.toEqual(first);
    expect([...(await present())]).toEqual(expect.arrayContaining(first));
    await rebuild(3);
    const third = await listed();
    const files = await present();
    expect([...files]).toEqual(expect.arrayContaining([...second, ...third]));
    const onlyFirst = first.filter((f) => !second.includes(f) && !third.includes(f));
    expect(onlyFirst.length).toBeGreaterThan(0);
    for (const f of onlyFirst) expect(files.has(f), f).toBe(false);
  }, 60_000);
});
