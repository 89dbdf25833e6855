/**
 * The times of a series written in another form than its start (an UNTIL, an EXDATE or an
 * override's RECURRENCE-ID in another zone, in UTC, floating, or of another value type), rewritten
 * in the start's form before ical.js compares them with its occurrences, which it does by wall
 * time: each form comes from a real writer, cited beside it.
 */
import ICAL from 'ical.js';
import { DateTime, IANAZone } from 'luxon';
import type { Millis } from '../../domain/types.js';
import { zoneOfTzid } from '../zone-names.js';
import { SkipEvent } from './ical-text.js';
import { toMillis, tzidOf, utcMillis, type ZoneContext } from './ical-zones.js';

type Component = ICAL.Component;
type Time = ICAL.Time;

/**
 * A series whose start has no zone ical.js knows (a TZID the file does not define, read here
 * through ../zone-names.ts, or a floating time) is walked by ical.js in floating time, where an
 * UNTIL, an EXDATE or a RECURRENCE-ID written in UTC is compared as if the series were in UTC:
 * east of UTC the last occurrence was lost (Outlook's "W. Europe Standard Time" series with
 * UNTIL=…T083000Z on a 09:30 day), and a deletion or a move in UTC matched no occurrence. They
 * are rewritten as wall times of the series' zone, so like is compared with like.
 */
export function alignToSeriesZone(master: Component, overrides: readonly Component[], context: ZoneContext): void {
  const start = master.getFirstPropertyValue('dtstart');
  if (!(start instanceof ICAL.Time) || start.isDate || (start.zone && start.zone.tzid !== 'floating')) return;
  const tzid = tzidOf(master, 'dtstart');
  const zone = tzid ? zoneOfTzid(tzid) : (context.floatingTimeZone ?? context.floatingZone);
  if (zone === null || !IANAZone.create(zone).isValid) return;
  const wall = (time: Time): Time => {
    if (time.isDate || time.zone !== ICAL.Timezone.utcTimezone) return time;
    const at = DateTime.fromMillis(time.toUnixTime() * 1000, { zone });
    return new ICAL.Time({ year: at.year, month: at.month, day: at.day, hour: at.hour, minute: at.minute, second: at.second, isDate: false }, null as never);
  };
  // An occurrence named in UTC under a floating start: the digits as written where the instant
  // falls off the series' time of day and they fall on it. ical-generator wrote a floating series'
  // EXDATEs so (sebbo2002/ical-generator#442: `EXDATE:20230224T082500Z` under
  // `DTSTART:20221125T082500`), and the excluded call stayed.
  const occurrence = (time: Time): Time => {
    const read = wall(time);
    if (read === time || tzid !== null || atTimeOf(read, start) || !atTimeOf(time, start)) return read;
    return new ICAL.Time({ year: time.year, month: time.month, day: time.day, hour: time.hour, minute: time.minute, second: time.second, isDate: false }, null as never);
  };
  for (const property of master.getAllProperties('rrule')) {
    const rule: unknown = property.getFirstValue();
    if (rule instanceof ICAL.Recur && rule.until) rule.until = wall(rule.until);
  }
  for (const property of master.getAllProperties('exdate')) {
    property.setValues(property.getValues().map((value: unknown) => (value instanceof ICAL.Time ? occurrence(value) : value)) as never);
  }
  for (const override of overrides) {
    const property = override.getFirstProperty('recurrence-id');
    const value: unknown = property?.getFirstValue();
    if (property && value instanceof ICAL.Time) property.setValue(occurrence(value));
  }
}

/** Whether a time is at the time of day of the series' start. */
function atTimeOf(time: Time, start: Time): boolean {
  return time.hour === start.hour && time.minute === start.minute && time.second === start.second;
}

/**
 * An override's RECURRENCE-ID written in another form than its series' start, rewritten as the
 * occurrence it names in the series' own form; ical.js finds an override by the wall time of its
 * RECURRENCE-ID, so such an override matched no occurrence and the call stayed at its old time.
 * RFC 5545 §3.8.4.4 asks for the start's value type, and for a floating time if and only if the
 * start is one; real writers break both:
 *
 * - Another zone than the start's: DAVx5 (bitfireAT/synctools#80, 01:00 in Paris for an Auckland
 *   series at 11:00) and Google Calendar (t4t5/caldir#26, Europe/London under a Europe/Stockholm
 *   series) write the override's own zone. Read as the same instant.
 * - A floating time under a start with a zone or in UTC (ical4j/ical4j#85:
 *   `RECURRENCE-ID:20160608T000000` under `DTSTART;TZID=US/Eastern:20160531T200000`, the series'
 *   20:00 written in UTC without its Z). python-recurring-ical-events looks such an id up both as a
 *   time of the series' zone and in UTC (to_recurrence_ids); here the reading at the start's time
 *   of day is taken, the series' own zone first.
 * - A date under a start with a time. No reader found matches it to an occurrence (ical.js matches
 *   nothing, python-recurring-ical-events reads midnight; ical.net stopped matching by date alone,
 *   ical-org/ical.net#659); for the same mistake in EXDATE (nextcloud/server#44600) DAVx5 takes
 *   the date at the start's time and zone, and so is the date read here, with a note for the audit.
 * - A time under a start that is a date, in an override's RECURRENCE-ID or in the series' EXDATE
 *   ({@link alignToDates}).
 *
 * A RECURRENCE-ID whose zone cannot be read is left as written (the override is then named as
 * matching nothing). Returns the notes for the audit.
 */
export function alignRecurrenceIds(master: Component, overrides: readonly Component[], context: ZoneContext): string[] {
  const start = master.getFirstPropertyValue('dtstart');
  if (!(start instanceof ICAL.Time)) return [];
  if (start.isDate) {
    alignToDates(master, overrides, context);
    return [];
  }
  const seriesTzid = tzidOf(master, 'dtstart');
  const notes: string[] = [];
  for (const override of overrides) {
    const property = override.getFirstProperty('recurrence-id');
    const value: unknown = property?.getFirstValue();
    if (!property || !(value instanceof ICAL.Time)) continue;
    if (value.isDate) {
      const time = new ICAL.Time({ year: value.year, month: value.month, day: value.day, hour: start.hour, minute: start.minute, second: start.second, isDate: false }, start.zone as never);
      property.resetType('date-time');
      property.removeParameter('value');
      property.setValue(time);
      if (seriesTzid !== null && start.zone !== ICAL.Timezone.utcTimezone) property.setParameter('tzid', seriesTzid);
      else property.removeParameter('tzid');
      notes.push(`an override's RECURRENCE-ID is a date (${value.toString()}) under a series of times; read as that day's occurrence at the series' time of day`);
      continue;
    }
    const tzid = tzidOf(override, 'recurrence-id');
    let wall: Time | null;
    try {
      if (tzid === null) {
        // A time in UTC is matched by ical.js; a floating one under a floating start is the start's form.
        if (value.zone === ICAL.Timezone.utcTimezone || (seriesTzid === null && start.zone !== ICAL.Timezone.utcTimezone)) continue;
        wall = floatingIdReading(value, start, seriesTzid, context);
      } else {
        if (tzid === seriesTzid) continue;
        wall = wallTimeIn(toMillis(value, tzid, context), start, seriesTzid, context);
      }
    } catch (error) {
      if (error instanceof SkipEvent) continue;
      throw error;
    }
    if (wall === null) continue;
    property.setValue(wall);
    if (seriesTzid !== null && wall.zone !== ICAL.Timezone.utcTimezone) property.setParameter('tzid', seriesTzid);
    else property.removeParameter('tzid');
  }
  return notes;
}

/**
 * RECURRENCE-IDs and EXDATEs with a time under a series of dates, rewritten as the day they name:
 * python-recurring-ical-events matches `RECURRENCE-ID:20200921T000000Z` to its day under an all-day
 * series (its issue #36); sabre/vobject wrote such ids for the all-day occurrences it expanded
 * (sabre-io/vobject#213); Exchange (Microsoft 365) names the moved or removed day of an all-day
 * series by its local midnight, `RECURRENCE-ID;TZID=W. Europe Standard Time:20260226T000000`
 * (jens-maus/node-ical#459) and `EXDATE;TZID=…:20260218T000000` (#454), which DAVx5 reads as that
 * day (nextcloud/server#44600). Midnight names its own day, whatever its zone; another time names the
 * day its instant falls on where the calendar's days are read (`floatingZone`).
 */
function alignToDates(master: Component, overrides: readonly Component[], context: ZoneContext): void {
  for (const override of overrides) {
    const property = override.getFirstProperty('recurrence-id');
    const value: unknown = property?.getFirstValue();
    if (!property || !(value instanceof ICAL.Time) || value.isDate) continue;
    const day = dayNamed(value, tzidOf(override, 'recurrence-id'), context);
    if (day === null) continue;
    property.resetType('date');
    property.removeParameter('tzid');
    property.setValue(day);
  }
  for (const property of master.getAllProperties('exdate')) {
    const values = property.getValues() as unknown[];
    if (!values.some((value) => value instanceof ICAL.Time && !value.isDate)) continue;
    const tzid = property.getParameter('tzid');
    const days = values.map((value) => (value instanceof ICAL.Time && !value.isDate ? dayNamed(value, typeof tzid === 'string' && tzid !== '' ? tzid : null, context) : value));
    if (days.some((day) => day === null)) continue;
    property.resetType('date');
    property.removeParameter('tzid');
    property.setValues(days as never);
  }
}

/** The day a time names under a series of dates ({@link alignToDates}), or null when its zone cannot be read. */
function dayNamed(value: Time, tzid: string | null, context: ZoneContext): Time | null {
  if (value.hour === 0 && value.minute === 0 && value.second === 0) return new ICAL.Time({ year: value.year, month: value.month, day: value.day, isDate: true }, null as never);
  let at: Millis;
  try {
    at = toMillis(value, tzid, context);
  } catch (error) {
    if (error instanceof SkipEvent) return null;
    throw error;
  }
  const local = DateTime.fromMillis(at, { zone: context.floatingZone });
  return local.isValid ? new ICAL.Time({ year: local.year, month: local.month, day: local.day, isDate: true }, null as never) : null;
}

/**
 * A floating RECURRENCE-ID under a start with a zone (or in UTC), as a time of the series: read as
 * a wall time of the series' zone, else in UTC, whichever falls at the start's time of day; null
 * when neither does.
 */
function floatingIdReading(value: Time, start: Time, seriesTzid: string | null, context: ZoneContext): Time | null {
  const inUtcAt = utcMillis(value.year, value.month, value.day, value.hour, value.minute, value.second);
  const defined = start.zone && start.zone.tzid !== 'floating' && start.zone !== ICAL.Timezone.utcTimezone ? start.zone : null;
  const written = new ICAL.Time({ year: value.year, month: value.month, day: value.day, hour: value.hour, minute: value.minute, second: value.second, isDate: false }, (defined ?? null) as never);
  const writtenAt = start.zone === ICAL.Timezone.utcTimezone ? inUtcAt : toMillis(written, seriesTzid, context);
  for (const at of [writtenAt, inUtcAt]) {
    const wall = wallTimeIn(at, start, seriesTzid, context);
    if (wall !== null && atTimeOf(wall, start)) return wall;
  }
  return null;
}

/** The instant `at` as a time of the series whose start is `start`, or null when its zone is unknown. */
function wallTimeIn(at: Millis, start: Time, tzid: string | null, context: ZoneContext): Time | null {
  const utc = ICAL.Time.fromJSDate(new Date(at), true);
  const zone = start.zone;
  if (zone === ICAL.Timezone.utcTimezone) return utc;
  // A zone the file defines: ical.js converts to it by the definition.
  if (zone && zone.tzid !== 'floating') return utc.convertToZone(zone);
  // A series walked in floating time (a zone read with luxon, or none): its wall time there.
  const name = tzid ? zoneOfTzid(tzid) : (context.floatingTimeZone ?? context.floatingZone);
  if (name === null || !IANAZone.create(name).isValid) return null;
  const local = DateTime.fromMillis(at, { zone: name });
  return new ICAL.Time({ year: local.year, month: local.month, day: local.day, hour: local.hour, minute: local.minute, second: local.second, isDate: false }, null as never);
}
