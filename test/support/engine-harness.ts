/**
 * The engine as `ringback start` runs it (real Redis, real BullMQ workers, the ics source on a temp
 * file, the Maildir mailbox on a temp folder), with a clock the test can move forward. Moving the
 * clock and calling `reconcile` brings the queue's delayed jobs to the new "now", so a timeline of
 * hours runs in seconds while the queue runs for real.
 */
import { mkdir, mkdtemp, readFile, readdir, rename, rm, unlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { simpleParser, type ParsedMail } from 'mailparser';
import { inject } from 'vitest';
import type { ResolvedConfig } from '../../config/types.js';
import { parseConfigObject } from '../../config/load.js';
import { startDaemon, type Daemon } from '../../src/daemon/daemon.js';
import { syncWithLease } from '../../workers/sync.js';
import { buildEngine, closeEngine, openRuntime, type Runtime } from '../../src/daemon/runtime.js';
import type { Engine } from '../../src/engine/context.js';
import { reconcile } from '../../src/engine/reconcile.js';
import type { SyncSummary } from '../../src/engine/sync.js';
import { readAudit, type AuditRecord } from '../../src/store/audit.js';
import { createLogger } from '../../src/cli/io.js';
import { interviewIdFor } from '../../src/domain/ids.js';
import { harnessCalendarToIcs, type HarnessEvent } from '../providers/calendar/contract.js';
import { testPrefix } from './prefix.js';

export const CANDIDATE = { name: 'Ada Park', email: 'ada@example.org', phone: '+1 415 555 0100', timezone: 'America/New_York' };

export interface MailFile {
  readonly path: string;
  readonly mail: ParsedMail;
}

export interface EngineHarness {
  readonly dir: string;
  readonly maildir: string;
  readonly config: ResolvedConfig;
  readonly engine: Engine;
  readonly runtime: Runtime;
  /** Real time plus the offset the test has moved the clock by. */
  now(): number;
  /**
   * Moves the clock forward and brings the queue's due times along (the reconciler); with
   * `reconcile: false` only the clock moves, as between two runs of the reconciler (hourly).
   * Once the daemon is started, its calendars are synced first, as its polls (every minute)
   * would have done meanwhile: a send goes only on a calendar read lately (src/domain/unread.ts).
   * `sync: false` leaves them unread, as a calendar that cannot be read or a wait between two
   * syncs (src/engine/vanishing.ts).
   */
  advance(ms: number, options?: { reconcile?: boolean; sync?: boolean }): Promise<void>;
  setEvents(events: readonly HarnessEvent[]): Promise<void>;
  /** Writes raw calendar text (for malformed input). */
  setCalendarText(text: string): Promise<void>;
  sync(): Promise<SyncSummary>;
  /** Starts the workers, as `ringback start` does (the health probe every `probeEveryMs`). */
  start(options?: { probeEveryMs?: number }): Promise<void>;
  /**
   * Stops the workers, as `ringback stop` or a computer going to sleep does; the store and the
   * engine stay, and `start` runs the workers again. Meanwhile `advance` neither syncs nor runs jobs.
   */
  stopDaemon(): Promise<void>;
  /**
   * Stops the daemon, reads the config again with `candidate` changed (the user edited
   * ringback.yaml: moved to another zone) and opens the store and the engine anew on the same
   * Redis prefix, calendar and mailbox, as `ringback start` after an edit does. The workers stay
   * stopped: `start` runs them.
   */
  reopenWith(candidate: Partial<typeof CANDIDATE>): Promise<void>;
  folder(name: 'Drafts' | 'Sent' | 'INBOX'): Promise<MailFile[]>;
  /** What a mail client does when the user sends a draft: the file moves to Sent. */
  userSends(path: string): Promise<void>;
  userDeletes(path: string): Promise<void>;
  /**
   * What a mail client does when the user edits a draft in the Maildir: a new file in Drafts with the
   * same headers (Message-ID included) and `text`, the old file removed (maildir.ts).
   */
  userEdits(path: string, text: string): Promise<void>;
  deliverToInbox(raw: string): Promise<void>;
  audit(interviewId?: string): Promise<AuditRecord[]>;
  waitForAudit(predicate: (r: AuditRecord) => boolean, timeoutMs?: number): Promise<AuditRecord>;
  stop(): Promise<void>;
}

export interface HarnessOptions {
  /** Calendar and mailbox entries as in ringback.yaml; default: an ics file (id `cal`) and a Maildir (id `mail`). */
  readonly calendars?: readonly Record<string, unknown>[];
  readonly mailbox?: Record<string, unknown>;
  /** Secrets per account id, stored in the vault before the adapters are built (what `connect` does). */
  readonly secrets?: Readonly<Record<string, Readonly<Record<string, string>>>>;
  readonly timing?: Record<string, number>;
  readonly policy?: Record<string, number>;
  readonly confirmations?: 'send' | 'draft' | 'off';
  readonly extra?: Record<string, unknown>;
  /** Accounts that cannot be opened at start are then left to the daemon (outage tests). */
  readonly allowProblems?: boolean;
  /** `redis:` of the config; default: the Redis of the test run. */
  readonly redisUrl?: string;
}

function folderPath(maildir: string, name: 'Drafts' | 'Sent' | 'INBOX'): string {
  return name === 'INBOX' ? maildir : join(maildir, `.${name}`);
}

/**
 * One sync of one account, as the daemon's sync job runs it. A started daemon syncs at once too:
 * when its sync holds the account's lease, wait for it to finish and sync again, so that what the
 * test wrote last is read.
 */
export async function syncOnce(engine: Engine, accountId: string): Promise<SyncSummary> {
  const until = Date.now() + 30_000;
  for (;;) {
    const summary = await syncWithLease(engine, accountId, new AbortController().signal);
    if (summary) return summary;
    if (Date.now() > until) throw new Error(`the sync lease of ${accountId} stayed held for 30 s`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

export async function startEngineHarness(options: HarnessOptions = {}): Promise<EngineHarness> {
  const dir = await mkdtemp(join(tmpdir(), 'ringback-engine-'));
  const maildir = join(dir, 'mail');
  for (const sub of ['cur', 'new', 'tmp']) await mkdir(join(maildir, sub), { recursive: true });
  const calendarFile = join(dir, 'calendar.ics');
  await writeFile(calendarFile, harnessCalendarToIcs([]));
  const configOf = (candidate: typeof CANDIDATE): ResolvedConfig => parseConfigObject(
    {
      candidate,
      redis: options.redisUrl ?? inject('redisUrl'),
      dataDir: join(dir, 'data'),
      prefix: testPrefix('engine'),
      calendars: options.calendars ?? [{ type: 'ics', id: 'cal', path: calendarFile }],
      mailbox: options.mailbox ?? { type: 'maildir', id: 'mail', path: maildir },
      // No review window unless a test asks for one: the timeline tests pin the lead-time rules.
      timing: { confirmLeadMinutes: 15, reviewMinutes: 0, ...(options.timing ?? {}) },
      ...(options.policy ? { policy: options.policy } : {}),
      ...(options.confirmations ? { confirmations: options.confirmations } : {}),
      ...(options.extra ?? {}),
    },
    { baseDir: dir, env: {} },
  );
  let config = configOf(CANDIDATE);
  let offset = 0;
  const now = () => Date.now() + offset;
  let runtime = await openRuntime(config, { secretKeyEnv: '11'.repeat(32), log: createLogger(process.env.RINGBACK_TEST_LOG ?? 'silent') });
  for (const [accountId, values] of Object.entries(options.secrets ?? {})) {
    for (const [name, value] of Object.entries(values)) await runtime.vault.set(accountId, name, value);
  }
  const built = await buildEngine(runtime, { now });
  let engine = built.engine;
  const problems = built.problems;
  if (problems.length > 0 && !options.allowProblems) throw new Error(`accounts not built: ${problems.map((p) => `${p.accountId}: ${p.message}`).join('; ')}`);
  let daemon: Daemon | null = null;

  const waitForAudit = async (predicate: (r: AuditRecord) => boolean, timeoutMs = 20_000): Promise<AuditRecord> => {
    const until = Date.now() + timeoutMs;
    for (;;) {
      const found = (await readAudit(runtime.store, { count: 10_000 })).find(predicate);
      if (found) return found;
      if (Date.now() > until) {
        const seen = (await readAudit(runtime.store, { count: 50 })).map((r) => `${r.type}: ${r.message}`).join('\n  ');
        throw new Error(`no matching audit entry within ${timeoutMs} ms; last entries:\n  ${seen}`);
      }
      await new Promise((r) => setTimeout(r, 100));
    }
  };

  return {
    dir,
    maildir,
    get config() {
      return config;
    },
    get engine() {
      return engine;
    },
    get runtime() {
      return runtime;
    },
    now,
    async advance(ms, advanceOptions = {}) {
      offset += ms;
      if (daemon && advanceOptions.sync !== false) for (const id of engine.calendars.keys()) await syncOnce(engine, id);
      if (advanceOptions.reconcile === false) return;
      await reconcile(engine);
    },
    async setEvents(events) {
      await writeFile(calendarFile, harnessCalendarToIcs(events));
    },
    async setCalendarText(text) {
      await writeFile(calendarFile, text);
    },
    async sync() {
      return await syncOnce(engine, config.calendars[0]?.id ?? 'cal');
    },
    async start(startOptions = {}) {
      daemon = await startDaemon(runtime, engine, { reconcileEveryMs: 3_600_000, lockDurationMs: 5_000, stalledIntervalMs: 2_000, ...startOptions });
    },
    async stopDaemon() {
      await daemon?.stop();
      daemon = null;
    },
    async reopenWith(candidate) {
      await daemon?.stop();
      daemon = null;
      await closeEngine(engine);
      await runtime.close();
      config = { ...configOf({ ...CANDIDATE, ...candidate }), prefix: config.prefix };
      runtime = await openRuntime(config, { secretKeyEnv: '11'.repeat(32), log: createLogger(process.env.RINGBACK_TEST_LOG ?? 'silent') });
      engine = (await buildEngine(runtime, { now })).engine;
    },
    async folder(name) {
      const out: MailFile[] = [];
      const base = folderPath(maildir, name);
      for (const sub of ['new', 'cur']) {
        let names: string[] = [];
        try {
          names = await readdir(join(base, sub));
        } catch (error) {
          if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
        }
        for (const n of names) {
          const path = join(base, sub, n);
          // A file the engine moved on between the listing and this read (a confirmation sent at
          // that moment) is no longer in the folder.
          const raw = await readFile(path).catch((error: NodeJS.ErrnoException) => {
            if (error.code === 'ENOENT') return null;
            throw error;
          });
          if (raw) out.push({ path, mail: await simpleParser(raw) });
        }
      }
      return out;
    },
    async userSends(path) {
      const name = path.split('/').pop() as string;
      const unique = name.split(':')[0];
      await mkdir(join(maildir, '.Sent', 'cur'), { recursive: true });
      await rename(path, join(maildir, '.Sent', 'cur', `${unique}:2,S`));
    },
    async userDeletes(path) {
      await unlink(path);
    },
    async userEdits(path, text) {
      const raw = (await readFile(path, 'utf8')).replace(/\r\n/g, '\n');
      const headers = raw.slice(0, raw.indexOf('\n\n')).split(/\n(?![ \t])/);
      const kept = headers.filter((line) => !/^(content-type|content-transfer-encoding|mime-version):/i.test(line));
      const edited = [...kept, 'MIME-Version: 1.0', 'Content-Type: text/plain; charset=utf-8', '', text, ''].join('\r\n');
      const unique = `${Math.floor(Date.now() / 1000)}.edited${Math.random().toString(16).slice(2)}.host`;
      await writeFile(join(maildir, '.Drafts', 'tmp', unique), edited);
      await rename(join(maildir, '.Drafts', 'tmp', unique), join(maildir, '.Drafts', 'cur', `${unique}:2,D`));
      await unlink(path);
    },
    async deliverToInbox(raw) {
      const unique = `${Math.floor(Date.now() / 1000)}.test${Math.random().toString(16).slice(2)}.host`;
      await writeFile(join(maildir, 'tmp', unique), raw);
      await rename(join(maildir, 'tmp', unique), join(maildir, 'new', unique));
    },
    async audit(interviewId) {
      return await readAudit(runtime.store, { count: 10_000, ...(interviewId ? { interviewId } : {}) });
    },
    waitForAudit,
    async stop() {
      await daemon?.stop();
      await closeEngine(engine);
      await runtime.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
}

/** An event as the interviewer's invitation would look, accepted by the candidate. */
export function interviewEvent(overrides: Partial<HarnessEvent> & { uid: string; start: number }): HarnessEvent {
  const minutes = 30;
  return {
    title: 'Phone screen with Dana (Acme)',
    end: overrides.start + minutes * 60_000,
    description: 'Dana will call you.',
    organizer: { name: 'Dana Whitfield', email: 'dana@acme.example' },
    attendees: [
      { name: 'Ada Park', email: CANDIDATE.email, status: 'accepted' },
      { name: 'Dana Whitfield', email: 'dana@acme.example', status: 'accepted' },
    ],
    ...overrides,
  };
}

export const MINUTE = 60_000;

/**
 * An accepted phone interview `aheadMs` from the harness's now (to the second), its daemon started
 * and its calendar read, once the daemon has written the confirmation draft: the interview's id
 * and start.
 */
export async function draftedAhead(harness: EngineHarness, uid: string, aheadMs: number): Promise<{ id: string; start: number }> {
  const start = Math.floor((harness.now() + aheadMs) / 1000) * 1000;
  await harness.setEvents([interviewEvent({ uid, start })]);
  await harness.start();
  await harness.sync();
  const id = interviewIdFor('cal', uid);
  await harness.waitForAudit((r) => r.type === 'drafted' && r.interviewId === id);
  return { id, start };
}

/**
 * The engine of a second process on the harness's store, as `ringback outcome`, the dashboard or
 * another daemon opens one; `close` shuts it and its connections.
 */
export async function openSecondEngine(harness: EngineHarness): Promise<{ engine: Engine; close: () => Promise<void> }> {
  const runtime = await openRuntime(harness.config, { secretKeyEnv: '11'.repeat(32), log: createLogger('silent') });
  const { engine } = await buildEngine(runtime, { now: harness.now });
  return {
    engine,
    close: async () => {
      await closeEngine(engine);
      await runtime.close();
    },
  };
}
