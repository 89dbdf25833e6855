/**
 * The user settles what an event is (`ringback mark`, the dashboard's buttons). The choice is
 * stored and read by every later sync, so it sticks; a tag written in the event still wins. It
 * also takes effect now: an interview marked video or not-interview is withdrawn, one marked
 * phone loses its "needs review" (so its confirmation may be sent), and an event detection had
 * not planned becomes an interview.
 */
import { regionOf, toE164 } from '../domain/phone.js';
import type { CalendarEvent, Direction, Interview, UserMark } from '../domain/types.js';
import { BadInputError } from '../errors.js';
import { requestFullListing } from '../store/accounts.js';
import { audit } from '../store/audit.js';
import { saveMark, type SeenEvent } from '../store/detections.js';
import { invalidateEventHash } from '../store/events.js';
import { updateInterview } from '../store/interview-writes.js';
import { cancelInterview } from './cancel.js';
import type { Engine } from './context.js';
import { replan } from './replan.js';
import { callHolder } from './same-call.js';
import { reprocessEvent, type ProcessResult } from './process-event.js';
import { keptEventAsListed } from './reread.js';
import { safeTitle } from './wording.js';

export type MarkTarget = { readonly interview: Interview } | { readonly seen: SeenEvent };

export interface MarkChoice {
  readonly kind: UserMark['kind'];
  readonly direction?: Direction;
  /** As the user typed it; read in the region of their own number. */
  readonly number?: string;
}

function regionOfCandidate(engine: Engine): string | undefined {
  const own = toE164(engine.config.candidate.phone);
  return own === null ? undefined : regionOf(own);
}

function describeMark(mark: UserMark): string {
  return `${mark.kind}${mark.direction ? `, ${mark.direction}` : ''}${mark.number ? `, number ${mark.number}` : ''}`;
}

/** What a mark that decided an event again says: `done` is "<id> "<title>": marked <choice>". */
function planned(done: string, result: ProcessResult, when: 'now' | 'again'): string {
  if (result === 'new' || result === 'updated') return `${done}; it is ${when === 'now' ? 'now a phone interview' : 'a phone interview again'} and its confirmation is planned.`;
  return `${done}; ${typeof result === 'object' ? `not planned: ${result.reason}` : 'nothing else changed'}.`;
}

/** How long reading one event may take before the mark falls back to a full listing. */
const READ_ALONE_MS = 30_000;

/**
 * The event as its calendar holds it now, read alone (null: the calendar no longer has it), or why
 * it could not be: the source is not open, reads only whole (an .ics file), or the read failed.
 */
async function readAlone(engine: Engine, sourceId: string, eventId: string): Promise<{ event: CalendarEvent | null } | { reason: string }> {
  const source = engine.calendars.get(sourceId);
  if (source === undefined) return { reason: 'the calendar is not open' };
  if (source.readEvent === undefined) return { reason: 'this calendar is read only whole' };
  try {
    return { event: await source.readEvent(eventId, AbortSignal.timeout(READ_ALONE_MS)) };
  } catch (error) {
    // Any failure (the provider's, a timeout) leaves the full listing to decide it: the mark stands.
    return { reason: error instanceof Error ? error.message : String(error) };
  }
}

export async function markEvent(engine: Engine, target: MarkTarget, choice: MarkChoice): Promise<string> {
  let number: string | undefined;
  if (choice.number !== undefined) {
    const parsed = toE164(choice.number, regionOfCandidate(engine));
    if (parsed === null) throw new BadInputError(`--number: "${safeTitle(choice.number, 40)}" is not a phone number (write it with its country code, e.g. +1 415 555 0100)`);
    number = parsed;
  }
  const id = 'interview' in target ? target.interview.id : target.seen.id;
  const sourceId = 'interview' in target ? target.interview.sourceId : target.seen.sourceId;
  const eventId = 'interview' in target ? target.interview.eventId : target.seen.event.id;
  const title = safeTitle('interview' in target ? target.interview.title : target.seen.event.title);
  const mark: UserMark = {
    kind: choice.kind,
    ...(choice.direction !== undefined ? { direction: choice.direction } : {}),
    ...(number !== undefined ? { number } : {}),
    at: engine.now(),
  };
  await saveMark(engine.store, id, { ...mark, sourceId, eventId });
  if ('interview' in target) {
    // A duplicate's answer is about the call: its owner is marked (and withdrawn, or released from
    // review) too. The mark stays on the duplicate as well, so it holds if this listing ever takes
    // the call over (same-call.ts).
    const holder = await callHolder(engine.store, target.interview);
    if (holder.redirected !== null && holder.interview.duplicateOf === undefined) {
      await audit(engine.store, { type: 'marked', interviewId: id, message: `you marked "${title}": ${describeMark(mark)}; ${holder.redirected}, marked too`, at: engine.now() });
      return `${holder.redirected}: marked ${holder.interview.id}. ${await markEvent(engine, { interview: holder.interview }, choice)}`;
    }
  }
  const said = describeMark(mark);
  await audit(engine.store, { type: 'marked', interviewId: id, message: `you marked "${title}": ${said}`, at: engine.now() });

  if ('seen' in target) {
    if (choice.kind !== 'phone') return `${id} "${title}": marked ${said}; it stays out of ringback's plans.`;
    return planned(`${id} "${title}": marked ${said}`, await reprocessEvent(engine, sourceId, target.seen.event, mark), 'now');
  }

  const interview = target.interview;
  if (choice.kind === 'phone' && interview.status === 'cancelled') {
    // Withdrawn earlier (by a mark, or because the event stopped qualifying): the event as the
    // calendar last listed it, kept whole by the sync when detection was unsure of it or left it
    // out (process-event.ts), is decided again with this answer, as a sync would, so that a
    // cancelled calendar event stays cancelled. A sync would not help: a source read by its
    // changes (CalDAV, Google, Microsoft) does not list an event that did not change.
    const kept = await keptEventAsListed(engine.store, sourceId, eventId, id);
    if (kept !== null) return planned(`${id} "${title}": marked ${said}`, await reprocessEvent(engine, sourceId, kept, mark), 'again');
    // Not kept as listed (an interview detection was sure of, one recorded by an earlier version,
    // or changed since into something not kept): the event is read alone from its calendar and
    // decided again now, as a sync would, rather than at the next full listing of the calendar.
    const read = await readAlone(engine, sourceId, eventId);
    if ('event' in read) {
      if (read.event === null) return `${id} "${title}": marked ${said}; the calendar no longer has its event, so nothing is planned.`;
      return planned(`${id} "${title}": marked ${said}`, await reprocessEvent(engine, sourceId, read.event, mark), 'again');
    }
    await audit(engine.store, { type: 'marked', interviewId: id, message: `could not read its event alone from ${sourceId} (${read.reason}); the calendar's next sync reads it in full`, at: engine.now() });
    // The calendar's next read decides it again. Its hash is emptied, so that a listing of it
    // unchanged is not skipped, and a full listing is asked for, which a sync already under way
    // does not write over (src/store/sync-commit.ts).
    await invalidateEventHash(engine.store, sourceId, eventId);
    await requestFullListing(engine.store, sourceId);
    return `${id} "${title}": marked ${said}; its event could not be read alone (${read.reason}), so it is planned again when the calendar next reports the event.`;
  }
  if (choice.kind !== 'phone') {
    if (interview.status === 'scheduled') await cancelInterview(engine, interview, 'cancelled', `you marked "${title}" as ${choice.kind}`);
    return `${id} "${title}": marked ${said}; its emails are withdrawn (drafts not yet sent are removed).`;
  }
  // The user's answer goes onto the record as it is now (a sync may have rewritten it since it was
  // shown, an outcome may have been recorded): what changes is decided on that record.
  let changed = false;
  const written = await updateInterview(engine.store, interview.id, (current) => {
    const direction = mark.direction ?? current.direction;
    const dialled =
      mark.number ?? (direction === current.direction ? current.number : direction === 'interviewer-calls' ? toE164(engine.config.candidate.phone) : null);
    changed = direction !== current.direction || dialled !== current.number;
    // A held send is a step its revision's plan skipped, and a skip of a revision is kept as
    // settled: lifting the hold needs a new revision, or the send stays skipped although the
    // user said yes (an unsure interview whose direction and number detection already had).
    const heldBefore = current.review;
    // A dial-in holds only while the candidate dials and no number is chosen (as detect.ts decides it).
    const { dialIn, ...rest } = current;
    return {
      ...rest,
      ...(dialIn === true && direction === 'candidate-calls' && dialled === null ? { dialIn } : {}),
      direction,
      number: dialled,
      review: false,
      confidence: 1,
      decidedBy: 'you',
      revision: changed || heldBefore ? current.revision + 1 : current.revision,
    };
  });
  if (written?.after.status === 'scheduled') await replan(engine, written.after, written.before.revision);
  return `${id} "${title}": marked ${said}; it no longer needs review${changed ? ', and the confirmation draft will be rewritten' : ''}.`;
}
