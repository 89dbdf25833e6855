/**
 * Whose clock "for you" names when the emails go to the interviewer a coordinator's invitation
 * names, not to its organizer: the event's zone is the coordinator's calendar's (Greenhouse's
 * scheduler creates the event on their own calendar and adds the interviewers as guests,
 * https://support.greenhouse.io/hc/en-us/articles/201913110-Scheduling-overview; Ashby's meeting
 * organizer is the point of contact, not the interviewer, https://docs.ashbyhq.com/what-is-a-meeting-organizer),
 * and an interviewer in another office reads their own clock. Pure: real tzdata, `now` a parameter.
 */
import { describe, expect, it } from 'vitest';
import { DEFAULT_FREE_MAIL_DOMAINS, DEFAULT_INTERVIEW_KEYWORDS } from '../../config/fields.js';
import { composeConfirmation } from '../../src/domain/compose.js';
import { detect, type DetectSettings } from '../../src/domain/detect.js';
import type { Attendee, CalendarEvent, Detection, Person } from '../../src/domain/types.js';
import { interviewRecipientZone } from '../../src/domain/zones.js';
import { storedInterview } from '../support/interview-record.js';

const ADA = 'ada.park@example.org';
const settings: DetectSettings = {
  candidate: { name: 'Ada Park', email: ADA, phone: '+14155550100', timezone: 'America/Los_Angeles' },
  detection: { keywords: DEFAULT_INTERVIEW_KEYWORDS, defaultDirection: 'unknown', freeMailDomains: DEFAULT_FREE_MAIL_DOMAINS },
};
const JAMIE: Person = { name: 'Jamie Rivera', email: 'jamie.rivera@northwind.example' };
const MORGAN: Person = { name: 'Morgan Lee', email: 'morgan.lee@northwind.example' };
const attending = (person: Person, status: Attendee['status']): Attendee => ({ ...person, status });
const START = Date.UTC(2026, 2, 10, 17, 0); // 10:00 AM Pacific, 1:00 PM Eastern, 17:00 in London

/** Jamie, the coordinator in New York, books the call on their calendar; the text may name Morgan. */
function event(description: string): CalendarEvent {
  return {
    id: 'evt-1', title: 'Phone Interview - Backend Engineer - Northwind', description, location: '',
    start: START, end: START + 30 * 60_000, timeZone: 'America/New_York', allDay: false, status: 'confirmed',
    organizer: JAMIE, attendees: [attending(JAMIE, 'accepted'), attending(MORGAN, 'needs-action'), attending({ name: 'Ada Park', email: ADA }, 'accepted')],
    categories: [], tags: {}, conferencePhones: [],
  };
}

function detected(e: CalendarEvent): Detection {
  const result = detect(e, settings);
  if (result.kind !== 'interview') throw new Error('not an interview');
  return result.detection;
}

function confirmation(d: Detection, zoneSet: string | null = null): string {
  const { title, start, end, timeZone, counterpart, company, number, direction, counterpartRole, notes, role } = d;
  const interview = storedInterview('ivzone0000001', { title, start, end, timeZone, counterpart, company, number, direction, counterpartRole, notes, role });
  return composeConfirmation({ interview, candidate: settings.candidate, messageId: '<m@example.org>', now: START - 60 * 60_000, shortNotice: false, zoneSet }).text;
}

describe('the interviewer the invitation names, on a coordinator’s event', () => {
  const named = detected(event('Interviewer: Morgan Lee\nMorgan will call you.'));

  it('is written to, and the coordinator’s zone is not taken for theirs', () => {
    expect(named.counterpart.email).toBe(MORGAN.email);
    expect(interviewRecipientZone({ ...named }, null, settings.candidate.timezone)).toBeNull();
    expect(confirmation(named)).toContain('today at 10:00 AM Pacific. ');
    expect(confirmation(named)).not.toContain('Eastern');
  });

  it('reads their own clock once the user sets their zone', () => {
    expect(confirmation(named, 'Europe/London')).toContain('today at 10:00 AM Pacific (17:00 GMT for you).');
  });

  it('the organizer written to keeps their event’s zone', () => {
    const organizer = detected(event('Your phone interview with Northwind.'));
    expect(organizer.counterpart.email).toBe(JAMIE.email);
    expect(confirmation(organizer)).toContain('today at 10:00 AM Pacific (1:00 PM Eastern for you).');
  });
});
