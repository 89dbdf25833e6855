/**
 * The `caldav` source against a real Radicale: calendars made with MKCALENDAR, events PUT as
 * .ics, as a calendar client does. The contract suite runs unchanged; then what CalDAV adds:
 * discovery, sync tokens the server forgot, servers without sync-collection (ETag fallback,
 * through a proxy that hides it), objects the server stores but that make no event, free/busy,
 * and the typed errors for a wrong password and a failing server.
 */
import { randomUUID } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCaldavSource, discoverCaldavCalendars, type CaldavSourceOptions } from '../../../src/providers/calendar/caldav.js';
import { AuthError, PermanentError, RateLimitError, TransientError } from '../../../src/providers/errors.js';
import { freePort } from '../../support/redis-server.js';
import { radicaleVersionSync, startEtagOnlyProxy, startFaultProxy, startRadicale, type FaultAnswer, type TestRadicale } from '../../support/radicale.js';
import { describeCalendarContract, harnessCalendarToIcs, syncAll, type CalendarHarness, type HarnessEvent } from './contract.js';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

let radicale: TestRadicale;
beforeAll(async () => {
  radicale = await startRadicale();
});
afterAll(async () => {
  await radicale.stop();
});

const fileOf = (uid: string): string => `${encodeURIComponent(uid)}.ics`;

function sourceOptions(overrides: Partial<CaldavSourceOptions> = {}): CaldavSourceOptions {
  return {
    id: 'caldav-test',
    url: radicale.url,
    username: radicale.username,
    password: radicale.password,
    calendars: [],
    horizonDays: 30,
    now: Date.now,
    ...overrides,
  };
}

/** A calendar of its own for one test, and a source that syncs only it. */
async function makeHarness(): Promise<CalendarHarness> {
  const calendar = await radicale.makeCalendar(`cal-${randomUUID().slice(0, 8)}`);
  const source = createCaldavSource(sourceOptions({ calendars: [calendar] }));
  return {
    source,
    async putEvent(event: HarnessEvent) {
      await radicale.putObject(calendar, fileOf(event.uid), harnessCalendarToIcs([event]));
      return event.uid;
    },
    async removeEvent(uid) {
      await radicale.deleteObject(`${calendar}${fileOf(uid)}`);
    },
    async close() {
      await source.close();
    },
  };
}

describeCalendarContract(`caldav (Radicale ${radicaleVersionSync()})`, makeHarness);

function event(overrides: Partial<HarnessEvent> = {}): HarnessEvent {
  const start = Math.ceil(Date.now() / HOUR) * HOUR + DAY;
  return {
    uid: `${randomUUID()}@ringback.test`,
    title: 'Phone screen',
    start,
    end: start + HOUR,
    organizer: { name: 'Rita Recruiter', email: 'rita@acme.example' },
    ...overrides,
  };
}

function rawEvent(uid: string, lines: string[]): string {
  return ['BEGIN:VCALENDAR', 'VERSION:2.0', 'PRODID:-//test//EN', 'BEGIN:VEVENT', `UID:${uid}`, 'DTSTAMP:20260101T000000Z', ...lines, 'SUMMARY:Broken', 'END:VEVENT', 'END:VCALENDAR', ''].join('\r\n');
}

describe('caldav source (Radicale)', () => {
  it('discovers calendars with their display names', async () => {
    expect(radicale.version).toMatch(/^\d+\.\d+/);
    const url = await radicale.makeCalendar(`named-${randomUUID().slice(0, 8)}`, 'Job hunt');
    const found = await discoverCaldavCalendars({ url: radicale.url, username: radicale.username, password: radicale.password });
    expect(found).toContainEqual({ url, displayName: 'Job hunt' });
  });

  it('syncs every calendar found when none is configured', async () => {
    const a = await radicale.makeCalendar(`all-${randomUUID().slice(0, 8)}`);
    const b = await radicale.makeCalendar(`all-${randomUUID().slice(0, 8)}`);
    const first = event();
    const second = event();
    await radicale.putObject(a, fileOf(first.uid), harnessCalendarToIcs([first]));
    await radicale.putObject(b, fileOf(second.uid), harnessCalendarToIcs([second]));
    const result = await syncAll(createCaldavSource(sourceOptions()), null);
    expect(result.upserts.map((e) => e.id)).toEqual(expect.arrayContaining([first.uid, second.uid]));
  });

  it('refuses a wrong password with an AuthError that does not repeat it', async () => {
    const source = createCaldavSource(sourceOptions({ password: 'wrong-s3cret' }));
    const failure = await syncAll(source, null).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(AuthError);
    expect((failure as Error).message).toBe('CalDAV server refused the username or app password');
    await expect(discoverCaldavCalendars({ url: radicale.url, username: radicale.username, password: 'x' })).rejects.toBeInstanceOf(AuthError);
  });

  it('skips an object the server stores but that makes no event, with a reason, and syncs the others', async () => {
    const calendar = await radicale.makeCalendar(`bad-${randomUUID().slice(0, 8)}`);
    const source = createCaldavSource(sourceOptions({ calendars: [calendar] }));
    const good = event();
    await radicale.putObject(calendar, fileOf(good.uid), harnessCalendarToIcs([good]));
    await radicale.putObject(calendar, 'backwards.ics', rawEvent('backwards@test', ['DTSTART:20261129T100000Z', 'DTEND:20261128T100000Z']));
    const first = await syncAll(source, null);
    expect(first.upserts.map((e) => e.id)).toEqual([good.uid]);
    expect(first.skipped).toEqual([expect.objectContaining({ reason: expect.stringContaining('ends (DTEND) before it starts') })]);

    const later = event();
    await radicale.putObject(calendar, fileOf(later.uid), harnessCalendarToIcs([later]));
    await radicale.putObject(calendar, 'mars.ics', rawEvent('mars@test', ['DTSTART;TZID=Mars/Olympus:20261129T100000', 'DURATION:PT1H']));
    const second = await syncAll(source, first.cursor);
    expect(second.full).toBe(false);
    expect(second.upserts.map((e) => e.id)).toEqual([later.uid]);
    expect(second.skipped).toEqual([expect.objectContaining({ reason: expect.stringMatching(/^unknown time zone "Mars\/Olympus": the file does not define it/) as unknown })]);
  });

  it('keeps the last good version of an event whose new version is malformed', async () => {
    const calendar = await radicale.makeCalendar(`edit-${randomUUID().slice(0, 8)}`);
    const source = createCaldavSource(sourceOptions({ calendars: [calendar] }));
    const good = event();
    await radicale.putObject(calendar, 'e.ics', harnessCalendarToIcs([good]));
    const first = await syncAll(source, null);
    await radicale.putObject(calendar, 'e.ics', rawEvent(good.uid, ['DTSTART;TZID=Mars/Olympus:20261129T100000', 'DURATION:PT1H']));
    const second = await syncAll(source, first.cursor);
    expect(second.deletions).toEqual([]);
    expect(second.skipped).toHaveLength(1);
    await radicale.deleteObject(`${calendar}e.ics`);
    expect((await syncAll(source, second.cursor)).deletions).toEqual([good.uid]);
  });

  it('answers with a full listing when the server no longer knows the sync token', async () => {
    const calendar = await radicale.makeCalendar(`token-${randomUUID().slice(0, 8)}`);
    const source = createCaldavSource(sourceOptions({ calendars: [calendar] }));
    const kept = event();
    await radicale.putObject(calendar, fileOf(kept.uid), harnessCalendarToIcs([kept]));
    const first = await syncAll(source, null);
    const added = event();
    await radicale.putObject(calendar, fileOf(added.uid), harnessCalendarToIcs([added]));
    await radicale.forgetSyncTokens();
    const second = await syncAll(source, first.cursor);
    expect(second.full).toBe(true);
    expect(second.upserts.map((e) => e.id).sort()).toEqual([kept.uid, added.uid].sort());
    // The new token works again incrementally.
    const third = await syncAll(source, second.cursor);
    expect(third).toMatchObject({ full: false, upserts: [], deletions: [] });
  });

  it('lists in full once the day moved, so that the expansion window moves with it', async () => {
    const calendar = await radicale.makeCalendar(`day-${randomUUID().slice(0, 8)}`);
    const today = Date.now();
    const far = event({ start: Math.ceil(today / HOUR) * HOUR + 10 * DAY, end: Math.ceil(today / HOUR) * HOUR + 10 * DAY + HOUR });
    await radicale.putObject(calendar, 'far.ics', harnessCalendarToIcs([far]));
    const first = await syncAll(createCaldavSource(sourceOptions({ calendars: [calendar], horizonDays: 5 })), null);
    expect(first.upserts).toEqual([]);
    const later = createCaldavSource(sourceOptions({ calendars: [calendar], horizonDays: 5, now: () => today + 6 * DAY }));
    const second = await syncAll(later, first.cursor);
    expect(second.full).toBe(true);
    expect(second.upserts.map((e) => e.id)).toEqual([far.uid]);
  });

  it('reports removed occurrences of a series as deletions', async () => {
    const calendar = await radicale.makeCalendar(`series-${randomUUID().slice(0, 8)}`);
    const source = createCaldavSource(sourceOptions({ calendars: [calendar] }));
    const series = event({ recurrence: { freq: 'DAILY', count: 3 } });
    await radicale.putObject(calendar, 's.ics', harnessCalendarToIcs([series]));
    const first = await syncAll(source, null);
    const ids = first.upserts.map((e) => e.id).sort();
    expect(ids).toHaveLength(3);
    await radicale.putObject(calendar, 's.ics', harnessCalendarToIcs([{ ...series, recurrence: { freq: 'DAILY', count: 2 } }]));
    const second = await syncAll(source, first.cursor);
    expect(second.full).toBe(false);
    expect(second.upserts).toHaveLength(2);
    expect(second.deletions).toEqual([ids[2]]);
  });

  it('falls back to comparing ETags on a server without sync-collection', async () => {
    const proxy = await startEtagOnlyProxy(radicale.url);
    try {
      const name = `etag-${randomUUID().slice(0, 8)}`;
      await radicale.makeCalendar(name);
      const calendar = `${proxy.url}${radicale.username}/${name}/`;
      const source = createCaldavSource(sourceOptions({ url: proxy.url, calendars: [calendar] }));
      const [a, b] = [event(), event()];
      await radicale.putObject(`${radicale.url}${radicale.username}/${name}/`, fileOf(a.uid), harnessCalendarToIcs([a]));
      await radicale.putObject(`${radicale.url}${radicale.username}/${name}/`, fileOf(b.uid), harnessCalendarToIcs([b]));
      const first = await syncAll(source, null);
      expect(first.upserts.map((e) => e.id).sort()).toEqual([a.uid, b.uid].sort());
      expect(await syncAll(source, first.cursor)).toMatchObject({ full: false, upserts: [], deletions: [] });
      await radicale.putObject(`${radicale.url}${radicale.username}/${name}/`, fileOf(a.uid), harnessCalendarToIcs([{ ...a, title: 'Moved' }]));
      await radicale.deleteObject(`${radicale.url}${radicale.username}/${name}/${fileOf(b.uid)}`);
      const second = await syncAll(source, first.cursor);
      expect(second.full).toBe(false);
      expect(second.upserts.map((e) => [e.id, e.title])).toEqual([[a.uid, 'Moved']]);
      expect(second.deletions).toEqual([b.uid]);
      expect(proxy.refusedSyncReports).toBe(0);
    } finally {
      await proxy.stop();
    }
  });

  it('answers free/busy from the events in the range, merged, without all-day or cancelled ones', async () => {
    const calendar = await radicale.makeCalendar(`busy-${randomUUID().slice(0, 8)}`);
    const source = createCaldavSource(sourceOptions({ calendars: [calendar] }));
    const start = Math.ceil(Date.now() / DAY) * DAY + 2 * DAY + 9 * HOUR;
    const put = (e: HarnessEvent) => radicale.putObject(calendar, fileOf(e.uid), harnessCalendarToIcs([e]));
    await put(event({ start, end: start + HOUR }));
    await put(event({ start: start + 30 * 60_000, end: start + 2 * HOUR }));
    await put(event({ start: start + 5 * HOUR, end: start + 6 * HOUR }));
    await put(event({ start: start - 9 * HOUR, end: start + 15 * HOUR, allDay: true }));
    await radicale.putObject(calendar, 'cancelled.ics', rawEvent('cancelled@test', [`DTSTART:${new Date(start + 3 * HOUR).toISOString().replace(/[-:]/g, '').slice(0, 15)}Z`, 'DURATION:PT1H', 'STATUS:CANCELLED']));
    const busy = await source.freeBusy({ from: start - HOUR, to: start + 12 * HOUR }, new AbortController().signal);
    expect(busy).toEqual([
      { start, end: start + 2 * HOUR },
      { start: start + 5 * HOUR, end: start + 6 * HOUR },
    ]);
  });

  it('refuses a configured calendar that does not exist with a PermanentError naming it', async () => {
    const missing = `${radicale.url}${radicale.username}/nowhere-${randomUUID().slice(0, 8)}/`;
    const failure = await syncAll(createCaldavSource(sourceOptions({ calendars: [missing] })), null).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(PermanentError);
    expect((failure as Error).message).toContain(missing);
  });
});

describe('caldav source against a failing server', () => {
  let server: Server;
  let url: string;
  let answer: { status: number; headers?: Record<string, string> } = { status: 500 };

  beforeAll(async () => {
    server = createServer((_request, response) => {
      response.writeHead(answer.status, answer.headers ?? {}).end('no');
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/dav/`;
  });
  afterAll(async () => {
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });

  const failureFor = async (target: string): Promise<unknown> =>
    syncAll(createCaldavSource(sourceOptions({ url: target, calendars: [`${target}cal/`] })), null).catch((error: unknown) => error);

  it('turns 429 and 503 into a RateLimitError that honours Retry-After', async () => {
    answer = { status: 503, headers: { 'retry-after': '120' } };
    const unavailable = await failureFor(url);
    expect(unavailable).toBeInstanceOf(RateLimitError);
    expect((unavailable as RateLimitError).retryAfterMs).toBe(120_000);
    answer = { status: 429, headers: { 'retry-after': '5' } };
    expect(await failureFor(url)).toMatchObject({ retryAfterMs: 5_000 });
  });

  it('turns other 5xx and a refused connection into a TransientError', async () => {
    answer = { status: 502 };
    expect(await failureFor(url)).toBeInstanceOf(TransientError);
    const closed = `http://127.0.0.1:${await freePort()}/`;
    expect(await failureFor(closed)).toBeInstanceOf(TransientError);
  });

  it('turns a hard 4xx into a PermanentError', async () => {
    answer = { status: 403 };
    expect(await failureFor(url)).toBeInstanceOf(PermanentError);
  });
});

/** A calendar of its own holding `events`, reached through `proxy`, and a source that syncs only it. */
async function calendarBehind(proxy: { url: string }, prefix: string, events: readonly HarnessEvent[]) {
  const name = `${prefix}-${randomUUID().slice(0, 8)}`;
  const calendar = await radicale.makeCalendar(name);
  for (const e of events) await radicale.putObject(calendar, fileOf(e.uid), harnessCalendarToIcs([e]));
  const url = `${proxy.url}${radicale.username}/${name}/`;
  return { calendar, url, source: createCaldavSource(sourceOptions({ url: proxy.url, calendars: [url] })) };
}

/**
 * A network in the way answering the server's address with a page of its own, with 200: a hotel's
 * or a train's captive portal (a sign-in page, often a meta refresh to itself, as in
 * inverse-inc/packetfence#7129), or a proxy's page. PROPFIND and REPORT are answered "207
 * Multi-Status" with a `multistatus` XML body (RFC 4918 §9.1 and §13, RFC 6578 §3.2; MDN,
 * https://developer.mozilla.org/docs/Web/HTTP/Status/207): anything else is not an answer of the
 * server, and in particular not a calendar with no objects, which would withdraw every interview.
 */
describe('caldav source behind a captive portal', () => {
  const portalPage: FaultAnswer = {
    status: 200,
    headers: { 'content-type': 'text/html; charset=utf-8' },
    body: '<!doctype html><html><head><meta http-equiv="refresh" content="0; url=http://portal.example/login"></head><body><form action="/login">Sign in to use the Wi-Fi</form></body></html>',
  };
  const xhtmlPage: FaultAnswer = { ...portalPage, headers: { 'content-type': 'application/xhtml+xml' }, body: '<?xml version="1.0"?><html xmlns="http://www.w3.org/1999/xhtml"><body>Sign in</body></html>' };
  const emptyAnswer: FaultAnswer = { status: 200, headers: { 'content-type': 'text/xml' }, body: '' };

  it.each([
    ['an HTML sign-in page', portalPage],
    ['an XHTML page', xhtmlPage],
    ['an empty 200', emptyAnswer],
  ])('fails the sync, withdrawing nothing, when every request is answered with %s', async (_name, page) => {
    const proxy = await startFaultProxy(radicale.url);
    try {
      const e = event();
      const { source: configured } = await calendarBehind(proxy, 'portal', [e]);
      const discovered = createCaldavSource(sourceOptions({ url: proxy.url }));
      const firsts = [await syncAll(discovered, null), await syncAll(configured, null)];
      for (const first of firsts) expect(first.upserts.map((u) => u.id)).toContain(e.uid);
      proxy.fault = () => page;
      for (const [source, cursor] of [[discovered, firsts[0]!.cursor], [configured, firsts[1]!.cursor], [configured, null]] as const) {
        const failure = await syncAll(source, cursor).catch((error: unknown) => error);
        expect(failure, `a sync from ${cursor === null ? 'no cursor' : 'the cursor'} read the page as an answer`).toBeInstanceOf(TransientError);
        expect((failure as Error).message).toMatch(/not a CalDAV answer/);
      }
    } finally {
      await proxy.stop();
    }
  });

  it('fails the sync when only the REPORTs are answered with the page', async () => {
    const proxy = await startFaultProxy(radicale.url);
    try {
      const e = event();
      const { calendar, source } = await calendarBehind(proxy, 'portal', [e]);
      const first = await syncAll(source, null);
      await radicale.putObject(calendar, fileOf(e.uid), harnessCalendarToIcs([{ ...e, title: 'Moved' }]));
      proxy.fault = (method) => (method === 'REPORT' ? portalPage : null);
      for (const cursor of [first.cursor, null]) {
        expect(await syncAll(source, cursor).catch((error: unknown) => error)).toBeInstanceOf(TransientError);
      }
      // The network lets the server through again: the change is read as usual.
      proxy.fault = () => null;
      const again = await syncAll(source, first.cursor);
      expect(again.upserts.map((u) => [u.id, u.title])).toEqual([[e.uid, 'Moved']]);
      expect(again.deletions).toEqual([]);
    } finally {
      await proxy.stop();
    }
  });
});

/**
 * A `calendar-multiget` answer must carry one DAV:response per href asked for, with a 404 status
 * for one that is gone (RFC 4791 §7.9, https://www.rfc-editor.org/rfc/rfc4791#section-7.9). An
 * answer that leaves some out (a server or a proxy in between that cut the multistatus short, but
 * to well-formed XML) says nothing about them: read as a listing, they would be withdrawn.
 */
describe('caldav source with a multiget answer that leaves objects out', () => {
  it('fails the sync as transient, withdrawing nothing, and reads them all once the answer is whole', async () => {
    const proxy = await startFaultProxy(radicale.url);
    try {
      const events = [event(), event(), event()];
      const { source } = await calendarBehind(proxy, 'short', events);
      // Every response after the first is dropped from each multiget answer.
      proxy.rewrite = (method, body, answer) =>
        method === 'REPORT' && body.includes('calendar-multiget')
          ? answer.replace(/(<(\w+:)?response>[\s\S]*?<\/(\w+:)?response>)[\s\S]*(<\/(\w+:)?multistatus>)/, '$1$4')
          : answer;
      const failure = await syncAll(source, null).catch((error: unknown) => error);
      expect(failure).toBeInstanceOf(TransientError);
      expect((failure as Error).message).toMatch(/left out 2 of the 3/);
      proxy.rewrite = (_method, _body, answer) => answer;
      const whole = await syncAll(source, null);
      expect(whole.upserts.map((u) => u.id).sort()).toEqual(events.map((e) => e.uid).sort());
    } finally {
      await proxy.stop();
    }
  });
});

/**
 * A server may cut a sync-collection answer short (RFC 6578 §3.6,
 * https://www.rfc-editor.org/rfc/rfc6578#section-3.6): the members so far, then a response for the
 * collection itself with "HTTP/1.1 507 Insufficient Storage" and
 * `<D:error><D:number-of-matches-within-limits/></D:error>`, and a sync token to ask again with
 * for the rest (the example of §3.10; bitfire/dav4jvm's DavCollectionTest
 * testInitialSyncCollectionReportWithTruncation; SabreDAV's TooManyMatches). Read as the whole
 * listing of a first sync, every event after the cut was missing from a `full` listing, and so
 * withdrawn.
 */
describe('caldav source against a server that truncates sync-collection', () => {
  /**
   * A proxy that cuts the first `cuts` sync-collection answers without a token after their first
   * member, ending each with the collection's 507 and the token "page-2"; asked with "page-2", the
   * server is asked from the start again.
   */
  async function truncating(cuts: number) {
    const proxy = await startFaultProxy(radicale.url);
    const events = [event(), event(), event()];
    const { calendar, source } = await calendarBehind(proxy, 'truncated', events);
    const path = new URL(calendar).pathname;
    let cut = 0;
    proxy.rewriteRequest = (method, body) => (method === 'REPORT' ? body.replace('<d:sync-token>page-2</d:sync-token>', '<d:sync-token></d:sync-token>') : body);
    proxy.rewrite = (method, body, answer) => {
      if (method !== 'REPORT' || !body.includes('sync-collection') || !body.includes('<d:sync-token></d:sync-token>') || cut >= cuts) return answer;
      cut += 1;
      const ns = /<(\w+:)?multistatus/.exec(answer)?.[1] ?? '';
      const truncated = `<${ns}response><${ns}href>${path}</${ns}href><${ns}status>HTTP/1.1 507 Insufficient Storage</${ns}status><${ns}error><${ns}number-of-matches-within-limits/></${ns}error></${ns}response>`;
      let members = 0;
      return answer
        .replace(/<(\w+:)?response>[\s\S]*?<\/(\w+:)?response>/g, (member) => (members++ === 0 ? member : ''))
        .replace(/(<(\w+:)?sync-token>)[^<]*/, '$1page-2')
        .replace(/<\/(\w+:)?multistatus>/, (end) => `${truncated}${end}`);
    };
    return { proxy, events, source, cuts: () => cut };
  }

  it('asks again with the token of a cut answer until the listing is whole', async () => {
    const { proxy, events, source, cuts } = await truncating(1);
    try {
      const first = await syncAll(source, null);
      expect(cuts()).toBe(1);
      expect(first.full).toBe(true);
      expect(first.upserts.map((u) => u.id).sort()).toEqual(events.map((e) => e.uid).sort());
      // The token the listing ended on is the server's own: the next sync reads no change.
      const next = await syncAll(source, first.cursor);
      expect(next.upserts).toEqual([]);
      expect(next.deletions).toEqual([]);
    } finally {
      await proxy.stop();
    }
  });

  it('fails the sync as transient, withdrawing nothing, when a cut answer leads nowhere new', async () => {
    const { proxy, source, cuts } = await truncating(Number.POSITIVE_INFINITY);
    try {
      const failure = await syncAll(source, null).catch((error: unknown) => error);
      expect(failure).toBeInstanceOf(TransientError);
      expect((failure as Error).message).toMatch(/cut its sync answer/);
      expect(cuts()).toBe(2);
    } finally {
      await proxy.stop();
    }
  });
});

/**
 * One calendar of the account the server no longer lets this account read: a calendar shared
 * with the user and then unshared, or whose rights changed. SabreDAV (Nextcloud, ownCloud, Baïkal)
 * answers 403 with RFC 3744 §7.1.1's DAV:need-privileges, as in sabre-io/katana#285 (verbatim but
 * for the path and the server version; owncloud/core#14048 has the same body for a calendar);
 * Radicale answers its rights' refusal with "Access to the requested resource forbidden."
 * (radicale/httputils.py NOT_ALLOWED). Before, the whole account's sync failed on it, and the
 * other calendars were not read either.
 */
describe('caldav source with one calendar refused (403 need-privileges)', () => {
  const needPrivileges = (path: string): FaultAnswer => ({
    status: 403,
    headers: { 'content-type': 'application/xml; charset=utf-8' },
    body:
      '<?xml version="1.0" encoding="utf-8"?>\n<d:error xmlns:d="DAV:" xmlns:s="http://sabredav.org/ns">\n  <s:sabredav-version>4.1.5</s:sabredav-version>\n' +
      '  <s:exception>Sabre\\DAVACL\\Exception\\NeedPrivileges</s:exception>\n' +
      `  <s:message>User did not have the required privileges ({DAV:}read) for path "${path.replace(/^\/|\/$/g, '')}"</s:message>\n` +
      `  <d:need-privileges>\n    <d:resource>\n      <d:href>${path}</d:href>\n      <d:privilege>\n        <d:read/>\n      </d:privilege>\n    </d:resource>\n  </d:need-privileges>\n</d:error>\n`,
  });
  const radicaleRefusal: FaultAnswer = { status: 403, headers: { 'content-type': 'text/plain' }, body: 'Access to the requested resource forbidden.' };

  /** Two calendars of their own behind `proxy`, an event in each, and a source that syncs both. */
  async function twoBehind(proxy: { url: string }, now: () => number = Date.now) {
    const shared = await radicale.makeCalendar(`shared-${randomUUID().slice(0, 8)}`, 'Team interviews');
    const own = await radicale.makeCalendar(`own-${randomUUID().slice(0, 8)}`);
    const events = { shared: event(), own: event() };
    await radicale.putObject(shared, fileOf(events.shared.uid), harnessCalendarToIcs([events.shared]));
    await radicale.putObject(own, fileOf(events.own.uid), harnessCalendarToIcs([events.own]));
    const viaProxy = (calendar: string) => calendar.replace(radicale.url, proxy.url);
    const urls = { shared: viaProxy(shared), own: viaProxy(own) };
    const sourceAt = (clock: () => number) => createCaldavSource(sourceOptions({ url: proxy.url, calendars: [urls.shared, urls.own], now: clock }));
    return { shared, own, urls, events, source: sourceAt(now), sourceAt };
  }

  it.each([
    ['SabreDAV need-privileges', (path: string) => needPrivileges(path), /the read privilege/],
    ["Radicale's refusal", () => radicaleRefusal, /access to it/],
  ])('reads the other calendars and keeps the refused one as it was (%s), saying which and what it lacks', async (_name, answer, lacks) => {
    const proxy = await startFaultProxy(radicale.url);
    try {
      const { own, urls, events, source, sourceAt } = await twoBehind(proxy);
      const first = await syncAll(source, null);
      expect(first.upserts.map((u) => u.id).sort()).toEqual([events.shared.uid, events.own.uid].sort());

      const later = event({ title: 'Phone screen, second round' });
      await radicale.putObject(own, fileOf(later.uid), harnessCalendarToIcs([later]));
      const refusedPath = new URL(urls.shared).pathname;
      proxy.fault = (_method, _body, path) => (path.startsWith(refusedPath) ? answer(refusedPath) : null);

      const next = await syncAll(source, first.cursor);
      expect(next.upserts.map((u) => u.id)).toEqual([later.uid]);
      expect(next.deletions).toEqual([]);
      expect(next.kept).toEqual([events.shared.uid]);
      const said = next.skipped.find((item) => item.calendar === true);
      expect(said?.ref).toContain(urls.shared);
      expect(said?.reason).toMatch(lacks);
      expect(said?.reason).toMatch(/other calendars are read as usual/);

      // Its event asked for alone is unknown, not gone; the others' are read, and free time too.
      const signal = new AbortController().signal;
      await expect(source.readEvent?.(events.shared.uid, signal)).rejects.toBeInstanceOf(PermanentError);
      expect((await source.readEvent?.(events.own.uid, signal))?.id).toBe(events.own.uid);
      expect(await source.freeBusy({ from: events.own.start - HOUR, to: events.own.end + HOUR }, signal)).toEqual([{ start: events.own.start, end: events.own.end }]);

      // The next day's full listing too keeps it, and reads the others whole.
      const tomorrow = await syncAll(sourceAt(() => Date.now() + DAY), next.cursor);
      expect(tomorrow.full).toBe(true);
      expect(tomorrow.kept).toEqual([events.shared.uid]);
      expect(tomorrow.upserts.map((u) => u.id).sort()).toEqual([events.own.uid, later.uid].sort());

      // Shared again: read as usual, nothing lost on the way.
      proxy.fault = () => null;
      const back = await syncAll(source, next.cursor);
      expect(back.kept).toEqual([]);
      expect(back.deletions).toEqual([]);
      expect(back.skipped).toEqual([]);
    } finally {
      await proxy.stop();
    }
  });

  it('names the calendar when the display name is known', async () => {
    const proxy = await startFaultProxy(radicale.url);
    try {
      const { shared, urls, source } = await twoBehind(proxy);
      const first = await syncAll(source, null);
      const refusedPath = new URL(urls.shared).pathname;
      // Changed (so that its changes are asked for), described, then refused at its REPORT: the
      // name is known by then, and what it listed is not withdrawn.
      const moved = event();
      await radicale.putObject(shared, fileOf(moved.uid), harnessCalendarToIcs([moved]));
      proxy.fault = (method, _body, path) => (method === 'REPORT' && path.startsWith(refusedPath) ? needPrivileges(refusedPath) : null);
      const next = await syncAll(source, first.cursor);
      expect(next.skipped.find((item) => item.calendar === true)?.ref).toBe(`"Team interviews" (${urls.shared})`);
      expect(next.upserts).toEqual([]);
      expect(next.deletions).toEqual([]);
    } finally {
      await proxy.stop();
    }
  });

  it('fails the sync, naming the calendar and the privilege, when every calendar is refused', async () => {
    const proxy = await startFaultProxy(radicale.url);
    try {
      const e = event();
      const { url, source } = await calendarBehind(proxy, 'alone', [e]);
      const first = await syncAll(source, null);
      const refusedPath = new URL(url).pathname;
      proxy.fault = (_method, _body, path) => (path.startsWith(refusedPath) ? needPrivileges(refusedPath) : null);
      const failure = await syncAll(source, first.cursor).catch((error: unknown) => error);
      expect(failure).toBeInstanceOf(PermanentError);
      expect((failure as Error).message).toMatch(/refuses this account the read privilege on http:\/\/127\.0\.0\.1:\d+\/.*alone-/);
    } finally {
      await proxy.stop();
    }
  });
});
