/**
 * The Microsoft Graph client the calendar and mailbox adapters share, and the one call wrapper
 * they all go through. The HTTP exchange itself is in graph-transport.ts; how paths and filters
 * are written, in graph-query.ts.
 *
 * The queue's retry policy decides, but for the few retries in place below. The SDK's default
 * middleware chain retries 429, 503 and 504 on its own (RetryHandler, up to three times, sleeping
 * inside the call); ours leaves it out, so that a 429 reaches the queue as a
 * {@link RateLimitError} with its Retry-After after exactly one request. The chain is: AuthenticationHandler (the bearer token, sent only to the API host)
 * → TelemetryHandler (client-request-id, which Microsoft support asks for) → {@link FetchTransport}.
 *
 * Here, every client makes one retry after a 401 with a freshly refreshed token: an access token
 * can be revoked before its expiry (password change, continuous access evaluation), and msal only
 * refreshes a token that it believes expired.
 *
 * The mailbox's client adds two things, both decided here from the HTTP method alone, so that no
 * call site has to know: a read (a GET: a message, a folder, a listing, a next link, MIME bytes)
 * that fails transiently (a 5xx without Retry-After, a timeout, a dropped connection) is tried
 * again after each of READ_RETRY_MS (src/providers/errors.ts); a write (POST, PATCH, DELETE, the send) never is,
 * nor a 429 or a 503 with Retry-After, which stay {@link RateLimitError}s for the queue. And while
 * a Retry-After Graph gave it runs, it sends nothing, not even the next read of an operation
 * already under way or a request that was waiting for a request slot (the Retry-After is noted
 * before the slot is free): it answers with a RateLimitError for the time left (the rate gate,
 * src/providers/rate-gate.ts, holds the account's other operations and processes between
 * operations). The calendar's client does neither: a sync that fails is made again whole at its
 * next run.
 */
import {
  AuthenticationHandler,
  AuthenticationHandlerOptions,
  Client,
  TelemetryHandler,
  type GraphRequest,
  type Middleware,
  type MiddlewareOptions,
} from '@microsoft/microsoft-graph-client';
import { setTimeout as sleep } from 'node:timers/promises';
import { waitEnd } from '../rate-gate.js';
import { ExpectedStatus, ProviderError, RateLimitError, TransientError } from '../errors.js';
import { createRequestSlots, type RequestSlots } from './concurrency.js';
import { graphCode, graphStatus, isAccountWide, rateLimitDelay, toProviderError } from './errors.js';
import { BodyLimit, FetchTransport, readBytes, Hold, ReplayLink, type FetchLike } from './graph-transport.js';

/** Hands out an access token for Graph; `forceRefresh` skips the cached one. */
export type TokenSource = (options?: { readonly forceRefresh?: boolean }) => Promise<string>;

export const DEFAULT_API_ROOT = 'https://graph.microsoft.com/v1.0';


export interface GraphOptions {
  readonly getToken: TokenSource;
  /** Graph's root including the version. @defaultValue {@link DEFAULT_API_ROOT} */
  readonly baseUrl?: string;
  /** Preferences sent in the `Prefer` header of every request. */
  readonly prefer: readonly string[];
  /** @defaultValue the global `fetch` */
  readonly fetch?: FetchLike;
  /** How long one request may take, body included. @defaultValue 30000 */
  readonly timeoutMs?: number;
  /** @defaultValue Date.now */
  readonly now?: () => number;
  /**
   * The mailbox's request slots, shared by every adapter of the same account (see
   * concurrency.ts). @defaultValue slots of this client's own
   */
  readonly slots?: RequestSlots;
  /**
   * The waits before a read (a GET) that failed with a {@link TransientError} is tried again, one
   * per extra try (the mailbox passes READ_RETRY_MS, src/providers/errors.ts). @defaultValue none: one request
   */
  readonly readRetryMs?: readonly number[];
  /**
   * Sends no request while a Retry-After that Graph gave this client runs, answering each call
   * with a {@link RateLimitError} for the time left instead, which names the end of the wait in
   * `zone` (the candidate's, config `candidate.timezone`). @defaultValue none: no hold
   */
  readonly holdDuringRetryAfter?: { readonly zone: string };
}

export interface CallOptions {
  /** A few words for messages: "reading calendar changes". */
  readonly what: string;
  readonly signal?: AbortSignal;
  /** Failures the caller handles itself: thrown as {@link ExpectedStatus} instead of a provider error. */
  readonly expect?: (status: number, code: string | null) => boolean;
}

export interface GraphApi {
  /** The API root, without a trailing slash. */
  readonly baseUrl: string;
  get<T>(path: string, options: CallOptions): Promise<T>;
  /** A GET whose answer is read as bytes (a message's MIME), at most `limit` of them. */
  getBytes(path: string, limit: number, options: CallOptions): Promise<Buffer>;
  /** A GET of a link Graph handed out (`@odata.nextLink`, `@odata.deltaLink`), sent byte for byte as given. */
  follow<T>(link: string, options: CallOptions): Promise<T>;
  post<T>(path: string, body: unknown, options: CallOptions): Promise<T>;
  patch<T>(path: string, body: unknown, options: CallOptions): Promise<T>;
  delete(path: string, options: CallOptions): Promise<void>;
  /** True when `link` points into this API (same origin and root): a stored link is checked before the token goes with it. */
  owns(link: string): boolean;
}

export function createGraphApi(options: GraphOptions): GraphApi {
  const baseUrl = (options.baseUrl ?? DEFAULT_API_ROOT).replace(/\/+$/, '');
  const root = new URL(baseUrl);
  if (root.protocol !== 'https:') throw new ProviderError(`the Graph API root must be https: ${baseUrl}`);
  const now = options.now ?? Date.now;
  const timeoutMs = options.timeoutMs ?? 30_000;
  const prefer = options.prefer.join(', ');
  const client = Client.initWithMiddleware({
    middleware: chain(options.getToken, options.fetch ?? ((url, init) => fetch(url, init)), options.slots ?? createRequestSlots()),
    // The AuthenticationHandler sends the token only to Graph's own hosts and to these.
    customHosts: new Set([root.hostname]),
  });

  const readRetryMs = options.readRetryMs ?? [];
  // When the Retry-After that Graph last gave this client runs out (performance.now()); only kept
  // and asked with holdDuringRetryAfter.
  let quietUntil = 0;
  const holdZone = options.holdDuringRetryAfter?.zone ?? null;

  /** One call: a GET is tried again after a transient failure (see the header), nothing else is. */
  async function call<T>(
    method: 'GET' | 'POST' | 'PATCH' | 'DELETE',
    target: string,
    callOptions: CallOptions,
    send: (request: GraphRequest) => Promise<T>,
    extra: readonly MiddlewareOptions[] = [],
  ): Promise<T> {
    for (let tried = 0; ; tried += 1) {
      try {
        return await exchange(target, callOptions, send, extra);
      } catch (error) {
        const wait = method === 'GET' ? readRetryMs[tried] : undefined;
        // A 429 or a 503 with Retry-After is a RateLimitError, no TransientError: the queue's, with its delay.
        if (wait === undefined || !(error instanceof TransientError)) throw error;
        await pause(wait, callOptions.signal);
      }
    }
  }

  /** One request (two after a 401), its failure typed. */
  async function exchange<T>(
    target: string,
    callOptions: CallOptions,
    send: (request: GraphRequest) => Promise<T>,
    extra: readonly MiddlewareOptions[],
  ): Promise<T> {
    // The SDK wraps whatever the token source throws into a GraphError without a status; the
    // typed error (AuthError: sign in again) is kept here instead.
    let tokenFailure: { error: unknown } | null = null;
    // The refusal of a request held during a Retry-After (the SDK would make it a GraphError).
    let held = null as RateLimitError | null;
    const hold = holdZone === null ? null : new Hold(
      () => {
        const left = Math.ceil(quietUntil - performance.now());
        if (left <= 0) return;
        const at = now();
        held = new RateLimitError(`Microsoft Graph asked to slow down: ${callOptions.what} waits ${waitEnd(at + left, at, holdZone)}`, left);
        throw held;
      },
      (response, code) => {
        // Noted before the slot is free, so that no request waiting for it goes out first.
        const delay = rateLimitDelay(response.status, response.headers.get('retry-after'), now(), code);
        if (delay !== null) quietUntil = Math.max(quietUntil, performance.now() + delay);
      },
    );
    const attempt = async (forceRefresh: boolean): Promise<T> => {
      const signal = callOptions.signal ? AbortSignal.any([callOptions.signal, AbortSignal.timeout(timeoutMs)]) : AbortSignal.timeout(timeoutMs);
      const tokenProvider = {
        getAccessToken: async (): Promise<string> => {
          try {
            return await options.getToken({ forceRefresh });
          } catch (error) {
            tokenFailure = { error };
            throw error;
          }
        },
      };
      const middlewareOptions: MiddlewareOptions[] = [new AuthenticationHandlerOptions(tokenProvider)];
      middlewareOptions.push(...extra);
      if (hold !== null) middlewareOptions.push(hold);
      const request = client.api(target).header('Prefer', prefer).option('signal', signal).middlewareOptions(middlewareOptions);
      return await send(request);
    };
    try {
      try {
        return await attempt(false);
      } catch (error) {
        if (tokenFailure !== null || graphStatus(error) !== 401 || callOptions.signal?.aborted) throw error;
        return await attempt(true);
      }
    } catch (error) {
      if (callOptions.signal?.aborted) throw callOptions.signal.reason;
      if (held !== null) throw held;
      if (tokenFailure !== null) throw toProviderError((tokenFailure as { error: unknown }).error, callOptions.what, now());
      const status = graphStatus(error);
      if (status !== null && status !== -1 && !isAccountWide(status, graphCode(error)) && callOptions.expect?.(status, graphCode(error))) {
        throw new ExpectedStatus(status, graphCode(error));
      }
      throw toProviderError(error, callOptions.what, now());
    }
  }

  const url = (path: string): string => `${baseUrl}${path.startsWith('/') ? path : `/${path}`}`;
  return {
    baseUrl,
    get: (path, callOptions) => call('GET', url(path), callOptions, (request) => request.get()),
    getBytes: (path, limit, callOptions) => call('GET', url(path), callOptions, readBytes, [new BodyLimit(limit)]),
    follow: (link, callOptions) => call('GET', link, callOptions, (request) => request.get(), [new ReplayLink(link)]),
    post: (path, body, callOptions) => call('POST', url(path), callOptions, (request) => request.post(body)),
    patch: (path, body, callOptions) => call('PATCH', url(path), callOptions, (request) => request.patch(body)),
    delete: async (path, callOptions) => {
      await call('DELETE', url(path), callOptions, (request) => request.delete());
    },
    owns: (link) => {
      try {
        const target = new URL(link);
        return target.origin === root.origin && target.pathname.startsWith(`${root.pathname.replace(/\/$/, '')}/`);
      } catch (error) {
        if (error instanceof TypeError) return false;
        throw error;
      }
    },
  };
}

/** Waits `ms`; the caller's abort ends the wait with its reason, as it ends a request. */
async function pause(ms: number, signal: AbortSignal | undefined): Promise<void> {
  try {
    await sleep(ms, undefined, signal ? { signal } : {});
  } catch (error) {
    if (signal?.aborted) throw signal.reason;
    throw error;
  }
}

function chain(getToken: TokenSource, fetchLike: FetchLike, slots: RequestSlots): Middleware[] {
  // Every request brings its own token provider (see `call`); this one is never asked.
  const auth = new AuthenticationHandler({ getAccessToken: () => getToken() });
  const telemetry = new TelemetryHandler();
  const transport = new FetchTransport(fetchLike, slots);
  auth.setNext(telemetry);
  telemetry.setNext(transport);
  return [auth, telemetry, transport];
}
