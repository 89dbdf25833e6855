/**
 * Synthetic calendars for the benchmarks: deterministic, so that a child process (the Google
 * stand-in) and the benchmark build the same events from a few numbers. A share of the events
 * are phone interviews as `detect` recognises them (title keyword, an interviewer who organised
 * it, the candidate accepted, a number in the text); the rest are ordinary meetings with
 * colleagues, about as large as real ones.
 */
import type { FakeEvent } from '../../test/support/google-server.js';
import { CANDIDATE } from './engine.js';

const DAY = 86_400_000;
const HOUR = 3_600_000;
const MINUTE = 60_000;

export interface BenchEvent {
  readonly uid: string;
  readonly title: string;
  readonly description: string;
  readonly location: string;
  readonly start: number;
  readonly end: number;
  readonly organizer: { readonly name: string; readonly email: string };
  readonly attendees: readonly { readonly name: string; readonly email: string; readonly status: 'accepted' | 'needs-action' }[];
  readonly interview: boolean;
}

export interface CalendarShape {
  /** Distinguishes accounts; part of every uid. */
  readonly account: number;
  readonly count: number;
  /** Every `1 / interviewShare`-th event is an interview. */
  readonly interviewShare: number;
  /** Midnight UTC of the first day; events fall on the `days` days from two days after it. */
  readonly base: number;
  /** @defaultValue 26 */
  readonly days?: number;
}

const MEETINGS = ['Team sync', 'Focus time', 'Design review', 'Lunch with Lee', 'Dentist', 'Planning', 'Coffee chat', 'Gym'];
const COLLEAGUES = ['Sam Ortiz', 'Lee Chen', 'Priya Nair', 'Jonas Berg', 'Mia Rossi'];

/** Midnight UTC today: the `base` that keeps every event inside a 30-day horizon. */
export function todayUtc(now = Date.now()): number {
  return Math.floor(now / DAY) * DAY;
}

export function makeEvent(shape: CalendarShape, index: number): BenchEvent {
  const every = Math.max(1, Math.round(1 / shape.interviewShare));
  const interview = shape.interviewShare > 0 && index % every === 0;
  const day = 2 + (index % (shape.days ?? 26));
  const start = shape.base + day * DAY + (13 + ((index * 7) % 9)) * HOUR + (index % 2) * 30 * MINUTE;
  const uid = `a${shape.account}-e${index}`;
  if (interview) {
    const company = `acme${(shape.account * 31 + index) % 997}`;
    const recruiter = { name: 'Dana Whitfield', email: `dana.${index}@${company}.example` };
    return {
      uid,
      title: `Phone screen with Dana (${company})`,
      description: `Dana will call you at +1 415 555 0${String(100 + (index % 900)).padStart(3, '0')}. Please have your portfolio ready.`,
      location: 'Phone',
      start,
      end: start + 30 * MINUTE,
      organizer: recruiter,
      attendees: [
        { name: CANDIDATE.name, email: CANDIDATE.email, status: 'accepted' },
        { name: recruiter.name, email: recruiter.email, status: 'accepted' },
      ],
      interview: true,
    };
  }
  const colleagues = COLLEAGUES.slice(0, 2 + (index % 3)).map((name) => ({
    name,
    email: `${name.split(' ')[0]!.toLowerCase()}@example.com`,
    status: 'accepted' as const,
  }));
  return {
    uid,
    title: `${MEETINGS[index % MEETINGS.length]} ${index}`,
    description: 'Agenda: status, blockers, next steps. Notes in the shared folder; bring questions.',
    location: index % 3 === 0 ? 'Room 4.12' : '',
    start,
    end: start + (index % 4 === 0 ? 60 : 30) * MINUTE,
    organizer: colleagues[0]!,
    attendees: [{ name: CANDIDATE.name, email: CANDIDATE.email, status: 'accepted' }, ...colleagues],
    interview: false,
  };
}

export function makeCalendar(shape: CalendarShape): BenchEvent[] {
  return Array.from({ length: shape.count }, (_, index) => makeEvent(shape, index));
}

/** Which events change in poll `round`: `count` distinct indexes, spread over the calendar. */
export function changedIndexes(total: number, count: number, round: number): number[] {
  const picked = new Set<number>();
  const step = 7919; // prime: walks the whole calendar
  for (let k = 0; picked.size < Math.min(count, total); k++) picked.add((round * 104_729 + k * step) % total);
  return [...picked];
}

/** The event as changed in poll `round`: an interview moves by 15–45 minutes; a meeting is renamed. */
export function changeEvent(event: BenchEvent, round: number): BenchEvent {
  if (event.interview) {
    const shift = (1 + (round % 3)) * 15 * MINUTE;
    return { ...event, start: event.start + shift, end: event.end + shift };
  }
  return { ...event, title: `${event.title.replace(/ \(r\d+\)$/, '')} (r${round})` };
}

function isoZ(at: number): string {
  return new Date(at).toISOString().replace('.000Z', 'Z');
}

/** The event as Google holds it. Ids are Google-shaped (lower-case letters and digits). */
export function toGoogleEvent(event: BenchEvent): FakeEvent {
  return {
    id: event.uid.replace(/[^a-z0-9]/g, 'x'),
    summary: event.title,
    description: event.description,
    ...(event.location ? { location: event.location } : {}),
    start: { dateTime: isoZ(event.start), timeZone: 'UTC' },
    end: { dateTime: isoZ(event.end), timeZone: 'UTC' },
    organizer: { email: event.organizer.email, displayName: event.organizer.name },
    attendees: event.attendees.map((a) => ({
      email: a.email,
      displayName: a.name,
      responseStatus: a.status === 'accepted' ? ('accepted' as const) : ('needsAction' as const),
      ...(a.email === CANDIDATE.email ? { self: true } : {}),
    })),
  };
}

function icsText(value: string): string {
  return value.replace(/\\/g, '\\\\').replace(/;/g, '\\;').replace(/,/g, '\\,').replace(/\n/g, '\\n');
}

function icsTime(at: number): string {
  return new Date(at).toISOString().replace(/[-:]/g, '').replace(/\.\d{3}/, '');
}

/** An iCalendar file of the events, as a calendar app would export it. */
export function toIcs(events: Iterable<BenchEvent>): string {
  const lines = ['BEGIN:VCALENDAR', 'VERSION:2.0', 'PRODID:-//ringback//bench//EN'];
  for (const e of events) {
    lines.push(
      'BEGIN:VEVENT',
      `UID:${e.uid}@bench.ringback`,
      `DTSTAMP:${icsTime(e.start - DAY)}`,
      `DTSTART:${icsTime(e.start)}`,
      `DTEND:${icsTime(e.end)}`,
      `SUMMARY:${icsText(e.title)}`,
      `DESCRIPTION:${icsText(e.description)}`,
      ...(e.location ? [`LOCATION:${icsText(e.location)}`] : []),
      `ORGANIZER;CN=${icsText(e.organizer.name)}:mailto:${e.organizer.email}`,
      ...e.attendees.map((a) => `ATTENDEE;CN=${icsText(a.name)};PARTSTAT=${a.status === 'accepted' ? 'ACCEPTED' : 'NEEDS-ACTION'}:mailto:${a.email}`),
      'END:VEVENT',
    );
  }
  lines.push('END:VCALENDAR', '');
  return lines.join('\r\n');
}
