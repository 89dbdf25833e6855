/**
 * What the detection tests of the held-out rounds share: the candidate's settings, an invitation to
 * vary, and what a test reads of an analysis (kind, direction, number).
 */
import { DEFAULT_FREE_MAIL_DOMAINS, DEFAULT_INTERVIEW_KEYWORDS } from '../../config/fields.js';
import { analyse, type DetectSettings } from '../../src/domain/detect.js';
import type { CalendarEvent, Person } from '../../src/domain/types.js';

/** The candidate's number in the config. */
export const OWN = '+14155550100';
export const SELF: Person = { name: 'Ada Park', email: 'ada@example.org' };

export const detectSettings: DetectSettings = {
  candidate: { name: SELF.name, email: SELF.email, phone: OWN, timezone: 'America/Los_Angeles' },
  detection: { keywords: DEFAULT_INTERVIEW_KEYWORDS, defaultDirection: 'unknown', freeMailDomains: DEFAULT_FREE_MAIL_DOMAINS },
};

/** An invitation from `organizer` that the candidate accepted, with `over` on top. */
export function invitation(organizer: Person, over: Partial<CalendarEvent>): CalendarEvent {
  return {
    id: 'e1',
    title: '',
    description: '',
    location: '',
    start: Date.UTC(2031, 2, 4, 15),
    end: Date.UTC(2031, 2, 4, 15, 30),
    timeZone: 'America/Los_Angeles',
    allDay: false,
    status: 'confirmed',
    organizer,
    attendees: [{ ...SELF, status: 'accepted' }],
    categories: [],
    tags: {},
    conferencePhones: [],
    ...over,
  };
}

/** Invitations `organizer` sends: a title and description, in `timeZone` (Los Angeles unless told), with `over` on top. */
export function sender(organizer: Person): (title: string, description: string, timeZone?: string, over?: Partial<CalendarEvent>) => CalendarEvent {
  return (title, description, timeZone = 'America/Los_Angeles', over = {}) => invitation(organizer, { title, description, timeZone, ...over });
}

export interface Read {
  readonly kind: string;
  readonly direction: string | null;
  readonly number: string | null;
}

/** The kind, and for an interview its direction and number, as detection reads `event`. */
export function readEvent(event: CalendarEvent, settings: DetectSettings = detectSettings): Read {
  const analysis = analyse(event, settings);
  const detection = analysis.result.kind === 'interview' ? analysis.result.detection : null;
  return { kind: analysis.kind, direction: detection?.direction ?? null, number: detection?.number ?? null };
}
