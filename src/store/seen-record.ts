/**
 * How an event kept for `ringback explain` is written in `seen:{id}`.
 *
 * - Version 1 (earlier versions, still read, and still written for an event this layout does not
 *   cover): `JSON.stringify` of the {@link SeenEvent}, an object (`{…`).
 * - Version 2: a JSON array (`[2,…`) of the same values without their key names: the event's
 *   fields in a fixed order, organizer, attendees and evidence as tuples, and the event's empty
 *   lists left out. A first sync keeps most of a calendar's meetings (each one with a word about
 *   a job or a call), about 1 KB each as version 1 and 0.6 KB as version 2 (fleet benchmark,
 *   2026-12-06): Redis memory, the bytes written, and the JSON made per event.
 *
 * Reading either gives the same {@link SeenEvent}; a value this layout cannot give back exactly
 * (a field it does not know, an attendee of another shape) is written as version 1.
 */
import type { Attendee, CalendarEvent, Evidence, EventKind, Person } from '../domain/types.js';

/** An event detection weighed (left out, with why, or made a phone interview), and enough to detect it again. */
export interface SeenEvent {
  readonly id: string;
  readonly sourceId: string;
  readonly event: CalendarEvent;
  readonly kind: EventKind;
  readonly confidence: number;
  readonly reason: string;
  readonly evidence: readonly Evidence[];
}

/**
 * The `reason` of an uncertain phone interview's event, kept so that `ringback mark` can decide it again
 * (src/engine/mark.ts). An upgrade's new rules read it again too, as they read a kept event that
 * has an interview record (src/engine/reread.ts).
 */
export const KEPT_INTERVIEW = 'a phone interview';

const VERSION = 2;

/** The event's fields written in the tuple, in its order; each must be defined. */
const EVENT_FIELDS = ['id', 'title', 'description', 'location', 'start', 'end', 'timeZone', 'allDay', 'status', 'organizer', 'attendees'] as const;
/** Written in the tuple's last element only when not empty (lists) or present. */
const OPTIONAL_FIELDS = ['categories', 'tags', 'conferencePhones', 'conference', 'seriesId', 'uid'] as const;
const KNOWN_EVENT_FIELDS: ReadonlySet<string> = new Set<string>([...EVENT_FIELDS, ...OPTIONAL_FIELDS]);
const SEEN_FIELDS: ReadonlySet<string> = new Set(['id', 'sourceId', 'event', 'kind', 'confidence', 'reason', 'evidence']);

type PersonTuple = [name: string, email: string];
type AttendeeTuple = [name: string, email: string, status: Attendee['status'], self?: 0 | 1];
type EvidenceTuple = [field: Evidence['field'], text: string, signal: string, weight: number];

/**
 * Keys whose value is defined (what JSON writes), all in `allowed`. A `for…in` rather than
 * `Object.entries`, which made an array per key (1.5% of a first sync); the values are plain
 * objects, which inherit no enumerable key.
 */
function onlyKeys(value: object, allowed: ReadonlySet<string>): boolean {
  for (const k in value) if (!allowed.has(k) && (value as Record<string, unknown>)[k] !== undefined) return false;
  return true;
}

const PERSON_KEYS: ReadonlySet<string> = new Set(['name', 'email']);
const ATTENDEE_KEYS: ReadonlySet<string> = new Set(['name', 'email', 'status', 'self']);
const EVIDENCE_KEYS: ReadonlySet<string> = new Set(['field', 'text', 'signal', 'weight']);

function isText(value: unknown): value is string {
  return typeof value === 'string';
}

function personOut(person: Person): PersonTuple | Person {
  return isText(person.name) && isText(person.email) && onlyKeys(person, PERSON_KEYS) ? [person.name, person.email] : person;
}

function attendeeOut(a: Attendee): AttendeeTuple | Attendee {
  if (!isText(a.name) || !isText(a.email) || !isText(a.status) || !onlyKeys(a, ATTENDEE_KEYS)) return a;
  if (a.self === undefined) return [a.name, a.email, a.status];
  return typeof a.self === 'boolean' ? [a.name, a.email, a.status, a.self ? 1 : 0] : a;
}

function evidenceOut(e: Evidence): EvidenceTuple | Evidence {
  return isText(e.field) && isText(e.text) && isText(e.signal) && typeof e.weight === 'number' && onlyKeys(e, EVIDENCE_KEYS) ? [e.field, e.text, e.signal, e.weight] : e;
}

/** The JSON kept for `seen` (already bounded by the caller): version 2 when it gives it back exactly. */
export function encodeSeen(seen: SeenEvent): string {
  const event = seen.event;
  const fits =
    onlyKeys(seen, SEEN_FIELDS) &&
    onlyKeys(event, KNOWN_EVENT_FIELDS) &&
    EVENT_FIELDS.every((field) => event[field] !== undefined) &&
    typeof event.allDay === 'boolean' &&
    Array.isArray(event.attendees) &&
    Array.isArray(event.categories) &&
    Array.isArray(event.conferencePhones) &&
    typeof event.tags === 'object' &&
    event.tags !== null;
  if (!fits) return JSON.stringify(seen);
  const optional: Record<string, unknown> = {};
  if (event.categories.length > 0) optional['categories'] = event.categories;
  if (Object.keys(event.tags).length > 0) optional['tags'] = event.tags;
  if (event.conferencePhones.length > 0) optional['conferencePhones'] = event.conferencePhones;
  if (event.conference !== undefined) optional['conference'] = event.conference;
  if (event.seriesId !== undefined) optional['seriesId'] = event.seriesId;
  if (event.uid !== undefined) optional['uid'] = event.uid;
  const tuple: unknown[] = [
    event.id,
    event.title,
    event.description,
    event.location,
    event.start,
    event.end,
    event.timeZone,
    event.allDay ? 1 : 0,
    event.status,
    event.organizer === null ? null : personOut(event.organizer),
    event.attendees.map(attendeeOut),
  ];
  if (Object.keys(optional).length > 0) tuple.push(optional);
  return JSON.stringify([VERSION, seen.id, seen.sourceId, seen.kind, seen.confidence, seen.reason, seen.evidence.map(evidenceOut), tuple]);
}

function personIn(value: PersonTuple | Person): Person {
  return Array.isArray(value) ? { name: value[0], email: value[1] } : value;
}

function attendeeIn(value: AttendeeTuple | Attendee): Attendee {
  if (!Array.isArray(value)) return value;
  const [name, email, status, self] = value;
  return self === undefined ? { name, email, status } : { name, email, status, self: self === 1 };
}

function evidenceIn(value: EvidenceTuple | Evidence): Evidence {
  return Array.isArray(value) ? { field: value[0], text: value[1], signal: value[2], weight: value[3] } : value;
}

/** A kept event as either version wrote it. */
export function decodeSeen(raw: string): SeenEvent {
  const parsed = JSON.parse(raw) as unknown;
  if (!Array.isArray(parsed)) return parsed as SeenEvent;
  if (parsed[0] !== VERSION) throw new Error(`a kept event of an unknown layout (${String(parsed[0])}): written by a newer ringback`);
  const [, id, sourceId, kind, confidence, reason, evidence, tuple] = parsed as [number, string, string, EventKind, number, string, (EvidenceTuple | Evidence)[], unknown[]];
  const [eventId, title, description, location, start, end, timeZone, allDay, status, organizer, attendees, optional] = tuple as [
    string,
    string,
    string,
    string,
    number,
    number,
    string | null,
    0 | 1,
    CalendarEvent['status'],
    PersonTuple | Person | null,
    (AttendeeTuple | Attendee)[],
    Partial<Pick<CalendarEvent, (typeof OPTIONAL_FIELDS)[number]>> | undefined,
  ];
  // The calendar sources' key order (src/providers/…): the sync hashes an event's JSON, and an
  // event read back from here is told to be the calendar's current one by that hash.
  const event: CalendarEvent = {
    id: eventId,
    // Where the Google and Microsoft sources put the invitation's UID: right after their own id.
    ...(optional?.uid !== undefined ? { uid: optional.uid } : {}),
    title,
    description,
    location,
    start,
    end,
    timeZone,
    allDay: allDay === 1,
    status,
    organizer: organizer === null ? null : personIn(organizer),
    attendees: attendees.map(attendeeIn),
    categories: optional?.categories ?? [],
    tags: optional?.tags ?? {},
    conferencePhones: optional?.conferencePhones ?? [],
    ...(optional?.conference !== undefined ? { conference: optional.conference } : {}),
    ...(optional?.seriesId !== undefined ? { seriesId: optional.seriesId } : {}),
  };
  return { id, sourceId, event, kind, confidence, reason, evidence: evidence.map(evidenceIn) };
}
