/**
 * Google Calendar events as the domain sees them: one listing page turned into upserts, deletions
 * (Google's `status: cancelled` tombstones) and skipped items, and one event normalised.
 */
import { DateTime } from 'luxon';
import type { calendar_v3 } from 'googleapis/build/src/apis/calendar/index.js';
import type { Attendee, CalendarEvent, Millis, ParticipationStatus, Person } from '../../domain/types.js';
import type { SkippedItem, SyncPage } from '../calendar/types.js';
import { hasTag, withoutTags } from '../html-text.js';

/** One page of a listing as the port carries it; `full` and the cursor are the sync's to add. */
export function convertPage(page: calendar_v3.Schema$Events): Omit<SyncPage, 'full' | 'nextCursor'> {
  const upserts: CalendarEvent[] = [];
  const deletions: string[] = [];
  const skipped: SkippedItem[] = [];
  for (const item of page.items ?? []) {
    if (!item.id) {
      skipped.push({ ref: item.summary ?? '(untitled)', reason: 'event without an id' });
    } else if (item.status === 'cancelled') {
      deletions.push(item.id);
    } else {
      const event = toCalendarEvent(item, page.timeZone ?? null);
      if ('reason' in event) skipped.push(event);
      else upserts.push(event);
    }
  }
  return { upserts, deletions, skipped };
}

/** Normalises one Google event; exported for unit tests. */
export function toCalendarEvent(item: calendar_v3.Schema$Event, calendarZone: string | null): CalendarEvent | SkippedItem {
  const ref = item.id ?? item.summary ?? '(untitled)';
  const zone = validZone(item.start?.timeZone) ?? validZone(calendarZone);
  const allDay = !item.start?.dateTime && Boolean(item.start?.date);
  const start = instant(item.start, zone);
  const end = instant(item.end, zone) ?? start;
  if (start === null || end === null) return { ref, reason: 'start or end is missing or unreadable' };
  return {
    id: item.id ?? ref,
    // The invitation's UID, which other calendars holding it keep (src/domain/duplicates.ts); every
    // instance of a series has the series' own ("all occurrences of one event have different ids
    // while they all share the same iCalUIDs", https://developers.google.com/calendar/api/v3/reference/events).
    // events.list returns it: the adapter asks for no `fields` subset (calendar.ts).
    ...(item.iCalUID ? { uid: item.iCalUID } : {}),
    title: item.summary ?? '',
    description: plainText(item.description ?? ''),
    location: item.location ?? '',
    start,
    end: Math.max(start, end),
    timeZone: zone,
    allDay,
    status: item.status === 'tentative' ? 'tentative' : 'confirmed',
    organizer: item.organizer ? person(item.organizer) : null,
    attendees: attendeesOf(item.attendees),
    categories: [],
    tags: { ...(item.extendedProperties?.private ?? {}) },
    conferencePhones: item.conferenceData ? phonesOf(item.conferenceData) : [],
    // The meeting Google attaches (Meet by default): detection reads it as a video call.
    ...(item.conferenceData || item.hangoutLink ? conferenceOf(item) : {}),
  };
}

/**
 * The attendees that are people (not rooms), each `{ name, email, status }` and `self: true` for
 * the calendar's owner, in that key order: the event's JSON is hashed (src/engine/sync.ts), so a
 * new order would make every stored event look changed. One loop: a sync converts 300 per page.
 */
function attendeesOf(attendees: calendar_v3.Schema$EventAttendee[] | undefined): Attendee[] {
  const people: Attendee[] = [];
  for (const attendee of attendees ?? []) {
    if (attendee.resource) continue;
    const name = attendee.displayName ?? '';
    const email = (attendee.email ?? '').trim().toLowerCase();
    const status = participation(attendee.responseStatus);
    people.push(attendee.self ? { name, email, status, self: true } : { name, email, status });
  }
  return people;
}

/** The dial-in numbers of the conference data, as given. */
function phonesOf(data: calendar_v3.Schema$ConferenceData): string[] {
  return (data.entryPoints ?? [])
    .filter((entry) => entry.entryPointType === 'phone')
    .map((entry) => entry.label ?? entry.uri?.replace(/^tel:/i, '') ?? '')
    .filter((phone) => phone.length > 0);
}

/** The video meeting of an event (`conferenceData`, `hangoutLink`); absent when there is none. */
function conferenceOf(item: calendar_v3.Schema$Event): { conference?: string[] } {
  const links = [
    ...(item.conferenceData?.entryPoints ?? []).filter((entry) => entry.entryPointType === 'video').map((entry) => entry.uri ?? ''),
    item.conferenceData?.conferenceSolution?.name ?? '',
    item.hangoutLink ?? '',
  ].filter((link, i, all) => link !== '' && all.indexOf(link) === i);
  return links.length > 0 ? { conference: links } : {};
}

function instant(time: calendar_v3.Schema$EventDateTime | undefined, zone: string | null): Millis | null {
  if (time?.dateTime) {
    const at = Date.parse(time.dateTime);
    return Number.isFinite(at) ? at : null;
  }
  if (time?.date) {
    // An all-day date is a day in the calendar's zone; its end date is exclusive, as Google sends it.
    const day = DateTime.fromISO(time.date, { zone: zone ?? 'UTC' }).startOf('day');
    return day.isValid ? day.toMillis() : null;
  }
  return null;
}

/**
 * Zone names already checked: a listing names the same few zones on every event, and each check
 * built a DateTime (1.7% of a first sync, fleet benchmark). Whether a name is a zone does not
 * change while the process runs; the map is emptied when full, so a server sending ever new names
 * cannot grow it without bound.
 */
const checkedZones = new Map<string, boolean>();

function validZone(zone: string | null | undefined): string | null {
  if (!zone) return null;
  let valid = checkedZones.get(zone);
  if (valid === undefined) {
    valid = DateTime.now().setZone(zone).isValid;
    if (checkedZones.size >= 1000) checkedZones.clear();
    checkedZones.set(zone, valid);
  }
  return valid ? zone : null;
}

function person(value: { displayName?: string | null; email?: string | null }): Person {
  return { name: value.displayName ?? '', email: (value.email ?? '').trim().toLowerCase() };
}

function participation(status: string | null | undefined): ParticipationStatus {
  switch (status) {
    case 'accepted':
      return 'accepted';
    case 'declined':
      return 'declined';
    case 'tentative':
      return 'tentative';
    case 'needsAction':
      return 'needs-action';
    default:
      return 'unknown';
  }
}

/**
 * Google Calendar's web editor stores descriptions as HTML (`<br>`, links, `&amp;`). Detection
 * reads plain text, so tags become line breaks or vanish and entities are decoded.
 */
export function plainText(description: string): string {
  if (!hasTag(description) && !/&[a-z#0-9]+;/i.test(description)) return description;
  return withoutTags(description.replace(/<br\s*\/?>/gi, '\n').replace(/<\/(p|div|li|h[1-6])>/gi, '\n'))
    .replace(/&(#x[0-9a-f]+|#[0-9]+|amp|lt|gt|quot|apos|nbsp);/gi, (entity: string, name: string) => {
      const lower = name.toLowerCase();
      if (lower.startsWith('#')) {
        const code = lower.startsWith('#x') ? parseInt(lower.slice(2), 16) : parseInt(lower.slice(1), 10);
        return code > 0 && code <= 0x10ffff ? String.fromCodePoint(code) : entity;
      }
      return { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: ' ' }[lower] ?? entity;
    })
    .replace(/\n{3,}/g, '\n\n')
    .trim();
}
