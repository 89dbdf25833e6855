/**
 * What reading the time zones a file defines (VTIMEZONE) may cost, and the bounds put on it:
 * ical.js lists every clock change of such a zone from its first observance to the year of the
 * time it reads. {@link costlyZone} refuses a definition whose changes are too many, and
 * {@link boundZones} keeps ical.js's listing within the years up to 2100 (later years are read
 * 400 years back, where the zone's offsets are the same).
 */
import ICAL from 'ical.js';
import { neverMatches, type ZoneBudget } from './ical-yearly.js';

type Component = ICAL.Component;
type Time = ICAL.Time;

/**
 * Clock changes a time zone the file defines may have up to the year 2100 (each rule counted over
 * a century at least). ical.js lists every change of a VTIMEZONE from its first observance on, at
 * the first time read in it: a zone whose observance repeats `FREQ=MINUTELY` since 1970 listed
 * tens of millions and ran the daemon out of memory, and two thousand yearly observances cost two
 * seconds. A real zone has two changes a year, plus its history: a few hundred.
 */
const MAX_ZONE_CHANGES = 2_000;
/** Rules of a zone change its clocks once or twice a year (RFC 5545's all repeat YEARLY). */
const MAX_CHANGES_PER_YEAR = 4;
/** The last year a zone's changes are counted and listed for; later times are read in earlier years ({@link boundZones}). */
const LAST_YEAR = 2100;

/**
 * Why a VTIMEZONE would cost too much to read ({@link MAX_ZONE_CHANGES}), or null when it is fine.
 * A rule's changes a year are counted over its first four years, and last until its UNTIL or COUNT.
 * A rule that never matches is refused too: ical.js would look for its first change up to the year
 * 20000 each time it lists the zone's changes (24 s for one such zone); the search for it is
 * charged to `budget`, shared by the zones of one calendar.
 */
export function costlyZone(zone: Component, budget: ZoneBudget): string | null {
  let changes = 0;
  for (const observance of zone.getAllSubcomponents()) {
    if (changes > MAX_ZONE_CHANGES) break;
    for (const rdate of observance.getAllProperties('rdate')) changes += rdate.getValues().length;
    const rule: unknown = observance.getFirstPropertyValue('rrule');
    const start: unknown = observance.getFirstPropertyValue('dtstart');
    if (!(rule instanceof ICAL.Recur) || !(start instanceof ICAL.Time)) continue;
    if (rule.freq !== 'YEARLY') return `a clock change repeats ${rule.freq} (only YEARLY is read)`;
    if (neverMatches(rule, start, budget)) return 'a clock change rule (RRULE) matches no day of any year';
    const iterator = rule.iterator(start);
    let first4Years = 0;
    for (let next = iterator.next(); next && next.year < start.year + 4 && first4Years <= 4 * MAX_CHANGES_PER_YEAR; next = iterator.next()) first4Years += 1;
    if (first4Years > 4 * MAX_CHANGES_PER_YEAR) return `a clock change repeats more than ${MAX_CHANGES_PER_YEAR} times a year`;
    const years = rule.until ? Math.max(1, rule.until.year - start.year + 1) : Math.max(100, LAST_YEAR - start.year);
    const expected = Math.ceil(first4Years / 4) * years;
    changes += rule.count ? Math.min(rule.count, expected) : expected;
  }
  return changes > MAX_ZONE_CHANGES ? `more than ${MAX_ZONE_CHANGES} clock changes` : null;
}

/**
 * The last year in which a zone's definition says something of its own (an observance begins, a
 * listed change, a rule's UNTIL, the last year a rule's COUNT can reach); after it, its yearly rules
 * alone repeat, and so do its offsets every 400 years (the Gregorian calendar's cycle, whole weeks).
 */
function settledYear(zone: Component): number {
  let year = 0;
  for (const observance of zone.getAllSubcomponents()) {
    const start: unknown = observance.getFirstPropertyValue('dtstart');
    if (start instanceof ICAL.Time) year = Math.max(year, start.year);
    for (const rdate of observance.getAllProperties('rdate')) {
      for (const value of rdate.getValues() as unknown[]) if (value instanceof ICAL.Time) year = Math.max(year, value.year);
    }
    const rule: unknown = observance.getFirstPropertyValue('rrule');
    // A yearly rule gives a change a year at least, so its COUNT ends within as many years.
    if (rule instanceof ICAL.Recur && rule.until) year = Math.max(year, rule.until.year);
    else if (rule instanceof ICAL.Recur && rule.count && start instanceof ICAL.Time) year = Math.max(year, start.year + rule.count);
  }
  return year;
}

/** The first year of the 400 a zone's years past {@link LAST_YEAR} are read in, per zone. */
const FIRST_YEARS = new WeakMap<ICAL.Timezone, number>();

export function cycleFirstYear(zone: ICAL.Timezone): number {
  let first = FIRST_YEARS.get(zone);
  if (first === undefined) {
    first = Math.max((zone.component ? settledYear(zone.component) : 0) + 1, LAST_YEAR - 399);
    FIRST_YEARS.set(zone, first);
  }
  return first;
}

/**
 * The years a time of `year` is moved back, in whole 400-year cycles, to one of the same wall clock
 * and offsets at or after `first` ({@link cycleFirstYear}); 0 up to {@link LAST_YEAR}.
 */
export function cyclesBack(year: number, first: number): number {
  return year > LAST_YEAR ? 400 * Math.max(0, Math.floor((year - first) / 400)) : 0;
}

/**
 * Bounds what ical.js does with the zones a file defines, before any time is read in them (it
 * makes one object per TZID of a parsed calendar). ical.js lists every change of a zone from its
 * first observance up to the year of the time it converts, and lists them all again, kept beside
 * the old ones, each time a later year comes: in Outlook's zones (defined from 1601,
 * mangstadt/biweekly#85) an entry of the year 9999 cost half a second at each sync, and a yearly
 * series until 4500 (iCloud birthdays, u01jmg3/ics-parser#219) read in the year 4400 67 s. A time
 * past {@link LAST_YEAR} is read in the same wall clock 400 years back, as many times as needed
 * (the offsets repeat once the zone's own dates are past), and the list is made anew.
 */
export function boundZones(calendar: Component): void {
  for (const definition of calendar.getAllSubcomponents('vtimezone')) {
    const tzid: unknown = definition.getFirstPropertyValue('tzid');
    const zone = typeof tzid === 'string' ? calendar.getTimeZoneByID(tzid) : null;
    if (!zone || BOUNDED.has(zone)) continue;
    BOUNDED.add(zone);
    const first = cycleFirstYear(zone);
    const cover = zone._ensureCoverage.bind(zone);
    zone._ensureCoverage = (year: number): void => {
      // Every time is read within 400 years of `first` (below).
      const until = Math.min(year, first + 400);
      // ical.js would list the changes again after the ones it has, each twice from then on.
      if (zone.changes.length > 0 && (zone as unknown as { expandedUntilYear: number }).expandedUntilYear < until) zone.changes = [];
      cover(until);
    };
    const offset = zone.utcOffset.bind(zone);
    zone.utcOffset = (time: Time): number => {
      const back = cyclesBack(time.year, first);
      if (back === 0) return offset(time);
      const earlier = time.clone();
      earlier.year -= back;
      return offset(earlier);
    };
  }
}

const BOUNDED = new WeakSet<ICAL.Timezone>();
