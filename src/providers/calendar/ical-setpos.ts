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
/** The most days one interval of each FREQ spans. */
const LONGEST_DAYS = { DAILY: 1, WEEKLY: 7, MONTHLY: 31, YEARLY: 366 } as const;

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
  /** BYWEEKNO: weeks of the year, from WKST, week 1 the first holding four days of the year. */
  readonly weekNumbers: readonly number[] | null;
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
 * The rule as this module reads it, or why it cannot: FREQ of a day or longer, and the parts RFC
 * 5545 allows for its FREQ (BYYEARDAY only in YEARLY, BYMONTHDAY not in WEEKLY, BYDAY ordinals
 * only in MONTHLY and YEARLY, BYWEEKNO only in YEARLY). BYWEEKNO is read beside BYDAY of weekdays
 * alone: beside BYMONTH, BYMONTHDAY, BYYEARDAY or a BYDAY of a position, the readers that try
 * disagree on what it means (ical-org/ical.net#729 and #791 argue both ways; #776 for a position).
 */
export function readSetRule(rule: ICAL.Recur, start: Time): SetRule | string {
  const parts = rule.parts as Parts;
  if (!FREQS.has(rule.freq)) return `FREQ=${rule.freq}`;
  const freq = rule.freq as Freq;
  if (parts.BYWEEKNO) {
    if (freq !== 'YEARLY') return `BYWEEKNO in a ${freq} rule`;
    const beside = ['BYMONTH', 'BYMONTHDAY', 'BYYEARDAY'].find((name) => parts[name]);
    if (beside) return `BYWEEKNO with ${beside}`;
    if (parts.BYDAY?.some((value) => /\d/.test(String(value)))) return 'BYWEEKNO with a BYDAY of a position';
  }
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
    weekNumbers: numbers('BYWEEKNO'),
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
  const named = rule.monthDays || rule.yearDays || rule.weekdays || rule.weekNumbers;
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
    if (rule.weekNumbers) {
      const { week, weeks } = weekNumberOf(dayNo, rule.weekStart);
      if (!rule.weekNumbers.some((n) => atPosition(n, week, weeks))) continue;
      // Without BYDAY, the start's weekday in that week (libical/libical#455: the day of the week
      // is what DTSTART gives a rule of weeks, not its day of the month).
      if (!rule.weekdays && weekday !== start.weekday) continue;
    }
    const [spanFirst, spanLength] = inMonthOrdinals ? [monthFirst, length] : [yearFirst, yearLength];
    if (rule.weekdays && !rule.weekdays.some((part) => part.day === weekday && (part.nth === null || nthMatches(part.nth, dayNo, spanFirst, spanLength)))) continue;
    kept.push(dayNo);
  }
  return kept;
}

/**
 * The week of the year a day falls in, and how many weeks that year has: weeks begin on
 * `weekStart`, and week 1 is the first holding at least four days of the year, the week of
 * 4 January (RFC 5545 §3.3.10, BYWEEKNO). A day of late December may be in week 1 of the next
 * year, one of early January in the last week of the year before.
 */
export function weekNumberOf(dayNo: number, weekStart: number): { week: number; weeks: number } {
  const weekOf = (d: number): number => d - ((weekdayOf(d) - weekStart + 7) % 7);
  const first = weekOf(dayNo);
  // The year holding four days of this week holds its fourth day.
  const year = civil(first + 3).year;
  const week1 = weekOf(dayNumber(year, 1, 4));
  return { week: (first - week1) / 7 + 1, weeks: (weekOf(dayNumber(year + 1, 1, 4)) - week1) / 7 };
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
 *
 * A rule without COUNT begins its walk at the intervals ending after `walkFrom` (a day number): an
 * interval's set depends on the interval and DTSTART alone, so the ones before give nothing that is
 * kept, and each costs a day's check per day (a yearly birthday from 1952 listed 27,000 days to
 * reach 2026, and 64 of them spent a calendar's budget of rule steps). With COUNT, each instant
 * before counts, and the walk begins at DTSTART.
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
    walkFrom: number | null = null,
  ) {
    this.last = start.clone();
    this.fields = startFields(start);
    this.startWall = this.fields.dayNo * DAY_MS + (start.isDate ? 0 : (start.hour * 3600 + start.minute * 60 + start.second) * 1000);
    // Interval n begins at most n * INTERVAL * (its longest span) days after the start, so the ones
    // before this index all end before `walkFrom`.
    if (walkFrom !== null && !rule.count) this.interval = Math.max(0, Math.floor((walkFrom - this.fields.dayNo) / (set.interval * LONGEST_DAYS[set.freq])));
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
 * Whether a rule is read here rather than by ical.js: a BYSETPOS that ical.js misreads
 * ({@link icalReadsSetPositions}); BYWEEKNO, which ical.js 2.2 read as every week but the ones
 * named (`FREQ=YEARLY;BYWEEKNO=1;BYDAY=MO` gave every Monday outside week 1); and a YEARLY rule of
 * BYMONTH with a day of the month past the 28th, which ical.js rolled over into the next month
 * where a month lacks it ("30 February" read as 1 March; kewisch/ical.js#117 and #531 fixed this
 * for BYMONTHDAY=-1 and for MONTHLY rules only) and RFC 5545 §3.3.10 ignores it.
 */
export function readHere(rule: ICAL.Recur): boolean {
  const parts = rule.parts as Parts;
  if (parts.BYSETPOS) return !icalReadsSetPositions(rule);
  if (parts.BYWEEKNO) return true;
  return rule.freq === 'YEARLY' && parts.BYMONTH !== undefined && !parts.BYYEARDAY && (parts.BYMONTHDAY ?? []).some((day) => Math.abs(Number(day)) > 28);
}

/**
 * Makes each rule {@link readHere} build the iterator above; ical.js builds one per rule when the
 * entry's expansion starts, from the start it is given. settleRules (ical-rules.ts) has left out
 * the rules that {@link readSetRule} cannot read. `before` is the first instant an occurrence kept
 * may start at (the window's start less the entry's length).
 */
export function expandOwnRules(rules: readonly unknown[], charge: (days: number) => void, before: number): void {
  // Two days of margin: the rule's days are wall days in the entry's zone.
  const walkFrom = Math.floor(before / DAY_MS) - 2;
  for (const rule of rules) {
    if (!(rule instanceof ICAL.Recur) || !readHere(rule)) continue;
    rule.iterator = (start: Time) => {
      const set = readSetRule(rule, start);
      if (typeof set === 'string') throw new Error(`unread rule (${set})`);
      return new SetPositionIterator(rule, set, start, charge, walkFrom) as unknown as ICAL.RecurIterator;
    };
  }
}
