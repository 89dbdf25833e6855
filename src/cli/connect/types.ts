/**
 * What every `ringback connect <type>` implementation returns. The CLI writes the config fragment
 * into ringback.yaml and the secrets, encrypted, into the store; the implementation itself writes
 * nothing. Before returning it has checked the credentials against the server.
 */
import type { CalendarConfig, MailboxConfig } from '../../../config/types.js';

export const CONNECT_TYPES = ['ics', 'caldav', 'imap', 'maildir', 'google', 'microsoft'] as const;

export interface ConnectIO {
  /** Asks on a TTY; throws BadInputError naming the flag when there is no TTY. */
  ask(question: string, options?: { secret?: boolean; flag?: string }): Promise<string>;
  /** One line of progress for the user. */
  say(line: string): void;
  /** Opens a URL in the user's browser when there is one; always prints it too. */
  openUrl(url: string): Promise<void>;
  readonly signal: AbortSignal;
}

export interface ConnectResult {
  readonly calendars: readonly CalendarConfig[];
  readonly mailbox: MailboxConfig | null;
  /** Secrets per account id (password, refresh token, token cache), stored encrypted. */
  readonly secrets: Readonly<Record<string, Readonly<Record<string, string>>>>;
}
