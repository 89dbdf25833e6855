/**
 * The `caldav` calendar source: any CalDAV server (iCloud, Fastmail, Nextcloud, Radicale) with a
 * username and an app password. tsdav does discovery, transport and XML parsing; no tsdav type
 * leaves this file.
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
 * `freeBusy` asks the server (`calendar-query` with a time range) and expands what it returns, so
 * the engine sees the calendar as it is when an email is written, not as of the last sync.
 * Cancelled and all-day events do not count as busy.
 */
import { createAccount, davRequest, getBasicAuthHeaders } from 'tsdav';
import type { CalendarEvent, Millis } from '../../domain/types.js';
import { AuthError, PermanentError, ProviderError, RateLimitError, TransientError, parseRetryAfter } from '../errors.js';
import { parseCalendar } from './ical-normalize.js';
import type { BusyInterval, CalendarSource, Cursor, SkippedItem, SyncPage, TimeRange } from './types.js';

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

export interface DiscoveredCalendar {
  readonly url: string;
  readonly displayName: string;
}

const DAY = 86_400_000;
const MULTIGET_BATCH = 50;
const PAGE_SIZE = 200;
const CURSOR_VERSION = 1;

interface Collection {
  readonly url: string;
  readonly displayName: string;
  readonly syncCollection: boolean;
  readonly ctag: string | null;
}
/** What the cursor keeps per calendar. `objects`: normalised href → [etag, event ids]. */
interface CalendarState {
  token: string | null;
  ctag: string | null;
  objects: Record<string, [string, string[]]>;
}
interface CursorState {
  v: number;
  day: number;
  horizonDays: number;
  calendars: Record<string, CalendarState>;
}
interface Member {
  readonly href: string;
  readonly etag: string;
}
interface Delta {
  readonly upserts: CalendarEvent[];
  readonly deletions: Set<string>;
  readonly skipped: SkippedItem[];
}

/** Turns HTTP failures into typed provider errors; other statuses go back to the caller. */
function classifyingFetch(signal: AbortSignal | undefined, now: () => Millis): typeof fetch {
  return async (input, init) => {
    let response: Response;
    try {
      response = await fetch(input, { ...init, signal });
    } catch (error) {
      if (signal?.aborted) throw error;
      const code = (error as { cause?: { code?: string } }).cause?.code ?? (error as Error).message;
      throw new TransientError(`CalDAV server unreachable (${code})`, { cause: error });
    }
    const status = response.status;
    if (status === 401) throw new AuthError('CalDAV server refused the username or app password');
    if (status === 429 || status === 503) {
      await response.body?.cancel();
      const wait = parseRetryAfter(response.headers.get('retry-after'), now());
      throw new RateLimitError(`CalDAV server asked to slow down (${status})`, wait);
    }
    if (status >= 500) {
      await response.body?.cancel();
      throw new TransientError(`CalDAV server failed (${status} ${response.statusText})`);
    }
    return response;
  };
}

const xmlEscape = (value: string): string =>
  value.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
const NS = 'xmlns:d="DAV:" xmlns:c="urn:ietf:params:xml:ns:caldav" xmlns:cs="http://calendarserver.org/ns/"';
const COLLECTION_PROPS =
  '<d:displayname/><d:resourcetype/><d:supported-report-set/><c:supported-calendar-component-set/><cs:getctag/><d:sync-token/>';
const davTime = (at: Millis): string => `${new Date(at).toISOString().slice(0, 19).replace(/[-:]/g, '')}Z`;

/** The text of a property as tsdav's XML parser left it (string, number or CDATA node). */
function text(value: unknown): string | null {
  if (typeof value === 'string') return value;
  if (typeof value === 'number') return String(value);
  if (value && typeof value === 'object') {
    const node = value as { _cdata?: unknown; _text?: unknown };
    return text(node._cdata ?? node._text);
  }
  return null;
}

/** One key per object whatever the server's percent-encoding: the decoded path. */
function keyOf(href: string, base: string): string {
  const path = new URL(href, base).pathname;
  try {
    return decodeURIComponent(path);
  } catch {
    // A lone '%' the server did not encode: the raw path is still a stable key.
    return path;
  }
}

const samePath = (href: string, url: string): boolean =>
  keyOf(href, url).replace(/\/$/, '') === keyOf(url, url).replace(/\/$/, '');

type DavAnswer = Awaited<ReturnType<typeof davRequest>>[number];

/** A multistatus always yields `props`; a plain HTTP answer does not. */
const failedOutright = (answer: DavAnswer | undefined): boolean => !!answer && !answer.ok && answer.props === undefined;

function toCollection(url: string, props: Record<string, unknown>): Collection | null {
  const type = props.resourcetype;
  if (!type || typeof type !== 'object' || !('calendar' in type)) return null;
  const components = JSON.stringify(props.supportedCalendarComponentSet ?? '');
  if (components.includes('"name"') && !components.includes('"VEVENT"')) return null;
  return {
    url,
    displayName: text(props.displayname) ?? url,
    syncCollection: JSON.stringify(props.supportedReportSet ?? '').includes('syncCollection'),
    ctag: text(props.getctag) ?? text(props.syncToken),
  };
}

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

class CaldavClient {
  private readonly headers: Record<string, string>;
  private readonly fetch: typeof fetch;

  constructor(
    private readonly account: { url: string; username: string; password: string },
    /** Discovery result kept by the source between calls. */
    private readonly shared: { homeUrl: string | null },
    private readonly signal: AbortSignal | undefined,
    now: () => Millis,
  ) {
    this.headers = getBasicAuthHeaders({ username: account.username, password: account.password });
    this.fetch = classifyingFetch(signal, now);
  }

  /** tsdav throws plain Errors for what it cannot find; those are permanent for us. */
  private async dav<T>(what: string, work: () => Promise<T>): Promise<T> {
    try {
      return await work();
    } catch (error) {
      if (error instanceof ProviderError || this.signal?.aborted) throw error;
      throw new PermanentError(`CalDAV ${what} failed: ${(error as Error).message}`, { cause: error });
    }
  }

  async discover(): Promise<Collection[]> {
    if (!this.shared.homeUrl) {
      const account = await this.dav('discovery', async () =>
        createAccount({
          account: { serverUrl: this.account.url, accountType: 'caldav' },
          headers: this.headers,
          fetch: this.fetch,
        }),
      );
      this.shared.homeUrl = account.homeUrl ?? null;
    }
    const home = this.shared.homeUrl;
    if (!home) throw new PermanentError(`CalDAV server at ${this.account.url} named no calendar home`);
    const answers = await this.request(home, 'PROPFIND', '1', `<d:propfind ${NS}><d:prop>${COLLECTION_PROPS}</d:prop></d:propfind>`, true);
    if (failedOutright(answers[0])) {
      // The home moved (or never was): discover again next time rather than report no calendars.
      this.shared.homeUrl = null;
      throw new PermanentError(`CalDAV calendar home ${home} failed (${answers[0]?.status})`);
    }
    return answers.flatMap((answer) => {
      const found = answer.ok && answer.href ? toCollection(new URL(answer.href, home).href, answer.props ?? {}) : null;
      return found ? [found] : [];
    });
  }

  /** A calendar named in the config, described directly: it may live outside the home set. */
  async describe(url: string): Promise<Collection> {
    const [answer] = await this.request(url, 'PROPFIND', '0', `<d:propfind ${NS}><d:prop>${COLLECTION_PROPS}</d:prop></d:propfind>`);
    const found = answer?.ok ? toCollection(url, answer.props ?? {}) : null;
    if (!found) throw new PermanentError(`CalDAV URL ${url} is not a calendar of events`);
    return found;
  }

  /** One PROPFIND or REPORT; an answer that is not a multistatus fails it unless `tolerate`. */
  async request(url: string, method: 'PROPFIND' | 'REPORT', depth: '0' | '1', body: string, tolerate = false): Promise<DavAnswer[]> {
    const answers = await this.dav(`${method} ${url}`, async () =>
      davRequest({
        url,
        init: { method, headers: { ...this.headers, depth }, body: `<?xml version="1.0" encoding="utf-8"?>${body}` },
        convertIncoming: false,
        fetch: this.fetch,
      }),
    );
    if (!tolerate && failedOutright(answers[0])) throw new PermanentError(`CalDAV ${method} ${url} failed (${answers[0]?.status})`);
    return answers;
  }

  /**
   * `sync-collection`: members changed since `token` (every member for null) and the new token.
   * 'invalid' when the server rejects the token; 'unsupported' when it does not do the report.
   */
  async syncMembers(url: string, token: string | null) {
    const answers = await this.request(url, 'REPORT', '0',
      `<d:sync-collection ${NS}><d:sync-token>${xmlEscape(token ?? '')}</d:sync-token><d:sync-level>1</d:sync-level><d:prop><d:getetag/></d:prop></d:sync-collection>`, true);
    const first = answers[0];
    if (first && failedOutright(first)) {
      const body = typeof first.raw === 'string' ? first.raw : JSON.stringify(first.raw ?? '');
      if (token && (body.includes('valid-sync-token') || [409, 410, 412].includes(first.status))) return 'invalid' as const;
      if ([400, 403, 405, 501].includes(first.status)) return 'unsupported' as const;
      throw new PermanentError(`CalDAV sync of ${url} failed (${first.status})`);
    }
    const changed: Member[] = [];
    const removed: string[] = [];
    for (const answer of answers) {
      if (!answer.href || samePath(answer.href, url)) continue;
      if (answer.status === 404) removed.push(answer.href);
      else changed.push({ href: answer.href, etag: text(answer.props?.getetag) ?? '' });
    }
    return { changed, removed, token: text(first?.raw?.multistatus?.syncToken) };
  }

  /** PROPFIND depth 1: every object in the calendar with its ETag. */
  async listMembers(url: string): Promise<Member[]> {
    const answers = await this.request(url, 'PROPFIND', '1', `<d:propfind ${NS}><d:prop><d:getetag/><d:resourcetype/></d:prop></d:propfind>`);
    return answers
      .filter((a) => a.ok && a.href && !samePath(a.href, url))
      .filter((a) => !(a.props?.resourcetype && typeof a.props.resourcetype === 'object' && 'collection' in a.props.resourcetype))
      .map((a) => ({ href: a.href ?? '', etag: text(a.props?.getetag) ?? '' }));
  }

  /** `calendar-multiget`; an object gone meanwhile comes back with null data. */
  async fetchObjects(url: string, hrefs: readonly string[]) {
    const out: { href: string; etag: string; data: string | null }[] = [];
    for (let i = 0; i < hrefs.length; i += MULTIGET_BATCH) {
      const batch = hrefs.slice(i, i + MULTIGET_BATCH).map((href) => `<d:href>${xmlEscape(href)}</d:href>`);
      const answers = await this.request(url, 'REPORT', '1',
        `<c:calendar-multiget ${NS}><d:prop><d:getetag/><c:calendar-data/></d:prop>${batch.join('')}</c:calendar-multiget>`);
      for (const a of answers) {
        if (a.href) out.push({ href: a.href, etag: text(a.props?.getetag) ?? '', data: a.ok ? text(a.props?.calendarData) : null });
      }
    }
    return out;
  }

  /** `calendar-query` over a time range: the objects with an event in it. */
  async queryRange(url: string, range: TimeRange): Promise<{ href: string; data: string }[]> {
    const answers = await this.request(url, 'REPORT', '1',
      `<c:calendar-query ${NS}><d:prop><d:getetag/><c:calendar-data/></d:prop><c:filter><c:comp-filter name="VCALENDAR"><c:comp-filter name="VEVENT"><c:time-range start="${davTime(range.from)}" end="${davTime(range.to)}"/></c:comp-filter></c:comp-filter></c:filter></c:calendar-query>`);
    return answers.flatMap((a) => {
      const data = a.ok ? text(a.props?.calendarData) : null;
      return a.href && data ? [{ href: a.href, data }] : [];
    });
  }
}

function readCursor(cursor: Cursor | null, day: number, horizonDays: number): CursorState | null {
  if (!cursor) return null;
  try {
    const state = JSON.parse(cursor) as Partial<CursorState>;
    if (state.v !== CURSOR_VERSION || state.day !== day || state.horizonDays !== horizonDays) return null;
    if (typeof state.calendars !== 'object' || !state.calendars) return null;
    return state as CursorState;
  } catch {
    // A cursor from another version or a damaged one: answer with a full listing, as for none.
    return null;
  }
}

export function createCaldavSource(options: CaldavSourceOptions): CalendarSource {
  const windowOf = (day: number): TimeRange => ({ from: (day - 1) * DAY, to: (day + options.horizonDays + 1) * DAY });
  const parseOptions = options.floatingZone ? { floatingZone: options.floatingZone } : {};

  const collections = async (client: CaldavClient): Promise<Collection[]> => {
    if (options.calendars.length === 0) return client.discover();
    return Promise.all(options.calendars.map((url) => client.describe(url)));
  };

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

  function* pages(delta: Delta, full: boolean, cursor: CursorState): Generator<SyncPage> {
    // An id still produced by another object (the same invitation in two calendars) stays.
    const alive = new Set(Object.values(cursor.calendars).flatMap((c) => Object.values(c.objects).flatMap(([, ids]) => ids)));
    const deletions = [...delta.deletions].filter((id) => !alive.has(id));
    const chunks: CalendarEvent[][] = [];
    for (let i = 0; i < delta.upserts.length; i += PAGE_SIZE) chunks.push(delta.upserts.slice(i, i + PAGE_SIZE));
    const last = chunks.pop() ?? [];
    for (const upserts of chunks) yield { upserts, deletions: [], skipped: [], full };
    yield { upserts: last, deletions, skipped: delta.skipped, full, nextCursor: JSON.stringify(cursor) };
  }

  const shared = { homeUrl: null as string | null };
  const clientFor = (signal: AbortSignal) => new CaldavClient(options, shared, signal, options.now);

  return {
    id: options.id,

    async *sync(cursor, signal) {
      const client = clientFor(signal);
      const day = Math.floor(options.now() / DAY);
      const window = windowOf(day);
      const found = await collections(client);
      const { horizonDays } = options;
      const previous = readCursor(cursor, day, horizonDays);
      const fresh = () => ({ delta: { upserts: [], deletions: new Set(), skipped: [] } as Delta, next: { v: CURSOR_VERSION, day, horizonDays, calendars: {} } as CursorState });
      if (previous) {
        const { delta, next } = fresh();
        let rejected = false;
        for (const calendar of found) {
          const before = previous.calendars[calendar.url];
          const state = before ? await changesOf(client, calendar, before, window, delta) : await listAll(client, calendar, window, delta);
          if (state === 'invalid') {
            rejected = true;
            break;
          }
          next.calendars[calendar.url] = state;
        }
        if (!rejected) {
          // A calendar no longer there (removed, or no longer configured): all its events are gone.
          Object.entries(previous.calendars)
            .filter(([url]) => !next.calendars[url])
            .forEach(([, state]) => Object.values(state.objects).forEach(([, ids]) => ids.forEach((id) => delta.deletions.add(id))));
          yield* pages(delta, false, next);
          return;
        }
      }
      const { delta, next } = fresh();
      for (const calendar of found) next.calendars[calendar.url] = await listAll(client, calendar, window, delta);
      yield* pages(delta, true, next);
    },

    async freeBusy(range, signal) {
      const client = clientFor(signal);
      const busy: BusyInterval[] = [];
      for (const calendar of await collections(client)) {
        for (const object of await client.queryRange(calendar.url, range)) {
          for (const event of parseCalendar(object.data, range, parseOptions).events) {
            if (event.status === 'cancelled' || event.allDay || event.end <= range.from || event.start >= range.to) continue;
            busy.push({ start: Math.max(event.start, range.from), end: Math.min(event.end, range.to) });
          }
        }
      }
      busy.sort((a, b) => a.start - b.start);
      const merged: BusyInterval[] = [];
      for (const interval of busy) {
        const last = merged[merged.length - 1];
        if (last && interval.start <= last.end) merged[merged.length - 1] = { start: last.start, end: Math.max(last.end, interval.end) };
        else merged.push(interval);
      }
      return merged;
    },

    async close() {
      // Each call opens its own HTTP requests (fetch keeps no connection we own): nothing to release.
    },
  };
}
