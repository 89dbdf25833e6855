/**
 * Starts a real Radicale (Debian `radicale`) for tests: a free port, a private temp folder, an
 * htpasswd file with one user, `owner_only` rights. Calendars are created and filled over CalDAV
 * (MKCALENDAR, PUT), as a calendar client would.
 *
 * `startEtagOnlyProxy` puts a small HTTP proxy in front of it that hides RFC 6578 sync-collection,
 * so that the adapter's ETag fallback runs against the same real server. `startFaultProxy` passes
 * everything through until a test tells it to answer some requests itself (a captive portal's
 * sign-in page, a proxy's error page).
 */
import { spawn, execFile, execFileSync, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer, request as httpRequest, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { freePort } from './redis-server.js';

export interface TestRadicale {
  /** Server root, e.g. `http://127.0.0.1:5232/`. */
  readonly url: string;
  readonly username: string;
  readonly password: string;
  /** Radicale's `filesystem_folder`. */
  readonly storageDir: string;
  /** `radicale --version`, e.g. `3.1.8`. */
  readonly version: string;
  /** Creates a calendar collection under the user's home; returns its URL (with a trailing slash). */
  makeCalendar(name: string, displayName?: string): Promise<string>;
  /** PUTs an iCalendar object; returns the object URL. */
  putObject(calendarUrl: string, fileName: string, ics: string): Promise<string>;
  deleteObject(objectUrl: string): Promise<void>;
  /** Deletes the sync-token cache of every collection, as a server that forgot its tokens. */
  forgetSyncTokens(): Promise<void>;
  stop(): Promise<void>;
}

const run = promisify(execFile);

async function waitForHttp(url: string, deadlineMs: number): Promise<void> {
  const until = Date.now() + deadlineMs;
  for (;;) {
    const ok = await fetch(url, { method: 'OPTIONS' }).then(
      () => true,
      () => false,
    );
    if (ok) return;
    if (Date.now() > until) throw new Error(`radicale did not answer on ${url}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

export async function radicaleVersion(): Promise<string> {
  const { stdout } = await run('radicale', ['--version']);
  return stdout.trim();
}

/** For test names, so that the output says which Radicale ran. */
export function radicaleVersionSync(): string {
  return execFileSync('radicale', ['--version'], { encoding: 'utf8' }).trim();
}

export async function startRadicale(): Promise<TestRadicale> {
  const dir = await mkdtemp(join(tmpdir(), 'ringback-radicale-'));
  const storageDir = join(dir, 'collections');
  const port = await freePort();
  const username = 'ada';
  const password = `pw-${Math.random().toString(36).slice(2)}`;
  await writeFile(join(dir, 'users'), `${username}:${password}\n`);
  await writeFile(
    join(dir, 'config'),
    [
      '[server]',
      `hosts = 127.0.0.1:${port}`,
      '[auth]',
      'type = htpasswd',
      `htpasswd_filename = ${join(dir, 'users')}`,
      'htpasswd_encryption = plain',
      'delay = 0',
      '[storage]',
      `filesystem_folder = ${storageDir}`,
      '[rights]',
      'type = owner_only',
      '[web]',
      'type = none',
      '[logging]',
      'level = error',
      'mask_passwords = True',
      '',
    ].join('\n'),
  );
  const version = await radicaleVersion();
  const child: ChildProcess = spawn('radicale', ['--config', join(dir, 'config')], { stdio: 'ignore' });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.once('error', (error) => {
    throw new Error(`could not start radicale (apt-get install radicale): ${error.message}`);
  });
  const url = `http://127.0.0.1:${port}/`;
  await waitForHttp(url, 15_000);

  const auth = `Basic ${Buffer.from(`${username}:${password}`).toString('base64')}`;
  const call = async (method: string, target: string, body?: string, headers: Record<string, string> = {}) => {
    const response = await fetch(target, { method, body, headers: { authorization: auth, ...headers } });
    const text = await response.text();
    if (!response.ok) throw new Error(`${method} ${target} → ${response.status} ${text.slice(0, 300)}`);
    return text;
  };

  return {
    url,
    username,
    password,
    storageDir,
    version,
    async makeCalendar(name, displayName = name) {
      const target = `${url}${username}/${name}/`;
      await call(
        'MKCALENDAR',
        target,
        `<?xml version="1.0" encoding="utf-8"?>
<C:mkcalendar xmlns:D="DAV:" xmlns:C="urn:ietf:params:xml:ns:caldav">
  <D:set><D:prop><D:displayname>${displayName}</D:displayname>
  <C:supported-calendar-component-set><C:comp name="VEVENT"/></C:supported-calendar-component-set>
  </D:prop></D:set>
</C:mkcalendar>`,
        { 'content-type': 'application/xml; charset=utf-8' },
      );
      return target;
    },
    async putObject(calendarUrl, fileName, ics) {
      const target = `${calendarUrl}${fileName}`;
      await call('PUT', target, ics, { 'content-type': 'text/calendar; charset=utf-8' });
      return target;
    },
    async deleteObject(objectUrl) {
      await call('DELETE', objectUrl);
    },
    async forgetSyncTokens() {
      // Radicale keeps one file per token under `.Radicale.cache/sync-token` of each collection.
      await run('find', [storageDir, '-type', 'd', '-name', 'sync-token', '-prune', '-exec', 'rm', '-rf', '{}', '+']);
    },
    async stop() {
      if (child.exitCode === null && child.signalCode === null) {
        child.kill('SIGTERM');
        await exited;
      }
      await rm(dir, { recursive: true, force: true });
    },
  };
}

export interface EtagOnlyProxy {
  readonly url: string;
  /** How many sync-collection REPORTs it refused. */
  readonly refusedSyncReports: number;
  stop(): Promise<void>;
}

/**
 * An HTTP proxy to `target` that behaves like a CalDAV server without RFC 6578: it removes
 * `sync-collection` from `supported-report-set`, drops `sync-token` properties, and answers a
 * sync-collection REPORT with 501 Not Implemented.
 */
export async function startEtagOnlyProxy(target: string): Promise<EtagOnlyProxy> {
  const proxy = await startFaultProxy(target);
  let refused = 0;
  proxy.fault = (method, body) => {
    if (method !== 'REPORT' || !body.includes('sync-collection')) return null;
    refused += 1;
    return { status: 501, headers: { 'content-type': 'text/plain' }, body: 'sync-collection not implemented' };
  };
  proxy.rewrite = (method, _body, answer) =>
    method === 'PROPFIND'
      ? answer
          .replace(/<(\w+:)?report>\s*<(\w+:)?sync-collection\s*\/>\s*<\/(\w+:)?report>/g, '')
          .replace(/<(\w+:)?supported-report>\s*<\/(\w+:)?supported-report>/g, '')
          .replace(/<(\w+:)?sync-token>[^<]*<\/(\w+:)?sync-token>/g, '')
      : answer;
  return {
    url: proxy.url,
    get refusedSyncReports() {
      return refused;
    },
    stop: () => proxy.stop(),
  };
}

/** What the fault proxy answers in the server's place, or null to pass the request through. */
export type FaultAnswer = { readonly status: number; readonly headers?: Record<string, string>; readonly body: string } | null;

export interface FaultProxy {
  readonly url: string;
  /** Decides, per request (`path`: its path and query), whether the proxy answers it itself. */
  fault: (method: string, body: string, path: string) => FaultAnswer;
  /** Rewrites the server's answer to a request passed through (identity by default). */
  rewrite: (method: string, body: string, answer: string) => string;
  /** Rewrites a request's body before it is passed through (identity by default). */
  rewriteRequest: (method: string, body: string) => string;
  stop(): Promise<void>;
}

/**
 * An HTTP proxy to `target` that passes every request through, except those `fault` answers: a
 * network in the way (a hotel's captive portal, a company proxy) answering the server's address
 * with a page of its own.
 */
export async function startFaultProxy(target: string): Promise<FaultProxy> {
  const upstream = new URL(target);
  const port = await freePort();
  const proxy: FaultProxy = {
    url: `http://127.0.0.1:${port}/`,
    fault: () => null,
    rewrite: (_method, _body, answer) => answer,
    rewriteRequest: (_method, body) => body,
    stop: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const sent = Buffer.concat(chunks).toString('utf8');
      const body = Buffer.from(proxy.rewriteRequest(req.method ?? 'GET', sent), 'utf8');
      const answer = proxy.fault(req.method ?? 'GET', body.toString('utf8'), req.url ?? '/');
      if (answer) {
        res.writeHead(answer.status, answer.headers ?? {}).end(answer.body);
        return;
      }
      const headers = { ...req.headers, host: upstream.host, 'content-length': String(body.length) };
      delete headers['transfer-encoding'];
      // Ask for an uncompressed answer: the proxy may rewrite the body.
      delete headers['accept-encoding'];
      const forward = httpRequest({ host: upstream.hostname, port: upstream.port, method: req.method, path: req.url, headers }, (up) => {
        const parts: Buffer[] = [];
        up.on('data', (chunk: Buffer) => parts.push(chunk));
        up.on('end', () => {
          const text = proxy.rewrite(req.method ?? 'GET', body.toString('utf8'), Buffer.concat(parts).toString('utf8'));
          const outHeaders = { ...up.headers };
          delete outHeaders['content-length'];
          delete outHeaders['transfer-encoding'];
          res.writeHead(up.statusCode ?? 502, outHeaders).end(text);
        });
      });
      forward.on('error', (error) => res.writeHead(502).end(error.message));
      forward.end(body);
    });
  });
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  return proxy;
}
