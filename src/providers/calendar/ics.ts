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
 * The URL is a secret: errors name its host only.
 */
import { createHash } from 'node:crypto';
import { readFile, stat } from 'node:fs/promises';
import type { CalendarEvent, Millis } from '../../domain/types.js';
import { parseRetryAfter, PermanentError, RateLimitError, TransientError } from '../errors.js';
import { cursorObject } from './cursor.js';
import { parseCalendar } from './ical-normalize.js';
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
}

const DAY = 86_400_000;
const PAGE_SIZE = 500;
/** Raised when the normalised events change for the same content, so old cursors re-list. */
const FORMAT = 1;

interface IcsCursor {
  readonly v: number;
  /** Start of the UTC day the window was expanded from, and its length. */
  readonly day: number;
  readonly horizonDays: number;
  readonly sha256: string;
  readonly mtimeMs?: number;
  readonly size?: number;
  readonly etag?: string;
  readonly lastModified?: string;
}

/** What was read: the content with what the cursor keeps about it, or "not modified" (HTTP 304). */
type Snapshot = { readonly kind: 'content'; readonly bytes: Uint8Array; readonly meta: Partial<IcsCursor> } | { readonly kind: 'unchanged' };

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
    const snapshot =
      path !== undefined
        ? await readSnapshot(path, maxBytes, signal)
        : await fetchSnapshot({ url: url ?? '', previous: sameWindow ? previous : null, maxBytes, fetchFn, now, signal });
    if (snapshot.kind === 'unchanged' && previous) {
      yield emptyPage(JSON.stringify(previous));
      return;
    }
    if (snapshot.kind === 'unchanged') throw new TransientError('the calendar answered "not modified" to a first request');
    const sha256 = createHash('sha256').update(snapshot.bytes).digest('hex');
    const next: IcsCursor = { v: FORMAT, day, horizonDays, ...snapshot.meta, sha256 };
    if (sameWindow && previous.sha256 === sha256) {
      yield emptyPage(JSON.stringify(next));
      return;
    }
    const text = new TextDecoder('utf-8').decode(snapshot.bytes);
    if (text.trim() !== '' && !/BEGIN:(VCALENDAR|VEVENT)/i.test(text)) {
      const what = path !== undefined ? `the file ${path}` : `the calendar URL on ${hostOf(url ?? '')}`;
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

// ---------------------------------------------------------------------------------------------
// File

async function readSnapshot(path: string, maxBytes: number, signal: AbortSignal): Promise<Snapshot> {
  try {
    const info = await stat(path);
    if (!info.isFile()) throw new PermanentError(`the calendar file ${path} is not a file`);
    if (info.size > maxBytes) throw new PermanentError(`the calendar file ${path} is larger than ${maxBytes} bytes`);
    const bytes = await readFile(path, { signal });
    if (bytes.length > maxBytes) throw new PermanentError(`the calendar file ${path} is larger than ${maxBytes} bytes`);
    return { kind: 'content', bytes, meta: { mtimeMs: info.mtimeMs, size: bytes.length } };
  } catch (error) {
    if (error instanceof PermanentError || signal.aborted) throw error;
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') throw new PermanentError(`the calendar file ${path} does not exist`, { cause: error });
    if (code === 'EACCES' || code === 'EPERM') throw new PermanentError(`the calendar file ${path} cannot be read (permission denied)`, { cause: error });
    if (code === 'EISDIR') throw new PermanentError(`the calendar file ${path} is a folder`, { cause: error });
    throw new TransientError(`the calendar file ${path} could not be read (${code ?? 'unknown error'})`, { cause: error });
  }
}

// ---------------------------------------------------------------------------------------------
// URL

interface FetchRequest {
  readonly url: string;
  /** The cursor of the same window: its validators make the request conditional. */
  readonly previous: IcsCursor | null;
  readonly maxBytes: number;
  readonly fetchFn: typeof fetch;
  readonly now: () => Millis;
  readonly signal: AbortSignal;
}

/** The host of a URL, the only part of it that messages may show. */
function hostOf(url: string): string {
  try {
    return new URL(url.replace(/^webcal:/i, 'https:')).host || 'an unnamed host';
  } catch {
    return 'an invalid address';
  }
}

const LOOPBACK = new Set(['localhost', '127.0.0.1', '[::1]']);

/**
 * Why a feed address must not be fetched as written, or null: a user name and password in an
 * http: address would cross the network in the clear (Basic auth is only base64). Allowed on this
 * computer's own loopback, where nothing crosses a network. A webcal: address is fetched over https.
 */
export function plainHttpCredentials(url: string): string | null {
  let target: URL;
  try {
    target = new URL(url);
  } catch {
    return null;
  }
  if (target.protocol !== 'http:' || (!target.username && !target.password) || LOOPBACK.has(target.hostname)) return null;
  return `the calendar URL on ${target.host} has a user name and password but starts with http:, which would send them unencrypted: use its https: address`;
}

async function fetchSnapshot(request: FetchRequest): Promise<Snapshot> {
  const { previous, maxBytes, signal } = request;
  let target: URL;
  try {
    target = new URL(request.url.replace(/^webcal:/i, 'https:'));
  } catch {
    throw new PermanentError('the calendar URL is not a valid address');
  }
  const host = target.host;
  if (target.protocol !== 'https:' && target.protocol !== 'http:') {
    throw new PermanentError(`the calendar URL on ${host} must start with https:, http: or webcal:`);
  }
  const unsafe = plainHttpCredentials(target.href);
  if (unsafe) throw new PermanentError(unsafe);
  const headers = new Headers({ accept: 'text/calendar, */*;q=0.5' });
  if (target.username || target.password) {
    // fetch refuses URLs with credentials in them; send them as Basic auth instead.
    const user = `${decodeURIComponent(target.username)}:${decodeURIComponent(target.password)}`;
    headers.set('authorization', `Basic ${Buffer.from(user).toString('base64')}`);
    target.username = '';
    target.password = '';
  }
  if (previous?.etag) headers.set('if-none-match', previous.etag);
  if (previous?.lastModified) headers.set('if-modified-since', previous.lastModified);

  let response: Response;
  try {
    response = await request.fetchFn(target, { headers, signal, redirect: 'follow' });
  } catch (error) {
    if (signal.aborted) throw signal.reason;
    // The error's own text may quote the address; keep only its code.
    throw new TransientError(`the calendar host ${host} could not be reached (${networkCode(error)})`);
  }
  const { status } = response;
  if (status === 304) return { kind: 'unchanged' };
  if (status < 200 || status >= 300) {
    await response.body?.cancel();
    if (status === 429) {
      const waitMs = parseRetryAfter(response.headers.get('retry-after'), request.now());
      throw new RateLimitError(`the calendar host ${host} asks to slow down (429)`, waitMs);
    }
    if (status === 401 || status === 403 || status === 404 || status === 410) {
      throw new PermanentError(`the calendar URL answered ${status}: check the secret address (host ${host})`);
    }
    if (status === 408 || status >= 500) throw new TransientError(`the calendar host ${host} answered ${status}`);
    throw new PermanentError(`the calendar URL answered ${status} (host ${host})`);
  }
  const bytes = await readBody(response, maxBytes, host, signal);
  const meta: { etag?: string; lastModified?: string } = {};
  const etag = response.headers.get('etag');
  const lastModified = response.headers.get('last-modified');
  if (etag) meta.etag = etag;
  if (lastModified) meta.lastModified = lastModified;
  return { kind: 'content', bytes, meta };
}

async function readBody(response: Response, maxBytes: number, host: string, signal: AbortSignal): Promise<Uint8Array> {
  const tooLarge = (): PermanentError => new PermanentError(`the calendar at ${host} is larger than ${maxBytes} bytes`);
  if (Number(response.headers.get('content-length') ?? 0) > maxBytes) {
    await response.body?.cancel();
    throw tooLarge();
  }
  if (!response.body) return new Uint8Array();
  const reader = response.body.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  try {
    for (let chunk = await reader.read(); !chunk.done; chunk = await reader.read()) {
      total += chunk.value.length;
      if (total > maxBytes) {
        await reader.cancel();
        throw tooLarge();
      }
      chunks.push(chunk.value);
    }
  } catch (error) {
    if (error instanceof PermanentError) throw error;
    if (signal.aborted) throw signal.reason;
    throw new TransientError(`the answer from the calendar host ${host} broke off (${networkCode(error)})`);
  }
  return Buffer.concat(chunks, total);
}

function networkCode(error: unknown): string {
  const cause = error instanceof Error ? (error.cause as { code?: unknown } | undefined) : undefined;
  const code = cause?.code ?? (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' && /^[A-Z0-9_]+$/.test(code) ? code : 'network error';
}
