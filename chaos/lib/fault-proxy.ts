/**
 * An HTTP proxy in front of a provider's API that makes a share of the calls fail, the ways real
 * APIs fail: 500, 503, 429 with Retry-After, a request that never gets an answer (the client's
 * timeout fires), and a connection reset either before the request reaches the server or after
 * the server carried it out (the client cannot tell whether it happened). Every request is logged
 * with its arrival time, so that Retry-After can be checked afterwards.
 */
import { createHash } from 'node:crypto';
import { createServer, request as httpRequest, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export type FaultKind = '500' | '503' | '429' | 'timeout' | 'reset-before' | 'reset-after';

export interface ProxiedRequest {
  readonly at: number;
  readonly method: string;
  readonly path: string;
  readonly query: string;
  /** sha256 of the body: with method, path and query it tells a retried request. */
  readonly bodyHash: string;
  readonly fault: FaultKind | null;
  /** Seconds, for a 429. */
  readonly retryAfter: number | null;
}

export interface FaultProxy {
  readonly url: string;
  readonly requests: readonly ProxiedRequest[];
  /** Share of matching requests that fail, 0 to 1. */
  rate: number;
  close(): Promise<void>;
}

export interface FaultProxyOptions {
  readonly target: string;
  readonly rate: number;
  /** Only requests whose path matches may fail. */
  readonly faultable: RegExp;
  /** How long a `timeout` request is held before its socket is closed (longer than the client's timeout). */
  readonly holdMs: number;
  readonly kinds?: readonly FaultKind[];
}

const ALL: readonly FaultKind[] = ['500', '503', '429', 'timeout', 'reset-before', 'reset-after'];

function googleError(status: number, reason: string, message: string): string {
  return JSON.stringify({ error: { code: status, message, errors: [{ domain: 'global', reason, message }], status: reason } });
}

export async function startFaultProxy(options: FaultProxyOptions): Promise<FaultProxy> {
  const target = new URL(options.target);
  const requests: ProxiedRequest[] = [];
  const kinds = options.kinds ?? ALL;
  const held = new Set<IncomingMessage>();
  let rate = options.rate;

  const forward = (incoming: IncomingMessage, body: Buffer): Promise<{ status: number; headers: Record<string, string | string[]>; body: Buffer }> =>
    new Promise((resolve, reject) => {
      const upstream = httpRequest(
        { host: target.hostname, port: target.port, method: incoming.method, path: incoming.url, headers: { ...incoming.headers, host: target.host } },
        (response) => {
          const chunks: Buffer[] = [];
          response.on('data', (chunk: Buffer) => chunks.push(chunk));
          response.on('end', () => {
            const headers: Record<string, string | string[]> = {};
            for (const [name, value] of Object.entries(response.headers)) if (value !== undefined) headers[name] = value;
            resolve({ status: response.statusCode ?? 502, headers, body: Buffer.concat(chunks) });
          });
          response.on('error', reject);
        },
      );
      upstream.on('error', reject);
      upstream.end(body);
    });

  const handle = async (incoming: IncomingMessage, response: ServerResponse): Promise<void> => {
    const chunks: Buffer[] = [];
    for await (const chunk of incoming) chunks.push(chunk as Buffer);
    const body = Buffer.concat(chunks);
    const url = new URL(incoming.url ?? '/', 'http://proxy');
    const faultable = options.faultable.test(url.pathname);
    const fault = faultable && Math.random() < rate ? (kinds[Math.floor(Math.random() * kinds.length)] as FaultKind) : null;
    const retryAfter = fault === '429' ? 1 + Math.floor(Math.random() * 4) : null;
    requests.push({
      at: Date.now(),
      method: incoming.method ?? 'GET',
      path: url.pathname,
      query: url.search,
      bodyHash: createHash('sha256').update(body).digest('hex').slice(0, 16),
      fault,
      retryAfter,
    });
    switch (fault) {
      case '500':
      case '503':
        response.writeHead(Number(fault), { 'content-type': 'application/json' });
        response.end(googleError(Number(fault), 'backendError', 'injected failure'));
        return;
      case '429':
        response.writeHead(429, { 'content-type': 'application/json', 'retry-after': String(retryAfter) });
        response.end(googleError(429, 'rateLimitExceeded', 'Rate Limit Exceeded'));
        return;
      case 'timeout':
        held.add(incoming);
        setTimeout(() => {
          held.delete(incoming);
          incoming.socket.destroy();
        }, options.holdMs);
        return;
      case 'reset-before':
        incoming.socket.destroy();
        return;
      case 'reset-after':
        await forward(incoming, body);
        incoming.socket.destroy();
        return;
      case null: {
        const answer = await forward(incoming, body);
        response.writeHead(answer.status, answer.headers);
        response.end(answer.body);
      }
    }
  };

  const server = createServer((incoming, response) => {
    handle(incoming, response).catch((error: unknown) => {
      // The upstream failed (a bug of the fake): answer 502 with why, so that the run shows it.
      if (!response.headersSent) response.writeHead(502, { 'content-type': 'text/plain' });
      response.end(`fault proxy: ${error instanceof Error ? error.message : String(error)}`);
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/`,
    requests,
    get rate() {
      return rate;
    },
    set rate(value: number) {
      rate = value;
    },
    async close() {
      for (const incoming of held) incoming.socket.destroy();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/**
 * Requests repeated before the Retry-After of the 429 that answered them had passed: the same
 * method, path, query and body sent again too early. Also counts every other call to the same API
 * (Calendar or Gmail) of the account that arrived during a Retry-After wait, later than
 * `toleranceMs` after the 429 (a call already on its way when the 429 left is not a violation).
 */
export function retryAfterViolations(
  requests: readonly ProxiedRequest[],
  toleranceMs = 50,
): { checked: number; early: string[]; callsDuringWait: number } {
  const early: string[] = [];
  let checked = 0;
  let callsDuringWait = 0;
  const apiOf = (path: string) => path.split('/')[1];
  requests.forEach((r, i) => {
    if (r.fault !== '429' || r.retryAfter === null) return;
    const until = r.at + r.retryAfter * 1000;
    callsDuringWait += requests.filter((n, j) => j > i && apiOf(n.path) === apiOf(r.path) && n.at > r.at + toleranceMs && n.at + toleranceMs < until).length;
    const next = requests.slice(i + 1).find((n) => n.method === r.method && n.path === r.path && n.query === r.query && n.bodyHash === r.bodyHash);
    if (!next) return;
    checked += 1;
    const waited = next.at - r.at;
    if (waited + toleranceMs < r.retryAfter * 1000) early.push(`${r.method} ${r.path}: retried after ${waited} ms, Retry-After was ${r.retryAfter} s`);
  });
  return { checked, early, callsDuringWait };
}
