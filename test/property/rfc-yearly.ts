/**
 * RFC 5545 §3.3.10 as a reference for the YEARLY rules ical.js misreads (ical-setpos.ts, readHere):
 * each day of each year the rule visits is checked against its BY parts one by one, with no
 * shortcut, so that the reader under test and this one share no code. It reads BYMONTH,
 * BYMONTHDAY (negative too), BYWEEKNO with WKST, BYDAY of weekdays alone, INTERVAL, COUNT and UNTIL;
 * DTSTART is the first instance and counts in COUNT ("The DTSTART property value always counts as
 * the first occurrence"). What the rule leaves out is taken from DTSTART: the day of the month
 * under BYMONTH alone, the month under BYMONTHDAY alone (as ical.js reads it), the weekday under
 * BYWEEKNO alone (libical/libical#455).
 */
const DAY = 86_400_000;
const CODES = ['MO', 'TU', 'WE', 'TH', 'FR', 'SA', 'SU'];

/** 0 is Monday. */
const weekdayOf = (t: number): number => (new Date(t).getUTCDay() + 6) % 7;
const monthLength = (year: number, month: number): number => new Date(Date.UTC(year, month, 0)).getUTCDate();

/** The first day of week 1 of `year`: the week, begun on `weekStart`, that holds 4 January. */
function week1(year: number, weekStart: number): number {
  const jan4 = Date.UTC(year, 0, 4);
  return jan4 - ((weekdayOf(jan4) - weekStart + 7) % 7) * DAY;
}

/** Whether day `t` is in week `n` (negative: from the end) of the year its week belongs to. */
function inWeek(t: number, n: number, weekStart: number): boolean {
  const year = new Date(t).getUTCFullYear();
  // The week-year is the last of the year before, this one and the next whose week 1 has begun.
  const weekYear = [year + 1, year, year - 1].find((y) => week1(y, weekStart) <= t) ?? year - 1;
  const first = week1(weekYear, weekStart);
  const week = Math.floor((t - first) / (7 * DAY)) + 1;
  const weeks = Math.round((week1(weekYear + 1, weekStart) - first) / (7 * DAY));
  return n > 0 ? week === n : week === weeks + n + 1;
}

const UTC = /^(\d{4})(\d\d)(\d\d)T(\d\d)(\d\d)(\d\d)Z$/;

function parseUtc(value: string): number {
  const [y, mo, d, h, mi, s] = (UTC.exec(value) ?? []).slice(1).map(Number);
  const t = Date.UTC(y ?? NaN, (mo ?? NaN) - 1, d ?? NaN, h ?? NaN, mi ?? NaN, s ?? NaN);
  if (Number.isNaN(t)) throw new Error(`not a UTC time: ${value}`);
  return t;
}

/** The starts of the occurrences of a UTC series that overlap `range`, each an hour long. */
export function rfcYearlyStarts(dtstart: string, rrule: string, range: { from: number; to: number }): number[] {
  const parts = new Map(rrule.split(';').map((part) => part.split('=') as [string, string]));
  if (parts.get('FREQ') !== 'YEARLY') throw new Error(`not a YEARLY rule: ${rrule}`);
  const list = (name: string): number[] | null => (parts.has(name) ? (parts.get(name) ?? '').split(',').map(Number) : null);
  const interval = Number(parts.get('INTERVAL') ?? 1);
  const count = parts.has('COUNT') ? Number(parts.get('COUNT')) : Infinity;
  const until = parts.has('UNTIL') ? parseUtc(parts.get('UNTIL') ?? '') : Infinity;
  const months = list('BYMONTH');
  const monthDays = list('BYMONTHDAY');
  const weekNumbers = list('BYWEEKNO');
  const weekdays = parts.has('BYDAY') ? (parts.get('BYDAY') ?? '').split(',').map((code) => CODES.indexOf(code)) : null;
  if (weekdays?.includes(-1)) throw new Error(`a BYDAY of a position: ${rrule}`);
  const weekStart = CODES.indexOf(parts.get('WKST') ?? 'MO');
  const start = parseUtc(dtstart);
  const first = new Date(start);
  const timeOfDay = ((start % DAY) + DAY) % DAY;
  const found = [start];
  const lastYear = new Date(range.to).getUTCFullYear() + 1;
  for (let year = first.getUTCFullYear(); year <= lastYear && found.length < count; year += interval) {
    for (let t = Date.UTC(year, 0, 1); t < Date.UTC(year + 1, 0, 1) && found.length < count; t += DAY) {
      const date = new Date(t);
      const [month, day, weekday] = [date.getUTCMonth() + 1, date.getUTCDate(), weekdayOf(t)];
      if (months && !months.includes(month)) continue;
      if (weekNumbers && !weekNumbers.some((n) => inWeek(t, n, weekStart))) continue;
      if (monthDays && !monthDays.some((n) => (n > 0 ? day === n : day === monthLength(year, month) + n + 1))) continue;
      if (weekdays && !weekdays.includes(weekday)) continue;
      if (weekNumbers && !weekdays && weekday !== weekdayOf(start)) continue;
      if (!weekNumbers && !monthDays && !weekdays && day !== first.getUTCDate()) continue;
      if (!weekNumbers && !months && !weekdays && month !== first.getUTCMonth() + 1) continue;
      const at = t + timeOfDay;
      if (at <= start) continue;
      if (at > until) return found.filter((s) => s < range.to && s + 3_600_000 > range.from);
      found.push(at);
    }
  }
  return found.filter((s) => s < range.to && s + 3_600_000 > range.from);
}
