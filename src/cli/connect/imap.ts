/**
 * `ringback connect imap`: an IMAP mailbox with an app password, and the SMTP server to send
 * with. A preset fills in the servers of a well-known provider ({@link PRESETS}); any flag given
 * wins over it. Before anything is returned the IMAP login is checked, Drafts and Sent are found,
 * and the SMTP server accepts the login; a failure is one line saying what failed (wrong password,
 * TLS name mismatch, folder missing, connection refused). The password is never printed.
 *
 * The same password is used for SMTP (app passwords of iCloud, Fastmail, Gmail and Outlook.com
 * cover both); it is returned as `secrets[id].password`.
 */
import { connect as tcpConnect } from 'node:net';
import { connect as tlsConnect } from 'node:tls';
import { defaultAccountId } from '../../../config/schema.js';
import type { ImapMailboxConfig } from '../../../config/types.js';
import { BadInputError } from '../../errors.js';
import { AuthError, ProviderError } from '../../providers/errors.js';
import { checkImapLogin, DRAFTS_NAMES, SENT_NAMES } from '../../providers/mail/imap.js';
import { APP_PASSWORD_PROVIDERS, appPasswordFix, appPasswordProvider } from '../../providers/mail/app-passwords.js';
import { createSmtpRelay } from '../../providers/mail/smtp.js';
import type { ConnectIO, ConnectResult } from './types.js';

export type PresetName = 'icloud' | 'fastmail' | 'gmail' | 'outlook' | 'nextcloud';

export interface ServerSettings {
  readonly host: string;
  readonly port: number;
  /** Implicit TLS; false means STARTTLS on a plain port. */
  readonly secure: boolean;
}

export interface MailPreset {
  readonly label: string;
  readonly imap: ServerSettings;
  readonly smtp: ServerSettings;
  /** The provider files sent mail in Sent itself. */
  readonly serverFilesSent: boolean;
  /** Where the user makes the app password. */
  readonly appPasswordHelp: string;
}

/** Mail settings of the providers the README documents (Nextcloud has no mail server). */
export const PRESETS: Readonly<Record<Exclude<PresetName, 'nextcloud'>, MailPreset>> = {
  icloud: {
    label: 'iCloud Mail',
    imap: { host: 'imap.mail.me.com', port: 993, secure: true },
    smtp: { host: 'smtp.mail.me.com', port: 587, secure: false },
    serverFilesSent: false,
    appPasswordHelp: APP_PASSWORD_PROVIDERS.icloud.where,
  },
  fastmail: {
    label: 'Fastmail',
    imap: { host: 'imap.fastmail.com', port: 993, secure: true },
    smtp: { host: 'smtp.fastmail.com', port: 465, secure: true },
    serverFilesSent: false,
    appPasswordHelp: APP_PASSWORD_PROVIDERS.fastmail.where,
  },
  gmail: {
    label: 'Gmail',
    imap: { host: 'imap.gmail.com', port: 993, secure: true },
    smtp: { host: 'smtp.gmail.com', port: 465, secure: true },
    serverFilesSent: true,
    appPasswordHelp: APP_PASSWORD_PROVIDERS.gmail.where,
  },
  outlook: {
    label: 'Outlook.com',
    imap: { host: 'outlook.office365.com', port: 993, secure: true },
    smtp: { host: 'smtp-mail.outlook.com', port: 587, secure: false },
    serverFilesSent: false,
    appPasswordHelp: 'account.microsoft.com → Security → Advanced security options → App passwords',
  },
};

export interface ImapConnectFlags {
  readonly preset?: PresetName;
  readonly host?: string;
  readonly port?: number | string;
  readonly secure?: boolean;
  readonly username?: string;
  readonly password?: string;
  readonly smtpHost?: string;
  readonly smtpPort?: number | string;
  readonly smtpSecure?: boolean;
  /** @defaultValue the IMAP username */
  readonly smtpUsername?: string;
}

const TIMEOUT_CODES = new Set(['ETIMEDOUT', 'ETIMEOUT', 'CONNECT_TIMEOUT', 'GREETING_TIMEOUT', 'UPGRADE_TIMEOUT']);

/** Every `code` on an error and its causes, outermost first. */
function codesOf(error: unknown): string[] {
  const codes: string[] = [];
  for (let e: unknown = error, depth = 0; e && typeof e === 'object' && depth < 6; e = (e as { cause?: unknown }).cause, depth += 1) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === 'string') codes.push(code);
  }
  return codes;
}

/**
 * One line for the user saying what failed at `where` (e.g. `IMAP imap.example.org:993`). Shared
 * by `connect caldav`. Never contains the password: provider errors never carry it.
 */
export function describeConnectFailure(error: unknown, where: string, host: string): string {
  const codes = codesOf(error);
  const has = (test: (code: string) => boolean): string | undefined => codes.find(test);
  if (error instanceof AuthError) {
    // What to do first: the fix the refusal names (Gmail's "Application-specific password
    // required"), or the app password of a provider that takes nothing else (iCloud, Fastmail),
    // which a user who connected without a preset was not told.
    const provider = appPasswordProvider(host);
    const first = error.fix ?? (provider ? appPasswordFix(provider) : undefined);
    return `${where}: wrong password: the server refused the username or app password${first ? ` (${first})` : ''}`;
  }
  if (has((c) => c === 'ERR_TLS_CERT_ALTNAME_INVALID')) return `${where}: TLS name mismatch: the server's certificate is not for ${host}`;
  const tls = has((c) => /^(ERR_TLS|ERR_SSL|CERT_|UNABLE_TO_|DEPTH_ZERO|SELF_SIGNED)/.test(c));
  if (tls) return `${where}: TLS certificate not trusted (${tls})`;
  if (has((c) => c === 'ECONNREFUSED')) return `${where}: connection refused: nothing listens there (check the server name and port)`;
  if (has((c) => c === 'ENOTFOUND' || c === 'EAI_AGAIN')) return `${where}: server name not found (${host})`;
  if (has((c) => TIMEOUT_CODES.has(c))) return `${where}: no answer (timed out); check the server name, port and TLS setting`;
  const message = error instanceof Error ? error.message : String(error);
  // A refusal that names its own fix (a connection limit, a login that needs TLS) says it too.
  const fix = error instanceof ProviderError && error.fix !== undefined ? `: ${error.fix}` : '';
  return `${where}: ${message.split('\n')[0]}${fix}`;
}

/**
 * Opens a bare TCP (or TLS) connection, to explain a failure of a client that hides its cause.
 * Resolves with the failure, or null when the connection opens.
 */
export async function probeConnection(server: ServerSettings, timeoutMs = 10_000): Promise<Error | null> {
  return await new Promise((resolve) => {
    const socket = server.secure
      ? tlsConnect({ host: server.host, port: server.port, servername: server.host })
      : tcpConnect({ host: server.host, port: server.port });
    const done = (result: Error | null): void => {
      socket.destroy();
      resolve(result);
    };
    socket.setTimeout(timeoutMs, () => done(Object.assign(new Error('timed out'), { code: 'ETIMEDOUT' })));
    socket.once('error', (error) => done(error));
    socket.once(server.secure ? 'secureConnect' : 'connect', () => done(null));
  });
}

function port(value: number | string | undefined, flag: string): number | undefined {
  if (value === undefined || value === '') return undefined;
  const n = typeof value === 'number' ? value : Number(value);
  if (!Number.isInteger(n) || n < 1 || n > 65535) throw new BadInputError(`${flag}: must be a port number (993 for IMAP, 465 or 587 for SMTP)`);
  return n;
}

function hostName(value: string, flag: string): string {
  const host = value.trim();
  if (!/^[A-Za-z0-9.-]+$|^\[[0-9a-fA-F:]+\]$/.test(host)) throw new BadInputError(`${flag}: "${host.slice(0, 80)}" is not a server name like imap.example.org`);
  return host;
}

export async function connectImap(flags: ImapConnectFlags, io: ConnectIO): Promise<ConnectResult> {
  if (flags.preset === 'nextcloud') {
    throw new BadInputError('--preset nextcloud: Nextcloud has no mail server; connect its calendar with `ringback connect caldav --preset nextcloud`, and the mailbox with your mail provider');
  }
  const preset = flags.preset ? PRESETS[flags.preset] : undefined;
  if (flags.preset && !preset) throw new BadInputError(`--preset: "${String(flags.preset)}" is not one of ${[...Object.keys(PRESETS), 'nextcloud'].join(', ')}`);

  const host = hostName(flags.host ?? preset?.imap.host ?? (await io.ask('IMAP server (like imap.example.org)', { flag: '--host' })), '--host');
  const imapPort = port(flags.port, '--port') ?? preset?.imap.port ?? (flags.secure === false ? 143 : 993);
  const secure = flags.secure ?? (flags.port !== undefined ? imapPort === 993 : (preset?.imap.secure ?? true));
  const smtpHost = hostName(flags.smtpHost ?? preset?.smtp.host ?? (await io.ask('SMTP server (like smtp.example.org)', { flag: '--smtp-host' })), '--smtp-host');
  const smtpPort = port(flags.smtpPort, '--smtp-port') ?? preset?.smtp.port ?? 587;
  const smtpSecure = flags.smtpSecure ?? (flags.smtpPort !== undefined || !preset ? smtpPort === 465 : preset.smtp.secure);
  const username = (flags.username ?? (await io.ask('User name (usually the email address)', { flag: '--username' }))).trim();
  if (!username || /[\r\n]/.test(username)) throw new BadInputError('--username: give the account user name, usually the email address');
  if (preset) io.say(`${preset.label}: make an app password at ${preset.appPasswordHelp}`);
  const password = flags.password ?? (await io.ask('App password', { secret: true, flag: '--password' }));
  if (!password) throw new BadInputError('--password: give the app password of the account');
  const smtpUsername = (flags.smtpUsername ?? username).trim();

  const imapWhere = `IMAP ${host}:${imapPort}`;
  let folders: Awaited<ReturnType<typeof checkImapLogin>>;
  try {
    folders = await checkImapLogin({ host, port: imapPort, secure, username, password });
  } catch (error) {
    throw new BadInputError(`connect imap: ${describeConnectFailure(error, imapWhere, host)}`);
  }
  if (!folders.drafts) throw new BadInputError(`connect imap: ${imapWhere}: folder missing: no Drafts folder (none marked \\Drafts or named ${DRAFTS_NAMES.join(', ')})`);
  if (!folders.sent) throw new BadInputError(`connect imap: ${imapWhere}: folder missing: no Sent folder (none marked \\Sent or named ${SENT_NAMES.join(', ')})`);
  io.say(`${imapWhere}: login accepted; drafts go to "${folders.drafts}", sent mail to "${folders.sent}"`);

  const smtp = { host: smtpHost, port: smtpPort, secure: smtpSecure };
  const smtpWhere = `SMTP ${smtpHost}:${smtpPort}`;
  const relay = createSmtpRelay({ ...smtp, username: smtpUsername, password });
  try {
    await relay.verify();
  } catch (error) {
    // The relay's errors name the SMTP stage but not the socket's cause: look at the wire once.
    const cause = error instanceof AuthError ? null : await probeConnection(smtp);
    throw new BadInputError(`connect imap: ${describeConnectFailure(cause ?? error, smtpWhere, smtpHost)}`);
  } finally {
    relay.close();
  }
  io.say(`${smtpWhere}: login accepted`);

  const id = defaultAccountId({ type: 'imap', host, username });
  const mailbox: ImapMailboxConfig = {
    type: 'imap',
    id,
    host,
    port: imapPort,
    secure,
    username,
    smtp: { ...smtp, username: smtpUsername },
    serverFilesSent: preset?.serverFilesSent ?? host.endsWith('gmail.com'),
  };
  return { calendars: [], mailbox, secrets: { [id]: { password } } };
}
