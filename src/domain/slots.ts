/**
 * Free times to propose for a call (the apology and the reschedule offer list them).
 *
 * A slot lies inside working hours on a working day in the candidate's zone, starts on a grid of
 * `stepMinutes` counted from local midnight, and keeps `bufferMinutes` free of busy time on both
 * sides (the buffers may reach outside working hours: a 09:00 call only needs 08:30–09:00 to be
 * free, not to be working time). Slots are spread out: every day with room gets one before any
 * day gets a second. When nothing fits the answer is `[]`, and the email says so; a slot is never
 * invented.
 *
 * When the recipient's zone is known, a slot must also lie within 08:00–18:00 of a working day
 * there (working-week.ts): three slots at 9:00 AM for a New York candidate are 6:00 AM for a
 * recruiter in California, and a Friday afternoon in New York is Saturday morning in Auckland
 * (Friday in Riyadh or Tel Aviv, whose weekend is Friday and Saturday). With
 * `spreadTimesOfDay`, each pick prefers a time of day (morning, midday, afternoon) not offered
 * yet, so that someone whose mornings are full still finds one that works.
 */
import { localDay, offsetAt } from './format.js';
import { mergeIntervals, type Interval } from './intervals.js';
import { zonesOnOffset } from './offset-places.js';
import { addDaysIn, atLocalTime, isValidZone, minuteOfDayIn, minutes, parseClock, startOfDayIn, weekdayIn } from './time.js';
import type { Millis, Slot, StatedOffset } from './types.js';
import { restDaysOf } from './working-week.js';

/** When calls may be proposed, as the config's `workingHours` gives it. */
export interface WorkingHours {
  /** ISO weekdays, 1 = Monday … 7 = Sunday. */
  readonly days: readonly number[];
  /** 'HH:MM' in the candidate's zone. */
  readonly start: string;
  readonly end: string;
}

export interface SlotQuery {
  readonly busy: readonly { start: Millis; end: Millis }[];
  /** Search window, e.g. now .. end of next week. Slots start at or after `from` and end by `to`. */
  readonly from: Millis;
  readonly to: Millis;
  /** The interview's length; less than 15 counts as 15. */
  readonly durationMinutes: number;
  /** Free time required on both sides of a slot. */
  readonly bufferMinutes: number;
  readonly workingHours: WorkingHours;
  /** The candidate's IANA zone; working hours and the grid are read in it. */
  readonly timeZone: string;
  /** How many slots to return at most; usually 3. */
  readonly count: number;
  /** Candidate start times lie on this grid from local midnight. @defaultValue 30 */
  readonly stepMinutes?: number;
  /** The recipient's IANA zone when known: slots also fall within 08:00–18:00 of a working day there. @defaultValue null */
  readonly recipientZone?: string | null;
  /**
   * When their zone is not known, the offset their invitation stated for the call (a bare "(GMT+5:30)"):
   * slots fall within 08:00–18:00 of a working day in every place on that offset at that instant,
   * on the clock each keeps on the slot's day ({@link placesOnOffset}). @defaultValue null
   */
  readonly recipientOffset?: StatedOffset | null;
  /** Prefer a different time of day for each pick rather than each day's earliest. @defaultValue false */
  readonly spreadTimesOfDay?: boolean;
}

/** The recipient's day, in minutes after their midnight: what a careful candidate would propose. */
const RECIPIENT_OPEN = 8 * 60;
const RECIPIENT_CLOSE = 18 * 60;

const MIN_DURATION_MINUTES = 15;
const DEFAULT_STEP_MINUTES = 30;
/** The search never looks further than this many days, whatever `to` says. */
const MAX_DAYS = 62;
/** Keeps a hostile `count` from meaning anything but "all there are". */
const MAX_COUNT = 100;

function wholeMinutes(value: number | undefined, fallback: number, least: number): number {
  if (value === undefined || !Number.isFinite(value)) return fallback;
  return Math.max(least, Math.round(value));
}

/** Busy time widened by the buffer on both sides, sorted and merged. */
function blocked(busy: SlotQuery['busy'], buffer: Millis): Interval[] {
  return mergeIntervals(
    busy
      .filter((b) => Number.isFinite(b.start) && Number.isFinite(b.end))
      .map((b) => ({ start: Math.min(b.start, b.end) - buffer, end: Math.max(b.start, b.end) + buffer })),
  );
}

/** True when [start, end) overlaps no blocked interval (touching is fine). */
function isFree(blocks: readonly Interval[], start: Millis, end: Millis): boolean {
  // First block that ends after `start`, by binary search; it is the only one that can overlap first.
  let lo = 0;
  let hi = blocks.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if ((blocks[mid]?.end ?? Number.POSITIVE_INFINITY) <= start) lo = mid + 1;
    else hi = mid;
  }
  const candidate = blocks[lo];
  return candidate === undefined || candidate.start >= end;
}

/** The free slots of one working day, earliest first, on the grid. */
function freeSlotsOfDay(q: SlotQuery, day: Millis, blocks: readonly Interval[], length: Millis, step: number, places: readonly Place[] | null): Slot[] {
  const zone = q.timeZone;
  const firstMinute = parseClock(q.workingHours.start);
  const lastMinute = parseClock(q.workingHours.end);
  const open = atLocalTime(zone, day, q.workingHours.start);
  const close = atLocalTime(zone, day, q.workingHours.end);
  const slots: Slot[] = [];
  for (let m = Math.ceil(firstMinute / step) * step; m < lastMinute && m < 24 * 60; m += step) {
    const clock = `${String(Math.floor(m / 60)).padStart(2, '0')}:${String(m % 60).padStart(2, '0')}`;
    const start = atLocalTime(zone, day, clock);
    // A wall-clock time skipped by a DST change does not exist that day: not on the grid.
    if (minuteOfDayIn(zone, start) !== m) continue;
    const end = start + length;
    if (start < open || end > close || start < q.from || end > q.to) continue;
    if (places === null ? !suitsRecipient(q, start, end) : !places.every((place) => suitsPlace(place, start, end))) continue;
    if (isFree(blocks, start, end)) slots.push({ start, end });
  }
  return slots;
}

/**
 * Inside 08:00–18:00 of one working day in the recipient's zone, or true when that zone is
 * unknown. Their working days are not known, only where they are: the days that place rests on.
 */
function suitsRecipient(q: SlotQuery, start: Millis, end: Millis): boolean {
  const zone = q.recipientZone;
  if (zone === null || zone === undefined || !isValidZone(zone)) return true;
  if (restDaysOf(zone).includes(weekdayIn(zone, start))) return false;
  const from = minuteOfDayIn(zone, start);
  const to = minuteOfDayIn(zone, end);
  const until = to === 0 ? 24 * 60 : to;
  return from >= RECIPIENT_OPEN && until <= RECIPIENT_CLOSE && until > from;
}

/** Within 08:00–18:00 of one working day at that offset, whose weekend is `weekend`. */
function suitsClock(offset: number, weekend: readonly number[], start: Millis, end: Millis): boolean {
  const day = localDay(start, offset);
  // 1970-01-01 was a Thursday (ISO 4).
  if (weekend.includes((((day + 3) % 7) + 7) % 7 + 1)) return false;
  const from = Math.round((start + offset * 60_000 - day * DAY_MS) / 60_000);
  const until = Math.round((end + offset * 60_000 - day * DAY_MS) / 60_000);
  return from >= RECIPIENT_OPEN && until <= RECIPIENT_CLOSE && until > from;
}

const DAY_MS = 86_400_000;

/**
 * A place a recruiter on a stated offset may be in, as far as the times offered go: its weekend and
 * the offsets it keeps from the statement to the end of the search, each from the instant it
 * starts (one, or more when its clocks change in between).
 */
interface Place {
  readonly weekend: readonly number[];
  readonly clocks: readonly { readonly from: Millis; readonly offset: number }[];
}

function suitsPlace(place: Place, start: Millis, end: Millis): boolean {
  let offset = place.clocks[0]?.offset ?? 0;
  for (const clock of place.clocks) if (clock.from <= start) offset = clock.offset;
  return suitsClock(offset, place.weekend, start, end);
}

/**
 * Every place on the stated offset at its instant ({@link zonesOnOffset}), as few as read the clock
 * differently between the statement and `to`. "(GMT+3)" is Riyadh, whose weekend is Friday and
 * Saturday, and Moscow and Nairobi, whose weekend is Saturday and Sunday; "(GMT+1)" on the
 * Friday before Europe moves its clocks is 18:00 in Berlin the next Monday when it is 17:00 in
 * Lagos. A time offered must suit each: fewer are offered, none at night or on a weekend wherever
 * they are. Null for an offset no place has, or an impossible one: nothing is learned, as for no offset.
 */
function placesOnOffset(stated: StatedOffset, to: Millis): Place[] | null {
  const { at, offset } = stated;
  if (!Number.isFinite(to)) return null;
  const places = new Map<string, Place>();
  for (const zone of zonesOnOffset(stated)) {
    // A statement long before the search (an apology written days later) is read from where it starts.
    const first = Math.max(at, to - (MAX_DAYS + 1) * DAY_MS);
    const place = { weekend: restDaysOf(zone), clocks: clocksOf(zone, first, offsetAt(first, zone) ?? offset, to) };
    places.set(JSON.stringify(place), place);
  }
  return places.size === 0 ? null : [...places.values()];
}

/**
 * The offsets of the zone from `at` (where it is `offset`) to `to`, read a day apart and, where
 * two readings differ, the change found to the minute: clocks never change twice within a day.
 * At most 64 readings a zone: the search is at most 62 days, and is read from a day before it at most.
 */
function clocksOf(zone: string, at: Millis, offset: number, to: Millis): { from: Millis; offset: number }[] {
  const clocks = [{ from: at, offset }];
  let last = offset;
  for (let t = at; t < to; ) {
    const next = Math.min(to, t + DAY_MS);
    const now = offsetAt(next, zone);
    if (now !== null && now !== last) {
      clocks.push({ from: changeBetween(zone, t, next, last), offset: now });
      last = now;
    }
    t = next;
  }
  return clocks;
}

/** The first instant in (lo, hi] at which the zone is off `before`, to the minute. */
function changeBetween(zone: string, lo: Millis, hi: Millis, before: number): Millis {
  let a = lo;
  let b = hi;
  while (b - a > 60_000) {
    const mid = a + Math.floor((b - a) / 2);
    if (offsetAt(mid, zone) === before) a = mid;
    else b = mid;
  }
  return b;
}

/** Morning, midday or afternoon in the candidate's zone. */
function partOfDay(zone: string, t: Millis): number {
  const minute = minuteOfDayIn(zone, t);
  return minute < 12 * 60 ? 0 : minute < 14 * 60 ? 1 : 2;
}

/** Local midnights of the working days that meet [from, to), in order. */
function workingDays(q: SlotQuery): Millis[] {
  const workdays = new Set(q.workingHours.days);
  const days: Millis[] = [];
  let day = startOfDayIn(q.timeZone, q.from);
  for (let i = 0; i < MAX_DAYS && day < q.to; i += 1) {
    if (workdays.has(weekdayIn(q.timeZone, day))) days.push(day);
    // Noon plus a day, then back to midnight: a day of 23 or 25 hours cannot skip or repeat a date.
    day = startOfDayIn(q.timeZone, addDaysIn(q.timeZone, day + minutes(12 * 60), 1));
  }
  return days;
}

function overlaps(a: Slot, b: Slot, gap: Millis): boolean {
  return a.start < b.end + gap && b.start < a.end + gap;
}

/**
 * Up to `count` free slots between `from` and `to`, sorted by start: round by round, each day
 * gives its earliest slot that keeps a buffer's distance from the slots already taken.
 */
export function findSlots(q: SlotQuery): Slot[] {
  const count = Math.min(MAX_COUNT, wholeMinutes(q.count, 0, 0));
  if (count === 0 || !Number.isFinite(q.from) || !Number.isFinite(q.to) || q.from >= q.to) return [];
  const length = minutes(wholeMinutes(q.durationMinutes, MIN_DURATION_MINUTES, MIN_DURATION_MINUTES));
  const buffer = minutes(wholeMinutes(q.bufferMinutes, 0, 0));
  const step = wholeMinutes(q.stepMinutes, DEFAULT_STEP_MINUTES, 1);
  const blocks = blocked(q.busy, buffer);

  const known = q.recipientZone !== null && q.recipientZone !== undefined && isValidZone(q.recipientZone);
  const places = known || q.recipientOffset === null || q.recipientOffset === undefined ? null : placesOnOffset(q.recipientOffset, Math.min(q.to, q.from + MAX_DAYS * DAY_MS));
  const perDay = workingDays(q).map((day) => freeSlotsOfDay(q, day, blocks, length, step, places));
  const taken: Slot[] = [];
  const used = [0, 0, 0];
  const pickFrom = (candidates: readonly Slot[]): Slot | undefined => {
    const open = candidates.filter((slot) => !taken.some((t) => overlaps(slot, t, buffer)));
    if (q.spreadTimesOfDay !== true) return open[0];
    const least = Math.min(...open.map((slot) => used[partOfDay(q.timeZone, slot.start)] ?? 0));
    return open.find((slot) => (used[partOfDay(q.timeZone, slot.start)] ?? 0) === least);
  };
  let progress = true;
  while (taken.length < count && progress) {
    progress = false;
    for (const candidates of perDay) {
      if (taken.length >= count) break;
      const pick = pickFrom(candidates);
      if (pick) {
        taken.push(pick);
        used[partOfDay(q.timeZone, pick.start)] = (used[partOfDay(q.timeZone, pick.start)] ?? 0) + 1;
        progress = true;
      }
    }
  }
  return taken.sort((a, b) => a.start - b.start);
}
