/**
 * ICS text → its VEVENT components, grouped by UID (a series with its overrides). The text is cut
 * into entries before ical.js sees it, so that an unreadable line, a truncated file, an unbalanced
 * BEGIN/END or an entry ical.js refuses costs only the entries concerned, each reported as a
 * {@link SkippedItem}. The VTIMEZONEs of the file are parsed along with its entries, so that each
 * calendar's zones are honoured without the global `ICAL.TimezoneService`.
 */
import { createHash } from 'node:crypto';
import ICAL from 'ical.js';
import { repairEventLine, repairZone } from './ical-repair.js';
import { clean, messageOf, oneLine, textOf } from './ical-text.js';
import { MAX_CALENDAR_ZONE_RULE_DAYS } from './ical-yearly.js';
import { boundZones, costlyZone } from './ical-zone-bounds.js';
import type { SkippedItem } from './types.js';

type Component = ICAL.Component;

/**
 * Unfolds lines, then drops the ones that are not `NAME[;params]:value`, which ical.js rejects.
 * A line is judged whole: Exchange and Lotus Notes fold inside the parameters, before the colon
 * (`ATTENDEE;…;CN=Robin` / `  Candidate:MAILTO:…`), and judging the first part alone dropped it
 * and glued the rest onto the line before. Names may carry `_`, as Lotus Notes writes
 * `X-LOTUS-CHILD_UID`; ical.js reads them.
 */
export function cleanLines(text: string, skipped: SkippedItem[]): string[] {
  const logical: { text: string; line: number }[] = [];
  text.split(/\r\n|\n|\r/).forEach((line, number) => {
    const last = logical[logical.length - 1];
    if ((line.startsWith(' ') || line.startsWith('\t')) && last) last.text += line.slice(1);
    else if (line.trim() !== '') logical.push({ text: line, line: number + 1 });
  });
  const lines: string[] = [];
  let dropped = 0;
  let firstDropped = 0;
  for (const { text: line, line: number } of logical) {
    if (/^[A-Za-z0-9_-]+(;[^:]*)?:/.test(line)) {
      lines.push(line);
      continue;
    }
    dropped += 1;
    if (dropped === 1) firstDropped = number;
  }
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
export function readEntries(lines: readonly string[], skipped: SkippedItem[]): Component[] {
  const zones = new Map<string, string>();
  const events: Block[] = [];
  let open: Block | null = null;
  // The iTIP method of the calendar being read (RFC 5546): a CANCEL message (an invitation
  // withdrawn, or the person removed from it) cancels its entries even when they carry no STATUS.
  let method = '';
  // The calendar's X-WR-TIMEZONE (Google, Apple and many feeds write it): its entries carry it, so
  // that their floating times are read in it (ical-zones.ts).
  let calendarZone: string | null = null;
  // Lines of an entry read outside any entry: its BEGIN:VEVENT line lost or damaged (`BEGIN:VEVENT`
  // and half an emoji), in a file cut or not. They were skipped without a word (found by
  // test/property/odd-entry.test.ts); they are reported once, at their END:VEVENT or where the next
  // component, the calendar or the text begins or ends.
  const stray = { uid: '', entry: false };
  const reportStray = (): void => {
    if (stray.entry) skipped.push({ ref: stray.uid || 'an entry without a UID', reason: 'an entry without its BEGIN:VEVENT line (damaged or lost) was left out' });
    stray.uid = '';
    stray.entry = false;
  };
  const abandon = (block: Block): void => {
    skipped.push({ ref: refOfBlock(block), reason: `incomplete entry (no END:${block.name.toUpperCase()})` });
  };
  lines.forEach((line, number) => {
    const marker = /^(BEGIN|END):(.*)$/i.exec(line);
    const kind = marker?.[1]?.toUpperCase();
    const name = marker?.[2]?.trim().toLowerCase() ?? '';
    if (kind === 'BEGIN' && (name === 'vevent' || name === 'vtimezone' || name === 'vcalendar')) {
      if (open) abandon(open);
      if (name === 'vcalendar') {
        method = '';
        calendarZone = null;
      }
      reportStray();
      open = name === 'vcalendar' ? null : { name, lines: [line], line: number + 1, depth: 1 };
      return;
    }
    if (!open) {
      const given = /^METHOD[^:]*:(.*)$/i.exec(line);
      if (given) method = (given[1] ?? '').trim().toUpperCase();
      if (/^X-WR-TIMEZONE[;:]/i.test(line)) calendarZone = line;
      if (/^UID[;:]/i.test(line)) stray.uid = clean(line.replace(/^UID[^:]*:/i, '')).slice(0, 200);
      // Properties of an entry, never of a calendar (RFC 5545 §3.6.1, RFC 7986 §4).
      if (/^(DTSTART|DTEND|DURATION|RRULE|RDATE|RECURRENCE-ID|ORGANIZER|ATTENDEE)[;:]/i.test(line) || (kind === 'END' && name === 'vevent')) stray.entry = true;
      if (kind === 'END') reportStray();
      return;
    }
    const block: Block = open;
    const repaired = block.name === 'vevent' ? repairEventLine(line) : line;
    if (repaired !== null) block.lines.push(repaired);
    if (kind === 'BEGIN') block.depth += 1;
    if (kind === 'END') block.depth -= 1;
    if (block.depth > 0) return;
    if (name !== block.name) abandon(block);
    else if (block.name === 'vevent') events.push(withCalendarZone(method === 'CANCEL' ? cancelled(block) : block, calendarZone));
    else {
      // A definition of no offset at all is left out: its times are read by the zone's name.
      const zone = repairZone(block.lines);
      if (zone !== null) zones.set(/^TZID[^:]*:(.*)$/im.exec(zone.join('\n'))?.[1]?.trim() ?? '', zone.join('\r\n'));
    }
    open = null;
  });
  if (open) abandon(open);
  reportStray();
  const budget = { daysLeft: MAX_CALENDAR_ZONE_RULE_DAYS };
  const readable = [...zones.values()].filter((zone) => {
    try {
      const costly = costlyZone(wrap([zone]).getFirstSubcomponent('vtimezone') as Component, budget);
      if (costly === null) return true;
      skipped.push({ ref: 'VTIMEZONE', reason: `unreadable time zone: ${costly}` });
      return false;
    } catch (error) {
      skipped.push({ ref: 'VTIMEZONE', reason: `unreadable time zone: ${messageOf(error)}` });
      return false;
    }
  });
  return parseEntries(events, readable, skipped);
}

/** The entry of a CANCEL message, marked cancelled unless it says its own STATUS. */
function cancelled(block: Block): Block {
  if (block.lines.some((line) => /^STATUS[;:]/i.test(line))) return block;
  return { ...block, lines: [...block.lines.slice(0, -1), 'STATUS:CANCELLED', ...block.lines.slice(-1)] };
}

/** The entry with its calendar's X-WR-TIMEZONE line (`zone`), unless it has one of its own. */
function withCalendarZone(block: Block, zone: string | null): Block {
  if (zone === null || block.lines.some((line) => /^X-WR-TIMEZONE[;:]/i.test(line))) return block;
  return { ...block, lines: [...block.lines.slice(0, -1), zone, ...block.lines.slice(-1)] };
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
    const calendar = wrap([...zones, ...blocks.map((block) => block.lines.join('\r\n'))]);
    boundZones(calendar);
    return calendar.getAllSubcomponents('vevent');
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

export interface Group {
  readonly uid: string;
  readonly ref: string;
  master: Component | null;
  readonly overrides: Component[];
}

export function groupByUid(components: readonly Component[], skipped: SkippedItem[]): Map<string, Group> {
  const groups = new Map<string, Group>();
  for (const component of components) {
    let uid: string;
    let ref: string;
    // ical.js decodes a value when it is first asked for: a UID or a title of a VALUE type that
    // cannot hold it (`SUMMARY;VALUE=DATE-TIME:banana`) threw here, outside any one entry, and the
    // whole calendar was lost (found by test/property/odd-entry.test.ts). That entry is left out.
    try {
      uid = uidOf(component);
      ref = refOf(component, uid);
    } catch (error) {
      skipped.push({ ref: clean(writtenValue(component, 'uid')).slice(0, 200) || 'an entry without a UID', reason: `unreadable entry: ${messageOf(error)}` });
      continue;
    }
    let group = groups.get(uid);
    if (!group) {
      group = { uid, ref, master: null, overrides: [] };
      groups.set(uid, group);
    }
    if (component.hasProperty('recurrence-id')) addOverride(group, component, skipped);
    else if (!group.master) group.master = component;
    else {
      // Merged feeds sometimes repeat an entry: keep the higher SEQUENCE (the first on a tie).
      if (sequenceOf(component) > sequenceOf(group.master)) group.master = component;
      skipped.push({ ref: group.ref, reason: 'another entry with the same UID; kept the one with the higher SEQUENCE' });
    }
  }
  return groups;
}

/** The value of `name` as the file writes it, undecoded (never throws). */
function writtenValue(component: Component, name: string): string {
  const value: unknown = component.getFirstProperty(name)?.jCal[3];
  return typeof value === 'string' ? value : '';
}

/** RFC 5545 §3.8.7.4: the revision of an entry; a later edit has the higher. */
const sequenceOf = (c: Component): number => Number(c.getFirstPropertyValue('sequence')) || 0;

/** Where each override of a group stands in its list, by its RECURRENCE-ID as written. */
const overridePositions = new WeakMap<Group, Map<string, number>>();

/**
 * Two overrides of one occurrence (robur-coop/icalendar#13: an Evolution calendar edited in two or
 * three apps wrote SEQUENCE 10 and 1 for one RECURRENCE-ID): the one of the higher SEQUENCE is kept
 * (the first on a tie), as for a repeated entry. ical.js kept whichever came last in the file, so
 * the older time could stand for the call.
 */
function addOverride(group: Group, override: Component, skipped: SkippedItem[]): void {
  const key = override.getFirstProperty('recurrence-id')?.toICALString() ?? '';
  // Found by their RECURRENCE-ID as written, not by comparing each with every one before it
  // (20,000 overrides of one series cost 90 s of CPU that way; test/providers/calendar/odd-reports).
  let positions = overridePositions.get(group);
  if (!positions) overridePositions.set(group, (positions = new Map()));
  const index = positions.get(key);
  const other = index === undefined ? undefined : group.overrides[index];
  if (index === undefined || !other) {
    positions.set(key, group.overrides.push(override) - 1);
    return;
  }
  if (sequenceOf(override) > sequenceOf(other)) group.overrides[index] = override;
  skipped.push({ ref: group.ref, reason: 'another override of the same occurrence (RECURRENCE-ID); kept the one with the higher SEQUENCE' });
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
