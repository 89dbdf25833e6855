/**
 * Builds the adapters named in the config, with their secrets from the vault. The one place that
 * knows every adapter; the engine sees only the ports.
 *
 * One sign-in can serve a calendar and a mailbox (Google and Gmail, Microsoft's calendar and
 * mailbox): the adapters of one account share one auth client, so that a refreshed token is
 * saved once and used by both (sign-ins.ts).
 */
import type { CalendarConfig, MailboxConfig, ResolvedConfig } from '../../config/types.js';
import type { Millis } from '../domain/types.js';
// The embedded default (ics + Maildir) is loaded with the factory; every other adapter, with its
// SDK (googleapis, msal, the Graph client, imapflow, tsdav: about 50 MB of memory in all), only
// when an account of that type is configured.
import { createIcsSource } from './calendar/ics.js';
import type { CalendarSource } from './calendar/types.js';
import { createMaildirMailbox } from './mail/maildir.js';
import type { Mailbox } from './mail/types.js';
import type { SharedSlots } from './microsoft/concurrency.js';
import { createSignIns, secret, type ProviderSecrets } from './sign-ins.js';

export interface ProviderDeps {
  readonly vault: ProviderSecrets;
  readonly now: () => Millis;
  readonly config: ResolvedConfig;
  /** A mailbox's request slots across processes (in Redis), by account address; per process when absent. */
  readonly sharedSlots?: (account: string) => SharedSlots;
  /** Where a mailbox tells a fault that does not fail the call (the daemon's log). */
  readonly warn?: (line: string) => void;
}

export interface Providers {
  createCalendarSource(config: CalendarConfig): Promise<CalendarSource>;
  createMailbox(config: MailboxConfig): Promise<Mailbox>;
}

export function createProviders(deps: ProviderDeps): Providers {
  const signIns = createSignIns({ secrets: deps.vault, config: deps.config, sharedSlots: deps.sharedSlots });
  const horizonDays = deps.config.sync.horizonDays;
  const zone = deps.config.candidate.timezone;

  return {
    async createCalendarSource(config) {
      switch (config.type) {
        case 'ics':
          return createIcsSource({
            id: config.id,
            ...(config.path ? { path: config.path } : {}),
            ...(config.url ? { url: config.url } : {}),
            horizonDays,
            now: deps.now,
            floatingZone: zone,
          });
        case 'caldav': {
          const { createCaldavSource } = await import('./calendar/caldav.js');
          return createCaldavSource({
            id: config.id,
            url: config.url,
            username: config.username,
            password: await secret(deps.vault, config.id, 'password'),
            calendars: config.calendars,
            horizonDays,
            now: deps.now,
            floatingZone: zone,
          });
        }
        case 'google': {
          const { createGoogleCalendarSource } = await import('./google/calendar.js');
          return createGoogleCalendarSource({
            id: config.id,
            auth: await signIns.google(config.id, config),
            calendars: config.calendars,
            horizonDays,
            now: deps.now,
            ...(config.apiRoot ? { rootUrl: config.apiRoot } : {}),
          });
        }
        case 'microsoft': {
          const { createGraphCalendarSource } = await import('./microsoft/calendar.js');
          const auth = await signIns.microsoft(config.id, config);
          return createGraphCalendarSource({
            id: config.id,
            getToken: auth.getToken,
            ...(config.apiRoot ? { baseUrl: config.apiRoot } : {}),
            windowDays: { back: 1, ahead: horizonDays },
            ownerEmail: config.account,
            slots: await signIns.mailboxSlots(config.account),
            floatingZone: zone,
            now: deps.now,
          });
        }
      }
    },

    async createMailbox(config) {
      switch (config.type) {
        case 'maildir': {
          const smtp = config.smtp
            ? { ...config.smtp, ...(config.smtp.username ? { password: await secret(deps.vault, config.id, 'smtpPassword') } : {}) }
            : undefined;
          return createMaildirMailbox({ id: config.id, path: config.path, ...(smtp ? { smtp } : {}), now: deps.now, ...(deps.warn ? { warn: deps.warn } : {}) });
        }
        case 'imap': {
          const { createImapMailbox } = await import('./mail/imap.js');
          return createImapMailbox({
            id: config.id,
            host: config.host,
            port: config.port,
            secure: config.secure,
            username: config.username,
            password: await secret(deps.vault, config.id, 'password'),
            smtp: config.smtp,
            serverFilesSent: config.serverFilesSent,
          });
        }
        case 'gmail': {
          const { createGmailMailbox } = await import('./google/gmail.js');
          return createGmailMailbox({
            id: config.id,
            auth: await signIns.google(config.id, config),
            userEmail: config.account,
            zone,
            now: deps.now,
            ...(config.apiRoot ? { rootUrl: config.apiRoot } : {}),
          });
        }
        case 'microsoft': {
          const { createOutlookMailbox } = await import('./microsoft/outlook.js');
          const auth = await signIns.microsoft(config.id, config);
          return createOutlookMailbox({
            id: config.id,
            getToken: auth.getToken,
            ...(config.apiRoot ? { baseUrl: config.apiRoot } : {}),
            userEmail: config.account,
            now: deps.now,
            slots: await signIns.mailboxSlots(config.account),
            zone,
          });
        }
      }
    },
  };
}
