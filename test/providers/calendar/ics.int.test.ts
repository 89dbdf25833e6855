/**
 * The ics source against a real HTTP server (node:http on 127.0.0.1) that serves a feed with ETag
 * and Last-Modified, answers conditional requests with 304 and counts what it receives.
 */
import { createHash } from 'node:crypto';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Millis } from '../../../src/domain/types.js';
import { plainHttpCredentials } from '../../../src/providers/calendar/ics-fetch.js';
import { createIcsSource, type IcsSourceOptions } from '../../../src/providers/calendar/ics.js';
import { PermanentError, RateLimitError, TransientError } from '../../../src/providers/errors.js';
import { freePort } from '../../support/redis-server.js';
import {
  describeCalendarContract,
  harnessCalendarToIcs,
  syncAll,
  type CalendarHarness,
  type HarnessEvent,
} from './contract.js';

const SECRET_PATH = '/calendar/ical/private-s3cr3tt0ken/basic.ics';
const SECRET_QUERY = '?key=hunter2';

interface Feed {
  readonly url: string;
  readonly requests: IncomingHttpHeaders[];
  /** Replaces the feed; a new body gets a new ETag and Last-Modified. */
  setBody(body: string): void;
  /** Makes every answer this status (with these headers) until set back to null. */
  failWith(status: number | null, headers?: Record<string, string>): void;
  /** Drops the validators: the server then always answers 200. */
  withoutValidators(): void;
  /** Delays every answer. */
  delay(ms: number): void;
  close(): Promise<void>;
}

async function startFeed(initial: string): Promise<Feed> {
  let body = initial;
  let etag = '';
  let lastModified = '';
  let validators = true;
  let failure: { status: number; headers: Record<string, string> } | null = null;
  let delayMs = 0;
  let version = 0;
  const requests: IncomingHttpHeaders[] = [];
  const setBody = (text: string): void => {
    body = text;
    version += 1;
    etag = `"${createHash('sha256').update(text).digest('hex').slice(0, 16)}"`;
    // Whole seconds, as HTTP dates have; a new version is always a later second.
    lastModified = new Date(Date.UTC(2024, 0, 1) + version * 1_000).toUTCString();
  };
  setBody(initial);
  const server: Server = createServer((request, response) => {
    requests.push(request.headers);
    const answer = (): void => {
      if (request.url !== SECRET_PATH + SECRET_QUERY) {
        response.writeHead(404).end('not found');
      } else if (failure) {
        response.writeHead(failure.status, failure.headers).end('failure');
      } else if (validators && request.headers['if-none-match'] === etag) {
        response.writeHead(304, { etag, 'last-modified': lastModified }).end();
      } else {
        const headers: Record<string, string> = { 'content-type': 'text/calendar; charset=utf-8' };
        if (validators) Object.assign(headers, { etag, 'last-modified': lastModified });
        response.writeHead(200, headers).end(body);
      }
    };
    if (delayMs > 0) setTimeout(answer, delayMs);
    else answer();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}${SECRET_PATH}${SECRET_QUERY}`,
    requests,
    setBody,
    failWith: (status, headers = {}) => {
      failure = status === null ? null : { status, headers };
    },
    withoutValidators: () => {
      validators = false;
    },
    delay: (ms) => {
      delayMs = ms;
    },
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((error) => (error ? reject(error) : resolve()));
      }),
  };
}

const stamp = (ms: Millis): string => new Date(ms).toISOString().replace(/[-:]/g, '').replace(/\.\d{3}/, '');
const NOW = Date.parse('2024-03-04T12:00:00Z');

function feedOf(...titles: string[]): string {
  const events = titles.map((title, i) =>
    [
      'BEGIN:VEVENT',
      `UID:${title.toLowerCase().replace(/\W+/g, '-')}@feed.test`,
      `DTSTART:${stamp(NOW + (i + 1) * 86_400_000)}`,
      `DTEND:${stamp(NOW + (i + 1) * 86_400_000 + 1_800_000)}`,
      `SUMMARY:${title}`,
      'END:VEVENT',
    ].join('\r\n'),
  );
  return ['BEGIN:VCALENDAR', 'VERSION:2.0', ...events, 'END:VCALENDAR', ''].join('\r\n');
}

describe('ics source over HTTP', () => {
  let feed: Feed;
  let now: Millis;

  beforeEach(async () => {
    feed = await startFeed(feedOf('Phone screen'));
    now = NOW;
  });
  afterEach(async () => {
    await feed.close();
  });

  const source = (extra: Partial<IcsSourceOptions> = {}) =>
    createIcsSource({ id: 'ics-url', url: feed.url, horizonDays: 30, now: () => now, ...extra });

  const failure = async (options: Partial<IcsSourceOptions> = {}): Promise<Error> => {
    const error: unknown = await syncAll(source(options), null).then(
      () => new Error('the sync did not fail'),
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(Error);
    const message = (error as Error).message;
    for (const secret of ['s3cr3t', 'hunter2', 'calendar/ical']) expect(message).not.toContain(secret);
    return error as Error;
  };

  it('asks conditionally and takes a 304 as "unchanged", one request per sync', async () => {
    const first = await syncAll(source(), null);
    expect(first.full).toBe(true);
    expect(first.upserts.map((e) => e.title)).toEqual(['Phone screen']);
    expect(feed.requests).toHaveLength(1);
    expect(feed.requests[0]?.['if-none-match']).toBeUndefined();

    const second = await syncAll(source(), first.cursor);
    expect(second).toMatchObject({ full: false, upserts: [], deletions: [], pages: 1 });
    expect(feed.requests).toHaveLength(2);
    expect(feed.requests[1]?.['if-none-match']).toMatch(/^"[0-9a-f]{16}"$/);
    expect(feed.requests[1]?.['if-modified-since']).toMatch(/GMT$/);

    const third = await syncAll(source(), second.cursor);
    expect(third.upserts).toEqual([]);
    expect(feed.requests).toHaveLength(3);
  });

  it('takes a changed feed (200) as a full listing', async () => {
    const first = await syncAll(source(), null);
    feed.setBody(feedOf('Phone screen', 'Second round'));
    const second = await syncAll(source(), first.cursor);
    expect(feed.requests).toHaveLength(2);
    expect(second.full).toBe(true);
    expect(second.upserts.map((e) => e.title)).toEqual(['Phone screen', 'Second round']);
  });

  it('compares content when the server sends no validators', async () => {
    feed.withoutValidators();
    const first = await syncAll(source(), null);
    const second = await syncAll(source(), first.cursor);
    expect(second).toMatchObject({ full: false, upserts: [] });
    expect(feed.requests[1]?.['if-none-match']).toBeUndefined();
  });

  it('asks without validators on a new day, to expand the moved window', async () => {
    const first = await syncAll(source(), null);
    now += 86_400_000;
    const second = await syncAll(source(), first.cursor);
    expect(feed.requests[1]?.['if-none-match']).toBeUndefined();
    expect(second.full).toBe(true);
    expect(second.upserts.map((e) => e.title)).toEqual(['Phone screen']);
  });

  it.each([401, 403, 404, 410])('takes %i as permanent, naming only the host', async (status) => {
    feed.failWith(status);
    const error = await failure();
    expect(error).toBeInstanceOf(PermanentError);
    expect(error.message).toBe(`the calendar URL answered ${status}: check the secret address (host ${new URL(feed.url).host})`);
  });

  it('takes 429 as a rate limit with the Retry-After it was given', async () => {
    feed.failWith(429, { 'retry-after': '120' });
    const error = await failure();
    expect(error).toBeInstanceOf(RateLimitError);
    expect((error as RateLimitError).retryAfterMs).toBe(120_000);
  });

  // RFC 9110 §15.6.4: a 503 "MAY send a Retry-After header field to suggest an appropriate amount
  // of time for the client to wait" (§10.2.3: seconds or an HTTP-date). A feed host that says when
  // to come back is not asked again every poll until then.
  it('takes a 503 that says when to come back as a rate limit, in seconds or as a date', async () => {
    feed.failWith(503, { 'retry-after': '600' });
    const error = await failure();
    expect(error).toBeInstanceOf(RateLimitError);
    expect((error as RateLimitError).retryAfterMs).toBe(600_000);
    // The source's clock stands still at `now`: five minutes after it, to the second.
    feed.failWith(503, { 'retry-after': new Date(now + 300_000).toUTCString() });
    const dated = await failure();
    expect(dated).toBeInstanceOf(RateLimitError);
    expect((dated as RateLimitError).retryAfterMs).toBe(300_000 - (now % 1000));
  });

  it('takes 5xx and an unreachable host as transient', async () => {
    feed.failWith(503);
    expect(await failure()).toBeInstanceOf(TransientError);
    const port = await freePort();
    const unreachable = `http://127.0.0.1:${port}${SECRET_PATH}${SECRET_QUERY}`;
    const error = await failure({ url: unreachable });
    expect(error).toBeInstanceOf(TransientError);
    expect(error.message).toContain(`127.0.0.1:${port}`);
  });

  it('refuses an answer larger than maxBytes, and one that is not a calendar', async () => {
    expect(await failure({ maxBytes: 50 })).toBeInstanceOf(PermanentError);
    feed.setBody('<html><body>Sign in</body></html>');
    expect((await failure()).message).toMatch(/not an iCalendar calendar/);
  });

  it('sends credentials written into the URL as Basic auth', async () => {
    const withCredentials = feed.url.replace('http://', 'http://ada:p%40ss@');
    await syncAll(source({ url: withCredentials }), null);
    expect(feed.requests[0]?.authorization).toBe(`Basic ${Buffer.from('ada:p@ss').toString('base64')}`);
  });

  it('refuses a user name and password in a plain http address before any request', async () => {
    // They were sent in the clear as Basic auth; only this computer's loopback may carry them.
    let requests = 0;
    const counting: typeof fetch = (input, init) => {
      requests++;
      return fetch(input, init);
    };
    const error = await failure({ url: 'http://ada:hunter2@calendar.example.invalid/calendar/ical/private-s3cr3tt0ken/basic.ics', fetch: counting });
    expect(error).toBeInstanceOf(PermanentError);
    expect(error.message).toBe('the calendar URL on calendar.example.invalid has a user name and password but starts with http:, which would send them unencrypted: use its https: address');
    expect(requests).toBe(0);
    expect(plainHttpCredentials('https://ada:hunter2@calendar.example.invalid/x.ics')).toBeNull();
    expect(plainHttpCredentials('webcal://ada:hunter2@calendar.example.invalid/x.ics')).toBeNull();
    expect(plainHttpCredentials('http://calendar.example.invalid/private-token/x.ics')).toBeNull();
  });

  it('stops when the sync is aborted, with the abort and not a provider error', async () => {
    feed.delay(2_000);
    const controller = new AbortController();
    const pages = source().sync(null, controller.signal)[Symbol.asyncIterator]();
    const pending = pages.next();
    setTimeout(() => controller.abort(new Error('shutting down')), 50);
    await expect(pending).rejects.toThrow('shutting down');
  });
});

// Feeds that answered with nothing or with part of the calendar for a while (ics-whole.ts cites
// the reports): such an answer is an outage of the account, never a listing with events missing.
describe('ics source: an answer that cannot be the whole calendar', () => {
  let feed: Feed;
  beforeEach(async () => {
    feed = await startFeed(feedOf('Phone screen', 'Second round'));
  });
  afterEach(async () => {
    await feed.close();
  });
  const source = (settleMs = 20) => createIcsSource({ id: 'ics-url', url: feed.url, horizonDays: 30, now: () => NOW, settleMs });
  const whole = feedOf('Phone screen', 'Second round');
  const cutInsideEntry = whole.slice(0, whole.lastIndexOf('SUMMARY:Second'));
  const cutBetweenEntries = whole.slice(0, whole.lastIndexOf('END:VCALENDAR'));

  for (const [name, body] of [
    ['an empty body', ''],
    ['a body cut inside its last entry', cutInsideEntry],
    ['a body cut before END:VCALENDAR', cutBetweenEntries],
  ] as const) {
    it(`takes ${name} as a transient fault after reading it twice, not as a listing`, async () => {
      const first = await syncAll(source(), null);
      expect(first.upserts).toHaveLength(2);
      feed.setBody(body);
      const error: unknown = await syncAll(source(), first.cursor).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(TransientError);
      expect((error as Error).message).toMatch(/^the calendar URL on 127\.0\.0\.1:\d+ is not a whole calendar: /);
      expect((error as Error).message).not.toContain('s3cr3t');
      // Read again, without validators, before giving up.
      expect(feed.requests).toHaveLength(3);
      expect(feed.requests[2]?.['if-none-match']).toBeUndefined();
    });
  }

  it('uses the second read when the feed is whole again by then', async () => {
    const first = await syncAll(source(), null);
    feed.setBody(cutInsideEntry);
    const pending = syncAll(source(1_000), first.cursor);
    // The editor is done between the two reads: once the cut answer was served.
    while (feed.requests.length < 2) await new Promise((r) => setTimeout(r, 5));
    feed.setBody(feedOf('Phone screen', 'Second round', 'Third round'));
    const second = await pending;
    expect(feed.requests).toHaveLength(3);
    expect(second.full).toBe(true);
    expect(second.upserts.map((e) => e.title)).toEqual(['Phone screen', 'Second round', 'Third round']);
  });

  it('lists a calendar that really has no events as an empty full listing', async () => {
    feed.setBody(feedOf());
    const listing = await syncAll(source(), null);
    expect(listing).toMatchObject({ full: true, upserts: [] });
    expect(feed.requests).toHaveLength(1);
  });
});

async function makeUrlHarness(): Promise<CalendarHarness> {
  const events = new Map<string, HarnessEvent>();
  const feed = await startFeed(harnessCalendarToIcs([]));
  const started = Date.now();
  const source = createIcsSource({ id: 'ics-url', url: feed.url, horizonDays: 30, now: () => started });
  const publish = (): void => feed.setBody(harnessCalendarToIcs(events.values()));
  return {
    source,
    putEvent(event) {
      events.set(event.uid, event);
      publish();
      return Promise.resolve(event.uid);
    },
    removeEvent(uid) {
      events.delete(uid);
      publish();
      return Promise.resolve();
    },
    async close() {
      await source.close();
      await feed.close();
    },
  };
}

describeCalendarContract('ics url', makeUrlHarness);
