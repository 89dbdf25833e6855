/**
 * Signing in to Google: the OAuth client the Calendar and Gmail adapters share and the one call
 * wrapper they all go through. The installed-app consent flow that `connect google` runs is in
 * consent.ts.
 *
 * The user brings their own OAuth client ("Desktop app"). Consent uses a loopback redirect on
 * 127.0.0.1 with PKCE (RFC 8252); the refresh token it yields is stored encrypted by the caller
 * and every refreshed token set is handed to `onTokens` so that it is saved too.
 *
 * One retry policy decides: the queue's. The client's own blind retries (gaxios retries 429, 5xx
 * and dropped connections up to three times, token requests included) are turned off, so that a
 * 429 reaches the queue with its Retry-After and a 5xx is retried with the queue's backoff. The
 * one exception is the Gmail adapter's reads (READ_RETRY_MS in src/providers/errors.ts), tried again twice at
 * once on a 5xx or a dropped connection: a send reads up to eight times around its one write.
 */
import { OAuth2Client, type Credentials } from 'google-auth-library';
import { ExpectedStatus } from '../errors.js';
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
export const NO_RETRY = { retry: false, retryConfig: { retry: 0, noResponseRetries: 0 } } as const;

/**
 * An OAuth2Client that saves refreshed tokens and reports a failed save to the next call that
 * finishes (see {@link callGoogle}), instead of dropping it.
 */
export class GoogleAuthClient extends OAuth2Client {
  readonly #saving = new Set<Promise<void>>();
  #saveFailure: { error: unknown } | null = null;
  /** How long one HTTP request may take (the transporter's timeout), for requests sent without it. */
  readonly timeoutMs: number;

  constructor(options: GoogleAuthOptions) {
    super({
      clientId: options.clientId,
      ...(options.clientSecret ? { clientSecret: options.clientSecret } : {}),
      endpoints: endpointOptions(options.endpoints),
      transporterOptions: { ...NO_RETRY, timeout: options.timeoutMs ?? 30_000 },
    });
    this.timeoutMs = options.timeoutMs ?? 30_000;
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

export function endpointOptions(endpoints: GoogleEndpoints | undefined): { oauth2TokenUrl?: string; oauth2AuthBaseUrl?: string } {
  return {
    ...(endpoints?.tokenUrl ? { oauth2TokenUrl: endpoints.tokenUrl } : {}),
    ...(endpoints?.authUrl ? { oauth2AuthBaseUrl: endpoints.authUrl } : {}),
  };
}
