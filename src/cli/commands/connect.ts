/**
 * `ringback connect <type>`: checks an account, then writes it into ringback.yaml and its secrets,
 * encrypted, into the store. Each provider's own questions live in `src/cli/connect/<type>.ts`.
 */
import { mkdir } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { defaultAccountId } from '../../../config/schema.js';
import type { CalendarConfig, MailboxConfig } from '../../../config/types.js';
import { loadConfig } from '../../../config/load.js';
import { configFile, homeFromEnv } from '../../../config/paths.js';
import { addAccountToConfigFile } from '../../../config/write.js';
import { openRuntime } from '../../daemon/runtime.js';
import { BadInputError } from '../../errors.js';
import { createIcsSource } from '../../providers/calendar/ics.js';
import { plainHttpCredentials } from '../../providers/calendar/ics-fetch.js';
import { createMaildirMailbox } from '../../providers/mail/maildir.js';
import { createSmtpRelay } from '../../providers/mail/smtp.js';
import { clearAccountProblem } from '../../store/accounts.js';
import { connectCaldav, type CaldavConnectFlags } from '../connect/caldav.js';
import { connectGoogle } from '../connect/google.js';
import { connectImap, type ImapConnectFlags } from '../connect/imap.js';
import { connectMicrosoft } from '../connect/microsoft.js';
import { CONNECT_TYPES, type ConnectIO, type ConnectResult } from '../connect/types.js';
import { createLogger, say } from '../io.js';
import { connectIO } from '../prompt.js';
import type { GlobalOptions } from '../session.js';

export type ConnectFlags = Record<string, string | boolean | string[] | undefined>;

function str(flags: ConnectFlags, name: string): string | undefined {
  const v = flags[name];
  return typeof v === 'string' && v.trim() ? v.trim() : undefined;
}

async function connectIcs(flags: ConnectFlags, io: ConnectIO): Promise<ConnectResult> {
  const file = str(flags, 'path');
  const url = str(flags, 'url');
  if (!file && !url) throw new BadInputError('connect ics: give --path <file.ics> or --url <https://…/basic.ics>');
  if (file && url) throw new BadInputError('connect ics: give either --path or --url, not both');
  const unsafe = url ? plainHttpCredentials(url) : null;
  if (unsafe) throw new BadInputError(`connect ics: ${unsafe}`);
  const entry = file ? { type: 'ics' as const, path: path.resolve(file) } : { type: 'ics' as const, url: url as string };
  const id = str(flags, 'id') ?? defaultAccountId(entry);
  const source = createIcsSource({ id, ...entry, horizonDays: 30, now: Date.now });
  let events = 0;
  let skipped = 0;
  for await (const page of source.sync(null, io.signal)) {
    events += page.upserts.length;
    skipped += page.skipped.length;
  }
  await source.close();
  io.say(`calendar read: ${events} events in the next 30 days${skipped ? `, ${skipped} entries skipped` : ''}`);
  const calendar: CalendarConfig = { ...entry, id };
  return { calendars: [calendar], mailbox: null, secrets: {} };
}

async function connectMaildir(flags: ConnectFlags, io: ConnectIO): Promise<ConnectResult> {
  const dir = str(flags, 'path');
  if (!dir) throw new BadInputError('connect maildir: give --path <folder> (created if missing)');
  const root = path.resolve(dir);
  for (const sub of ['cur', 'new', 'tmp']) await mkdir(path.join(root, sub), { recursive: true });
  const id = str(flags, 'id') ?? defaultAccountId({ type: 'maildir', path: root });
  const smtpHost = str(flags, 'smtpHost');
  const secrets: Record<string, Record<string, string>> = {};
  let smtp: NonNullable<Extract<MailboxConfig, { type: 'maildir' }>['smtp']> | undefined;
  if (smtpHost) {
    const port = Number(str(flags, 'smtpPort') ?? '587');
    if (!Number.isInteger(port) || port < 1 || port > 65535) throw new BadInputError('--smtp-port: must be a port number (465 or 587 usually)');
    const username = str(flags, 'smtpUser');
    smtp = { host: smtpHost, port, secure: port === 465, ...(username ? { username } : {}) };
    // RINGBACK_PASSWORD is the one the README names for every connect; the SMTP-specific one wins.
    const fromEnv = process.env.RINGBACK_SMTP_PASSWORD ?? process.env.RINGBACK_PASSWORD;
    const password = username ? (fromEnv ?? (await io.ask('SMTP password', { secret: true, flag: '--smtp-user needs RINGBACK_PASSWORD (or RINGBACK_SMTP_PASSWORD)' }))) : undefined;
    const relay = createSmtpRelay({ ...smtp, ...(password ? { password } : {}) });
    try {
      await relay.verify();
    } finally {
      relay.close();
    }
    if (password) secrets[id] = { smtpPassword: password };
    io.say(`SMTP server ${smtpHost}:${port} accepted the login`);
  }
  const mailbox = createMaildirMailbox({ id, path: root, ...(smtp ? { smtp } : {}) });
  await mailbox.close();
  io.say(`Maildir ready at ${root} (Drafts: ${path.join(root, '.Drafts')}, Sent: ${path.join(root, '.Sent')})`);
  return { calendars: [], mailbox: { type: 'maildir', id, path: root, ...(smtp ? { smtp } : {}) }, secrets };
}

function list(flags: ConnectFlags, name: string): string[] | undefined {
  const v = flags[name];
  return Array.isArray(v) ? v : typeof v === 'string' ? [v] : undefined;
}

function bool(flags: ConnectFlags, name: string): boolean | undefined {
  const v = flags[name];
  return typeof v === 'boolean' ? v : v === 'true' ? true : v === 'false' ? false : undefined;
}

/** Only the flags that were given, so that each connector's defaults and prompts apply. */
function given<T extends object>(values: T): T {
  return Object.fromEntries(Object.entries(values).filter(([, v]) => v !== undefined)) as T;
}

/** A password from the environment keeps it out of the shell history; otherwise the prompt asks. */
function password(flags: ConnectFlags): string | undefined {
  return str(flags, 'password') ?? process.env.RINGBACK_PASSWORD;
}

const CONNECTORS: Record<string, (flags: ConnectFlags, io: ConnectIO) => Promise<ConnectResult>> = {
  ics: connectIcs,
  maildir: connectMaildir,
  caldav: async (flags, io) =>
    await connectCaldav(
      given({
        preset: str(flags, 'preset') as CaldavConnectFlags['preset'],
        url: str(flags, 'url'),
        username: str(flags, 'username'),
        password: password(flags),
        calendar: list(flags, 'calendar'),
      }),
      io,
    ),
  imap: async (flags, io) =>
    await connectImap(
      given({
        preset: str(flags, 'preset') as ImapConnectFlags['preset'],
        host: str(flags, 'host'),
        port: str(flags, 'port'),
        secure: bool(flags, 'secure'),
        username: str(flags, 'username'),
        password: password(flags),
        smtpHost: str(flags, 'smtpHost'),
        smtpPort: str(flags, 'smtpPort'),
        smtpSecure: bool(flags, 'smtpSecure'),
        smtpUsername: str(flags, 'smtpUser'),
      }),
      io,
    ),
  google: async (flags, io) =>
    await connectGoogle(
      given({
        clientId: str(flags, 'clientId'),
        clientSecret: str(flags, 'clientSecret') ?? process.env.RINGBACK_CLIENT_SECRET,
        calendar: list(flags, 'calendar'),
        authUrl: str(flags, 'authUrl'),
        tokenUrl: str(flags, 'tokenUrl'),
        apiRoot: str(flags, 'apiRoot'),
      }),
      io,
    ),
  microsoft: async (flags, io) =>
    await connectMicrosoft(
      given({ clientId: str(flags, 'clientId'), tenant: str(flags, 'tenant'), authority: str(flags, 'authority'), apiRoot: str(flags, 'apiRoot') }),
      io,
    ),
};


export async function connectCommand(type: string, flags: ConnectFlags, options: GlobalOptions): Promise<void> {
  const connector = CONNECTORS[type];
  if (!connector) throw new BadInputError(`connect: "${type}" is not one of ${CONNECT_TYPES.join(', ')}`);
  const { platform, env } = process;
  const file = configFile({ flag: options.config, env, cwd: process.cwd(), homedir: homeFromEnv(env, platform, os.homedir()), platform }).path;
  // The config must exist and be valid before anything is checked or stored.
  const before = await loadConfig({ file, env: process.env, cwd: process.cwd() });
  const controller = new AbortController();
  const result = await connector(flags, connectIO(controller.signal));
  const hasSecrets = Object.keys(result.secrets).length > 0;
  if (hasSecrets) {
    const runtime = await openRuntime(before, { secretKeyEnv: process.env.RINGBACK_SECRET_KEY, log: createLogger('warn') });
    try {
      for (const [accountId, values] of Object.entries(result.secrets)) {
        for (const [name, value] of Object.entries(values)) await runtime.vault.set(accountId, name, value);
        await clearAccountProblem(runtime.store, accountId);
      }
    } finally {
      await runtime.close();
    }
  }
  const changed = await addAccountToConfigFile(file, { calendars: result.calendars, ...(result.mailbox ? { mailbox: result.mailbox } : {}) }, process.env);
  for (const id of changed.added) say(`added ${id} to ${file}`);
  for (const id of changed.replaced) say(`updated ${id} in ${file}`);
  if (hasSecrets) say('credentials stored encrypted in Redis (never in the config file)');
}
