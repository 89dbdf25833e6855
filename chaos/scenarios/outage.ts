/**
 * outage: an account goes down while confirmations fall due, then comes back (DESIGN.md, Outages).
 *
 * The daemon runs in this process with a clock the scenario moves forward a minute at a time (the
 * reconciler brings due jobs along, as in the engine tests), so that half an hour of due times
 * passes in seconds while the queue, Redis, the Maildir and the SMTP server run for real.
 * `interviews` calls start a minute apart from `now + 20 min`; the confirmation is sent 15 minutes
 * before (minimum lead 10 minutes). The account breaks, `due` sends fall due, it is restored.
 *
 * Pass: every confirmation whose call was still at least 10 minutes ahead when the account came
 * back arrives exactly once; every other one due during the outage is audited once as missed with
 * the window, and never sent; nothing fails for good; no interview is withdrawn or duplicated.
 *
 * Variants: `revoked` (the SMTP server refuses the stored password; restored by storing the new
 * one, as "ringback connect" does, without a restart), `maildir-removed`, `sent-removed` (.Sent
 * removed, no restore: ringback makes it again), `relay-stopped` (the SMTP server down), `start-
 * unopenable` (the daemon starts while the mailbox cannot be opened: its stored password is
 * missing), `imap-stopped` (an IMAP mailbox on a real Dovecot, the server stopped and started
 * again on the same port with the same mail), `calendar` (the calendar file gone: nothing
 * withdrawn, drafts go on, and the sends wait for the calendar to be read again, as for a mailbox:
 * src/domain/unread.ts).
 *
 * The daemon's polls read the calendar every minute; the scenario's clock moves faster than they
 * run, so each step reads the calendar as the poll of that minute would (a send goes only on a
 * calendar read lately). In the `calendar` variant those reads fail, as the daemon's do.
 */
import { rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { loadConfig } from '../../config/load.js';
import { startDaemon } from '../../src/daemon/daemon.js';
import { syncWithLease } from '../../workers/sync.js';
import { buildEngine, closeEngine, openRuntime } from '../../src/daemon/runtime.js';
import { interviewIdFor } from '../../src/domain/ids.js';
import { reconcile } from '../../src/engine/reconcile.js';
import { readAudit } from '../../src/store/audit.js';
import { getActionRecords, listInterviews } from '../../src/store/interviews.js';
import { createSecretVault, parseSecretKey } from '../../src/store/secrets.js';
import { startDovecot, type TestDovecot } from '../../test/support/dovecot.js';
import { startTestRedis } from '../../test/support/redis-server.js';
import { calendarToIcs, interviewer } from '../lib/calendar.js';
import { capturedLogger } from '../lib/scan.js';
import { startChaosSmtpServer, type ChaosSmtpServer } from '../lib/smtp.js';
import { CALENDAR_ID, MAILBOX_ID, createWorld, type World } from '../lib/world.js';

export type OutageVariant = 'revoked' | 'maildir-removed' | 'sent-removed' | 'relay-stopped' | 'start-unopenable' | 'imap-stopped' | 'calendar';

export interface OutageOptions {
  readonly variant: OutageVariant;
  readonly interviews: number;
  /** How many confirmations fall due during the outage. */
  readonly due: number;
  readonly log: (line: string) => void;
}

export interface OutageResult {
  readonly variant: OutageVariant;
  readonly interviews: number;
  readonly due: number;
  /** Due confirmations still of use when the account came back: each must arrive once. */
  readonly stillAhead: number;
  readonly sentOnce: number;
  readonly lost: number;
  readonly duplicated: number;
  /** Due confirmations past their use: each must be audited once as missed, never sent. */
  readonly pastUse: number;
  readonly missedAudited: number;
  readonly sentAfterItsUse: number;
  readonly failedForGood: number;
  readonly withdrawn: number;
  /** Milliseconds from the restore to the last still-useful confirmation arriving. */
  readonly resumeMs: number;
  readonly problems: readonly string[];
}

const MINUTE = 60_000;
const USER = 'ada-smtp';
const PASSWORD = 'chaos-outage-password-51c2';
const NEW_PASSWORD = 'chaos-outage-password-after-reconnect-7e1a';
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function until(what: string, check: () => Promise<boolean>, timeoutMs: number): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > end) throw new Error(`outage: timed out waiting for ${what}`);
    await sleep(100);
  }
}

/** What breaks the account, and what restores it. */
interface Relay {
  current: ChaosSmtpServer;
  running: boolean;
  readonly port: number;
  /** Every server that ran on the port, to count what each one received. */
  readonly all: ChaosSmtpServer[];
}

function breakage(variant: OutageVariant, world: World, smtp: Relay, vault: ReturnType<typeof createSecretVault>, dovecot: TestDovecot | null) {
  const away = `${world.maildir}.away`;
  const calendarAway = `${world.calendarFile}.away`;
  const stopSmtp = async () => {
    smtp.running = false;
    await smtp.current.stop();
  };
  const restartSmtp = async (pass: string) => {
    smtp.current = await startChaosSmtpServer({ auth: { user: USER, pass }, port: smtp.port });
    smtp.all.push(smtp.current);
    smtp.running = true;
  };
  switch (variant) {
    case 'revoked':
      return {
        cut: async () => {
          await stopSmtp();
          await restartSmtp(NEW_PASSWORD);
        },
        restore: () => vault.set(MAILBOX_ID, 'smtpPassword', NEW_PASSWORD),
      };
    case 'maildir-removed':
      return { cut: () => rename(world.maildir, away), restore: () => rename(away, world.maildir) };
    case 'sent-removed':
      return { cut: () => rm(join(world.maildir, '.Sent'), { recursive: true }), restore: () => Promise.resolve() };
    case 'relay-stopped':
      return { cut: stopSmtp, restore: () => restartSmtp(PASSWORD) };
    case 'start-unopenable':
      // Cut before the daemon starts (below); restored by storing the password again.
      return { cut: () => Promise.resolve(), restore: () => vault.set(MAILBOX_ID, 'smtpPassword', PASSWORD) };
    case 'imap-stopped':
      if (!dovecot) throw new Error('outage: imap-stopped needs its Dovecot');
      return { cut: () => dovecot.halt(), restore: () => dovecot.resume() };
    case 'calendar':
      return { cut: () => rename(world.calendarFile, calendarAway), restore: () => rename(calendarAway, world.calendarFile) };
  }
}

export async function runOutage(options: OutageOptions): Promise<OutageResult> {
  const { variant, log } = options;
  const redis = await startTestRedis();
  const dovecot = variant === 'imap-stopped' ? await startDovecot() : null;
  // With IMAP, the relay signs in with the IMAP account (no SMTP user of its own).
  const account = dovecot ? { user: dovecot.username, pass: dovecot.password } : { user: USER, pass: PASSWORD };
  const first = await startChaosSmtpServer({ auth: account });
  const smtp: Relay = { current: first, running: true, port: first.port, all: [first] };
  const world = await createWorld({
    redisUrl: redis.url,
    smtp: { host: first.host, port: first.port, username: account.user, password: account.pass },
    timing: { minLeadMinutes: 10 },
    ...(dovecot ? { imap: dovecot } : {}),
  });
  const captured = capturedLogger();
  const problems: string[] = [];
  try {
    let offset = 0;
    const now = () => Date.now() + offset;
    const base = Math.ceil((Date.now() + 20 * MINUTE) / 1000) * 1000;
    const events = Array.from({ length: options.interviews }, (_, i) => ({ uid: `iv-${i}`, organizer: interviewer(i), start: base + i * MINUTE }));
    await writeFile(world.calendarFile, calendarToIcs(events));
    const vault = createSecretVault(world.store, parseSecretKey(world.secretKey, 'key'));
    const { cut, restore } = breakage(variant, world, smtp, vault, dovecot);
    if (variant === 'start-unopenable') await vault.remove(MAILBOX_ID);

    const config = await loadConfig({ file: world.configFile, env: {}, cwd: world.dir });
    const runtime = await openRuntime(config, { secretKeyEnv: world.secretKey, log: captured.log });
    const { engine } = await buildEngine(runtime, { now });
    const daemon = await startDaemon(runtime, engine, { reconcileEveryMs: 3_600_000, probeEveryMs: 300, lockDurationMs: 5_000, stalledIntervalMs: 2_000 });
    try {
      const ids = events.map((e) => interviewIdFor(CALENDAR_ID, e.uid));
      await until('every interview', async () => (await listInterviews(world.store)).length === events.length, 60_000);
      if (variant !== 'start-unopenable') {
        await until('every confirmation draft', async () => (await world.folderCounts('Drafts')).size === events.length, 60_000);
      }
      await cut();
      log(`${variant}: account cut, ${options.due} confirmations fall due`);
      // A minute at a time, waiting each time until the sends then due have run (parked, sent…).
      const steps = 5 + options.due - 1;
      for (let step = 1; step <= steps; step++) {
        offset += MINUTE;
        await poll(engine, variant === 'calendar');
        await reconcile(engine);
        const dueNow = events.filter((e) => e.start - 15 * MINUTE <= now());
        await until(
          `the sends due at step ${step}`,
          async () => {
            for (const e of dueNow) {
              const record = (await getActionRecords(world.store, interviewIdFor(CALENDAR_ID, e.uid))).find((r) => r.kind === 'confirmation-send');
              if (record?.state === 'pending') return false;
            }
            return true;
          },
          60_000,
        );
      }
      const restoredAt = now();
      const restoredReal = Date.now();
      await restore();
      log(`${variant}: account restored`);
      // The calendar back: the next poll reads it and releases the sends that waited for it.
      if (variant === 'calendar') await poll(engine, false);
      const due = events.filter((e) => e.start - 15 * MINUTE <= restoredAt);
      const outageVariant = variant !== 'sent-removed';
      const ahead = due.filter((e) => !outageVariant || e.start - 10 * MINUTE >= restoredAt);
      const past = due.filter((e) => !ahead.includes(e));
      await until('the still-useful confirmations', async () => ahead.every((e) => smtp.current.countByMessageId(world.confirmationId(e.uid)) >= 1), 60_000);
      const resumeMs = Date.now() - restoredReal;
      await until('the missed audits', async () => {
        const missed = (await readAudit(world.store, { count: 100_000 })).filter((r) => r.type === 'missed' && r.message.startsWith('confirmation send'));
        return missed.length >= past.length;
      }, 30_000);
      // Anything that should not go out would go out now.
      await sleep(2_000);
      if (variant === 'calendar') {
        let back = null;
        while (!back) back = await syncWithLease(engine, CALENDAR_ID, new AbortController().signal);
        if (back.withdrawn > 0 || back.interviewsNew > 0) problems.push(`the calendar back: ${back.withdrawn} withdrawn, ${back.interviewsNew} new`);
      }

      const audit = await readAudit(world.store, { count: 100_000 });
      const counts = (e: { uid: string }) => smtp.all.reduce((n, server) => n + server.countByMessageId(world.confirmationId(e.uid)), 0);
      const sentOnce = ahead.filter((e) => counts(e) === 1).length;
      const lost = ahead.filter((e) => counts(e) === 0).length;
      const duplicated = due.filter((e) => counts(e) > 1).length;
      const sentAfterItsUse = past.filter((e) => counts(e) > 0).length;
      const missedAudited = past.filter((e) => audit.filter((r) => r.type === 'missed' && r.interviewId === interviewIdFor(CALENDAR_ID, e.uid) && r.message.startsWith('confirmation send')).length === 1).length;
      for (const r of audit.filter((a) => a.type === 'missed')) if (!/could not be (used|read) \(?(from|since) /.test(r.message)) problems.push(`a missed entry without its window: ${r.message}`);
      const failedForGood = audit.filter((r) => r.type === 'error').length;
      const interviews = await listInterviews(world.store);
      const withdrawn = interviews.filter((i) => i.status !== 'scheduled' && ids.includes(i.id)).length;
      if (interviews.length !== events.length) problems.push(`${interviews.length} interviews for ${events.length} events`);
      const early = events.filter((e) => e.start - 15 * MINUTE > restoredAt && counts(e) > 0).length;
      if (early > 0) problems.push(`${early} confirmations sent before they were due`);
      log(`${variant}: ${ahead.length} still ahead, ${sentOnce} sent once, ${lost} lost, ${duplicated} twice; ${past.length} past use, ${missedAudited} audited missed; resumed in ${resumeMs} ms`);
      return {
        variant,
        interviews: events.length,
        due: due.length,
        stillAhead: ahead.length,
        sentOnce,
        lost,
        duplicated,
        pastUse: past.length,
        missedAudited,
        sentAfterItsUse,
        failedForGood,
        withdrawn,
        resumeMs,
        problems,
      };
    } finally {
      await daemon.stop();
      await closeEngine(engine);
      await runtime.close();
    }
  } finally {
    await world.close();
    if (smtp.running) await smtp.current.stop();
    await dovecot?.stop();
    await redis.stop();
  }
}

/**
 * One poll of the calendar, as the daemon's of that minute: waits while the daemon's own sync holds
 * the lease. `failing`: the calendar is gone, and the poll must fail as the daemon's does.
 */
async function poll(engine: Parameters<typeof syncWithLease>[0], failing: boolean): Promise<void> {
  for (;;) {
    const read = syncWithLease(engine, CALENDAR_ID, new AbortController().signal);
    if (failing) {
      const failed = await read.then(
        (summary) => (summary === null ? null : new Error('outage: the calendar was read while its file was gone')),
        () => true,
      );
      if (failed === true) return;
      if (failed instanceof Error) throw failed;
    } else if (await read) return;
    await sleep(50);
  }
}

export function outagePassed(r: OutageResult): boolean {
  return r.lost === 0 && r.duplicated === 0 && r.sentOnce === r.stillAhead && r.missedAudited === r.pastUse && r.sentAfterItsUse === 0 && r.failedForGood === 0 && r.withdrawn === 0 && r.problems.length === 0;
}
