/**
 * A CalDAV server behind an HTTPS reverse proxy whose service discovery sends clients to plain
 * http: Nextcloud answering `https://cloud.foo.com/.well-known/caldav` with "301 … location:
 * http://cloud.foo.com/remote.php/dav/" (nextcloud/docker#2437,
 * https://github.com/nextcloud/docker/issues/2437; the same from NixOS's nginx rules,
 * NixOS/nixpkgs#113155, and NethServer/dev#8043), or with the proxy's inside port,
 * "http://my.domain.com:8080/…" (nextcloud/server#30854). tsdav takes the Location as it is and
 * sent every request after it, the app password in its Basic Authorization included, over plain
 * http. Now a redirect from the https address the user gave to http on the same host is followed
 * over https on the address's own port (where the proxy serves it), and one to http on another host
 * is refused before anything is sent.
 *
 * Real Radicale behind a local HTTPS front (self-signed, trusted by this test process's fetch) that
 * answers discovery as those servers do; a plain-http listener records whatever reaches it.
 */
import { randomUUID } from 'node:crypto';
import { createServer as createHttpServer, request as httpRequest, type Server } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { generate } from 'selfsigned';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { fixFor } from '../../../src/engine/account-fix.js';
import { AccountUnusableError, AuthError } from '../../../src/providers/errors.js';
import { createCaldavSource, discoverCaldavCalendars } from '../../../src/providers/calendar/caldav.js';
import type { CalendarConfig } from '../../../config/types.js';
import { trustForThisProcess } from '../../support/graph-server/trust.js';
import { startRadicale, type TestRadicale } from '../../support/radicale.js';
import { syncAll } from './contract.js';

let radicale: TestRadicale;
let untrust: () => Promise<void>;
let pems: { private: string; cert: string };
beforeAll(async () => {
  radicale = await startRadicale();
  pems = await generate([{ name: 'commonName', value: 'localhost' }], {
    keySize: 2048,
    notAfterDate: new Date(Date.now() + 7 * 86_400_000),
    extensions: [{ name: 'subjectAltName', altNames: [{ type: 2, value: 'localhost' }] }],
  } as Parameters<typeof generate>[1]);
  untrust = await trustForThisProcess(pems.cert);
});
afterAll(async () => {
  await untrust();
  await radicale.stop();
});

const servers: Server[] = [];
afterEach(async () => {
  for (const server of servers.splice(0)) {
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }
});

const listen = async (server: Server, host: string): Promise<number> => {
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, host, resolve));
  return (server.address() as AddressInfo).port;
};

/** Plain http on 127.0.0.1, as a proxy's port 80 or its inside port: records each request's path and whether it carried a password. */
async function plainListener(): Promise<{ port: number; heard: { path: string; authorization: boolean }[] }> {
  const heard: { path: string; authorization: boolean }[] = [];
  const port = await listen(
    createHttpServer((req, res) => {
      heard.push({ path: req.url ?? '/', authorization: req.headers.authorization !== undefined });
      req.resume();
      res.writeHead(401, { 'www-authenticate': 'Basic realm="plain"' }).end();
    }),
    '127.0.0.1',
  );
  return { port, heard };
}

/** The HTTPS front on localhost: discovery answered with `location`, everything else passed to Radicale (but `/` when `rootIsPage`). */
async function httpsFront(location: (port: number) => string, rootIsPage = false): Promise<string> {
  const upstream = new URL(radicale.url);
  let port = 0;
  const server = createHttpsServer({ key: pems.private, cert: pems.cert }, (req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      if ((req.url ?? '').startsWith('/.well-known/caldav')) {
        res.writeHead(301, { location: location(port), 'content-type': 'text/html; charset=iso-8859-1' }).end();
        return;
      }
      if (rootIsPage && req.url === '/') {
        res.writeHead(405, { 'content-type': 'text/html' }).end('<html><body>Method Not Allowed</body></html>');
        return;
      }
      const body = Buffer.concat(chunks);
      const headers = { ...req.headers, host: upstream.host, 'content-length': String(body.length) };
      const forward = httpRequest({ host: upstream.hostname, port: upstream.port, method: req.method, path: req.url, headers }, (up) => {
        res.writeHead(up.statusCode ?? 502, up.headers);
        up.pipe(res);
      });
      forward.on('error', (error) => res.writeHead(502).end(error.message));
      forward.end(body);
    });
  });
  port = await listen(server as unknown as Server, 'localhost');
  return `https://localhost:${port}/`;
}

const account = (url: string) => ({ url, username: radicale.username, password: radicale.password });

describe('a CalDAV server whose discovery sends ringback from https to plain http', () => {
  it('to http on the same host: followed over https on the address\'s own port; nothing reaches plain http, and the calendar is read', async () => {
    const plain = await plainListener();
    const front = await httpsFront(() => `http://localhost:${plain.port}/`);
    const calendar = await radicale.makeCalendar(`cal-${randomUUID().slice(0, 8)}`, 'Job hunt');
    const start = new Date(Date.now() + 86_400_000);
    const stamp = (date: Date) => date.toISOString().replace(/[-:]/g, '').replace(/\.\d{3}/, '');
    await radicale.putObject(calendar, 'call.ics', [
      'BEGIN:VCALENDAR', 'VERSION:2.0', 'PRODID:-//test//EN', 'BEGIN:VEVENT', 'UID:call-1', `DTSTAMP:${stamp(new Date())}`,
      `DTSTART:${stamp(start)}`, `DTEND:${stamp(new Date(start.getTime() + 1_800_000))}`, 'SUMMARY:Phone screen', 'END:VEVENT', 'END:VCALENDAR', '',
    ].join('\r\n'));
    const found = await discoverCaldavCalendars(account(front));
    const named = found.find((entry) => entry.displayName === 'Job hunt');
    expect(named?.url.startsWith(front)).toBe(true);
    expect(plain.heard).toEqual([]);
    const source = createCaldavSource({ id: 'caldav-test', ...account(front), calendars: [], horizonDays: 30, now: Date.now });
    try {
      const result = await syncAll(source, null);
      expect(result.upserts.map((event) => event.title)).toContain('Phone screen');
    } finally {
      await source.close();
    }
    expect(plain.heard).toEqual([]);
  });

  it('to http on another host, the address given being a DAV root too: read through the address given; nothing reaches plain http', async () => {
    const plain = await plainListener();
    const front = await httpsFront(() => `http://127.0.0.1:${plain.port}/remote.php/dav/`);
    const found = await discoverCaldavCalendars(account(front));
    expect(found.every((entry) => entry.url.startsWith(front))).toBe(true);
    expect(plain.heard).toEqual([]);
  });

  it('to http on another host, and no other way in: refused before anything is sent, with the server\'s fix', async () => {
    const plain = await plainListener();
    // The front's own root is no DAV resource (a web server's page), as a Nextcloud's root is not.
    const front = await httpsFront(() => `http://127.0.0.1:${plain.port}/remote.php/dav/`, true);
    const failure = await discoverCaldavCalendars(account(front)).then(() => null, (error: unknown) => error);
    expect(failure).toBeInstanceOf(AccountUnusableError);
    expect((failure as Error).message).toContain(`http://127.0.0.1:${plain.port}/remote.php/dav/`);
    expect((failure as Error).message).not.toContain(radicale.password);
    const config = { type: 'caldav', id: 'work', url: front } as unknown as CalendarConfig;
    expect(fixFor(config, 'unusable', failure)).toMatch(/https/);
    expect(fixFor(config, 'unusable', failure)).not.toMatch(/folders/);
    expect(plain.heard).toEqual([]);
  });

  it('to http on another host, the address given being a DAV root that refuses the password: the refused login is said, not the redirect', async () => {
    const plain = await plainListener();
    const front = await httpsFront(() => `http://127.0.0.1:${plain.port}/remote.php/dav/`);
    const failure = await discoverCaldavCalendars({ ...account(front), password: 'not-the-password' }).then(() => null, (error: unknown) => error);
    expect(failure).toBeInstanceOf(AuthError);
    expect(plain.heard).toEqual([]);
  });
});
