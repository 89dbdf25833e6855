/**
 * iCalendar text → normalised events, for every adapter that receives ICS (the `ics` source,
 * CalDAV). Recurring entries are expanded over a window; anything that cannot become an event is
 * reported as a {@link SkippedItem} with a reason, never thrown: one bad entry must not hide the
 * others. ical.js types stay inside this file and its parts: ical-entries.ts (text → entries
 * grouped by UID), ical-recurrence.ts (expansion), ical-walk.ts (its budgets), ical-rules.ts (the
 * rule parts ical.js reads wrongly or at great cost), ical-zones.ts (times and zones), ical-align.ts
 * (a series' times written in another form than its start), ical-fields.ts (an entry's fields) and
 * ical-text.ts (what they share).
 *
 * Time zones: ical.js 2 resolves a TZID against the VTIMEZONE components of the calendar that the
 * property belongs to, so the zones of each file are honoured without registering them in the
 * global `ICAL.TimezoneService` (which would let two calendars that define the same TZID
 * differently overwrite each other). A TZID the file does not define is converted with luxon when
 * it is an IANA name; otherwise the event is skipped ("unknown time zone").
 */
import type { CalendarEvent } from '../../domain/types.js';
import { cleanLines, groupByUid, readEntries } from './ical-entries.js';
import { expandGroup, MAX_CALENDAR_RULE_STEPS, type Context, type ExpandWindow } from './ical-recurrence.js';
import { messageOf, SkipEvent } from './ical-text.js';
import type { SkippedItem } from './types.js';

export type { ExpandWindow } from './ical-recurrence.js';

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
