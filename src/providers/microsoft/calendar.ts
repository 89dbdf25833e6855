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
 */
import { DateTime, IANAZone } from 'luxon';
import type { Attendee, CalendarEvent, Millis, ParticipationStatus, Person } from '../../domain/types.js';
import { TransientError } from '../errors.js';
import type { BusyInterval, CalendarSource, Cursor, SkippedItem, SyncPage, TimeRange } from '../calendar/types.js';
import { createSeriesCompleter, readSeriesState, type SeriesState } from './calendar-series.js';
import { isResyncRequired } from './errors.js';
import type { RequestSlots } from './concurrency.js';
import { createGraphApi, ExpectedStatus, withQuery, type FetchLike, type GraphApi, type TokenSource } from './graph.js';
import { ianaZoneOf } from './windows-zones.js';

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
const CURSOR_VERSION = 1;

interface DeltaCursor {
  readonly v: number;
  readonly link: string;
  /** The window the delta token was made for. */
  readonly from: Millis;
  readonly to: Millis;
  /** Occurrences of recurring series seen in the window, by series master id (absent in older cursors). */
  readonly series?: SeriesState;
}

interface DeltaPage {
  readonly value?: readonly GraphItem[];
  readonly '@odata.nextLink'?: string;
  readonly '@odata.deltaLink'?: string;
}

type GraphItem = Record<string, unknown>;

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
      const saved = readCursor(cursor, api);
      // A delta token keeps its window for good: a day later, a new round over the new window.
      let full = saved === null || current.from - saved.from >= DAY;
      let window = full || saved === null ? current : { from: saved.from, to: saved.to };
      let link = full || saved === null ? null : saved.link;
      let series = seriesCompleter.round(window, full || saved === null ? {} : (saved.series ?? {}), signal);
      let yielded = false;
      const what = 'reading calendar changes';
      for (;;) {
        let page: DeltaPage;
        try {
          const request = { what, signal, expect: isResyncRequired };
          page = link === null ? await api.get<DeltaPage>(initialPath(window), request) : await api.follow<DeltaPage>(link, request);
        } catch (error) {
          if (!(error instanceof ExpectedStatus)) throw error;
          if (yielded || full) {
            throw new TransientError(`Microsoft Graph dropped the calendar listing while it was being read (${error.message}); it starts again`);
          }
          full = true;
          window = current;
          link = null;
          series = seriesCompleter.round(window, {}, signal);
          continue;
        }
        const completed = await series.page(page.value ?? []);
        const listed = convert(completed.items, self, floatingZone);
        const converted = { ...listed, deletions: [...listed.deletions, ...completed.deletions] };
        const next = page['@odata.nextLink'];
        const delta = page['@odata.deltaLink'];
        if (next !== undefined) {
          if (!api.owns(next)) throw new TransientError('Microsoft Graph handed out a next link outside its API root');
          yield { ...converted, full };
          yielded = true;
          link = next;
          continue;
        }
        if (delta === undefined || !api.owns(delta)) throw new TransientError('Microsoft Graph ended a calendar listing without a usable delta link');
        const swept = await series.finish();
        const nextCursor = JSON.stringify({ v: CURSOR_VERSION, link: delta, from: window.from, to: window.to, series: swept.state } satisfies DeltaCursor);
        yield { ...converted, deletions: [...converted.deletions, ...swept.deletions], full, nextCursor };
        return;
      }
    },

    async freeBusy(range: TimeRange, signal: AbortSignal): Promise<readonly BusyInterval[]> {
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
    },

    async close() {
      // Nothing to release: every request is its own.
    },
  };
}

function initialPath(window: { from: Millis; to: Millis }): string {
  return withQuery('/me/calendarView/delta', {
    startDateTime: new Date(window.from).toISOString(),
    endDateTime: new Date(window.to).toISOString(),
  });
}

function readCursor(cursor: Cursor | null, api: GraphApi): DeltaCursor | null {
  if (!cursor) return null;
  let parsed: unknown;
  try {
    parsed = JSON.parse(cursor);
  } catch (error) {
    if (error instanceof SyntaxError) return null;
    throw error;
  }
  if (typeof parsed !== 'object' || parsed === null) return null;
  const { v, link, from, to, series } = parsed as Partial<DeltaCursor>;
  if (v !== CURSOR_VERSION || typeof link !== 'string' || typeof from !== 'number' || typeof to !== 'number' || !(from < to)) return null;
  // The stored link gets the access token: it must point into the API it came from.
  if (!api.owns(link)) return null;
  return { v, link, from, to, series: readSeriesState(series) };
}

function convert(items: readonly GraphItem[], self: string, floatingZone: string): Omit<SyncPage, 'full' | 'nextCursor'> {
  const upserts: CalendarEvent[] = [];
  const deletions: string[] = [];
  const skipped: SkippedItem[] = [];
  for (const item of items) {
    const id = typeof item.id === 'string' ? item.id : null;
    if ('@removed' in item) {
      if (id) deletions.push(id);
      continue;
    }
    const event = id === null ? null : eventOf(id, item, self, floatingZone);
    if (event === null) {
      skipped.push({ ref: typeof item.subject === 'string' ? item.subject.slice(0, 120) : (id ?? '(no id)'), reason: 'no readable id, start or end' });
    } else {
      upserts.push(event);
    }
  }
  return { upserts, deletions, skipped };
}

const RESPONSES: Readonly<Record<string, ParticipationStatus>> = {
  accepted: 'accepted',
  organizer: 'accepted',
  declined: 'declined',
  tentativelyAccepted: 'tentative',
  notResponded: 'needs-action',
  none: 'unknown',
};

/** One Graph event as the domain sees it, or null when its id or times cannot be read. */
export function eventOf(id: string, item: GraphItem, self: string, floatingZone = 'UTC'): CalendarEvent | null {
  const times = timesOf(item, floatingZone);
  if (!times) return null;
  const allDay = item.isAllDay === true;
  const organizer = personOf(field(item, 'organizer', 'emailAddress'));
  const ownAnswer = text(field(item, 'responseStatus', 'response'));
  const attendees: Attendee[] = [];
  let ownerListed = false;
  for (const entry of Array.isArray(item.attendees) ? (item.attendees as unknown[]) : []) {
    const person = personOf(field(entry, 'emailAddress'));
    if (!person) continue;
    const given = RESPONSES[text(field(entry, 'status', 'response'))] ?? 'unknown';
    if (self !== '' && person.email === self) {
      ownerListed = true;
      // Outlook keeps the owner's answer on the event, not on their attendee entry.
      const status = ownAnswer !== '' && ownAnswer !== 'none' ? (RESPONSES[ownAnswer] ?? given) : given;
      attendees.push({ ...person, status, self: true });
    } else {
      attendees.push({ ...person, status: given });
    }
  }
  if (!ownerListed && item.isOrganizer !== true && ownAnswer !== '' && ownAnswer !== 'none' && ownAnswer !== 'organizer') {
    attendees.push({ name: '', email: self, status: RESPONSES[ownAnswer] ?? 'unknown', self: true });
  }
  return {
    id,
    title: text(item.subject),
    description: descriptionOf(item.body),
    location: text(field(item, 'location', 'displayName')),
    start: times.start,
    end: times.end,
    timeZone: allDay ? null : ianaZoneOf(text(item.originalStartTimeZone)),
    allDay,
    status: item.isCancelled === true ? 'cancelled' : 'confirmed',
    organizer,
    attendees,
    categories: Array.isArray(item.categories) ? item.categories.filter((c): c is string => typeof c === 'string') : [],
    tags: {},
    conferencePhones: phonesOf(item.onlineMeeting),
    ...withConference(conferenceOf(item)),
  };
}

function timesOf(item: GraphItem, floatingZone: string): { start: Millis; end: Millis } | null {
  const allDay = item.isAllDay === true;
  const start = instant(item.start, allDay, floatingZone);
  const end = instant(item.end, allDay, floatingZone);
  return start === null || end === null || end < start ? null : { start, end };
}

/** A Graph dateTimeTimeZone as epoch ms; all-day dates at midnight in `floatingZone`. */
function instant(value: unknown, allDay: boolean, floatingZone: string): Millis | null {
  const dateTime = text(field(value, 'dateTime'));
  if (dateTime === '') return null;
  const zone = allDay ? floatingZone : ianaZoneOf(text(field(value, 'timeZone')) || 'UTC');
  if (zone === null) return null;
  const parsed = DateTime.fromISO(allDay ? dateTime.slice(0, 10) : dateTime, { zone: IANAZone.create(zone) });
  return parsed.isValid ? parsed.toMillis() : null;
}

function personOf(value: unknown): Person | null {
  const email = text(field(value, 'address')).trim().toLowerCase();
  const name = text(field(value, 'name')).trim();
  if (email === '' && name === '') return null;
  return { name: name === email ? '' : name, email };
}

/** `conference` only when there is one, so that an event without a meeting reads as before. */
function withConference(links: string[]): { conference?: string[] } {
  return links.length > 0 ? { conference: links } : {};
}

/** The Teams (or Skype) meeting Graph says the event has: join link, else the provider's name. */
function conferenceOf(item: GraphItem): string[] {
  const links = [text(field(item.onlineMeeting, 'joinUrl')), text(field(item, 'onlineMeetingUrl'))].filter((link) => link !== '');
  const provider = text(field(item, 'onlineMeetingProvider'));
  if (links.length === 0 && field(item, 'isOnlineMeeting') === true) links.push(provider !== '' && provider !== 'unknown' ? provider : 'online meeting');
  return [...new Set(links)];
}

function phonesOf(meeting: unknown): string[] {
  const phones = [
    text(field(meeting, 'tollNumber')),
    ...list(field(meeting, 'tollFreeNumbers')).map(text),
    ...list(field(meeting, 'phones')).map((phone) => text(field(phone, 'number'))),
  ];
  return [...new Set(phones.map((phone) => phone.trim()).filter((phone) => phone !== ''))];
}

/** The event's body as text: Outlook stores HTML, and detection reads words and numbers. */
function descriptionOf(body: unknown): string {
  const content = text(field(body, 'content'));
  if (text(field(body, 'contentType')).toLowerCase() !== 'html') return content;
  return htmlToText(content);
}

export function htmlToText(html: string): string {
  return html
    .replace(/<(head|style|script)\b[\s\S]*?<\/\1\s*>/gi, '')
    .replace(/<br\s*\/?>/gi, '\n')
    .replace(/<\/(p|div|li|tr|h[1-6])\s*>/gi, '\n')
    .replace(/<[^>]*>/g, '')
    .replace(/&(#x[0-9a-f]+|#\d+|[a-z]+);/gi, (entity, name: string) => decodeEntity(name) ?? entity)
    .replace(/[ \t\u00a0]+\n/g, '\n')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
}

const ENTITIES: Readonly<Record<string, string>> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: ' ' };

function decodeEntity(name: string): string | null {
  if (name.startsWith('#')) {
    const code = name[1] === 'x' || name[1] === 'X' ? parseInt(name.slice(2), 16) : parseInt(name.slice(1), 10);
    return Number.isInteger(code) && code > 0 && code <= 0x10ffff ? String.fromCodePoint(code) : null;
  }
  return ENTITIES[name.toLowerCase()] ?? null;
}

function field(value: unknown, ...path: string[]): unknown {
  let current = value;
  for (const key of path) {
    if (typeof current !== 'object' || current === null) return undefined;
    current = (current as Record<string, unknown>)[key];
  }
  return current;
}

function text(value: unknown): string {
  return typeof value === 'string' ? value : '';
}

function list(value: unknown): unknown[] {
  return Array.isArray(value) ? value : [];
}
