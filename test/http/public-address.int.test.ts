/**
 * The dashboard as a container runs it: listening on every interface (`dashboard.host: 0.0.0.0`),
 * opened by the browser at the address Docker publishes (`dashboard.publicUrl`), which reaches
 * the server with that address as its Host. Only that Host and Origin are accepted. `/healthz`
 * answers without the token, whatever the Host.
 */
import { request } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDashboard, type Dashboard } from '../../src/http/server.js';
import { startEngineHarness, type EngineHarness } from '../support/engine-harness.js';

const PUBLISHED = 'http://127.0.0.1:18080';

interface Answer {
  readonly status: number;
  readonly body: string;
  readonly headers: Record<string, string | string[] | undefined>;
}

/** A request with any Host and Origin (fetch does not allow setting Host). */
function send(options: { address?: string; port: number; method?: string; path: string; headers: Record<string, string> }): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = request(
      { host: options.address ?? '127.0.0.1', port: options.port, path: options.path, method: options.method ?? 'GET', headers: options.headers },
      (res) => {
        let body = '';
        res.on('data', (d: Buffer) => (body += d.toString()));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body, headers: res.headers }));
      },
    );
    req.on('error', reject);
    req.end();
  });
}

describe('dashboard behind a published port', () => {
  let h: EngineHarness;
  let dash: Dashboard;
  let token: string;

  beforeAll(async () => {
    h = await startEngineHarness({ extra: { dashboard: { host: '0.0.0.0', publicUrl: `${PUBLISHED}/` } } });
    dash = await startDashboard(h.runtime, h.engine, { port: 0 });
    token = new URL(dash.url).searchParams.get('token') ?? '';
  });
  afterAll(async () => {
    await dash?.close();
    await h?.stop();
  });

  it('prints the published address, and signs in there', async () => {
    expect(dash.url).toMatch(/^http:\/\/127\.0\.0\.1:18080\/\?token=[A-Za-z0-9_-]{43}$/);
    const signIn = await send({ port: dash.port, path: `/?token=${token}`, headers: { host: '127.0.0.1:18080' } });
    expect(signIn.status).toBe(303);
    const cookie = String(signIn.headers['set-cookie']).split(';')[0] ?? '';
    // The week lives under the session's secret path, where the sign-in sends the browser.
    const week = await send({ port: dash.port, path: String(signIn.headers.location), headers: { host: '127.0.0.1:18080', cookie } });
    expect(String(signIn.headers.location)).toMatch(/^\/s\/[A-Za-z0-9_-]{22}\/$/);
    expect(week.status).toBe(200);
  });

  it('refuses every other Host, the container\'s own port included', async () => {
    for (const host of [`127.0.0.1:${dash.port}`, `localhost:${dash.port}`, 'localhost:18080', 'evil.example:18080', '127.0.0.1']) {
      const answer = await send({ port: dash.port, path: `/?token=${token}`, headers: { host } });
      expect(answer.status, host).toBe(403);
      expect(answer.body).toContain('The dashboard answers at http://127.0.0.1:18080 only.');
    }
  });

  it('accepts a write from the published origin only', async () => {
    const post = (origin: string) =>
      send({ port: dash.port, method: 'POST', path: '/companies/Acme/clear', headers: { host: '127.0.0.1:18080', origin, 'content-type': 'application/x-www-form-urlencoded' } });
    // Past the origin check, the missing session cookie is what stops it.
    expect((await post(PUBLISHED)).status).toBe(401);
    for (const origin of [`http://127.0.0.1:${dash.port}`, 'http://evil.example', 'https://127.0.0.1:18080', 'null']) {
      const answer = await post(origin);
      expect(answer.status, origin).toBe(403);
      expect(answer.body).toContain('Changes can only be made from the dashboard’s own pages.');
    }
  });

  it('listens beyond 127.0.0.1, and answers /healthz without the token', async () => {
    // 127.0.0.2 is a loopback address too, but a server bound to 127.0.0.1 alone never sees it.
    const health = await send({ address: '127.0.0.2', port: dash.port, path: '/healthz', headers: { host: `127.0.0.1:${dash.port}` } });
    expect(health).toMatchObject({ status: 200, body: 'ok\n' });
    expect(health.headers['cache-control']).toBe('no-store');
  });
});

describe('dashboard with the default settings', () => {
  let h: EngineHarness;
  let dash: Dashboard;

  beforeAll(async () => {
    h = await startEngineHarness();
    dash = await startDashboard(h.runtime, h.engine, { port: 0 });
  });
  afterAll(async () => {
    await dash?.close();
    await h?.stop();
  });

  it('listens on 127.0.0.1 only, and answers /healthz', async () => {
    expect(dash.url).toMatch(new RegExp(`^http://127\\.0\\.0\\.1:${dash.port}/\\?token=`));
    await expect(send({ address: '127.0.0.2', port: dash.port, path: '/healthz', headers: {} })).rejects.toThrow(/ECONNREFUSED/);
    expect(await send({ port: dash.port, path: '/healthz', headers: {} })).toMatchObject({ status: 200, body: 'ok\n' });
  });
});
