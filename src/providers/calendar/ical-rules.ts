/**
 * The recurrence parts of a series that ical.js reads wrongly or at a cost out of proportion,
 * settled before it walks them: exceptions far from the window dropped, an UNTIL written as a date
 * read as the end of that day, RDATE periods read as occurrences of their own length, the rules it
 * would read at the wrong days left out, and rules that never match dropped, each with a reason.
 * Each case is one from a real calendar; test/providers/calendar/odd-entries.test.ts cites them.
 */
import ICAL from 'ical.js';
import type { Millis } from '../../domain/types.js';
import { icalReadsSetPositions, neverMatches, readHere, readSetRule } from './ical-setpos.js';
import { SkipEvent } from './ical-text.js';
import { inUtc, toMillis, tzidOf, type ZoneContext } from './ical-zones.js';

type Component = ICAL.Component;
type Time = ICAL.Time;

const DAY = 86_400_000;
/** How far beyond the window the walk reaches for an occurrence moved into it (walkBounds). */
const MOVED_REACH = 366 * DAY;

/** The values of a date property as written, without ical.js turning each into a time. */
function writtenValues(property: ICAL.Property): unknown[] {
  return property.jCal.slice(3);
}

/** How many values the properties of that name hold in all, counted without reading them. */
export function valueCount(component: Component, name: string): number {
  return component.getAllProperties(name).reduce((sum, property) => sum + writtenValues(property).length, 0);
}

/**
 * Drops the EXDATE values that cannot remove an occurrence inside the window: ical.js turns each
 * into a time and sorts them in before it walks (100,000 on one entry cost 0.7-1.2 s), while only
 * those near the window can match an occurrence kept. COUNT is not affected: RFC 5545 counts the
 * occurrences of the rule before any is excluded. The day is read from the value as written
 * (`2024-03-02T10:00:00`, `2024-03-04`), with two days of margin for its zone and the occurrence's
 * length before the window; a value of any other form is kept for ical.js to judge.
 */
export function dropDistantExclusions(master: Component, window: { readonly from: Millis; readonly to: Millis }, length: Millis): void {
  const day = (t: Millis): string => new Date(t).toISOString().slice(0, 10);
  const first = day(window.from - Math.max(0, length) - 2 * DAY);
  const last = day(window.to + 2 * DAY);
  for (const property of master.getAllProperties('exdate')) {
    const values = writtenValues(property);
    const kept = values.filter((value) => {
      const date = typeof value === 'string' && /^\d{4}-\d{2}-\d{2}/.test(value) ? value.slice(0, 10) : null;
      return date === null || (date >= first && date <= last);
    });
    if (kept.length < values.length) property.setValues(kept as never);
  }
}

/**
 * The instants the walk of a series must reach: the window, widened to the original time
 * (RECURRENCE-ID) of an override moved into the window from before or after it. A long series is
 * walked from shortly before the window (ical-recurrence.ts, expansionStart) and stops at its end,
 * so an occurrence moved into the window from further away was never met and the moved call went
 * unseen (t4t5/caldir#52: "the original occurrence is in the past, so no forward window" finds
 * it). The walk reaches a year beyond the window at most ({@link MOVED_REACH}): further back, a
 * daily series would spend its budget of rule steps and be left out whole for one override. An
 * override whose times cannot be read is left to the walk, which names it.
 */
export function walkBounds(overrides: readonly Component[], window: { readonly from: Millis; readonly to: Millis }, context: ZoneContext): { from: Millis; to: Millis } {
  let [from, to] = [window.from, window.to];
  const movedIntoWindow = movedInto(window, context);
  for (const override of overrides) {
    if (!movedIntoWindow(override)) continue;
    const original: unknown = override.getFirstPropertyValue('recurrence-id');
    if (!(original instanceof ICAL.Time)) continue;
    try {
      const at = toMillis(original, tzidOf(override, 'recurrence-id'), context);
      from = Math.min(from, Math.max(window.from - MOVED_REACH, at));
      // Past the original time: the walk stops at the first occurrence at or after its end.
      to = Math.max(to, Math.min(window.to + MOVED_REACH, at + 1));
    } catch (error) {
      if (!(error instanceof SkipEvent)) throw error;
    }
  }
  return { from, to };
}

/**
 * Whether an override starts in the window (two days of margin before it for its length). The day
 * as written is looked at first, as for EXDATE values, so that the overrides far from the window
 * (20,000 of a daily series) are not each turned into a time.
 */
export function movedInto(window: { readonly from: Millis; readonly to: Millis }, context: ZoneContext): (override: Component) => boolean {
  const day = (t: Millis): string => new Date(t).toISOString().slice(0, 10);
  const [first, last] = [day(window.from - 3 * DAY), day(window.to + DAY)];
  return (override) => {
    const property = override.getFirstProperty('dtstart');
    const written = property ? writtenValues(property)[0] : undefined;
    if (typeof written === 'string' && /^\d{4}-\d{2}-\d{2}/.test(written) && (written.slice(0, 10) < first || written.slice(0, 10) > last)) return false;
    const start: unknown = property?.getFirstValue();
    if (!(start instanceof ICAL.Time)) return false;
    try {
      const at = toMillis(start, tzidOf(override, 'dtstart'), context);
      return at < window.to && at >= window.from - 2 * DAY;
    } catch (error) {
      if (error instanceof SkipEvent) return false;
      throw error;
    }
  };
}

/**
 * Gives an override without DTSTART its original time (its RECURRENCE-ID) as its start, and, when
 * it has no length of its own, the series' (`length`; null for an override whose series the feed
 * does not carry). RFC 5545 requires DTSTART, but an override of an Exchange series
 * imported through Thunderbird held only RECURRENCE-ID and DURATION (zentyal/sogo#194, where it
 * crashed the server); ical.js throws on it in the middle of the series' walk, and every
 * occurrence after it was lost. Returns a note for the audit per override read so, a cancelled one
 * (it only removes its occurrence) aside.
 */
export function startAtOriginalTime(overrides: readonly Component[], length: ICAL.Duration | null): string[] {
  const notes: string[] = [];
  for (const override of overrides) {
    const id = override.getFirstProperty('recurrence-id');
    const original: unknown = id?.getFirstValue();
    if (override.hasProperty('dtstart') || !id || !(original instanceof ICAL.Time)) continue;
    const start = new ICAL.Property('dtstart', override);
    const tzid = id.getParameter('tzid');
    if (typeof tzid === 'string' && tzid !== '') start.setParameter('tzid', tzid);
    if (original.isDate) start.resetType('date');
    start.setValue(original.clone());
    override.addProperty(start);
    if (length !== null && !override.hasProperty('dtend') && !override.hasProperty('duration')) override.addPropertyWithValue('duration', length.clone());
    const status: unknown = override.getFirstPropertyValue('status');
    if (String(status).toUpperCase() !== 'CANCELLED') notes.push('an override has no start (DTSTART); read at its original time (RECURRENCE-ID)');
  }
  return notes;
}

/**
 * Checks and settles the rules of a series, after its times are aligned to its zone
 * (ical-align.ts, alignToSeriesZone), so that UNTIL and DTSTART are compared like with like.
 *
 * - An UNTIL written as a date under a start of date and time (Google Calendar writes
 *   `UNTIL=20211216` under `DTSTART;TZID=Europe/Oslo:20211216T180000`) is the end of that day in
 *   the start's zone: ical.js compared the day's midnight and gave no occurrence, not even DTSTART.
 * - Rules that all end before DTSTART leave the entry out with a reason: Google Calendar and Apple
 *   Calendar show no occurrence (Thunderbird and Outlook show one; sabre-io/vobject#371), and
 *   ical.js gave none without a word. RFC 5545 does not settle it (§3.3.10: UNTIL bounds the rule
 *   "in an inclusive manner"; §3.8.5.3: DTSTART "defines the first instance"). ringback reads a
 *   calendar as a subscription, and Google reads such an entry subscribed by URL as no occurrence
 *   (only its file upload shows one, vobject#371); python-recurring-ical-events#117 and
 *   pimutils/khal#398 give none either. The reason in the audit keeps the call from going unseen.
 *   With RDATE values the entry stays, read at those dates.
 * - BYSETPOS is applied by ical.js only in a MONTHLY rule of BYDAY, or a YEARLY one of BYDAY and a
 *   single BYMONTH, and counts days only; elsewhere it gives every day the other parts name
 *   (kewisch/ical.js#1039, #960). Such a rule is expanded by ical-setpos.ts; one that module does
 *   not read either (BYSETPOS with BYWEEKNO beside BYMONTH, FREQ=HOURLY) is left out.
 * - BYWEEKNO, and a YEARLY day of the month past the 28th under BYMONTH, are read by ical-setpos.ts
 *   too ({@link readHere}); BYWEEKNO in a form it does not read is left out, named.
 * - A BYSETPOS that no month reaches (the 10th Monday) never matches: ical.js walked 336 months of
 *   every day against every weekday (0.2-0.5 s) before giving nothing; the rule is dropped at once.
 * - A rule whose parts give no day in any interval it repeats in (the 30th of February) is empty by
 *   RFC 5545, and dropped at once: ical.js walked it until the entry's or the calendar's budget of
 *   steps stopped it (2.7 s for 40 such entries, the recurring entries after them lost too).
 *   Only the rule goes: RFC 5545 §3.8.5.3 makes DTSTART the first instance of the set and adds the
 *   RDATE values to it whatever the rule gives, so the entry's start and its listed dates are still
 *   read (as ical.js gives DTSTART for such a rule); the returned reason says so.
 * - A rule without FREQ (vCalendar 1.0's form) is left out, named.
 *
 * Returns the reasons of the rules dropped, for the audit.
 */
export function settleRules(master: Component): string[] {
  const start: unknown = master.getFirstPropertyValue('dtstart');
  if (!(start instanceof ICAL.Time)) return [];
  const dropped: string[] = [];
  const rules: ICAL.Recur[] = [];
  for (const property of master.getAllProperties('rrule')) {
    const rule: unknown = property.getFirstValue();
    if (!(rule instanceof ICAL.Recur)) continue;
    // vCalendar 1.0 writers still send their own rule form (skarim/vobject#34, libical/libical#106);
    // ical.js reads it as a rule of no FREQ and then fails inside its walk, in words that say nothing.
    if (!rule.freq) throw new SkipEvent('the recurrence rule (RRULE) has no FREQ: it is not in iCalendar form (vCalendar 1.0 writes rules such as "W1 TU #0")');
    // RFC 5545 §3.3.10: COUNT is a positive integer. COUNT=0 (macOS Calendar) is read as no COUNT,
    // as ical.js reads it; a negative one made ical.js give no occurrence at all, its start
    // included, and nothing was said (found by test/property/odd-entry.test.ts). The rule goes, as
    // a rule that never matches does, and the entry is read at its start.
    if (rule.count !== null && rule.count < 0) {
      master.removeProperty(property);
      dropped.push(`the recurrence rule's COUNT is below 1 (${rule.count}), so it repeats nothing: ${whatIsRead(master)}`);
      continue;
    }
    namedYearlyDay(rule, start);
    const never = setPositionsNeverMatch(rule) ?? someDayNeverMatches(rule, start);
    if (never !== null) {
      master.removeProperty(property);
      dropped.push(`${never}: ${whatIsRead(master)}`);
      continue;
    }
    if (rule.until?.isDate && !start.isDate) rule.until = endOfDay(rule.until, start);
    namedLeapDay(rule, start);
    rules.push(rule);
  }
  const ended = rules.length > 0 && rules.every((rule) => rule.until && rule.until.compare(start) < 0);
  if (ended && !master.hasProperty('rdate')) {
    throw new SkipEvent('the recurrence rule ends (UNTIL) before its start (DTSTART), so it has no occurrence (as Google Calendar and Apple Calendar read it)');
  }
  if (rules.length === 0 && master.hasProperty('rdate')) listStart(master, start);
  return dropped;
}

/** What is read of an entry whose rule was dropped: RFC 5545 §3.8.5.3's DTSTART and RDATE values. */
function whatIsRead(master: Component): string {
  return `only the entry's start (DTSTART)${master.hasProperty('rdate') ? ' and its listed dates (RDATE) are' : ' is'} read`;
}

/**
 * Keeps DTSTART as the first occurrence of a series whose rules do not give it (a Thursday rule
 * begun on a Wednesday): ical.js begins each rule at its first match and loses the start
 * (kewisch/ical.js#294; libical did until libical/libical#325), where Apple Calendar and Google
 * Calendar show it. RFC 5545 calls such a set undefined but makes DTSTART "the first instance"
 * (§3.8.5.3) that "always counts as the first occurrence" of a COUNT (§3.3.10): the start is listed
 * among the dates and each COUNT lowered by one, as ical-setpos.ts counts the rules it reads itself
 * (Google Calendar shows one occurrence more, fmeringdal/rust-rrule#119). A rule read here
 * ({@link readHere}) gives its start itself. `firstOf` is a rule's first occurrence from DTSTART
 * (null when it has none, an UNTIL before its first match), or `unknown` when it cannot be told
 * within its bound; the start is then left as it is.
 */
export function keepStart(master: Component, firstOf: (rule: ICAL.Recur) => Time | null | 'unknown'): void {
  const start: unknown = master.getFirstPropertyValue('dtstart');
  if (!(start instanceof ICAL.Time)) return;
  const properties = master.getAllProperties('rrule');
  const rules = properties.map((property) => property.getFirstValue() as unknown);
  if (rules.length === 0 || !rules.every((rule): rule is ICAL.Recur => rule instanceof ICAL.Recur) || rules.some(readHere)) return;
  const listed = master.getAllProperties('rdate').some((property) => property.getValues().some((value: unknown) => value instanceof ICAL.Time && value.compare(start) === 0));
  // A rule that ends before its start gives nothing, its start included (settleRules).
  const live = rules.filter((rule) => !(rule.until && rule.until.compare(start) < 0));
  if (listed || live.length === 0) return;
  for (const rule of live) {
    const parts = Object.keys(rule.parts);
    // A rule of no BY part begins at DTSTART; a weekly one of weekdays alone (as Google Calendar
    // writes every weekly series) when the start's weekday is among them: told without a walk, which
    // cost a calendar of 2,000 such series 5 % more CPU.
    if (parts.length === 0) return;
    const weekdays = rule.freq === 'WEEKLY' && parts.length === 1 ? (rule.parts.BYDAY as unknown[] | undefined) : undefined;
    if (weekdays?.every((day) => /^[A-Z]{2}$/.test(String(day)))) {
      if (weekdays.includes(ICAL.Recur.numericDayToIcalDay(start.dayOfWeek()))) return;
      continue;
    }
    const first = firstOf(rule);
    if (first === 'unknown' || (first !== null && first.compare(start) === 0)) return;
  }
  properties.forEach((property, index) => {
    const rule = rules[index];
    if (!rule?.count) return;
    if (rule.count > 1) rule.count -= 1;
    else master.removeProperty(property);
  });
  listStart(master, start);
}

/**
 * Lists DTSTART among the RDATE values of a series of dates alone: ical.js's iterator begins such a
 * series at its first RDATE and loses the DTSTART instance (kewisch/ical.js#534; Thunderbird, which
 * writes such series, shows it), which RFC 5545 §3.8.5.3 makes the first of the set. A value listed
 * twice is one occurrence (ical-recurrence.ts keeps each start once).
 */
function listStart(master: Component, start: Time): void {
  const listed = new ICAL.Property('rdate', master);
  const tzid = master.getFirstProperty('dtstart')?.getParameter('tzid');
  if (typeof tzid === 'string' && tzid !== '') listed.setParameter('tzid', tzid);
  if (start.isDate) listed.resetType('date');
  listed.setValue(start.clone());
  master.addProperty(listed);
}

/**
 * The day of the month a YEARLY rule takes from DTSTART (RFC 5545 §3.3.10: what the rule does not
 * say is "derived from DTSTART"), named, when it is past the 28th, so that ical-setpos.ts reads it
 * ({@link readHere}): with BYMONTH and no day, the start's day (ical.js read
 * `FREQ=YEARLY;BYMONTH=1,2,3` from 31 January as 2 or 3 March too); with BYMONTHDAY and no month,
 * the start's month, as ical.js reads `FREQ=YEARLY;BYMONTHDAY=1,15` and Google Calendar writes a
 * yearly day (JonasWanke/rrule#73) — ical.js read the 30th from a start in February as 1 March.
 * A rule of BYSETPOS, BYDAY, BYYEARDAY or BYWEEKNO is left as it is.
 */
function namedYearlyDay(rule: ICAL.Recur, start: Time): void {
  const parts = rule.parts as Record<string, unknown[] | undefined>;
  if (rule.freq !== 'YEARLY' || ['BYSETPOS', 'BYDAY', 'BYYEARDAY', 'BYWEEKNO'].some((name) => parts[name])) return;
  if (parts.BYMONTH && !parts.BYMONTHDAY && start.day > 28) parts.BYMONTHDAY = [start.day];
  else if (!parts.BYMONTH && parts.BYMONTHDAY?.some((day) => Math.abs(Number(day)) > 28)) parts.BYMONTH = [start.month];
}

/**
 * A yearly rule that names no day, from a start on 29 February, given the day RFC 5545 §3.3.10
 * takes from DTSTART (BYMONTH=2, BYMONTHDAY=29): ical.js put it on 1 March of the years without
 * that day (kewisch/ical.js#91; an open fix, #1004), where RFC 5545 ignores it and Google Calendar
 * shows nothing. Named so, ical.js gives the leap years alone.
 */
function namedLeapDay(rule: ICAL.Recur, start: Time): void {
  const parts = rule.parts as Record<string, unknown[] | undefined>;
  if (rule.freq !== 'YEARLY' || start.month !== 2 || start.day !== 29) return;
  if (['BYMONTH', 'BYMONTHDAY', 'BYYEARDAY', 'BYWEEKNO', 'BYDAY'].some((name) => (parts[name]?.length ?? 0) > 0)) return;
  parts.BYMONTH = [2];
  parts.BYMONTHDAY = [29];
}

function endOfDay(date: Time, start: Time): Time {
  return inUtc(new ICAL.Time({ year: date.year, month: date.month, day: date.day, hour: 23, minute: 59, second: 59, isDate: false }, start.zone as never));
}

/** Why a BYSETPOS that ical.js reads can never match (no month holds that many days), or null. */
function setPositionsNeverMatch(rule: ICAL.Recur): string | null {
  const parts = rule.parts as Readonly<Record<string, readonly unknown[] | undefined>>;
  const positions = parts.BYSETPOS;
  if (!positions || positions.length === 0 || !icalReadsSetPositions(rule)) return null;
  // A weekday names at most five days of a month, a weekday with its ordinal (1MO) one.
  const byDay = (parts.BYDAY ?? []).map(String);
  const daysOfMonth = Math.min(31, byDay.reduce((sum, day) => sum + (/^[+-]?\d/.test(day) ? 1 : 5), 0));
  if (positions.every((position) => Math.abs(Number(position)) > daysOfMonth)) {
    return `the recurrence rule picks a day (BYSETPOS) past the ${daysOfMonth} days its BYDAY gives a month at most, so it never matches`;
  }
  return null;
}

/** The parts that can name days no interval holds; a rule of none of them matches in every interval. */
const DAY_PARTS = ['BYMONTH', 'BYWEEKNO', 'BYMONTHDAY', 'BYYEARDAY', 'BYDAY', 'BYSETPOS'];
const INTERVAL_NAMES: Readonly<Record<string, string>> = { WEEKLY: 'week', MONTHLY: 'month', YEARLY: 'year' };

/**
 * Why a rule is one RFC 5545 makes empty (ical-setpos.ts, neverMatches), or null; throws for a rule
 * that ical.js would read at the wrong days ({@link readHere}: a BYSETPOS, a BYWEEKNO) and
 * ical-setpos.ts cannot read either.
 */
function someDayNeverMatches(rule: ICAL.Recur, start: Time): string | null {
  const parts = rule.parts as Readonly<Record<string, readonly unknown[] | undefined>>;
  const setPositions = (parts.BYSETPOS?.length ?? 0) > 0;
  if (!DAY_PARTS.some((name) => parts[name])) return null;
  const set = readSetRule(rule, start);
  if (typeof set === 'string') {
    if (readHere(rule)) {
      const form = setPositions && !set.startsWith('BYWEEKNO') ? `BYSETPOS with ${set}` : set;
      throw new SkipEvent(`the recurrence rule uses ${form}, a form this reader does not apply; left out rather than read at the wrong days`);
    }
    return null;
  }
  if (!neverMatches(set, start)) return null;
  const where = rule.freq === 'DAILY' ? 'no day' : `no day in any ${INTERVAL_NAMES[rule.freq] ?? 'interval'} it repeats in`;
  return `the recurrence rule gives ${where} (such as the 30th of February), so it never matches`;
}

/**
 * RDATE;VALUE=PERIOD values rewritten as their starts, which ical.js walks (it handed the period
 * back as a time, and the series stopped there: libical/libical#637 has such an entry), and the
 * length of each by its start as ical.js writes it, for the occurrence's end.
 */
export function readPeriods(master: Component, context: ZoneContext): Map<string, Millis> {
  const lengths = new Map<string, Millis>();
  for (const property of master.getAllProperties('rdate')) {
    if (property.type !== 'period') continue;
    const tzid = property.getParameter('tzid');
    const starts = property.getValues().map((value: unknown) => {
      if (!(value instanceof ICAL.Period)) return value;
      const zone = typeof tzid === 'string' && tzid !== '' ? tzid : null;
      const start = toMillis(value.start, zone, context);
      const end = value.end ? toMillis(value.end, zone, context) : start + value.getDuration().toSeconds() * 1000;
      if (end < start) throw new SkipEvent('a recurrence period (RDATE) ends before it starts');
      lengths.set(value.start.toString(), end - start);
      return value.start;
    });
    property.setValues(starts as never);
  }
  return lengths;
}
