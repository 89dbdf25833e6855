/**
 * A local stand-in for Google, for tests that run the real `googleapis` and
 * `google-auth-library` clients: one node:http server on 127.0.0.1 with
 * - the OAuth consent page and token endpoint (`google-server/oauth.ts`),
 * - Calendar v3 events and freeBusy (`google-server/calendar.ts`),
 * - Gmail v1 drafts, messages, threads and profile (`google-server/gmail.ts`),
 * every API call checked for a live Bearer token (401 otherwise, as Google answers), and
 * - fault injection (`failNext`), a request log with arrival times and a count of bytes served.
 *
 * Point the clients at it with the overrides: `rootUrl: server.url` for both APIs, and
 * `endpoints: { tokenUrl: server.tokenUrl, authUrl: server.authUrl }` for OAuth.
 */
import { createServer, type IncomingHttpHeaders, type IncomingMessage, type ServerResponse } from 'node:http';
import { gzipSync } from 'node:zlib';
import type { AddressInfo } from 'node:net';
import { FakeCalendar, type FakeEvent } from './google-server/calendar.js';
import { FakeGmail } from './google-server/gmail.js';
import { ApiError, type ApiRequest, type ApiResponse } from './google-server/http.js';
import { FakeOAuth, type ConsentBehaviour } from './google-server/oauth.js';

export type { FakeEvent, FakeEventTime } from './google-server/calendar.js';
export type { SentRecord } from './google-server/gmail.js';

export interface GoogleServerOptions {
  /** @defaultValue 'ada@example.org' */
  readonly userEmail?: string;
  /** @defaultValue 'ringback-test.apps.googleusercontent.com' */
  readonly clientId?: string;
  /** @defaultValue 'GOCSPX-test-secret' */
  readonly clientSecret?: string;
  /** @defaultValue 3600 */
  readonly accessTokenTtlSeconds?: number;
  /** The calendars' zone (what all-day dates mean). @defaultValue 'UTC' */
  readonly timeZone?: string;
  /**
   * Compress answers as Google does: gzip, for a request whose Accept-Encoding names gzip and
   * whose User-Agent contains "gzip". @defaultValue false
   */
  readonly gzip?: boolean;
}

/** What the next matching request gets instead of its answer (or before it). */
export type Fault =
  | { readonly status: 429; readonly retryAfter?: number | string; readonly reason?: string; readonly message?: string }
  | {
      readonly status: 403;
      readonly reason: 'rateLimitExceeded' | 'userRateLimitExceeded' | 'dailyLimitExceeded' | 'domainPolicy' | 'insufficientPermissions' | 'forbidden' | 'accessNotConfigured';
      readonly retryAfter?: number | string;
      /** Google's message, e.g. Gmail's "User-rate limit exceeded.  Retry after 2023-03-07T18:18:23.688Z". */
      readonly message?: string;
    }
  | {
      readonly status: 500 | 502 | 503 | 400 | 401 | 404 | 410;
      readonly reason?: string;
      readonly message?: string;
      /** An HTML page sent as the body (text/html) in place of Google's JSON error, as Google's front end answers a 502. */
      readonly page?: string;
    }
  | { readonly delayMs: number };

/** Which requests a fault applies to: the APIs (default), the token endpoint, or a path pattern. */
export type FaultTarget = 'api' | 'token' | RegExp;

export interface RequestRecord {
  readonly method: string;
  readonly path: string;
  readonly query: URLSearchParams;
  readonly headers: IncomingHttpHeaders;
  /** Arrival time, epoch ms. */
  readonly at: number;
  status: number;
  /** The answer was sent gzip-compressed (`gzip` option). */
  gzipped?: boolean;
}

export interface GoogleServer {
  readonly url: string;
  readonly tokenUrl: string;
  readonly authUrl: string;
  readonly userEmail: string;
  readonly clientId: string;
  readonly clientSecret: string;
  readonly oauth: FakeOAuth;
  readonly calendar: FakeCalendar;
  readonly gmail: FakeGmail;
  /** Every request, in arrival order. */
  readonly requests: RequestRecord[];
  /** Response body bytes sent so far. */
  readonly bytesServed: number;
  /** The next `n` requests that match `target` get `fault`. */
  failNext(n: number, fault: Fault, target?: FaultTarget): void;
  /** Requests to the Calendar or Gmail API (not OAuth), optionally under a path prefix. */
  apiRequests(prefix?: string): RequestRecord[];
  issueRefreshToken(): string;
  revokeRefreshToken(token?: string): void;
  invalidateSyncTokens(reason?: 'fullSyncRequired' | 'updatedMinTooLongAgo'): void;
  setConsent(behaviour: ConsentBehaviour): void;
  putEvent(event: FakeEvent, calendarId?: string): void;
  removeEvent(id: string, calendarId?: string): void;
  close(): Promise<void>;
}

interface PendingFault {
  remaining: number;
  readonly fault: Fault;
  readonly target: FaultTarget;
}

export async function startGoogleServer(options: GoogleServerOptions = {}): Promise<GoogleServer> {
  const userEmail = options.userEmail ?? 'ada@example.org';
  const clientId = options.clientId ?? 'ringback-test.apps.googleusercontent.com';
  const clientSecret = options.clientSecret ?? 'GOCSPX-test-secret';
  const oauth = new FakeOAuth({ clientId, clientSecret, accessTokenTtlSeconds: options.accessTokenTtlSeconds ?? 3600 });
  const calendar = new FakeCalendar(userEmail, options.timeZone ?? 'UTC');
  const gmail = new FakeGmail(userEmail);
  const requests: RequestRecord[] = [];
  const faults: PendingFault[] = [];
  let bytesServed = 0;

  const route = (request: ApiRequest): ApiResponse => {
    if (request.path === '/token' && request.method === 'POST') return oauth.token(request);
    if (request.path === '/o/oauth2/v2/auth' && request.method === 'GET') return oauth.consent(request);
    const api = request.segments[1];
    if (api !== 'calendar' && api !== 'gmail') return new ApiError(404, 'notFound', 'Not Found').toResponse();
    if (!oauth.checkBearer(request.headers.authorization)) {
      return new ApiError(401, 'authError', 'Request had invalid authentication credentials. Expected OAuth 2 access token.', 'global', {
        'www-authenticate': 'Bearer realm="https://accounts.google.com/", error="invalid_token"',
      }).toResponse();
    }
    const answer = api === 'calendar' ? calendar.handle(request) : gmail.handle(request);
    return answer ?? new ApiError(404, 'notFound', `fake google: no route for ${request.method} ${request.path}`).toResponse();
  };

  const takeFault = (request: ApiRequest): Fault | null => {
    const index = faults.findIndex(({ target }) =>
      target === 'api'
        ? /^\/(calendar|gmail)\//.test(request.path)
        : target === 'token'
          ? request.path === '/token'
          : target.test(request.path),
    );
    if (index === -1) return null;
    const pending = faults[index]!;
    pending.remaining -= 1;
    if (pending.remaining <= 0) faults.splice(index, 1);
    return pending.fault;
  };

  const send = (response: ServerResponse, record: RequestRecord, answer: ApiResponse): void => {
    const isText = typeof answer.body === 'string';
    let payload = answer.body === undefined ? Buffer.alloc(0) : Buffer.from(isText ? (answer.body as string) : JSON.stringify(answer.body));
    const gzip =
      options.gzip === true &&
      payload.length > 0 &&
      /\bgzip\b/.test(String(record.headers['accept-encoding'] ?? '')) &&
      String(record.headers['user-agent'] ?? '').includes('gzip');
    if (gzip) payload = gzipSync(payload);
    record.status = answer.status;
    record.gzipped = gzip;
    bytesServed += payload.length;
    if (response.destroyed) return;
    response.writeHead(answer.status, {
      ...(answer.body === undefined ? {} : { 'content-type': isText ? 'text/html; charset=utf-8' : 'application/json; charset=UTF-8' }),
      ...(gzip ? { 'content-encoding': 'gzip' } : {}),
      ...answer.headers,
    });
    response.end(payload);
  };

  const handle = async (incoming: IncomingMessage, response: ServerResponse): Promise<void> => {
    const chunks: Buffer[] = [];
    for await (const chunk of incoming) chunks.push(chunk as Buffer);
    const url = new URL(incoming.url ?? '/', 'http://127.0.0.1');
    const request: ApiRequest = {
      method: incoming.method ?? 'GET',
      path: url.pathname,
      segments: url.pathname.split('/').map((segment) => decodeURIComponent(segment)),
      query: url.searchParams,
      headers: incoming.headers,
      rawBody: Buffer.concat(chunks),
    };
    const record: RequestRecord = { method: request.method, path: request.path, query: request.query, headers: incoming.headers, at: Date.now(), status: 0 };
    requests.push(record);
    const fault = takeFault(request);
    if (fault && 'delayMs' in fault) {
      await new Promise((resolve) => setTimeout(resolve, fault.delayMs));
    } else if (fault) {
      const headers: Record<string, string> = 'retryAfter' in fault && fault.retryAfter !== undefined ? { 'retry-after': String(fault.retryAfter) } : {};
      const reason = fault.reason ?? (fault.status === 429 ? 'rateLimitExceeded' : fault.status >= 500 ? 'backendError' : 'badRequest');
      const error: ApiResponse =
        'page' in fault && fault.page !== undefined
          ? { status: fault.status, headers, body: fault.page }
          : request.path === '/token'
          ? { status: fault.status, headers, body: { error: fault.status >= 500 ? 'server_error' : reason, error_description: ('message' in fault ? fault.message : undefined) ?? 'injected' } }
          : new ApiError(fault.status, reason, ('message' in fault ? fault.message : undefined) ?? (fault.status === 429 ? 'Rate Limit Exceeded' : 'injected failure'), 'usageLimits', headers).toResponse();
      send(response, record, error);
      return;
    }
    let answer: ApiResponse;
    try {
      answer = route(request);
    } catch (error) {
      if (!(error instanceof ApiError)) throw error;
      answer = error.toResponse();
    }
    send(response, record, answer);
  };

  const server = createServer((incoming, response) => {
    handle(incoming, response).catch((error: unknown) => {
      // A bug in the fake itself: answer 500 with the reason so that the test shows it.
      const message = error instanceof Error ? (error.stack ?? error.message) : String(error);
      if (!response.headersSent) response.writeHead(500, { 'content-type': 'text/plain' });
      response.end(`fake google crashed: ${message}`);
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  return {
    url,
    tokenUrl: `${url}/token`,
    authUrl: `${url}/o/oauth2/v2/auth`,
    userEmail,
    clientId,
    clientSecret,
    oauth,
    calendar,
    gmail,
    requests,
    get bytesServed() {
      return bytesServed;
    },
    failNext(n, fault, target = 'api') {
      faults.push({ remaining: n, fault, target });
    },
    apiRequests(prefix = '/') {
      return requests.filter((record) => /^\/(calendar|gmail)\//.test(record.path) && record.path.startsWith(prefix));
    },
    issueRefreshToken: () => oauth.issueRefreshToken(),
    revokeRefreshToken: (token) => oauth.revokeRefreshToken(token),
    invalidateSyncTokens: (reason) => calendar.invalidateSyncTokens(reason),
    setConsent: (behaviour) => {
      oauth.nextConsent = behaviour;
    },
    putEvent: (event, calendarId) => calendar.putEvent(event, calendarId),
    removeEvent: (id, calendarId) => calendar.removeEvent(id, calendarId),
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
