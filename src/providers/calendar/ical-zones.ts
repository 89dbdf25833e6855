/**
 * Times of an iCalendar entry → epoch ms, and the IANA zone an entry is written in. ical.js
 * converts the times whose TZID the file defines; a TZID it does not define is converted here with
 * luxon when it names an IANA zone, and otherwise leaves the entry out ("unknown time zone").
 */
import ICAL from 'ical.js';
import { IANAZone } from 'luxon';
import type { Millis } from '../../domain/types.js';
import { clean, SkipEvent } from './ical-text.js';

type Component = ICAL.Component;
type Time = ICAL.Time;

/** What the conversion needs of the parse: the zone of floating times and all-day dates. */
export interface ZoneContext {
  readonly floatingZone: string;
}

export function tzidOf(component: Component, property: string): string | null {
  const tzid = component.getFirstProperty(property)?.getParameter('tzid');
  return typeof tzid === 'string' && tzid !== '' ? tzid : null;
}

/**
 * Epoch ms of a time. Times with `Z` are exact. A local time is read in the zone the file defines
 * for its TZID (VTIMEZONE), else in the IANA zone its TZID names, else (floating times and dates)
 * in `floatingZone`, by {@link wallTimeToMillis}: a time the clocks skip or repeat on a day they
 * change is read as RFC 5545 says, which ical.js (02:30 on a spring-forward day an hour early)
 * and luxon (01:30 on a fall-back day at its second occurrence) do not. `notBefore`: see
 * {@link wallTimeToMillis}.
 */
export function toMillis(time: Time, tzid: string | null, context: ZoneContext, notBefore?: Millis): Millis {
  const zone = time.zone;
  if (!time.isDate && zone === ICAL.Timezone.utcTimezone) return time.toUnixTime() * 1000;
  const wall = wallOf(time);
  if (!Number.isFinite(wall)) throw new SkipEvent(`invalid time ${time.toString()}`);
  if (!time.isDate && zone && zone.tzid !== 'floating') {
    const defined = vtimezoneOffsets(zone);
    return defined === null ? time.toUnixTime() * 1000 : wallTimeToMillis(wall, defined, notBefore);
  }
  let ianaZone = context.floatingZone;
  if (tzid && !time.isDate) {
    const known = ianaName(tzid);
    if (!known) throw new SkipEvent(`unknown time zone ${clean(tzid).slice(0, 80)}`);
    ianaZone = known;
  }
  // Made once per name by luxon, and valid or not; isValidZone would build a formatter per call.
  const iana = IANAZone.create(ianaZone);
  if (!iana.isValid) throw new SkipEvent(`invalid time ${time.toString()}`);
  return wallTimeToMillis(wall, (t) => iana.offset(t) * 60_000, notBefore);
}

/**
 * The end of an entry (or an occurrence) that starts at `start`. A DURATION of hours and minutes
 * is exact time (RFC 5545 §3.3.6), where ical.js adds it to the wall clock: 30 minutes from 01:30
 * on a fall-back day are 30 minutes, not 90. An end that the clocks' change put before its start
 * (02:30–03:00 on a spring-forward day, the start read as 03:30 EDT) keeps the length written.
 */
export function endMillis(component: Component, start: Millis, times: { readonly start: Time; readonly end: Time }, endTzid: string | null, context: ZoneContext): Millis {
  const exact = exactDuration(component);
  if (exact !== null && !times.start.isDate) return start + exact;
  const end = toMillis(times.end, endTzid, context, start);
  if (end >= start || times.start.isDate || times.end.isDate) return end;
  const written = wallOf(times.end) - wallOf(times.start);
  return written >= 0 ? start + written : end;
}

/** The entry's DURATION in ms when it has one of hours, minutes and seconds only (no DTEND). */
function exactDuration(component: Component): Millis | null {
  if (component.hasProperty('dtend') || !component.hasProperty('duration')) return null;
  const duration = component.getFirstPropertyValue('duration');
  if (!(duration instanceof ICAL.Duration) || duration.weeks !== 0 || duration.days !== 0) return null;
  const seconds = duration.toSeconds();
  return Number.isFinite(seconds) ? seconds * 1000 : null;
}

function wallOf(time: Time): Millis {
  return Date.UTC(time.year, time.month - 1, time.day, time.hour, time.minute, time.second);
}

/** A zone's offset from UTC at an instant, in ms. */
type OffsetAt = (instant: Millis) => number;

const DAY = 86_400_000;

/**
 * The instant a wall-clock time (given as if it were UTC) stands for in a zone, as RFC 5545
 * §3.3.5 reads it: a time that occurs twice (clocks set back) is its first occurrence, and a time
 * that does not exist (clocks set forward) is read with the offset before the change (02:30 on a
 * spring-forward day in New York is 03:30 EDT, as calendar apps show it). The offsets a day
 * either side are the only candidates: clocks never change twice within two days. `notBefore`
 * (an end, read after its start) takes the first occurrence at or after it: 02:30–02:00 across a
 * fall-back is the half hour from the first 02:30 to the second 02:00.
 */
export function wallTimeToMillis(wall: Millis, offsetAt: OffsetAt, notBefore = Number.NEGATIVE_INFINITY): Millis {
  const before = offsetAt(wall - DAY);
  const after = offsetAt(wall + DAY);
  // No change within a day either side: the one reading (most times).
  if (before === after) return wall - before;
  // Both fit when the time is repeated: the earlier occurrence first (the larger offset).
  const fits = [before, after].filter((offset) => offsetAt(wall - offset) === offset).map((offset) => wall - offset).sort((a, b) => a - b);
  if (fits.length === 0) return wall - before;
  return fits.find((t) => t >= notBefore) ?? (fits[0] as Millis);
}

/** One change of a VTIMEZONE as ical.js expands it: its instant in UTC, the offsets in seconds. */
interface ZoneChange {
  readonly year: number;
  readonly month: number;
  readonly day: number;
  readonly hour: number;
  readonly minute: number;
  readonly second: number;
  readonly utcOffset: number;
  readonly prevUtcOffset: number;
}

/**
 * The offsets of a zone the file defines (VTIMEZONE), read from the changes ical.js expands from
 * it: each is stored at its instant in UTC with the offset it brings. ical.js's own conversion
 * guesses at the changes from local times; null when the zone has no changes to read.
 */
function vtimezoneOffsets(zone: ICAL.Timezone): OffsetAt | null {
  if (!zone.component) return null;
  const at = (change: ZoneChange): Millis => Date.UTC(change.year, change.month - 1, change.day, change.hour, change.minute, change.second);
  return (instant) => {
    zone._ensureCoverage(new Date(instant).getUTCFullYear() + 1);
    const changes = zone.changes as ZoneChange[];
    // The last change at or before the instant (they are sorted), by binary search.
    let lo = 0;
    let hi = changes.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      const change = changes[mid];
      if (change !== undefined && at(change) <= instant) lo = mid + 1;
      else hi = mid;
    }
    const last = changes[lo - 1];
    return (last === undefined ? (changes[0]?.prevUtcOffset ?? 0) : last.utcOffset) * 1000;
  };
}

/** The IANA name a TZID stands for: itself, or the tail of a prefixed one (`/mozilla.org/…/Europe/Paris`). */
function ianaName(tzid: string): string | null {
  const parts = tzid.trim().split('/').filter((part) => part !== '');
  for (let take = Math.min(parts.length, 3); take >= 1; take -= 1) {
    const candidate = parts.slice(-take).join('/');
    if (IANAZone.isValidZone(candidate)) return candidate;
  }
  return null;
}

export function zoneNameOf(component: Component, time: Time): string | null {
  if (time.isDate) return null;
  if (time.zone === ICAL.Timezone.utcTimezone) return 'UTC';
  const tzid = tzidOf(component, 'dtstart');
  return tzid ? ianaName(tzid) : null;
}
