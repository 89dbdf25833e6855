/**
 * The Microsoft 365 / Outlook.com calendar source: the user's default calendar through Graph's
 * `/me/calendarView/delta` over a window of days around now.
 *
 * A round starts with the window's start and end and yields Graph's pages; each page but the last
 * carries an `@odata.nextLink`, the last an `@odata.deltaLink`. Both are opaque and replayed
 * exactly as given; the cursor keeps the deltaLink and the window it was made for. A delta token
 * keeps its window for good, so once the window has moved on by a day a new full round starts
 * (`full: true`), and the caller drops what fell out of it.
 *
 * `@removed` entries become deletions, including events that merely left the window (the caller
 * ignores ids it does not know). A delta token Graph no longer honours (410, `syncStateNotFound`,
 * `resyncRequired`) starts a full round instead of failing, when no page of the sync was yielded
 * yet; a link that expires in the middle of a round fails the sync as transient, and the next
 * sync starts that round again from the stored cursor.
 *
 * Occurrences of a recurring series come sparse and are completed from their series master; an
 * occurrence cancelled on its own is found by comparing the series' instances (calendar-series.ts).
 *
 * Every request says `Prefer: odata.maxpagesize=N, outlook.timezone="UTC", IdType="ImmutableId"`:
 * an event keeps its id when it moves between calendars, so the interview recorded for it does not
 * become a second one (https://learn.microsoft.com/en-us/graph/outlook-immutable-id).
 *
 * Here: the source and its free/busy; the delta rounds in calendar-delta.ts, the events in
 * calendar-events.ts.
 */
import type { Millis } from '../../domain/types.js';
import { ExpectedStatus, PermanentError, TransientError } from '../errors.js';
import type { BusyInterval, CalendarSource, Cursor, SyncPage, TimeRange } from '../calendar/types.js';
import { syncDelta, type DeltaPage } from './calendar-delta.js';
import { eventOf, timesOf, type GraphItem } from './calendar-events.js';
import { createSeriesCompleter } from './calendar-series.js';
import type { RequestSlots } from './concurrency.js';
import { createGraphApi, type GraphApi, type TokenSource } from './graph.js';
import { withQuery } from './graph-query.js';
import type { FetchLike } from './graph-transport.js';

export interface GraphCalendarOptions {
  /** The account id from the config. */
  readonly id: string;
  readonly getToken: TokenSource;
  /** @defaultValue 'https://graph.microsoft.com/v1.0' */
  readonly baseUrl?: string;
  /** The sync window around now, in days. @defaultValue { back: 1, ahead: 60 } */
  readonly windowDays?: { readonly back: number; readonly ahead: number };
  /** Events per page (`Prefer: odata.maxpagesize`). @defaultValue 100 */
  readonly pageSize?: number;
  /** The account's own address, to tell the user among the attendees. Read from `/me` when absent. */
  readonly ownerEmail?: string;
  /** IANA zone in which all-day events start and end at midnight. @defaultValue 'UTC' */
  readonly floatingZone?: string;
  readonly now: () => Millis;
  /** @defaultValue the global `fetch` */
  readonly fetch?: FetchLike;
  /** @defaultValue 30000 */
  readonly timeoutMs?: number;
  /** The account's request slots, shared with its other adapter. @defaultValue slots of its own */
  readonly slots?: RequestSlots;
}

const DAY = 86_400_000;

export function createGraphCalendarSource(options: GraphCalendarOptions): CalendarSource {
  const { id, now } = options;
  const back = options.windowDays?.back ?? 1;
  const ahead = options.windowDays?.ahead ?? 60;
  const floatingZone = options.floatingZone ?? 'UTC';
  const api = createGraphApi({
    getToken: options.getToken,
    ...(options.baseUrl ? { baseUrl: options.baseUrl } : {}),
    prefer: [`odata.maxpagesize=${options.pageSize ?? 100}`, 'outlook.timezone="UTC"', 'IdType="ImmutableId"'],
    ...(options.fetch ? { fetch: options.fetch } : {}),
    ...(options.timeoutMs ? { timeoutMs: options.timeoutMs } : {}),
    ...(options.slots ? { slots: options.slots } : {}),
    now,
  });
  let owner: Promise<string> | null = options.ownerEmail === undefined ? null : Promise.resolve(options.ownerEmail.toLowerCase());
  const ownerEmail = (signal: AbortSignal): Promise<string> => {
    owner ??= api.get<{ mail?: string | null; userPrincipalName?: string }>('/me?$select=mail,userPrincipalName', { what: 'reading the account address', signal }).then(
      (me) => (me.mail ?? me.userPrincipalName ?? '').toLowerCase(),
    );
    const asked = owner;
    // A failed lookup is not kept: the next sync asks again. (The failure itself reaches the caller.)
    void asked.catch(() => {
      if (owner === asked) owner = null;
    });
    return asked;
  };
  const seriesCompleter = createSeriesCompleter(api);

  return {
    id,
    async *sync(cursor: Cursor | null, signal: AbortSignal): AsyncIterable<SyncPage> {
      const self = await ownerEmail(signal);
      const current = { from: now() - back * DAY, to: now() + ahead * DAY };
      yield* syncDelta({ api, seriesCompleter, current, self, floatingZone }, cursor, signal);
    },

    // One event, occurrences included (Graph answers an occurrence's id with the whole occurrence);
    // a deleted one is 404 ErrorItemNotFound ("The specified object was not found in the store.",
    // microsoftgraph/microsoft-graph-docs#15350 on GET /me/events/{id} after a cancellation).
    async readEvent(eventId, signal) {
      const self = await ownerEmail(signal);
      let item: GraphItem;
      try {
        item = await api.get<GraphItem>(`/me/events/${encodeURIComponent(eventId)}`, { what: `reading event ${eventId}`, signal, expect: (status) => status === 404 });
      } catch (error) {
        if (error instanceof ExpectedStatus) return null;
        throw error;
      }
      const event = eventOf(eventId, item, self, floatingZone);
      if (event === null) throw new PermanentError(`event ${eventId} cannot be read: no readable start or end`);
      return event;
    },

    freeBusy: (range, signal) => freeBusy(api, floatingZone, range, signal),

    async close() {
      // Nothing to release: every request is its own.
    },
  };
}

/** Busy time in `range`: every event of the calendar view but those cancelled or shown as free. */
async function freeBusy(api: GraphApi, floatingZone: string, range: TimeRange, signal: AbortSignal): Promise<readonly BusyInterval[]> {
  const busy: BusyInterval[] = [];
  const what = 'reading busy times';
  let page = await api.get<DeltaPage>(
    withQuery('/me/calendarView', {
      startDateTime: new Date(range.from).toISOString(),
      endDateTime: new Date(range.to).toISOString(),
      $select: 'start,end,showAs,isCancelled,isAllDay',
    }),
    { what, signal },
  );
  for (;;) {
    for (const item of page.value ?? []) {
      if (item.isCancelled === true || item.showAs === 'free' || item.showAs === 'workingElsewhere') continue;
      const times = timesOf(item, floatingZone);
      if (times && times.end > range.from && times.start < range.to) busy.push(times);
    }
    const next = page['@odata.nextLink'];
    if (next === undefined) return busy;
    if (!api.owns(next)) throw new TransientError('Microsoft Graph handed out a next link outside its API root');
    page = await api.follow<DeltaPage>(next, { what, signal });
  }
}
