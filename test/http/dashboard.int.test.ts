/**
 * The dashboard in a real headless Chromium, on a real engine (Redis, BullMQ workers, ics file,
 * Maildir): the token, the week view, the interview page and its "They didn't call" button down
 * to the no-show draft in the Maildir, live updates, hostile titles, the 401s and 403s, and the
 * first-run onboarding. Screenshots of each page go to test-artifacts/dashboard/.
 */
import { mkdir, mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { createServer, request, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DateTime } from 'luxon';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { createLogger } from '../../src/cli/io.js';
import { loadConfig } from '../../config/load.js';
import { buildEngine, closeEngine, openRuntime } from '../../src/daemon/runtime.js';
import { interviewIdFor } from '../../src/domain/ids.js';
import { startDashboard, type Dashboard } from '../../src/http/server.js';
import { getDashboardAddress } from '../../src/store/dashboard.js';
import { getInterview } from '../../src/store/interviews.js';
import { harnessCalendarToIcs } from '../providers/calendar/contract.js';
import { CANDIDATE, MINUTE, interviewEvent, startEngineHarness, type EngineHarness } from '../support/engine-harness.js';
import { testPrefix } from '../support/prefix.js';
import { counterpartZone } from '../../src/store/zones.js';

const ARTIFACTS = join('test-artifacts', 'dashboard');
const ZONE = CANDIDATE.timezone;
const HOSTILE_TITLE = 'Phone interview <script>window.__pwned = 1</script> & "Globex" <img src=x onerror="window.__pwned = 2">';

async function launch(): Promise<Browser> {
  return await chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-quic', '--no-first-run', '--disable-component-update', '--disable-sync'],
  });
}

async function shot(page: Page, name: string): Promise<void> {
  await page.screenshot({ path: join(ARTIFACTS, `${name}.png`), fullPage: true });
}

/**
 * Closes a test's side server at once. Chromium keeps connections open (keep-alive and sockets
 * it opens ahead of need, with no request on them); `close()` alone waits for each to end, which
 * can outlast the test.
 */
async function closeServer(server: Server): Promise<void> {
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
}

/** Waits for `promise`, or fails with `message` after `ms`. */
async function within<T>(ms: number, promise: Promise<T>, message: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(message)), ms)));
  try {
    return await Promise.race([promise, late]);
  } finally {
    clearTimeout(timer);
  }
}

/** A request with any Host header (fetch does not allow setting it). */
function rawGet(port: number, path: string, headers: Record<string, string>): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path, method: 'GET', headers }, (res) => {
      res.resume();
      resolve(res.statusCode ?? 0);
    });
    req.on('error', reject);
    req.end();
  });
}

let h: EngineHarness;
let dash: Dashboard;
let browser: Browser;
let context: BrowserContext;
let page: Page;
/** `http://127.0.0.1:<port>`: the dashboard's origin. */
let origin: string;
/** The origin and the session's secret path: where every page of the dashboard lives. */
let base: string;
const pageErrors: string[] = [];
let missedId: string;
let hostileId: string;

beforeAll(async () => {
  await mkdir(ARTIFACTS, { recursive: true });
  h = await startEngineHarness();
  const now = h.now();
  // Calendars keep whole seconds. The first call started 40 minutes ago: past T + wait and
  // T + giveUp, so no no-show draft is planned until the user says they did not call.
  const missedStart = Math.floor((now - 40 * MINUTE) / 1000) * 1000;
  await h.setEvents([
    interviewEvent({ uid: 'missed', start: missedStart }),
    interviewEvent({
      uid: 'hostile',
      start: Math.floor((now + 3 * 60 * MINUTE) / 1000) * 1000,
      title: HOSTILE_TITLE,
      organizer: { name: 'Lee Chen', email: 'lee@globex.example' },
      attendees: [
        { name: 'Ada Park', email: CANDIDATE.email, status: 'accepted' },
        { name: 'Lee Chen', email: 'lee@globex.example', status: 'accepted' },
      ],
    }),
  ]);
  missedId = interviewIdFor('cal', 'missed');
  hostileId = interviewIdFor('cal', 'hostile');
  // Synced before the workers start: their own first sync would otherwise race this one.
  const summary = await h.sync();
  await h.start();
  expect(summary.interviewsNew).toBe(2);
  await h.waitForAudit((r) => r.type === 'drafted' && r.interviewId === hostileId);

  dash = await startDashboard(h.runtime, h.engine, { port: 0 });
  origin = `http://127.0.0.1:${dash.port}`;
  base = `${origin}${new URL((await fetch(dash.url, { redirect: 'manual' })).headers.get('location') ?? '', origin).pathname.replace(/\/$/, '')}`;
  browser = await launch();
  context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  page = await context.newPage();
  page.on('console', (m) => {
    // bull-board links Google's web fonts, which the policy leaves blocked (see src/http/queues.ts).
    if (m.type() === 'error' && !m.text().includes('https://fonts.googleapis.com/')) pageErrors.push(`${page.url()}: ${m.text()}`);
  });
  page.on('pageerror', (e) => pageErrors.push(`${page.url()}: ${e.message}`));
});

afterAll(async () => {
  await browser?.close();
  await dash?.close();
  await h?.stop();
});

async function cookieHeader(): Promise<string> {
  const cookies = await context.cookies(base);
  return cookies.map((c) => `${c.name}=${c.value}`).join('; ');
}

describe('dashboard in Chromium', () => {
  it('opens with the token, shows the week, and "They didn\'t call" writes the no-show draft', async () => {
    expect(dash.url).toMatch(new RegExp(`^http://127\\.0\\.0\\.1:${dash.port}/\\?token=[A-Za-z0-9_-]{43}$`));
    expect((await getDashboardAddress(h.runtime.store))?.port).toBe(dash.port);

    await page.goto(dash.url);
    expect(page.url()).toBe(`${base}/`);
    expect(base).toMatch(new RegExp(`^${origin}/s/[A-Za-z0-9_-]{22}$`));
    const cookie = (await context.cookies(base)).find((c) => c.name === `ringback_${dash.port}`);
    expect(cookie?.httpOnly).toBe(true);
    expect(cookie?.sameSite).toBe('Strict');
    expect(cookie?.path).toBe(new URL(base).pathname);

    const interview = await getInterview(h.runtime.store, missedId);
    const week = (t: number) => DateTime.fromMillis(t, { zone: ZONE }).startOf('week').toISODate();
    if (week(interview?.start ?? 0) !== week(h.now())) await page.goto(`${base}/?week=${week(interview?.start ?? 0)}`);
    const block = page.locator(`a.iv[data-interview="${missedId}"]`);
    await block.waitFor();
    expect(await block.textContent()).toContain('Phone screen with Dana (Acme)');
    await page.locator('body[data-refreshed]').waitFor();
    await shot(page, 'week');
    await page.setViewportSize({ width: 390, height: 844 });
    expect(await block.isVisible()).toBe(true);
    await shot(page, 'week-phone');
    await page.setViewportSize({ width: 1280, height: 900 });

    await block.click();
    await page.waitForURL(`${base}/interviews/${missedId}`);
    expect(await page.locator('pre.brief').textContent()).toContain('Who dials: Dana Whitfield calls you.');
    expect(await page.locator('.history').textContent()).toContain('phone interview found');
    await shot(page, 'interview');

    const noshowId = `<ringback.${missedId}.noshow.1@example.org>`;
    expect((await h.folder('Drafts')).map((d) => d.mail.messageId)).not.toContain(noshowId);
    await page.getByRole('button', { name: 'They didn’t call' }).click();
    await page.waitForURL(`${base}/interviews/${missedId}?done=interviewer-no-show`);
    expect(await page.locator('.notice').textContent()).toContain('they did not call');

    await h.waitForAudit((r) => r.type === 'drafted' && r.interviewId === missedId);
    const drafts = await h.folder('Drafts');
    const noshow = drafts.find((d) => d.mail.messageId === noshowId);
    expect(noshow).toBeDefined();
    expect(noshow?.mail.to && !Array.isArray(noshow.mail.to) ? noshow.mail.to.text : '').toContain('dana@acme.example');
    expect((await getInterview(h.runtime.store, missedId))?.outcomeSource).toBe('dashboard');

    // The open page follows by itself (server-sent events): the draft appears as it stands in the Maildir.
    const body = page.locator('[data-email="noshow"] .mail-body');
    await body.waitFor({ timeout: 15_000 });
    expect((await body.textContent())?.replace(/\s+/g, ' ')).toContain((noshow?.mail.text ?? '').replace(/\s+/g, ' ').trim().slice(0, 40));
    await shot(page, 'interview-after-noshow');
  });

  it('renders a hostile title as text, never as markup', async () => {
    const headers = { cookie: await cookieHeader() };
    const raw = await (await fetch(`${base}/interviews/${hostileId}`, { headers })).text();
    expect(raw).toContain('&lt;script&gt;window.__pwned = 1&lt;/script&gt;');
    expect(raw).not.toContain('<script>window.__pwned');
    expect(raw).not.toContain('<img src=x');

    await page.goto(`${base}/interviews/${hostileId}`);
    expect(await page.locator('h1').textContent()).toContain('<script>window.__pwned = 1</script>');
    expect(await page.evaluate(() => (window as unknown as { __pwned?: number }).__pwned)).toBeUndefined();
    // The confirmation draft, read from the Maildir as it will be sent.
    const mail = page.locator('[data-email="confirmation"] .mail-body');
    await mail.waitFor();
    expect(await page.locator('[data-email="confirmation"] .mail-head').textContent()).toContain('lee@globex.example');
    await shot(page, 'interview-hostile');
    await page.goto(`${base}/`);
    expect(await page.evaluate(() => (window as unknown as { __pwned?: number }).__pwned)).toBeUndefined();
  });

  it('refuses requests without the token (401) and writes from another origin (403)', async () => {
    for (const path of ['/', `/interviews/${missedId}`, '/events', '/companies', '/accounts', '/queues', '/queues/api/queues', '/assets/app.js']) {
      expect((await fetch(`${base}${path}`, { redirect: 'manual' })).status, path).toBe(401);
      expect((await fetch(`${origin}${path}`, { redirect: 'manual' })).status, path).toBe(401);
    }
    expect((await fetch(`${origin}/?token=not-the-token`, { redirect: 'manual' })).status).toBe(401);
    const stale = `ringback_${dash.port}=abc.def`;
    expect((await fetch(`${base}/`, { headers: { cookie: stale } })).status).toBe(401);
    // A valid session cookie outside the secret path is refused too.
    expect((await fetch(`${origin}/interviews/${missedId}`, { headers: { cookie: await cookieHeader() } })).status).toBe(401);
    // Another host name pointed at 127.0.0.1 (DNS rebinding) gets nothing, even with the token.
    const token = new URL(dash.url).searchParams.get('token') ?? '';
    expect(await rawGet(dash.port, `/?token=${token}`, { host: `rebind.example:${dash.port}` })).toBe(403);
    // The redirect that drops the token stays on the dashboard, whatever the path looks like.
    const odd = await fetch(`${origin}//evil.example/companies?token=${token}&done=cleared`, { redirect: 'manual' });
    expect(odd.status).toBe(303);
    expect(odd.headers.get('location')).toBe(`${new URL(base).pathname}/companies?done=cleared`);

    const cookie = await cookieHeader();
    await page.goto(`${base}/interviews/${hostileId}`);
    const csrf = (await page.locator('input[name=_csrf]').first().getAttribute('value')) ?? '';
    expect(csrf).not.toBe('');
    const post = (headers: Record<string, string>, fields: Record<string, string>) =>
      fetch(`${base}/interviews/${hostileId}/outcome`, {
        method: 'POST',
        redirect: 'manual',
        headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers },
        body: new URLSearchParams(fields).toString(),
      });
    expect((await post({ origin }, { outcome: 'held', _csrf: csrf })).status).toBe(401);
    expect((await post({ cookie, origin: 'http://evil.example' }, { outcome: 'held', _csrf: csrf })).status).toBe(403);
    expect((await post({ cookie, 'sec-fetch-site': 'cross-site', origin }, { outcome: 'held', _csrf: csrf })).status).toBe(403);
    expect((await post({ cookie }, { outcome: 'held', _csrf: csrf })).status).toBe(403);
    expect((await post({ cookie, origin }, { outcome: 'held', _csrf: 'forged' })).status).toBe(403);
    expect((await post({ cookie, origin }, { outcome: 'held' })).status).toBe(403);
    expect((await getInterview(h.runtime.store, hostileId))?.outcome).toBeNull();

    // A real cross-origin form in the browser: another port on 127.0.0.1 is the same site (the
    // cookie goes along) but not the same origin. Even with the right CSRF token: 403.
    const evil: Server = createServer((_req, res) => {
      res.setHeader('content-type', 'text/html');
      res.end(
        `<form method="post" action="${base}/interviews/${hostileId}/outcome"><input name="_csrf" value="${csrf}"><input name="outcome" value="held"><button id="go">go</button></form>`,
      );
    });
    await new Promise<void>((resolve) => evil.listen(0, '127.0.0.1', resolve));
    try {
      const address = evil.address();
      await page.goto(`http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}/`);
      const [response] = await Promise.all([page.waitForResponse((r) => r.url().endsWith('/outcome')), page.click('#go')]);
      expect(response.status()).toBe(403);
    } finally {
      await closeServer(evil);
    }
    expect((await getInterview(h.runtime.store, hostileId))?.outcome).toBeNull();

    // The same form from the dashboard's own page works.
    await page.goto(`${base}/interviews/${hostileId}`);
    await page.getByRole('button', { name: 'It happened' }).click();
    await page.waitForURL(`${base}/interviews/${hostileId}?done=held`);
    expect((await getInterview(h.runtime.store, hostileId))?.outcome).toBe('held');
  });

  it('never lets a server on another local port receive a usable session', async () => {
    // Cookies are not scoped by port: a page on 127.0.0.1:<other> that the user opens gets every
    // cookie of 127.0.0.1 whose Path matches. It records what it receives, then replays it here.
    const received: string[] = [];
    let stolen = 0;
    let seen: () => void = () => undefined;
    const other: Server = createServer((req, res) => {
      received.push(req.headers.cookie ?? '');
      if (req.url === '/steal') {
        stolen++;
        seen();
      }
      res.setHeader('content-type', 'text/html');
      res.end(`<script>fetch('/steal', { credentials: 'include' });</script>`);
    });
    await new Promise<void>((resolve) => other.listen(0, '127.0.0.1', resolve));
    try {
      const address = other.address();
      const otherOrigin = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
      expect((await context.cookies(base)).some((c) => c.name === `ringback_${dash.port}`)).toBe(true);
      for (const path of ['/', `/interviews/${missedId}`, '/s/']) {
        const arrived = new Promise<void>((resolve) => (seen = resolve));
        await page.goto(`${otherOrigin}${path}`);
        await within(10_000, arrived, `the page at ${path} on the other port never fetched /steal`);
      }
      expect(stolen).toBe(3);
      expect(received.length).toBeGreaterThanOrEqual(6);
      expect(received.filter((c) => c.includes('ringback_'))).toEqual([]);
      // Whatever it got, replayed with the dashboard's own Host and Origin, opens nothing.
      for (const cookie of received) {
        const replay = await fetch(`${origin}/interviews/${missedId}`, { headers: { cookie, origin, 'sec-fetch-site': 'same-origin' }, redirect: 'manual' });
        expect(replay.status).toBe(401);
      }
    } finally {
      // Leave the other server's page before closing it: Chromium may still ask it for something
      // (a favicon), and that refused request would be logged as an error of the next test's page.
      await page.goto('about:blank');
      await closeServer(other);
    }
  });

  it('shows companies, accounts and the queues, with strict security headers', async () => {
    const response = await page.goto(`${base}/companies`);
    const csp = response?.headers()['content-security-policy'] ?? '';
    expect(csp).toContain("script-src 'self'");
    expect(csp).toContain("style-src 'self'");
    expect(csp).not.toContain('unsafe-inline');
    const acme = page.locator('[data-company="acme.example"]');
    expect(await acme.textContent()).toContain('they did not call');
    await shot(page, 'companies');
    await acme.getByRole('button', { name: /Clear|Forget/ }).click();
    await page.waitForURL(/\/companies\?done=cleared/);
    expect(await page.locator('[data-company="acme.example"]').textContent()).toContain('no missed calls');
    expect((await h.audit()).some((r) => r.type === 'escalation' && r.message.includes('acme.example: pattern flag cleared'))).toBe(true);

    // Their time zone: a typo is refused with a suggestion, a real zone is kept and shown.
    await page.locator('[data-company="acme.example"] input[name="zone"]').fill('America/Los_Angles');
    await page.locator('[data-company="acme.example"]').getByRole('button', { name: 'Save' }).click();
    expect(await page.locator('body').textContent()).toContain('America/Los_Angeles');
    await page.goto(`${base}/companies`);
    await page.locator('[data-company="acme.example"] input[name="zone"]').fill('America/Los_Angeles');
    await page.locator('[data-company="acme.example"]').getByRole('button', { name: 'Save' }).click();
    await page.waitForURL(/\/companies\?done=zone-set/);
    expect(await page.locator('[data-company="acme.example"] input[name="zone"]').inputValue()).toBe('America/Los_Angeles');
    expect(await counterpartZone(h.runtime.store, { email: 'x@acme.example', company: 'acme.example' })).toBe('America/Los_Angeles');

    await page.goto(`${base}/accounts`);
    expect(await page.locator('[data-account="cal"]').textContent()).toContain('Last sync');
    expect(await page.locator('[data-account="mail"]').textContent()).toContain('ringback connect maildir');
    await shot(page, 'accounts');

    const queues = await page.goto(`${base}/queues`);
    expect(queues?.status()).toBe(200);
    expect(queues?.headers()['content-security-policy']).toContain("script-src 'self'");
    // bull-board's React page ran (its scripts passed the policy) and read both queues through its API.
    await page.getByText(/^\d+ Jobs?$/).nth(1).waitFor({ timeout: 15_000 });
    expect(await page.locator('body').innerText()).toContain('sync');
    await shot(page, 'queues');

    // Chromium logs the refused cross-origin form of the test above as an error: that one is expected.
    expect(pageErrors.filter((e) => !/\/outcome: Failed to load resource: .*403/.test(e))).toEqual([]);
  });
});

describe('first run', () => {
  it('offers the onboarding forms and writes the accounts into ringback.yaml', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'ringback-onboarding-'));
    const file = join(dir, 'ringback.yaml');
    await writeFile(
      file,
      [
        `candidate: { name: Ada Park, email: ada@example.org, phone: "+1 415 555 0100", timezone: ${ZONE} }`,
        `redis: ${JSON.stringify(inject('redisUrl'))}`,
        `dataDir: ${JSON.stringify(join(dir, 'data'))}`,
        `prefix: ${testPrefix('onboarding')}`,
        '',
      ].join('\n'),
    );
    await writeFile(join(dir, 'calendar.ics'), harnessCalendarToIcs([]));
    const runtime = await openRuntime(await loadConfig({ file, env: {}, cwd: dir }), { secretKeyEnv: '11'.repeat(32), log: createLogger('silent') });
    const { engine } = await buildEngine(runtime);
    const first = await startDashboard(runtime, engine, { port: 0 });
    const own = await browser.newPage();
    try {
      await own.goto(first.url);
      expect(own.url()).toMatch(new RegExp(`^http://127\\.0\\.0\\.1:${first.port}/s/[A-Za-z0-9_-]{22}/onboarding$`));
      const ownBase = own.url().replace(/\/onboarding$/, '');
      await shot(own, 'onboarding');

      await own.locator('form[action$="/onboarding/calendar"] input[name=path]').fill('calendar.ics');
      await own.locator('form[action$="/onboarding/calendar"] button').click();
      await own.waitForURL(/done=calendar-added/);
      await own.locator('form[action$="/onboarding/mailbox"] input[name=path]').fill('mail');
      await own.locator('form[action$="/onboarding/mailbox"] button').click();
      await own.waitForURL(/done=mailbox-added/);
      expect(await own.locator('main').textContent()).toContain('Restart');
      await shot(own, 'onboarding-done');

      const written = await loadConfig({ file, env: {}, cwd: dir });
      expect(written.calendars).toEqual([expect.objectContaining({ type: 'ics', path: join(dir, 'calendar.ics') })]);
      expect(written.mailbox).toEqual(expect.objectContaining({ type: 'maildir', path: join(dir, 'mail') }));
      expect((await stat(join(dir, 'mail', 'cur'))).isDirectory()).toBe(true);
      expect(await readFile(file, 'utf8')).toContain('candidate:');

      await own.locator('form[action$="/onboarding/calendar"] input[name=path]').fill('missing.ics');
      await own.locator('form[action$="/onboarding/calendar"] button').click();
      expect(await own.locator('.error').textContent()).toContain('no such file');

      await own.goto(`${ownBase}/oauth/google/callback?code=secret-code-123&state=s`);
      expect(await own.locator('main').textContent()).toContain('ringback connect google');
      expect(await own.content()).not.toContain('secret-code-123');
      await shot(own, 'google-callback');
    } finally {
      await own.close();
      await first.close();
      expect(await getDashboardAddress(runtime.store)).toBeNull();
      await closeEngine(engine);
      await runtime.close();
      await rm(dir, { recursive: true, force: true });
    }
  });
});
