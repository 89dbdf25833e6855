/**
 * What the user can do about an account that does not work, in one line: the command that
 * reconnects it, or what to check. Shown by `accounts`, `doctor`, the dashboard and the log when an
 * outage begins (DESIGN.md, Outages).
 */
import type { CalendarConfig, MailboxConfig } from '../../config/types.js';
import { LimitReachedError, ProviderError } from '../providers/errors.js';
import { appPasswordFix, appPasswordProvider } from '../providers/mail/app-passwords.js';
import type { Attention } from '../store/accounts.js';

/** A value as a shell argument: quoted when it needs to be. */
function arg(value: string): string {
  return /^[\w@%+=:,./-]+$/.test(value) ? value : `'${value.replaceAll("'", "'\\''")}'`;
}

/** An address without user name, password, query or fragment. */
export function bareUrl(url: string): string {
  try {
    const u = new URL(url);
    return `${u.protocol}//${u.host}${u.pathname}`;
  } catch {
    // Not a URL (the config validates it, so this is only a guard): show nothing of it.
    return '<the server address>';
  }
}

export function reconnectCommand(config: CalendarConfig | MailboxConfig): string {
  const id = `--id ${arg(config.id)}`;
  switch (config.type) {
    case 'ics':
      return config.path ? `ringback connect ics ${id} --path ${arg(config.path)}` : `ringback connect ics ${id} --url '<your calendar’s secret address>'`;
    case 'caldav':
      return `ringback connect caldav ${id} --url ${arg(bareUrl(config.url))} --username ${arg(config.username)}`;
    case 'maildir':
      return `ringback connect maildir ${id} --path ${arg(config.path)}`;
    case 'imap':
      return `ringback connect imap ${id} --host ${arg(config.host)} --username ${arg(config.username)}`;
    case 'google':
    case 'gmail':
      return 'ringback connect google';
    case 'microsoft':
      return 'ringback connect microsoft';
  }
}


/**
 * The one-line fix for an account in trouble: the one `error` names when it names one (a login
 * that needs TLS, a limit that lifts by itself), else the one for its kind of trouble.
 */
export function fixFor(config: CalendarConfig | MailboxConfig, attention: Exclude<Attention, null>, error?: unknown): string {
  const resume = 'ringback resumes on its own within a minute of the account working again';
  // A limit's own line says when ringback looks again: an hour, not a minute.
  if (error instanceof LimitReachedError) return error.fix ?? '';
  const named = error instanceof ProviderError ? error.fix : undefined;
  if (named !== undefined && attention !== 'needs-reauth') return `${named} (${resume})`;
  switch (attention) {
    case 'needs-reauth': {
      // What to do before signing in again, when the refusal or the provider says (an app password).
      const first = named ?? appPasswordFirst(config);
      return `${first ? `${first}, then ` : ''}sign in again: ${reconnectCommand(config)} (${resume})`;
    }
    case 'unusable':
      if (config.type !== 'maildir') return `check the account's folders, permissions and quota, and that the mail server accepts your address as sender (${resume})`;
      // The SMTP relay may be the one refusing (this computer, or the sender address): the message says which.
      return `make the folder ${arg(config.path)} (with its .Drafts and .Sent) exist and writable${config.smtp ? ', or check that the SMTP relay accepts this computer and your address as sender' : ''}, or run ${reconnectCommand(config)} (${resume})`;
    case 'unreachable':
      if (config.type === 'maildir' && !config.smtp) return `check the folder ${arg(config.path)} and its .Drafts and .Sent (${resume})`;
      return `check that ${where(config)} is up and reachable from this machine (${resume})`;
    case 'error':
      return `check the account settings, or run ${reconnectCommand(config)} (${resume})`;
  }
}

/** The app password to make first, when the account's mail servers take nothing else (app-passwords.ts). */
function appPasswordFirst(config: CalendarConfig | MailboxConfig): string | undefined {
  const hosts = config.type === 'imap' ? [config.host, config.smtp?.host] : config.type === 'maildir' ? [config.smtp?.host] : config.type === 'caldav' ? [hostOf(config.url)] : [];
  const provider = hosts.map((host) => (host ? appPasswordProvider(host) : null)).find((found) => found !== null);
  return provider ? appPasswordFix(provider) : undefined;
}

function hostOf(url: string): string | undefined {
  try {
    return new URL(url).hostname;
  } catch {
    // Not a URL (the config validates it): no provider to name.
    return undefined;
  }
}

function where(config: CalendarConfig | MailboxConfig): string {
  switch (config.type) {
    case 'caldav':
      return bareUrl(config.url);
    case 'imap':
      return `the mail server ${config.host}`;
    case 'maildir':
      return config.smtp ? `the mail server ${config.smtp.host}` : config.path;
    case 'ics':
      return config.path ?? 'the calendar host';
    case 'google':
    case 'gmail':
      return 'Google';
    case 'microsoft':
      return 'Microsoft 365';
  }
}
