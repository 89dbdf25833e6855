/**
 * Grouped entries → the events inside a window: lone entries as written, series expanded with
 * their overrides applied and cancelled occurrences dropped. The work is bounded, per entry
 * (occurrences kept, rule steps) and per calendar (rule steps in all), because ical.js can walk a
 * rule without end; an entry over a bound is cut short or left out with a reason, never thrown.
 */
import ICAL from 'ical.js';
import type { CalendarEvent, Millis } from '../../domain/types.js';
import { alignRecurrenceIds, alignToSeriesZone } from './ical-align.js';
import type { Group } from './ical-entries.js';
import { normalise, statusOf } from './ical-fields.js';
import { dropDistantExclusions, keepStart, movedInto, readPeriods, settleRules, startAtOriginalTime, valueCount, walkBounds } from './ical-rules.js';
import { expandOwnRules } from './ical-setpos.js';
import { messageOf, SkipEvent } from './ical-text.js';
import { boundYearlyRules, gcd } from './ical-yearly.js';
import { boundRuleSteps, firstFromStart, MAX_RULE_STEPS, refuseWhenCalendarSpent, Walk, type Context, type ExpandWindow } from './ical-walk.js';
import { calendarZoneOf, endMillis, toMillis, tzidOf, type ZoneContext } from './ical-zones.js';

export { MAX_CALENDAR_RULE_STEPS, type Context, type ExpandWindow } from './ical-walk.js';

type Component = ICAL.Component;
type Time = ICAL.Time;

/**
 * Rules of one entry. RFC 5545 says an RRULE SHOULD NOT occur more than once; ical.js compares
 * every rule's next occurrence at each step, so 1,000 rules on one entry cost a second.
 */
const MAX_RULES = 10;
/**
 * Rule checks that one RDATE value costs: ical.js walks each date of an entry, before the window
 * too, and each costs about ten rule checks (50,000 dates took 1.5 s). Dates are charged to
 * {@link MAX_RULE_STEPS} and {@link MAX_CALENDAR_RULE_STEPS}, so an entry holds 2,000 at most.
 */
const STEPS_PER_DATE = 10;

function inWindow(start: Millis, end: Millis, window: ExpandWindow): boolean {
  return start < window.to && (end > window.from || (end === start && start >= window.from));
}

export function* expandGroup(group: Group, context: Context): Generator<CalendarEvent> {
  const { master } = group;
  // The zones this entry's times are read in: its calendar's, when it names one.
  const first = master ?? group.overrides[0];
  const floatingTimeZone = first ? calendarZoneOf(first) : undefined;
  const zones: ZoneContext = floatingTimeZone === undefined ? context : { floatingZone: context.floatingZone, floatingTimeZone };
  if (!master || !(master.hasProperty('rrule') || master.hasProperty('rdate'))) {
    // A lone entry, or overrides whose series the feed does not carry (an invitation to one
    // occurrence): each stands for itself. Overrides of a non-recurring entry have nothing to
    // replace and are left out.
    const singles = master ? [master] : group.overrides;
    if (!master) for (const note of startAtOriginalTime(group.overrides, null)) context.skipped.push({ ref: group.ref, reason: note });
    for (const component of singles) {
      const recurrenceId = master ? null : (component.getFirstPropertyValue('recurrence-id') as Time);
      const id = recurrenceId ? `${group.uid}/${isoOf(recurrenceId, component, 'recurrence-id', zones)}` : group.uid;
      const [start, end] = boundsOf(component, zones);
      if (inWindow(start, end, context.window)) yield normalise(component, id, start, end, zones);
    }
    return;
  }
  indexProperties(master);
  // Validates DTSTART, DTEND and the zone before expanding; the length is every occurrence's.
  const [masterStart, masterEnd] = boundsOf(master, zones);
  chargeRecurrence(master, context);
  dropDistantExclusions(master, context.window, masterEnd - masterStart);
  alignToSeriesZone(master, group.overrides, zones);
  for (const note of alignRecurrenceIds(master, group.overrides, zones)) context.skipped.push({ ref: group.ref, reason: note });
  // After the RECURRENCE-IDs are aligned: an override without a start takes the time of the occurrence it names.
  if (group.overrides.some((override) => !override.hasProperty('dtstart'))) {
    const length = new ICAL.Event(master, { exceptions: [] }).duration;
    for (const note of startAtOriginalTime(group.overrides, length)) context.skipped.push({ ref: group.ref, reason: note });
  }
  for (const reason of settleRules(master)) context.skipped.push({ ref: group.ref, reason });
  // settleRules may drop rules and list the start among the dates: the index is made again.
  indexProperties(master);
  const periods = readPeriods(master, zones);
  const series = new ICAL.Event(master, { exceptions: [] });
  const related: Component[] = [];
  for (const override of group.overrides) {
    try {
      series.relateException(override);
      related.push(override);
    } catch (error) {
      context.skipped.push({ ref: group.ref, reason: `unreadable override: ${messageOf(error)}` });
    }
  }
  const replaced = new Set<Component>();
  const walk = new Walk(context);
  const rules = master.getAllProperties('rrule').map((property) => property.getFirstValue());
  boundYearlyRules(rules, (days) => walk.chargeDays(days));
  // After boundYearlyRules (a YEARLY rule's first year is looked for within its bound), before
  // expandOwnRules (whose rules walk from the window, not from DTSTART).
  keepStart(master, (rule) => firstFromStart(rule, series.startDate, context));
  indexProperties(master);
  // After boundYearlyRules: a YEARLY rule that ical.js misreads is expanded by ical-setpos.ts instead.
  // The window, or wider to the original time of an occurrence moved into it from outside.
  const { from, to } = walkBounds(related, context.window, zones);
  expandOwnRules(rules, (days) => walk.chargeDays(days), from - Math.max(0, masterEnd - masterStart));
  const expansion = series.iterator(expansionStart(series, master, from, zones));
  boundRuleSteps(expansion, context, walk);
  const seen = new Set<string>();
  let kept = 0;
  for (let next = expansion.next(); next; next = expansion.next()) {
    const originalStart = toMillis(next, tzidOf(master, 'dtstart'), zones);
    if (originalStart >= to) break;
    const details = series.getOccurrenceDetails(next);
    const item = details.item.component;
    if (item !== master) replaced.add(item);
    if (item !== master && statusOf(item) === 'cancelled') continue;
    const start = toMillis(details.startDate, tzidOf(item, 'dtstart'), zones);
    // An occurrence of the series ends `duration` after its start, in the start's zone; an override
    // may write its end in a zone of its own.
    const endZone = item === master ? tzidOf(master, 'dtstart') : (tzidOf(item, 'dtend') ?? tzidOf(item, 'dtstart'));
    // RFC 5545 §3.8.5.3: the exact time between DTSTART and DTEND is every occurrence's length
    // (ical.js adds the wall-clock difference, which a first occurrence on the day the clocks change
    // makes an hour off, or negative).
    const sameLength = item === master && master.hasProperty('dtend') && !details.startDate.isDate;
    // An RDATE period has its own length (ical-rules.ts).
    const period = item === master ? periods.get(next.toString()) : undefined;
    const end = period !== undefined ? start + period : sameLength ? start + (masterEnd - masterStart) : endMillis(item, start, { start: details.startDate, end: details.endDate }, endZone, zones);
    // A negative DURATION (or one that wins over DTEND) would give an end before the start.
    if (end < start) throw new SkipEvent('an occurrence ends (DTEND or DURATION) before it starts');
    if (!inWindow(start, end, context.window)) continue;
    const id = `${group.uid}/${next.isDate ? next.toString() : new Date(originalStart).toISOString()}`;
    if (seen.has(id)) continue;
    seen.add(id);
    if (++kept > context.maxOccurrences) {
      context.skipped.push({ ref: group.ref, reason: `more than ${context.maxOccurrences} occurrences in the window; the rest are left out` });
      return;
    }
    yield { ...normalise(item, id, start, end, zones), seriesId: group.uid };
  }
  reportUnmatched(related, replaced, group.ref, context, zones, masterEnd - masterStart);
}

/**
 * Names the overrides for the window that replaced no occurrence: their RECURRENCE-ID is no
 * occurrence of the series (CalConnect/DEVGUIDE#45), or one past its end. They are left out, as
 * ical.js and python-recurring-ical-events leave them, but the audit says so: one may be a moved
 * call. A cancelled one cancels nothing and goes unsaid.
 */
function reportUnmatched(overrides: readonly Component[], replaced: ReadonlySet<Component>, ref: string, context: Context, zones: ZoneContext, length: Millis): void {
  const movedIntoWindow = movedInto(context.window, zones);
  for (const override of overrides) {
    if (replaced.has(override) || statusOf(override) === 'cancelled') continue;
    const id = override.getFirstPropertyValue('recurrence-id');
    if (!(id instanceof ICAL.Time)) continue;
    const at = toMillis(id, tzidOf(override, 'recurrence-id'), zones);
    // Named when its original time is near the window, or when it moves a call into the window.
    if ((at < context.window.from - length || at >= context.window.to) && !movedIntoWindow(override)) continue;
    context.skipped.push({ ref, reason: `an override (RECURRENCE-ID ${isoOf(id, override, 'recurrence-id', zones)}) matches no occurrence of its series; left out` });
  }
}

/**
 * Finds the series' properties by name from an index made once. ical.js finds a property by
 * walking all of the entry's lines, and a series reads for each occurrence it walks the ones that
 * it may lack (DURATION, STATUS): an entry of 50,000 RDATE lines took 24 s, its 50,000 occurrences
 * each walking 50,000 lines. Made again after a property is added or removed (settleRules): the
 * index set before is taken away first, so that the entry's own lines are read.
 */
function indexProperties(component: Component): void {
  for (const name of ['hasProperty', 'getFirstProperty', 'getAllProperties']) Reflect.deleteProperty(component, name);
  const all = component.getAllProperties();
  const byName = new Map<string, ICAL.Property[]>();
  for (const property of all) {
    const named = byName.get(property.name);
    if (named) named.push(property);
    else byName.set(property.name, [property]);
  }
  component.hasProperty = (name: string) => byName.has(name);
  component.getFirstProperty = (name?: string) => (name ? (byName.get(name)?.[0] ?? null) : (all[0] ?? null));
  component.getAllProperties = (name?: string) => [...(name ? (byName.get(name) ?? []) : all)];
}

const PERIOD_SECONDS: Readonly<Record<string, number>> = { SECONDLY: 1, MINUTELY: 60, HOURLY: 3600, DAILY: 86_400, WEEKLY: 604_800 };

/**
 * Where to begin walking the series. ical.js walks a rule from DTSTART one step at a time (tens of
 * µs a step), so a daily series begun years ago would cost seconds. A rule without COUNT repeats
 * its pattern every period, so the walk may begin a whole number of periods later, shortly before
 * the window. ical.js yields that start as an occurrence even when the rule would not match it,
 * but it ends before the window and is dropped there. A rule with COUNT is counted from DTSTART.
 * `from` is the first instant the walk must reach (the window's start, or earlier for an override
 * moved into the window from before it: ical-rules.ts, walkBounds).
 */
function expansionStart(series: ICAL.Event, master: Component, from: Millis, zones: ZoneContext): Time {
  const start = series.startDate;
  const rules = master.getAllProperties('rrule');
  const rule = rules.length === 1 ? (rules[0]?.getFirstValue() as ICAL.Recur | undefined) : undefined;
  if (rule?.freq === 'MONTHLY' && !rule.count) return monthlyStart(start, rule, from - series.duration.toSeconds() * 1000);
  const unit = rule ? PERIOD_SECONDS[rule.freq] : undefined;
  if (!rule || !unit || rule.count) return start;
  const period = unit * Math.max(1, rule.interval || 1);
  const startMs = toMillis(start, tzidOf(master, 'dtstart'), zones);
  // Two periods and two days of margin absorb the difference between wall time and UTC (DST).
  const gap = (from - startMs) / 1000 - series.duration.toSeconds() - 2 * period - 2 * 86_400;
  const periods = Math.floor(gap / period);
  if (periods <= 0) return start;
  const seconds = periods * period;
  const shifted = start.clone();
  shifted.adjust(Math.floor(seconds / 86_400), 0, 0, seconds % 86_400);
  return shifted;
}

/**
 * Where to begin walking a MONTHLY rule without COUNT: whole years before `before`, a whole number
 * of its INTERVALs too, so that it walks its months in the same order. ical.js reads each month
 * such a rule walks (a month of "the last weekday", BYDAY=MO,…,FR;BYSETPOS=-1, checks each of its
 * days against each weekday twice, ~0.7 ms): from 2001 that cost 0.4 s, from 1800 4 s, at each
 * sync. What a month holds does not depend on where the walk began, nor do the months after it,
 * as ical.js names them from the start's month and INTERVAL (or BYMONTH's order, from its first).
 * Where ical.js's first month depends on the year, the walk begins at DTSTART: a start on the
 * 29th to 31st (moved years, its day may not exist), a BYMONTHDAY past the 28th (ical.js looks
 * for it three months ahead of the start, and February's length depends on the year), a
 * BYMONTHDAY with BYDAY (it looks for both four years ahead, and gives up).
 */
function monthlyStart(start: Time, rule: ICAL.Recur, before: Millis): Time {
  const parts = rule.parts as Readonly<Record<string, readonly unknown[] | undefined>>;
  const monthDays = parts.BYMONTHDAY ?? [];
  // A start on the 29th to 31st of a month other than February is on that day in every year; a
  // rule of weekdays alone (BYDAY, no BYMONTHDAY) matches days that do not depend on it.
  const dayInEveryYear = start.day <= 28 || (start.month !== 2 && parts.BYDAY !== undefined && monthDays.length === 0);
  if (!dayInEveryYear || monthDays.some((day) => Math.abs(Number(day)) > 28) || (monthDays.length > 0 && parts.BYDAY)) return start;
  const months = Math.max(1, rule.interval || 1);
  const step = (months * 12) / gcd(months, 12);
  if (!Number.isSafeInteger(step)) return start;
  // A month and two days of margin: the start itself, which ical.js yields even when the rule
  // would not, ends before the window, and wall time may differ from UTC.
  const last = new Date(before - 2 * 86_400_000);
  const gap = last.getUTCFullYear() * 12 + last.getUTCMonth() - (start.year * 12 + start.month - 1) - 1;
  const years = (Math.floor(gap / step) * step) / 12;
  if (years <= 0) return start;
  const shifted = start.clone();
  shifted.year += years;
  return shifted;
}

/** Leaves out an entry of more rules or dates than it may walk; charges its dates to the calendar. */
function chargeRecurrence(master: Component, context: Context): void {
  if (master.getAllProperties('rrule').length > MAX_RULES) throw new SkipEvent(`more than ${MAX_RULES} recurrence rules (RRULE)`);
  // Counted as written: turning 100,000 values into times to count them cost 0.6 s.
  const dates = valueCount(master, 'rdate');
  if (dates * STEPS_PER_DATE > MAX_RULE_STEPS) throw new SkipEvent(`more than ${MAX_RULE_STEPS / STEPS_PER_DATE} recurrence dates (RDATE)`);
  if (dates > 0) refuseWhenCalendarSpent(context);
  context.ruleStepsLeft -= dates * STEPS_PER_DATE;
}

function isoOf(time: Time, component: Component, property: string, context: ZoneContext): string {
  return time.isDate ? time.toString() : new Date(toMillis(time, tzidOf(component, property), context)).toISOString();
}

/** [start, end] of an entry as written, or a {@link SkipEvent} saying what is wrong. */
function boundsOf(component: Component, context: ZoneContext): [Millis, Millis] {
  if (!component.hasProperty('dtstart')) throw new SkipEvent('no start time (DTSTART)');
  const event = new ICAL.Event(component, { exceptions: [] });
  const start = toMillis(event.startDate, tzidOf(component, 'dtstart'), context);
  const end = endMillis(component, start, { start: event.startDate, end: event.endDate }, tzidOf(component, component.hasProperty('dtend') ? 'dtend' : 'dtstart'), context);
  if (end < start) throw new SkipEvent('ends (DTEND) before it starts (DTSTART)');
  return [start, end];
}
