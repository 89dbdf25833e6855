/**
 * Google Calendar v3 in memory: `events.list` with sync tokens and `freeBusy`, as documented in
 * the API reference and the incremental sync guide.
 *
 * - A full listing (no `syncToken`) leaves out cancelled events unless `showDeleted`; with
 *   `singleEvents=true` recurring events are expanded into instances (`<id>_<start>` ids,
 *   `recurringEventId`, `originalStartTime`); `timeMin`/`timeMax` keep what overlaps the window.
 * - An incremental listing (`syncToken`) returns everything changed since the token, whatever
 *   its time, with deleted events and cancelled instances as `status: cancelled` tombstones.
 *   `timeMin`, `timeMax`, `orderBy`, `q`, `iCalUID`, `updatedMin`, extended-property filters and
 *   `showDeleted=false` are rejected with 400 beside a sync token.
 * - Pages: every page but the last has `nextPageToken`; only the last has `nextSyncToken`. A page
 *   plan makes pages short or empty, as Google's may be.
 * - Tokens invalidated by the test answer 410 (`fullSyncRequired` or `updatedMinTooLongAgo`).
 * - `events.get` answers one event or one instance (`<id>_<start>`) by its id; a deleted one, or a
 *   cancelled instance, as its `status: cancelled` tombstone ("The get method always returns
 *   them", the Event resource's `status`, https://developers.google.com/calendar/api/v3/reference/events),
 *   an id it never had with 404 `notFound`.
 */
import { randomBytes } from 'node:crypto';
import { DateTime } from 'luxon';
import { ApiError, badRequest, jsonBody, notFound, ok, type ApiRequest, type ApiResponse } from './http.js';

export interface FakeEventTime {
  readonly dateTime?: string;
  readonly date?: string;
  readonly timeZone?: string;
}

/** An event as a test writes it, in Google's own shape. */
export interface FakeEvent {
  readonly id: string;
  /**
   * The invitation's iCalendar UID: an invitation Google received keeps the organizer's, and every
   * instance of a series shares it (https://developers.google.com/calendar/api/v3/reference/events).
   * Absent: `{id}@google.com`, as for an event made in Google Calendar.
   */
  readonly iCalUID?: string;
  readonly summary?: string;
  readonly description?: string;
  readonly location?: string;
  readonly start: FakeEventTime;
  readonly end: FakeEventTime;
  readonly status?: 'confirmed' | 'tentative';
  readonly organizer?: { readonly email: string; readonly displayName?: string; readonly self?: boolean };
  readonly attendees?: ReadonlyArray<{
    readonly email: string;
    readonly displayName?: string;
    readonly responseStatus?: 'needsAction' | 'declined' | 'tentative' | 'accepted';
    readonly self?: boolean;
    readonly resource?: boolean;
    readonly organizer?: boolean;
  }>;
  readonly extendedProperties?: { readonly private?: Readonly<Record<string, string>>; readonly shared?: Readonly<Record<string, string>> };
  readonly conferenceData?: {
    readonly entryPoints: ReadonlyArray<{ readonly entryPointType: string; readonly uri: string; readonly label?: string; readonly pin?: string }>;
  };
  /** `RRULE:FREQ=DAILY|WEEKLY[;INTERVAL=n][;COUNT=n|;UNTIL=...]` only. */
  readonly recurrence?: readonly string[];
  readonly transparency?: 'opaque' | 'transparent';
}

interface InstanceException {
  changedAt: number;
  readonly cancelled: boolean;
  readonly patch?: Partial<FakeEvent>;
}

interface StoredEvent {
  resource: FakeEvent;
  changedAt: number;
  deleted: boolean;
  readonly created: string;
  sequence: number;
  readonly exceptions: Map<string, InstanceException>;
}

interface StoredCalendar {
  readonly id: string;
  readonly timeZone: string;
  readonly events: Map<string, StoredEvent>;
}

interface PageSession {
  readonly calendarId: string;
  readonly syncToken: string | null;
  readonly items: readonly object[];
  readonly nextSyncToken: string;
  offset: number;
  page: number;
}

/** One listed item: an event or instance, or its tombstone. */
type Listed = { readonly item: Record<string, unknown>; readonly start: number; readonly end: number; readonly cancelled: boolean };

const FORBIDDEN_WITH_SYNC_TOKEN = ['timeMin', 'timeMax', 'orderBy', 'q', 'iCalUID', 'updatedMin', 'privateExtendedProperty', 'sharedExtendedProperty'];
const MAX_INSTANCES = 1000;

export class FakeCalendar {
  readonly #calendars = new Map<string, StoredCalendar>();
  readonly #sessions = new Map<string, PageSession>();
  #seq = 1;
  #generation = 1;
  #goneReason = 'fullSyncRequired';
  #pagePlan: readonly number[] | null = null;

  constructor(
    private readonly userEmail: string,
    private readonly defaultZone = 'UTC',
  ) {
    this.addCalendar(userEmail, defaultZone);
  }

  addCalendar(id: string, timeZone = this.defaultZone): void {
    if (!this.#calendars.has(id)) this.#calendars.set(id, { id, timeZone, events: new Map() });
  }

  /** Creates or replaces an event (its changes show in the next incremental listing). */
  putEvent(event: FakeEvent, calendarId = 'primary'): void {
    const calendar = this.#calendar(calendarId, true)!;
    const existing = calendar.events.get(event.id);
    const changedAt = ++this.#seq;
    if (existing && !existing.deleted) {
      existing.resource = event;
      existing.changedAt = changedAt;
      existing.sequence += 1;
      return;
    }
    calendar.events.set(event.id, { resource: event, changedAt, deleted: false, created: new Date().toISOString(), sequence: 0, exceptions: new Map() });
  }

  /** Deletes an event (a recurring one with all its instances); Google keeps a tombstone. */
  removeEvent(id: string, calendarId = 'primary'): void {
    const stored = this.#calendar(calendarId, false)?.events.get(id);
    if (!stored) throw new Error(`fake calendar: no event ${id} in ${calendarId}`);
    stored.deleted = true;
    stored.changedAt = ++this.#seq;
  }

  /** Cancels or changes one occurrence of a recurring event, by its original start (ISO). */
  changeInstance(seriesId: string, originalStart: string, change: 'cancelled' | Partial<FakeEvent>, calendarId = 'primary'): string {
    const stored = this.#calendar(calendarId, false)?.events.get(seriesId);
    if (!stored?.resource.recurrence) throw new Error(`fake calendar: no recurring event ${seriesId}`);
    const instance = this.#expand(stored, this.#calendar(calendarId, false)!).find(
      (entry) => Date.parse(String((entry.item.originalStartTime as FakeEventTime).dateTime ?? (entry.item.originalStartTime as FakeEventTime).date)) === Date.parse(originalStart),
    );
    if (!instance) throw new Error(`fake calendar: ${seriesId} has no occurrence at ${originalStart}`);
    const id = String(instance.item.id);
    stored.exceptions.set(id, change === 'cancelled' ? { changedAt: ++this.#seq, cancelled: true } : { changedAt: ++this.#seq, cancelled: false, patch: change });
    return id;
  }

  /** Every sync token handed out so far answers 410 from now on. */
  invalidateSyncTokens(reason: 'fullSyncRequired' | 'updatedMinTooLongAgo' = 'fullSyncRequired'): void {
    this.#generation += 1;
    this.#goneReason = reason;
  }

  /** Page sizes to use in turn (0 = an empty page with a nextPageToken); null = maxResults. */
  setPagePlan(sizes: readonly number[] | null): void {
    this.#pagePlan = sizes && sizes.length > 0 ? sizes : null;
  }

  handle(request: ApiRequest): ApiResponse | null {
    const [, , , kind, calendarId, tail] = request.segments; // ['', 'calendar', 'v3', ...]
    if (request.method === 'POST' && kind === 'freeBusy' && calendarId === undefined) return this.#freeBusy(request);
    if (request.method === 'GET' && kind === 'calendars' && calendarId !== undefined && tail === 'events' && request.segments.length === 6) {
      return this.#list(calendarId, request.query);
    }
    const eventId = request.segments[6];
    if (request.method === 'GET' && kind === 'calendars' && calendarId !== undefined && tail === 'events' && eventId !== undefined && request.segments.length === 7) {
      return this.#get(calendarId, eventId);
    }
    return null;
  }

  #calendar(id: string, create: boolean): StoredCalendar | undefined {
    const resolved = id === 'primary' ? this.userEmail : id;
    if (create) this.addCalendar(resolved);
    return this.#calendars.get(resolved);
  }

  #list(calendarId: string, query: URLSearchParams): ApiResponse {
    const calendar = this.#calendar(calendarId, false);
    if (!calendar) throw notFound('Not Found');
    const syncToken = query.get('syncToken');
    const maxResults = Math.min(Number(query.get('maxResults') ?? 250), 2500);
    if (!Number.isInteger(maxResults) || maxResults < 1) throw badRequest('Invalid value for maxResults', 'invalid');
    const pageToken = query.get('pageToken');
    if (syncToken !== null) {
      const clash = FORBIDDEN_WITH_SYNC_TOKEN.filter((name) => query.has(name));
      if (query.get('showDeleted') === 'false') clash.push('showDeleted=false');
      if (clash.length > 0) throw badRequest(`Sync token cannot be used with ${clash.join(', ')}.`, 'invalid');
    }
    if (query.get('orderBy') === 'startTime' && query.get('singleEvents') !== 'true') {
      throw badRequest('The requested ordering is not available for the particular query.', 'invalid');
    }
    let session: PageSession;
    if (pageToken !== null) {
      const found = this.#sessions.get(pageToken);
      if (!found || found.calendarId !== calendar.id || found.syncToken !== syncToken) throw badRequest('Invalid page token value.', 'invalid');
      this.#sessions.delete(pageToken);
      session = found;
    } else {
      session = {
        calendarId: calendar.id,
        syncToken,
        items: syncToken === null ? this.#fullItems(calendar, query) : this.#changedItems(calendar, syncToken, query),
        nextSyncToken: this.#token(calendar.id),
        offset: 0,
        page: 0,
      };
    }
    const planned = this.#pagePlan ? this.#pagePlan[session.page % this.#pagePlan.length]! : maxResults;
    const size = Math.min(planned, maxResults);
    const items = session.items.slice(session.offset, session.offset + size);
    session.offset += items.length;
    session.page += 1;
    const body: Record<string, unknown> = {
      kind: 'calendar#events',
      etag: `"${this.#seq}"`,
      summary: calendar.id,
      updated: new Date().toISOString(),
      timeZone: calendar.timeZone,
      accessRole: 'owner',
      defaultReminders: [],
      items,
    };
    if (session.offset < session.items.length) {
      const token = randomBytes(9).toString('base64url');
      this.#sessions.set(token, session);
      body.nextPageToken = token;
    } else {
      body.nextSyncToken = session.nextSyncToken;
    }
    return ok(body);
  }

  #get(calendarId: string, eventId: string): ApiResponse {
    const calendar = this.#calendar(calendarId, false);
    if (!calendar) throw notFound('Not Found');
    for (const stored of calendar.events.values()) {
      for (const entry of stored.resource.recurrence && stored.resource.id !== eventId ? this.#expand(stored, calendar) : [this.#whole(stored, calendar)]) {
        if (entry.item.id === eventId) return ok(stored.deleted || entry.cancelled ? tombstone(entry.item) : entry.item);
      }
    }
    throw notFound('Not Found');
  }

  #fullItems(calendar: StoredCalendar, query: URLSearchParams): object[] {
    const showDeleted = query.get('showDeleted') === 'true';
    const single = query.get('singleEvents') === 'true';
    const from = this.#bound(query.get('timeMin'), 'timeMin');
    const to = this.#bound(query.get('timeMax'), 'timeMax');
    const listed: Listed[] = [];
    for (const stored of calendar.events.values()) {
      if (stored.deleted && !showDeleted) continue;
      const entries = single || !stored.resource.recurrence ? this.#expand(stored, calendar) : [this.#whole(stored, calendar)];
      for (const entry of entries) {
        if ((entry.cancelled || stored.deleted) && !showDeleted) continue;
        if (from !== null && entry.end <= from) continue;
        if (to !== null && entry.start >= to) continue;
        listed.push(stored.deleted ? { ...entry, item: tombstone(entry.item) } : entry);
      }
    }
    if (query.get('orderBy') === 'startTime') listed.sort((a, b) => a.start - b.start);
    return listed.map((entry) => entry.item);
  }

  #changedItems(calendar: StoredCalendar, syncToken: string, query: URLSearchParams): object[] {
    const since = this.#readToken(syncToken, calendar.id);
    const single = query.get('singleEvents') === 'true';
    const items: object[] = [];
    for (const stored of calendar.events.values()) {
      const recurring = Boolean(stored.resource.recurrence);
      if (stored.changedAt > since) {
        const entries = single || !recurring ? this.#expand(stored, calendar) : [this.#whole(stored, calendar)];
        for (const entry of entries) items.push(stored.deleted || entry.cancelled ? tombstone(entry.item) : entry.item);
        continue;
      }
      if (!single || !recurring || stored.deleted) continue;
      for (const entry of this.#expand(stored, calendar)) {
        const exception = stored.exceptions.get(String(entry.item.id));
        if (exception && exception.changedAt > since) items.push(entry.cancelled ? tombstone(entry.item) : entry.item);
      }
    }
    return items;
  }

  #bound(value: string | null, name: string): number | null {
    if (value === null) return null;
    if (!/(Z|[+-]\d\d:\d\d)$/.test(value) || !Number.isFinite(Date.parse(value))) {
      throw badRequest(`Bad Request: ${name} must be an RFC3339 timestamp with a time zone offset`, 'badRequest');
    }
    return Date.parse(value);
  }

  #token(calendarId: string): string {
    return Buffer.from(`sync:${this.#generation}:${this.#seq}:${calendarId}`).toString('base64url');
  }

  #readToken(token: string, calendarId: string): number {
    const [tag, generation, seq, ...rest] = Buffer.from(token, 'base64url').toString('utf8').split(':');
    if (tag !== 'sync' || rest.join(':') !== calendarId || Number(generation) !== this.#generation) {
      throw new ApiError(410, this.#goneReason, 'Sync token is no longer valid, a full sync is required.', 'calendar');
    }
    return Number(seq);
  }

  #whole(stored: StoredEvent, calendar: StoredCalendar): Listed {
    const item = this.#render(stored.resource, stored, calendar);
    return { item, start: instant(stored.resource.start, calendar.timeZone), end: instant(stored.resource.end, calendar.timeZone), cancelled: false };
  }

  /** The event itself, or each instance of a recurring one (exceptions applied). */
  #expand(stored: StoredEvent, calendar: StoredCalendar): Listed[] {
    const resource = stored.resource;
    if (!resource.recurrence) return [this.#whole(stored, calendar)];
    const rule = parseRule(resource.recurrence);
    const zone = resource.start.timeZone ?? calendar.timeZone;
    const allDay = resource.start.date !== undefined;
    const first = allDay
      ? DateTime.fromISO(resource.start.date!, { zone: calendar.timeZone })
      : DateTime.fromISO(resource.start.dateTime!, { setZone: true }).setZone(zone);
    const length = instant(resource.end, calendar.timeZone) - instant(resource.start, calendar.timeZone);
    const horizon = first.plus({ years: 2 });
    const listed: Listed[] = [];
    for (let index = 0; index < MAX_INSTANCES && (rule.count === null || index < rule.count); index += 1) {
      const at = first.plus(rule.weekly ? { weeks: index * rule.interval } : { days: index * rule.interval });
      if ((rule.until !== null && at.toMillis() > rule.until) || at > horizon) break;
      const id = `${resource.id}_${allDay ? at.toFormat('yyyyMMdd') : at.toUTC().toFormat("yyyyMMdd'T'HHmmss'Z'")}`;
      const originalStartTime: FakeEventTime = allDay
        ? { date: at.toISODate()! }
        : { dateTime: at.toISO({ suppressMilliseconds: true })!, timeZone: zone };
      const exception = stored.exceptions.get(id);
      const end = at.plus({ milliseconds: length });
      const base: FakeEvent = {
        ...resource,
        id,
        start: allDay ? { date: at.toISODate()! } : { dateTime: at.toISO({ suppressMilliseconds: true })!, timeZone: zone },
        end: allDay ? { date: end.toISODate()! } : { dateTime: end.toISO({ suppressMilliseconds: true })!, timeZone: zone },
        ...(exception?.patch ?? {}),
      };
      const { recurrence: _recurrence, ...single } = base;
      const item = { ...this.#render(single, stored, calendar), recurringEventId: resource.id, originalStartTime };
      listed.push({ item, start: instant(base.start, calendar.timeZone), end: instant(base.end, calendar.timeZone), cancelled: exception?.cancelled ?? false });
    }
    return listed;
  }

  #render(event: FakeEvent, stored: StoredEvent, calendar: StoredCalendar): Record<string, unknown> {
    return {
      kind: 'calendar#event',
      etag: `"${stored.changedAt}"`,
      htmlLink: `https://calendar.example/event?eid=${encodeURIComponent(event.id)}`,
      created: stored.created,
      updated: new Date().toISOString(),
      iCalUID: `${stored.resource.id}@google.com`,
      sequence: stored.sequence,
      creator: { email: calendar.id, self: calendar.id === this.userEmail },
      organizer: { email: calendar.id, self: calendar.id === this.userEmail },
      eventType: 'default',
      ...event,
      status: event.status ?? 'confirmed',
    };
  }

  #freeBusy(request: ApiRequest): ApiResponse {
    const body = jsonBody(request);
    const from = this.#bound(typeof body.timeMin === 'string' ? body.timeMin : null, 'timeMin');
    const to = this.#bound(typeof body.timeMax === 'string' ? body.timeMax : null, 'timeMax');
    if (from === null || to === null || to <= from) throw badRequest('timeMin and timeMax are required, in order', 'badRequest');
    const items = Array.isArray(body.items) ? (body.items as Array<{ id?: unknown }>) : [];
    const calendars: Record<string, unknown> = {};
    for (const { id } of items) {
      if (typeof id !== 'string') continue;
      const calendar = this.#calendar(id, false);
      if (!calendar) {
        calendars[id] = { errors: [{ domain: 'global', reason: 'notFound' }], busy: [] };
        continue;
      }
      const busy: Array<[number, number]> = [];
      for (const stored of calendar.events.values()) {
        if (stored.deleted || stored.resource.transparency === 'transparent') continue;
        for (const entry of this.#expand(stored, calendar)) {
          const declined = stored.resource.attendees?.some((attendee) => attendee.self && attendee.responseStatus === 'declined');
          if (entry.cancelled || declined || entry.end <= from || entry.start >= to) continue;
          busy.push([Math.max(entry.start, from), Math.min(entry.end, to)]);
        }
      }
      busy.sort((a, b) => a[0] - b[0]);
      const merged: Array<[number, number]> = [];
      for (const interval of busy) {
        const last = merged[merged.length - 1];
        if (last && interval[0] <= last[1]) last[1] = Math.max(last[1], interval[1]);
        else merged.push([...interval]);
      }
      calendars[id] = { busy: merged.map(([start, end]) => ({ start: new Date(start).toISOString(), end: new Date(end).toISOString() })) };
    }
    return ok({ kind: 'calendar#freeBusy', timeMin: new Date(from).toISOString(), timeMax: new Date(to).toISOString(), calendars });
  }
}

function tombstone(item: Record<string, unknown>): Record<string, unknown> {
  return {
    kind: 'calendar#event',
    etag: item.etag,
    id: item.id,
    status: 'cancelled',
    ...(item.recurringEventId ? { recurringEventId: item.recurringEventId, originalStartTime: item.originalStartTime } : {}),
  };
}

function instant(time: FakeEventTime, calendarZone: string): number {
  if (time.dateTime) return Date.parse(time.dateTime);
  if (time.date) return DateTime.fromISO(time.date, { zone: calendarZone }).toMillis();
  throw new Error('fake calendar: an event time needs dateTime or date');
}

function parseRule(recurrence: readonly string[]): { weekly: boolean; interval: number; count: number | null; until: number | null } {
  const line = recurrence.find((entry) => entry.startsWith('RRULE:'));
  if (!line) throw new Error('fake calendar: recurrence needs an RRULE');
  const parts = new Map(line.slice(6).split(';').map((part) => part.split('=') as [string, string]));
  const freq = parts.get('FREQ');
  const known = new Set(['FREQ', 'INTERVAL', 'COUNT', 'UNTIL']);
  if ((freq !== 'DAILY' && freq !== 'WEEKLY') || [...parts.keys()].some((key) => !known.has(key))) {
    throw new Error(`fake calendar supports FREQ=DAILY|WEEKLY with INTERVAL, COUNT, UNTIL only: ${line}`);
  }
  const until = parts.get('UNTIL');
  return {
    weekly: freq === 'WEEKLY',
    interval: Number(parts.get('INTERVAL') ?? 1),
    count: parts.has('COUNT') ? Number(parts.get('COUNT')) : null,
    until: until ? DateTime.fromISO(until, { zone: 'UTC' }).toMillis() : null,
  };
}
