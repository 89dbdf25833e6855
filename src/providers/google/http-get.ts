/**
 * One JSON GET to a Google API on a keep-alive `node:http(s)` agent, with the Authorization header
 * of the account's OAuth client (`getRequestHeaders`: it refreshes an expired token and hands the
 * new one to `onTokens` as before). For `events.list`, the request of every sync and poll: gaxios,
 * node-fetch and `OAuth2Client.request` cost more CPU per request than the rest of a poll of an
 * unchanged calendar (a timeout signal combined with the caller's per request, node-fetch's stream
 * pipeline and the DOMException it throws to close it, headers merged twice; fleet benchmark,
 * bench/README.md 2026-12-06 08:40).
 *
 * What the failure looks like is what errors.ts reads from a gaxios error (a status, the parsed
 * body, the headers; or a code for no answer), so 410, 429 with Retry-After, 5xx, 401 and the rest
 * are mapped exactly as before. Where this path cannot do what gaxios does, the caller sends the
 * request through the OAuth client instead ({@link directGetUsable}): behind a proxy
 * (`HTTPS_PROXY`, `https_proxy`, `HTTP_PROXY`, `http_proxy`, with gaxios' `NO_PROXY` rules), and
 * for credentials without an expiry, where the OAuth client itself refreshes and retries on a 401.
 */
import http from 'node:http';
import https from 'node:https';
import { brotliDecompress, gunzip, inflate } from 'node:zlib';
import { promisify } from 'node:util';
import type { GoogleAuthClient } from './auth.js';

/**
 * Node's global agents, keep-alive since Node 19, as node-fetch under gaxios used them: the
 * connections to Google are kept and reused the same way as before.
 */
const AGENTS = { 'http:': http.globalAgent, 'https:': https.globalAgent } as const;

const DECODERS: Record<string, (body: Buffer) => Promise<Buffer>> = {
  gzip: promisify(gunzip),
  deflate: promisify(inflate),
  br: promisify(brotliDecompress),
};

/**
 * What is sent besides the Authorization header. `gzip` in the user agent is what Google asks of
 * a client that wants compressed answers; `x-goog-api-client` is what the OAuth client adds.
 */
const FIXED_HEADERS = {
  'accept-encoding': 'gzip',
  'user-agent': 'ringback (gzip)',
  'x-goog-api-client': `gl-node/${process.versions.node}`,
} as const;

/** True when a proxy is configured the way gaxios reads it: requests then go through gaxios. */
export function proxyConfigured(env: NodeJS.ProcessEnv = process.env): boolean {
  return Boolean(env.HTTPS_PROXY || env.https_proxy || env.HTTP_PROXY || env.http_proxy);
}

/** Whether this account's requests can take the direct path now (see the file's head). */
export function directGetUsable(auth: GoogleAuthClient): boolean {
  return !proxyConfigured() && Boolean(auth.credentials.expiry_date);
}

/**
 * A failed exchange in the shape errors.ts reads from gaxios errors: `config` (nothing of the
 * request: its URL and headers carry tokens), and a `response` or a `code`.
 */
export class GoogleHttpFailure extends Error {
  readonly config = {};
  readonly status: number | undefined;
  constructor(
    message: string,
    readonly response: { readonly status: number; readonly data: unknown; readonly headers: http.IncomingHttpHeaders } | undefined,
    readonly code: string | undefined,
  ) {
    super(message);
    this.name = 'GoogleHttpFailure';
    this.status = response?.status;
  }
}

/**
 * The body as gaxios reads it: JSON when the answer says it is JSON and parses, text otherwise
 * (an HTML page from a proxy).
 */
function bodyOf(text: string, contentType: string | undefined): unknown {
  if (!contentType?.toLowerCase().includes('application/json')) return text;
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    if (error instanceof SyntaxError) return text;
    throw error;
  }
}

/**
 * GETs `url` with the account's access token; resolves with the parsed JSON of a 2xx answer,
 * rejects with a {@link GoogleHttpFailure} otherwise, or with the signal's reason once aborted.
 * `timeoutMs` bounds the whole exchange, body included, as gaxios' timeout does.
 */
export async function getJson<T>(auth: GoogleAuthClient, url: URL, options: { signal?: AbortSignal; timeoutMs: number }): Promise<{ data: T }> {
  const authHeaders = await auth.getRequestHeaders(url.href);
  const headers: Record<string, string> = { ...FIXED_HEADERS };
  authHeaders.forEach((value, name) => {
    headers[name] = value;
  });
  const { signal } = options;
  signal?.throwIfAborted();
  const agent = AGENTS[url.protocol as keyof typeof AGENTS];
  if (!agent) throw new Error(`unsupported protocol in ${url.origin}`);
  const send = url.protocol === 'https:' ? https.request : http.request;

  return await new Promise<{ data: T }>((resolve, reject) => {
    let settled = false;
    const finish = (error: unknown, data?: T) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      signal?.removeEventListener('abort', onAbort);
      if (error === null) resolve({ data: data as T });
      else reject(error);
    };
    const request = send(url, { method: 'GET', headers, agent }, (response) => {
      const chunks: Buffer[] = [];
      response.on('data', (chunk: Buffer) => chunks.push(chunk));
      response.on('error', (error) => finish(noAnswer(url, error)));
      response.on('close', () => {
        if (!response.complete) finish(noAnswer(url, new Error('the connection closed before the answer was complete')));
      });
      response.on('end', () => {
        const raw = chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks);
        const encoding = response.headers['content-encoding']?.trim().toLowerCase();
        const decode = encoding && encoding !== 'identity' ? DECODERS[encoding] : undefined;
        if (encoding && encoding !== 'identity' && !decode) return finish(noAnswer(url, new Error(`unsupported content encoding ${encoding}`)));
        (decode ? decode(raw) : Promise.resolve(raw)).then(
          (body) => {
            const status = response.statusCode ?? 0;
            const data = bodyOf(body.toString('utf8'), response.headers['content-type']);
            if (status >= 200 && status < 300) return finish(null, data as T);
            // gaxios' message: a text body itself, else the status (errors.ts prefers Google's own).
            const message = typeof data === 'string' ? data : `Request failed with status code ${status}`;
            finish(new GoogleHttpFailure(message, { status, data, headers: response.headers }, undefined));
          },
          (error: unknown) => finish(noAnswer(url, error)),
        );
      });
    });
    const timer = setTimeout(() => {
      // Worded and coded as node-fetch's abort on gaxios' timeout: "network error: The operation was aborted."
      const failure = new GoogleHttpFailure('The operation was aborted.', undefined, undefined);
      finish(failure);
      request.destroy(failure);
    }, options.timeoutMs);
    const onAbort = () => {
      finish(signal?.reason);
      request.destroy();
    };
    signal?.addEventListener('abort', onAbort, { once: true });
    request.on('error', (error) => finish(noAnswer(url, error)));
    request.end();
  });
}

/**
 * No usable answer: a refused or dropped connection, a broken body. Worded as node-fetch words it
 * under gaxios ("request to <url> failed, reason: connect ECONNREFUSED …"), with the system code.
 */
function noAnswer(url: URL, error: unknown): GoogleHttpFailure {
  if (error instanceof GoogleHttpFailure) return error;
  const code = (error as NodeJS.ErrnoException).code;
  const message = error instanceof Error ? error.message : String(error);
  return new GoogleHttpFailure(`request to ${url.href} failed, reason: ${message}`, undefined, typeof code === 'string' ? code : 'ECONNRESET');
}
