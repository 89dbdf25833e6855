/**
 * YEARLY rules in ical.js, bounded. Each year such a rule visits, ical.js lists the days of the
 * year its BY parts name (every Monday of the year for BYDAY=MO, every day for MO,…,SU) before it
 * picks those that match: about 0.8 µs a day, 0.3 ms a year for every day of the week. Two walks
 * cost too much:
 * - Before the first occurrence, ical.js looks for a year that matches up to the year 20000 (or
 *   the year of UNTIL). A rule that never matches ("BYMONTH=2;BYMONTHDAY=30;BYDAY=MO,…,SU") cost
 *   5 s of CPU for one entry, and no step of it was counted. The search here stops after one
 *   cycle of the calendar: ical.js's calendar repeats every 400 years after 1752 (its leap years
 *   are Julian up to 1752, Gregorian after), so a rule that matches in no year of the first 400
 *   it visits matches in none after, and ical.js would have ended the same, without occurrences.
 * - Then each year walked from DTSTART to the window: a rule begun in the year 1 walks 2,000.
 * Both are charged, by the days listed, to the entry's and the calendar's budgets of rule steps
 * (ical-recurrence.ts), which leave the entry out when they are spent.
 */
import ICAL from 'ical.js';
import { SkipEvent } from './ical-text.js';

type Time = ICAL.Time;

/** Charges the days one year's expansion lists; throws once the entry or its calendar may spend no more. */
export type ChargeDays = (days: number) => void;

/** ical.js's leap years are Gregorian after this year, Julian up to it (`ICAL.Time.isLeapYear`). */
const LAST_JULIAN_YEAR = 1752;
/** The Gregorian calendar's cycle: leap years and weekdays repeat every 400 years. */
const CYCLE_YEARS = 400;
/** How far ical.js looks for a first matching year without UNTIL (`RecurIterator.init`). */
const ICAL_SEARCH_END = 20_000;

/** Each rule's charge, found by the iterator while ical.js's constructor still runs. */
const charges = new WeakMap<ICAL.Recur, ChargeDays>();

/**
 * ical.js's own iterator, with each year's expansion charged first. `init`, run by the
 * constructor, calls it already, so the charge is found through the rule and not set afterwards.
 */
class ChargedYearIterator extends ICAL.RecurIterator {
  override expand_year_days(year: number): number {
    charges.get(this.rule)?.(daysListed(this.rule));
    return super.expand_year_days(year);
  }
}

/**
 * The days ical.js lists to expand one year of `rule` (`expand_year_days`): 53 for each weekday
 * of BYDAY without a position (its BYSETPOS form reads each day of each month instead), and one for
 * each other value it combines. An upper bound, not a count.
 */
function daysListed(rule: ICAL.Recur): number {
  const parts = rule.parts as Readonly<Record<string, readonly unknown[] | undefined>>;
  const byDay = parts.BYDAY ?? [];
  const months = parts.BYMONTH?.length ?? 0;
  const weekdays = byDay.reduce<number>((sum, day) => sum + (/^[A-Z]{2}$/.test(String(day)) ? 53 : 1), 0);
  const setPositions = parts.BYSETPOS && byDay.length > 0 ? 31 * Math.max(1, months) * byDay.length : 0;
  return 1 + weekdays + setPositions + Math.max(1, months) * (parts.BYMONTHDAY?.length ?? 0) + (parts.BYYEARDAY?.length ?? 0) + (parts.BYWEEKNO?.length ?? 0);
}

/**
 * The last year ical.js's search for a first matching year needs to look at, from `startYear` by
 * `interval` years: the years it visits after 1752 repeat their kinds every 400 / gcd(interval,
 * 400) visits, and one whole period shows every kind. The cycle is counted from the first year it
 * visits after 1753 (a year's expansion may read the year before it, and 1752 is still Julian);
 * the years before are all looked at, as ical.js does.
 */
export function lastYearToSearch(startYear: number, interval: number): number {
  const firstGregorian = LAST_JULIAN_YEAR + 2;
  const first = startYear >= firstGregorian ? startYear : startYear + Math.ceil((firstGregorian - startYear) / interval) * interval;
  const visitsPerCycle = CYCLE_YEARS / gcd(interval, CYCLE_YEARS);
  return first + (visitsPerCycle - 1) * interval;
}

export function gcd(a: number, b: number): number {
  return b === 0 ? a : gcd(b, a % b);
}

/**
 * Makes every YEARLY rule of an entry build the bounded iterator above; ical.js builds one per
 * rule when the entry's expansion starts. The rule objects are the entry's own, read once.
 */
export function boundYearlyRules(rules: readonly unknown[], charge: ChargeDays): void {
  for (const rule of rules) {
    if (!(rule instanceof ICAL.Recur) || rule.freq !== 'YEARLY') continue;
    charges.set(rule, charge);
    rule.iterator = (start: Time) => yearlyIterator(rule, start);
  }
}

/**
 * Days the search of a time zone's rule may list (~0.15 s), as an entry's rule may
 * (ical-recurrence.ts): one cycle of a rule naming every day of the week.
 */
const MAX_ZONE_RULE_DAYS = 200_000;
/**
 * Days the searches of all the zones of one calendar may list (~0.5 s): two zones' worth of
 * {@link MAX_ZONE_RULE_DAYS}. Without it each zone spent its own: twenty VTIMEZONEs whose rule
 * never matches, begun in the year 1, cost 5 s of CPU, and a feed of thousands of them hours. A
 * real zone's rule matches in its first year, a few days listed.
 */
export const MAX_CALENDAR_ZONE_RULE_DAYS = 400_000;

/** What is left of {@link MAX_CALENDAR_ZONE_RULE_DAYS} for the zones of one calendar. */
export interface ZoneBudget {
  daysLeft: number;
}

/**
 * Whether a YEARLY rule matches no day of any year from `start` on. ical.js alone takes seconds to
 * say so (it ends its search at the year 20000); this asks for one cycle of the calendar, and
 * throws a {@link SkipEvent} when even that lists too many days (a rule begun in the year 1), or
 * when the calendar's zones have listed too many in all (`budget`).
 */
export function neverMatches(rule: ICAL.Recur, start: Time, budget: ZoneBudget): boolean {
  let listed = 0;
  charges.set(rule, (days) => {
    listed += days;
    budget.daysLeft -= days;
    if (listed > MAX_ZONE_RULE_DAYS) throw new SkipEvent('a clock change rule (RRULE) takes too long to find its first change');
    if (budget.daysLeft < 0) throw new SkipEvent('the clock change rules (RRULE) of this calendar\'s time zones take too long to check in all; this zone and the next ones with a rule are left out');
  });
  try {
    const iterator = yearlyIterator(rule, start);
    return iterator.completed && !(rule.until && rule.until.year <= lastYearToSearch(start.year, rule.interval));
  } finally {
    charges.delete(rule);
  }
}

/**
 * ical.js reads UNTIL's year as the end of its search for a first matching year (and nothing else
 * while it builds the iterator), so UNTIL is set to the last year worth searching while it does,
 * and put back before the first occurrence is asked for.
 */
function yearlyIterator(rule: ICAL.Recur, start: Time): ICAL.RecurIterator {
  const interval = rule.interval;
  const searchEnd = rule.until ? rule.until.year : ICAL_SEARCH_END;
  const last = Number.isInteger(interval) && interval > 0 ? lastYearToSearch(start.year, interval) : searchEnd;
  if (last >= searchEnd) return new ChargedYearIterator({ rule, dtstart: start });
  const until = rule.until;
  rule.until = ICAL.Time.fromData({ year: last, month: 12, day: 31, isDate: true });
  try {
    return new ChargedYearIterator({ rule, dtstart: start });
  } finally {
    rule.until = until;
  }
}
