/**
 * The places a bare offset may mean. An invitation that says "(GMT+5:30)" names no place: it is
 * India and Sri Lanka; "(GMT+1)" on a Friday in March is Berlin and Lagos, and from the Sunday after,
 * Berlin reads GMT+2 and Lagos GMT+1. The slot finder keeps a time only where it suits every one of
 * them (slots.ts), and the emails write a time on the offset only where they all still read it alike
 * (zones.ts `recipientZoneAt`).
 */
import { UNIVERSAL_ZONES } from './data/zone-names.js';
import { offsetAt, remembered } from './format.js';
import type { Millis, StatedOffset } from './types.js';

const UNIVERSAL = new Set(UNIVERSAL_ZONES);

/** Offsets further from UTC than any clock (tzdata's run from −12 to +14 hours). */
const MAX_OFFSET = 15 * 60;

/** The zones on an offset at an instant, by offset and instant. */
const onOffset = new Map<string, readonly string[]>();

/**
 * Every place on the stated offset at its instant: the runtime's zones, not UTC nor tzdata's
 * fixed-offset "Etc/GMT+5", which are no place. Empty for an offset no place has, or an impossible
 * one. Read once per offset and instant: some 420 zones.
 */
export function zonesOnOffset(stated: StatedOffset): readonly string[] {
  const { at, offset } = stated;
  if (!Number.isFinite(at) || !Number.isFinite(offset) || Math.abs(offset) > MAX_OFFSET) return [];
  return remembered(onOffset, `${offset} ${at}`, () =>
    Intl.supportedValuesOf('timeZone').filter((zone) => !UNIVERSAL.has(zone) && !zone.startsWith('Etc/') && offsetAt(at, zone) === offset),
  );
}

/**
 * The one offset every place on the stated offset reads at `t`, or null when they read differently
 * then (one of them changed its clocks in between) or none is known: the stated offset itself while
 * nothing changed, which is nearly always.
 */
export function sharedOffsetAt(stated: StatedOffset, t: Millis): number | null {
  if (t === stated.at) return stated.offset;
  let shared: number | null = null;
  for (const zone of zonesOnOffset(stated)) {
    const offset = offsetAt(t, zone);
    if (offset === null || (shared !== null && offset !== shared)) return null;
    shared = offset;
  }
  return shared;
}
