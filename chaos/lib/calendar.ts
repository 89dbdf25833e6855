/**
 * Interview invitations as an .ics file, the way an interviewer's calendar would send them: the
 * candidate (Ada) accepted, the interviewer organises.
 */
import { CANDIDATE } from './world.js';

export interface ChaosEvent {
  readonly uid: string;
  readonly start: number;
  readonly minutes?: number;
  readonly title?: string;
  readonly description?: string;
  /** The candidate's answer; null writes no PARTSTAT (which means NEEDS-ACTION). @defaultValue 'ACCEPTED' */
  readonly partstat?: 'ACCEPTED' | 'NEEDS-ACTION' | 'TENTATIVE' | 'DECLINED' | null;
  readonly organizer?: { readonly name: string; readonly email: string };
  /** More lines for the entry, as written (LOCATION, more ATTENDEEs…). */
  readonly extra?: readonly string[];
}

/**
 * An interviewer of their own for the n-th of many invitations: ringback sends at most
 * `limits.emailsPerRecipientPerDay` emails to one address a day, and these scenarios confirm
 * hundreds of calls.
 */
export function interviewer(n: number): { readonly name: string; readonly email: string } {
  return { name: 'Dana Whitfield', email: `dana.${n}@acme.example` };
}

function stamp(at: number): string {
  return new Date(at).toISOString().replace(/[-:]/g, '').replace(/\.\d{3}/, '');
}

function escapeText(text: string): string {
  return text.replace(/\\/g, '\\\\').replace(/;/g, '\\;').replace(/,/g, '\\,').replace(/\r?\n/g, '\\n');
}

export function eventToIcs(event: ChaosEvent): string[] {
  const organizer = event.organizer ?? { name: 'Dana Whitfield', email: 'dana@acme.example' };
  return [
    'BEGIN:VEVENT',
    `UID:${event.uid}`,
    `DTSTAMP:${stamp(event.start)}`,
    `DTSTART:${stamp(event.start)}`,
    `DTEND:${stamp(event.start + (event.minutes ?? 30) * 60_000)}`,
    `SUMMARY:${escapeText(event.title ?? 'Phone screen with Dana (Acme)')}`,
    `DESCRIPTION:${escapeText(event.description ?? 'Dana will call you.')}`,
    `ORGANIZER;CN=${organizer.name}:mailto:${organizer.email}`,
    `ATTENDEE;CN=${CANDIDATE.name}${event.partstat === null ? '' : `;PARTSTAT=${event.partstat ?? 'ACCEPTED'}`}:mailto:${CANDIDATE.email}`,
    `ATTENDEE;CN=${organizer.name};PARTSTAT=ACCEPTED:mailto:${organizer.email}`,
    ...(event.extra ?? []),
    'END:VEVENT',
  ];
}

export function calendarToIcs(events: Iterable<ChaosEvent>): string {
  const body = [...events].flatMap(eventToIcs);
  return ['BEGIN:VCALENDAR', 'VERSION:2.0', 'PRODID:-//ringback//chaos//EN', ...body, 'END:VCALENDAR', ''].join('\r\n');
}
