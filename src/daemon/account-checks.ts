/**
 * First run: `start` and `doctor` check each account for real before calling it ready (issue
 * "Nothing lost while an account is down"). Before, a Maildir path that did not exist yet made
 * every draft fail for good while `doctor` said "ready".
 *
 * - The Maildir is created, with its Drafts and Sent, when its parent folder exists (as
 *   `connect maildir` does); when the parent is missing too, the path is most likely a typo, and
 *   `start` stops with one line naming the field.
 * - The mailbox is opened for real: IMAP login and folders, Gmail or Outlook sign-in, the SMTP
 *   relay's login.
 * - Each calendar is read (`doctor` only: `start` syncs every calendar at once anyway).
 */
import { mkdir, stat } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import type { ResolvedConfig } from '../../config/types.js';
import { accountTrouble, beginOutage } from '../engine/outage.js';
import { fixFor, reconnectCommand } from '../engine/account-fix.js';
import type { Engine } from '../engine/context.js';
import { BadInputError } from '../errors.js';

export interface AccountCheck {
  readonly accountId: string;
  readonly ok: boolean;
  /** What was found, in one line. */
  readonly message: string;
  readonly fix?: string;
}

async function isFolder(path: string): Promise<boolean> {
  return await stat(path).then(
    (found) => found.isDirectory(),
    () => false,
  );
}

/**
 * Creates the Maildir of the config when it is missing and its parent exists; returns a line
 * saying so, or null when there was nothing to do. A missing parent is a BadInputError (exit 2).
 */
export async function prepareMaildir(config: ResolvedConfig): Promise<string | null> {
  const mailbox = config.mailbox;
  if (mailbox?.type !== 'maildir' || (await isFolder(mailbox.path))) return null;
  const where = `${config.file ?? 'the config'}: mailbox.path`;
  if (await stat(mailbox.path).then(() => true, () => false)) throw new BadInputError(`${where}: ${mailbox.path} is not a folder; give the path of a Maildir folder`);
  const parent = dirname(mailbox.path);
  if (!(await isFolder(parent))) {
    throw new BadInputError(
      `${where}: ${mailbox.path} does not exist, nor its parent ${parent}; create the parent folder or run "ringback connect maildir --path <folder>"`,
    );
  }
  // The subfolders (.Drafts, .Sent) are made by the mailbox's own check, which runs next.
  for (const sub of ['cur', 'new', 'tmp']) await mkdir(join(mailbox.path, sub), { recursive: true, mode: 0o700 });
  return `created the Maildir ${mailbox.path} (Drafts: ${join(mailbox.path, '.Drafts')}, Sent: ${join(mailbox.path, '.Sent')})`;
}

/**
 * Opens the mailbox for real. A mailbox that does not work begins an outage (its actions wait,
 * the account shows the fix) rather than stopping the daemon: the other accounts go on.
 */
export async function checkMailbox(engine: Engine): Promise<AccountCheck | null> {
  const config = engine.config.mailbox;
  if (!config || !engine.mailbox) return null;
  try {
    await engine.mailbox.checkHealth?.();
    return { accountId: config.id, ok: true, message: 'Drafts and Sent found' };
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    const trouble = accountTrouble(error) ?? 'error';
    await beginOutage(engine, trouble, message, error);
    return { accountId: config.id, ok: false, message: `${config.id} (${config.type}) cannot be used: ${message}`, fix: fixFor(config, trouble, error) };
  }
}

/** Reads the first page of each calendar, as a first sync would. */
export async function checkCalendars(engine: Engine, timeoutMs = 30_000): Promise<AccountCheck[]> {
  const checks: AccountCheck[] = [];
  for (const config of engine.config.calendars) {
    const source = engine.calendars.get(config.id);
    if (!source) continue;
    const signal = AbortSignal.timeout(timeoutMs);
    const pages = source.sync(null, signal)[Symbol.asyncIterator]();
    try {
      const first = await pages.next();
      const events = first.done ? 0 : first.value.upserts.length;
      checks.push({ accountId: config.id, ok: true, message: `read (${events} event${events === 1 ? '' : 's'} on the first page)` });
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      checks.push({ accountId: config.id, ok: false, message: `${config.id} (${config.type}) cannot be read: ${message}`, fix: `check it, or run ${reconnectCommand(config)}` });
    } finally {
      await pages.return?.(undefined);
    }
  }
  return checks;
}
