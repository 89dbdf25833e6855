/**
 * Stories for the randomised engine timeline (test/engine/timeline-stories.int.test.ts): a few
 * phone interviews written the ways real calendars write them (the organizer's zone, UTC, floating
 * times, half-hour zones, the days the clocks change in the US, the EU and Australia, all-day
 * entries, no end, zero length, a whole day long, a weekly series with a moved or cancelled
 * occurrence), then what happens to them: time passing, moves, cancels, duplicates, a decline, the
 * user deleting or editing a draft or recording an outcome, a reply, the mailbox gone for an hour,
 * Redis restarting, ringback stopped for a while (the laptop asleep) with the calendar changed
 * meanwhile or not, the calendar unreadable for a while (cut short inside an entry, an error page in
 * its place, the file gone), an organizer reinstating a cancelled call (same UID, higher SEQUENCE,
 * STATUS:CONFIRMED), the user marking a call as no phone interview and back (`ringback mark`), and a
 * call moved across midnight in the recipient's or the candidate's zone.
 *
 * The calendar is kept as a model here and written as iCalendar text; the instant each entry
 * stands for is computed independently of the product, by RFC 5545 §3.3.5 (a time the clocks skip
 * is read with the offset before the change, a repeated one at its first occurrence).
 */
import fc from 'fast-check';
import { DateTime } from 'luxon';
import { NEW_YORK_VTIMEZONE } from '../support/vtimezones.js';

export const CANDIDATE_ZONE = 'America/New_York';
const MIN = 60_000;
const DAY = 86_400_000;

/** How an entry writes its times. */
export type Written =
  | { readonly kind: 'utc' }
  | { readonly kind: 'floating' }
  | { readonly kind: 'zone'; readonly zone: string; readonly vtimezone?: boolean };

export type Shape = 'half-hour' | 'duration' | 'no-end' | 'zero' | 'all-day-long' | 'all-day';

export interface StoryInterview {
  readonly written: Written;
  readonly shape: Shape;
  /** Where the call starts: minutes after the story's start, or a wall time on a day the clocks change. */
  readonly at: { readonly kind: 'ahead'; readonly minutes: number } | { readonly kind: 'dst'; readonly day: DstDay };
  readonly series: null | { readonly exdateSecond: boolean; readonly first: 'kept' | 'moved' | 'cancelled' };
}

/** A day the clocks change, and a wall time on it that they skip or repeat (or an ordinary one). */
export interface DstDay {
  readonly zone: string;
  readonly date: string;
  readonly clock: string;
}

export const DST_DAYS: readonly DstDay[] = [
  { zone: 'America/New_York', date: '2027-03-14', clock: '02:30' }, // skipped
  { zone: 'America/New_York', date: '2027-11-07', clock: '01:30' }, // repeated
  { zone: 'America/New_York', date: '2027-03-14', clock: '10:00' },
  { zone: 'Europe/Berlin', date: '2027-03-28', clock: '02:30' }, // skipped
  { zone: 'Europe/Berlin', date: '2027-10-31', clock: '02:30' }, // repeated
  { zone: 'Europe/London', date: '2027-03-28', clock: '09:00' },
  { zone: 'Australia/Adelaide', date: '2027-04-04', clock: '02:30' }, // repeated
  { zone: 'Australia/Adelaide', date: '2027-10-03', clock: '02:30' }, // skipped
  { zone: 'Australia/Sydney', date: '2027-04-04', clock: '09:30' },
];

export type Step =
  | { readonly op: 'advance'; readonly minutes: number }
  | { readonly op: 'move'; readonly target: number; readonly minutes: number }
  | { readonly op: 'cancel'; readonly target: number; readonly how: 'status' | 'removed' }
  | { readonly op: 'readd'; readonly target: number }
  | { readonly op: 'duplicate'; readonly target: number; readonly minutes: number; readonly higherSequence: boolean }
  | { readonly op: 'decline'; readonly target: number }
  | { readonly op: 'delete-draft'; readonly target: number }
  | { readonly op: 'edit-draft'; readonly target: number }
  | { readonly op: 'outcome'; readonly target: number; readonly outcome: 'held' | 'interviewer-no-show' | 'candidate-missed' }
  | { readonly op: 'reply'; readonly target: number }
  | { readonly op: 'outage'; readonly how: 'path-missing' | 'drafts-missing' | 'sent-not-a-folder'; readonly minutes: number }
  | { readonly op: 'redis-restart' }
  /** ringback stopped (the laptop asleep) for `minutes`; the organizer maybe changed the call meanwhile. */
  | { readonly op: 'asleep'; readonly minutes: number; readonly meanwhile: Meanwhile }
  /** The calendar unreadable for `minutes`, then whole again, maybe with a change made meanwhile. */
  | { readonly op: 'unreadable'; readonly how: 'truncated' | 'error-page' | 'missing'; readonly minutes: number; readonly meanwhile: Meanwhile }
  /** `ringback mark <id> not-interview` on the target's next call, and `ringback mark <id> phone` on it `back` minutes later (null: not). */
  | { readonly op: 'mark'; readonly target: number; readonly back: number | null }
  /** The call moved to just before the next midnight in a zone (an hour or two ahead), then `across` minutes later. */
  | { readonly op: 'midnight'; readonly target: number; readonly zone: 'recipient' | 'candidate'; readonly across: number };

/** What the organizer did while ringback could not see it. */
export type Meanwhile = null | { readonly target: number; readonly what: 'move' | 'cancel' };

export interface Story {
  readonly interviews: readonly StoryInterview[];
  readonly steps: readonly Step[];
}

const zones: fc.Arbitrary<Written> = fc.oneof(
  fc.constant<Written>({ kind: 'utc' }),
  fc.constant<Written>({ kind: 'floating' }),
  fc.constantFrom<Written>(
    { kind: 'zone', zone: 'America/Los_Angeles' },
    { kind: 'zone', zone: 'America/New_York' },
    { kind: 'zone', zone: 'America/New_York', vtimezone: true },
    { kind: 'zone', zone: 'Europe/Berlin' },
    { kind: 'zone', zone: 'Europe/London' },
    { kind: 'zone', zone: 'Asia/Kolkata' },
    { kind: 'zone', zone: 'Australia/Adelaide' },
    { kind: 'zone', zone: 'Asia/Kathmandu' },
    { kind: 'zone', zone: 'America/St_Johns' },
    { kind: 'zone', zone: 'Etc/GMT+5' },
  ),
);

const interview: fc.Arbitrary<StoryInterview> = fc.record({
  written: zones,
  shape: fc.constantFrom<Shape>('half-hour', 'half-hour', 'half-hour', 'duration', 'no-end', 'zero', 'all-day-long', 'all-day'),
  at: fc.oneof(
    { weight: 3, arbitrary: fc.constantFrom(12, 25, 50, 75, 130, 300, 1_500).map((minutes) => ({ kind: 'ahead' as const, minutes })) },
    { weight: 1, arbitrary: fc.constantFrom(...DST_DAYS).map((day) => ({ kind: 'dst' as const, day })) },
  ),
  series: fc.option(fc.record({ exdateSecond: fc.boolean(), first: fc.constantFrom<'kept' | 'moved' | 'cancelled'>('kept', 'moved', 'cancelled') }), { freq: 4, nil: null }),
});

const target = fc.nat(2);

const meanwhile: fc.Arbitrary<Meanwhile> = fc.option(fc.record({ target, what: fc.constantFrom<'move' | 'cancel'>('move', 'cancel') }), { freq: 2, nil: null });

const step: fc.Arbitrary<Step> = fc.oneof(
  { weight: 6, arbitrary: fc.constantFrom(1, 4, 9, 16, 30, 55, 120, 600).map((minutes) => ({ op: 'advance' as const, minutes })) },
  { weight: 2, arbitrary: fc.record({ op: fc.constant('move' as const), target, minutes: fc.constantFrom(-1_440, -90, -40, -15, 20, 45, 90, 1_440) }) },
  { weight: 1, arbitrary: fc.record({ op: fc.constant('cancel' as const), target, how: fc.constantFrom<'status' | 'removed'>('status', 'removed') }) },
  { weight: 1, arbitrary: fc.record({ op: fc.constant('readd' as const), target }) },
  { weight: 1, arbitrary: fc.record({ op: fc.constant('duplicate' as const), target, minutes: fc.constantFrom(-60, 0, 30), higherSequence: fc.boolean() }) },
  { weight: 1, arbitrary: fc.record({ op: fc.constant('decline' as const), target }) },
  { weight: 1, arbitrary: fc.record({ op: fc.constant('delete-draft' as const), target }) },
  { weight: 1, arbitrary: fc.record({ op: fc.constant('edit-draft' as const), target }) },
  {
    weight: 1,
    arbitrary: fc.record({ op: fc.constant('outcome' as const), target, outcome: fc.constantFrom<'held' | 'interviewer-no-show' | 'candidate-missed'>('held', 'interviewer-no-show', 'candidate-missed') }),
  },
  { weight: 1, arbitrary: fc.record({ op: fc.constant('reply' as const), target }) },
  {
    weight: 1,
    arbitrary: fc.record({
      op: fc.constant('outage' as const),
      how: fc.constantFrom<'path-missing' | 'drafts-missing' | 'sent-not-a-folder'>('path-missing', 'drafts-missing', 'sent-not-a-folder'),
      minutes: fc.constantFrom(20, 60),
    }),
  },
  { weight: 1, arbitrary: fc.constant({ op: 'redis-restart' as const }) },
  { weight: 1, arbitrary: fc.record({ op: fc.constant('asleep' as const), minutes: fc.constantFrom(30, 50, 95, 240, 600), meanwhile }) },
  {
    weight: 1,
    arbitrary: fc.record({
      op: fc.constant('unreadable' as const),
      how: fc.constantFrom<'truncated' | 'error-page' | 'missing'>('truncated', 'error-page', 'missing'),
      minutes: fc.constantFrom(10, 40, 90),
      meanwhile,
    }),
  },
  { weight: 1, arbitrary: fc.record({ op: fc.constant('mark' as const), target, back: fc.constantFrom(null, 0, 20, 90) }) },
  { weight: 1, arbitrary: fc.record({ op: fc.constant('midnight' as const), target, zone: fc.constantFrom<'recipient' | 'candidate'>('recipient', 'candidate'), across: fc.constantFrom(20, 90) }) },
);

export const story: fc.Arbitrary<Story> = fc.record({
  interviews: fc.array(interview, { minLength: 1, maxLength: 3 }),
  steps: fc.array(step, { minLength: 2, maxLength: 7 }),
});

/** "2027-03-14" and "02:30" → the wall time as if it were UTC. */
function wallOf(date: string, clock: string): number {
  return Date.parse(`${date}T${clock}:00Z`);
}

/** The instant a wall time stands for in the zone, by RFC 5545 §3.3.5. */
export function instantOf(wall: number, zone: string): number {
  const offset = (t: number): number => DateTime.fromMillis(t, { zone }).offset * MIN;
  const before = offset(wall - DAY);
  const candidates = new Set([before, offset(wall), offset(wall + DAY)]);
  const fits = [...candidates].filter((o) => offset(wall - o) === o);
  return fits.length > 0 ? wall - Math.max(...fits) : wall - before;
}

/** The wall time of an instant in the zone, as if it were UTC. */
export function wallAt(instant: number, zone: string): number {
  return instant + DateTime.fromMillis(instant, { zone }).offset * MIN;
}

/** The zone a written entry's local times are read in (floating: the candidate's). */
export function readingZone(written: Written): string {
  return written.kind === 'zone' ? written.zone : written.kind === 'floating' ? CANDIDATE_ZONE : 'UTC';
}

/** The instant the entry will be read as when its start is written from `wanted`. */
export function asWritten(wanted: number, written: Written): number {
  if (written.kind === 'utc') return Math.floor(wanted / 1000) * 1000;
  const zone = readingZone(written);
  return instantOf(Math.floor(wallAt(wanted, zone) / 1000) * 1000, zone);
}

/** Where the story's interview starts, before any move: `now` is the story's start. */
export function firstStart(item: StoryInterview, now: number): number {
  if (item.at.kind === 'ahead') return asWritten(Math.floor((now + item.at.minutes * MIN) / MIN) * MIN, item.written);
  return instantOf(wallOf(item.at.day.date, item.at.day.clock), item.at.day.zone);
}

/** The written form of an instant: `20270314T023000Z`, or the local wall time without Z. */
function stamp(instant: number, written: Written): string {
  const text = (ms: number) => new Date(ms).toISOString().replace(/[-:]/g, '').replace(/\.\d{3}/, '');
  return written.kind === 'utc' ? text(instant) : text(wallAt(instant, readingZone(written))).replace(/Z$/, '');
}

function dateStamp(instant: number, written: Written): string {
  return stamp(instant, written).slice(0, 8);
}

export interface Entry {
  readonly uid: string;
  readonly item: StoryInterview;
  readonly company: number;
  /** The DTSTART as written (for a DST story: the zone of the day, not the item's). */
  start: number;
  written: Written;
  sequence: number;
  status: 'confirmed' | 'cancelled' | 'removed';
  /** Cancelled by STATUS and then written again: the organizer says STATUS:CONFIRMED. */
  reinstated: boolean;
  declined: boolean;
  duplicate: null | { readonly start: number; readonly sequence: number };
}

/** Property parameters of a time: `;TZID=…` for a zone, nothing for UTC and floating. */
function param(written: Written): string {
  return written.kind === 'zone' ? `;TZID=${written.zone}` : '';
}

function escape(text: string): string {
  return text.replace(/[\\;,]/g, (c) => `\\${c}`).replace(/\n/g, '\\n');
}

export function titleOf(entry: Entry): string {
  return `Phone screen with Dana (Acme ${entry.company})`;
}

export function counterpartOf(entry: Pick<Entry, 'company'>): string {
  return `dana@acme${entry.company}.example`;
}

function vevent(entry: Entry, start: number, sequence: number, extra: readonly string[] = []): string[] {
  const { item, written } = entry;
  const times: string[] = [];
  if (item.shape === 'all-day') {
    times.push(`DTSTART;VALUE=DATE:${dateStamp(start, written)}`, `DTEND;VALUE=DATE:${dateStamp(start + DAY, written)}`);
  } else {
    times.push(`DTSTART${param(written)}:${stamp(start, written)}`);
    if (item.shape === 'half-hour') times.push(`DTEND${param(written)}:${stamp(start + 30 * MIN, written)}`);
    if (item.shape === 'duration') times.push('DURATION:PT45M');
    if (item.shape === 'zero') times.push(`DTEND${param(written)}:${stamp(start, written)}`);
    if (item.shape === 'all-day-long') times.push('DURATION:PT10H');
  }
  const partstat = entry.declined ? 'DECLINED' : 'ACCEPTED';
  return [
    'BEGIN:VEVENT',
    `UID:${entry.uid}`,
    'DTSTAMP:20260101T000000Z',
    `SEQUENCE:${sequence}`,
    ...times,
    `SUMMARY:${escape(titleOf(entry))}`,
    `DESCRIPTION:${escape('Dana will call you.')}`,
    ...(entry.status === 'cancelled' ? ['STATUS:CANCELLED'] : entry.reinstated ? ['STATUS:CONFIRMED'] : []),
    `ORGANIZER;CN="Dana Whitfield":mailto:${counterpartOf(entry)}`,
    `ATTENDEE;CN="Ada Park";PARTSTAT=${partstat}:mailto:ada@example.org`,
    `ATTENDEE;CN="Dana Whitfield";PARTSTAT=ACCEPTED:mailto:${counterpartOf(entry)}`,
    ...extra,
    'END:VEVENT',
  ];
}

/** Weekly series: the first occurrence maybe moved an hour later or cancelled, the second maybe left out. */
function seriesLines(entry: Entry): string[] {
  const series = entry.item.series;
  if (!series) return vevent(entry, entry.start, entry.sequence);
  const rule = ['RRULE:FREQ=WEEKLY;COUNT=3', ...(series.exdateSecond ? [`EXDATE${param(entry.written)}:${stamp(weekOf(entry, 1), entry.written)}`] : [])];
  const lines = vevent(entry, entry.start, entry.sequence, rule);
  if (series.first === 'kept') return lines;
  const override = vevent(
    { ...entry, status: series.first === 'cancelled' ? 'cancelled' : entry.status },
    series.first === 'moved' ? asWritten(entry.start + 60 * MIN, entry.written) : entry.start,
    entry.sequence + 1,
    [`RECURRENCE-ID${param(entry.written)}:${stamp(entry.start, entry.written)}`],
  );
  return [...lines, ...override];
}


export function calendarText(entries: readonly Entry[]): string {
  const withZone = entries.some((e) => e.written.kind === 'zone' && e.written.vtimezone === true);
  const body = entries.flatMap((entry) => {
    if (entry.status === 'removed') return [];
    const lines = seriesLines(entry);
    if (!entry.duplicate) return lines;
    // The same UID written twice, as merged feeds do: the higher SEQUENCE wins.
    return [...lines, ...vevent(entry, entry.duplicate.start, entry.duplicate.sequence)];
  });
  return ['BEGIN:VCALENDAR', 'VERSION:2.0', 'PRODID:-//ringback//stories//EN', ...(withZone ? NEW_YORK_VTIMEZONE : []), ...body, 'END:VCALENDAR', ''].join('\r\n');
}

/** Occurrence `n` of a weekly series: the same wall time `n` weeks later, in the zone it is written in. */
export function weekOf(entry: Pick<Entry, 'start' | 'written'>, n: number): number {
  if (entry.written.kind === 'utc') return entry.start + n * 7 * DAY;
  const zone = readingZone(entry.written);
  return instantOf(wallAt(entry.start, zone) + n * 7 * DAY, zone);
}

/**
 * The starts the calendar means for the entry now: a duplicate with a higher SEQUENCE wins (and
 * is a single entry: the series it replaces is gone), else the entry, or its series' occurrences
 * (the first moved an hour, as written; the second left out by EXDATE).
 */
export function meantStarts(entry: Entry): number[] {
  const dup = entry.duplicate;
  if (dup && dup.sequence > entry.sequence) return [dup.start];
  const series = entry.item.series;
  if (!series) return [entry.start];
  const first = series.first === 'moved' ? [asWritten(entry.start + 60 * MIN, entry.written)] : series.first === 'cancelled' ? [] : [entry.start];
  return [...first, ...(series.exdateSecond ? [] : [weekOf(entry, 1)]), weekOf(entry, 2)];
}

/** The first midnight in the zone after `after`: the instant its next day begins. */
export function nextMidnight(after: number, zone: string): number {
  return instantOf(Math.floor(wallAt(after, zone) / DAY) * DAY + DAY, zone);
}
