/**
 * Recurring series as Outlook keeps them behind Graph, for the local Graph server's calendar:
 * - a series is a master item (`type: seriesMaster`, the first occurrence's times, its own
 *   `changeKey`) and its occurrences (`type: occurrence`, `seriesMasterId`), each under its own id;
 * - `/me/calendarView/delta` lists occurrences *sparse*: only `id`, `type`, `seriesMasterId`,
 *   `start`, `end` (and the etag), never subject, body, attendees, location or categories
 *   (https://github.com/microsoftgraph/microsoft-graph-docs/issues/7632,
 *   https://github.com/microsoftgraph/microsoft-graph-docs-contrib/issues/34); `/calendarView`,
 *   `/events/{id}` and `/events/{id}/instances` give full items (same reports);
 * - calendarView lists the occurrences, not the master; an occurrence's `seriesMasterId` is how
 *   the master is read (https://github.com/microsoftgraph/microsoft-graph-docs/issues/2182);
 * - a single occurrence cancelled (deleted from the series) gives no sign in the delta
 *   ("No indication is given for a deleted occurrence",
 *   https://github.com/microsoftgraph/microsoft-graph-docs/pull/4501): it is only missing from the
 *   series' instances afterwards;
 * - an occurrence's etag carries its master's change key (an occurrence is not an item of its own
 *   in Exchange); editing the master changes the key and lists the occurrences again.
 */
import { randomId } from './types.js';

export type GraphItem = Record<string, unknown> & { readonly id: string };

export interface Series {
  readonly id: string;
  master: GraphItem;
  changeKey: string;
}

export function newChangeKey(): string {
  return `DwAAABYAAAC${randomId(20)}`;
}

export function etagOf(changeKey: string): string {
  return `W/"${changeKey}"`;
}

/** What the delta query says of an occurrence: its place in the series and its times, nothing else. */
export function sparseOccurrence(item: GraphItem): GraphItem {
  return {
    '@odata.type': '#microsoft.graph.event',
    '@odata.etag': item['@odata.etag'],
    id: item.id,
    type: 'occurrence',
    seriesMasterId: item.seriesMasterId,
    start: item.start,
    end: item.end,
  };
}

export function isOccurrence(item: GraphItem): boolean {
  return item.type === 'occurrence';
}
