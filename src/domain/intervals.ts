/**
 * Time intervals as busy time is kept: [start, end) in epoch ms. Pure; shared by the slot search
 * and by the calendar adapters that answer free/busy.
 */
import type { Millis } from './types.js';

export interface Interval {
  readonly start: Millis;
  readonly end: Millis;
}

/** Sorted by start, with overlapping or touching intervals joined into one. */
export function mergeIntervals<T extends Interval>(intervals: readonly T[]): Interval[] {
  const sorted = [...intervals].sort((a, b) => a.start - b.start);
  const merged: Interval[] = [];
  for (const next of sorted) {
    const last = merged[merged.length - 1];
    if (last && next.start <= last.end) merged[merged.length - 1] = { start: last.start, end: Math.max(last.end, next.end) };
    else merged.push(next);
  }
  return merged;
}
