/**
 * Google Calendar as a {@link CalendarSource}, through `events.list` sync tokens.
 *
 * Sync follows Google's incremental sync guide: a full listing (`singleEvents=true`, `timeMin`
 * and `timeMax` around the horizon) page by page, keeping the `nextSyncToken` that only the last
 * page carries; then polls that send the sync token alone (no time bounds, which Google rejects
 * with 400) and return what changed, deleted events as `status: cancelled` tombstones. A 410
 * (`fullSyncRequired`, `updatedMinTooLongAgo`) starts a full listing again.
 *
 * The cursor keeps one sync token per calendar. A full listing always covers every configured
 * calendar: the port reads `full: true` as "events not listed are gone", for the whole source.
 *
 * A windowed sync token never reports an event that nobody changed but that time brought inside
 * the horizon; so once the horizon has moved by `windowRefreshHours`, the next poll is a full
 * listing again.
 *
 * Event ids are Google's: a recurring occurrence has its own instance id (`<series>_<start>`),
 * already unique, with `recurringEventId` and `originalStartTime` beside it.
 *
 * `events.list`, the request of every sync and poll, takes neither googleapis' per-call machinery
 * (a deep copy of the client's options, a URL template, headers rebuilt on each call) nor, once
 * the account holds an access token with an expiry and no proxy is configured, gaxios and
 * node-fetch: it goes out on Node's own HTTP client with the OAuth client's Authorization header
 * (http-get.ts, which says why and what falls back to the OAuth client's `request`). An account
 * that holds no access token yet (at start, after a 401) has it refreshed first, so that its
 * request too can go the direct way. Token refresh, the 401 retry of callGoogle, 410, 429 and the
 * error mapping are the same on both paths.
 * Free/busy and the connect check, rare, keep the googleapis client.
 *
 * Here: the source and its free/busy; the sync in calendar-sync.ts, the events in calendar-events.ts.
 */
import { calendar_v3 } from 'googleapis/build/src/apis/calendar/index.js';
import { mergeIntervals } from '../../domain/intervals.js';
import type { CalendarEvent, Millis } from '../../domain/types.js';
import type { BusyInterval, CalendarSource, Cursor, SyncPage, TimeRange } from '../calendar/types.js';
import { ExpectedStatus, PermanentError, TransientError } from '../errors.js';
import { apiAuth, callGoogle, type GoogleAuthClient } from './auth.js';
import { toCalendarEvent } from './calendar-events.js';
import { syncGoogleCalendars, type ListPage } from './calendar-sync.js';
import { directGetUsable, getJson, proxyConfigured } from './http-get.js';

const HOUR = 3_600_000;

export interface GoogleCalendarSourceOptions {
  /** The account id from the config. */
  readonly id: string;
  readonly auth: GoogleAuthClient;
  /** Calendar ids. @defaultValue ['primary'] */
  readonly calendars?: readonly string[];
  /** How far ahead the full listing reaches. */
  readonly horizonDays: number;
  readonly now: () => Millis;
  /** API root for tests and proxies; its path is ignored. @defaultValue 'https://www.googleapis.com/' */
  readonly rootUrl?: string;
  /** Page size asked for (Google may send fewer, even none). @defaultValue 250 */
  readonly maxResults?: number;
  /** How far the horizon may move before a full listing picks up what came into it. @defaultValue 24 */
  readonly windowRefreshHours?: number;
}

export function createGoogleCalendarSource(options: GoogleCalendarSourceOptions): CalendarSource {
  const calendars = options.calendars && options.calendars.length > 0 ? [...options.calendars] : ['primary'];
  const api = calendarApi(options.auth, options.rootUrl);
  const maxResults = options.maxResults ?? 250;
  const refreshMs = (options.windowRefreshHours ?? 24) * HOUR;

  const root = options.rootUrl ?? DEFAULT_ROOT;
  const urls = new Map<string, string>();
  const listPage: ListPage = async (calendarId, params, signal) => {
    let base = urls.get(calendarId);
    if (base === undefined) urls.set(calendarId, (base = eventsUrl(root, calendarId)));
    const query: Record<string, string | number | boolean> = { singleEvents: true, maxResults };
    for (const [name, value] of Object.entries(params)) if (value !== undefined && value !== null) query[name] = value;
    const response = await callGoogle(
      options.auth,
      { what: `listing events of calendar ${calendarId}`, signal, now: options.now, expect: [410] },
      async () => {
        // No access token yet (the first request since start, or the retry after a 401): the OAuth
        // client's request would refresh it first anyway, with this same call (the same refresh,
        // `tokens` event and error); made here, it lets the request itself take the direct path when
        // the new token has an expiry. The first page of a first sync is the largest answer a
        // calendar sends, and gaxios with node-fetch cost about 1 ms more of CPU to read it (fleet
        // benchmark, bench/README.md 2026-12-06 11:40).
        if (!options.auth.credentials.access_token && !proxyConfigured()) await options.auth.getRequestHeaders(base);
        if (!directGetUsable(options.auth)) {
          return options.auth.request<calendar_v3.Schema$Events>({ url: base, method: 'GET', params: query, headers: LIST_HEADERS, signal });
        }
        const url = new URL(base);
        for (const [name, value] of Object.entries(query)) url.searchParams.append(name, String(value));
        return getJson<calendar_v3.Schema$Events>(options.auth, url, { signal, timeoutMs: options.auth.timeoutMs });
      },
    );
    return response.data;
  };

  return {
    id: options.id,
    async *sync(cursor: Cursor | null, signal: AbortSignal): AsyncIterable<SyncPage> {
      yield* syncGoogleCalendars({ listPage, calendars, now: options.now(), horizonDays: options.horizonDays, refreshMs }, cursor, signal);
    },

    readEvent: (eventId, signal) => readEvent(api, { auth: options.auth, now: options.now, calendars }, eventId, signal),

    freeBusy: (range, signal) => freeBusy(api, { auth: options.auth, now: options.now, calendars }, range, signal),

    async close(): Promise<void> {
      // Nothing is held open: each request is its own HTTP exchange.
    },
  };
}

const DEFAULT_ROOT = 'https://www.googleapis.com/';

/**
 * What googleapis' `events.list` sends besides the URL and the parameters: it asks for a
 * compressed answer, as the library does.
 */
const LIST_HEADERS = { 'Accept-Encoding': 'gzip' } as const;

/**
 * The address of a calendar's events, as googleapis builds it: the path on the root's origin (the
 * root's own path ignored), the calendar id percent-encoded like an RFC 6570 simple expansion
 * (`encodeURIComponent`, and `!'()*` too).
 */
export function eventsUrl(root: string, calendarId: string): string {
  const id = encodeURIComponent(calendarId).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
  return new URL(`/calendar/v3/calendars/${id}/events`, root).href;
}

function calendarApi(auth: GoogleAuthClient, rootUrl: string | undefined): calendar_v3.Calendar {
  return new calendar_v3.Calendar({
    auth: apiAuth<calendar_v3.Options['auth']>(auth),
    retry: false,
    ...(rootUrl ? { rootUrl } : {}),
  });
}

/**
 * One event by its id (`events.get`), from the first calendar that has it; null when none does
 * (404, or 410 for one deleted long ago) or the one that has it answers its `status: cancelled`
 * tombstone: "The get method always returns them", the Event resource's `status`
 * (https://developers.google.com/calendar/api/v3/reference/events). The calendar's own zone, which
 * a listing page carries and `events.get` does not, is not asked for: it only names the zone of an
 * event written without one.
 */
async function readEvent(
  api: calendar_v3.Calendar,
  account: { auth: GoogleAuthClient; now: () => Millis; calendars: readonly string[] },
  eventId: string,
  signal: AbortSignal,
): Promise<CalendarEvent | null> {
  for (const calendarId of account.calendars) {
    let item: calendar_v3.Schema$Event;
    try {
      item = (await callGoogle(account.auth, { what: `reading event ${eventId} of calendar ${calendarId}`, signal, now: account.now, expect: [404, 410] }, () =>
        api.events.get({ calendarId, eventId }, { signal }),
      )).data;
    } catch (error) {
      if (error instanceof ExpectedStatus) continue;
      throw error;
    }
    if (item.status === 'cancelled') return null;
    const event = toCalendarEvent(item, null);
    if ('reason' in event) throw new PermanentError(`event ${eventId} of calendar ${calendarId} cannot be read: ${event.reason}`);
    return event;
  }
  return null;
}

/** The busy time of every calendar in `range`, merged; a calendar Google has none for fails the call. */
async function freeBusy(
  api: calendar_v3.Calendar,
  account: { auth: GoogleAuthClient; now: () => Millis; calendars: readonly string[] },
  range: TimeRange,
  signal: AbortSignal,
): Promise<readonly BusyInterval[]> {
  const { calendars } = account;
  const response = await callGoogle(
    account.auth,
    { what: 'asking for free/busy times', signal, now: account.now },
    () =>
      api.freebusy.query(
        {
          requestBody: {
            timeMin: new Date(range.from).toISOString(),
            timeMax: new Date(range.to).toISOString(),
            items: calendars.map((id) => ({ id })),
          },
        },
        { signal },
      ),
  );
  const busy: BusyInterval[] = [];
  for (const calendarId of calendars) {
    const entry = response.data.calendars?.[calendarId];
    const reason = entry?.errors?.[0]?.reason;
    if (!entry || reason) {
      const why = reason ?? 'missing from the answer';
      if (reason === 'notFound') throw new PermanentError(`Google has no free/busy for calendar ${calendarId} (${why})`);
      throw new TransientError(`Google gave no free/busy for calendar ${calendarId} (${why})`);
    }
    for (const interval of entry.busy ?? []) {
      const start = Date.parse(interval.start ?? '');
      const end = Date.parse(interval.end ?? '');
      if (Number.isFinite(start) && Number.isFinite(end) && end > start) busy.push({ start, end });
    }
  }
  return mergeIntervals(busy);
}

/**
 * Checks that each calendar id can be read (one event asked for), for `connect google`. A
 * calendar Google does not know is a {@link PermanentError} naming it.
 */
export async function checkGoogleCalendars(options: {
  auth: GoogleAuthClient;
  calendars: readonly string[];
  rootUrl?: string;
  signal: AbortSignal;
}): Promise<void> {
  const api = calendarApi(options.auth, options.rootUrl);
  for (const calendarId of options.calendars) {
    try {
      await callGoogle(options.auth, { what: `reading calendar ${calendarId}`, signal: options.signal, expect: [404] }, () =>
        api.events.list({ calendarId, maxResults: 1, singleEvents: true, timeMin: new Date().toISOString() }, { signal: options.signal }),
      );
    } catch (error) {
      if (error instanceof ExpectedStatus) throw new PermanentError(`Google has no calendar "${calendarId}" that this account can read`);
      throw error;
    }
  }
}
