/**
 * Builds the adapters named in the config, with their secrets from the vault. The one place that
 * knows every adapter; the engine sees only the ports.
 *
 * One sign-in can serve a calendar and a mailbox (Google and Gmail, Microsoft's calendar and
 * mailbox): the adapters of one account share one auth client, so that a refreshed token is
 * saved once and used by both.
 */
import type { CalendarConfig, GoogleOverrides, MailboxConfig, MicrosoftOverrides, ResolvedConfig } from '../../config/types.js';
import type { Millis } from '../domain/types.js';
import { RunTimeError } from '../errors.js';
import type { SecretVault } from '../store/secrets.js';
// The embedded default (ics + Maildir) is loaded with the factory; every other adapter, with its
// SDK (googleapis, msal, the Graph client, imapflow, tsdav: about 50 MB of memory in all), only
// when an account of that type is configured.
import { createIcsSource } from './calendar/ics.js';
import type { CalendarSource } from './calendar/types.js';
import type { GoogleAuthClient } from './google/auth.js';
import { createMaildirMailbox } from './mail/maildir.js';
import type { Mailbox } from './mail/types.js';
import type { MicrosoftAuth } from './microsoft/auth.js';
import type { RequestSlots, SharedSlots } from './microsoft/concurrency.js';

export interface ProviderDeps {
  readonly vault: SecretVault;
  readonly now: () => Millis;
  readonly config: ResolvedConfig;
  /** A mailbox's request slots across processes (in Redis), by account address; per process when absent. */
  readonly sharedSlots?: (account: string) => SharedSlots;
}

export interface Providers {
  createCalendarSource(config: CalendarConfig): Promise<CalendarSource>;
  createMailbox(config: MailboxConfig): Promise<Mailbox>;
}

async function secret(deps: ProviderDeps, accountId: string, name: string): Promise<string> {
  const value = await deps.vault.get(accountId, name);
  if (value === null) {
    throw new RunTimeError(`account ${accountId} has no stored ${name}: run "ringback connect" for it again`);
  }
  return value;
}

/** Ids of every configured account signed in as `account` with this provider. */
function idsOf(config: ResolvedConfig, types: readonly string[], account: string): string[] {
  const all = [...config.calendars, ...(config.mailbox ? [config.mailbox] : [])];
  return [...new Set(all.filter((a) => types.includes(a.type) && 'account' in a && a.account === account).map((a) => a.id))];
}

export function createProviders(deps: ProviderDeps): Providers {
  const googleAuths = new Map<string, Promise<GoogleAuthClient>>();
  const microsoftAuths = new Map<string, Promise<MicrosoftAuth>>();
  // One mailbox's calendar and mail share Outlook's limit of 4 requests at once (concurrency.ts).
  const mailboxSlots = new Map<string, Promise<RequestSlots>>();
  const slotsOf = (account: string): Promise<RequestSlots> => {
    const key = account.trim().toLowerCase();
    let slots = mailboxSlots.get(key);
    if (!slots) {
      slots = import('./microsoft/concurrency.js').then(({ createRequestSlots, MAILBOX_CONCURRENCY }) =>
        createRequestSlots(MAILBOX_CONCURRENCY, deps.sharedSlots?.(`microsoft:${key}`)),
      );
      mailboxSlots.set(key, slots);
    }
    return slots;
  };
  const horizonDays = deps.config.sync.horizonDays;
  const zone = deps.config.candidate.timezone;

  const googleAuth = (id: string, entry: GoogleOverrides & { account: string }) => {
    const key = `${entry.account}|${entry.tokenUrl ?? ''}`;
    let auth = googleAuths.get(key);
    if (!auth) {
      auth = (async () => {
        const { createGoogleAuth } = await import('./google/auth.js');
        const clientSecret = await deps.vault.get(id, 'clientSecret');
        return createGoogleAuth({
          clientId: await secret(deps, id, 'clientId'),
          ...(clientSecret ? { clientSecret } : {}),
          tokens: { refresh_token: await secret(deps, id, 'refreshToken') },
          endpoints: { ...(entry.tokenUrl ? { tokenUrl: entry.tokenUrl } : {}), ...(entry.authUrl ? { authUrl: entry.authUrl } : {}) },
          onTokens: async (tokens) => {
            if (!tokens.refresh_token) return;
            for (const sharing of idsOf(deps.config, ['google', 'gmail'], entry.account)) {
              await deps.vault.set(sharing, 'refreshToken', tokens.refresh_token);
            }
          },
        });
      })();
      googleAuths.set(key, auth);
    }
    return auth;
  };

  const microsoftAuth = (id: string, entry: MicrosoftOverrides) => {
    let auth = microsoftAuths.get(id);
    if (!auth) {
      auth = (async () => {
        const { createMicrosoftAuth } = await import('./microsoft/auth.js');
        return createMicrosoftAuth({
          clientId: await secret(deps, id, 'clientId'),
          ...(entry.authority ? { authority: entry.authority } : {}),
          ...(entry.apiRoot ? { apiRoot: entry.apiRoot } : {}),
          storage: { load: () => deps.vault.get(id, 'tokenCache'), save: (s) => deps.vault.set(id, 'tokenCache', s) },
        });
      })();
      microsoftAuths.set(id, auth);
    }
    return auth;
  };

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
            password: await secret(deps, config.id, 'password'),
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
            auth: await googleAuth(config.id, config),
            calendars: config.calendars,
            horizonDays,
            now: deps.now,
            ...(config.apiRoot ? { rootUrl: config.apiRoot } : {}),
          });
        }
        case 'microsoft': {
          const { createGraphCalendarSource } = await import('./microsoft/calendar.js');
          const auth = await microsoftAuth(config.id, config);
          return createGraphCalendarSource({
            id: config.id,
            getToken: auth.getToken,
            ...(config.apiRoot ? { baseUrl: config.apiRoot } : {}),
            windowDays: { back: 1, ahead: horizonDays },
            ownerEmail: config.account,
            slots: await slotsOf(config.account),
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
            ? { ...config.smtp, ...(config.smtp.username ? { password: await secret(deps, config.id, 'smtpPassword') } : {}) }
            : undefined;
          return createMaildirMailbox({ id: config.id, path: config.path, ...(smtp ? { smtp } : {}), now: deps.now });
        }
        case 'imap': {
          const { createImapMailbox } = await import('./mail/imap.js');
          return createImapMailbox({
            id: config.id,
            host: config.host,
            port: config.port,
            secure: config.secure,
            username: config.username,
            password: await secret(deps, config.id, 'password'),
            smtp: config.smtp,
            serverFilesSent: config.serverFilesSent,
          });
        }
        case 'gmail': {
          const { createGmailMailbox } = await import('./google/gmail.js');
          return createGmailMailbox({
            id: config.id,
            auth: await googleAuth(config.id, config),
            userEmail: config.account,
            now: deps.now,
            ...(config.apiRoot ? { rootUrl: config.apiRoot } : {}),
          });
        }
        case 'microsoft': {
          const { createOutlookMailbox } = await import('./microsoft/outlook.js');
          const auth = await microsoftAuth(config.id, config);
          return createOutlookMailbox({
            id: config.id,
            getToken: auth.getToken,
            ...(config.apiRoot ? { baseUrl: config.apiRoot } : {}),
            userEmail: config.account,
            now: deps.now,
            slots: await slotsOf(config.account),
          });
        }
      }
    },
  };
}
