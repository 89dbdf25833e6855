/**
 * A local stand-in for Microsoft Graph and the Microsoft identity platform, over HTTPS on
 * 127.0.0.1 with a self-signed certificate (the Graph SDK sends its Authorization header only to
 * https hosts). One server is one tenant with one user. It keeps everything in memory:
 * - sign-in (`graph-server/identity.ts`): OpenID configuration, device code, token endpoint;
 * - the calendar (`graph-server/calendar.ts`): calendarView and its delta query;
 * - the mailbox (`graph-server/mail.ts`): drafts, replies, send, folders, `$filter`, MIME content.
 *
 * Every Graph request needs a live access token from the token endpoint (else 401). At most 4
 * Graph requests run at once for the mailbox, as Outlook allows one app
 * (https://learn.microsoft.com/en-us/graph/throttling-limits#outlook-service-limits); a fifth is
 * answered 429 `ApplicationThrottled`, "Application is over its MailboxConcurrency limit."
 * (https://learn.microsoft.com/en-us/answers/questions/734143/mailboxconcurrency-limit-throttling-exception),
 * with a Retry-After of 1 s. Every request
 * is logged with its time, headers and answer; faults (an error status with Retry-After, a slow
 * answer) are injected per path with {@link GraphServer.fault}.
 *
 * Clients reach it with {@link GraphServer.fetch}, which trusts its certificate.
 */
import { createServer, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { generate } from 'selfsigned';
import type { FetchLike } from '../../src/providers/microsoft/graph-transport.js';
import { Calendar } from './graph-server/calendar.js';
import { trustingFetch } from './graph-server/fetch.js';
import { Identity, type GraphUser } from './graph-server/identity.js';
import { Mail } from './graph-server/mail.js';
import { graphError, json, type Call, type Reply } from './graph-server/types.js';

export type { GraphEvent } from './graph-server/calendar.js';
export type { SentRecord } from './graph-server/mail.js';

export interface LoggedRequest {
  /** Epoch ms when the request arrived. */
  readonly time: number;
  readonly method: string;
  /** Path and query exactly as the client sent them. */
  readonly url: string;
  /** The full URL (origin included), as a link Graph handed out would read. */
  readonly href: string;
  readonly headers: Readonly<Record<string, string>>;
  readonly body: string;
  /** The status it was answered with. */
  status: number;
}

export interface Fault {
  /** Matched against the path and query as sent; every request when absent. */
  readonly path?: RegExp;
  readonly method?: string;
  /** Answer with this status (Graph's JSON error); only delay the real answer when absent. */
  readonly status?: number;
  readonly code?: string;
  /** Graph's `error.message`. @defaultValue "Injected fault." */
  readonly message?: string;
  readonly headers?: Readonly<Record<string, string>>;
  /**
   * A page sent as the body, text/html, in place of Graph's JSON error (a gateway's or a proxy's
   * answer); `code` and `message` are then unused.
   */
  readonly page?: string;
  /** Wait this long before answering. */
  readonly delayMs?: number;
  /** How many requests it applies to. @defaultValue 1 */
  readonly times?: number;
}

export interface GraphServer {
  readonly origin: string;
  /** `${origin}/v1.0`: what the adapters take as `baseUrl`. */
  readonly apiRoot: string;
  /** `${origin}/common`: what msal takes as `authority`. */
  readonly authority: string;
  readonly clientId: string;
  readonly user: GraphUser;
  /** PEM of the self-signed certificate. */
  readonly ca: string;
  readonly fetch: FetchLike;
  readonly log: LoggedRequest[];
  readonly identity: Identity;
  readonly calendar: Calendar;
  readonly mail: Mail;
  /** Issues an access token directly, as if the user had signed in (for adapter tests). */
  issueAccessToken(): Promise<string>;
  fault(fault: Fault): void;
  /** Logged requests to Graph (under /v1.0), in order. */
  graphRequests(): LoggedRequest[];
  /** The most Graph requests that were running at once so far. */
  maxConcurrent(): number;
  close(): Promise<void>;
}

export interface GraphServerOptions {
  readonly clientId?: string;
  readonly user?: Partial<GraphUser>;
  /** Graph requests allowed at once for the mailbox. @defaultValue 4, Outlook's limit */
  readonly mailboxConcurrency?: number;
}

let certificate: Promise<{ key: string; cert: string }> | null = null;

/** One certificate per test process: generating an RSA key takes a while. */
function localCertificate(): Promise<{ key: string; cert: string }> {
  certificate ??= generate([{ name: 'commonName', value: '127.0.0.1' }], {
    keySize: 2048,
    algorithm: 'sha256',
    notAfterDate: new Date(Date.now() + 7 * 86_400_000),
    extensions: [
      { name: 'basicConstraints', cA: true },
      { name: 'keyUsage', digitalSignature: true, keyEncipherment: true, keyCertSign: true },
      { name: 'extKeyUsage', serverAuth: true },
      { name: 'subjectAltName', altNames: [{ type: 7, ip: '127.0.0.1' }, { type: 2, value: 'localhost' }] },
    ],
  }).then((pems) => ({ key: pems.private, cert: pems.cert }));
  return certificate;
}

export async function startGraphServer(options: GraphServerOptions = {}): Promise<GraphServer> {
  const { key, cert } = await localCertificate();
  const clientId = options.clientId ?? '00000000-0000-4000-8000-00000000c11e';
  const user: GraphUser = {
    oid: '9f8e7d6c-0000-4000-8000-0000000000a1',
    tid: '72f988bf-0000-4000-8000-0000000000b2',
    userPrincipalName: 'ada@example.org',
    mail: 'ada@example.org',
    displayName: 'Ada Park',
    ...options.user,
  };
  const log: LoggedRequest[] = [];
  const faults: Array<Fault & { remaining: number }> = [];
  const concurrency = options.mailboxConcurrency ?? 4;
  let running = 0;
  let mostRunning = 0;
  // Parts are created once the port is known; requests cannot arrive before that.
  let parts: { identity: Identity; calendar: Calendar; mail: Mail; apiRoot: string } | null = null;

  const server: Server = createServer({ key, cert }, (request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const raw = request.url ?? '/';
      const headers: Record<string, string> = {};
      for (const [name, value] of Object.entries(request.headers)) {
        if (value !== undefined) headers[name] = Array.isArray(value) ? value.join(', ') : value;
      }
      const text = Buffer.concat(chunks).toString('utf8');
      const entry: LoggedRequest = { time: Date.now(), method: request.method ?? 'GET', url: raw, href: `${origin}${raw}`, headers, body: text, status: 0 };
      log.push(entry);
      const call: Call = { method: entry.method, raw, url: new URL(raw, origin), headers, text, prefer: preferences(headers['prefer']) };
      // A Graph request runs from its arrival until its answer has been written out.
      const graph = raw.startsWith('/v1.0/');
      if (graph) {
        running += 1;
        mostRunning = Math.max(mostRunning, running);
        response.once('close', () => {
          running -= 1;
        });
      }
      const over = graph && running > concurrency;
      const replied = over
        ? Promise.resolve(graphError(429, 'ApplicationThrottled', 'Application is over its MailboxConcurrency limit.', { 'Retry-After': '1' }))
        : answer(call);
      void replied.then((reply) => {
        entry.status = reply.status;
        const given = reply.body === undefined || typeof reply.body === 'string' || Buffer.isBuffer(reply.body);
        const body = given ? (reply.body ?? '') : JSON.stringify(reply.body);
        response.writeHead(reply.status, {
          ...(given ? {} : { 'content-type': 'application/json; odata.metadata=minimal' }),
          ...reply.headers,
        });
        response.end(body);
      });
    });
  });

  async function answer(call: Call): Promise<Reply> {
    const index = faults.findIndex((f) => (!f.method || f.method === call.method) && (!f.path || f.path.test(call.raw)));
    const fault = index === -1 ? undefined : faults[index];
    if (fault) {
      fault.remaining -= 1;
      if (fault.remaining <= 0) faults.splice(index, 1);
      if (fault.delayMs) await sleep(fault.delayMs);
      if (fault.status !== undefined && fault.page !== undefined) {
        return { status: fault.status, headers: { 'content-type': 'text/html; charset=utf-8', ...fault.headers }, body: fault.page };
      }
      if (fault.status !== undefined) {
        return graphError(fault.status, fault.code ?? (fault.status === 429 ? 'TooManyRequests' : 'ServiceUnavailable'), fault.message ?? 'Injected fault.', { ...fault.headers });
      }
    }
    try {
      return await route(call);
    } catch (error) {
      if (error instanceof SyntaxError) return graphError(400, 'BadRequest', error.message);
      return graphError(500, 'InternalServerError', error instanceof Error ? error.message : String(error));
    }
  }

  function route(call: Call): Reply | Promise<Reply> {
    if (!parts) return graphError(503, 'ServiceUnavailable', 'starting');
    const path = call.url.pathname;
    if (!path.startsWith('/v1.0/')) return parts.identity.handle(call, path) ?? graphError(404, 'NotFound', `no route ${path}`);
    const token = /^Bearer (.+)$/.exec(call.headers['authorization'] ?? '')?.[1];
    if (!token || !parts.identity.isValidAccessToken(token, Date.now())) {
      return graphError(401, 'InvalidAuthenticationToken', 'Access token is empty or has expired.', { 'WWW-Authenticate': 'Bearer' });
    }
    const apiPath = path.slice('/v1.0'.length);
    if (apiPath === '/me' && call.method === 'GET') {
      return json(200, { id: user.oid, displayName: user.displayName, userPrincipalName: user.userPrincipalName, mail: user.mail });
    }
    if (apiPath === '/me/calendar' && call.method === 'GET') return json(200, { id: 'AAMkCalendarDefault', name: 'Calendar', canEdit: true });
    return (
      parts.calendar.handle(call, apiPath) ??
      parts.mail.handle(call, apiPath) ??
      graphError(400, 'Request_BadRequest', `Unsupported segment type in ${call.method} ${apiPath}`)
    );
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const origin = `https://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const apiRoot = `${origin}/v1.0`;
  parts = {
    apiRoot,
    identity: new Identity({ origin, clientId, user }),
    calendar: new Calendar(apiRoot, user.mail),
    mail: new Mail(apiRoot, { name: user.displayName, address: user.mail }),
  };
  const fetchLike = trustingFetch(cert);
  const { identity, calendar, mail } = parts;

  return {
    origin,
    apiRoot,
    authority: `${origin}/common`,
    clientId,
    user,
    ca: cert,
    fetch: fetchLike,
    log,
    identity,
    calendar,
    mail,
    async issueAccessToken() {
      // The device flow, approved at once: the server keeps no back door for tokens.
      const base = `${origin}/common/oauth2/v2.0`;
      const form = (fields: Record<string, string>): RequestInit => ({
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams(fields).toString(),
      });
      const device = (await (await fetchLike(`${base}/devicecode`, form({ client_id: clientId, scope: 'Calendars.Read' }))).json()) as {
        device_code: string;
        user_code: string;
      };
      identity.approve(device.user_code);
      const token = (await (
        await fetchLike(`${base}/token`, form({ client_id: clientId, grant_type: 'urn:ietf:params:oauth:grant-type:device_code', device_code: device.device_code }))
      ).json()) as { access_token: string };
      return token.access_token;
    },
    fault(fault) {
      faults.push({ ...fault, remaining: fault.times ?? 1 });
    },
    graphRequests() {
      return log.filter((entry) => entry.url.startsWith('/v1.0/'));
    },
    maxConcurrent() {
      return mostRunning;
    },
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** `Prefer: odata.maxpagesize=5, outlook.timezone="UTC"` → { odata.maxpagesize: 5, outlook.timezone: UTC }. */
function preferences(header: string | undefined): Map<string, string> {
  const found = new Map<string, string>();
  for (const part of (header ?? '').split(',')) {
    const [name, ...rest] = part.split('=');
    if (!name || name.trim() === '') continue;
    found.set(name.trim().toLowerCase(), rest.join('=').trim().replace(/^"(.*)"$/, '$1'));
  }
  return found;
}
