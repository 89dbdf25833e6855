/**
 * Zone arithmetic for the pure domain. Every instant is epoch milliseconds (UTC); a zone is an
 * IANA name such as `America/New_York`. Luxon does the calendar work so that days of 23 or 25
 * hours (DST changes) come out right; nothing else in `src/domain/` imports luxon.
 *
 * An unknown zone is a programming or config error (the config checks zones with
 * {@link isValidZone} at load), so these helpers throw a `RangeError` naming it rather than
 * quietly computing in UTC.
 */
import { DateTime, IANAZone } from 'luxon';
import type { Millis } from './types.js';

const MINUTE: Millis = 60_000;

/** `n` minutes in milliseconds. */
export function minutes(n: number): Millis {
  return n * MINUTE;
}

/** `n` hours in milliseconds. */
export function hours(n: number): Millis {
  return n * 60 * MINUTE;
}

/** True for an IANA zone name this runtime knows, such as `Europe/London`. */
export function isValidZone(name: string): boolean {
  return typeof name === 'string' && name.length > 0 && IANAZone.isValidZone(name);
}

function inZone(zone: string, t: Millis): DateTime {
  if (!isValidZone(zone)) throw new RangeError(`unknown time zone "${zone}"`);
  if (!Number.isFinite(t)) throw new RangeError(`not a point in time: ${String(t)}`);
  const local = DateTime.fromMillis(t, { zone });
  if (!local.isValid) throw new RangeError(`time ${t} cannot be shown in ${zone}`);
  return local;
}

/** The first instant of the local calendar day that contains `t` in `zone`. */
export function startOfDayIn(zone: string, t: Millis): Millis {
  return inZone(zone, t).startOf('day').toMillis();
}

/** ISO weekday of `t` in `zone`: 1 = Monday … 7 = Sunday. */
export function weekdayIn(zone: string, t: Millis): number {
  return inZone(zone, t).weekday;
}

/** The local calendar date of `t` in `zone`, as `YYYY-MM-DD`. */
export function localDateIn(zone: string, t: Millis): string {
  return inZone(zone, t).toFormat('yyyy-MM-dd');
}

/** The local wall-clock time of `t` in `zone`, as `HH:MM`. */
export function clockIn(zone: string, t: Millis): string {
  return inZone(zone, t).toFormat('HH:mm');
}

/** Minutes since local midnight of `t` in `zone` (wall clock, so 0–1439). */
export function minuteOfDayIn(zone: string, t: Millis): number {
  const local = inZone(zone, t);
  return local.hour * 60 + local.minute;
}

/** The same local wall-clock time `n` calendar days later (or earlier) in `zone`. */
export function addDaysIn(zone: string, t: Millis, n: number): Millis {
  return inZone(zone, t).plus({ days: n }).toMillis();
}

/**
 * Minutes since midnight for an `HH:MM` clock time; `24:00` means the end of the day.
 * Throws a `RangeError` for anything else.
 */
export function parseClock(clock: string): number {
  const match = /^(\d{1,2}):(\d{2})$/.exec(clock);
  const h = Number(match?.[1]);
  const m = Number(match?.[2]);
  if (!match || h > 24 || m > 59 || (h === 24 && m !== 0)) {
    throw new RangeError(`not a clock time "${clock}" (expected HH:MM, 00:00 to 24:00)`);
  }
  return h * 60 + m;
}

/**
 * The instant at wall-clock `clock` (`HH:MM`, `24:00` = next midnight) on the local calendar day
 * of `dayMillis` in `zone`. A time that does not exist that day (skipped by a spring DST change,
 * e.g. 02:30 in New York on the second Sunday of March) moves forward by the gap, as luxon does;
 * use {@link minuteOfDayIn} to detect it.
 */
export function atLocalTime(zone: string, dayMillis: Millis, clock: string): Millis {
  const minute = parseClock(clock);
  const day = inZone(zone, dayMillis).startOf('day');
  if (minute === 24 * 60) return day.plus({ days: 1 }).toMillis();
  return day.set({ hour: Math.floor(minute / 60), minute: minute % 60 }).toMillis();
}
