/**
 * iCalendar text → normalised events, for every adapter that receives ICS (the `ics` source,
 * CalDAV). Recurring entries are expanded over a window; anything that cannot become an event is
 * reported as a {@link SkippedItem} with a reason, never thrown: one bad entry must not hide the
 * others. ical.js types stay inside this file.
 *
 * Time zones: ical.js 2 resolves a TZID against the VTIMEZONE components of the calendar that the
 * property belongs to, so the zones of each file are honoured without registering them in the
 * global `ICAL.TimezoneService` (which would let two calendars that define the same TZID
 * differently overwrite each other). A TZID the file does not define is converted with luxon when
 * it is an IANA name; otherwise the event is skipped ("unknown time zone").
 */
import { createHash } from 'node:crypto';
import ICAL from 'ical.js';
import { DateTime, IANAZone } from 'luxon';
import type { Attendee, CalendarEvent, Millis, ParticipationStatus, Person } from '../../domain/types.js';
import type { SkippedItem } from './types.js';

export interface ExpandWindow {
  readonly from: Millis;
  readonly to: Millis;
}

export interface ParseOptions {
  /** Occurrences kept per recurring entry inside the window. @defaultValue 1000 */
  readonly maxOccurrencesPerEvent?: number;
  /** Events kept in all; the rest are reported by one skipped item. @defaultValue 100000 */
  readonly maxEvents?: number;
  /** IANA zone for floating times and all-day dates. @defaultValue 'UTC' */
  readonly floatingZone?: string;
}

export interface ParsedCalendar {
  readonly events: CalendarEvent[];
  readonly skipped: SkippedItem[];
}

type Component = ICAL.Component;
type Time = ICAL.Time;

const MAX_DESCRIPTION = 64 * 1024;
/**
 * ical.js loops without end on rules that can never match (`FREQ=DAILY;BYMONTH=2;BYMONTHDAY=30`
 * hangs in `RecurIterator.next`); each pass of that loop checks the rule's BY parts once, so
 * counting those checks bounds the work per entry. It also bounds entries whose DTSTART lies
 * so far back that reaching the window takes too long (`FREQ=SECONDLY` since 2001).
 */
const MAX_RULE_STEPS = 20_000;
/**
 * Rule checks allowed for the whole calendar (about three seconds of walking). Without it, each
 * never-matching rule costs its own MAX_RULE_STEPS, and a 20 MB feed of them (some 140,000
 * entries) would keep one sync busy for hours; a real calendar's series need a few dozen checks
 * each. Once it is spent, entries with a rule are left out, and the audit says why.
 */
const MAX_CALENDAR_RULE_STEPS = 1_000_000;

class SkipEvent extends Error {}

export function parseCalendar(text: string, window: ExpandWindow, options: ParseOptions = {}): ParsedCalendar {
  const maxEvents = options.maxEvents ?? 100_000;
  const skipped: SkippedItem[] = [];
  const events: CalendarEvent[] = [];
  const groups = groupByUid(readEntries(cleanLines(text.replace(/^\uFEFF/, ''), skipped), skipped), skipped);
  const context: Context = {
    ruleStepsLeft: MAX_CALENDAR_RULE_STEPS,
    window,
    maxOccurrences: options.maxOccurrencesPerEvent ?? 1_000,
    floatingZone: options.floatingZone ?? 'UTC',
    skipped,
  };
  let read = 0;
  for (const group of groups.values()) {
    if (events.length >= maxEvents) break;
    read += 1;
    try {
      for (const event of expandGroup(group, context)) {
        if (events.length >= maxEvents) {
          read -= 1; // this entry lost occurrences too
          break;
        }
        events.push(event);
      }
    } catch (error) {
      skipped.push({ ref: group.ref, reason: error instanceof SkipEvent ? error.message : `unreadable entry: ${messageOf(error)}` });
    }
  }
  if (read < groups.size) {
    skipped.push({ ref: 'calendar', reason: `only the first ${maxEvents} events are kept; ${groups.size - read} more entries were left out` });
  }
  return { events, skipped };
}

/** Unfolds lines and drops the ones that are not `NAME[;params]:value`, which ical.js rejects. */
function cleanLines(text: string, skipped: SkippedItem[]): string[] {
  const lines: string[] = [];
  let dropped = 0;
  let firstDropped = 0;
  const raw = text.split(/\r\n|\n|\r/);
  raw.forEach((line, number) => {
    if (line.startsWith(' ') || line.startsWith('\t')) {
      if (lines.length > 0) lines[lines.length - 1] += line.slice(1);
      return;
    }
    if (line.trim() === '') return;
    if (/^[A-Za-z0-9-]+(;[^:]*)?:/.test(line)) {
      lines.push(line);
      return;
    }
    dropped += 1;
    if (dropped === 1) firstDropped = number + 1;
  });
  if (dropped > 0) {
    skipped.push({ ref: `line ${firstDropped}`, reason: `${dropped} unreadable line(s) ignored, the first at line ${firstDropped}` });
  }
  return lines;
}

interface Block {
  readonly name: string;
  readonly lines: string[];
  readonly line: number;
  depth: number;
}

/**
 * The VEVENTs of the text, cut into entries first so that a truncated file, an unbalanced
 * BEGIN/END or an entry ical.js refuses loses only the entries concerned.
 */
function readEntries(lines: readonly string[], skipped: SkippedItem[]): Component[] {
  const zones = new Map<string, string>();
  const events: Block[] = [];
  let open: Block | null = null;
  const abandon = (block: Block): void => {
    skipped.push({ ref: refOfBlock(block), reason: `incomplete entry (no END:${block.name.toUpperCase()})` });
  };
  lines.forEach((line, number) => {
    const marker = /^(BEGIN|END):(.*)$/i.exec(line);
    const kind = marker?.[1]?.toUpperCase();
    const name = marker?.[2]?.trim().toLowerCase() ?? '';
    if (kind === 'BEGIN' && (name === 'vevent' || name === 'vtimezone' || name === 'vcalendar')) {
      if (open) abandon(open);
      open = name === 'vcalendar' ? null : { name, lines: [line], line: number + 1, depth: 1 };
      return;
    }
    if (!open) return;
    const block: Block = open;
    block.lines.push(line);
    if (kind === 'BEGIN') block.depth += 1;
    if (kind === 'END') block.depth -= 1;
    if (block.depth > 0) return;
    if (name !== block.name) abandon(block);
    else if (block.name === 'vevent') events.push(block);
    else zones.set(/^TZID[^:]*:(.*)$/im.exec(block.lines.join('\n'))?.[1]?.trim() ?? '', block.lines.join('\r\n'));
    open = null;
  });
  if (open) abandon(open);
  const readable = [...zones.values()].filter((zone) => {
    try {
      wrap([zone]);
      return true;
    } catch (error) {
      skipped.push({ ref: 'VTIMEZONE', reason: `unreadable time zone: ${messageOf(error)}` });
      return false;
    }
  });
  return parseEntries(events, readable, skipped);
}

function wrap(parts: readonly string[]): Component {
  return new ICAL.Component(ICAL.parse(['BEGIN:VCALENDAR', 'VERSION:2.0', ...parts, 'END:VCALENDAR'].join('\r\n')) as never);
}

/**
 * Parses complete entries together; when that fails, each half on its own, down to the entry that
 * cannot be read. One bad entry among n costs about two parses of the text rather than n small ones.
 */
function parseEntries(blocks: readonly Block[], zones: readonly string[], skipped: SkippedItem[]): Component[] {
  if (blocks.length === 0) return [];
  try {
    return wrap([...zones, ...blocks.map((block) => block.lines.join('\r\n'))]).getAllSubcomponents('vevent');
  } catch (error) {
    const [only] = blocks;
    if (blocks.length === 1 && only) {
      skipped.push({ ref: refOfBlock(only), reason: `unreadable entry: ${messageOf(error)}` });
      return [];
    }
    const half = Math.ceil(blocks.length / 2);
    return [...parseEntries(blocks.slice(0, half), zones, skipped), ...parseEntries(blocks.slice(half), zones, skipped)];
  }
}

function refOfBlock(block: Block): string {
  const uid = /^UID[^:]*:(.*)$/im.exec(block.lines.join('\n'))?.[1];
  return uid ? clean(uid).slice(0, 200) : `entry at line ${block.line}`;
}

interface Group {
  readonly uid: string;
  readonly ref: string;
  master: Component | null;
  readonly overrides: Component[];
}

function groupByUid(components: readonly Component[], skipped: SkippedItem[]): Map<string, Group> {
  const groups = new Map<string, Group>();
  for (const component of components) {
    const uid = uidOf(component);
    let group = groups.get(uid);
    if (!group) {
      group = { uid, ref: refOf(component, uid), master: null, overrides: [] };
      groups.set(uid, group);
    }
    if (component.hasProperty('recurrence-id')) group.overrides.push(component);
    else if (!group.master) group.master = component;
    else {
      // Merged feeds sometimes repeat an entry: keep the higher SEQUENCE (the first on a tie).
      const sequence = (c: Component): number => Number(c.getFirstPropertyValue('sequence')) || 0;
      if (sequence(component) > sequence(group.master)) group.master = component;
      skipped.push({ ref: group.ref, reason: 'another entry with the same UID; kept the one with the higher SEQUENCE' });
    }
  }
  return groups;
}

function uidOf(component: Component): string {
  const uid = clean(String(component.getFirstPropertyValue('uid') ?? '')).trim();
  if (uid) return uid;
  // No UID (invalid, but seen in hand-written files): derive one from what identifies the entry.
  const seed = `${String(component.getFirstProperty('dtstart')?.toICALString() ?? '')}\n${textOf(component, 'summary')}`;
  return `nouid-${createHash('sha256').update(seed).digest('hex').slice(0, 16)}`;
}

function refOf(component: Component, uid: string): string {
  const summary = oneLine(textOf(component, 'summary')).slice(0, 80);
  return summary ? `${uid.slice(0, 200)} (${summary})` : uid.slice(0, 200);
}

interface Context {
  /** What is left of {@link MAX_CALENDAR_RULE_STEPS}. */
  ruleStepsLeft: number;
  readonly window: ExpandWindow;
  readonly maxOccurrences: number;
  readonly floatingZone: string;
  readonly skipped: SkippedItem[];
}

function inWindow(start: Millis, end: Millis, window: ExpandWindow): boolean {
  return start < window.to && (end > window.from || (end === start && start >= window.from));
}

function* expandGroup(group: Group, context: Context): Generator<CalendarEvent> {
  const { master } = group;
  if (!master || !(master.hasProperty('rrule') || master.hasProperty('rdate'))) {
    // A lone entry, or overrides whose series the feed does not carry (an invitation to one
    // occurrence): each stands for itself. Overrides of a non-recurring entry have nothing to
    // replace and are left out.
    const singles = master ? [master] : group.overrides;
    for (const component of singles) {
      const recurrenceId = master ? null : (component.getFirstPropertyValue('recurrence-id') as Time);
      const id = recurrenceId ? `${group.uid}/${isoOf(recurrenceId, component, 'recurrence-id', context)}` : group.uid;
      const [start, end] = boundsOf(component, context);
      if (inWindow(start, end, context.window)) yield normalise(component, id, start, end);
    }
    return;
  }
  boundsOf(master, context); // validates DTSTART, DTEND and the zone before expanding
  const series = new ICAL.Event(master, { exceptions: [] });
  for (const override of group.overrides) {
    try {
      series.relateException(override);
    } catch (error) {
      context.skipped.push({ ref: group.ref, reason: `unreadable override: ${messageOf(error)}` });
    }
  }
  const expansion = series.iterator(expansionStart(series, master, context));
  boundRuleSteps(expansion, context);
  const seen = new Set<string>();
  let kept = 0;
  for (let next = expansion.next(); next; next = expansion.next()) {
    const originalStart = toMillis(next, tzidOf(master, 'dtstart'), context);
    if (originalStart >= context.window.to) break;
    const details = series.getOccurrenceDetails(next);
    const item = details.item.component;
    if (item !== master && statusOf(item) === 'cancelled') continue;
    const start = toMillis(details.startDate, tzidOf(item, 'dtstart'), context);
    // An occurrence of the series ends `duration` after its start, in the start's zone; an override
    // may write its end in a zone of its own.
    const endZone = item === master ? tzidOf(master, 'dtstart') : (tzidOf(item, 'dtend') ?? tzidOf(item, 'dtstart'));
    const end = toMillis(details.endDate, endZone, context);
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
    yield normalise(item, id, start, end);
  }
}

const PERIOD_SECONDS: Readonly<Record<string, number>> = { SECONDLY: 1, MINUTELY: 60, HOURLY: 3600, DAILY: 86_400, WEEKLY: 604_800 };

/**
 * Where to begin walking the series. ical.js walks a rule from DTSTART one step at a time (tens of
 * µs a step), so a daily series begun years ago would cost seconds. A rule without COUNT repeats
 * its pattern every period, so the walk may begin a whole number of periods later, shortly before
 * the window. ical.js yields that start as an occurrence even when the rule would not match it,
 * but it ends before the window and is dropped there. A rule with COUNT is counted from DTSTART.
 * (An override moving an occurrence from before the new start into the window is missed.)
 */
function expansionStart(series: ICAL.Event, master: Component, context: Context): Time {
  const start = series.startDate;
  const rules = master.getAllProperties('rrule');
  const rule = rules.length === 1 ? (rules[0]?.getFirstValue() as ICAL.Recur | undefined) : undefined;
  const unit = rule ? PERIOD_SECONDS[rule.freq] : undefined;
  if (!rule || !unit || rule.count) return start;
  const period = unit * Math.max(1, rule.interval || 1);
  const startMs = toMillis(start, tzidOf(master, 'dtstart'), context);
  // Two periods and two days of margin absorb the difference between wall time and UTC (DST).
  const gap = (context.window.from - startMs) / 1000 - series.duration.toSeconds() - 2 * period - 2 * 86_400;
  const periods = Math.floor(gap / period);
  if (periods <= 0) return start;
  const seconds = periods * period;
  const shifted = start.clone();
  shifted.adjust(Math.floor(seconds / 86_400), 0, 0, seconds % 86_400);
  return shifted;
}

function boundRuleSteps(expansion: ICAL.RecurExpansion, context: Context): void {
  // `ruleIterators` is private in the typings; it holds one RecurIterator per RRULE.
  const iterators = (expansion as unknown as { ruleIterators?: { check_contracting_rules(): boolean }[] }).ruleIterators ?? [];
  if (iterators.length > 0 && context.ruleStepsLeft <= 0) {
    throw new SkipEvent('the recurrence rules of this calendar need too many steps in all; this entry and the next recurring ones are left out');
  }
  let steps = 0;
  for (const iterator of iterators) {
    const check = iterator.check_contracting_rules.bind(iterator);
    iterator.check_contracting_rules = () => {
      context.ruleStepsLeft -= 1;
      if (++steps > MAX_RULE_STEPS || context.ruleStepsLeft < 0) {
        throw new SkipEvent('the recurrence rule needs too many steps to reach the window (it may never match)');
      }
      return check();
    };
  }
}

function isoOf(time: Time, component: Component, property: string, context: Context): string {
  return time.isDate ? time.toString() : new Date(toMillis(time, tzidOf(component, property), context)).toISOString();
}

/** [start, end] of an entry as written, or a {@link SkipEvent} saying what is wrong. */
function boundsOf(component: Component, context: Context): [Millis, Millis] {
  if (!component.hasProperty('dtstart')) throw new SkipEvent('no start time (DTSTART)');
  const event = new ICAL.Event(component, { exceptions: [] });
  const start = toMillis(event.startDate, tzidOf(component, 'dtstart'), context);
  const end = toMillis(event.endDate, tzidOf(component, component.hasProperty('dtend') ? 'dtend' : 'dtstart'), context);
  if (end < start) throw new SkipEvent('ends (DTEND) before it starts (DTSTART)');
  return [start, end];
}

function tzidOf(component: Component, property: string): string | null {
  const tzid = component.getFirstProperty(property)?.getParameter('tzid');
  return typeof tzid === 'string' && tzid !== '' ? tzid : null;
}

/**
 * Epoch ms of a time. Times with `Z` or a TZID the file defines are converted by ical.js; a TZID it
 * does not define leaves the time floating in ical.js, and is converted here with luxon when it
 * names an IANA zone. Plain floating times and dates use `floatingZone`.
 */
function toMillis(time: Time, tzid: string | null, context: Context): Millis {
  const zone = time.zone;
  if (!time.isDate && zone && zone.tzid !== 'floating') return time.toUnixTime() * 1000;
  let ianaZone = context.floatingZone;
  if (tzid && !time.isDate) {
    const known = ianaName(tzid);
    if (!known) throw new SkipEvent(`unknown time zone ${clean(tzid).slice(0, 80)}`);
    ianaZone = known;
  }
  const local = DateTime.fromObject(
    { year: time.year, month: time.month, day: time.day, hour: time.hour, minute: time.minute, second: time.second },
    { zone: ianaZone },
  );
  if (!local.isValid) throw new SkipEvent(`invalid time ${time.toString()}`);
  return local.toMillis();
}

/** The IANA name a TZID stands for: itself, or the tail of a prefixed one (`/mozilla.org/…/Europe/Paris`). */
function ianaName(tzid: string): string | null {
  const parts = tzid.trim().split('/').filter((part) => part !== '');
  for (let take = Math.min(parts.length, 3); take >= 1; take -= 1) {
    const candidate = parts.slice(-take).join('/');
    if (IANAZone.isValidZone(candidate)) return candidate;
  }
  return null;
}

function zoneNameOf(component: Component, time: Time): string | null {
  if (time.isDate) return null;
  if (time.zone === ICAL.Timezone.utcTimezone) return 'UTC';
  const tzid = tzidOf(component, 'dtstart');
  return tzid ? ianaName(tzid) : null;
}

function normalise(component: Component, id: string, start: Millis, end: Millis): CalendarEvent {
  const startTime = component.getFirstPropertyValue('dtstart') as Time;
  const organizer = component.getFirstProperty('organizer');
  return {
    id,
    title: oneLine(textOf(component, 'summary')),
    description: truncate(textOf(component, 'description'), MAX_DESCRIPTION),
    location: oneLine(textOf(component, 'location')),
    start,
    end,
    timeZone: zoneNameOf(component, startTime),
    allDay: startTime.isDate,
    status: statusOf(component),
    organizer: organizer ? personOf(organizer) : null,
    attendees: component.getAllProperties('attendee').map(attendeeOf),
    categories: component
      .getAllProperties('categories')
      .flatMap((property) => property.getValues().map((value) => oneLine(String(value))))
      .filter((value) => value !== ''),
    tags: {},
    conferencePhones: [...component.getAllProperties('conference'), ...component.getAllProperties('x-google-conference')]
      .map((property) => String(property.getFirstValue() ?? '').trim())
      .filter((value) => /^tel:/i.test(value))
      .map((value) => clean(value.slice(4))),
  };
}

function statusOf(component: Component): CalendarEvent['status'] {
  const status = String(component.getFirstPropertyValue('status') ?? '').toUpperCase();
  if (status === 'CANCELLED') return 'cancelled';
  if (status === 'TENTATIVE') return 'tentative';
  return 'confirmed';
}

function personOf(property: ICAL.Property): Person {
  const address = oneLine(String(property.getFirstValue() ?? '')).replace(/^mailto:/i, '').trim().toLowerCase();
  const name = property.getParameter('cn');
  return { name: oneLine(typeof name === 'string' ? name : ''), email: address.includes('@') ? address : '' };
}

const STATUSES: readonly ParticipationStatus[] = ['accepted', 'declined', 'tentative', 'needs-action', 'delegated'];

function attendeeOf(property: ICAL.Property): Attendee {
  const partstat = property.getParameter('partstat');
  // RFC 5545: PARTSTAT defaults to NEEDS-ACTION when absent.
  const given = typeof partstat === 'string' ? partstat.toLowerCase() : 'needs-action';
  const status = STATUSES.find((known) => known === given) ?? 'unknown';
  return { ...personOf(property), status };
}

function textOf(component: Component, property: string): string {
  const value: unknown = component.getFirstPropertyValue(property);
  return typeof value === 'string' ? clean(value) : value == null ? '' : clean(String(value));
}

/** Strips NUL and the other control characters except newline and tab. */
function clean(text: string): string {
  // eslint-disable-next-line no-control-regex
  return text.replace(/[\u0000-\u0008\u000B-\u001F\u007F-\u009F]/g, '');
}

function oneLine(text: string): string {
  return clean(text).replace(/\s+/g, ' ').trim();
}

function truncate(text: string, max: number): string {
  if (text.length <= max) return text;
  const code = text.charCodeAt(max - 1);
  // Do not cut a surrogate pair in half.
  return text.slice(0, code >= 0xd800 && code <= 0xdbff ? max - 1 : max);
}

function messageOf(error: unknown): string {
  return clean(error instanceof Error ? error.message : String(error)).slice(0, 200);
}
