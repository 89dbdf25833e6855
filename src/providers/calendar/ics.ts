/**
 * The `ics` calendar source: an iCalendar file on disk, or a feed URL (a calendar's "secret
 * address"). Neither can tell what changed, so a sync is either "unchanged" (one empty page) or a
 * full listing of every event in the window (`full: true` on every page): the caller diffs the
 * listed ids against the ones it knows to find deletions.
 *
 * The cursor remembers what was listed: the content's sha256 (plus mtime and size for a file, ETag
 * and Last-Modified for a URL) and the window it was expanded over. The window moves with the
 * clock, so a new day lists everything again even when the content did not change.
 *
 * The URL is a secret: errors name its host only. Reading the file or the URL: ics-fetch.ts.
 */
import { createHash } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import type { CalendarEvent, Millis } from '../../domain/types.js';
import { PermanentError, TransientError } from '../errors.js';
import { cursorObject } from './cursor.js';
import { parseCalendar } from './ical-normalize.js';
import { decodeIcs } from './ical-text.js';
import { fetchSnapshot, hostOf, readSnapshot, type Snapshot, type SnapshotMeta } from './ics-fetch.js';
import { notWhole } from './ics-whole.js';
import type { CalendarSource, Cursor, SkippedItem, SyncPage } from './types.js';

export interface IcsSourceOptions {
  /** The account id from the config. */
  readonly id: string;
  /** A local .ics file. Exactly one of `path` and `url` is given. */
  readonly path?: string;
  /** An iCalendar feed (`https:`, `http:` or `webcal:`). Secret: only its host is ever shown. */
  readonly url?: string;
  /** How many days ahead recurring events are expanded. */
  readonly horizonDays: number;
  readonly now: () => Millis;
  /** @defaultValue globalThis.fetch */
  readonly fetch?: typeof fetch;
  /** Larger files or answers are refused. @defaultValue 20 MB */
  readonly maxBytes?: number;
  /** IANA zone for floating times and all-day dates (the candidate's zone). @defaultValue 'UTC' */
  readonly floatingZone?: string;
  /**
   * How long to wait before reading again a calendar that is not whole (ics-whole.ts): an editor or
   * a sync tool saving the file, or a feed answered mid-update, is usually done by then. Not whole
   * twice, the sync fails as any outage does and withdraws nothing. @defaultValue 2000
   */
  readonly settleMs?: number;
}

const DAY = 86_400_000;
const PAGE_SIZE = 500;
/** Raised when the normalised events change for the same content, so old cursors re-list. */
const FORMAT = 1;

interface IcsCursor extends SnapshotMeta {
  readonly v: number;
  /** Start of the UTC day the window was expanded from, and its length. */
  readonly day: number;
  readonly horizonDays: number;
  readonly sha256: string;
}

export function createIcsSource(options: IcsSourceOptions): CalendarSource {
  const { id, path, url, horizonDays, now } = options;
  if ((path === undefined) === (url === undefined)) {
    throw new TypeError(`calendar ${id}: an ics source needs exactly one of path and url`);
  }
  const maxBytes = options.maxBytes ?? 20 * 1024 * 1024;
  const fetchFn = options.fetch ?? globalThis.fetch;

  async function* sync(cursor: Cursor | null, signal: AbortSignal): AsyncGenerator<SyncPage> {
    signal.throwIfAborted();
    const previous = readCursor(cursor);
    const day = Math.floor(now() / DAY) * DAY;
    const sameWindow = previous !== null && previous.day === day && previous.horizonDays === horizonDays && previous.v === FORMAT;
    const read = (conditional: boolean): Promise<Snapshot> =>
      path !== undefined
        ? readSnapshot(path, maxBytes, signal)
        : fetchSnapshot({ url: url ?? '', previous: conditional && sameWindow ? previous : null, maxBytes, fetchFn, now, signal });
    const what = path !== undefined ? `the file ${path}` : `the calendar URL on ${hostOf(url ?? '')}`;
    let snapshot = await read(true);
    let text: string;
    let next: IcsCursor;
    for (let reads = 1; ; reads++) {
      if (snapshot.kind === 'unchanged' && previous) {
        yield emptyPage(JSON.stringify(previous));
        return;
      }
      if (snapshot.kind === 'unchanged') throw new TransientError('the calendar answered "not modified" to a first request');
      const sha256 = createHash('sha256').update(snapshot.bytes).digest('hex');
      next = { v: FORMAT, day, horizonDays, ...snapshot.meta, sha256 };
      // The same bytes as the last listing were whole then: nothing to decode or check.
      if (sameWindow && previous.sha256 === sha256) {
        yield emptyPage(JSON.stringify(next));
        return;
      }
      text = decodeIcs(snapshot.bytes);
      const cut = notWhole(text);
      if (cut === null) break;
      // Transient: the account shows the problem only once it lasts beyond a second read, is
      // audited once (workers/sync.ts), and the next sync reads it again; nothing is withdrawn.
      if (reads > 1) throw new TransientError(`${what} is not a whole calendar: ${cut} (read while being written, or cut off by its server); nothing is withdrawn until it is whole`);
      await sleep(options.settleMs ?? 2000, undefined, { signal });
      snapshot = await read(false);
    }
    if (!/BEGIN:(VCALENDAR|VEVENT)/i.test(text)) {
      throw new PermanentError(`${what} is not an iCalendar calendar (no BEGIN:VCALENDAR)`);
    }
    signal.throwIfAborted();
    // Whole UTC days, from yesterday to `horizonDays` after today: the same all day long, so that
    // listing twice on one day gives the same events.
    const window = { from: day - DAY, to: day + (horizonDays + 1) * DAY };
    const parsed = parseCalendar(text, window, options.floatingZone ? { floatingZone: options.floatingZone } : {});
    yield* fullListing(parsed.events, parsed.skipped, JSON.stringify(next));
  }

  return {
    id,
    sync,
    // The engine computes busy time from the synced events.
    freeBusy: () => Promise.resolve(null),
    close: () => Promise.resolve(),
  };
}

function emptyPage(nextCursor: Cursor): SyncPage {
  return { upserts: [], deletions: [], skipped: [], full: false, nextCursor };
}

function* fullListing(events: readonly CalendarEvent[], skipped: readonly SkippedItem[], nextCursor: Cursor): Generator<SyncPage> {
  for (let offset = 0; offset === 0 || offset < events.length; offset += PAGE_SIZE) {
    const last = offset + PAGE_SIZE >= events.length;
    yield {
      upserts: events.slice(offset, offset + PAGE_SIZE),
      deletions: [],
      skipped: offset === 0 ? skipped : [],
      full: true,
      ...(last ? { nextCursor } : {}),
    };
  }
}

/** The cursor, or null when it is not one of ours: a full listing follows, as the port requires. */
function readCursor(cursor: Cursor | null): IcsCursor | null {
  const c = cursorObject(cursor);
  if (c === null) return null;
  const optional = (key: string, type: 'string' | 'number'): boolean => c[key] === undefined || typeof c[key] === type;
  const ok =
    typeof c.v === 'number' &&
    typeof c.day === 'number' &&
    typeof c.horizonDays === 'number' &&
    typeof c.sha256 === 'string' &&
    optional('mtimeMs', 'number') &&
    optional('size', 'number') &&
    optional('etag', 'string') &&
    optional('lastModified', 'string');
  return ok ? (c as unknown as IcsCursor) : null;
}
