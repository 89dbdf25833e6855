/**
 * The bounds of walking a series' rules: each check of a rule's BY parts, each step of INTERVAL
 * days and each month of a rule of BYSETPOS is charged to the entry's {@link Walk} and to its
 * calendar's budget ({@link Context}), and an entry over either is left out with a reason
 * ({@link SkipEvent}), never walked without end.
 */
import ICAL from 'ical.js';
import type { Millis } from '../../domain/types.js';
import { SkipEvent } from './ical-text.js';
import { utcMillis } from './ical-zones.js';
import type { SkippedItem } from './types.js';

type Time = ICAL.Time;

export interface ExpandWindow {
  readonly from: Millis;
  readonly to: Millis;
}

/**
 * ical.js loops without end on rules that can never match (`FREQ=DAILY;BYMONTH=2;BYMONTHDAY=30`
 * hangs in `RecurIterator.next`); each pass of that loop checks the rule's BY parts once, so
 * counting those checks bounds the work per entry. It also bounds entries whose DTSTART lies
 * so far back that reaching the window takes too long (`FREQ=SECONDLY` since 2001).
 */
export const MAX_RULE_STEPS = 20_000;
/**
 * Rule checks allowed for the whole calendar (about three seconds of walking). Without it, each
 * never-matching rule costs its own MAX_RULE_STEPS, and a 20 MB feed of them (some 140,000
 * entries) would keep one sync busy for hours; a real calendar's series need a few dozen checks
 * each. Once it is spent, entries with a rule are left out, and the audit says why.
 */
export const MAX_CALENDAR_RULE_STEPS = 1_000_000;

export interface Context {
  /** What is left of {@link MAX_CALENDAR_RULE_STEPS}. */
  ruleStepsLeft: number;
  readonly window: ExpandWindow;
  readonly maxOccurrences: number;
  readonly floatingZone: string;
  readonly skipped: SkippedItem[];
}

/** Leaves out an entry that would walk recurrences once the calendar's {@link MAX_CALENDAR_RULE_STEPS} are spent. */
export function refuseWhenCalendarSpent(context: Context): void {
  if (context.ruleStepsLeft <= 0) {
    throw new SkipEvent('the recurrence rules of this calendar need too many steps in all; this entry and the next recurring ones are left out');
  }
}

/** What of ical.js's RecurIterator the bounds below reach (private in its typings). */
interface RuleIterator {
  last: Time;
  rule: ICAL.Recur;
  by_data: Readonly<Record<string, readonly unknown[] | undefined>>;
  check_contracting_rules(): boolean;
  increment_monthday(days: number): void;
  next_month(): number;
}

/**
 * Days walked one at a time that cost as much as one rule check: ical.js moves a DAILY or WEEKLY
 * rule (and the day part of an hourly one) a day per pass of a loop, ~0.3 µs a day against ~2 µs
 * a check.
 */
const DAYS_PER_STEP = 8;
/**
 * Days listed by a YEARLY rule's expansion of a year (ical-yearly.ts) that cost as much as one rule
 * check: ~0.8 µs a day against 1.5–2 µs a check (bench/README.md, "YEARLY rules").
 */
const LISTED_DAYS_PER_STEP = 2;
/**
 * Days a YEARLY rule of one entry may list in all (~0.15 s): room for 400 years of a rule with
 * every day of the week in BYDAY, the longest search for its first year (ical-yearly.ts), or the
 * walk from 1754 to now of such a rule.
 */
const MAX_LISTED_DAYS = 200_000;

/**
 * Rule checks that one check of a day against a weekday costs in a MONTHLY rule of BYSETPOS
 * ({@link chargeSetPositions}): 2.5–5 µs against ~2 µs a check.
 */
const STEPS_PER_MONTH_CHECK = 2;

const TOO_MANY_STEPS = 'the recurrence rule needs too many steps to reach the window (it may never match)';

/** What one entry's walk has spent, charged to the calendar's budget as it goes. */
export class Walk {
  private steps = 0;
  private listedDays = 0;

  constructor(
    private readonly context: Context,
    private readonly maxSteps = MAX_RULE_STEPS,
  ) {}

  /** One check of the rule's BY parts. */
  chargeStep(): void {
    this.context.ruleStepsLeft -= 1;
    if (++this.steps > this.maxSteps || this.context.ruleStepsLeft < 0) throw new SkipEvent(TOO_MANY_STEPS);
  }

  /** Days of a year a YEARLY rule lists, charged before ical.js lists them. */
  chargeDays(days: number): void {
    this.charge(days, days / LISTED_DAYS_PER_STEP);
  }

  /** Days of a month a MONTHLY rule of BYSETPOS checks against its weekdays, charged before. */
  chargeMonthChecks(checks: number): void {
    this.charge(checks, checks * STEPS_PER_MONTH_CHECK);
  }

  private charge(days: number, steps: number): void {
    this.listedDays += days;
    this.context.ruleStepsLeft -= steps;
    if (this.listedDays > MAX_LISTED_DAYS || this.context.ruleStepsLeft < 0) throw new SkipEvent(TOO_MANY_STEPS);
  }
}

export function boundRuleSteps(expansion: ICAL.RecurExpansion, context: Context, walk: Walk): void {
  // `ruleIterators` is private in the typings; it holds one RecurIterator per RRULE.
  const iterators = (expansion as unknown as { ruleIterators?: RuleIterator[] }).ruleIterators ?? [];
  if (iterators.length > 0) refuseWhenCalendarSpent(context);
  for (const iterator of iterators) boundIterator(iterator, context, walk);
}

/** Rule checks the search for a rule's first occurrence may spend (keepStart, ical-rules.ts). */
const MAX_FIRST_STEPS = 2_000;

/**
 * The first occurrence of a rule walked from DTSTART (null when it has none), or `unknown` when it
 * is not found within {@link MAX_FIRST_STEPS} (charged to the calendar too): the walk of the series
 * then judges the rule as before. A rule ical.js refuses throws here as it would in that walk.
 */
export function firstFromStart(rule: ICAL.Recur, start: Time, context: Context): Time | null | 'unknown' {
  try {
    const iterator = rule.iterator(start) as unknown as RuleIterator & { next(): Time | null };
    boundIterator(iterator, context, new Walk(context, MAX_FIRST_STEPS));
    return iterator.next();
  } catch (error) {
    if (error instanceof SkipEvent) return 'unknown';
    throw error;
  }
}

/**
 * Charges each check of an ical.js rule to `walk`, and bounds its steps of INTERVAL days; a rule of
 * ical-setpos.ts charges its own intervals.
 */
function boundIterator(iterator: RuleIterator, context: Context, walk: Walk): void {
  if (!((iterator as unknown) instanceof ICAL.RecurIterator)) return;
  // The window's last day, with two days for the zones a rule's wall time may be in.
  const lastDay = Math.floor(context.window.to / 86_400_000) + 2;
  const check = iterator.check_contracting_rules.bind(iterator);
  iterator.check_contracting_rules = () => {
    walk.chargeStep();
    return check();
  };
  // A step of INTERVAL days is INTERVAL passes of ical.js's loop: "every 100,000,000 days" held a
  // sync for minutes on one step. The walk only moves forward, so a step that lands past the
  // window may stop just past it: nothing after that is kept, and the rule still steps on. A
  // weekly step stays whole weeks, which ical.js's weekdays are counted from.
  const increment = iterator.increment_monthday.bind(iterator);
  iterator.increment_monthday = (days: number) => {
    const { year, month, day } = iterator.last;
    const room = lastDay - Math.floor(utcMillis(year, month, day) / 86_400_000);
    const unit = days % 7 === 0 ? 7 : 1;
    const walked = Math.max(unit, Math.min(days, Math.ceil((room + 1) / unit) * unit));
    context.ruleStepsLeft -= walked / DAYS_PER_STEP;
    increment(walked);
  };
  chargeSetPositions(iterator, walk);
}

/**
 * Charges each month a MONTHLY rule of BYDAY and BYSETPOS walks: ical.js checks each day of the
 * month against each weekday of BYDAY, twice, for each pass (one rule check), and walks a month in
 * one or two passes: ~0.7 ms a month for MO,…,FR. "The last weekday of the month" with a COUNT,
 * walked from DTSTART, cost 14 s from 1800 before its 20,000 checks were spent; a BYSETPOS that
 * no month reaches, 0.3–0.5 s an entry before ical.js gave up, against 336 checks of the calendar's
 * budget. A pass is charged 31 checks a weekday to the entry (which may walk some 55 years of
 * months, as a COUNT makes it do from DTSTART), twice that to the calendar.
 */
function chargeSetPositions(iterator: RuleIterator, walk: Walk): void {
  const weekdays = iterator.by_data.BYDAY?.length ?? 0;
  if (iterator.rule.freq !== 'MONTHLY' || !iterator.by_data.BYSETPOS || weekdays === 0) return;
  const nextMonth = iterator.next_month.bind(iterator);
  iterator.next_month = () => {
    walk.chargeMonthChecks(31 * weekdays);
    return nextMonth();
  };
}
