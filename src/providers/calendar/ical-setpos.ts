/**
 * The recurrence sets of RFC 5545 §3.3.10, computed here for the rules ical.js misreads: BYSETPOS
 * in any form but a MONTHLY rule of BYDAY without BYMONTH or a YEARLY one of BYDAY and a single
 * BYMONTH (elsewhere ical.js gives every day the other parts name: kewisch/ical.js#1039 for
 * WEEKLY, #960 for MONTHLY of BYMONTHDAY, and DAILY of BYHOUR, YEARLY of several months alike). Each interval of the rule
 * (a day, a week from WKST, a month, a year) is expanded by its BYxxx parts into a sorted set, and
 * BYSETPOS picks within that set, as the RFC says; the rules ical.js reads right still go through
 * ical.js. The same sets say up front whether a rule can ever match (the 30th of February): the
 * Gregorian calendar repeats every 400 years, so a rule whose intervals over one such cycle are all
 * empty never matches.
 *
 * Days are counted in the proleptic Gregorian calendar (ical.js counts Julian leap years up to
 * 1752; no call of ours lies there).
 */
import ICAL from 'ical.js';

type Time = ICAL.Time;
type Parts = Readonly<Record<string, readonly unknown[] | undefined>>;

const DAY_MS = 86_400_000;
/** Weekday codes by our index: 0 is Monday. */
const WEEKDAYS = ['MO', 'TU', 'WE', 'TH', 'FR', 'SA', 'SU'] as const;
/** Days, weeks, months and years of one 400-year Gregorian cycle. */
const CYCLE = { DAILY: 146_097, WEEKLY: 20_871, MONTHLY: 4_800, YEARLY: 400 } as const;
type Freq = keyof typeof CYCLE;

/** One BYDAY value: a weekday (0 = Monday) and its ordinal within the month or year, if any. */
interface WeekdayPart {
  readonly day: number;
  readonly nth: number | null;
}

/** A rule's parts, read once. */
export interface SetRule {
  readonly freq: Freq;
  readonly interval: number;
  readonly months: readonly number[] | null;
  readonly monthDays: readonly number[] | null;
  readonly yearDays: readonly number[] | null;
  readonly weekdays: readonly WeekdayPart[] | null;
  readonly positions: readonly number[] | null;
  /** Seconds into the day, sorted. */
  readonly times: readonly number[];
  /** The weekday a week begins on (0 = Monday). */
  readonly weekStart: number;
}

const FREQS: ReadonlySet<string> = new Set(Object.keys(CYCLE));

/**
 * Whether ical.js applies this rule's BYSETPOS as RFC 5545 does: only in a MONTHLY rule of BYDAY
 * without BYMONTH, or a YEARLY one of BYDAY and one BYMONTH, with neither BYMONTHDAY, BYYEARDAY
 * nor BYWEEKNO and at most one time of day (it counts days only). With BYMONTH, a MONTHLY rule of
 * BYSETPOS came out of ical.js in months its INTERVAL never visits, or without the months it does
 * (`FREQ=MONTHLY;INTERVAL=2;BYMONTH=7,12;BYDAY=TH,SA,WE,SU,MO;BYSETPOS=3` from December gave six
 * occurrences a year, python-dateutil three), 7 of 400 random rules compared with dateutil.
 */
export function icalReadsSetPositions(rule: ICAL.Recur): boolean {
  const parts = rule.parts as Parts;
  const several = (name: string): boolean => (parts[name]?.length ?? 0) > 1;
  return (
    (parts.BYDAY?.length ?? 0) > 0 &&
    !['BYMONTHDAY', 'BYYEARDAY', 'BYWEEKNO'].some((name) => parts[name]) &&
    !['BYHOUR', 'BYMINUTE', 'BYSECOND'].some(several) &&
    ((rule.freq === 'MONTHLY' && !parts.BYMONTH) || (rule.freq === 'YEARLY' && parts.BYMONTH?.length === 1))
  );
}

/**
 * The rule as this module reads it, or why it cannot: FREQ of a day or longer, no BYWEEKNO, and
 * the parts RFC 5545 allows for its FREQ (BYYEARDAY only in YEARLY, BYMONTHDAY not in WEEKLY,
 * BYDAY ordinals only in MONTHLY and YEARLY).
 */
export function readSetRule(rule: ICAL.Recur, start: Time): SetRule | string {
  const parts = rule.parts as Parts;
  if (!FREQS.has(rule.freq)) return `FREQ=${rule.freq}`;
  const freq = rule.freq as Freq;
  if (parts.BYWEEKNO) return 'BYWEEKNO';
  if (parts.BYYEARDAY && freq !== 'YEARLY') return `BYYEARDAY in a ${freq} rule`;
  if (parts.BYMONTHDAY && freq === 'WEEKLY') return 'BYMONTHDAY in a WEEKLY rule';
  const numbers = (name: string): number[] | null => (parts[name] ? parts[name].map(Number) : null);
  const weekdays = parts.BYDAY?.map((value) => {
    const match = /^([+-]?\d{1,2})?(MO|TU|WE|TH|FR|SA|SU)$/.exec(String(value));
    return match ? { day: WEEKDAYS.indexOf(match[2] as (typeof WEEKDAYS)[number]), nth: match[1] ? Number(match[1]) : null } : null;
  });
  if (weekdays?.some((part) => part === null)) return 'a BYDAY value it cannot read';
  if (weekdays?.some((part) => part?.nth !== null) && (freq === 'DAILY' || freq === 'WEEKLY')) return `a BYDAY with a position in a ${freq} rule`;
  const clock = (name: string, own: number): number[] => numbers(name) ?? [own];
  const times = start.isDate
    ? [0]
    : clock('BYHOUR', start.hour).flatMap((h) => clock('BYMINUTE', start.minute).flatMap((m) => clock('BYSECOND', start.second).map((s) => h * 3600 + m * 60 + s)));
  // ical.js numbers weekdays from Sunday (1) to Saturday (7).
  const weekStart = ((rule.wkst ?? ICAL.Time.MONDAY) + 5) % 7;
  return {
    freq,
    interval: Math.max(1, rule.interval || 1),
    months: numbers('BYMONTH'),
    monthDays: numbers('BYMONTHDAY'),
    yearDays: numbers('BYYEARDAY'),
    weekdays: (weekdays as WeekdayPart[] | undefined) ?? null,
    positions: numbers('BYSETPOS'),
    times: [...new Set(times)].sort((a, b) => a - b),
    weekStart,
  };
}

/** Days since 1970-01-01 of a civil date, proleptic Gregorian. */
function dayNumber(year: number, month: number, day: number): number {
  const date = new Date(0);
  date.setUTCFullYear(year, month - 1, day);
  return Math.floor(date.getTime() / DAY_MS);
}

function civil(dayNo: number): { year: number; month: number; day: number } {
  const date = new Date(dayNo * DAY_MS);
  return { year: date.getUTCFullYear(), month: date.getUTCMonth() + 1, day: date.getUTCDate() };
}

/** 0 is Monday: 1970-01-01 was a Thursday. */
const weekdayOf = (dayNo: number): number => (((dayNo + 3) % 7) + 7) % 7;

/** Whether `index` (1-based) of `count` matches a position written positive or negative. */
const atPosition = (written: number, index: number, count: number): boolean => written === index || written === index - count - 1;

/**
 * The first day of interval `n` (0 for the interval holding the start), counted in days since 1970,
 * and the number of days it spans.
 */
export function intervalDays(rule: SetRule, startDay: number, n: number): { first: number; days: number } {
  const step = n * rule.interval;
  const { year, month } = civil(startDay);
  switch (rule.freq) {
    case 'DAILY':
      return { first: startDay + step, days: 1 };
    case 'WEEKLY': {
      const weekFirst = startDay - ((weekdayOf(startDay) - rule.weekStart + 7) % 7);
      return { first: weekFirst + 7 * step, days: 7 };
    }
    case 'MONTHLY': {
      const months = year * 12 + month - 1 + step;
      const y = Math.floor(months / 12);
      const m = months - y * 12 + 1;
      const first = dayNumber(y, m, 1);
      return { first, days: dayNumber(y, m + 1, 1) - first };
    }
    case 'YEARLY': {
      const first = dayNumber(year + step, 1, 1);
      return { first, days: dayNumber(year + step + 1, 1, 1) - first };
    }
  }
}

/**
 * The days of one interval that the rule's BYxxx parts give, in order (RFC 5545 §3.3.10's table:
 * BYMONTH limits below YEARLY and expands in it; BYYEARDAY and BYMONTHDAY expand; BYDAY expands,
 * or limits beside BYYEARDAY or BYMONTHDAY, its ordinal counted in the month of a MONTHLY rule or
 * of a YEARLY one with BYMONTH, in the year otherwise). Without any of them, the start's day,
 * weekday or date recurs.
 */
export function daysOf(rule: SetRule, first: number, count: number, start: { day: number; month: number; weekday: number }): number[] {
  const named = rule.monthDays || rule.yearDays || rule.weekdays;
  const inMonthOrdinals = rule.freq === 'MONTHLY' || rule.months !== null;
  const kept: number[] = [];
  let { year, month, day } = civil(first);
  let monthFirst = first - day + 1;
  let yearFirst = dayNumber(year, 1, 1);
  for (let dayNo = first; dayNo < first + count; dayNo++, day++) {
    if (day > monthLength(year, month)) {
      [day, month, monthFirst] = [1, month + 1, dayNo];
      if (month > 12) [month, year, yearFirst] = [1, year + 1, dayNo];
    }
    if (rule.months && !rule.months.includes(month)) continue;
    const weekday = weekdayOf(dayNo);
    if (!named) {
      if (rule.freq === 'WEEKLY' ? weekday !== start.weekday : rule.freq !== 'DAILY' && day !== start.day) continue;
      if (rule.freq === 'YEARLY' && !rule.months && month !== start.month) continue;
      kept.push(dayNo);
      continue;
    }
    const length = monthLength(year, month);
    if (rule.monthDays && !rule.monthDays.some((d) => atPosition(d, day, length))) continue;
    const yearLength = isLeap(year) ? 366 : 365;
    if (rule.yearDays && !rule.yearDays.some((d) => atPosition(d, dayNo - yearFirst + 1, yearLength))) continue;
    const [spanFirst, spanLength] = inMonthOrdinals ? [monthFirst, length] : [yearFirst, yearLength];
    if (rule.weekdays && !rule.weekdays.some((part) => part.day === weekday && (part.nth === null || nthMatches(part.nth, dayNo, spanFirst, spanLength)))) continue;
    kept.push(dayNo);
  }
  return kept;
}

const isLeap = (year: number): boolean => (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
const MONTH_LENGTHS = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31] as const;
function monthLength(year: number, month: number): number {
  return month === 2 && isLeap(year) ? 29 : (MONTH_LENGTHS[month - 1] ?? 31);
}

/** Whether `dayNo` is the `nth` of its weekday in the span of `length` days from `spanFirst`. */
function nthMatches(nth: number, dayNo: number, spanFirst: number, length: number): boolean {
  const index = Math.floor((dayNo - spanFirst) / 7) + 1;
  const total = Math.floor((spanFirst + length - 1 - dayNo) / 7) + index;
  return atPosition(nth, index, total);
}

/**
 * The instants of one interval (days since 1970 and seconds into the day, as milliseconds of wall
 * time), after BYSETPOS picked among them: a position past either end picks nothing.
 */
export function intervalSet(rule: SetRule, days: readonly number[]): number[] {
  const all = days.flatMap((dayNo) => rule.times.map((seconds) => dayNo * DAY_MS + seconds * 1000));
  if (!rule.positions) return all;
  const picked = new Set<number>();
  for (const position of rule.positions) {
    const index = position > 0 ? position - 1 : all.length + position;
    const at = all[index];
    if (at !== undefined) picked.add(at);
  }
  return [...picked].sort((a, b) => a - b);
}

/** The start as the fields {@link daysOf} compares, and its day number. */
export function startFields(start: Time): { dayNo: number; day: number; month: number; weekday: number } {
  const dayNo = dayNumber(start.year, start.month, start.day);
  return { dayNo, day: start.day, month: start.month, weekday: weekdayOf(dayNo) };
}

/**
 * Intervals of the years 2001–2028, where every kind of day, week, month and year of the Gregorian
 * calendar occurs (all 14 kinds of year: 7 weekdays for 1 January, leap or not): a rule of INTERVAL
 * 1 whose intervals there are all empty is empty in every interval.
 */
const REFERENCE = { first: Date.UTC(2001, 0, 1) / DAY_MS, intervals: { DAILY: 10_227, WEEKLY: 1_462, MONTHLY: 336, YEARLY: 28 } } as const;

/**
 * Whether no interval the rule visits holds an instant. A rule of INTERVAL 1 is checked on the
 * reference years above (10,000 days at most); a longer INTERVAL visits only some intervals, so
 * those it visits from its start over one 400-year cycle are checked. The search stops at the first
 * interval that is not empty, usually the first.
 */
export function neverMatches(rule: SetRule, start: Time): boolean {
  const fields = startFields(start);
  const [from, visits] = rule.interval === 1 ? [REFERENCE.first, REFERENCE.intervals[rule.freq]] : [fields.dayNo, CYCLE[rule.freq] / gcd(rule.interval, CYCLE[rule.freq])];
  for (let n = 0; n < visits; n++) {
    const { first, days } = intervalDays(rule, from, n);
    if (intervalSet(rule, daysOf(rule, first, days, fields)).length > 0) return false;
  }
  return true;
}

function gcd(a: number, b: number): number {
  return b === 0 ? a : gcd(b, a % b);
}

/**
 * ical.js's RecurIterator, as its RecurExpansion uses one (`last`, `completed`, `next()`), over the
 * sets above. Like ical.js, it gives DTSTART first and counts it in COUNT (RFC 5545: "The DTSTART
 * property value always counts as the first occurrence"); the instants of the rule follow it.
 * Each interval's days are charged before they are expanded.
 */
export class SetPositionIterator {
  last: Time;
  completed = false;
  private readonly fields: ReturnType<typeof startFields>;
  private readonly startWall: number;
  private given = 0;
  private interval = 0;
  private queue: number[] = [];

  constructor(
    readonly rule: ICAL.Recur,
    private readonly set: SetRule,
    private readonly start: Time,
    private readonly charge: (days: number) => void,
  ) {
    this.last = start.clone();
    this.fields = startFields(start);
    this.startWall = this.fields.dayNo * DAY_MS + (start.isDate ? 0 : (start.hour * 3600 + start.minute * 60 + start.second) * 1000);
  }

  next(): Time | null {
    if (this.completed) return null;
    const next = this.given === 0 ? this.start.clone() : this.timeOf(this.nextInstant());
    if ((this.rule.count && this.given >= this.rule.count) || (this.rule.until && next.compare(this.rule.until) > 0)) {
      this.completed = true;
      return null;
    }
    this.given++;
    this.last = next;
    return next;
  }

  private nextInstant(): number {
    while (this.queue.length === 0) {
      const { first, days } = intervalDays(this.set, this.fields.dayNo, this.interval++);
      this.charge(days);
      this.queue = intervalSet(this.set, daysOf(this.set, first, days, this.fields)).filter((t) => t > this.startWall);
    }
    return this.queue.shift() as number;
  }

  private timeOf(wall: number): Time {
    const date = new Date(wall);
    const fields = { year: date.getUTCFullYear(), month: date.getUTCMonth() + 1, day: date.getUTCDate(), hour: date.getUTCHours(), minute: date.getUTCMinutes(), second: date.getUTCSeconds(), isDate: this.start.isDate };
    return new ICAL.Time(fields, this.start.zone as never);
  }
}

/**
 * Makes each rule of BYSETPOS that ical.js would read at the wrong days build the iterator above;
 * ical.js builds one per rule when the entry's expansion starts, from the start it is given.
 * settleRules (ical-rules.ts) has left out the rules that {@link readSetRule} cannot read.
 */
export function expandOwnSetPositions(rules: readonly unknown[], charge: (days: number) => void): void {
  for (const rule of rules) {
    if (!(rule instanceof ICAL.Recur) || !(rule.parts as Parts).BYSETPOS || icalReadsSetPositions(rule)) continue;
    rule.iterator = (start: Time) => {
      const set = readSetRule(rule, start);
      if (typeof set === 'string') throw new Error(`unread BYSETPOS rule (${set})`);
      return new SetPositionIterator(rule, set, start, charge) as unknown as ICAL.RecurIterator;
    };
  }
}
