/**
 * Signing in to Microsoft: msal-node's public client with the user's own app registration, and a
 * silent token for every Graph call, refreshed through the refresh token when needed. The
 * device-code sign-in that `connect microsoft` runs is in device-code.ts.
 *
 * msal keeps the account, the refresh token and the access tokens in its token cache. That cache
 * lives only where the caller's {@link TokenCacheStorage} puts it (the encrypted vault): the cache
 * plugin loads it before msal reads and hands every changed cache to `save`, serialized, nowhere
 * else.
 *
 * HTTP goes through {@link FetchLike}, the same client the Graph adapters use (sign-in-network.ts),
 * so that one setting (a proxy's CA, a test server's certificate) covers both.
 */
import { PublicClientApplication, type AccountInfo, type Configuration, type ICachePlugin } from '@azure/msal-node';
import { AuthError } from '../errors.js';
import { accountOf, signInWithDeviceCode, type DeviceCodeOptions, type SignedInAccount } from './device-code.js';
import { REAUTH_MESSAGE, toProviderError } from './errors.js';
import { DEFAULT_API_ROOT, type TokenSource } from './graph.js';
import type { FetchLike } from './graph-transport.js';
import { fetchNetworkModule } from './sign-in-network.js';

export const DEFAULT_AUTHORITY = 'https://login.microsoftonline.com/common';

/**
 * The delegated permissions ringback asks for, each the narrowest that does the job. The README
 * lists them with these reasons. They are asked for on Graph's resource (see {@link scopesFor}).
 */
export const SCOPES = [
  // Read events (attendees, categories, Teams dial-in numbers) through calendarView delta, and
  // busy times through getSchedule. Read-only: ringback never writes to a calendar.
  'Calendars.Read',
  // Write every email as a draft in the user's own Drafts folder (create, update, delete), find a
  // message by its Message-ID in Drafts and Sent Items so that a retry never sends twice, and see
  // replies in the interview's conversation so that follow-ups stop.
  'Mail.ReadWrite',
  // Send a confirmation draft, as the user left it, from the user's mailbox.
  'Mail.Send',
  // Read the signed-in user's address at connect (`/me`): it names the account and tells which
  // attendee of an event is the user.
  'User.Read',
  // A refresh token, so that ringback keeps working after the first hour without asking again.
  'offline_access',
] as const;

/** The scopes on the resource of `apiRoot`: bare names for Graph's global service, prefixed for another cloud. */
export function scopesFor(apiRoot: string = DEFAULT_API_ROOT): string[] {
  const origin = new URL(apiRoot).origin;
  if (origin === new URL(DEFAULT_API_ROOT).origin) return [...SCOPES];
  return SCOPES.map((scope) => (scope === 'offline_access' ? scope : `${origin}/${scope}`));
}

/** Where msal's serialized token cache is kept. The caller encrypts it. */
export interface TokenCacheStorage {
  /** The cache as last saved, or null before the first sign-in. */
  load(): Promise<string | null>;
  save(serialized: string): Promise<void>;
}

export interface MicrosoftAuthOptions {
  /** Application (client) id of the user's app registration. */
  readonly clientId: string;
  /** `https://login.microsoftonline.com/<tenant>`, or another cloud's or a test server's. @defaultValue {@link DEFAULT_AUTHORITY} */
  readonly authority?: string;
  /** Graph's root, whose resource the scopes are for. @defaultValue {@link DEFAULT_API_ROOT} */
  readonly apiRoot?: string;
  readonly storage: TokenCacheStorage;
  /** @defaultValue the global `fetch` */
  readonly fetch?: FetchLike;
  /** How long one request to the sign-in server may take. @defaultValue 30000 */
  readonly timeoutMs?: number;
  /** @defaultValue Date.now */
  readonly now?: () => number;
}

export interface MicrosoftAuth {
  /** An access token for Graph from the cache, refreshed through the refresh token when needed. */
  readonly getToken: TokenSource;
  /** Device-code sign-in: shows the prompt, then waits (msal polls) until the user has approved it. */
  signInWithDeviceCode(options: DeviceCodeOptions): Promise<SignedInAccount>;
  /** The account in the cache, or null before sign-in. */
  account(): Promise<SignedInAccount | null>;
}

/** Known Microsoft sign-in hosts: msal has their metadata built in and checks them itself. */
const MICROSOFT_HOSTS = new Set([
  'login.microsoftonline.com',
  'login.microsoft.com',
  'login.windows.net',
  'sts.windows.net',
  'login.microsoftonline.us',
  'login.usgovcloudapi.net',
  'login-us.microsoftonline.com',
  'login.chinacloudapi.cn',
  'login.partner.microsoftonline.cn',
]);

export function createMicrosoftAuth(options: MicrosoftAuthOptions): MicrosoftAuth {
  const authority = options.authority ?? DEFAULT_AUTHORITY;
  const host = new URL(authority).host.toLowerCase();
  const scopes = scopesFor(options.apiRoot);
  const now = options.now ?? Date.now;
  const config: Configuration = {
    auth: {
      clientId: options.clientId,
      authority,
      // Any other host (a national cloud's proxy, a test server) is trusted because the user named
      // it; msal then reads its endpoints from its OpenID configuration.
      ...(MICROSOFT_HOSTS.has(host) ? {} : { knownAuthorities: [host] }),
    },
    cache: { cachePlugin: tokenCachePlugin(options.storage) },
    system: { networkClient: fetchNetworkModule(options.fetch ?? ((url, init) => fetch(url, init)), options.timeoutMs ?? 30_000) },
  };
  const app = new PublicClientApplication(config);

  const cachedAccount = async (): Promise<AccountInfo | null> => (await app.getAllAccounts())[0] ?? null;

  return {
    async getToken(request) {
      try {
        const account = await cachedAccount();
        if (!account) throw new AuthError(`ringback is not signed in to Microsoft. ${REAUTH_MESSAGE}`);
        const result = await app.acquireTokenSilent({ account, scopes, forceRefresh: request?.forceRefresh === true });
        return result.accessToken;
      } catch (error) {
        throw toProviderError(error, 'getting an access token', now());
      }
    },

    signInWithDeviceCode: (signIn) => signInWithDeviceCode(app, scopes, now, signIn),

    async account() {
      const account = await cachedAccount();
      return account ? accountOf(account) : null;
    },
  };
}

/** msal's cache, kept only in `storage`: loaded before every read, saved after every change. */
export function tokenCachePlugin(storage: TokenCacheStorage): ICachePlugin {
  return {
    async beforeCacheAccess(context) {
      const serialized = await storage.load();
      if (serialized !== null) context.tokenCache.deserialize(serialized);
    },
    async afterCacheAccess(context) {
      if (context.cacheHasChanged) await storage.save(context.tokenCache.serialize());
    },
  };
}

