/**
 * What the adapters of one account share: a Google or Microsoft sign-in (so that a refreshed token
 * is saved once and used by the calendar and the mailbox alike), and a Microsoft mailbox's request
 * slots (its calendar and mail share Outlook's limit of 4 requests at once, concurrency.ts).
 *
 * Each is made on first use and kept for the life of the factory that asked for it; the SDKs load
 * only then.
 */
import type { GoogleOverrides, MicrosoftOverrides, ResolvedConfig } from '../../config/types.js';
import { RunTimeError } from '../errors.js';
import type { GoogleAuthClient } from './google/auth.js';
import type { MicrosoftAuth } from './microsoft/auth.js';
import type { RequestSlots, SharedSlots } from './microsoft/concurrency.js';

/** Where the accounts' secrets are kept (the store's vault, encrypted). */
export interface ProviderSecrets {
  get(accountId: string, name: string): Promise<string | null>;
  set(accountId: string, name: string, value: string): Promise<void>;
}

export interface SignInDeps {
  readonly secrets: ProviderSecrets;
  /** The configured accounts: every account signed in as the same user gets a refreshed token. */
  readonly config: Pick<ResolvedConfig, 'calendars' | 'mailbox'>;
  /** A mailbox's request slots across processes, by account address; per process when absent. */
  readonly sharedSlots?: ((account: string) => SharedSlots) | undefined;
}

export interface SignIns {
  google(id: string, entry: GoogleOverrides & { account: string }): Promise<GoogleAuthClient>;
  microsoft(id: string, entry: MicrosoftOverrides): Promise<MicrosoftAuth>;
  /** The request slots of one Microsoft mailbox, by its address. */
  mailboxSlots(account: string): Promise<RequestSlots>;
}

/** A stored secret of the account, or a {@link RunTimeError} telling to connect it again. */
export async function secret(secrets: ProviderSecrets, accountId: string, name: string): Promise<string> {
  const value = await secrets.get(accountId, name);
  if (value === null) {
    throw new RunTimeError(`account ${accountId} has no stored ${name}: run "ringback connect" for it again`);
  }
  return value;
}

/** Ids of every configured account signed in as `account` with this provider. */
function idsOf(config: SignInDeps['config'], types: readonly string[], account: string): string[] {
  const all = [...config.calendars, ...(config.mailbox ? [config.mailbox] : [])];
  return [...new Set(all.filter((a) => types.includes(a.type) && 'account' in a && a.account === account).map((a) => a.id))];
}

/** The value kept under `key`, made by `make` on first use. */
function cached<T>(made: Map<string, Promise<T>>, key: string, make: () => Promise<T>): Promise<T> {
  let value = made.get(key);
  if (!value) {
    value = make();
    made.set(key, value);
  }
  return value;
}

export function createSignIns(deps: SignInDeps): SignIns {
  const { secrets } = deps;
  const googleAuths = new Map<string, Promise<GoogleAuthClient>>();
  const microsoftAuths = new Map<string, Promise<MicrosoftAuth>>();
  const slots = new Map<string, Promise<RequestSlots>>();

  return {
    google: (id, entry) =>
      cached(googleAuths, `${entry.account}|${entry.tokenUrl ?? ''}`, async () => {
        const { createGoogleAuth } = await import('./google/auth.js');
        const clientSecret = await secrets.get(id, 'clientSecret');
        return createGoogleAuth({
          clientId: await secret(secrets, id, 'clientId'),
          ...(clientSecret ? { clientSecret } : {}),
          tokens: { refresh_token: await secret(secrets, id, 'refreshToken') },
          endpoints: { ...(entry.tokenUrl ? { tokenUrl: entry.tokenUrl } : {}), ...(entry.authUrl ? { authUrl: entry.authUrl } : {}) },
          onTokens: async (tokens) => {
            if (!tokens.refresh_token) return;
            for (const sharing of idsOf(deps.config, ['google', 'gmail'], entry.account)) {
              await secrets.set(sharing, 'refreshToken', tokens.refresh_token);
            }
          },
        });
      }),

    microsoft: (id, entry) =>
      cached(microsoftAuths, id, async () => {
        const { createMicrosoftAuth } = await import('./microsoft/auth.js');
        return createMicrosoftAuth({
          clientId: await secret(secrets, id, 'clientId'),
          ...(entry.authority ? { authority: entry.authority } : {}),
          ...(entry.apiRoot ? { apiRoot: entry.apiRoot } : {}),
          storage: { load: () => secrets.get(id, 'tokenCache'), save: (s) => secrets.set(id, 'tokenCache', s) },
        });
      }),

    mailboxSlots(account) {
      const key = account.trim().toLowerCase();
      return cached(slots, key, async () => {
        const { createRequestSlots, MAILBOX_CONCURRENCY } = await import('./microsoft/concurrency.js');
        return createRequestSlots(MAILBOX_CONCURRENCY, deps.sharedSlots?.(`microsoft:${key}`));
      });
    },
  };
}
