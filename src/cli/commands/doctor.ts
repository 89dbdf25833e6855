/**
 * `ringback doctor`: checks the config, which build of the command runs, Redis, the secret key,
 * every account, the company flags and the queue, and prints what to fix. Exit 0 when all is well, 1 when something needs fixing.
 */
import type { ResolvedConfig } from '../../../config/types.js';
import { checkCalendars, checkMailbox, prepareMaildir } from '../../daemon/account-checks.js';
import { buildEngine, closeEngine, openRuntime } from '../../daemon/runtime.js';
import { getAccountStatus } from '../../store/accounts.js';
import { listCompanies } from '../../store/companies.js';
import { listInterviews } from '../../store/interviews.js';
import { getUndelivered } from '../../store/undelivered.js';
import { safeTitle } from '../../engine/wording.js';
import { listHeld } from '../../store/held.js';
import { accountIds } from '../../read/accounts.js';
import { checkCommandBuild } from '../command-build.js';
import { createLogger, say } from '../io.js';
import { readConfig, type GlobalOptions } from '../session.js';

interface Check {
  readonly ok: boolean;
  readonly what: string;
  readonly fix?: string;
  readonly warnOnly?: boolean;
}

function print(checks: readonly Check[]): void {
  for (const c of checks) {
    say(`${c.ok ? '✓' : c.warnOnly ? '!' : '✗'} ${c.what}`);
    if (!c.ok && c.fix) say(`    fix: ${c.fix}`);
  }
}

/** File-system codes that mean the data folder, not Redis, is what stops ringback. */
const FOLDER_CODES = new Set(['EACCES', 'EPERM', 'EROFS', 'ENOSPC', 'ENOTDIR', 'EISDIR']);

/** What kept Redis, the data folder or the secret key from opening, named as what it is. */
function startProblem(error: unknown, dataDir: string): Check {
  const message = error instanceof Error ? error.message : String(error);
  const { code, path } = error as NodeJS.ErrnoException;
  if (code !== undefined && FOLDER_CODES.has(code)) {
    const where = path ?? dataDir;
    return {
      ok: false,
      what: `data folder: ${code === 'ENOSPC' ? 'the disk is full at' : 'cannot write'} ${where} (${code})`,
      fix: code === 'ENOSPC' ? 'free some space on that disk' : `make ${dataDir} yours and writable (chown -R "$USER" ${dataDir}; chmod u+rwX -R ${dataDir}), or set dataDir in ringback.yaml`,
    };
  }
  return { ok: false, what: `Redis: ${message}` };
}

export async function doctorCommand(options: GlobalOptions): Promise<void> {
  const checks: Check[] = [];
  // A broken config ends here with exit 2 and its one-line message.
  const config: ResolvedConfig = await readConfig(options);
  checks.push({ ok: true, what: `config ${config.file ?? '(embedded)'} is valid` });
  checks.push({
    ok: config.calendars.length > 0,
    what: `${config.calendars.length} calendar account${config.calendars.length === 1 ? '' : 's'} configured`,
    fix: 'ringback connect ics --path calendar.ics (or caldav, google, microsoft)',
  });
  checks.push({ ok: config.mailbox !== null, what: `mailbox: ${config.mailbox ? config.mailbox.id : 'none'}`, fix: 'ringback connect maildir --path ./mail (or imap, google, microsoft)' });
  // A stale build still runs (through tsx): a warning, with its fix in the same line.
  checks.push({ ...(await checkCommandBuild()), warnOnly: true });

  let runtime;
  try {
    runtime = await openRuntime(config, { secretKeyEnv: process.env.RINGBACK_SECRET_KEY, log: createLogger('error') });
  } catch (error) {
    checks.push(startProblem(error, config.dataDir));
    print(checks);
    process.exitCode = 1;
    return;
  }
  try {
    checks.push({ ok: true, what: `Redis ${runtime.check.version} reachable${runtime.managed ? ' (managed)' : ''}, maxmemory-policy noeviction` });
    checks.push({
      ok: runtime.check.aof,
      warnOnly: true,
      what: runtime.check.aof ? 'Redis AOF is on' : 'Redis AOF is off',
      fix: 'redis-cli CONFIG SET appendonly yes (and appendonly yes in redis.conf), or use "redis: managed"',
    });
    checks.push({ ok: true, what: process.env.RINGBACK_SECRET_KEY ? 'secret key from RINGBACK_SECRET_KEY' : `secret key file in ${config.dataDir}` });
    const prepared = await prepareMaildir(config).then(
      (created) => ({ created, refused: null }),
      (error: unknown) => ({ created: null, refused: error instanceof Error ? error.message : String(error) }),
    );
    if (prepared.created) checks.push({ ok: true, what: prepared.created });
    const { engine, problems } = await buildEngine(runtime);
    try {
      // Each account opened or read for real, not only its last recorded state.
      const real = [...(await checkCalendars(engine)), ...(problems.length === 0 && !prepared.refused ? [await checkMailbox(engine)] : [])];
      for (const a of accountIds(config)) {
        const problem = problems.find((p) => p.accountId === a.id);
        const status = await getAccountStatus(runtime.store, a.id);
        const check = real.find((c) => c?.accountId === a.id);
        if (a.role === 'mailbox' && prepared.refused) {
          checks.push({ ok: false, what: prepared.refused, fix: 'create the parent folder, or run ringback connect maildir --path <folder>' });
        } else if (check && !check.ok) {
          checks.push({ ok: false, what: check.message, ...(check.fix ? { fix: check.fix } : {}) });
        } else if (problem) {
          checks.push({ ok: false, what: `${a.id} (${a.type}): ${problem.message}`, fix: status.fix ?? `ringback connect ${a.type === 'gmail' ? 'google' : a.type} again` });
        } else if (status.attention === 'needs-reauth') {
          checks.push({ ok: false, what: `${a.id} (${a.type}) needs you to sign in again: ${status.lastError ?? ''}`, fix: status.fix ?? `ringback connect ${a.type === 'gmail' ? 'google' : a.type}` });
        } else if (status.attention === 'unusable' || status.attention === 'unreachable') {
          checks.push({ ok: false, what: `${a.id} (${a.type}) needs attention, actions for it are waiting: ${status.lastError ?? ''}`, fix: status.fix ?? 'check the account' });
        } else if (status.attention === 'error') {
          checks.push({ ok: false, what: `${a.id} (${a.type}): last attempt failed: ${status.lastError ?? ''}`, fix: status.fix ?? 'check the account settings; ringback retries on its own' });
        } else {
          const synced = status.lastSyncAt ? `, last sync ${new Date(status.lastSyncAt).toISOString()}` : a.role === 'calendar' ? ', not synced yet' : '';
          checks.push({ ok: true, what: `${a.id} (${a.type}) ready${synced}${check ? `: ${check.message}` : ''}` });
        }
      }
    } finally {
      await closeEngine(engine);
    }
    for (const c of await listCompanies(runtime.store)) {
      if (c.pattern) {
        checks.push({
          ok: false,
          warnOnly: true,
          what: `${c.company} has missed ${c.noShows.length} calls: flagged as a pattern, confirmations to it stay drafts`,
          fix: `ringback company clear ${c.company}`,
        });
      }
    }
    // Bounces of the last week: the email went out but never arrived.
    for (const interview of await listInterviews(runtime.store, { from: Date.now() - 7 * 86_400_000 })) {
      for (const u of await getUndelivered(runtime.store, interview.id)) {
        checks.push({
          ok: false,
          warnOnly: true,
          what: `the ${u.kind} for "${safeTitle(interview.title)}" was not delivered to ${u.recipient ?? interview.counterpart.email ?? 'the recipient'}${u.temporary === true ? ' yet, their mail server asked to try again later' : ''}: ${u.reason}`,
          fix: u.temporary === true
            ? 'send it to them again from your mail client (it is in Sent), or reach them another way before the call'
            : 'check the address in the invitation, and reach them another way before the call',
        });
      }
    }
    for (const held of await listHeld(runtime.store, Date.now())) {
      checks.push({ ok: false, warnOnly: true, what: `${new Date(held.at).toISOString()} held back: ${held.message}` });
    }
    const failed = await runtime.queues.actions.getJobCountByTypes('failed');
    checks.push({ ok: failed === 0, what: `${failed} action${failed === 1 ? '' : 's'} failed for good`, fix: 'see "ringback queue" for the errors' });
  } finally {
    await runtime.close();
  }
  print(checks);
  if (checks.some((c) => !c.ok && !c.warnOnly)) process.exitCode = 1;
}
