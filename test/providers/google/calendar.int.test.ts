/**
 * Google Calendar through the real googleapis client against the fake Google server: the
 * calendar contract, then what is particular to Google's sync tokens, pages and faults.
 */
import { createServer, type IncomingMessage } from 'node:http';
import { connect, type AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import { DateTime } from 'luxon';
import { afterEach, describe, expect, it } from 'vitest';
import type { CalendarEvent } from '../../../src/domain/types.js';
import { AuthError, RateLimitError, TransientError } from '../../../src/providers/errors.js';
import { createGoogleCalendarSource } from '../../../src/providers/google/calendar.js';
import { startGoogleServer, type FakeEvent, type GoogleServer } from '../../support/google-server.js';
import { authFor, googleCalendarHarness } from '../../support/google-server/harness.js';
import { describeCalendarContract, syncAll } from '../calendar/contract.js';

describeCalendarContract('google', () => googleCalendarHarness());

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

describe('google calendar sync', () => {
  let server: GoogleServer;
  afterEach(async () => {
    await server.close();
  });

  const at = (ms: number) => ({ dateTime: new Date(ms).toISOString(), timeZone: 'America/New_York' });
  const event = (id: string, start: number, extra: Partial<FakeEvent> = {}): FakeEvent => ({
    id,
    summary: `Phone screen ${id}`,
    start: at(start),
    end: at(start + HOUR / 2),
    ...extra,
  });
  const setup = async (options: { horizonDays?: number; calendars?: string[]; now?: () => number; maxResults?: number } = {}) => {
    server = await startGoogleServer();
    const fixture = authFor(server);
    const source = createGoogleCalendarSource({
      id: 'google-test',
      auth: fixture.auth,
      horizonDays: options.horizonDays ?? 30,
      now: options.now ?? (() => Date.now()),
      rootUrl: server.url,
      ...(options.calendars ? { calendars: options.calendars } : {}),
      ...(options.maxResults ? { maxResults: options.maxResults } : {}),
    });
    return { source, ...fixture };
  };
  const eventsPath = '/calendar/v3/calendars/';

  it('follows short and empty pages and keeps the sync token of the last page only', async () => {
    const { source } = await setup({ maxResults: 3 });
    const base = Date.now() + DAY;
    for (let index = 0; index < 7; index += 1) server.putEvent(event(`ev${index}`, base + index * HOUR));
    server.calendar.setPagePlan([2, 0, 1, 0, 3]);
    const result = await syncAll(source, null);
    expect(result.full).toBe(true);
    expect(result.upserts.map((e) => e.id).sort()).toEqual(['ev0', 'ev1', 'ev2', 'ev3', 'ev4', 'ev5', 'ev6']);
    const lists = server.apiRequests(eventsPath);
    // 2 + 0 + 1 + 0 + 3 + 1 (the plan cycles: 2, capped at 1 left) = seven events in six pages.
    expect(lists).toHaveLength(6);
    expect(lists[0]!.query.get('pageToken')).toBeNull();
    expect(lists.slice(1).every((request) => request.query.get('pageToken'))).toBe(true);
    for (const request of lists) {
      expect(request.query.get('singleEvents')).toBe('true');
      expect(request.query.get('maxResults')).toBe('3');
      expect(request.query.get('timeMin')).not.toBeNull();
      expect(request.query.get('timeMax')).not.toBeNull();
    }
    const cursor = JSON.parse(result.cursor) as { calendars: Record<string, { syncToken: string }> };
    expect(Object.keys(cursor.calendars)).toEqual(['primary']);
    // The token works: the next poll is incremental and empty.
    server.calendar.setPagePlan(null);
    const again = await syncAll(source, result.cursor);
    expect(again.full).toBe(false);
    expect(again.upserts).toEqual([]);
  });

  it('sends only the sync token on an incremental poll, and reports changes whatever their time', async () => {
    const { source } = await setup({ horizonDays: 30 });
    const soon = Date.now() + DAY;
    server.putEvent(event('moved', soon));
    const first = await syncAll(source, null);
    const before = server.requests.length;
    server.putEvent(event('moved', soon + 60 * DAY)); // out of the window, still reported
    server.putEvent(event('added', soon + 2 * HOUR));
    const second = await syncAll(source, first.cursor);
    expect(second.full).toBe(false);
    expect(second.upserts.map((e) => e.id).sort()).toEqual(['added', 'moved']);
    const polls = server.requests.slice(before).filter((request) => request.path.startsWith(eventsPath));
    expect(polls).toHaveLength(1);
    const sent = [...polls[0]!.query.keys()].sort();
    expect(sent).toEqual(['maxResults', 'singleEvents', 'syncToken']);
  });

  it('polls an unchanged calendar with one small request', async () => {
    const { source } = await setup();
    const soon = Date.now() + DAY;
    for (let index = 0; index < 20; index += 1) server.putEvent(event(`ev${index}`, soon + index * HOUR, { description: 'Call me at +1 415 555 0100. '.repeat(5) }));
    const before = server.bytesServed;
    const first = await syncAll(source, null);
    const fullBytes = server.bytesServed - before;
    const requests = server.requests.length;
    const poll = await syncAll(source, first.cursor);
    expect(poll).toMatchObject({ full: false, upserts: [], deletions: [], pages: 1 });
    expect(server.requests.length - requests).toBe(1);
    expect(server.bytesServed - before - fullBytes).toBeLessThan(fullBytes / 10);
  });

  it('runs against a stand-in that refuses time bounds beside a sync token, as Google does', async () => {
    const { source, auth } = await setup();
    const first = await syncAll(source, null);
    const { syncToken } = (JSON.parse(first.cursor) as { calendars: Record<string, { syncToken: string }> }).calendars.primary!;
    const { token } = await auth.getAccessToken();
    const list = (query: string) =>
      fetch(`${server.url}/calendar/v3/calendars/primary/events?${query}`, { headers: { authorization: `Bearer ${token}` } });
    const clash = await list(`syncToken=${syncToken}&timeMin=${encodeURIComponent(new Date().toISOString())}`);
    expect(clash.status).toBe(400);
    expect(((await clash.json()) as { error: { errors: Array<{ reason: string }> } }).error.errors[0]?.reason).toBe('invalid');
    expect((await list(`syncToken=${syncToken}`)).status).toBe(200);
  });

  it('answers 410 with a full resync that leaves out what was deleted meanwhile', async () => {
    const { source } = await setup();
    const soon = Date.now() + DAY;
    server.putEvent(event('kept', soon));
    server.putEvent(event('deleted', soon + HOUR));
    const first = await syncAll(source, null);
    expect(first.upserts).toHaveLength(2);
    server.removeEvent('deleted');
    server.putEvent(event('new', soon + 2 * HOUR));
    server.invalidateSyncTokens('updatedMinTooLongAgo');
    const second = await syncAll(source, first.cursor);
    expect(second.full).toBe(true);
    expect(second.upserts.map((e) => e.id).sort()).toEqual(['kept', 'new']);
    expect(second.deletions).toEqual([]);
    const statuses = server.apiRequests(eventsPath).map((request) => request.status);
    expect(statuses).toContain(410);
    // And the new cursor works incrementally.
    const third = await syncAll(source, second.cursor);
    expect(third.full).toBe(false);
  });

  it('reports deleted events and cancelled occurrences as deletions, instances with their own ids', async () => {
    const { source } = await setup();
    const start = Math.ceil((Date.now() + DAY) / HOUR) * HOUR;
    server.putEvent(event('series', start, { recurrence: ['RRULE:FREQ=DAILY;COUNT=3'] }));
    server.putEvent(event('single', start + 5 * HOUR));
    const first = await syncAll(source, null);
    const instances = first.upserts.filter((e) => e.title === 'Phone screen series').map((e) => e.id).sort();
    expect(instances).toHaveLength(3);
    expect(instances.every((id) => /^series_\d{8}T\d{6}Z$/.test(id))).toBe(true);
    const second = instances[1]!;
    const cancelled = server.calendar.changeInstance('series', new Date(start + DAY).toISOString(), 'cancelled');
    expect(cancelled).toBe(second);
    server.removeEvent('single');
    const delta = await syncAll(source, first.cursor);
    expect(delta.full).toBe(false);
    expect(delta.deletions.sort()).toEqual([second, 'single'].sort());
    expect(delta.upserts).toEqual([]);
  });

  it('does a full listing again once time has brought new days into the horizon', async () => {
    let now = Date.now();
    const { source } = await setup({ horizonDays: 10, now: () => now });
    server.putEvent(event('far', now + 15 * DAY));
    const first = await syncAll(source, null);
    expect(first.upserts).toEqual([]);
    now += 12 * HOUR; // the horizon moved by less than a day: the token is still used
    const second = await syncAll(source, first.cursor);
    expect(second.full).toBe(false);
    now += 5 * DAY; // 15 days ahead is now inside the 10-day horizon: a full listing finds it
    const third = await syncAll(source, second.cursor);
    expect(third.full).toBe(true);
    expect(third.upserts.map((e) => e.id)).toEqual(['far']);
  });

  it('lists every configured calendar, and resyncs them all when one token is refused', async () => {
    const { source } = await setup({ calendars: ['primary', 'interviews@group.calendar.google.com'] });
    const soon = Date.now() + DAY;
    server.putEvent(event('mine', soon));
    server.putEvent(event('shared', soon + HOUR), 'interviews@group.calendar.google.com');
    const first = await syncAll(source, null);
    expect(first.upserts.map((e) => e.id).sort()).toEqual(['mine', 'shared']);
    server.invalidateSyncTokens();
    const second = await syncAll(source, first.cursor);
    expect(second.full).toBe(true);
    expect(second.upserts.map((e) => e.id).sort()).toEqual(['mine', 'shared']);
  });

  it('normalises Google fields: zones, all-day, attendees, tags, conference phones, HTML descriptions', async () => {
    const { source } = await setup();
    const start = Date.now() + DAY;
    server.putEvent(
      event('rich', start, {
        description: 'Call <b>Rita</b> at <a href="tel:+14155550199">+1 415 555 0199</a><br>Thanks &amp; good luck',
        location: 'Phone',
        status: 'tentative',
        organizer: { email: 'Rita@Acme.example', displayName: 'Rita Recruiter' },
        attendees: [
          { email: 'ada@example.org', displayName: 'Ada Park', responseStatus: 'needsAction', self: true },
          { email: 'rita@acme.example', responseStatus: 'tentative' },
          { email: 'room-1@resource.calendar.google.com', resource: true, responseStatus: 'accepted' },
        ],
        extendedProperties: { private: { ringback: 'held' } },
        conferenceData: {
          entryPoints: [
            { entryPointType: 'video', uri: 'https://meet.example/abc' },
            { entryPointType: 'phone', uri: 'tel:+1-415-555-0100', label: '+1 415-555-0100', pin: '123' },
          ],
        },
      }),
    );
    server.putEvent({ id: 'allday', summary: 'Offsite', start: { date: '2031-03-04' }, end: { date: '2031-03-05' } });
    const result = await syncAll(source, null);
    const rich = result.upserts.find((e) => e.id === 'rich') as CalendarEvent;
    expect(rich).toMatchObject({
      timeZone: 'America/New_York',
      allDay: false,
      status: 'tentative',
      organizer: { name: 'Rita Recruiter', email: 'rita@acme.example' },
      tags: { ringback: 'held' },
      conferencePhones: ['+1 415-555-0100'],
      location: 'Phone',
    });
    expect(rich.description).toBe('Call Rita at +1 415 555 0199\nThanks & good luck');
    expect(rich.attendees).toEqual([
      { name: 'Ada Park', email: 'ada@example.org', status: 'needs-action', self: true },
      { name: '', email: 'rita@acme.example', status: 'tentative' },
    ]);
    expect(result.upserts.find((e) => e.id === 'allday')).toBeUndefined(); // outside the window
  });

  it('reads all-day dates as days in the calendar zone', async () => {
    server = await startGoogleServer({ timeZone: 'Europe/Berlin' });
    const { auth } = authFor(server);
    const day = new Date(Date.now() + 3 * DAY).toISOString().slice(0, 10);
    const next = new Date(Date.parse(day) + DAY).toISOString().slice(0, 10);
    server.putEvent({ id: 'offsite', summary: 'Offsite', start: { date: day }, end: { date: next } });
    const source = createGoogleCalendarSource({ id: 'g', auth, horizonDays: 30, now: () => Date.now(), rootUrl: server.url });
    const result = await syncAll(source, null);
    const offsite = result.upserts.find((e) => e.id === 'offsite');
    expect(offsite).toMatchObject({ allDay: true, timeZone: 'Europe/Berlin' });
    expect(offsite!.start).toBe(DateTime.fromISO(day, { zone: 'Europe/Berlin' }).toMillis());
    expect(offsite!.end).toBe(DateTime.fromISO(next, { zone: 'Europe/Berlin' }).toMillis());
  });

  it('turns 429 with Retry-After into a RateLimitError carrying the delay, without retrying by itself', async () => {
    const { source } = await setup();
    await syncAll(source, null); // token fetched
    const before = server.apiRequests().length;
    server.failNext(1, { status: 429, retryAfter: 7 });
    const error = await syncAll(source, null).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(RateLimitError);
    expect((error as RateLimitError).retryAfterMs).toBe(7000);
    expect(server.apiRequests().length - before).toBe(1);
  });

  it('turns 403 rateLimitExceeded into a RateLimitError and 500 into a TransientError, one request each', async () => {
    const { source } = await setup();
    await syncAll(source, null);
    let before = server.apiRequests().length;
    server.failNext(1, { status: 403, reason: 'userRateLimitExceeded' });
    await expect(syncAll(source, null)).rejects.toBeInstanceOf(RateLimitError);
    expect(server.apiRequests().length - before).toBe(1);
    before = server.apiRequests().length;
    server.failNext(1, { status: 500 });
    await expect(syncAll(source, null)).rejects.toBeInstanceOf(TransientError);
    expect(server.apiRequests().length - before).toBe(1);
  });

  /**
   * Google's front end answers a 502 with an HTML page of its own, not the API's JSON (the page as
   * quoted in googleapis/google-api-php-client#2421 and DNSControl/dnscontrol#3369, its style sheet
   * shortened). gaxios makes the page the error's message, and the message's first line was all
   * the account and the audit kept: "(502: <!DOCTYPE html>)". Failed before on the page's words.
   */
  it('turns a 502 answered with an HTML page into a TransientError that says the page\'s words, not its markup', async () => {
    const { source } = await setup();
    await syncAll(source, null);
    const page = [
      '<!DOCTYPE html>',
      '<html lang=en>',
      '  <meta charset=utf-8>',
      '  <meta name=viewport content="initial-scale=1, minimum-scale=1, width=device-width">',
      '  <title>Error 502 (Server Error)!!1</title>',
      '  <style>',
      '    *{margin:0;padding:0}html,code{font:15px/22px arial,sans-serif}html{background:#fff;color:#222;padding:15px}',
      '  </style>',
      '  <a href=//www.google.com/><span id=logo aria-label=Google></span></a>',
      '  <p><b>502.</b> <ins>That’s an error.</ins>',
      '  <p>The server encountered a temporary error and could not complete your request.<p>Please try again in 30 seconds.  <ins>That’s all we know.</ins>',
    ].join('\n');
    server.failNext(1, { status: 502, page });
    const error = await syncAll(source, null).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(TransientError);
    const message = (error as Error).message;
    expect(message).toContain('502');
    expect(message).toContain('an error page in place of Google\'s answer: "Error 502 (Server Error)!!1 502. That’s an error. The server encountered a temporary error');
    expect(message).toContain('Please try again in 30 seconds.');
    expect(message).not.toMatch(/DOCTYPE|<|margin|\n/);
  });

  it('gives up on a slow answer with a TransientError', async () => {
    server = await startGoogleServer();
    const { auth } = authFor(server, { timeoutMs: 300 });
    const source = createGoogleCalendarSource({ id: 'g', auth, horizonDays: 30, now: () => Date.now(), rootUrl: server.url });
    server.failNext(1, { delayMs: 1500 });
    await expect(syncAll(source, null)).rejects.toBeInstanceOf(TransientError);
  });

  it('turns a refused connection into a TransientError', async () => {
    const { auth } = await setup();
    const closed = createGoogleCalendarSource({ id: 'g', auth, horizonDays: 30, now: () => Date.now(), rootUrl: 'http://127.0.0.1:9/' });
    await syncAll(createGoogleCalendarSource({ id: 'g', auth, horizonDays: 30, now: () => Date.now(), rootUrl: server.url }), null);
    await expect(syncAll(closed, null)).rejects.toBeInstanceOf(TransientError);
  });

  it('answers freeBusy with merged busy times of every calendar, leaving out free and declined ones', async () => {
    const { source } = await setup({ calendars: ['primary', 'work@example.org'] });
    const base = Math.ceil((Date.now() + DAY) / HOUR) * HOUR;
    server.putEvent(event('a', base));
    server.putEvent({ ...event('b', base + HOUR / 4), end: at(base + HOUR) }, 'work@example.org');
    server.putEvent({ ...event('free', base + 3 * HOUR), transparency: 'transparent' });
    server.putEvent({ ...event('declined', base + 4 * HOUR), attendees: [{ email: 'ada@example.org', self: true, responseStatus: 'declined' }] });
    const busy = await source.freeBusy({ from: base - HOUR, to: base + 6 * HOUR }, new AbortController().signal);
    expect(busy).toEqual([{ start: base, end: base + HOUR }]);
    const [request] = server.apiRequests('/calendar/v3/freeBusy');
    expect(request?.method).toBe('POST');
  });
});

/**
 * `events.list` goes out on Node's own HTTP client once the account holds an access token with an
 * expiry (src/providers/google/http-get.ts); these pin what it must still do as the OAuth client
 * did: the token and its refresh, compressed answers, the proxy, the caller's abort.
 */
describe('google calendar: events.list on the direct path', () => {
  let server: GoogleServer;
  afterEach(async () => {
    await server.close();
  });
  const start = async (options: { gzip?: boolean } = {}) => {
    server = await startGoogleServer(options);
    const fixture = authFor(server);
    const source = createGoogleCalendarSource({ id: 'g', auth: fixture.auth, horizonDays: 30, now: () => Date.now(), rootUrl: server.url });
    server.putEvent({ id: 'call', summary: 'Phone screen', start: { dateTime: new Date(Date.now() + DAY).toISOString() }, end: { dateTime: new Date(Date.now() + DAY + HOUR).toISOString() } });
    return { source, ...fixture };
  };
  const listings = () => server.apiRequests().filter((request) => request.path.endsWith('/events'));

  it('sends the account token, and reads the gzip answers it asks for', async () => {
    const { source } = await start({ gzip: true });
    const first = await syncAll(source, null);
    server.putEvent({ id: 'moved', summary: 'Recruiter call', start: { dateTime: new Date(Date.now() + 2 * DAY).toISOString() }, end: { dateTime: new Date(Date.now() + 2 * DAY + HOUR).toISOString() } });
    const poll = await syncAll(source, first.cursor);
    expect(first.upserts.map((e) => e.id)).toEqual(['call']);
    expect(poll.upserts.map((e) => e.id)).toEqual(['moved']);
    const last = listings().at(-1)!;
    expect(last.headers.authorization).toMatch(/^Bearer ya29\./);
    expect(last.query.get('syncToken')).toBeTruthy();
    expect(last.gzipped).toBe(true);
  });

  it('takes the direct path from the first request of an account that holds only a refresh token', async () => {
    const { source, saved } = await start();
    await syncAll(source, null);
    const tokens = server.requests.filter((request) => request.path === '/token');
    expect(tokens).toHaveLength(1);
    expect(saved).toHaveLength(1);
    // Our user agent, not gaxios' (`google-api-nodejs-client/…`): the listing went out on Node's client.
    expect(listings().map((request) => request.headers['user-agent'])).toEqual(['ringback (gzip)']);
    expect(listings()[0]!.headers.authorization).toBe(`Bearer ${saved[0]!.access_token}`);
  });

  it('refreshes the token once on a 401 and goes on; a second 401 is an AuthError', async () => {
    const { source, saved } = await start();
    const first = await syncAll(source, null);
    const tokens = () => server.requests.filter((request) => request.path === '/token').length;
    const before = tokens();
    server.failNext(1, { status: 401, reason: 'authError' });
    await syncAll(source, first.cursor);
    expect(tokens()).toBe(before + 1);
    expect(saved).toHaveLength(2);
    server.failNext(2, { status: 401, reason: 'authError' });
    await expect(syncAll(source, first.cursor)).rejects.toBeInstanceOf(AuthError);
    expect(listings().slice(-2).map((request) => request.status)).toEqual([401, 401]);
  });

  it('goes through the proxy that HTTP_PROXY names', async () => {
    const { source } = await start();
    const first = await syncAll(source, null);
    const tunnels: string[] = [];
    const proxy = createServer();
    proxy.on('connect', (request: IncomingMessage, client: Duplex, head: Buffer) => {
      tunnels.push(request.url ?? '');
      const [host, port] = (request.url ?? '').split(':');
      const upstream = connect(Number(port), host, () => {
        client.write('HTTP/1.1 200 Connection Established\r\n\r\n');
        upstream.write(head);
        upstream.pipe(client);
        client.pipe(upstream);
      });
      upstream.on('error', () => client.destroy());
      client.on('error', () => upstream.destroy());
    });
    await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', resolve));
    const saved = process.env.HTTP_PROXY;
    process.env.HTTP_PROXY = `http://127.0.0.1:${(proxy.address() as AddressInfo).port}`;
    try {
      server.putEvent({ id: 'later', summary: 'Call', start: { dateTime: new Date(Date.now() + 3 * DAY).toISOString() }, end: { dateTime: new Date(Date.now() + 3 * DAY + HOUR).toISOString() } });
      const poll = await syncAll(source, first.cursor);
      expect(poll.upserts.map((e) => e.id)).toEqual(['later']);
      expect(tunnels).toEqual([new URL(server.url).host]);
    } finally {
      if (saved === undefined) delete process.env.HTTP_PROXY;
      else process.env.HTTP_PROXY = saved;
      proxy.closeAllConnections();
      await new Promise((resolve) => proxy.close(resolve));
    }
  });

  it("stops a request under way when the caller's signal aborts", async () => {
    const { source } = await start();
    const first = await syncAll(source, null);
    server.failNext(1, { delayMs: 2000 });
    const controller = new AbortController();
    const reason = new Error('ringback is stopping');
    const began = Date.now();
    setTimeout(() => controller.abort(reason), 100);
    const pages = source.sync(first.cursor, controller.signal)[Symbol.asyncIterator]();
    await expect(pages.next()).rejects.toBe(reason);
    expect(Date.now() - began).toBeLessThan(1500);
  });
});
