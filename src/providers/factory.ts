/**
 * Builds the adapters named in the config, with their secrets from the vault. The one place that
 * knows every adapter; the engine sees only the ports.
 */
import type { CalendarConfig, MailboxConfig } from '../../config/types.js';
import type { Millis } from '../domain/types.js';
import { RunTimeError } from '../errors.js';
import type { SecretVault } from '../store/secrets.js';
import { createIcsSource } from './calendar/ics.js';
import type { CalendarSource } from './calendar/types.js';
import { createMaildirMailbox } from './mail/maildir.js';
import type { Mailbox } from './mail/types.js';

export interface ProviderDeps {
  readonly vault: SecretVault;
  readonly now: () => Millis;
  readonly horizonDays: number;
  /** The candidate's zone: floating times and all-day dates are read in it. */
  readonly timeZone: string;
}

async function secret(deps: ProviderDeps, accountId: string, name: string): Promise<string> {
  const value = await deps.vault.get(accountId, name);
  if (value === null) {
    throw new RunTimeError(`account ${accountId} has no stored ${name}: run "ringback connect" for it again`);
  }
  return value;
}

export async function createCalendarSource(config: CalendarConfig, deps: ProviderDeps): Promise<CalendarSource> {
  switch (config.type) {
    case 'ics':
      return createIcsSource({
        id: config.id,
        ...(config.path ? { path: config.path } : {}),
        ...(config.url ? { url: config.url } : {}),
        horizonDays: deps.horizonDays,
        now: deps.now,
        floatingZone: deps.timeZone,
      });
    default:
      throw new RunTimeError(`calendar type "${config.type}" (${config.id}) is not available in this build`);
  }
}

export async function createMailbox(config: MailboxConfig, deps: ProviderDeps): Promise<Mailbox> {
  switch (config.type) {
    case 'maildir': {
      const smtp = config.smtp
        ? {
            ...config.smtp,
            ...(config.smtp.username ? { password: await secret(deps, config.id, 'smtpPassword') } : {}),
          }
        : undefined;
      return createMaildirMailbox({ id: config.id, path: config.path, ...(smtp ? { smtp } : {}), now: deps.now });
    }
    default:
      throw new RunTimeError(`mailbox type "${config.type}" (${config.id}) is not available in this build`);
  }
}
