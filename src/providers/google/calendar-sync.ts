/**
 * The sync of Google Calendar, through `events.list` sync tokens (see calendar.ts for the guide it
 * follows): the cursor of one sync token per calendar, the delta round when every token is still
 * good, and the full listing otherwise.
 */
import type { calendar_v3 } from 'googleapis/build/src/apis/calendar/index.js';
import type { Millis } from '../../domain/types.js';
import { cursorObject } from '../calendar/cursor.js';
import type { Cursor, SyncPage } from '../calendar/types.js';
import { ExpectedStatus, TransientError } from '../errors.js';
import { convertPage } from './calendar-events.js';

const DAY = 86_400_000;

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

export type ListParams = Pick<calendar_v3.Params$Resource$Events$List, 'syncToken' | 'pageToken' | 'timeMin' | 'timeMax'>;

/** One `events.list` request; a stale sync token fails as {@link ExpectedStatus} (410). */
export type ListPage = (calendarId: string, params: ListParams, signal: AbortSignal) => Promise<calendar_v3.Schema$Events>;

export interface GoogleSyncRequest {
  readonly listPage: ListPage;
  readonly calendars: readonly string[];
  readonly now: Millis;
  readonly horizonDays: number;
  /** How far the horizon may move before a full listing picks up what came into it. */
  readonly refreshMs: number;
}

type Step = { calendarId: string; params: ListParams; first?: calendar_v3.Schema$Events };

/** The changes since `cursor`: a delta round when every calendar's token still serves, else a full listing. */
export async function* syncGoogleCalendars(request: GoogleSyncRequest, cursor: Cursor | null, signal: AbortSignal): AsyncGenerator<SyncPage> {
  const { listPage, calendars, now } = request;
  const state = readCursor(cursor);
  const horizonEnd = now + request.horizonDays * DAY;
  const tokens = state ? calendars.map((calendarId) => ({ calendarId, saved: state.calendars[calendarId] })) : [];
  const usable =
    tokens.length === calendars.length &&
    tokens.every(({ saved }) => saved !== undefined && saved.windowEnd + request.refreshMs >= horizonEnd);
  if (usable) {
    // Ask every calendar for its first page before yielding anything, so that a 410 on any
    // of them turns the whole sync into a full listing before a delta page went out.
    const plan: Array<Required<Step>> = [];
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
      yield* run(listPage, plan, false, (calendarId) => state!.calendars[calendarId]!.windowEnd, signal);
      return;
    }
  }
  const window = { timeMin: new Date(now - DAY).toISOString(), timeMax: new Date(horizonEnd).toISOString() };
  yield* run(
    listPage,
    calendars.map((calendarId) => ({ calendarId, params: window })),
    true,
    () => horizonEnd,
    signal,
  );
}

/** Every page of one calendar's listing, starting from `first` when it was fetched already. */
async function* pagesOf(listPage: ListPage, step: Step, signal: AbortSignal): AsyncGenerator<calendar_v3.Schema$Events> {
  const { calendarId, params } = step;
  const seen = new Set<string>();
  let page = step.first ?? (await listPage(calendarId, params, signal));
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

/** The pages of every step in turn; the last one carries the cursor of every calendar. */
async function* run(
  listPage: ListPage,
  plan: readonly Step[],
  full: boolean,
  windowEnd: (calendarId: string) => Millis,
  signal: AbortSignal,
): AsyncGenerator<SyncPage> {
  const next: Record<string, CalendarCursor> = {};
  for (const [index, step] of plan.entries()) {
    for await (const page of pagesOf(listPage, step, signal)) {
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

/** The saved tokens, or null for a cursor from another adapter or an older format (a full listing follows). */
function readCursor(cursor: Cursor | null): CursorState | null {
  const parsed = cursorObject(cursor);
  if (parsed === null || parsed.v !== 1) return null;
  const calendars = parsed.calendars;
  if (typeof calendars !== 'object' || calendars === null) return null;
  const result: Record<string, CalendarCursor> = {};
  for (const [calendarId, value] of Object.entries(calendars as Record<string, unknown>)) {
    const { syncToken, windowEnd } = (value ?? {}) as { syncToken?: unknown; windowEnd?: unknown };
    if (typeof syncToken === 'string' && typeof windowEnd === 'number') result[calendarId] = { syncToken, windowEnd };
  }
  return { v: 1, calendars: result };
}
