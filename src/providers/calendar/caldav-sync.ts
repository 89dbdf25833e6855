/**
 * The sync of the `caldav` source, per calendar: the cursor it keeps, a full listing, the changes
 * since the cursor (`sync-collection`, else the ETags of a PROPFIND listing), and the pages that
 * carry them to the engine.
 */
import type { CalendarEvent } from '../../domain/types.js';
import type { CaldavClient } from './caldav-client.js';
import { keyOf, type Collection, type Member } from './caldav-xml.js';
import { cursorObject } from './cursor.js';
import { parseCalendar, type ParseOptions } from './ical-normalize.js';
import type { Cursor, SkippedItem, SyncPage, TimeRange } from './types.js';

const PAGE_SIZE = 200;
export const CURSOR_VERSION = 1;

/** What the cursor keeps per calendar. `objects`: normalised href → [etag, event ids]. */
export interface CalendarState {
  token: string | null;
  ctag: string | null;
  objects: Record<string, [string, string[]]>;
}
export interface CursorState {
  v: number;
  day: number;
  horizonDays: number;
  calendars: Record<string, CalendarState>;
}
export interface Delta {
  readonly upserts: CalendarEvent[];
  readonly deletions: Set<string>;
  readonly skipped: SkippedItem[];
  /** Event ids of calendars refused to this sync, kept as they were (SyncPage.kept). */
  readonly kept: string[];
}

/**
 * What the cursor held per calendar, whatever its window: a calendar refused to a full listing
 * keeps what it held (caldav.ts). Empty when the cursor is of another version or damaged.
 */
export function storedCalendars(cursor: Cursor | null): Readonly<Record<string, CalendarState>> {
  const state = cursorObject(cursor) as Partial<CursorState> | null;
  return state?.v === CURSOR_VERSION && typeof state.calendars === 'object' && state.calendars ? state.calendars : {};
}

/** The cursor of this window, or null for a full listing (another version, another window, damaged). */
export function readCursor(cursor: Cursor | null, day: number, horizonDays: number): CursorState | null {
  const state = cursorObject(cursor) as Partial<CursorState> | null;
  if (state === null || state.v !== CURSOR_VERSION || state.day !== day || state.horizonDays !== horizonDays) return null;
  if (typeof state.calendars !== 'object' || !state.calendars) return null;
  return state as CursorState;
}

/** The steps of one calendar's sync; its objects are expanded with `parseOptions`. */
export function calendarSync(parseOptions: ParseOptions) {
  /** Fetches and expands `members`, recording their ids in `state` and the changes in `delta`. */
  const load = async (
    client: CaldavClient, calendar: Collection, state: CalendarState, members: readonly Member[], window: TimeRange, delta: Delta,
  ): Promise<void> => {
    const objects = await client.fetchObjects(calendar.url, members.map((m) => m.href));
    for (const object of objects) {
      const key = keyOf(object.href, calendar.url);
      const before = state.objects[key]?.[1] ?? [];
      if (object.data === null) {
        // Deleted between the listing and the fetch.
        before.forEach((id) => delta.deletions.add(id));
        delete state.objects[key];
        continue;
      }
      // parseCalendar reports what it cannot read as skipped items; it does not throw.
      const parsed = parseCalendar(object.data, window, parseOptions);
      delta.skipped.push(...parsed.skipped);
      if (parsed.events.length === 0 && parsed.skipped.length > 0 && before.length > 0) {
        // A malformed new version: keep what the last good one said rather than cancel interviews.
        state.objects[key] = [object.etag, before];
        continue;
      }
      const ids = parsed.events.map((event) => event.id);
      before.filter((id) => !ids.includes(id)).forEach((id) => delta.deletions.add(id));
      delta.upserts.push(...parsed.events);
      state.objects[key] = [object.etag, ids];
    }
  };

  const listAll = async (client: CaldavClient, calendar: Collection, window: TimeRange, delta: Delta): Promise<CalendarState> => {
    const state: CalendarState = { token: null, ctag: calendar.ctag, objects: {} };
    let members: Member[] | null = null;
    if (calendar.syncCollection) {
      const answer = await client.syncMembers(calendar.url, null);
      if (typeof answer === 'object') {
        members = answer.changed;
        state.token = answer.token;
      }
    }
    members ??= await client.listMembers(calendar.url);
    await load(client, calendar, state, members, window, delta);
    return state;
  };

  /** Changes of one calendar since `state`; 'invalid' when its sync token was rejected. */
  const changesOf = async (
    client: CaldavClient, calendar: Collection, previous: CalendarState, window: TimeRange, delta: Delta,
  ): Promise<CalendarState | 'invalid'> => {
    const state: CalendarState = { token: previous.token, ctag: calendar.ctag, objects: { ...previous.objects } };
    if (calendar.ctag !== null && calendar.ctag === previous.ctag) return state;
    let changed: Member[] | null = null;
    let removed: string[] = [];
    if (calendar.syncCollection && previous.token) {
      const answer = await client.syncMembers(calendar.url, previous.token);
      if (answer === 'invalid') return 'invalid';
      if (answer !== 'unsupported') {
        ({ changed, removed } = answer);
        state.token = answer.token;
      }
    }
    if (changed === null) {
      const listed = await client.listMembers(calendar.url);
      const present = new Set(listed.map((m) => keyOf(m.href, calendar.url)));
      removed = Object.keys(previous.objects).filter((key) => !present.has(key));
      changed = listed.filter((m) => previous.objects[keyOf(m.href, calendar.url)]?.[0] !== m.etag || !m.etag);
      state.token = null;
    }
    for (const href of removed) {
      const key = keyOf(href, calendar.url);
      state.objects[key]?.[1].forEach((id) => delta.deletions.add(id));
      delete state.objects[key];
    }
    await load(client, calendar, state, changed, window, delta);
    return state;
  };

  return { listAll, changesOf };
}

export function* pages(delta: Delta, full: boolean, cursor: CursorState): Generator<SyncPage> {
  // An id still produced by another object (the same invitation in two calendars) stays.
  const alive = new Set(Object.values(cursor.calendars).flatMap((c) => Object.values(c.objects).flatMap(([, ids]) => ids)));
  const deletions = [...delta.deletions].filter((id) => !alive.has(id));
  const chunks: CalendarEvent[][] = [];
  for (let i = 0; i < delta.upserts.length; i += PAGE_SIZE) chunks.push(delta.upserts.slice(i, i + PAGE_SIZE));
  const last = chunks.pop() ?? [];
  for (const upserts of chunks) yield { upserts, deletions: [], skipped: [], full };
  yield { upserts: last, deletions, skipped: delta.skipped, ...(delta.kept.length > 0 ? { kept: delta.kept } : {}), full, nextCursor: JSON.stringify(cursor) };
}
