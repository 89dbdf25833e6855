/**
 * The Microsoft Graph client the calendar and mailbox adapters share, and the one call wrapper
 * they all go through.
 *
 * One retry policy decides: the queue's. The SDK's default middleware chain retries 429, 503 and
 * 504 on its own (RetryHandler, up to three times, sleeping inside the call); ours leaves it out,
 * so that a 429 reaches the queue as a {@link RateLimitError} with its Retry-After after exactly
 * one request. The chain is: AuthenticationHandler (the bearer token, sent only to the API host)
 * → TelemetryHandler (client-request-id, which Microsoft support asks for) → {@link FetchTransport}.
 *
 * The only retry here is one after a 401 with a freshly refreshed token: an access token can be
 * revoked before its expiry (password change, continuous access evaluation), and msal only
 * refreshes a token that it believes expired.
 */
import {
  AuthenticationHandler,
  AuthenticationHandlerOptions,
  Client,
  GraphError,
  ResponseType,
  TelemetryHandler,
  type Context,
  type GraphRequest,
  type Middleware,
  type MiddlewareOptions,
} from '@microsoft/microsoft-graph-client';
import { ExpectedStatus, ProviderError } from '../errors.js';
import { createRequestSlots, type RequestSlots } from './concurrency.js';
import { graphCode, graphStatus, toProviderError } from './errors.js';


/** The HTTP client the adapters and msal use: `fetch` or anything with its shape. */
export type FetchLike = (url: string, init: RequestInit) => Promise<Response>;

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

/** A path with its query, each value encoded; keys are written as given (`$filter`). */
export function withQuery(path: string, query: Readonly<Record<string, string>>): string {
  const pairs = Object.entries(query).map(([key, value]) => `${key}=${encodeURIComponent(value)}`);
  return pairs.length === 0 ? path : `${path}?${pairs.join('&')}`;
}

/** An OData string literal: single quotes doubled. */
export function odataString(value: string): string {
  return `'${value.replace(/'/g, "''")}'`;
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

  async function call<T>(
    target: string,
    callOptions: CallOptions,
    send: (request: GraphRequest) => Promise<T>,
    extra: readonly MiddlewareOptions[] = [],
  ): Promise<T> {
    // The SDK wraps whatever the token source throws into a GraphError without a status; the
    // typed error (AuthError: sign in again) is kept here instead.
    let tokenFailure: { error: unknown } | null = null;
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
      if (tokenFailure !== null) throw toProviderError((tokenFailure as { error: unknown }).error, callOptions.what, now());
      const status = graphStatus(error);
      if (status !== null && status !== -1 && callOptions.expect?.(status, graphCode(error))) {
        throw new ExpectedStatus(status, graphCode(error));
      }
      throw toProviderError(error, callOptions.what, now());
    }
  }

  const url = (path: string): string => `${baseUrl}${path.startsWith('/') ? path : `/${path}`}`;
  return {
    baseUrl,
    get: (path, callOptions) => call(url(path), callOptions, (request) => request.get()),
    getBytes: (path, limit, callOptions) => call(url(path), callOptions, readBytes, [new BodyLimit(limit)]),
    follow: (link, callOptions) => call(link, callOptions, (request) => request.get(), [new ReplayLink(link)]),
    post: (path, body, callOptions) => call(url(path), callOptions, (request) => request.post(body)),
    patch: (path, body, callOptions) => call(url(path), callOptions, (request) => request.patch(body)),
    delete: async (path, callOptions) => {
      await call(url(path), callOptions, (request) => request.delete());
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

function chain(getToken: TokenSource, fetchLike: FetchLike, slots: RequestSlots): Middleware[] {
  // Every request brings its own token provider (see `call`); this one is never asked.
  const auth = new AuthenticationHandler({ getAccessToken: () => getToken() });
  const telemetry = new TelemetryHandler();
  const transport = new FetchTransport(fetchLike, slots);
  auth.setNext(telemetry);
  telemetry.setNext(transport);
  return [auth, telemetry, transport];
}

/**
 * Sends a request to exactly this URL. The SDK rebuilds every URL from its parts and reorders the
 * query on the way; a nextLink or deltaLink is opaque and is replayed as Graph gave it.
 */
class ReplayLink implements MiddlewareOptions {
  constructor(readonly url: string) {}
}

/** Reads at most this many bytes of a successful answer, and leaves the rest unread. */
class BodyLimit implements MiddlewareOptions {
  constructor(readonly bytes: number) {}
}

/**
 * The answer as bytes. A typed response (`ResponseType.ARRAYBUFFER`) would make the SDK turn an
 * error answer into a GraphError without its code or headers, and the Retry-After of a 429 would
 * be lost; the raw answer is taken instead, and an error read as the SDK reads one (its
 * GraphErrorHandler is not exported).
 */
async function readBytes(request: GraphRequest): Promise<Buffer> {
  const response = (await request.responseType(ResponseType.RAW).get()) as Response;
  if (response.ok) return Buffer.from(await response.arrayBuffer());
  const text = await response.text();
  let body: { error?: { code?: unknown; message?: unknown } } = {};
  try {
    body = JSON.parse(text) as typeof body;
  } catch (error) {
    if (!(error instanceof SyntaxError)) throw error;
  }
  const error = new GraphError(response.status, typeof body.error?.message === 'string' ? body.error.message : text.slice(0, 300));
  error.code = typeof body.error?.code === 'string' ? body.error.code : null;
  error.headers = response.headers;
  throw error;
}

/**
 * The last link of the chain: the HTTP exchange, body read (whole, or up to its limit) under the
 * request's deadline, inside one of the mailbox's request slots (a request runs until its body is
 * read).
 */
class FetchTransport implements Middleware {
  constructor(
    private readonly fetchLike: FetchLike,
    private readonly slots: RequestSlots,
  ) {}

  async execute(context: Context): Promise<void> {
    const replay = context.middlewareControl?.getMiddlewareOptions(ReplayLink);
    const limit = context.middlewareControl?.getMiddlewareOptions(BodyLimit);
    const url = replay instanceof ReplayLink ? replay.url : typeof context.request === 'string' ? context.request : context.request.url;
    const init = context.options ?? {};
    context.response = await this.slots.run(async () => {
      const response = await this.fetchLike(url, init);
      return await normalized(response, limit instanceof BodyLimit ? limit.bytes : null);
    }, init.signal ?? undefined);
  }
}

const NULL_BODY = new Set([101, 204, 205, 304]);

/**
 * The response as the SDK can read it: an error body that is not Graph's JSON (a proxy's HTML
 * page, an empty 503) becomes `{ error: { code, message } }` so that the status, the code and the
 * Retry-After reach {@link toProviderError}; an empty success body (202 from /send) is typed as
 * text so that the SDK reads it instead of leaving the stream open.
 */
async function normalized(response: Response, limit: number | null): Promise<Response> {
  const body = limit !== null && response.ok ? await readAtMost(response, limit) : await response.arrayBuffer();
  const headers = new Headers(response.headers);
  headers.delete('content-encoding');
  headers.delete('content-length');
  const init = { status: response.status, statusText: response.statusText, headers };
  const json = (headers.get('content-type') ?? '').toLowerCase().includes('json');
  if (!response.ok && !json) {
    headers.set('content-type', 'application/json');
    const message = response.statusText || `HTTP ${response.status}`;
    return new Response(JSON.stringify({ error: { code: `http${response.status}`, message } }), init);
  }
  if (NULL_BODY.has(response.status)) return new Response(null, init);
  if (body.byteLength === 0) headers.set('content-type', 'text/plain');
  return new Response(body, init);
}

/** The first `limit` bytes of a body; the rest is not downloaded (a message can be 150 MB). */
async function readAtMost(response: Response, limit: number): Promise<Uint8Array<ArrayBuffer>> {
  const chunks: Uint8Array[] = [];
  let size = 0;
  const reader = response.body?.getReader();
  while (reader) {
    const { done, value } = await reader.read();
    if (done) break;
    chunks.push(value);
    size += value.byteLength;
    if (size >= limit) {
      await reader.cancel();
      break;
    }
  }
  return new Uint8Array(Buffer.concat(chunks, Math.min(size, limit)));
}
