/**
 * The sync of the Microsoft calendar through `/me/calendarView/delta` (see calendar.ts for the
 * rounds, the window and the links): the cursor it keeps, and one sync that yields Graph's pages
 * as the port's, restarting as a full round when Graph no longer honours the stored delta link.
 */
import type { Millis } from '../../domain/types.js';
import { cursorObject } from '../calendar/cursor.js';
import type { Cursor, SyncPage, TimeRange } from '../calendar/types.js';
import { ExpectedStatus, TransientError } from '../errors.js';
import { convert, type GraphItem } from './calendar-events.js';
import { readSeriesState, type SeriesCompleter, type SeriesState } from './calendar-series.js';
import { isResyncRequired } from './errors.js';
import type { GraphApi } from './graph.js';
import { withQuery } from './graph-query.js';

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

export interface DeltaSyncRequest {
  readonly api: GraphApi;
  readonly seriesCompleter: SeriesCompleter;
  /** The window of a new round: the days around now. */
  readonly current: TimeRange;
  /** The account's own address, to tell the user among the attendees. */
  readonly self: string;
  readonly floatingZone: string;
}

/** The changes since `cursor`, or a full round over `current` when there is no usable cursor. */
export async function* syncDelta(request: DeltaSyncRequest, cursor: Cursor | null, signal: AbortSignal): AsyncGenerator<SyncPage> {
  const { api, seriesCompleter, current, self, floatingZone } = request;
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
      const call = { what, signal, expect: isResyncRequired };
      page = link === null ? await api.get<DeltaPage>(initialPath(window), call) : await api.follow<DeltaPage>(link, call);
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
}

/** A page of the delta listing (or of the calendar view, for free/busy). */
export interface DeltaPage {
  readonly value?: readonly GraphItem[];
  readonly '@odata.nextLink'?: string;
  readonly '@odata.deltaLink'?: string;
}

function initialPath(window: { from: Millis; to: Millis }): string {
  return withQuery('/me/calendarView/delta', {
    startDateTime: new Date(window.from).toISOString(),
    endDateTime: new Date(window.to).toISOString(),
  });
}

function readCursor(cursor: Cursor | null, api: GraphApi): DeltaCursor | null {
  const parsed = cursorObject(cursor);
  if (parsed === null) return null;
  const { v, link, from, to, series } = parsed as Partial<DeltaCursor>;
  if (v !== CURSOR_VERSION || typeof link !== 'string' || typeof from !== 'number' || typeof to !== 'number' || !(from < to)) return null;
  // The stored link gets the access token: it must point into the API it came from.
  if (!api.owns(link)) return null;
  return { v, link, from, to, series: readSeriesState(series) };
}
