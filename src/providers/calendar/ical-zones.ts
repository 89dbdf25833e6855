/**
 * Times of an iCalendar entry → epoch ms, and the IANA zone an entry is written in. The times
 * whose TZID the file defines (VTIMEZONE) are read by that definition; a TZID it does not define
 * is read with luxon when it names a zone ../zone-names.ts knows (IANA, Windows, Windows display,
 * Lotus Notes), and otherwise leaves the entry out ("unknown time zone").
 */
import ICAL from 'ical.js';
import { IANAZone } from 'luxon';
import type { Millis } from '../../domain/types.js';
import { zoneOfShortWindowsName, zoneOfTzid } from '../zone-names.js';
import { clean, SkipEvent } from './ical-text.js';
import { cycleFirstYear, cyclesBack } from './ical-zone-bounds.js';

type Component = ICAL.Component;
type Time = ICAL.Time;

/** What the conversion needs of the parse: the zone of floating times and all-day dates. */
export interface ZoneContext {
  readonly floatingZone: string;
  /**
   * The zone of floating times (not dates) when the entry's calendar names one (X-WR-TIMEZONE,
   * {@link calendarZoneOf}); else `floatingZone`.
   */
  readonly floatingTimeZone?: string;
}

/**
 * The zone an entry's calendar says its times are in: X-WR-TIMEZONE, which Google Calendar and
 * Apple Calendar write on a calendar and which Google reads floating times in (a feed with local
 * times and X-WR-TIMEZONE alone is shown in that zone, spatie/icalendar-generator#137,
 * icalevents.com "What every developer ought to know about timezones wrt calendar files"). RFC 5545
 * leaves a floating time to the reader's zone; the calendar's own word is the better reader's
 * zone. Dates keep the person's own zone: an all-day entry is a day of their calendar. An unknown
 * name is left alone (undefined).
 */
export function calendarZoneOf(component: Component): string | undefined {
  const value: unknown = component.getFirstPropertyValue('x-wr-timezone');
  // zoneOfTzid gives only zones the runtime knows.
  return (typeof value === 'string' ? zoneOfTzid(value) : null) ?? undefined;
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
  const wall = wallOf(time);
  if (!Number.isFinite(wall)) throw new SkipEvent(`invalid time ${time.toString()}`);
  if (!time.isDate && zone === ICAL.Timezone.utcTimezone) return wall;
  if (!time.isDate && zone && zone.tzid !== 'floating') {
    const defined = vtimezoneOffsets(zone);
    return defined === null ? time.toUnixTime() * 1000 : wallTimeToMillis(wall, defined, notBefore);
  }
  let ianaZone = time.isDate ? context.floatingZone : (context.floatingTimeZone ?? context.floatingZone);
  if (tzid && !time.isDate) {
    const known = zoneOfTzid(tzid);
    if (!known) {
      throw new SkipEvent(
        `unknown time zone "${clean(tzid).slice(0, 80)}": the file does not define it (no VTIMEZONE) and it is not an IANA, Windows or Lotus Notes zone name, so its time cannot be known`,
      );
    }
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
  // An all-day entry whose DTEND repeats its DTSTART (feeds write it so; derekantrican/GAS-ICS-Sync#58)
  // is that one day, as Google Calendar reads it, not a moment at midnight.
  if (end === start && times.start.isDate && times.end.isDate) {
    const next = times.start.clone();
    next.adjust(1, 0, 0, 0);
    return toMillis(next, endTzid, context, start);
  }
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
  return utcMillis(time.year, time.month, time.day, time.hour, time.minute, time.second);
}

/** 400 Gregorian years, in ms: the calendar repeats after them. */
const CYCLE_MS = 146_097 * 86_400_000;

/**
 * The instant of a UTC date and time (`month` 1–12). `Date.UTC` and ical.js's `toUnixTime` read
 * the years 0–99 as 1900–1999: an hourly series begun in the year 1 was read as begun in 1901, so
 * its walk began 1,900 years short of the window and was cut off after 0.7 s of CPU.
 */
export function utcMillis(year: number, month: number, day: number, hour = 0, minute = 0, second = 0): Millis {
  if (year >= 0 && year < 100) return Date.UTC(year + 400, month - 1, day, hour, minute, second) - CYCLE_MS;
  return Date.UTC(year, month - 1, day, hour, minute, second);
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
 * guesses at the changes from local times; null when the zone has no changes to read. An instant
 * past 2100 is read whole 400-year cycles back, after the zone's own dates (ical-zone-bounds.ts).
 */
function vtimezoneOffsets(zone: ICAL.Timezone): OffsetAt | null {
  if (!zone.component) return null;
  const first = cycleFirstYear(zone);
  const defined: OffsetAt = (given) => {
    const year = new Date(given).getUTCFullYear();
    const instant = given - (cyclesBack(year, first) / 400) * CYCLE_MS;
    zone._ensureCoverage(new Date(instant).getUTCFullYear() + 1);
    const changes = zone.changes as ZoneChange[];
    // The last change at or before the instant (they are sorted), by binary search.
    let lo = 0;
    let hi = changes.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      const change = changes[mid];
      if (change !== undefined && changeAt(change) <= instant) lo = mid + 1;
      else hi = mid;
    }
    const last = changes[lo - 1];
    return (last === undefined ? (changes[0]?.prevUtcOffset ?? 0) : last.utcOffset) * 1000;
  };
  const listed = listedOnly(zone);
  return listed === null ? defined : (given) => (given > listed.end ? listed.named.offset(given) * 60_000 : defined(given));
}

const changeAt = (change: ZoneChange): Millis => Date.UTC(change.year, change.month - 1, change.day, change.hour, change.minute, change.second);

const YEAR = 366 * DAY;

/**
 * A definition whose onsets are all listed (DTSTART and RDATE, no RRULE) under a TZID that names a
 * zone: the zone it names, from a year after its last onset on. Such a definition covers the years
 * its writer listed ("This timezone only works from 1970-01-01 to 2038-01-01", Python's icalendar
 * writes beside its own), and a server may keep less of it: Radicale stores Python's
 * `RDATE:19810329T030000,19820328T030000,…` as its first date alone, so Berlin's definition ends in
 * 1981 and a July call was read an hour late. Past its last onset, the name is the better witness.
 */
function listedOnly(zone: ICAL.Timezone): { readonly end: Millis; readonly named: IANAZone } | null {
  let listed = LISTED.get(zone);
  if (listed === undefined) {
    listed = null;
    const observances = zone.component?.getAllSubcomponents() ?? [];
    const name = observances.length > 0 && !observances.some((observance) => observance.hasProperty('rrule')) ? zoneOfTzid(zone.tzid) : null;
    const named = name === null ? null : IANAZone.create(name);
    if (named?.isValid) {
      zone._ensureCoverage(LAST_LISTED_YEAR);
      const onsets = (zone.changes as ZoneChange[]).map(changeAt);
      if (onsets.length > 0) listed = { end: Math.max(...onsets) + YEAR, named };
    }
    LISTED.set(zone, listed);
  }
  return listed;
}

/** Listed onsets are all read at once; the year only bounds ical.js's listing. */
const LAST_LISTED_YEAR = 2100;

/** {@link listedOnly} per zone of a parsed file; gone with the parse. */
const LISTED = new WeakMap<ICAL.Timezone, { readonly end: Millis; readonly named: IANAZone } | null>();

/**
 * A time of a zone the file defines as the same instant in UTC, read by that definition: an UNTIL
 * (RFC 5545 writes it in UTC under a start with a zone), which ical.js would otherwise convert
 * through the zone's changes up to its year. Any other time is returned as is.
 */
export function inUtc(time: Time): Time {
  const defined = time.isDate || !time.zone ? null : vtimezoneOffsets(time.zone);
  if (defined === null) return time;
  const at = new Date(wallTimeToMillis(wallOf(time), defined));
  const fields = { year: at.getUTCFullYear(), month: at.getUTCMonth() + 1, day: at.getUTCDate(), hour: at.getUTCHours(), minute: at.getUTCMinutes(), second: at.getUTCSeconds(), isDate: false };
  return new ICAL.Time(fields, ICAL.Timezone.utcTimezone);
}

/**
 * The IANA zone the entry's start is written in (the organizer's zone, which lets the emails show
 * the recipient's own time), or null when it cannot be told. A TZID the file defines is named by
 * its TZID or else by what the VTIMEZONE says it is ({@link locationOf}), and the name
 * is kept only when that zone's offsets at `start` and half a year either side are the ones the
 * file's definition gives, so the emails never print a time other than the one the invitation
 * means. The definition wins over the name (RFC 5545 §3.2.19: a TZID is the id of the file's
 * VTIMEZONE), so a file's "GMT" with summer time is not UTC.
 *
 * A definition under a made-up name ("Customized Time Zone", "UTC+11") gets no name: guessing
 * one from its offsets is not safe, since many zones share a pair of offsets and their rules
 * today (Europe/Berlin, Paris, Madrid; America/New_York, Toronto) while their names, and their
 * past and future rules, differ, and a guessed name would be shown to the recipient as theirs.
 * Its times are still right: they are read by the file's own definition.
 */
export function zoneNameOf(component: Component, time: Time, start: Millis): string | null {
  if (time.isDate) return null;
  if (time.zone === ICAL.Timezone.utcTimezone) return 'UTC';
  const tzid = tzidOf(component, 'dtstart');
  if (!tzid) return null;
  const zone = time.zone && time.zone.tzid !== 'floating' ? time.zone : null;
  const defined = zone ? vtimezoneOffsets(zone) : null;
  if (zone === null || defined === null) return zoneOfTzid(tzid) ?? (zone ? locationOf(zone) : null);
  // A name's common meaning may not be the file's: "GMT" defined with British summer time
  // (pretalx writes it so, pretalx/pretalx#2588) is London, not UTC, whatever the season of this
  // entry. Then the name read as Lotus Notes and Windows shorten it ("GMT Standard Time") is tried.
  for (const named of [zoneOfTzid(tzid), zoneOfShortWindowsName(tzid), locationOf(zone)]) {
    if (named !== null && sameOffsets(zone, named, defined, start)) return named;
  }
  return null;
}

const HALF_YEAR = 182 * DAY;

/**
 * Whether the IANA zone has the file's offsets at `start` and half a year either side: at the
 * instant alone, UTC passes for a definition of British time in winter. The two seasons are
 * compared once per zone, name and month of `start` (remembered on the file's zone object), not
 * per entry: four offsets more per entry cost an Outlook feed a quarter of its parse time.
 */
function sameOffsets(zone: ICAL.Timezone, named: string, defined: OffsetAt, start: Millis): boolean {
  const iana = IANAZone.create(named);
  if (!iana.isValid || iana.offset(start) * 60_000 !== defined(start)) return false;
  let seasons = SEASONS.get(zone);
  if (seasons === undefined) {
    seasons = new Map();
    SEASONS.set(zone, seasons);
  }
  const month = new Date(start);
  const key = `${named}|${month.getUTCFullYear() * 12 + month.getUTCMonth()}`;
  let same = seasons.get(key);
  if (same === undefined) {
    same = [start - HALF_YEAR, start + HALF_YEAR].every((t) => iana.offset(t) * 60_000 === defined(t));
    seasons.set(key, same);
  }
  return same;
}

/** Seasonal comparisons per zone of a parsed file ({@link sameOffsets}); gone with the parse. */
const SEASONS = new WeakMap<ICAL.Timezone, Map<string, boolean>>();

/**
 * The IANA zone a VTIMEZONE says it stands for, when it says: X-LIC-LOCATION (libical,
 * Thunderbird, Zoom), or a TZURL ending in the zone's name (tzurl.org's
 * `…/zoneinfo-outlook/Australia/Sydney`, which Outlook.com and Zoom write beside a made-up TZID).
 */
function locationOf(zone: ICAL.Timezone): string | null {
  for (const property of ['x-lic-location', 'tzurl']) {
    const value: unknown = zone.component?.getFirstPropertyValue(property);
    const named = typeof value === 'string' ? zoneOfTzid(property === 'tzurl' ? value.replace(/^[a-z]+:\/\/[^/]*/i, '') : value) : null;
    if (named !== null) return named;
  }
  return null;
}
