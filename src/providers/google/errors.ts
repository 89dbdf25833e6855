/**
 * Turns what the Google clients throw (gaxios errors from the API or the token endpoint, timeouts,
 * dropped connections) into the typed provider errors the queue decides on.
 *
 * - `invalid_grant` from the token endpoint (refresh token revoked, expired after 7 days in a
 *   "Testing" OAuth client, password changed), `invalid_client`, a 401 that survives a refresh, and
 *   a 403 for missing scopes → {@link AuthError}: the user has to connect again.
 * - `admin_policy_enforced` (a Workspace administrator's policy) and `policy_enforced` (Advanced
 *   Protection) from the token endpoint → {@link AccountUnusableError}: a new sign-in alone does
 *   not help, and no email is at fault.
 * - 429 "User-rate limit exceeded … (Mail sending)": the account's daily sending limit →
 *   a sends-only {@link LimitReachedError}, tried again at the time Gmail names.
 * - 429 and 403 `rateLimitExceeded` / `userRateLimitExceeded` → {@link RateLimitError} with the
 *   Retry-After the server sent (Google often sends none: then a default wait).
 * - 408, 5xx, timeouts and network failures → {@link TransientError}.
 * - 403 `dailyLimitExceeded` (the project's daily limit) → {@link RateLimitError} of a quarter of
 *   an hour unless Google names the time.
 * - 400 `failedPrecondition` ("Mail service not enabled", "Precondition check failed.") and 403
 *   `domainPolicy` (the administrator does not allow the app): the account cannot use Gmail at
 *   all, whatever the email → {@link AccountUnusableError}.
 * - 403 `accessNotConfigured` / `SERVICE_DISABLED` (the API is not turned on in the OAuth client's
 *   Cloud project) → {@link AccountUnusableError} whose fix names the API and Google's address to
 *   turn it on.
 * - any other 4xx → {@link PermanentError}.
 *
 * Messages carry the status, Google's reason and Google's message, never the request: its headers
 * and form data hold the access and refresh tokens. For the same reason the gaxios error is not
 * kept as `cause`.
 */
import {
  AccountUnusableError,
  AuthError,
  PermanentError,
  ProviderError,
  RateLimitError,
  TransientError,
  SENDING_LIMIT_RECHECK_MS,
  boundedWait,
  parseRetryAfter,
  sendingLimitReached,
} from '../errors.js';
import { hasTag, withoutBlocks, withoutTags } from '../html-text.js';


export const REAUTH_HINT = 'run ringback connect google again';

/** What a failed HTTP exchange looks like, whichever gaxios copy threw it. */
interface HttpFailure {
  readonly status: number | null;
  /** Google's first `errors[].reason` or `details[].reason`, or the OAuth `error` code. */
  readonly reason: string | null;
  readonly message: string;
  readonly retryAfter: string | null;
  /** True when the body was an OAuth token endpoint error (`{"error": "invalid_grant"}`). */
  readonly oauth: boolean;
  /** gaxios / Node error code for failures without a response (ECONNRESET, TimeoutError). */
  readonly code: string | null;
}

const RATE_LIMIT_REASONS = new Set(['rateLimitExceeded', 'userRateLimitExceeded', 'RATE_LIMIT_EXCEEDED']);
const SCOPE_REASONS = new Set(['insufficientPermissions', 'ACCESS_TOKEN_SCOPE_INSUFFICIENT']);
const OAUTH_AUTH_ERRORS = new Set(['invalid_grant', 'invalid_client', 'unauthorized_client']);

/** The HTTP status of a gaxios error, or null for anything else. */
export function httpStatus(error: unknown): number | null {
  return readFailure(error)?.status ?? null;
}

/** Google's reason (`fullSyncRequired`, `notFound`, `invalid_grant`…) of a gaxios error, or null. */
export function googleReason(error: unknown): string | null {
  return readFailure(error)?.reason ?? null;
}

/**
 * The typed error for a failure of `what` (a few words naming the call, e.g. "listing events of
 * primary"). Errors that are not HTTP or network failures (programming errors, the caller's own
 * abort) are returned unchanged so that they surface as they are.
 */
export function toProviderError(error: unknown, what: string, now: number): unknown {
  if (error instanceof ProviderError) return error;
  const failure = readFailure(error);
  if (!failure) return error;
  const { status, reason } = failure;
  const detail = `${status ?? failure.code ?? 'network error'}${reason ? ` ${reason}` : ''}: ${failure.message}`;

  if (failure.oauth) {
    if (reason === 'invalid_grant') {
      const testing = EXPIRED_OR_REVOKED.test(failure.message) ? TESTING_CLIENT_HINT : '';
      return new AuthError(`Google refused the saved sign-in (invalid_grant) while ${what} (${failure.message}): ${REAUTH_HINT}${testing}`);
    }
    if (reason === 'admin_policy_enforced') {
      return new AccountUnusableError(`Google refused the saved sign-in (admin_policy_enforced: ${failure.message}) while ${what}: the account's Workspace administrator has to allow ringback's OAuth client (Admin console, Security, API controls), then ${REAUTH_HINT}`);
    }
    if (reason === 'policy_enforced') {
      return new AccountUnusableError(`Google refused the saved sign-in (policy_enforced: ${failure.message}) while ${what}: the account is enrolled in Advanced Protection, which lets no app of your own in; use another Google account, or leave the program, then ${REAUTH_HINT}`);
    }
    if (reason && OAUTH_AUTH_ERRORS.has(reason)) {
      return new AuthError(`Google refused the OAuth client (${reason}) while ${what}: check its client ID and secret, then ${REAUTH_HINT}`);
    }
    if (status === 429) return new RateLimitError(`Google's sign-in server is busy (${detail})`, parseRetryAfter(failure.retryAfter, now));
    if (status === null || status >= 500) return new TransientError(`Google's sign-in server failed while ${what} (${detail})`);
    return new PermanentError(`Google's sign-in server refused a token request while ${what} (${detail})`);
  }
  if (status === null) {
    if (failure.code === 'AbortError') return error;
    return new TransientError(`could not reach Google while ${what} (${detail})`);
  }
  if (status === 429 && MAIL_SENDING.test(failure.message)) {
    return sendingLimitReached(`Gmail refused ${what} (${detail})`, rateLimitWait(failure, now, SENDING_LIMIT_RECHECK_MS));
  }
  if (status === 429 || (status === 403 && reason !== null && RATE_LIMIT_REASONS.has(reason))) {
    return new RateLimitError(`Google asked to slow down while ${what} (${detail})`, rateLimitWait(failure, now));
  }
  if (status === 403 && reason === 'dailyLimitExceeded') {
    // The project's daily limit: it lifts by itself, within the day; asked again in a quarter of
    // an hour unless Google says when (a header or its message).
    return new RateLimitError(`Google's daily limit for ringback is reached while ${what} (${detail})`, rateLimitWait(failure, now, DAILY_LIMIT_WAIT_MS));
  }
  if (status === 403 && reason !== null && API_DISABLED_REASONS.has(reason)) {
    return new AccountUnusableError(`Google refused ${what}: the API is not turned on in the project of ringback's OAuth client (${detail})`, { fix: apiDisabledFix(failure.message) });
  }
  if (status === 403 && reason === 'domainPolicy') {
    return new AccountUnusableError(`Google says the account's administrator does not allow ringback for ${what} (${detail}): ask them to allow it`);
  }
  if (status === 401) {
    return new AuthError(`Google refused the access token while ${what}, even after a refresh (${detail}): ${REAUTH_HINT}`);
  }
  if (status === 403 && reason !== null && SCOPE_REASONS.has(reason)) {
    return new AuthError(`Google says ringback lacks a permission for ${what} (${detail}): ${REAUTH_HINT} and allow every requested access`);
  }
  if (status === 408 || status >= 500) return new TransientError(`Google failed while ${what} (${detail})`);
  if (status === 400 && reason === 'failedPrecondition') {
    return new AccountUnusableError(`Google cannot serve this account for ${what} (${detail}): check that Gmail is turned on for it (a Workspace administrator may have to)`);
  }
  return new PermanentError(`Google refused ${what} (${detail})`);
}

/**
 * Gmail's per-user limit sends no Retry-After header but names the time in its message: "User-rate
 * limit exceeded.  Retry after 2023-03-07T18:18:23.688Z", often a quarter of an hour out
 * (taers232c/GAMADV-XTD3#337, twentyhq/twenty#17850). Asked again every 30 s until then, it only
 * spends the quota of the calls still to make.
 */
const RETRY_AFTER_IN_MESSAGE = /Retry after (\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d+)?Z)/;

/**
 * Gmail's daily sending limit, as the API says it: "If these limits are exceeded, a HTTP 429 Too
 * Many Requests "User-rate limit exceeded" "(Mail sending)" error is returned with time to retry.
 * Note that daily limits being exceeded may result in these types of errors for multiple hours"
 * (https://developers.google.com/gmail/api/guides/handle-errors, "Mail sending limits"). Its
 * reason is the per-user rate limit's (rateLimitExceeded): only the message tells them apart. Only
 * sending is limited, so it holds the sends and not, as a rate limit does, every call.
 */
const MAIL_SENDING = /\(Mail sending\)/i;

/**
 * invalid_grant "Token has been expired or revoked." is also how the refresh token of an OAuth
 * client left in "Testing" ends, 7 days after the sign-in ("A Google Cloud Platform project with
 * an OAuth consent screen configured for an external user type and a publishing status of
 * 'Testing' is issued a refresh token expiring in 7 days", developers.google.com/identity/
 * protocols/oauth2#expiration): signed in again, it ends again a week later.
 */
const EXPIRED_OR_REVOKED = /expired or revoked/i;
const TESTING_CLIENT_HINT =
  ' (if this comes back every 7 days, your OAuth client is in Testing: publish it in the Google Cloud console, OAuth consent screen, "Publish app")';

/**
 * An API not turned on in the Google Cloud project of the user's OAuth client: 403 with reason
 * `accessNotConfigured` (domain usageLimits) and, in Google's newer error details, `SERVICE_DISABLED`:
 * "Gmail API has not been used in project 861228239640 before or it is disabled. Enable it by
 * visiting https://console.developers.google.com/apis/api/gmail.googleapis.com/overview?project=861228239640
 * then retry. If you enabled this API recently, wait a few minutes for the action to propagate to
 * our systems and retry." (https://github.com/DSchau/gatsby-mail/issues/35; the Calendar API's:
 * https://github.com/googleworkspace/python-samples/issues/17,
 * https://github.com/taylorwilsdon/google_workspace_mcp/issues/126). ringback uses the user's own
 * OAuth client, so a project made without enabling both APIs meets it on the first call, and an
 * administrator may turn one off later. Every call of that API fails the same way whatever the
 * email: before, each step failed for good as a refusal of its email, and the account named no fix.
 */
const API_DISABLED_REASONS = new Set(['accessNotConfigured', 'SERVICE_DISABLED']);

/** The API's name and the address to turn it on, read from Google's own message (the project number is no secret). */
function apiDisabledFix(message: string): string {
  const api = /^(.{1,60}?) has not been used in project/.exec(message)?.[1] ?? 'the Google API ringback calls';
  const where = /Enable it by visiting (https:\/\/console\.(?:developers|cloud)\.google\.com\/\S+?)(?:\s|$)/.exec(message)?.[1];
  const at = where !== undefined ? ` at ${where}` : ' in the Google Cloud console (APIs & Services, Library)';
  return `the ${api} is not turned on in the Google Cloud project of ringback's OAuth client: turn it on${at}, then allow a few minutes; nothing is lost meanwhile, the steps wait`;
}

/** How long a daily limit that names no time is waited before asking again. */
const DAILY_LIMIT_WAIT_MS = 15 * 60_000;

/**
 * The wait a rate limit asks for: its Retry-After header, else the time its message names, else
 * `fallbackMs`.
 */
function rateLimitWait(failure: HttpFailure, now: number, fallbackMs?: number): number {
  const named = failure.retryAfter === null ? RETRY_AFTER_IN_MESSAGE.exec(failure.message)?.[1] : undefined;
  return named === undefined ? parseRetryAfter(failure.retryAfter, now, fallbackMs) : boundedWait(Date.parse(named) - now);
}

function readFailure(error: unknown): HttpFailure | null {
  if (!isObject(error)) return null;
  const response = isObject(error.response) ? error.response : null;
  const code = typeof error.code === 'string' ? error.code : null;
  const isGaxios = isObject(error.config) && (response !== null || code !== null || 'status' in error);
  if (!isGaxios) return null;
  if (!response) {
    return { status: null, reason: null, message: errorMessage(error), retryAfter: null, oauth: false, code };
  }
  const status = typeof response.status === 'number' ? response.status : null;
  const data = parseBody(response.data);
  const retryAfter = readHeader(response.headers, 'retry-after');
  if (isObject(data) && typeof data.error === 'string') {
    const description = typeof data.error_description === 'string' ? data.error_description : data.error;
    return { status, reason: data.error, message: description, retryAfter, oauth: true, code };
  }
  const apiError = isObject(data) && isObject(data.error) ? data.error : null;
  const page = typeof data === 'string' && hasTag(data) ? pageWords(data) : null;
  return {
    status,
    reason: apiError ? apiReason(apiError) : null,
    message: apiError && typeof apiError.message === 'string' ? apiError.message : page !== null ? `an error page in place of Google's answer: "${page}"` : errorMessage(error),
    retryAfter,
    oauth: false,
    code,
  };
}

/** How much of an error page is read for its words: Google's own is under 2 KB; a proxy's may be anything. */
const PAGE_READ = 64 * 1024;

/**
 * The words of an HTML error page, on one line, at most 300 characters. Google's front end answers
 * a 502 or a 500 with a page of its own, not the API's JSON: "<!DOCTYPE html> <html lang=en> <meta
 * charset=utf-8> … <title>Error 502 (Server Error)!!1</title> <style>…</style> … <p>The server
 * encountered a temporary error and could not complete your request.<p>Please try again in 30
 * seconds." (googleapis/google-api-php-client#2421, DNSControl/dnscontrol#3369, with Gmail
 * googleapis/google-api-ruby-client#23641). gaxios makes the whole page the error's message, and
 * its first line, all the audit and the account kept of it, was "<!DOCTYPE html>".
 */
function pageWords(page: string): string {
  const words = withoutTags(withoutBlocks(page.slice(0, PAGE_READ))).replace(/\s+/g, ' ').trim();
  return words === '' ? 'no words' : words.slice(0, 300);
}

function apiReason(apiError: Record<string, unknown>): string | null {
  for (const list of [apiError.errors, apiError.details]) {
    if (!Array.isArray(list)) continue;
    for (const entry of list) {
      if (isObject(entry) && typeof entry.reason === 'string') return entry.reason;
    }
  }
  return null;
}

function parseBody(data: unknown): unknown {
  if (typeof data !== 'string') return data;
  try {
    return JSON.parse(data) as unknown;
  } catch (error) {
    // A non-JSON body (an HTML error page from a proxy) is kept as text for the message.
    if (error instanceof SyntaxError) return data;
    throw error;
  }
}

function readHeader(headers: unknown, name: string): string | null {
  // A fetch Headers, though not always this realm's class (gaxios may use another fetch).
  if (isObject(headers) && typeof headers.get === 'function') {
    const value: unknown = (headers as { get: (key: string) => unknown }).get(name);
    return typeof value === 'string' ? value : null;
  }
  if (isObject(headers)) {
    const value = headers[name] ?? headers[name.toLowerCase()];
    return typeof value === 'string' ? value : null;
  }
  return null;
}

function errorMessage(error: Record<string, unknown>): string {
  const message = typeof error.message === 'string' ? error.message : 'request failed';
  // Keep messages to one short line: they end up in the audit log and in `doctor`.
  return message.split('\n')[0]!.slice(0, 300);
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null;
}
