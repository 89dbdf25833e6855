/**
 * Graph events as the domain sees them: one delta page turned into upserts, deletions (`@removed`
 * entries) and skipped items, and one event normalised (times, attendees and the owner's answer,
 * the body as text, the Teams meeting and its dial-in numbers).
 */
import { DateTime, IANAZone } from 'luxon';
import type { Attendee, CalendarEvent, Millis, ParticipationStatus, Person } from '../../domain/types.js';
import type { SkippedItem, SyncPage } from '../calendar/types.js';
// Zone names are read by the map the iCalendar reader shares (../zone-names.ts). Graph returns
// Windows names ("W. Europe Standard Time") and IANA names, but also Windows display names
// ("(UTC+01:00) Amsterdam, Berlin, …", microsoftgraph/msgraph-sdk-dotnet#1537), and
// `originalStartTimeZone` is "tzone://Microsoft/Custom" when desktop Outlook set a legacy custom
// zone (Graph's event resource; phw198/OutlookGoogleCalendarSync#2148): that one names no zone, and
// none is guessed. The times themselves are asked for in UTC (calendar.ts).
import { zoneOfTzid } from '../zone-names.js';
import { withoutBlocks, withoutSpacesBeforeBreaks, withoutTags } from '../html-text.js';

/** One event as Graph sends it, read field by field. */
export type GraphItem = Record<string, unknown>;

/** One page of events as the port carries it; `full` and the cursor are the sync's to add. */
export function convert(items: readonly GraphItem[], self: string, floatingZone: string): Omit<SyncPage, 'full' | 'nextCursor'> {
  const upserts: CalendarEvent[] = [];
  const deletions: string[] = [];
  const skipped: SkippedItem[] = [];
  for (const item of items) {
    const id = typeof item.id === 'string' ? item.id : null;
    if ('@removed' in item) {
      if (id) deletions.push(id);
      continue;
    }
    const event = id === null ? null : eventOf(id, item, self, floatingZone);
    if (event === null) {
      skipped.push({ ref: typeof item.subject === 'string' ? item.subject.slice(0, 120) : (id ?? '(no id)'), reason: unreadable(item, id) });
    } else {
      upserts.push(event);
    }
  }
  return { upserts, deletions, skipped };
}

/**
 * Why an event was left out. A zone name the map does not know is named: Windows keeps zones no
 * IANA zone matches ("Mid-Atlantic Standard Time", "(UTC-02:00) Mid-Atlantic - Old"), and Graph
 * returns them when it does not honour the Prefer header's UTC.
 */
function unreadable(item: GraphItem, id: string | null): string {
  if (id === null) return 'no readable id';
  for (const side of ['start', 'end']) {
    const zone = text(field(item, side, 'timeZone'));
    if (item.isAllDay !== true && zone !== '' && zoneOfTzid(zone) === null) {
      return `unknown time zone ${JSON.stringify(zone.slice(0, 80))} (${side}.timeZone): not a Windows or IANA zone name ringback knows, so its time cannot be known`;
    }
  }
  return 'no readable start or end, or it ends before it starts';
}

const RESPONSES: Readonly<Record<string, ParticipationStatus>> = {
  accepted: 'accepted',
  organizer: 'accepted',
  declined: 'declined',
  tentativelyAccepted: 'tentative',
  notResponded: 'needs-action',
  none: 'unknown',
};

/** One Graph event as the domain sees it, or null when its id or times cannot be read. */
export function eventOf(id: string, item: GraphItem, self: string, floatingZone = 'UTC'): CalendarEvent | null {
  const times = timesOf(item, floatingZone);
  if (!times) return null;
  const allDay = item.isAllDay === true;
  const organizer = personOf(field(item, 'organizer', 'emailAddress'));
  const ownAnswer = text(field(item, 'responseStatus', 'response'));
  const attendees: Attendee[] = [];
  let ownerListed = false;
  for (const entry of Array.isArray(item.attendees) ? (item.attendees as unknown[]) : []) {
    const person = personOf(field(entry, 'emailAddress'));
    if (!person) continue;
    const given = RESPONSES[text(field(entry, 'status', 'response'))] ?? 'unknown';
    if (self !== '' && person.email === self) {
      ownerListed = true;
      // Outlook keeps the owner's answer on the event, not on their attendee entry.
      const status = ownAnswer !== '' && ownAnswer !== 'none' ? (RESPONSES[ownAnswer] ?? given) : given;
      attendees.push({ ...person, status, self: true });
    } else {
      attendees.push({ ...person, status: given });
    }
  }
  if (!ownerListed && item.isOrganizer !== true && ownAnswer !== '' && ownAnswer !== 'none' && ownAnswer !== 'organizer') {
    attendees.push({ name: '', email: self, status: RESPONSES[ownAnswer] ?? 'unknown', self: true });
  }
  const uid = text(item.iCalUId);
  return {
    id,
    // The invitation's UID, which other calendars holding it keep (src/domain/duplicates.ts): Graph's
    // `iCalUId`, "a unique identifier for an event across calendars"
    // (https://learn.microsoft.com/en-us/graph/api/resources/event), the UID of an imported or
    // received iCalendar invitation (https://devblogs.microsoft.com/microsoft365dev/microsoft-graph-calendar-events-icaluid-update/).
    // An occurrence completed from its series master carries the master's (calendar-series.ts).
    ...(uid !== '' ? { uid } : {}),
    title: text(item.subject),
    description: descriptionOf(item.body),
    location: text(field(item, 'location', 'displayName')),
    start: times.start,
    end: times.end,
    timeZone: allDay ? null : zoneOfTzid(text(item.originalStartTimeZone)),
    allDay,
    status: item.isCancelled === true ? 'cancelled' : 'confirmed',
    organizer,
    attendees,
    categories: Array.isArray(item.categories) ? item.categories.filter((c): c is string => typeof c === 'string') : [],
    tags: {},
    conferencePhones: phonesOf(item.onlineMeeting),
    ...withConference(conferenceOf(item)),
  };
}

/** Start and end of an event, or null when they cannot be read or end before they start. */
export function timesOf(item: GraphItem, floatingZone: string): { start: Millis; end: Millis } | null {
  const allDay = item.isAllDay === true;
  const start = instant(item.start, allDay, floatingZone);
  const end = instant(item.end, allDay, floatingZone);
  return start === null || end === null || end < start ? null : { start, end };
}

/** A Graph dateTimeTimeZone as epoch ms; all-day dates at midnight in `floatingZone`. */
function instant(value: unknown, allDay: boolean, floatingZone: string): Millis | null {
  const dateTime = text(field(value, 'dateTime'));
  if (dateTime === '') return null;
  const zone = allDay ? floatingZone : zoneOfTzid(text(field(value, 'timeZone')) || 'UTC');
  if (zone === null) return null;
  const parsed = DateTime.fromISO(allDay ? dateTime.slice(0, 10) : dateTime, { zone: IANAZone.create(zone) });
  return parsed.isValid ? parsed.toMillis() : null;
}

function personOf(value: unknown): Person | null {
  const email = text(field(value, 'address')).trim().toLowerCase();
  const name = text(field(value, 'name')).trim();
  if (email === '' && name === '') return null;
  return { name: name === email ? '' : name, email };
}

/** `conference` only when there is one, so that an event without a meeting reads as before. */
function withConference(links: string[]): { conference?: string[] } {
  return links.length > 0 ? { conference: links } : {};
}

/** The Teams (or Skype) meeting Graph says the event has: join link, else the provider's name. */
function conferenceOf(item: GraphItem): string[] {
  const links = [text(field(item.onlineMeeting, 'joinUrl')), text(field(item, 'onlineMeetingUrl'))].filter((link) => link !== '');
  const provider = text(field(item, 'onlineMeetingProvider'));
  if (links.length === 0 && field(item, 'isOnlineMeeting') === true) links.push(provider !== '' && provider !== 'unknown' ? provider : 'online meeting');
  return [...new Set(links)];
}

function phonesOf(meeting: unknown): string[] {
  const phones = [
    text(field(meeting, 'tollNumber')),
    ...list(field(meeting, 'tollFreeNumbers')).map(text),
    ...list(field(meeting, 'phones')).map((phone) => text(field(phone, 'number'))),
  ];
  return [...new Set(phones.map((phone) => phone.trim()).filter((phone) => phone !== ''))];
}

/** The event's body as text: Outlook stores HTML, and detection reads words and numbers. */
function descriptionOf(body: unknown): string {
  const content = text(field(body, 'content'));
  if (text(field(body, 'contentType')).toLowerCase() !== 'html') return content;
  return htmlToText(content);
}

export function htmlToText(html: string): string {
  const text = withoutTags(withoutBlocks(html).replace(/<br\s*\/?>/gi, '\n').replace(/<\/(p|div|li|tr|h[1-6])\s*>/gi, '\n'));
  return withoutSpacesBeforeBreaks(text.replace(/&(#x[0-9a-f]+|#\d+|[a-z]+);/gi, (entity, name: string) => decodeEntity(name) ?? entity))
    .replace(/\n{3,}/g, '\n\n')
    .trim();
}

const ENTITIES: Readonly<Record<string, string>> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: ' ' };

function decodeEntity(name: string): string | null {
  if (name.startsWith('#')) {
    const code = name[1] === 'x' || name[1] === 'X' ? parseInt(name.slice(2), 16) : parseInt(name.slice(1), 10);
    return Number.isInteger(code) && code > 0 && code <= 0x10ffff ? String.fromCodePoint(code) : null;
  }
  return ENTITIES[name.toLowerCase()] ?? null;
}

function field(value: unknown, ...path: string[]): unknown {
  let current = value;
  for (const key of path) {
    if (typeof current !== 'object' || current === null) return undefined;
    current = (current as Record<string, unknown>)[key];
  }
  return current;
}

function text(value: unknown): string {
  return typeof value === 'string' ? value : '';
}

function list(value: unknown): unknown[] {
  return Array.isArray(value) ? value : [];
}
