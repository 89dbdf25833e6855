/**
 * Signing in to Google: the OAuth client the Calendar and Gmail adapters share, the one call
 * wrapper they all go through, and the installed-app consent flow that `connect google` runs.
 *
 * The user brings their own OAuth client ("Desktop app"). Consent uses a loopback redirect on
 * 127.0.0.1 with PKCE (RFC 8252); the refresh token it yields is stored encrypted by the caller
 * and every refreshed token set is handed to `onTokens` so that it is saved too.
 *
 * One retry policy decides: the queue's. The client's own blind retries (gaxios retries 429, 5xx
 * and dropped connections up to three times, token requests included) are turned off, so that a
 * 429 reaches the queue with its Retry-After and a 5xx is retried with the queue's backoff.
 */
import { createHash, randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { CodeChallengeMethod, OAuth2Client, type Credentials } from 'google-auth-library';
import { AuthError, ExpectedStatus, PermanentError } from '../errors.js';
import { googleReason, httpStatus, toProviderError } from './errors.js';

/**
 * The scopes ringback asks for, each the narrowest that does the job. The README lists them
 * with these reasons.
 */
export const SCOPES = [
  // Read events (with their attendees, conference numbers and private tags) from every calendar
  // the user picks, including incremental sync. Read-only: ringback never writes to a calendar.
  'https://www.googleapis.com/auth/calendar.events.readonly',
  // Busy times only, to propose free slots in reschedule and apology emails.
  'https://www.googleapis.com/auth/calendar.freebusy',
  // Create, update, delete and send drafts: every email is a draft the user can edit or delete,
  // and a confirmation is sent from that draft.
  'https://www.googleapis.com/auth/gmail.compose',
  // Read mail: find a message by its Message-ID in Sent or Drafts (so that a retry never sends
  // twice) and see replies in the interview's thread (so that follow-ups stop).
  'https://www.googleapis.com/auth/gmail.readonly',
] as const;

/** Overrides for the OAuth endpoints, for tests and proxies. */
export interface GoogleEndpoints {
  /** @defaultValue 'https://oauth2.googleapis.com/token' */
  readonly tokenUrl?: string;
  /** @defaultValue 'https://accounts.google.com/o/oauth2/v2/auth' */
  readonly authUrl?: string;
}

/** The token set kept for an account. Only the refresh token is needed to start. */
export interface GoogleTokens {
  readonly refresh_token: string;
  readonly access_token?: string | null;
  /** Epoch ms at which the access token expires. */
  readonly expiry_date?: number | null;
}

export interface GoogleAuthOptions {
  readonly clientId: string;
  /** Google issues one even to Desktop clients and asks for it at the token endpoint. */
  readonly clientSecret?: string;
  readonly tokens: GoogleTokens;
  readonly endpoints?: GoogleEndpoints;
  /** Called with every refreshed token set (a rotated refresh token included) to be saved. */
  readonly onTokens: (tokens: GoogleTokens) => Promise<void>;
  /** How long one HTTP request may take, token requests included. @defaultValue 30000 */
  readonly timeoutMs?: number;
}

/** gaxios defaults that switch its retries off; request options cannot switch them back on. */
const NO_RETRY = { retry: false, retryConfig: { retry: 0, noResponseRetries: 0 } } as const;

/**
 * An OAuth2Client that saves refreshed tokens and reports a failed save to the next call that
 * finishes (see {@link callGoogle}), instead of dropping it.
 */
export class GoogleAuthClient extends OAuth2Client {
  readonly #saving = new Set<Promise<void>>();
  #saveFailure: { error: unknown } | null = null;

  constructor(options: GoogleAuthOptions) {
    super({
      clientId: options.clientId,
      ...(options.clientSecret ? { clientSecret: options.clientSecret } : {}),
      endpoints: endpointOptions(options.endpoints),
      transporterOptions: { ...NO_RETRY, timeout: options.timeoutMs ?? 30_000 },
    });
    const { refresh_token, access_token, expiry_date } = options.tokens;
    // Without an expiry date the library would answer any 401 or 403 (a rate limit included) by
    // refreshing and retrying on its own; without an access token it refreshes first instead.
    this.setCredentials(access_token && expiry_date ? { refresh_token, access_token, expiry_date } : { refresh_token });
    this.on('tokens', (tokens: Credentials) => this.#onTokens(tokens, options.onTokens));
  }

  /** Drops the access token so that the next request refreshes it. */
  forgetAccessToken(): void {
    const refresh = this.credentials.refresh_token;
    this.setCredentials(refresh ? { refresh_token: refresh } : {});
  }

  /** Waits for token saves under way; throws (once) the failure of a save. */
  async settled(): Promise<void> {
    await this.idle();
    const failure = this.#saveFailure;
    this.#saveFailure = null;
    if (failure) throw failure.error;
  }

  /** Waits for token saves under way without reporting their failure. */
  async idle(): Promise<void> {
    while (this.#saving.size > 0) await Promise.allSettled([...this.#saving]);
  }

  #onTokens(tokens: Credentials, save: (tokens: GoogleTokens) => Promise<void>): void {
    const current = this.credentials;
    if (tokens.refresh_token && tokens.refresh_token !== current.refresh_token) {
      // The library copies the old refresh token over a rotated one right after this event
      // (getRequestMetadataAsync, refreshAccessTokenAsync read it from the current credentials):
      // put the new one there first so that the next refresh uses it.
      current.refresh_token = tokens.refresh_token;
    }
    const refreshToken = tokens.refresh_token ?? current.refresh_token;
    if (!refreshToken) return;
    const saving = save({
      refresh_token: refreshToken,
      access_token: tokens.access_token ?? null,
      expiry_date: tokens.expiry_date ?? null,
    }).catch((error: unknown) => {
      this.#saveFailure = { error };
    });
    this.#saving.add(saving);
    void saving.finally(() => this.#saving.delete(saving));
  }
}

/** The OAuth client for one connected Google account. */
export function createGoogleAuth(options: GoogleAuthOptions): GoogleAuthClient {
  return new GoogleAuthClient(options);
}

/**
 * googleapis 176 pins google-auth-library 10.5.0 and types its `auth` option with that copy's
 * OAuth2Client, whose private fields make ours (10.9.x, the project's dependency) a different
 * type. At run time the API classes only call `request()` and `getUniverseDomain()`, which both
 * versions have; this is the one place that says so.
 */
export function apiAuth<T>(auth: GoogleAuthClient): T {
  return auth as unknown as T;
}

export interface CallOptions {
  /** A few words for messages: "listing events of primary". */
  readonly what: string;
  readonly signal?: AbortSignal;
  /** @defaultValue Date.now */
  readonly now?: () => number;
  /** Statuses the caller handles itself: thrown as {@link ExpectedStatus}. */
  readonly expect?: readonly number[];
}

/**
 * Runs one API call: a 401 refreshes the access token and tries once more (a token the server
 * stopped accepting before its expiry); failures become typed provider errors; a failed token
 * save is reported by the call that follows it.
 */
export async function callGoogle<T>(auth: GoogleAuthClient, options: CallOptions, call: () => Promise<T>): Promise<T> {
  let result: T;
  try {
    try {
      result = await call();
    } catch (error) {
      if (httpStatus(error) !== 401 || options.signal?.aborted) throw error;
      auth.forgetAccessToken();
      result = await call();
    }
  } catch (error) {
    await auth.idle();
    if (options.signal?.aborted) throw options.signal.reason;
    const status = httpStatus(error);
    if (status !== null && options.expect?.includes(status)) throw new ExpectedStatus(status, googleReason(error));
    throw toProviderError(error, options.what, (options.now ?? Date.now)());
  }
  await auth.settled();
  return result;
}

function endpointOptions(endpoints: GoogleEndpoints | undefined): { oauth2TokenUrl?: string; oauth2AuthBaseUrl?: string } {
  return {
    ...(endpoints?.tokenUrl ? { oauth2TokenUrl: endpoints.tokenUrl } : {}),
    ...(endpoints?.authUrl ? { oauth2AuthBaseUrl: endpoints.authUrl } : {}),
  };
}

export interface LoopbackConsentOptions {
  readonly clientId: string;
  readonly clientSecret?: string;
  /** @defaultValue {@link SCOPES} */
  readonly scopes?: readonly string[];
  readonly endpoints?: GoogleEndpoints;
  /** Shows the consent URL to the user (prints it, opens a browser when there is one). */
  readonly openUrl: (url: string) => Promise<void>;
  readonly signal: AbortSignal;
  /** Loopback port; 0 picks a free one. @defaultValue 0 */
  readonly port?: number;
  /** How long to wait for the user to finish in the browser. @defaultValue 300000 */
  readonly timeoutMs?: number;
}

export interface ConsentResult {
  readonly tokens: GoogleTokens & { readonly access_token: string | null; readonly expiry_date: number | null };
  /** The scopes the user actually granted (Google lets them untick some). */
  readonly grantedScopes: readonly string[];
}

const CALLBACK_PATH = '/oauth2callback';
const PAGE_DONE = '<!doctype html><meta charset="utf-8"><title>ringback</title><p>ringback is connected. You can close this window.</p>';
const PAGE_FAILED = '<!doctype html><meta charset="utf-8"><title>ringback</title><p>ringback was not connected. Go back to the terminal for details.</p>';

/**
 * The installed-app consent flow: a one-shot HTTP server on 127.0.0.1 receives the redirect,
 * the `state` is checked, and the code is exchanged with its PKCE verifier (S256).
 */
export async function runLoopbackConsent(options: LoopbackConsentOptions): Promise<ConsentResult> {
  options.signal.throwIfAborted();
  const state = randomBytes(24).toString('base64url');
  const verifier = randomBytes(48).toString('base64url');
  const challenge = createHash('sha256').update(verifier).digest('base64url');

  // Settles once: with the code, or with why there will be none (abort, timeout, a bad redirect).
  let settle: ((outcome: { code: string } | { error: unknown }) => void) | null = null;
  const outcome = new Promise<{ code: string } | { error: unknown }>((resolve) => {
    settle = resolve;
  });
  const finish = (result: { code: string } | { error: unknown }): void => {
    const pending = settle;
    settle = null;
    pending?.(result);
  };

  const server = createServer((request, response) => {
    const result = readCallback(request, state);
    if (result === null) {
      response.writeHead(404, { 'content-type': 'text/plain' }).end('not found');
      return;
    }
    page(response, 'code' in result ? 200 : 400, 'code' in result ? PAGE_DONE : PAGE_FAILED);
    finish(result);
  });
  const onAbort = (): void => finish({ error: options.signal.reason });
  options.signal.addEventListener('abort', onAbort, { once: true });
  const timer = setTimeout(
    () => finish({ error: new AuthError('Google sign-in was not finished in time: run ringback connect google again') }),
    options.timeoutMs ?? 300_000,
  );
  try {
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(options.port ?? 0, '127.0.0.1', () => resolve());
    });
    const redirectUri = `http://127.0.0.1:${(server.address() as AddressInfo).port}${CALLBACK_PATH}`;
    const client = new OAuth2Client({
      clientId: options.clientId,
      ...(options.clientSecret ? { clientSecret: options.clientSecret } : {}),
      redirectUri,
      endpoints: endpointOptions(options.endpoints),
      transporterOptions: { ...NO_RETRY, timeout: 30_000 },
    });
    const url = client.generateAuthUrl({
      access_type: 'offline',
      // Ask every time, so that Google returns a refresh token even to a client it has seen.
      prompt: 'consent',
      scope: [...(options.scopes ?? SCOPES)],
      state,
      code_challenge_method: CodeChallengeMethod.S256,
      code_challenge: challenge,
    });
    options.openUrl(url).catch((error: unknown) => finish({ error }));
    const arrived = await outcome;
    if ('error' in arrived) throw arrived.error;
    const { code } = arrived;
    let credentials: Credentials;
    try {
      ({ tokens: credentials } = await client.getToken({ code, codeVerifier: verifier, redirect_uri: redirectUri }));
    } catch (error) {
      throw toProviderError(error, 'exchanging the sign-in code', Date.now());
    }
    if (!credentials.refresh_token) {
      throw new PermanentError(
        'Google returned no refresh token: remove ringback under https://myaccount.google.com/permissions and run ringback connect google again',
      );
    }
    return {
      tokens: {
        refresh_token: credentials.refresh_token,
        access_token: credentials.access_token ?? null,
        expiry_date: credentials.expiry_date ?? null,
      },
      grantedScopes: (credentials.scope ?? '').split(/\s+/).filter((scope) => scope.length > 0),
    };
  } finally {
    clearTimeout(timer);
    options.signal.removeEventListener('abort', onAbort);
    await closeServer(server);
  }
}

/**
 * Stops the loopback server without cutting off the page the browser is still reading: idle
 * keep-alive connections go at once, busy ones get a second to finish.
 */
async function closeServer(server: Server): Promise<void> {
  const closed = new Promise<void>((resolve) => server.close(() => resolve()));
  server.closeIdleConnections();
  const timer = setTimeout(() => server.closeAllConnections(), 1000);
  try {
    await closed;
  } finally {
    clearTimeout(timer);
  }
}

/** The code from the redirect, an error for a redirect that failed, null for any other request. */
function readCallback(request: IncomingMessage, state: string): { code: string } | { error: unknown } | null {
  const url = new URL(request.url ?? '/', 'http://127.0.0.1');
  if (request.method !== 'GET' || url.pathname !== CALLBACK_PATH) return null;
  const params = url.searchParams;
  if (params.get('state') !== state) {
    return { error: new AuthError('the sign-in redirect carried the wrong state (an old browser tab, or not from Google): run ringback connect google again') };
  }
  const denied = params.get('error');
  if (denied !== null) {
    const reason = /^[a-z_]{1,64}$/.test(denied) ? denied : 'unknown error';
    return { error: new AuthError(`Google sign-in ended with "${reason}": run ringback connect google again and allow access`) };
  }
  const code = params.get('code');
  if (!code) return { error: new AuthError('the sign-in redirect carried no code: run ringback connect google again') };
  return { code };
}

function page(response: ServerResponse, status: number, html: string): void {
  response
    .writeHead(status, {
      'content-type': 'text/html; charset=utf-8',
      'cache-control': 'no-store',
      'content-security-policy': "default-src 'none'",
    })
    .end(html);
}
