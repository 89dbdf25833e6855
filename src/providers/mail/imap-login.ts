/**
 * Logging in to an IMAP account: the connection settings, the Drafts and Sent folders, the check
 * `connect imap` runs, and imapflow and socket failures turned into provider errors.
 */
import { ImapFlow } from 'imapflow';
import { appPasswordFixFromReply } from './app-passwords.js';
import { loginNeedsStartTls } from '../loopback.js';
import { AccountUnusableError, AuthError, LIMIT_RECHECK_MS, LimitReachedError, PermanentError, ProviderError, RateLimitError, TransientError, boundedWait, tlsCertificateRefused } from '../errors.js';

export interface ImapLogin {
  readonly host: string;
  readonly port: number;
  /** Implicit TLS (993). Otherwise STARTTLS is used when the server offers it. */
  readonly secure: boolean;
  readonly username: string;
  /** App password; never logged, never part of an error message. */
  readonly password: string;
  /** TLS settings for IMAP and SMTP. */
  readonly tls?: {
    /** @defaultValue true */
    readonly rejectUnauthorized?: boolean;
    /** A private CA (PEM) to trust besides the system ones. */
    readonly ca?: string;
  };
  /**
   * Whether the login may go over a connection that is not encrypted, when the server offers no
   * STARTTLS. Defaults to true only for this computer's loopback address (a local bridge), where
   * nothing crosses a network.
   */
  readonly plaintextLogin?: boolean;
}

/** What to do when the server would not encrypt the connection: imapflow's `tlsFailed`. */
const NO_STARTTLS_FIX =
  "the mail server offers no encryption (STARTTLS) on this port, and ringback sends your password only over an encrypted connection: connect the account again with TLS (ringback connect imap with --port 993 --secure true, or a port where the server offers STARTTLS); if it does offer STARTTLS elsewhere, something on this network may be removing it";

/** Folder names tried, in order, when no folder carries the SPECIAL-USE flag. */
export const DRAFTS_NAMES = ['Drafts', 'Draft', 'INBOX.Drafts', '[Gmail]/Drafts'] as const;
export const SENT_NAMES = ['Sent', 'Sent Items', 'Sent Messages', 'INBOX.Sent', '[Gmail]/Sent Mail'] as const;

/** RFC 5530 response codes of a server that cannot serve now: busy, limited, or in trouble. */
const TRANSIENT_CODES = new Set(['UNAVAILABLE', 'INUSE', 'LIMIT', 'SERVERBUG']);

/**
 * A full account said in words rather than with RFC 5530's OVERQUOTA, as servers older than it do:
 * Courier-IMAP refuses an APPEND "NO [ALERT] You exceeded your mail quota." or "NO [ALERT] Cannot
 * create message - no write permission or out of disk space." (imap/imapd.c, store_mailbox).
 */
const FULL_IN_WORDS = /quota|out of disk space|no write permission/i;

/**
 * RFC 5530 §3 codes of a login that no password gets past, each with what the user can do:
 * PRIVACYREQUIRED, "not permitted due to a lack of privacy" (Dovecot refuses a plaintext login
 * without TLS "NO [PRIVACYREQUIRED] Plaintext authentication disallowed on non-secure (SSL/TLS)
 * connections."), and CONTACTADMIN, "the user should contact the system administrator or support
 * desk" (Lavabit's magma, a locked account: "NO [CONTACTADMIN] This account has been
 * administratively locked.").
 */
const REFUSED_LOGIN_FIX: Readonly<Record<string, string>> = {
  PRIVACYREQUIRED:
    'the mail server accepts a sign-in only over an encrypted connection: connect the account again with TLS (ringback connect imap with --port 993 --secure true, or a port where the server offers STARTTLS); your password is not the trouble',
  CONTACTADMIN: "the mail server refuses this account and asks you to contact its administrator (your mail provider's support); a new password does not help",
};

/**
 * Gmail's limit on IMAP commands and bandwidth, under RFC 5530's OVERQUOTA: "NO [OVERQUOTA] Account
 * exceeded command or bandwidth limits." (ljmerza/ha-email-sensor#16). Not a full mailbox: it
 * lifts by itself, "typically ... for one hour, but can last as long as 24 hours" (Google
 * Workspace Admin Help, "Request limits", support.google.com/a/answer/1359240).
 */
const GMAIL_BANDWIDTH = /command or bandwidth limits/i;
const GMAIL_BANDWIDTH_FIX =
  "Gmail's limit on IMAP commands and bandwidth for this account is reached (often another mail client or a backup tool downloading a lot): it lifts by itself, usually within an hour and at most within 24 hours; ringback checks again every hour";

/**
 * A login refused because the account holds as many IMAP connections as the server allows (other
 * mail clients, devices behind the same address, tools), each with what the user can do. The
 * password is right and a new one fixes nothing: a wait, tried again, and the login works again
 * once some close.
 *
 * - Gmail's 15 IMAP connections at once per account: "NO [ALERT] Too many simultaneous
 *   connections. (Failure)" (zone-eu/wildduck#35; the limit, support.google.com/mail/answer/97150,
 *   as cited in imapsync/imapsync#61).
 * - Dovecot's `mail_max_userip_connections` (per user and client address, 10 unless set
 *   otherwise): "NO [LIMIT] Maximum number of connections from user+IP exceeded
 *   (mail_max_userip_connections=1)" (Dovecot 2.3, test/providers/mail/imap-connection-limit.int.test.ts),
 *   "NO [UNAVAILABLE] …" from earlier servers (mscdex/node-imap#606). Past it, "*all* connections
 *   from that IP start to fail" (mail-in-a-box/mailinabox#1799), so the user's other clients on
 *   this computer or network are what to close.
 */
const CONNECTION_LIMITS: ReadonlyArray<{ readonly said: RegExp; readonly fix: (said: RegExpExecArray) => string }> = [
  {
    said: /too many simultaneous connections/i,
    fix: () => 'the mail server refuses more connections to this account for now (Gmail allows 15 IMAP connections at once): close a mail client or tool that keeps many open, or wait; your password is not the trouble',
  },
  {
    said: /maximum number of connections from user\+IP exceeded(?: \(mail_max_userip_connections=(\d+)\))?/i,
    fix: ([, allowed]) =>
      `the mail server refuses more connections to this account from this address for now (it allows ${allowed ?? 'only a few'} at once, counting every mail client and device on this computer or behind the same internet connection): close a mail client or device that keeps many open, or ask the server's administrator to raise mail_max_userip_connections; ringback keeps one open and tries again; your password is not the trouble`,
  },
];

/** The fix for a login refused at the account's connection limit, or undefined when `text` is no such refusal. */
function connectionLimitFix(text: string): string | undefined {
  for (const { said, fix } of CONNECTION_LIMITS) {
    const match = said.exec(text);
    if (match) return fix(match);
  }
  return undefined;
}

/** Translates an imapflow or socket failure into a provider error whose message is safe to log. */
export function imapError(error: unknown, what: string): ProviderError {
  if (error instanceof ProviderError) return error;
  const failure = (error ?? {}) as {
    authenticationFailed?: boolean;
    code?: unknown;
    responseStatus?: unknown;
    serverResponseCode?: unknown;
    responseText?: unknown;
    message?: unknown;
    mailboxMissing?: unknown;
  };
  const code = typeof failure.code === 'string' ? failure.code : '';
  const serverCode = typeof failure.serverResponseCode === 'string' ? failure.serverResponseCode.toUpperCase() : '';
  const options = { cause: error };
  const text = typeof failure.responseText === 'string' ? failure.responseText.slice(0, 200) : String(failure.responseStatus);
  // A connection limit reached, said in words (and under LIMIT or UNAVAILABLE, or no code at all):
  // asked first, for the fix that names it. imapflow marks the refusal a failed login.
  const tooManyConnections = connectionLimitFix(text);
  if (tooManyConnections !== undefined) return new TransientError(`IMAP ${what} refused: ${text}`, { ...options, fix: tooManyConnections });
  // RFC 5530 §3 codes of a server in trouble, "a later attempt may succeed". Asked first: imapflow
  // marks every NO to LOGIN `authenticationFailed`, and Dovecot refuses a login with "NO
  // [UNAVAILABLE] Temporary authentication failure." while its password backend is down
  // (docker-mailserver/docker-mailserver#1534): the password is right, and a new one fixes nothing.
  if (TRANSIENT_CODES.has(serverCode)) {
    return new TransientError(`IMAP ${what}: ${text}`, options);
  }
  // Also asked before `authenticationFailed`: the password is right, and a new one fixes nothing.
  const loginFix = REFUSED_LOGIN_FIX[serverCode];
  if (loginFix !== undefined) return new AccountUnusableError(`IMAP ${what} refused: ${text}`, { ...options, fix: loginFix });
  if (serverCode === 'OVERQUOTA' && GMAIL_BANDWIDTH.test(text)) {
    return new LimitReachedError(`IMAP ${what} refused: ${text}`, LIMIT_RECHECK_MS, false, { ...options, fix: GMAIL_BANDWIDTH_FIX });
  }
  if (failure.authenticationFailed || serverCode === 'AUTHENTICATIONFAILED') {
    // The server's own words, which may name the fix (Gmail: "Application-specific password required").
    const said = typeof failure.responseText === 'string' ? `: ${text}` : '';
    const fix = appPasswordFixFromReply(text);
    return new AuthError(`IMAP server refused the username or app password${said}`, fix !== undefined ? { ...options, fix } : options);
  }
  const certificate = tlsCertificateRefused(`IMAP ${what}`, code, options);
  if (certificate) return certificate;
  if ((error as { tlsFailed?: unknown } | null)?.tlsFailed === true) {
    const said = typeof failure.message === 'string' ? failure.message.slice(0, 160) : 'no STARTTLS';
    return new AccountUnusableError(`IMAP ${what}: no encrypted connection (${said}): the password was not sent`, { ...options, fix: NO_STARTTLS_FIX });
  }
  if (code === 'ETHROTTLE') return new RateLimitError(`IMAP server throttled ${what}: ${text}`, throttleLeft(error), options);
  // imapflow's own refusal before sending: the message is larger than the server's APPENDLIMIT (RFC 7889).
  if (serverCode === 'APPENDLIMIT') return new PermanentError(`IMAP ${what} refused: the message is larger than the server accepts`, options);
  if (failure.responseStatus === 'NO' || failure.responseStatus === 'BAD') {
    // RFC 5530 codes of the account, not of the message: over quota, a folder gone, no right to it;
    // and RFC 3501's TRYCREATE (§7.1), an APPEND to a folder that does not exist (any more).
    // Dovecot answers a SELECT of a removed folder with no code at all ("NO Mailbox doesn't
    // exist: Sent"); imapflow then asks LIST and marks the error `mailboxMissing`.
    if (['OVERQUOTA', 'NONEXISTENT', 'NOPERM', 'TRYCREATE'].includes(serverCode) || failure.mailboxMissing === true || FULL_IN_WORDS.test(text)) {
      return new AccountUnusableError(`IMAP ${what} refused: ${text}`, options);
    }
    return new PermanentError(`IMAP ${what} refused: ${text}`, options);
  }
  const detail = code || (typeof failure.message === 'string' ? failure.message.slice(0, 120) : 'connection lost');
  return new TransientError(`IMAP connection failed during ${what} (${detail})`, options);
}

/**
 * What is left of an IMAP server's throttling hint once imapflow has waited on it: Exchange
 * Online's "Request is throttled. Suggested Backoff Time: 299609 milliseconds" (imapsync/imapsync
 * #198) becomes imapflow's ETHROTTLE with `throttleReset` (the hint) and `throttleWaited` (at most
 * 150 s, half its socket timeout). A minute when the hint is missing.
 */
function throttleLeft(error: unknown): number {
  const { throttleReset, throttleWaited } = (error ?? {}) as { throttleReset?: unknown; throttleWaited?: unknown };
  if (typeof throttleReset !== 'number') return 60_000;
  return boundedWait(throttleReset - (typeof throttleWaited === 'number' ? throttleWaited : 0), 60_000);
}

export function connectOptions(login: ImapLogin) {
  return {
    host: login.host,
    port: login.port,
    secure: login.secure,
    // Without implicit TLS, imapflow starts TLS only when the server lists STARTTLS, and otherwise
    // sends LOGIN, password included, in clear text: "Set `doSTARTTLS: true` whenever the
    // credentials must never cross the wire unencrypted" (imapflow's own documentation of the
    // option, types.d.ts; the capability list that decides it arrives in clear text, and an attacker
    // on the path can remove STARTTLS from it, RFC 9051 §11.1). Required except to the loopback.
    ...(loginNeedsStartTls(login) ? { doSTARTTLS: true } : {}),
    auth: { user: login.username, pass: login.password },
    ...(login.tls ? { tls: { ...login.tls } } : {}),
    logger: false as const,
    disableAutoIdle: true,
    connectionTimeout: 15_000,
    greetingTimeout: 15_000,
  };
}

export async function findFolders(client: ImapFlow): Promise<{ drafts: string | null; sent: string | null }> {
  const folders = await client.list();
  const pick = (flag: string, names: readonly string[]): string | null =>
    folders.find((folder) => folder.specialUse === flag && folder.specialUseSource === 'extension')?.path ??
    names.map((name) => folders.find((folder) => folder.path.toLowerCase() === name.toLowerCase())?.path).find(Boolean) ??
    // imapflow's own guess from localised names ("Entwürfe", "Éléments envoyés").
    folders.find((folder) => folder.specialUse === flag)?.path ??
    null;
  return { drafts: pick('\\Drafts', DRAFTS_NAMES), sent: pick('\\Sent', SENT_NAMES) };
}

/** The room a draft needs in the account, with a margin: ringback's emails are a few KB. */
const DRAFT_ROOM_BYTES = 16 * 1024;

/**
 * Throws {@link AccountUnusableError} when the server reports (IMAP QUOTA, RFC 9208) that a
 * draft no longer fits in `path`'s quota, and does nothing when it has no quota or does not say.
 * A write refused `[OVERQUOTA]` parks the steps; this is what tells the health check whether space
 * was freed: a login alone succeeds while the account is full, and each check would end the
 * outage for the next step to be refused again.
 */
export async function checkRoom(client: ImapFlow, path: string): Promise<void> {
  const quota = await client.getQuota(path);
  if (!quota) return;
  const { storage, message } = quota;
  if (storage?.limit !== undefined && storage.usage !== undefined && storage.usage + DRAFT_ROOM_BYTES > storage.limit) {
    const used = `${Math.ceil(storage.usage / 1024)} KB of ${Math.floor(storage.limit / 1024)} KB`;
    throw new AccountUnusableError(`IMAP account is over its quota (${used} used): delete or archive mail to make room for drafts`);
  }
  if (message?.limit !== undefined && message.usage !== undefined && message.usage >= message.limit) {
    throw new AccountUnusableError(`IMAP account is over its quota (${message.usage} of ${message.limit} messages): delete or archive mail to make room for drafts`);
  }
}

/**
 * Logs in, finds the Drafts and Sent folders and logs out: for `connect imap`. A missing folder
 * comes back as null; a refused login is an AuthError.
 */
export async function checkImapLogin(login: ImapLogin): Promise<{ drafts: string | null; sent: string | null }> {
  const client = new ImapFlow(connectOptions(login));
  // Failures reach us through the awaited calls below; the event only must not go unheard.
  client.on('error', () => undefined);
  try {
    await client.connect();
    const folders = await findFolders(client);
    await client.logout();
    return folders;
  } catch (error) {
    client.close();
    throw imapError(error, 'login');
  }
}
