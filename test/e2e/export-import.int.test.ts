/**
 * `ringback export` / `ringback import` as a user moving to a new machine runs them: a real
 * calendar file and Maildir, a daemon that sends a confirmation, an export, an import into a fresh
 * key prefix of the test's Redis, and a daemon started there. A damaged export is refused whole.
 */
import { cp, mkdtemp, mkdir, readFile, readdir, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { describe, expect, inject, it } from 'vitest';
import { readHeaders } from '../../src/providers/mail/mime.js';
import { lastSyncTime } from '../../src/store/accounts.js';
import { importCompany, listCompanies } from '../../src/store/companies.js';
import { createStore, key } from '../../src/store/store.js';
import { recordUndelivered } from '../../src/store/undelivered.js';
import { harnessCalendarToIcs } from '../providers/calendar/contract.js';
import { interviewEvent, MINUTE } from '../support/engine-harness.js';
import { configHead, runCli, spawnCli } from './cli.js';

const ENV = { RINGBACK_SECRET_KEY: '44'.repeat(32), REDIS_URL: undefined };

async function messageIds(maildir: string, folder: string): Promise<string[]> {
  const ids: string[] = [];
  for (const sub of ['cur', 'new']) {
    let names: string[] = [];
    try {
      names = await readdir(join(maildir, folder, sub));
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    }
    for (const n of names) {
      const id = readHeaders(await readFile(join(maildir, folder, sub, n))).messageId;
      if (id) ids.push(id);
    }
  }
  return ids;
}

async function until(check: () => Promise<boolean>, timeoutMs: number, what: () => string): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what()}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** A setup of its own (calendar, Maildir, key prefix) in `dir`, reading `calendar.ics` there. */
async function setup(dir: string, name: string): Promise<string> {
  for (const sub of ['cur', 'new', 'tmp']) await mkdir(join(dir, 'mail', sub), { recursive: true });
  const config = join(dir, 'ringback.yaml');
  await writeFile(
    config,
    [
      ...configHead(dir, name),
      'calendars: [{ type: ics, id: cal, path: ./calendar.ics }]',
      'mailbox: { type: maildir, id: mail, path: ./mail }',
      'timing: { confirmLeadMinutes: 15, reviewMinutes: 0 }',
    ].join('\n'),
  );
  return config;
}

function prefixOf(config: string): Promise<string> {
  return readFile(config, 'utf8').then((text) => /^prefix: (.+)$/m.exec(text)?.[1] ?? '');
}

async function withStore<T>(config: string, act: (store: ReturnType<typeof createStore>) => Promise<T>): Promise<T> {
  const redis = new Redis(inject('redisUrl'));
  try {
    return await act(createStore(redis, await prefixOf(config)));
  } finally {
    redis.disconnect();
  }
}

/** The interview and company records under the setup's prefix, each key with its content. */
async function records(config: string): Promise<Record<string, unknown>> {
  return withStore(config, async (store) => {
    const out: Record<string, unknown> = {};
    for (const k of [...(await store.redis.keys(key(store, 'iv*'))), ...(await store.redis.keys(key(store, 'compan*')))].sort()) {
      const type = await store.redis.type(k);
      if (type === 'string') out[k] = (await store.redis.getBuffer(k))?.toString('base64');
      else if (type === 'hash') out[k] = await store.redis.hgetall(k);
      else if (type === 'set') out[k] = (await store.redis.smembers(k)).sort();
      else if (type === 'zset') out[k] = await store.redis.zrange(k, 0, -1, 'WITHSCORES');
      else out[k] = type;
    }
    return out;
  });
}

/** Every key under the setup's prefix (`{prefix}:…`, store.ts). */
async function keysOf(config: string): Promise<string[]> {
  return withStore(config, async (store) => (await store.redis.keys(key(store, '*'))).sort());
}

async function listed(config: string): Promise<unknown[]> {
  const r = await runCli(['--config', config, 'interviews', '--json'], { env: ENV });
  expect(r.stderr).toBe('');
  return JSON.parse(r.stdout) as unknown[];
}

/** A daemon run until `done` holds, then stopped with SIGTERM. */
async function runDaemon(config: string, done: (output: string) => Promise<boolean>, what: string): Promise<string> {
  const daemon = spawnCli(['--config', config, 'start'], { env: ENV });
  try {
    await until(() => done(daemon.output()), 60_000, () => `${what}\n${daemon.output()}`);
  } finally {
    daemon.kill('SIGTERM');
    await new Promise((r) => daemon.once('exit', r));
  }
  return daemon.output();
}

interface ExportFile {
  interviews: Record<string, unknown>[];
  [field: string]: unknown;
}

/** An export of one interview whose confirmation was sent, with a bounce and a company record. */
async function exported(): Promise<{ dir: string; file: string; data: ExportFile; before: unknown[] }> {
  const dir = await mkdtemp(join(tmpdir(), 'ringback-impex-'));
  const start = Math.floor((Date.now() + 15 * MINUTE + 6_000) / 1000) * 1000;
  await writeFile(join(dir, 'calendar.ics'), harnessCalendarToIcs([interviewEvent({ uid: 'impex-1', start, description: 'Please call +1 415 555 0199.' })]));
  const config = await setup(join(dir, 'a'), 'impex-a');
  await cp(join(dir, 'calendar.ics'), join(dir, 'a', 'calendar.ics'));
  await runDaemon(config, async () => (await messageIds(join(dir, 'a', 'mail'), '.Sent')).length >= 1, 'the confirmation in Sent');
  const [first] = (await listed(config)) as { id: string }[];
  const id = first?.id ?? '';
  await withStore(config, async (store) => {
    await recordUndelivered(store, id, {
      kind: 'confirmation',
      messageId: `<ringback.${id}.confirmation.1@example.org>`,
      recipient: 'dana@acme.example',
      status: '4.2.2',
      reason: '452 4.2.2 Mailbox full',
      reportedAt: Date.now(),
    });
    await importCompany(store, { company: 'acme.example', noShows: ['iv0000000001'], candidateMisses: [], pattern: false, clearedAt: null });
  });
  const file = join(dir, 'export.json');
  const r = await runCli(['--config', config, 'export', file], { env: ENV });
  expect(r.stderr).toBe('');
  expect(r.code).toBe(0);
  return { dir, file, data: JSON.parse(await readFile(file, 'utf8')) as ExportFile, before: await listed(config) };
}

/** A fresh setup on "the new machine": the same calendar and a copy of the same mailbox. */
async function fresh(dir: string, name: string): Promise<string> {
  const config = await setup(join(dir, name), `impex-${name}`);
  await cp(join(dir, 'calendar.ics'), join(dir, name, 'calendar.ics'));
  await cp(join(dir, 'a', 'mail'), join(dir, name, 'mail'), { recursive: true });
  return config;
}

describe('ringback export and import', () => {
  it('moves interviews, their actions, emails, bounces and companies to a fresh store; twice is once; the daemon there sends nothing again', async () => {
    const { dir, file, data, before } = await exported();
    expect(data.interviews).toHaveLength(1);
    const entry = data.interviews[0] as { emails: { kind: string; state: string }[]; undelivered: unknown[] };
    expect(entry.emails).toContainEqual(expect.objectContaining({ kind: 'confirmation', state: 'sent' }));
    expect(entry.undelivered).toHaveLength(1);

    const config = await fresh(dir, 'b');
    const imported = await runCli(['--config', config, 'import', file], { env: ENV });
    expect(imported.stderr).toBe('');
    expect(imported.code).toBe(0);
    expect(imported.stdout).toContain('imported 1 interview');
    expect(await listed(config)).toEqual(before);
    expect((await keysOf(config)).length).toBeGreaterThan(0);
    const companies = await withStore(config, async (store) => listCompanies(store));
    expect(companies).toEqual([expect.objectContaining({ company: 'acme.example', noShows: ['iv0000000001'], pattern: false })]);

    // Twice: nothing changes the second time.
    const keys = await keysOf(config);
    const kept = await records(config);
    expect(Object.keys(kept).length).toBeGreaterThan(2);
    const again = await runCli(['--config', config, 'import', file], { env: ENV });
    expect(again.code).toBe(0);
    expect(again.stdout).toContain('imported 0 interviews');
    expect(await listed(config)).toEqual(before);
    expect(await keysOf(config)).toEqual(keys);
    expect(await records(config)).toEqual(kept);

    // The daemon on the new machine: its first sync done, no second confirmation sent or drafted.
    const mail = join(dir, 'b', 'mail');
    const sentBefore = await messageIds(mail, '.Sent');
    const startedAt = Date.now();
    await runDaemon(config, async () => ((await withStore(config, (store) => lastSyncTime(store, 'cal'))) ?? 0) >= startedAt, 'the first sync');
    expect(await messageIds(mail, '.Sent')).toEqual(sentBefore);
    expect((await messageIds(mail, '.Drafts')).filter((m) => m.includes('.confirmation.'))).toEqual([]);
  }, 150_000);

  it('imports an export of an older version, whose entries lack the optional fields', async () => {
    const { dir, data, before } = await exported();
    const old = {
      ...data,
      interviews: data.interviews.map(({ uid: _uid, dialIn: _dialIn, duplicateOf: _d, duplicateBy: _b, counterpartRole: _r, confidence: _c, evidence: _e, decidedBy: _by, undelivered: _u, ...rest }) => ({
        ...rest,
        emails: (rest.emails as Record<string, unknown>[]).map(({ to: _to, start: _start, submittedAt: _s, ...e }) => e),
      })),
    };
    const file = join(dir, 'old.json');
    await writeFile(file, JSON.stringify(old));
    const config = await fresh(dir, 'c');
    const r = await runCli(['--config', config, 'import', file], { env: ENV });
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const [after] = (await listed(config)) as Record<string, unknown>[];
    expect(after).toMatchObject({ id: (before[0] as { id: string }).id, status: 'scheduled' });
  }, 120_000);

  it('refuses a damaged export with one line naming the entry and the field, exit 2, and writes nothing', async () => {
    const { dir, data } = await exported();
    const good = data.interviews[0] as Record<string, unknown>;
    const secondId = 'iv00000000ab';
    const damaged: [string, (entry: Record<string, unknown>) => Record<string, unknown>, RegExp][] = [
      ['no counterpart', ({ counterpart: _c, ...e }) => e, /counterpart/],
      ['email missing', (e) => ({ ...e, counterpart: { name: 'Dana' } }), /counterpart\.email/],
      ['start a string', (e) => ({ ...e, start: '2026-12-06T10:00:00Z' }), /\bstart\b/],
      ['unknown status', (e) => ({ ...e, status: 'postponed' }), /\bstatus\b.*scheduled/],
      ['actions not an array', (e) => ({ ...e, actions: {} }), /\bactions\b/],
      ['emails not an array', (e) => ({ ...e, emails: 'none' }), /\bemails\b/],
      ['an email of an unknown state', (e) => ({ ...e, emails: [{ ...(e.emails as object[])[0], state: 'lost' }] }), /emails\[0\]\.state/],
      ['an action of an unknown kind', (e) => ({ ...e, actions: [{ ...(e.actions as object[])[0], kind: 'fax' }] }), /actions\[0\]\.kind/],
      ['id with a bar', (e) => ({ ...e, id: 'iv00|0000ab' }), /\bid\b/],
      ['id with a newline', (e) => ({ ...e, id: 'iv0000\n0000ab' }), /\bid\b/],
      ['a title far too long', (e) => ({ ...e, title: 'x'.repeat(100_000) }), /\btitle\b/],
    ];
    for (const [what, damage, field] of damaged) {
      const config = await fresh(dir, `d${damaged.findIndex(([w]) => w === what)}`);
      // The damaged entry comes second: the first, sound one must not be written either.
      const file = join(dir, `damaged-${what.replace(/\W+/g, '-')}.json`);
      await writeFile(file, JSON.stringify({ ...data, interviews: [good, damage({ ...good, id: secondId, eventId: 'other' })] }));
      const r = await runCli(['--config', config, 'import', file], { env: ENV });
      expect(r.code, what).toBe(2);
      const lines = r.stderr.trim().split('\n');
      expect(lines, what).toHaveLength(1);
      expect(lines[0], what).toMatch(/interviews\[1\]/);
      if (what.startsWith('id with')) expect(lines[0], what).toMatch(/interviews\[1\]/);
      else expect(lines[0], what).toContain(secondId);
      expect(lines[0], what).toMatch(field);
      // Not the whole entry echoed back.
      expect(lines[0]?.length ?? 0, what).toBeLessThan(400);
      expect(await keysOf(config), what).toEqual([]);
    }
  }, 240_000);

  it('refuses an export with a field of 50 MB, naming it, and writes nothing', async () => {
    const { dir, data } = await exported();
    const good = data.interviews[0] as Record<string, unknown>;
    const config = await fresh(dir, 'e');
    const file = join(dir, 'big.json');
    await writeFile(file, JSON.stringify({ ...data, interviews: [good, { ...good, id: 'iv00000000cd', eventId: 'other', notes: 'x'.repeat(50 * 1024 * 1024) }] }));
    const r = await runCli(['--config', config, 'import', file], { env: ENV });
    expect(r.code).toBe(2);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(/big\.json: interviews\[1\] \(iv00000000cd\): notes is longer than/);
    expect(await keysOf(config)).toEqual([]);
  }, 120_000);
});
