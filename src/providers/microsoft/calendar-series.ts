/**
 * Recurring series in Graph's calendar delta, made whole.
 *
 * `calendarView/delta` lists an occurrence of a series sparse: `id`, `type`, `seriesMasterId`,
 * `start`, `end` and an etag, nothing else (no subject, body, attendees, location or categories;
 * https://github.com/microsoftgraph/microsoft-graph-docs/issues/7632,
 * https://github.com/microsoftgraph/microsoft-graph-docs-contrib/issues/34). Read as it comes, a
 * weekly "phone screen" would be a row of blank events. Each such occurrence is completed from its
 * series master (`GET /me/events/{seriesMasterId}`): fetched at most once per series in a round,
 * and kept between rounds under its change key, which the occurrence's etag names; a master seen
 * with another key is fetched again. A master listed in the delta itself
 * (https://github.com/ridafkih/keeper.sh/pull/409 saw one) is kept, never reported as an event:
 * its times are the first occurrence's.
 *
 * A single occurrence deleted from a series leaves no trace in the delta ("No indication is given
 * for a deleted occurrence", https://github.com/microsoftgraph/microsoft-graph-docs/pull/4501).
 * So every round compares, for each series with occurrences in the window, the occurrences known
 * to the cursor with the series' instances in the window (`/me/events/{id}/instances`, ids and
 * `isCancelled` only): one request per series and round. What is gone, or cancelled, becomes a
 * deletion; a sparse occurrence that is no longer an instance is never reported as an event.
 */
import { ExpectedStatus, TransientError } from '../errors.js';
import type { GraphApi } from './graph.js';
import { withQuery } from './graph-query.js';

type GraphItem = Record<string, unknown>;

/** Occurrence ids known in the window, by series master id: kept in the cursor. */
export type SeriesState = Readonly<Record<string, readonly string[]>>;

interface Master {
  readonly changeKey: string | null;
  readonly fields: GraphItem;
}

/** What an occurrence takes from its master: everything but its own place and times. */
const MASTER_SELECT = [
  'subject',
  'body',
  'location',
  'organizer',
  'attendees',
  'categories',
  'isAllDay',
  'isCancelled',
  'isOrganizer',
  'originalStartTimeZone',
  'responseStatus',
  'onlineMeeting',
  'showAs',
  'changeKey',
  // The series' UID, the invitation's: a sparse occurrence has none of its own, and Graph's
  // reference says an occurrence's own `iCalUId` may differ from its series'
  // (https://learn.microsoft.com/en-us/graph/api/resources/event), while another calendar lists
  // each occurrence under the series' UID (src/domain/duplicates.ts compares it with the start).
  'iCalUId',
].join(',');

/** Fields of a master that are its own, not its occurrences'. */
const OWN_FIELDS = new Set(['id', 'type', 'seriesMasterId', 'start', 'end', 'changeKey', 'recurrence', '@odata.etag', '@odata.type', '@odata.context']);

export interface SeriesRound {
  /** The page's items with sparse occurrences completed, masters left out; and the occurrences found gone. */
  page(items: readonly GraphItem[]): Promise<{ items: GraphItem[]; deletions: string[] }>;
  /** After the last page: the known occurrences no longer in their series, and the state for the cursor. */
  finish(): Promise<{ deletions: string[]; state: SeriesState }>;
}

export interface SeriesCompleter {
  /** One round of the delta over `window`; `known` is the state of the cursor it continues (empty for a full round). */
  round(window: { readonly from: number; readonly to: number }, known: SeriesState, signal: AbortSignal): SeriesRound;
}

export function createSeriesCompleter(api: GraphApi): SeriesCompleter {
  // Kept for as long as the source lives; pruned to the series still in the window after each round.
  const masters = new Map<string, Master>();
  const notFound = (status: number): boolean => status === 404;

  return {
    round(window, known, signal) {
      const series = new Map<string, Set<string>>(Object.entries(known).map(([id, occurrences]) => [id, new Set(occurrences)]));
      const fetched = new Map<string, Promise<Master | null>>();
      const instances = new Map<string, Promise<Map<string, boolean> | null>>();
      const item = (id: string): string => `/me/events/${encodeURIComponent(id)}`;

      const masterOf = (masterId: string, changeKey: string | null): Promise<Master | null> => {
        const cached = masters.get(masterId);
        if (cached && changeKey !== null && cached.changeKey === changeKey) return Promise.resolve(cached);
        let asked = fetched.get(masterId);
        if (!asked) {
          asked = api
            .get<GraphItem>(withQuery(item(masterId), { $select: MASTER_SELECT }), { what: 'reading a recurring series', signal, expect: notFound })
            .then(
              (master) => {
                const kept = { changeKey: typeof master.changeKey === 'string' ? master.changeKey : null, fields: master };
                masters.set(masterId, kept);
                return kept;
              },
              (error: unknown) => {
                // The series was deleted between the listing and this read.
                if (error instanceof ExpectedStatus) return null;
                throw error;
              },
            );
          fetched.set(masterId, asked);
        }
        return asked;
      };

      /** The series' occurrences in the window: id → cancelled; null when the series is gone. */
      const instancesOf = (masterId: string): Promise<Map<string, boolean> | null> => {
        let asked = instances.get(masterId);
        if (!asked) {
          asked = listInstances(api, item(masterId), window, signal);
          instances.set(masterId, asked);
        }
        return asked;
      };

      return {
        async page(items) {
          const kept: GraphItem[] = [];
          const deletions: string[] = [];
          for (const entry of items) {
            const id = typeof entry.id === 'string' ? entry.id : null;
            if (entry.type === 'seriesMaster') {
              if (id !== null && typeof entry.subject === 'string') masters.set(id, { changeKey: typeof entry.changeKey === 'string' ? entry.changeKey : null, fields: entry });
              continue;
            }
            const masterId = typeof entry.seriesMasterId === 'string' && entry.seriesMasterId !== '' ? entry.seriesMasterId : null;
            if (masterId === null || id === null || '@removed' in entry) {
              kept.push(entry);
              continue;
            }
            const live = await instancesOf(masterId);
            if (live === null || live.get(id) !== false) {
              deletions.push(id);
              series.get(masterId)?.delete(id);
              continue;
            }
            const occurrences = series.get(masterId) ?? new Set<string>();
            occurrences.add(id);
            series.set(masterId, occurrences);
            if (typeof entry.subject === 'string') {
              kept.push(entry);
              continue;
            }
            const master = await masterOf(masterId, changeKeyOf(entry));
            if (master === null) {
              deletions.push(id);
              continue;
            }
            kept.push({ ...ownFieldsDropped(master.fields), ...entry });
          }
          return { items: kept, deletions };
        },

        async finish() {
          const deletions: string[] = [];
          const state: Record<string, string[]> = {};
          for (const [masterId, occurrences] of series) {
            const live = await instancesOf(masterId);
            const still = [...occurrences].filter((id) => live?.get(id) === false);
            deletions.push(...[...occurrences].filter((id) => live?.get(id) !== false));
            if (still.length > 0) state[masterId] = still;
          }
          for (const masterId of masters.keys()) if (!(masterId in state)) masters.delete(masterId);
          return { deletions, state };
        },
      };
    },
  };
}

async function listInstances(api: GraphApi, path: string, window: { from: number; to: number }, signal: AbortSignal): Promise<Map<string, boolean> | null> {
  const what = 'reading the occurrences of a recurring series';
  const found = new Map<string, boolean>();
  interface Page {
    readonly value?: readonly GraphItem[];
    readonly '@odata.nextLink'?: string;
  }
  let page: Page;
  try {
    page = await api.get<Page>(
      withQuery(`${path}/instances`, {
        startDateTime: new Date(window.from).toISOString(),
        endDateTime: new Date(window.to).toISOString(),
        $select: 'id,isCancelled',
      }),
      { what, signal, expect: (status) => status === 404 },
    );
  } catch (error) {
    if (error instanceof ExpectedStatus) return null;
    throw error;
  }
  for (;;) {
    for (const entry of page.value ?? []) if (typeof entry.id === 'string') found.set(entry.id, entry.isCancelled === true);
    const next = page['@odata.nextLink'];
    if (next === undefined) return found;
    if (!api.owns(next)) throw new TransientError('Microsoft Graph handed out a next link outside its API root');
    page = await api.follow<Page>(next, { what, signal });
  }
}

/** `W/"DwAAABYAAAC…"` → `DwAAABYAAAC…`: an occurrence's etag names its master's change key. */
function changeKeyOf(entry: GraphItem): string | null {
  const etag = entry['@odata.etag'];
  if (typeof etag !== 'string') return null;
  const match = /^(?:W\/)?"(.*)"$/.exec(etag);
  return match?.[1] ?? null;
}

function ownFieldsDropped(master: GraphItem): GraphItem {
  return Object.fromEntries(Object.entries(master).filter(([key]) => !OWN_FIELDS.has(key)));
}

/** The series state of a cursor, or an empty one when it is missing or malformed. */
export function readSeriesState(value: unknown): SeriesState {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return {};
  const state: Record<string, string[]> = {};
  for (const [masterId, ids] of Object.entries(value)) {
    if (Array.isArray(ids)) state[masterId] = ids.filter((id): id is string => typeof id === 'string');
  }
  return state;
}
