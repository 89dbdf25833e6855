/**
 * The calendar side of the local Graph server: the user's default calendar, and
 * `/me/calendarView/delta` as Graph documents it. A round starts from `startDateTime` and
 * `endDateTime` (a full listing) or from a `$deltatoken` (the changes since that token was
 * handed out); it is served in pages of `Prefer: odata.maxpagesize` items, each page but the last
 * with an `@odata.nextLink` (`$skiptoken`), the last with an `@odata.deltaLink`. Deleted events,
 * and events that left the window, come as `@removed` entries. A delta token the server has
 * dropped answers 410 `syncStateNotFound`. `/me/calendarView` (no delta) pages with `$skip`.
 *
 * Recurring series follow Outlook (see `calendar-series.ts`): sparse occurrences in the delta, a
 * series master read with `GET /me/events/{id}`, `/me/events/{id}/instances` over a window, and a
 * cancelled occurrence that the delta never mentions.
 */
import { createHash } from 'node:crypto';
import type { HarnessEvent } from '../../providers/calendar/contract.js';
import { etagOf, isOccurrence, newChangeKey, sparseOccurrence, type Series } from './calendar-series.js';
import { graphDateTime, graphError, json, randomId, type Call, type Reply } from './types.js';

/** An event as Graph returns it; `start`/`end` in UTC. */
export type GraphEvent = Record<string, unknown> & { readonly id: string };

interface Stored {
  readonly id: string;
  event: GraphEvent;
  start: number;
  end: number;
  seq: number;
  removed: boolean;
}

interface Round {
  readonly items: readonly unknown[];
  readonly windowStart: number;
  readonly windowEnd: number;
  /** The change number the round reaches: the next delta token starts there. */
  readonly upto: number;
}

const DEFAULT_PAGE_SIZE = 10;

export class Calendar {
  /** Every nextLink and deltaLink handed out, in order. */
  readonly links: string[] = [];
  readonly #events = new Map<string, Stored>();
  readonly #rounds = new Map<string, { round: Round; offset: number }>();
  readonly #deltaTokens = new Map<string, { windowStart: number; windowEnd: number; since: number }>();
  readonly #series = new Map<string, Series>();
  #seq = 0;

  constructor(
    private readonly apiRoot: string,
    private readonly ownerEmail: string,
  ) {}

  /** Creates or replaces an event (by id). */
  putGraphEvent(event: GraphEvent): void {
    const start = utc(event.start);
    const end = utc(event.end);
    this.#seq += 1;
    this.#events.set(event.id, { id: event.id, event, start, end, seq: this.#seq, removed: false });
  }

  removeGraphEvent(id: string): void {
    const stored = this.#events.get(id);
    if (!stored || stored.removed) return;
    this.#seq += 1;
    stored.removed = true;
    stored.seq = this.#seq;
  }

  /** The contract's event, as Outlook would hold it; a series becomes a master and its occurrences. Returns the first id. */
  putHarnessEvent(event: HarnessEvent): string {
    const base = `AAMkEv${createHash('sha256').update(event.uid).digest('base64url').slice(0, 16)}`;
    const count = event.recurrence?.count ?? 1;
    const step = event.recurrence?.freq === 'DAILY' ? 86_400_000 : 7 * 86_400_000;
    const ids = Array.from({ length: count }, (_, i) => (event.recurrence ? `${base}_OCC${i}` : base));
    for (const stale of this.#seriesIds(base)) if (!ids.includes(stale)) this.removeGraphEvent(stale);
    if (!event.recurrence) {
      this.#series.delete(base);
      this.putGraphEvent(graphEventFrom(event, { id: base, offset: 0, ownerEmail: this.ownerEmail, seriesMasterId: null }));
      return base;
    }
    const changeKey = newChangeKey();
    const master = { ...graphEventFrom(event, { id: base, offset: 0, ownerEmail: this.ownerEmail, seriesMasterId: null }), type: 'seriesMaster', changeKey };
    this.#series.set(base, { id: base, master, changeKey });
    ids.forEach((id, i) =>
      this.putGraphEvent({
        ...graphEventFrom(event, { id, offset: i * step, ownerEmail: this.ownerEmail, seriesMasterId: base }),
        '@odata.etag': etagOf(changeKey),
        changeKey,
      }),
    );
    return ids[0]!;
  }

  removeHarnessEvent(uid: string): void {
    const base = `AAMkEv${createHash('sha256').update(uid).digest('base64url').slice(0, 16)}`;
    for (const id of this.#seriesIds(base)) this.removeGraphEvent(id);
    this.#series.delete(base);
  }

  /**
   * The organizer edits the whole series (its subject, say): the master gets a new change key, and
   * the occurrences are listed again by the delta, still sparse, with the new key in their etag.
   */
  editSeries(masterId: string, fields: Record<string, unknown>): void {
    const series = this.#series.get(masterId);
    if (!series) throw new Error(`test server: no series ${masterId}`);
    series.changeKey = newChangeKey();
    series.master = { ...series.master, ...fields, changeKey: series.changeKey };
    for (const stored of this.#events.values()) {
      if (stored.removed || stored.event.seriesMasterId !== masterId) continue;
      this.putGraphEvent({ ...stored.event, ...fields, '@odata.etag': etagOf(series.changeKey), changeKey: series.changeKey });
    }
  }

  /**
   * One occurrence of a series is cancelled: it leaves the series' instances, the master's change
   * key changes, and the delta says nothing about it (see calendar-series.ts).
   */
  cancelOccurrence(occurrenceId: string): void {
    const stored = this.#events.get(occurrenceId);
    const masterId = stored?.event.seriesMasterId;
    const series = typeof masterId === 'string' ? this.#series.get(masterId) : undefined;
    if (!stored || !series) throw new Error(`test server: no occurrence ${occurrenceId}`);
    stored.removed = true;
    series.changeKey = newChangeKey();
    series.master = { ...series.master, changeKey: series.changeKey };
    for (const other of this.#events.values()) {
      if (other.event.seriesMasterId === masterId) other.event = { ...other.event, '@odata.etag': etagOf(series.changeKey), changeKey: series.changeKey };
    }
  }

  /** Graph lost its sync state: every delta token handed out so far answers 410. */
  invalidateDeltaTokens(): void {
    this.#deltaTokens.clear();
    this.#rounds.clear();
  }

  handle(call: Call, path: string): Reply | null {
    if (path === '/me/calendarView/delta' && call.method === 'GET') return this.#delta(call);
    if (path === '/me/calendarView' && call.method === 'GET') return this.#view(call);
    const item = /^\/me\/events\/([^/]+)(\/instances)?$/.exec(path);
    if (item && call.method === 'GET') {
      const id = decodeURIComponent(item[1]!);
      return item[2] ? this.#instances(call, id) : this.#event(call, id);
    }
    return null;
  }

  #seriesIds(base: string): string[] {
    return [...this.#events.values()].filter((s) => !s.removed && (s.id === base || s.id.startsWith(`${base}_OCC`))).map((s) => s.id);
  }

  #delta(call: Call): Reply {
    const query = call.url.searchParams;
    const skipToken = query.get('$skiptoken');
    const deltaToken = query.get('$deltatoken');
    let entry: { round: Round; offset: number } | undefined;
    if (skipToken !== null) {
      entry = this.#rounds.get(skipToken);
      if (!entry) return graphError(410, 'syncStateNotFound', 'The sync state is no longer available. Please resync.');
      this.#rounds.delete(skipToken);
    } else if (deltaToken !== null) {
      const state = this.#deltaTokens.get(deltaToken);
      if (!state) return graphError(410, 'syncStateNotFound', 'The sync state is no longer available. Please resync.');
      entry = { round: this.#round(state.windowStart, state.windowEnd, state.since), offset: 0 };
    } else {
      const start = Date.parse(query.get('startDateTime') ?? '');
      const end = Date.parse(query.get('endDateTime') ?? '');
      if (!Number.isFinite(start) || !Number.isFinite(end)) {
        return graphError(400, 'ErrorInvalidParameters', 'This request requires a time window specified by the query string parameters StartDateTime and EndDateTime.');
      }
      entry = { round: this.#round(start, end, 0), offset: 0 };
    }
    const size = pageSize(call);
    const { round, offset } = entry;
    const value = round.items.slice(offset, offset + size);
    const body: Record<string, unknown> = { '@odata.context': `${this.apiRoot}/$metadata#Collection(event)`, value };
    if (offset + size < round.items.length) {
      const token = opaqueToken();
      this.#rounds.set(token, { round, offset: offset + size });
      body['@odata.nextLink'] = this.#link(`/me/calendarView/delta?$skiptoken=${encodeURIComponent(token)}`);
    } else {
      const token = opaqueToken();
      this.#deltaTokens.set(token, { windowStart: round.windowStart, windowEnd: round.windowEnd, since: round.upto });
      body['@odata.deltaLink'] = this.#link(`/me/calendarView/delta?$deltatoken=${encodeURIComponent(token)}`);
    }
    return json(200, body, { 'Preference-Applied': `odata.maxpagesize=${size}` });
  }

  #round(windowStart: number, windowEnd: number, since: number): Round {
    const inWindow = (s: Stored): boolean => s.start < windowEnd && s.end > windowStart;
    const items: unknown[] = [];
    for (const stored of [...this.#events.values()].sort((a, b) => a.start - b.start)) {
      if (stored.seq <= since) continue;
      if (!stored.removed && inWindow(stored)) items.push(isOccurrence(stored.event) ? sparseOccurrence(stored.event) : stored.event);
      else if (since > 0) items.push({ '@odata.type': '#microsoft.graph.event', id: stored.id, '@removed': { reason: 'deleted' } });
    }
    return { items, windowStart, windowEnd, upto: this.#seq };
  }

  #view(call: Call): Reply {
    return this.#windowed(call, '/me/calendarView', () => true);
  }

  /**
   * One event; with `$select`, only the properties named (and `id`, `@odata.etag`), as Graph answers:
   * "Select allows for retrieving a subset or superset of properties rather than the default
   * properties" (https://devblogs.microsoft.com/microsoft365dev/30daysmsgraph-day-5-query-parameters-part-1/).
   */
  #event(call: Call, id: string): Reply {
    const stored = this.#events.get(id);
    const event = this.#series.get(id)?.master ?? (stored && !stored.removed ? stored.event : undefined);
    if (!event) return graphError(404, 'ErrorItemNotFound', 'The specified object was not found in the store.');
    const select = call.url.searchParams.get('$select');
    if (select === null) return json(200, event);
    const wanted = new Set(['id', '@odata.etag', ...select.split(',').map((name) => name.trim())]);
    return json(200, Object.fromEntries(Object.entries(event).filter(([name]) => wanted.has(name))));
  }

  /** The occurrences of a series in a window, full, paged as calendarView is. */
  #instances(call: Call, masterId: string): Reply {
    if (!this.#series.has(masterId)) return graphError(404, 'ErrorItemNotFound', 'The specified object was not found in the store.');
    return this.#windowed(call, `/me/events/${encodeURIComponent(masterId)}/instances`, (event) => event.seriesMasterId === masterId);
  }

  /** Events of `startDateTime`–`endDateTime` that `keep` accepts, full, paged with `$skip`. */
  #windowed(call: Call, path: string, keep: (event: GraphEvent) => boolean): Reply {
    const query = call.url.searchParams;
    const start = Date.parse(query.get('startDateTime') ?? '');
    const end = Date.parse(query.get('endDateTime') ?? '');
    if (!Number.isFinite(start) || !Number.isFinite(end)) {
      return graphError(400, 'ErrorInvalidParameters', 'This request requires a time window specified by the query string parameters StartDateTime and EndDateTime.');
    }
    const skip = Number(query.get('$skip') ?? '0');
    const size = pageSize(call);
    const all = [...this.#events.values()].filter((s) => !s.removed && keep(s.event) && s.start < end && s.end > start).sort((a, b) => a.start - b.start);
    const body: Record<string, unknown> = { value: all.slice(skip, skip + size).map((s) => s.event) };
    if (skip + size < all.length) {
      // As Graph writes it: the original parameters, then `$skip`, with `$` as is.
      const kept = [...query.entries()].filter(([key]) => key !== '$skip').map(([key, value]) => `${key}=${encodeURIComponent(value)}`);
      body['@odata.nextLink'] = this.#link(`${path}?${[...kept, `$skip=${skip + size}`].join('&')}`);
    }
    return json(200, body, { 'Preference-Applied': `odata.maxpagesize=${size}` });
  }

  #link(pathAndQuery: string): string {
    const link = `${this.apiRoot}${pathAndQuery}`;
    this.links.push(link);
    return link;
  }
}

function pageSize(call: Call): number {
  const asked = Number(call.prefer.get('odata.maxpagesize') ?? DEFAULT_PAGE_SIZE);
  return Number.isInteger(asked) && asked > 0 ? Math.min(asked, 1000) : DEFAULT_PAGE_SIZE;
}

/** Opaque, with characters that must stay percent-encoded in a link (`+`, `/`, `=`). */
function opaqueToken(): string {
  return Buffer.from(randomId(30)).toString('base64').replace(/=*$/, '==') + '+/';
}

function utc(value: unknown): number {
  const dateTime = (value as { dateTime?: unknown } | undefined)?.dateTime;
  if (typeof dateTime !== 'string') throw new Error('test server: event without start/end dateTime');
  return Date.parse(`${dateTime.replace(/\.\d+$/, '')}Z`);
}

const RESPONSES: Record<string, string> = {
  accepted: 'accepted',
  declined: 'declined',
  tentative: 'tentativelyAccepted',
  'needs-action': 'notResponded',
};

/** A contract event the way Outlook keeps it in the owner's calendar. */
export function graphEventFrom(
  event: HarnessEvent,
  placement: { readonly id: string; readonly offset: number; readonly ownerEmail: string; readonly seriesMasterId: string | null },
): GraphEvent {
  const owner = placement.ownerEmail.toLowerCase();
  const start = event.start + placement.offset;
  const end = event.end + placement.offset;
  const ownerEntry = event.attendees?.find((a) => a.email.toLowerCase() === owner);
  const isOrganizer = event.organizer?.email.toLowerCase() === owner;
  const escape = (text: string): string => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/\n/g, '<br>');
  return {
    id: placement.id,
    iCalUId: event.uid,
    type: placement.seriesMasterId ? 'occurrence' : 'singleInstance',
    seriesMasterId: placement.seriesMasterId,
    subject: event.title,
    body: {
      contentType: 'html',
      content: `<html><head><meta http-equiv="Content-Type" content="text/html; charset=utf-8"></head><body><div>${escape(event.description ?? '')}</div></body></html>`,
    },
    bodyPreview: (event.description ?? '').slice(0, 255),
    start: { dateTime: graphDateTime(start), timeZone: 'UTC' },
    end: { dateTime: graphDateTime(end), timeZone: 'UTC' },
    originalStartTimeZone: 'UTC',
    originalEndTimeZone: 'UTC',
    isAllDay: event.allDay === true,
    isCancelled: false,
    isOrganizer,
    showAs: 'busy',
    categories: [],
    location: { displayName: event.location ?? '' },
    organizer: event.organizer ? { emailAddress: { name: event.organizer.name, address: event.organizer.email } } : null,
    // Outlook lists the owner among the attendees without an answer of their own; the owner's
    // answer is the event's responseStatus.
    attendees: (event.attendees ?? []).map((a) => ({
      type: 'required',
      status: { response: a.email.toLowerCase() === owner ? 'none' : (RESPONSES[a.status] ?? 'none'), time: '0001-01-01T00:00:00Z' },
      emailAddress: { name: a.name, address: a.email },
    })),
    responseStatus: { response: isOrganizer ? 'organizer' : ownerEntry ? (RESPONSES[ownerEntry.status] ?? 'none') : 'none', time: '0001-01-01T00:00:00Z' },
    isOnlineMeeting: false,
    onlineMeeting: null,
  };
}
