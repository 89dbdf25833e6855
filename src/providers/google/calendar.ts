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
 */
import { DateTime } from 'luxon';
import { calendar_v3 } from 'googleapis/build/src/apis/calendar/index.js';
import type { Attendee, CalendarEvent, Millis, ParticipationStatus, Person } from '../../domain/types.js';
import type { BusyInterval, CalendarSource, Cursor, SkippedItem, SyncPage, TimeRange } from '../calendar/types.js';
import { PermanentError, TransientError } from '../errors.js';
import { apiAuth, callGoogle, type GoogleAuthClient } from './auth.js';
import { ExpectedStatus } from './errors.js';

const DAY = 86_400_000;
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

/** What the cursor keeps for one calendar. */
interface CalendarCursor {
  readonly syncToken: string;
  /** The end of the window of the full listing the token descends from. */
  readonly windowEnd: Millis;
}

interface CursorState {
  readonly v: 1;
  readonly calendars: Readonly<Record<string, CalendarCursor>>;
}

type ListParams = Pick<calendar_v3.Params$Resource$Events$List, 'syncToken' | 'pageToken' | 'timeMin' | 'timeMax'>;

export function createGoogleCalendarSource(options: GoogleCalendarSourceOptions): CalendarSource {
  const calendars = options.calendars && options.calendars.length > 0 ? [...options.calendars] : ['primary'];
  const api = new calendar_v3.Calendar({
    auth: apiAuth<calendar_v3.Options['auth']>(options.auth),
    retry: false,
    ...(options.rootUrl ? { rootUrl: options.rootUrl } : {}),
  });
  const maxResults = options.maxResults ?? 250;
  const refreshMs = (options.windowRefreshHours ?? 24) * HOUR;

  const listPage = async (calendarId: string, params: ListParams, signal: AbortSignal): Promise<calendar_v3.Schema$Events> => {
    const response = await callGoogle(
      options.auth,
      { what: `listing events of calendar ${calendarId}`, signal, now: options.now, expect: [410] },
      () => api.events.list({ calendarId, singleEvents: true, maxResults, ...params }, { signal }),
    );
    return response.data;
  };

  /** Every page of one calendar's listing, starting from `first` when it was fetched already. */
  async function* pagesOf(
    calendarId: string,
    params: ListParams,
    signal: AbortSignal,
    first?: calendar_v3.Schema$Events,
  ): AsyncGenerator<calendar_v3.Schema$Events> {
    const seen = new Set<string>();
    let page = first ?? (await listPage(calendarId, params, signal));
    for (;;) {
      yield page;
      const next = page.nextPageToken;
      if (!next) return;
      if (seen.has(next)) throw new TransientError(`Google repeated a page token while listing calendar ${calendarId}`);
      seen.add(next);
      try {
        page = await listPage(calendarId, { ...params, pageToken: next }, signal);
      } catch (error) {
        // The token went stale between two pages: the caller keeps its old cursor, whose first
        // request now answers 410 and starts a full listing.
        if (error instanceof ExpectedStatus) throw new TransientError(`the sync token of calendar ${calendarId} expired during a sync`);
        throw error;
      }
    }
  }

  async function* run(
    plan: ReadonlyArray<{ calendarId: string; params: ListParams; first?: calendar_v3.Schema$Events }>,
    full: boolean,
    windowEnd: (calendarId: string) => Millis,
    signal: AbortSignal,
  ): AsyncGenerator<SyncPage> {
    const next: Record<string, CalendarCursor> = {};
    for (const [index, step] of plan.entries()) {
      for await (const page of pagesOf(step.calendarId, step.params, signal, step.first)) {
        const converted = convertPage(page);
        const lastOfCalendar = !page.nextPageToken;
        if (lastOfCalendar) {
          if (!page.nextSyncToken) throw new TransientError(`Google sent no sync token for calendar ${step.calendarId}`);
          next[step.calendarId] = { syncToken: page.nextSyncToken, windowEnd: windowEnd(step.calendarId) };
        }
        const last = lastOfCalendar && index === plan.length - 1;
        if (last) {
          const state: CursorState = { v: 1, calendars: next };
          yield { ...converted, full, nextCursor: JSON.stringify(state) };
        } else if (converted.upserts.length + converted.deletions.length + converted.skipped.length > 0) {
          yield { ...converted, full };
        }
      }
    }
  }

  return {
    id: options.id,
    async *sync(cursor: Cursor | null, signal: AbortSignal): AsyncIterable<SyncPage> {
      const now = options.now();
      const state = readCursor(cursor);
      const horizonEnd = now + options.horizonDays * DAY;
      const tokens = state
        ? calendars.map((calendarId) => ({ calendarId, saved: state.calendars[calendarId] }))
        : [];
      const usable =
        tokens.length === calendars.length &&
        tokens.every(({ saved }) => saved !== undefined && saved.windowEnd + refreshMs >= horizonEnd);
      if (usable) {
        // Ask every calendar for its first page before yielding anything, so that a 410 on any
        // of them turns the whole sync into a full listing before a delta page went out.
        const plan: Array<{ calendarId: string; params: ListParams; first: calendar_v3.Schema$Events }> = [];
        let gone = false;
        for (const { calendarId, saved } of tokens) {
          const params = { syncToken: saved!.syncToken };
          try {
            plan.push({ calendarId, params, first: await listPage(calendarId, params, signal) });
          } catch (error) {
            if (!(error instanceof ExpectedStatus)) throw error;
            gone = true;
            break;
          }
        }
        if (!gone) {
          yield* run(plan, false, (calendarId) => state!.calendars[calendarId]!.windowEnd, signal);
          return;
        }
      }
      const window = { timeMin: new Date(now - DAY).toISOString(), timeMax: new Date(horizonEnd).toISOString() };
      yield* run(
        calendars.map((calendarId) => ({ calendarId, params: window })),
        true,
        () => horizonEnd,
        signal,
      );
    },

    async freeBusy(range: TimeRange, signal: AbortSignal): Promise<readonly BusyInterval[] | null> {
      const response = await callGoogle(
        options.auth,
        { what: 'asking for free/busy times', signal, now: options.now },
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
    },

    async close(): Promise<void> {
      // Nothing is held open: each request is its own HTTP exchange.
    },
  };
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
  const api = new calendar_v3.Calendar({
    auth: apiAuth<calendar_v3.Options['auth']>(options.auth),
    retry: false,
    ...(options.rootUrl ? { rootUrl: options.rootUrl } : {}),
  });
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

function readCursor(cursor: Cursor | null): CursorState | null {
  if (cursor === null) return null;
  let parsed: unknown;
  try {
    parsed = JSON.parse(cursor);
  } catch (error) {
    // A cursor from another adapter or an older format: start with a full listing.
    if (error instanceof SyntaxError) return null;
    throw error;
  }
  if (typeof parsed !== 'object' || parsed === null || (parsed as { v?: unknown }).v !== 1) return null;
  const calendars = (parsed as { calendars?: unknown }).calendars;
  if (typeof calendars !== 'object' || calendars === null) return null;
  const result: Record<string, CalendarCursor> = {};
  for (const [calendarId, value] of Object.entries(calendars as Record<string, unknown>)) {
    const { syncToken, windowEnd } = (value ?? {}) as { syncToken?: unknown; windowEnd?: unknown };
    if (typeof syncToken === 'string' && typeof windowEnd === 'number') result[calendarId] = { syncToken, windowEnd };
  }
  return { v: 1, calendars: result };
}

function convertPage(page: calendar_v3.Schema$Events): Omit<SyncPage, 'full' | 'nextCursor'> {
  const upserts: CalendarEvent[] = [];
  const deletions: string[] = [];
  const skipped: SkippedItem[] = [];
  for (const item of page.items ?? []) {
    if (!item.id) {
      skipped.push({ ref: item.summary ?? '(untitled)', reason: 'event without an id' });
    } else if (item.status === 'cancelled') {
      deletions.push(item.id);
    } else {
      const event = toCalendarEvent(item, page.timeZone ?? null);
      if ('reason' in event) skipped.push(event);
      else upserts.push(event);
    }
  }
  return { upserts, deletions, skipped };
}

/** Normalises one Google event; exported for unit tests. */
export function toCalendarEvent(item: calendar_v3.Schema$Event, calendarZone: string | null): CalendarEvent | SkippedItem {
  const ref = item.id ?? item.summary ?? '(untitled)';
  const zone = validZone(item.start?.timeZone) ?? validZone(calendarZone);
  const allDay = !item.start?.dateTime && Boolean(item.start?.date);
  const start = instant(item.start, zone);
  const end = instant(item.end, zone) ?? start;
  if (start === null || end === null) return { ref, reason: 'start or end is missing or unreadable' };
  return {
    id: item.id ?? ref,
    title: item.summary ?? '',
    description: plainText(item.description ?? ''),
    location: item.location ?? '',
    start,
    end: Math.max(start, end),
    timeZone: zone,
    allDay,
    status: item.status === 'tentative' ? 'tentative' : 'confirmed',
    organizer: item.organizer ? person(item.organizer) : null,
    attendees: (item.attendees ?? [])
      .filter((attendee) => !attendee.resource)
      .map((attendee): Attendee => ({
        ...person(attendee),
        status: participation(attendee.responseStatus),
        ...(attendee.self ? { self: true } : {}),
      })),
    categories: [],
    tags: { ...(item.extendedProperties?.private ?? {}) },
    conferencePhones: (item.conferenceData?.entryPoints ?? [])
      .filter((entry) => entry.entryPointType === 'phone')
      .map((entry) => entry.label ?? entry.uri?.replace(/^tel:/i, '') ?? '')
      .filter((phone) => phone.length > 0),
    // The meeting Google attaches (Meet by default): detection reads it as a video call.
    ...conferenceOf(item),
  };
}

/** The video meeting of an event (`conferenceData`, `hangoutLink`); absent when there is none. */
function conferenceOf(item: calendar_v3.Schema$Event): { conference?: string[] } {
  const links = [
    ...(item.conferenceData?.entryPoints ?? []).filter((entry) => entry.entryPointType === 'video').map((entry) => entry.uri ?? ''),
    item.conferenceData?.conferenceSolution?.name ?? '',
    item.hangoutLink ?? '',
  ].filter((link, i, all) => link !== '' && all.indexOf(link) === i);
  return links.length > 0 ? { conference: links } : {};
}

function instant(time: calendar_v3.Schema$EventDateTime | undefined, zone: string | null): Millis | null {
  if (time?.dateTime) {
    const at = Date.parse(time.dateTime);
    return Number.isFinite(at) ? at : null;
  }
  if (time?.date) {
    // An all-day date is a day in the calendar's zone; its end date is exclusive, as Google sends it.
    const day = DateTime.fromISO(time.date, { zone: zone ?? 'UTC' }).startOf('day');
    return day.isValid ? day.toMillis() : null;
  }
  return null;
}

function validZone(zone: string | null | undefined): string | null {
  if (!zone) return null;
  return DateTime.now().setZone(zone).isValid ? zone : null;
}

function person(value: { displayName?: string | null; email?: string | null }): Person {
  return { name: value.displayName ?? '', email: (value.email ?? '').trim().toLowerCase() };
}

function participation(status: string | null | undefined): ParticipationStatus {
  switch (status) {
    case 'accepted':
      return 'accepted';
    case 'declined':
      return 'declined';
    case 'tentative':
      return 'tentative';
    case 'needsAction':
      return 'needs-action';
    default:
      return 'unknown';
  }
}

/**
 * Google Calendar's web editor stores descriptions as HTML (`<br>`, links, `&amp;`). Detection
 * reads plain text, so tags become line breaks or vanish and entities are decoded.
 */
export function plainText(description: string): string {
  if (!/<[a-z/][^>]*>|&[a-z#0-9]+;/i.test(description)) return description;
  return description
    .replace(/<br\s*\/?>/gi, '\n')
    .replace(/<\/(p|div|li|h[1-6])>/gi, '\n')
    .replace(/<[^>]*>/g, '')
    .replace(/&(#x[0-9a-f]+|#[0-9]+|amp|lt|gt|quot|apos|nbsp);/gi, (entity: string, name: string) => {
      const lower = name.toLowerCase();
      if (lower.startsWith('#')) {
        const code = lower.startsWith('#x') ? parseInt(lower.slice(2), 16) : parseInt(lower.slice(1), 10);
        return code > 0 && code <= 0x10ffff ? String.fromCodePoint(code) : entity;
      }
      return { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: ' ' }[lower] ?? entity;
    })
    .replace(/\n{3,}/g, '\n\n')
    .trim();
}

function mergeIntervals(intervals: BusyInterval[]): BusyInterval[] {
  const sorted = [...intervals].sort((a, b) => a.start - b.start);
  const merged: BusyInterval[] = [];
  for (const interval of sorted) {
    const last = merged[merged.length - 1];
    if (last && interval.start <= last.end) merged[merged.length - 1] = { start: last.start, end: Math.max(last.end, interval.end) };
    else merged.push(interval);
  }
  return merged;
}
