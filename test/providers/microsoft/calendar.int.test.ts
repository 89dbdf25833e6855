/**
 * The Outlook calendar source through the real Graph client and msal-node, against the local
 * Graph server: the calendar contract, then delta semantics (pages followed, links replayed as
 * given, `@removed`, 410, the window moving on), the Prefer header on every request, no blind
 * retries, and how an Outlook event is read.
 */
import { DateTime } from 'luxon';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { AccountUnusableError, AuthError, RateLimitError, TransientError } from '../../../src/providers/errors.js';
import type { CalendarSource } from '../../../src/providers/calendar/types.js';
import { createGraphCalendarSource, type GraphCalendarOptions } from '../../../src/providers/microsoft/calendar.js';
import { startGraphServer, type GraphEvent, type GraphServer } from '../../support/graph-server.js';
import { signIn } from '../../support/graph-server/sign-in.js';
import { describeCalendarContract, syncAll, type CalendarHarness } from '../calendar/contract.js';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

async function source(server: GraphServer, options: Partial<GraphCalendarOptions> = {}): Promise<CalendarSource> {
  const { auth } = await signIn(server);
  return createGraphCalendarSource({
    id: 'microsoft-test',
    getToken: auth.getToken,
    baseUrl: server.apiRoot,
    fetch: server.fetch,
    now: Date.now,
    ...options,
  });
}

describeCalendarContract('outlook (Graph)', async (): Promise<CalendarHarness> => {
  const server = await startGraphServer();
  // No ownerEmail: the source reads it from /me.
  const calendarSource = await source(server, { pageSize: 3 });
  return {
    source: calendarSource,
    putEvent: async (event) => server.calendar.putHarnessEvent(event),
    removeEvent: async (uid) => server.calendar.removeHarnessEvent(uid),
    close: () => server.close(),
  };
});

function graphEvent(id: string, start: number, overrides: Record<string, unknown> = {}): GraphEvent {
  const at = (ms: number) => ({ dateTime: new Date(ms).toISOString().replace('Z', '0000'), timeZone: 'UTC' });
  return {
    id,
    subject: `Event ${id}`,
    body: { contentType: 'text', content: '' },
    start: at(start),
    end: at(start + HOUR),
    originalStartTimeZone: 'UTC',
    isAllDay: false,
    isCancelled: false,
    isOrganizer: false,
    categories: [],
    location: { displayName: '' },
    organizer: { emailAddress: { name: 'Rita Recruiter', address: 'rita@acme.example' } },
    attendees: [],
    responseStatus: { response: 'accepted', time: '0001-01-01T00:00:00Z' },
    ...overrides,
  };
}

describe('outlook calendar on Graph', () => {
  let server: GraphServer;
  const tomorrow = Math.ceil(Date.now() / HOUR) * HOUR + DAY;

  beforeEach(async () => {
    server = await startGraphServer();
  });
  afterEach(async () => {
    await server.close();
  });

  it('follows every page and replays nextLink and deltaLink exactly as given', async () => {
    for (let i = 0; i < 5; i += 1) server.calendar.putGraphEvent(graphEvent(`ev${i}`, tomorrow + i * HOUR));
    const calendar = await source(server, { pageSize: 2, ownerEmail: server.user.mail });
    const first = await syncAll(calendar, null);
    expect(first.pages).toBe(3);
    expect(first.full).toBe(true);
    expect(first.upserts.map((e) => e.id)).toEqual(['ev0', 'ev1', 'ev2', 'ev3', 'ev4']);
    server.calendar.putGraphEvent(graphEvent('ev1', tomorrow + 9 * HOUR));
    const second = await syncAll(calendar, first.cursor);
    expect(second.full).toBe(false);
    expect(second.upserts.map((e) => e.id)).toEqual(['ev1']);

    const requests = server.graphRequests();
    expect(requests[0]?.url).toMatch(/^\/v1\.0\/me\/calendarView\/delta\?startDateTime=[^&]+&endDateTime=[^&]+$/);
    // Every later request is a link the server handed out, byte for byte.
    for (const request of requests.slice(1)) expect(server.calendar.links).toContain(request.href);
    const deltaLink = (JSON.parse(first.cursor) as { link: string }).link;
    expect(requests[3]?.href).toBe(deltaLink);
    expect(requests).toHaveLength(4);
  });

  it('sends Prefer: odata.maxpagesize, UTC times and immutable ids on every request', async () => {
    for (let i = 0; i < 3; i += 1) server.calendar.putGraphEvent(graphEvent(`ev${i}`, tomorrow + i * HOUR));
    const calendar = await source(server, { pageSize: 2, ownerEmail: server.user.mail });
    const first = await syncAll(calendar, null);
    await syncAll(calendar, first.cursor);
    await calendar.freeBusy({ from: tomorrow, to: tomorrow + DAY }, new AbortController().signal);
    const requests = server.graphRequests();
    expect(requests.length).toBeGreaterThanOrEqual(4);
    for (const request of requests) {
      expect(request.headers['prefer']).toBe('odata.maxpagesize=2, outlook.timezone="UTC", IdType="ImmutableId"');
    }
  });

  it('turns @removed entries into deletions, including events that left the window', async () => {
    server.calendar.putGraphEvent(graphEvent('stays', tomorrow));
    server.calendar.putGraphEvent(graphEvent('deleted', tomorrow + HOUR));
    server.calendar.putGraphEvent(graphEvent('moved-away', tomorrow + 2 * HOUR));
    const calendar = await source(server, { ownerEmail: server.user.mail });
    const first = await syncAll(calendar, null);
    server.calendar.removeGraphEvent('deleted');
    server.calendar.putGraphEvent(graphEvent('moved-away', tomorrow + 200 * DAY));
    const second = await syncAll(calendar, first.cursor);
    expect(second.full).toBe(false);
    expect(second.upserts).toEqual([]);
    expect(second.deletions.sort()).toEqual(['deleted', 'moved-away']);
  });

  it('answers a delta token Graph dropped (410 syncStateNotFound) with a full listing', async () => {
    server.calendar.putGraphEvent(graphEvent('a', tomorrow));
    const calendar = await source(server, { ownerEmail: server.user.mail });
    const first = await syncAll(calendar, null);
    server.calendar.putGraphEvent(graphEvent('b', tomorrow + HOUR));
    server.calendar.invalidateDeltaTokens();
    const second = await syncAll(calendar, first.cursor);
    expect(second.full).toBe(true);
    expect(second.upserts.map((e) => e.id).sort()).toEqual(['a', 'b']);
    expect(server.graphRequests().map((r) => r.status)).toEqual([200, 410, 200]);
    // The new cursor works incrementally again.
    expect((await syncAll(calendar, second.cursor)).full).toBe(false);
  });

  // A delta token Graph no longer serves: "410 Gone" ("the application must restart with a full
  // synchronization", https://learn.microsoft.com/en-us/answers/questions/649481), or 400
  // BadRequest with `syncStateNotFound` ("The delta token is expired and data must be
  // synchronized again", https://devblogs.microsoft.com/microsoft365dev/duration-of-change-tracking-tokens-for-identity-and-education-resources/),
  // or `resyncRequired`: the listing starts over, nothing read as deleted.
  it.each([
    [410, 'resyncRequired'],
    [400, 'syncStateNotFound'],
    [400, 'resyncRequired'],
  ])('answers %i %s on the delta link with a full listing', async (status, code) => {
    server.calendar.putGraphEvent(graphEvent('a', tomorrow));
    const calendar = await source(server, { ownerEmail: server.user.mail });
    const first = await syncAll(calendar, null);
    server.fault({ path: /calendarView\/delta/, status, code });
    const second = await syncAll(calendar, first.cursor);
    expect(second.full).toBe(true);
    expect(second.upserts.map((e) => e.id)).toEqual(['a']);
    expect(second.deletions).toEqual([]);
  });

  // A 404 about the account, not the event: "REST API is not yet supported for this mailbox."
  // with MailboxNotSupportedForRESTAPI (Microsoft's KB 4462988,
  // learn.microsoft.com/exchange/troubleshoot/user-and-shared-mailboxes/rest-api-is-not-yet-supported-for-this-mailbox-error)
  // was read as the event deleted. Failed before: readEvent answered null. The 404 of an event
  // that is gone (ErrorItemNotFound) still reads as gone (a guard: that row passed before too).
  it('reads a 404 MailboxNotSupportedForRESTAPI as the account unusable, and only ErrorItemNotFound as the event gone', async () => {
    server.calendar.putGraphEvent(graphEvent('kept', tomorrow));
    const calendar = await source(server, { ownerEmail: server.user.mail });
    if (!calendar.readEvent) throw new Error('the Graph calendar reads one event');
    const signal = new AbortController().signal;
    server.fault({ path: /\/me\/events\//, status: 404, code: 'MailboxNotSupportedForRESTAPI', message: 'REST API is not yet supported for this mailbox.' });
    const refused = await calendar.readEvent('kept', signal).catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(AccountUnusableError);
    expect((refused as AccountUnusableError).fix).toMatch(/cannot reach a mailbox for this account/);
    server.fault({ path: /\/me\/events\//, status: 404, code: 'ErrorItemNotFound', message: 'The specified object was not found in the store.' });
    expect(await calendar.readEvent('kept', signal)).toBeNull();
    expect((await calendar.readEvent('kept', signal))?.id).toBe('kept');
  });

  it('starts a full listing over a new window once the window has moved on by a day', async () => {
    server.calendar.putGraphEvent(graphEvent('a', tomorrow));
    let clock = Date.now();
    const calendar = await source(server, { ownerEmail: server.user.mail, now: () => clock });
    const first = await syncAll(calendar, null);
    clock += 12 * HOUR;
    expect((await syncAll(calendar, first.cursor)).full).toBe(false);
    clock += 12 * HOUR;
    const moved = await syncAll(calendar, first.cursor);
    expect(moved.full).toBe(true);
    const last = server.graphRequests().at(-1);
    const start = new URL(last?.href ?? '').searchParams.get('startDateTime');
    expect(Date.parse(start ?? '')).toBe(clock - DAY);
    expect(JSON.parse(moved.cursor)).toMatchObject({ from: clock - DAY, to: clock + 60 * DAY });
  });

  it('turns a 429 into a RateLimitError with the Retry-After after exactly one request', async () => {
    const calendar = await source(server, { ownerEmail: server.user.mail });
    server.fault({ path: /calendarView\/delta/, status: 429, headers: { 'Retry-After': '7' } });
    const failure = await syncAll(calendar, null).then(
      () => null,
      (error: unknown) => error,
    );
    expect(failure).toBeInstanceOf(RateLimitError);
    expect((failure as RateLimitError).retryAfterMs).toBe(7_000);
    expect(server.graphRequests()).toHaveLength(1);
  });

  // Graph's throttling answers carry Retry-After in seconds
  // (https://learn.microsoft.com/graph/throttling); a proxy or gateway in front of it may send the
  // other form RFC 9110 §10.2.3 allows, an HTTP-date, which must be read as the same wait.
  it('reads a Retry-After given as an HTTP-date', async () => {
    const calendar = await source(server, { ownerEmail: server.user.mail });
    const until = Math.ceil((Date.now() + 45_000) / 1000) * 1000;
    server.fault({ path: /calendarView\/delta/, status: 429, headers: { 'Retry-After': new Date(until).toUTCString() } });
    const started = Date.now();
    const failure = await syncAll(calendar, null).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(RateLimitError);
    expect((failure as RateLimitError).retryAfterMs).toBeGreaterThanOrEqual(until - Date.now());
    expect((failure as RateLimitError).retryAfterMs).toBeLessThanOrEqual(until - started);
  });

  it('turns a 503 into a RateLimitError when it says when to come back, else a TransientError', async () => {
    const calendar = await source(server, { ownerEmail: server.user.mail });
    server.fault({ path: /calendarView\/delta/, status: 503, headers: { 'Retry-After': '120' } });
    await expect(syncAll(calendar, null)).rejects.toMatchObject({ name: 'RateLimitError', retryAfterMs: 120_000 });
    server.fault({ path: /calendarView\/delta/, status: 503 });
    await expect(syncAll(calendar, null)).rejects.toBeInstanceOf(TransientError);
    expect(server.graphRequests()).toHaveLength(2);
  });

  it('fails a sync whose next page expired half-way as transient, and the next sync starts that round again', async () => {
    for (let i = 0; i < 4; i += 1) server.calendar.putGraphEvent(graphEvent(`ev${i}`, tomorrow + i * HOUR));
    const calendar = await source(server, { pageSize: 2, ownerEmail: server.user.mail });
    const first = await syncAll(calendar, null);
    for (let i = 0; i < 4; i += 1) server.calendar.putGraphEvent(graphEvent(`ev${i}`, tomorrow + i * HOUR + 1_800_000));
    server.fault({ path: /skiptoken/, status: 410, code: 'syncStateNotFound' });
    await expect(syncAll(calendar, first.cursor)).rejects.toBeInstanceOf(TransientError);
    const again = await syncAll(calendar, first.cursor);
    expect(again.full).toBe(false);
    expect(again.upserts.map((e) => e.id)).toEqual(['ev0', 'ev1', 'ev2', 'ev3']);
  });

  it('refreshes a token Graph stopped accepting, once, and says "sign in again" when the refresh is refused', async () => {
    server.calendar.putGraphEvent(graphEvent('a', tomorrow));
    const calendar = await source(server, { ownerEmail: server.user.mail });
    server.identity.revokeAccessTokens();
    expect((await syncAll(calendar, null)).upserts).toHaveLength(1);
    expect(server.identity.tokenRequests.filter((r) => r.grantType === 'refresh_token')).toHaveLength(1);
    server.identity.revokeAccessTokens();
    server.identity.revokeRefreshTokens();
    const failure = await syncAll(calendar, null).then(
      () => null,
      (error: unknown) => error,
    );
    expect(failure).toBeInstanceOf(AuthError);
    expect((failure as Error).message).toContain('Microsoft needs you to sign in again: run ringback connect microsoft');
  });

  it('reads an Outlook event: Windows zone, HTML body, category tag, Teams dial-in, the owner’s own answer', async () => {
    server.calendar.putGraphEvent(
      graphEvent('ev', tomorrow, {
        subject: 'Intro call',
        body: { contentType: 'html', content: '<html><head><style>p{}</style></head><body><p>Call me at +1&nbsp;415 555 0199</p><p>Ada &amp; Rita</p></body></html>' },
        originalStartTimeZone: 'W. Europe Standard Time',
        categories: ['Phone interview'],
        location: { displayName: 'Microsoft Teams Meeting' },
        isOnlineMeeting: true,
        onlineMeeting: { joinUrl: 'https://teams.example/l/1', tollNumber: '+1 323-555-0166', phones: [{ number: '+44 20 7946 0000', type: 'business' }] },
        attendees: [
          { type: 'required', status: { response: 'none' }, emailAddress: { name: 'Ada Park', address: 'ADA@example.org' } },
          { type: 'required', status: { response: 'accepted' }, emailAddress: { name: 'Sam Lee', address: 'sam@acme.example' } },
        ],
        responseStatus: { response: 'tentativelyAccepted', time: '2031-01-01T00:00:00Z' },
      }),
    );
    server.calendar.putGraphEvent(graphEvent('cancelled', tomorrow + HOUR, { isCancelled: true, attendees: [], responseStatus: { response: 'notResponded' } }));
    const calendar = await source(server, { ownerEmail: server.user.mail });
    const { upserts } = await syncAll(calendar, null);
    expect(upserts.find((e) => e.id === 'ev')).toEqual({
      id: 'ev',
      title: 'Intro call',
      description: 'Call me at +1 415 555 0199\nAda & Rita',
      location: 'Microsoft Teams Meeting',
      start: tomorrow,
      end: tomorrow + HOUR,
      timeZone: 'Europe/Berlin',
      allDay: false,
      status: 'confirmed',
      organizer: { name: 'Rita Recruiter', email: 'rita@acme.example' },
      attendees: [
        { name: 'Ada Park', email: 'ada@example.org', status: 'tentative', self: true },
        { name: 'Sam Lee', email: 'sam@acme.example', status: 'accepted' },
      ],
      categories: ['Phone interview'],
      tags: {},
      conferencePhones: ['+1 323-555-0166', '+44 20 7946 0000'],
      conference: ['https://teams.example/l/1'],
    });
    expect(upserts.find((e) => e.id === 'cancelled')).toMatchObject({
      status: 'cancelled',
      attendees: [{ name: '', email: 'ada@example.org', status: 'needs-action', self: true }],
    });
  });

  it('reads the zone names Graph returns besides Windows and IANA ones: display names, Lotus-style names, and no name for a custom zone', async () => {
    // originalStartTimeZone: "tzone://Microsoft/Custom" when desktop Outlook set a legacy custom
    // zone (Graph's event resource); start.timeZone may come back as a Windows display name
    // (microsoftgraph/msgraph-sdk-dotnet#1537) when the Prefer header is not honoured.
    const berlin = (ms: number) => ({
      dateTime: DateTime.fromMillis(ms, { zone: 'Europe/Berlin' }).toFormat("yyyy-MM-dd'T'HH:mm:ss.SSS'0000'"),
      timeZone: '(UTC+01:00) Amsterdam, Berlin, Bern, Rome, Stockholm, Vienna',
    });
    const later = tomorrow + 2 * HOUR;
    server.calendar.putGraphEvent(graphEvent('display', tomorrow, { originalStartTimeZone: '(UTC-05:00) Eastern Time (US & Canada)' }));
    server.calendar.putGraphEvent(graphEvent('custom', tomorrow + HOUR, { originalStartTimeZone: 'tzone://Microsoft/Custom' }));
    server.calendar.putGraphEvent(graphEvent('berlin-times', later, { originalStartTimeZone: 'W. Europe Standard Time', start: berlin(later), end: berlin(later + HOUR) }));
    const calendar = await source(server, { ownerEmail: server.user.mail });
    const { upserts, skipped } = await syncAll(calendar, null);
    expect(skipped).toEqual([]);
    // The Berlin wall times are read in Berlin: the same instants as written.
    expect(upserts.map((e) => [e.id, e.start, e.end, e.timeZone])).toEqual([
      ['display', tomorrow, tomorrow + HOUR, 'America/New_York'],
      ['custom', tomorrow + HOUR, tomorrow + 2 * HOUR, null],
      ['berlin-times', later, later + HOUR, 'Europe/Berlin'],
    ]);
  });

  it('reports busy times from the calendar view, leaving out free and cancelled events', async () => {
    server.calendar.putGraphEvent(graphEvent('busy', tomorrow));
    server.calendar.putGraphEvent(graphEvent('free', tomorrow + 2 * HOUR, { showAs: 'free' }));
    server.calendar.putGraphEvent(graphEvent('cancelled', tomorrow + 4 * HOUR, { isCancelled: true }));
    server.calendar.putGraphEvent(graphEvent('tentative', tomorrow + 6 * HOUR, { showAs: 'tentative' }));
    server.calendar.putGraphEvent(graphEvent('later', tomorrow + 3 * DAY));
    const calendar = await source(server, { ownerEmail: server.user.mail, pageSize: 1 });
    const busy = await calendar.freeBusy({ from: tomorrow - HOUR, to: tomorrow + DAY }, new AbortController().signal);
    expect(busy).toEqual([
      { start: tomorrow, end: tomorrow + HOUR },
      { start: tomorrow + 6 * HOUR, end: tomorrow + 7 * HOUR },
    ]);
    // One page per event; each next page asked for with the link as given ($skip stays last).
    const requests = server.graphRequests();
    expect(requests).toHaveLength(4);
    for (const request of requests.slice(1)) expect(server.calendar.links).toContain(request.href);
  });

  it('answers a cursor that points outside the API with a full listing, never sending the token there', async () => {
    server.calendar.putGraphEvent(graphEvent('a', tomorrow));
    const calendar = await source(server, { ownerEmail: server.user.mail });
    const forged = JSON.stringify({ v: 1, link: 'https://attacker.example/v1.0/me/calendarView/delta?$deltatoken=x', from: Date.now() - DAY, to: Date.now() + 60 * DAY });
    const result = await syncAll(calendar, forged);
    expect(result.full).toBe(true);
    expect(server.graphRequests()[0]?.url).toMatch(/startDateTime=/);
  });
});
