/**
 * Signing in to Microsoft: msal-node's public client with the user's own app registration,
 * device-code sign-in for `connect microsoft` (it works on a machine without a browser), and a
 * silent token for every Graph call.
 *
 * msal keeps the account, the refresh token and the access tokens in its token cache. That cache
 * lives only where the caller's {@link TokenCacheStorage} puts it (the encrypted vault): the cache
 * plugin loads it before msal reads and hands every changed cache to `save`, serialized, nowhere
 * else.
 *
 * HTTP goes through {@link FetchLike}, the same client the Graph adapters use, so that one
 * setting (a proxy's CA, a test server's certificate) covers both.
 */
import {
  PublicClientApplication,
  ServerError,
  type AccountInfo,
  type Configuration,
  type DeviceCodeRequest,
  type ICachePlugin,
  type INetworkModule,
  type NetworkRequestOptions,
  type NetworkResponse,
} from '@azure/msal-node';
import { AuthError } from '../errors.js';
import { REAUTH_MESSAGE, toProviderError } from './errors.js';
import { DEFAULT_API_ROOT, type FetchLike, type TokenSource } from './graph.js';

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

/** What the user is asked to do to finish a device-code sign-in. */
export interface DeviceCodePrompt {
  /** Microsoft's own sentence: "To sign in, use a web browser to open the page … and enter the code …". */
  readonly message: string;
  readonly verificationUri: string;
  readonly userCode: string;
  readonly expiresInSeconds: number;
}

export interface SignedInAccount {
  /** The sign-in name (userPrincipalName or the Outlook.com address). */
  readonly username: string;
  readonly name: string;
}

export interface DeviceCodeOptions {
  readonly onPrompt: (prompt: DeviceCodePrompt) => void;
  readonly signal: AbortSignal;
  /** Give up after this long even if the code is still valid. @defaultValue the code's own lifetime */
  readonly timeoutSeconds?: number;
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

    async signInWithDeviceCode({ onPrompt, signal, timeoutSeconds }) {
      signal.throwIfAborted();
      const request: DeviceCodeRequest = {
        scopes,
        deviceCodeCallback: (response) =>
          onPrompt({
            message: response.message,
            verificationUri: response.verificationUri,
            userCode: response.userCode,
            expiresInSeconds: response.expiresIn,
          }),
        ...(timeoutSeconds === undefined ? {} : { timeout: timeoutSeconds }),
      };
      // msal checks `cancel` between two polls of the token endpoint.
      const onAbort = (): void => {
        request.cancel = true;
      };
      signal.addEventListener('abort', onAbort, { once: true });
      try {
        const result = await app.acquireTokenByDeviceCode(request);
        if (!result?.account) throw new AuthError('Microsoft sign-in returned no account: run ringback connect microsoft again');
        return accountOf(result.account);
      } catch (error) {
        if (signal.aborted) throw signal.reason;
        throw toProviderError(error, 'signing in with a device code', now());
      } finally {
        signal.removeEventListener('abort', onAbort);
      }
    },

    async account() {
      const account = await cachedAccount();
      return account ? accountOf(account) : null;
    },
  };
}

function accountOf(account: AccountInfo): SignedInAccount {
  return { username: account.username, name: account.name ?? '' };
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

/**
 * msal's HTTP client on {@link FetchLike}. Like msal's own, it answers with the status and the
 * parsed body rather than throwing on an error status; unlike it, it puts the status into an
 * error body (as msal's confidential client does) so that msal's `ServerError` carries it and a
 * 429 or a 5xx is told apart from a refused sign-in, and it turns a body that is not JSON (a
 * proxy's error page) into an OAuth error instead of a parse failure.
 */
export function fetchNetworkModule(fetchLike: FetchLike, timeoutMs: number): INetworkModule {
  const send = async <T>(url: string, method: 'GET' | 'POST', options?: NetworkRequestOptions, timeout?: number): Promise<NetworkResponse<T>> => {
    const response = await fetchLike(url, {
      method,
      headers: options?.headers ?? {},
      ...(method === 'POST' ? { body: options?.body ?? '' } : {}),
      signal: AbortSignal.timeout(timeout ?? timeoutMs),
    });
    const text = await response.text();
    const headers: Record<string, string> = {};
    response.headers.forEach((value, key) => {
      headers[key] = value;
    });
    const body = bodyOf(text, response.status);
    // msal reads the device authorization answer without looking for an error (a registration
    // that does not allow public client flows gets `unauthorized_client` there): say it as msal
    // says token endpoint errors.
    if (method === 'POST' && !response.ok && /\/devicecode$/.test(new URL(url).pathname)) {
      const { error, error_description: description } = body as { error?: unknown; error_description?: unknown };
      throw new ServerError(String(error), '', typeof description === 'string' ? description : undefined, undefined, undefined, response.status);
    }
    return { headers, body: body as T, status: response.status };
  };
  return {
    sendGetRequestAsync: (url, options, timeout) => send(url, 'GET', options, timeout),
    sendPostRequestAsync: (url, options) => send(url, 'POST', options),
  };
}

function bodyOf(text: string, status: number): unknown {
  let parsed: unknown;
  try {
    parsed = text.trim() === '' ? {} : JSON.parse(text);
  } catch (error) {
    if (!(error instanceof SyntaxError)) throw error;
    parsed = null;
  }
  const body = typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed) ? (parsed as Record<string, unknown>) : {};
  if (status >= 200 && status < 300) return body;
  return {
    error: status >= 500 || status === 429 ? 'temporarily_unavailable' : 'invalid_request',
    error_description: `HTTP ${status}`,
    ...body,
    status: typeof body.status === 'number' ? body.status : status,
  };
}
