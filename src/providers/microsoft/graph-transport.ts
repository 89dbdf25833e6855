/**
 * The HTTP end of the Graph client (graph.ts): the last link of the SDK's middleware chain, which
 * makes the request inside one of the mailbox's request slots and under its deadline, and hands
 * the SDK a response it can read, a body read up to a limit, and the raw reading of bytes.
 */
import { GraphError, ResponseType, type Context, type GraphRequest, type Middleware, type MiddlewareOptions } from '@microsoft/microsoft-graph-client';
import type { RequestSlots } from './concurrency.js';

/** The HTTP client the adapters and msal use: `fetch` or anything with its shape. */
export type FetchLike = (url: string, init: RequestInit) => Promise<Response>;

/**
 * Sends a request to exactly this URL. The SDK rebuilds every URL from its parts and reorders the
 * query on the way; a nextLink or deltaLink is opaque and is replayed as Graph gave it.
 */
export class ReplayLink implements MiddlewareOptions {
  constructor(readonly url: string) {}
}

/** Reads at most this many bytes of a successful answer, and leaves the rest unread. */
export class BodyLimit implements MiddlewareOptions {
  constructor(readonly bytes: number) {}
}

/**
 * Asked inside the request's slot: `before` just before the request goes out (throwing sends
 * nothing), `after` with the answer, before the slot is given to the next request. So a request
 * that waited for a slot while the one ahead of it was answered 429 is held too (graph.ts).
 */
export class Hold implements MiddlewareOptions {
  constructor(
    readonly before: () => void,
    /** Told of each answer, with Graph's error code when it is an error (null otherwise). */
    readonly after: (response: Response, code: string | null) => void,
  ) {}
}

/**
 * The answer as bytes. A typed response (`ResponseType.ARRAYBUFFER`) would make the SDK turn an
 * error answer into a GraphError without its code or headers, and the Retry-After of a 429 would
 * be lost; the raw answer is taken instead, and an error read as the SDK reads one (its
 * GraphErrorHandler is not exported).
 */
export async function readBytes(request: GraphRequest): Promise<Buffer> {
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
export class FetchTransport implements Middleware {
  constructor(
    private readonly fetchLike: FetchLike,
    private readonly slots: RequestSlots,
  ) {}

  async execute(context: Context): Promise<void> {
    const replay = context.middlewareControl?.getMiddlewareOptions(ReplayLink);
    const limit = context.middlewareControl?.getMiddlewareOptions(BodyLimit);
    const hold = context.middlewareControl?.getMiddlewareOptions(Hold);
    const url = replay instanceof ReplayLink ? replay.url : typeof context.request === 'string' ? context.request : context.request.url;
    const init = context.options ?? {};
    context.response = await this.slots.run(async () => {
      if (hold instanceof Hold) hold.before();
      const response = await normalized(await this.fetchLike(url, init), limit instanceof BodyLimit ? limit.bytes : null);
      if (hold instanceof Hold) hold.after(response, response.ok ? null : await errorCode(response));
      return response;
    }, init.signal ?? undefined);
  }
}

/** Graph's `error.code` of an error answer as {@link normalized} leaves it, or null; the body stays unread. */
async function errorCode(response: Response): Promise<string | null> {
  try {
    const body = (await response.clone().json()) as { error?: { code?: unknown } } | null;
    return typeof body?.error?.code === 'string' ? body.error.code : null;
  } catch (error) {
    if (!(error instanceof SyntaxError)) throw error;
    return null;
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
