/**
 * The `caldav` calendar source: any CalDAV server (iCloud, Fastmail, Nextcloud, Radicale) with a
 * username and an app password. tsdav does discovery, transport and XML parsing; no tsdav type
 * leaves caldav-client.ts and caldav-xml.ts.
 *
 * Sync, per calendar:
 * - RFC 6578 `sync-collection` when the calendar offers it: the server names what changed since
 *   our token. Servers without it: list hrefs and ETags (PROPFIND) and compare with the cursor.
 *   Changed objects are fetched with `calendar-multiget` and expanded by `parseCalendar`.
 * - The cursor remembers, per calendar, the token, the ctag, and for every object its ETag and the
 *   event ids it produced, so that an object that disappears becomes deletions of exactly those ids.
 * - A full listing (`full: true`) is answered for a first sync, an unreadable cursor, a sync token
 *   the server rejects (403/409 `valid-sync-token`), a new `horizonDays`, and once a day, because
 *   recurring events are expanded over a window that moves with the day.
 *
 * The window, as for `ics`: whole UTC days from yesterday until `horizonDays` after today.
 *
 * `readEvent` asks each calendar for the objects with the event's UID (`calendar-query` on UID:
 * the href is not needed) and expands them over today's window, as a sync would.
 *
 * `freeBusy` asks the server (`calendar-query` with a time range) and expands what it returns, so
 * the engine sees the calendar as it is when an email is written, not as of the last sync.
 * Cancelled and all-day events do not count as busy.
 */
import { mergeIntervals } from '../../domain/intervals.js';
import type { Millis } from '../../domain/types.js';
import { CaldavClient, PrivilegeMissing } from './caldav-client.js';
import { CURSOR_VERSION, calendarSync, pages, readCursor, storedCalendars, type CursorState, type Delta } from './caldav-sync.js';
import type { Collection } from './caldav-xml.js';
import { parseCalendar } from './ical-normalize.js';
import type { BusyInterval, CalendarSource, TimeRange } from './types.js';

export interface CaldavSourceOptions {
  /** Account id from the config. */
  readonly id: string;
  /** Server or calendar home URL, e.g. `https://caldav.fastmail.com/dav/`. */
  readonly url: string;
  readonly username: string;
  /** App password; never logged, never part of an error message. */
  readonly password: string;
  /** Calendar URLs to sync; empty means every calendar found. */
  readonly calendars: readonly string[];
  /** How far ahead recurring events are expanded. */
  readonly horizonDays: number;
  readonly now: () => Millis;
  /** IANA zone for floating times and all-day dates (the candidate's zone). @defaultValue 'UTC' */
  readonly floatingZone?: string;
}

/** A calendar the server refuses to this account (caldav-client.ts, PrivilegeMissing). */
interface Refused {
  readonly url: string;
  readonly name: string | null;
  readonly error: PrivilegeMissing;
}

/** `error` as a refused calendar when it is one; thrown on otherwise. */
function refusal(error: unknown, url: string, name: string | null): Refused {
  if (error instanceof PrivilegeMissing) return { url, name, error };
  throw error;
}

function emptyDelta(): Delta {
  return { upserts: [], deletions: new Set(), skipped: [], kept: [] };
}

/** What the user reads of a calendar refused: which privilege, what ringback does, what to do. */
function refusedReason(error: PrivilegeMissing): string {
  const named = error.privileges.length > 0 ? `the ${error.privileges.join(' and ')} privilege on it` : 'access to it';
  return (
    `not read: the server refuses this account ${named} (a calendar no longer shared with you, or whose access was changed). ` +
    'Its interviews are kept as they were and the other calendars are read as usual; ask its owner to share it with you again, or leave it out with ringback connect caldav --calendar'
  );
}

export interface DiscoveredCalendar {
  readonly url: string;
  readonly displayName: string;
}

const DAY = 86_400_000;

/**
 * Lists the calendars of an account: principal → calendar home set → calendars holding events.
 * For `connect caldav`; it also checks the username and password (AuthError when refused).
 */
export async function discoverCaldavCalendars(options: {
  url: string;
  username: string;
  password: string;
  signal?: AbortSignal;
}): Promise<DiscoveredCalendar[]> {
  const client = new CaldavClient(options, { homeUrl: null }, options.signal, Date.now);
  const found = await client.discover();
  return found.map(({ url, displayName }) => ({ url, displayName }));
}

export function createCaldavSource(options: CaldavSourceOptions): CalendarSource {
  const windowOf = (day: number): TimeRange => ({ from: (day - 1) * DAY, to: (day + options.horizonDays + 1) * DAY });
  const parseOptions = options.floatingZone ? { floatingZone: options.floatingZone } : {};

  /** The calendars to read, and those of the config the server refuses to describe. */
  const collections = async (client: CaldavClient): Promise<{ found: Collection[]; refused: Refused[] }> => {
    if (options.calendars.length === 0) return { found: await client.discover(), refused: [] };
    const described = await Promise.all(options.calendars.map((url) => client.describe(url).catch((error: unknown) => refusal(error, url, null))));
    return {
      found: described.filter((c): c is Collection => !('error' in c)),
      refused: described.filter((c): c is Refused => 'error' in c),
    };
  };

  const { listAll, changesOf } = calendarSync(parseOptions);

  const shared = { homeUrl: null as string | null };
  const clientFor = (signal: AbortSignal) => new CaldavClient(options, shared, signal, options.now);

  return {
    id: options.id,

    async *sync(cursor, signal) {
      const client = clientFor(signal);
      const day = Math.floor(options.now() / DAY);
      const window = windowOf(day);
      const { found, refused: refusedAtStart } = await collections(client);
      const { horizonDays } = options;
      const previous = readCursor(cursor, day, horizonDays);
      const stored = storedCalendars(cursor);
      const fresh = () => ({ delta: emptyDelta(), next: { v: CURSOR_VERSION, day, horizonDays, calendars: {} } as CursorState });
      /**
       * One calendar's read, or null when the server refuses it: then it keeps what the cursor
       * held (nothing of it is withdrawn), and the sync says which calendar and what privilege.
       */
      let refused: Refused[] = [];
      const readOrKeep = async <T>(calendar: Collection, delta: Delta, read: (part: Delta) => Promise<T>): Promise<T | null> => {
        // Its changes join the sync's only once it is read whole: a refusal halfway (its objects
        // listed, then their fetch refused) must not withdraw what it had listed so far.
        const part = emptyDelta();
        try {
          const state = await read(part);
          delta.upserts.push(...part.upserts);
          part.deletions.forEach((id) => delta.deletions.add(id));
          delta.skipped.push(...part.skipped);
          return state;
        } catch (error) {
          refused.push(refusal(error, calendar.url, calendar.displayName || null));
          return null;
        }
      };
      /** The calendars refused: kept as they were, and said; every calendar refused, the sync fails. */
      const keepRefused = (delta: Delta, next: CursorState): void => {
        const all = [...refusedAtStart, ...refused];
        const first = all[0];
        if (!first) return;
        if (Object.keys(next.calendars).length === 0) throw first.error;
        for (const { url, name, error } of all) {
          const kept = stored[url];
          if (kept) {
            next.calendars[url] = kept;
            for (const [, ids] of Object.values(kept.objects)) delta.kept.push(...ids);
          }
          delta.skipped.push({ ref: name ? `"${name}" (${url})` : url, reason: refusedReason(error), calendar: true });
        }
      };
      if (previous) {
        const { delta, next } = fresh();
        let rejected = false;
        for (const calendar of found) {
          const before = previous.calendars[calendar.url];
          const state = await readOrKeep(calendar, delta, (part) => (before ? changesOf(client, calendar, before, window, part) : listAll(client, calendar, window, part)));
          if (state === 'invalid') {
            rejected = true;
            break;
          }
          if (state) next.calendars[calendar.url] = state;
        }
        if (!rejected) {
          keepRefused(delta, next);
          // A calendar no longer there (removed, or no longer configured): all its events are gone.
          Object.entries(previous.calendars)
            .filter(([url]) => !next.calendars[url])
            .forEach(([, state]) => Object.values(state.objects).forEach(([, ids]) => ids.forEach((id) => delta.deletions.add(id))));
          yield* pages(delta, false, next);
          return;
        }
      }
      const { delta, next } = fresh();
      refused = [];
      for (const calendar of found) {
        const state = await readOrKeep(calendar, delta, (part) => listAll(client, calendar, window, part));
        if (state) next.calendars[calendar.url] = state;
      }
      keepRefused(delta, next);
      yield* pages(delta, true, next);
    },

    async readEvent(eventId, signal) {
      const client = clientFor(signal);
      const window = windowOf(Math.floor(options.now() / DAY));
      // An occurrence's id is its series' UID, a slash and its original start (ical-recurrence.ts).
      const uids = [eventId, ...(eventId.includes('/') ? [eventId.slice(0, eventId.lastIndexOf('/'))] : [])];
      const { found: calendars, refused } = await collections(client);
      for (const calendar of calendars) {
        for (const uid of uids) {
          const objects = await client.queryUid(calendar.url, uid).catch((error: unknown) => {
            refused.push(refusal(error, calendar.url, calendar.displayName || null));
            return [];
          });
          for (const object of objects) {
            const found = parseCalendar(object.data, window, parseOptions).events.find((event) => event.id === eventId);
            if (found) return found;
          }
        }
      }
      // Not in the calendars read, but perhaps in one refused: unknown, which is not gone.
      if (refused[0]) throw refused[0].error;
      return null;
    },

    async freeBusy(range, signal) {
      const client = clientFor(signal);
      const busy: BusyInterval[] = [];
      // A calendar refused adds no busy time: the others still say when the user is free.
      for (const calendar of (await collections(client)).found) {
        const objects = await client.queryRange(calendar.url, range).catch((error: unknown) => {
          refusal(error, calendar.url, null);
          return [];
        });
        for (const object of objects) {
          for (const event of parseCalendar(object.data, range, parseOptions).events) {
            if (event.status === 'cancelled' || event.allDay || event.end <= range.from || event.start >= range.to) continue;
            busy.push({ start: Math.max(event.start, range.from), end: Math.min(event.end, range.to) });
          }
        }
      }
      return mergeIntervals(busy);
    },

    async close() {
      // Each call opens its own HTTP requests (fetch keeps no connection we own): nothing to release.
    },
  };
}
