/**
 * Calendar entries that repeat too often to be calls: a recurring "phone screen" written with a
 * secondly, minutely or 96-times-a-day rule once became 1,000 interviews, and a confirmation a
 * second to the same organizer. Occurrences of one entry closer together than {@link MIN_GAP}, or
 * more than {@link MAX_PER_DAY} in any 24 hours, are one thing for the user to review instead.
 *
 * Only occurrences of one recurring entry are counted together: separate entries are separate
 * invitations, and what ringback sends about them is bounded per recipient instead (see
 * `limits.emailsPerRecipientPerDay`).
 */
import { minutes } from './time.js';
import type { Millis } from './types.js';

/** Two occurrences of one entry less than an hour apart are not two calls. */
export const MIN_GAP: Millis = minutes(60);
/** More than this many in any 24 hours is no interview schedule anyone keeps. */
export const MAX_PER_DAY = 3;
const DAY: Millis = minutes(24 * 60);

export interface Occurrence {
  readonly eventId: string;
  /** The recurring entry it is an occurrence of (`CalendarEvent.seriesId`). */
  readonly key: string;
  readonly start: Millis;
}

export interface Flood {
  readonly key: string;
  /** Every occurrence of the entry, in order of start. */
  readonly eventIds: readonly string[];
  /** The shortest time between two starts. */
  readonly closestGap: Millis;
  /** The most occurrences in any 24 hours. */
  readonly busiestDay: number;
}

function floodOf(key: string, group: readonly Occurrence[]): Flood | null {
  if (group.length < 2) return null;
  const sorted = [...group].sort((a, b) => a.start - b.start);
  let closestGap = Infinity;
  let busiestDay = 1;
  let from = 0;
  for (let i = 1; i < sorted.length; i++) {
    const start = (sorted[i] as Occurrence).start;
    closestGap = Math.min(closestGap, start - (sorted[i - 1] as Occurrence).start);
    while (start - (sorted[from] as Occurrence).start >= DAY) from++;
    busiestDay = Math.max(busiestDay, i - from + 1);
  }
  if (closestGap >= MIN_GAP && busiestDay <= MAX_PER_DAY) return null;
  return { key, eventIds: sorted.map((o) => o.eventId), closestGap, busiestDay };
}

/** The entries whose occurrences repeat too often, each with all its occurrences. */
export function findFloods(occurrences: readonly Occurrence[]): Flood[] {
  const groups = new Map<string, Occurrence[]>();
  for (const o of occurrences) {
    if (!Number.isFinite(o.start)) continue;
    const group = groups.get(o.key);
    if (group) group.push(o);
    else groups.set(o.key, [o]);
  }
  const floods: Flood[] = [];
  for (const [key, group] of groups) {
    const flood = floodOf(key, group);
    if (flood) floods.push(flood);
  }
  return floods;
}

/** "every 1 minute", "12 in one day": the figure that made it a flood, in words. */
export function describeFlood(flood: Flood): string {
  const gap = Math.max(0, Math.round(flood.closestGap / 1000));
  const every = gap < 120 ? `${gap} second${gap === 1 ? '' : 's'}` : `${Math.round(gap / 60)} minutes`;
  return flood.closestGap < MIN_GAP ? `${flood.eventIds.length} occurrences, as close as ${every} apart` : `${flood.eventIds.length} occurrences, up to ${flood.busiestDay} in one day`;
}
