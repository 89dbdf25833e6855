/**
 * Interview records as the sync would write them (the synthetic events through the real
 * `detect`), for the scenarios that start from interviews rather than calendars: schedule,
 * churn, fire, footprint.
 */
import { detect, revisionKey } from '../../src/domain/detect.js';
import { interviewIdFor } from '../../src/domain/ids.js';
import type { CalendarEvent, Interview } from '../../src/domain/types.js';
import type { Engine } from '../../src/engine/context.js';
import { saveInterview } from '../../src/store/interviews.js';
import type { BenchEvent } from './calendar-data.js';
import { eachLimited } from './figures.js';

export function toCalendarEvent(event: BenchEvent): CalendarEvent {
  return {
    id: event.uid,
    title: event.title,
    description: event.description,
    location: event.location,
    start: event.start,
    end: event.end,
    timeZone: 'UTC',
    allDay: false,
    status: 'confirmed',
    organizer: event.organizer,
    attendees: event.attendees,
    categories: [],
    tags: {},
    conferencePhones: [],
  };
}

/** The interview record of an interview event, at revision 1, as a first sync makes it. */
export function interviewOf(engine: Engine, sourceId: string, event: BenchEvent): Interview {
  const calendarEvent = toCalendarEvent(event);
  const result = detect(calendarEvent, { candidate: engine.config.candidate, detection: engine.config.detection });
  if (result.kind !== 'interview') throw new Error(`benchmark event ${event.uid} is not detected as an interview (${result.reason})`);
  return {
    ...result.detection,
    id: interviewIdFor(sourceId, event.uid),
    sourceId,
    eventId: event.uid,
    revision: 1,
    revisionKey: revisionKey(calendarEvent, result.detection),
    status: 'scheduled',
    rescheduled: 0,
    outcome: null,
    outcomeSource: null,
    firstSeen: engine.now(),
  };
}

/** `count` interviews starting at `start(i)`; every one its own company and recruiter. */
export function makeInterviews(engine: Engine, count: number, start: (index: number) => number, sourceId = 'bench'): Interview[] {
  return Array.from({ length: count }, (_, index) => {
    const at = start(index);
    const company = `corp${index}`;
    const event: BenchEvent = {
      uid: `iv-${sourceId}-${index}`,
      title: `Phone screen with Dana (${company})`,
      description: `Dana will call you at +1 415 555 0${String(100 + (index % 900)).padStart(3, '0')}.`,
      location: 'Phone',
      start: at,
      end: at + 30 * 60_000,
      organizer: { name: 'Dana Whitfield', email: `dana@${company}.example` },
      attendees: [
        { name: engine.config.candidate.name, email: engine.config.candidate.email, status: 'accepted' },
        { name: 'Dana Whitfield', email: `dana@${company}.example`, status: 'accepted' },
      ],
      interview: true,
    };
    return interviewOf(engine, sourceId, event);
  });
}

export async function saveInterviews(engine: Engine, interviews: readonly Interview[]): Promise<void> {
  await eachLimited(interviews, 32, async (interview) => await saveInterview(engine.store, interview));
}

/** The interview moved by `shiftMs`: a new revision, as the sync records a moved event. */
export function moved(interview: Interview, shiftMs: number): Interview {
  return {
    ...interview,
    start: interview.start + shiftMs,
    end: interview.end + shiftMs,
    revision: interview.revision + 1,
    revisionKey: `${interview.revisionKey}+${shiftMs}`,
    rescheduled: interview.rescheduled + 1,
  };
}
