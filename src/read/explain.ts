/**
 * Why detection decided what it did about an event, as `ringback explain` shows it; and finding
 * that event by id, id prefix or words of its title (`explain` and `mark` both take either).
 */
import { dialsIn } from '../domain/dial-in.js';
import { describeSameCall } from '../domain/duplicates.js';
import type { Direction, Evidence, Interview } from '../domain/types.js';
import { BadInputError } from '../errors.js';
import { safeTitle } from '../engine/wording.js';
import { getSeen, listSeen, type SeenEvent } from '../store/detections.js';
import { findInterview, listInterviews } from '../store/interviews.js';
import type { Store } from '../store/store.js';

export type Found = { readonly interview: Interview } | { readonly seen: SeenEvent };

/** An interview or a seen event by id, unique id prefix, or words of its title. */
export async function findEvent(store: Store, query: string): Promise<Found> {
  const wanted = query.trim();
  if (wanted === '') throw new BadInputError('give an interview id or words of the title');
  const interview = await findInterview(store, wanted);
  if (interview) return { interview };
  const seenExact = await getSeen(store, wanted);
  if (seenExact) return { seen: seenExact };
  const seen = await listSeen(store);
  const byPrefix = wanted.length >= 4 ? seen.filter((s) => s.id.startsWith(wanted)) : [];
  if (byPrefix.length === 1) return { seen: byPrefix[0]! };
  const words = wanted.toLowerCase();
  const interviews = (await listInterviews(store)).filter((iv) => iv.title.toLowerCase().includes(words));
  const seenByTitle = seen.filter((s) => s.event.title.toLowerCase().includes(words) && !interviews.some((iv) => iv.id === s.id));
  const all: Found[] = [...interviews.map((iv) => ({ interview: iv })), ...seenByTitle.map((s) => ({ seen: s }))];
  if (all.length === 1) return all[0]!;
  if (all.length === 0) {
    throw new BadInputError(
      `no event matches "${safeTitle(wanted, 80)}": ids are in "ringback interviews"; events with no word about a job or a call are not kept`,
    );
  }
  const list = all.slice(0, 10).map((f) => `  ${idOf(f)}  ${safeTitle(titleOf(f), 70)}`);
  throw new BadInputError(`"${safeTitle(wanted, 80)}" matches ${all.length} events; give one id:\n${list.join('\n')}`);
}

function idOf(found: Found): string {
  return 'interview' in found ? found.interview.id : found.seen.id;
}

function titleOf(found: Found): string {
  return 'interview' in found ? found.interview.title : found.seen.event.title;
}

export interface Explanation {
  readonly id: string;
  readonly title: string;
  readonly start: string;
  readonly kind: string;
  readonly confidence: number | null;
  readonly review: boolean;
  readonly decidedBy: string;
  readonly outcome: string;
  readonly direction: Direction | null;
  readonly number: string | null;
  /** The candidate dials in to the meeting's bridge (no number: the bridge's is in the invitation). */
  readonly dialIn: boolean;
  readonly evidence: readonly Evidence[];
  /**
   * What to check before the confirmation goes, written whole (evidence lines are cut to fit): the
   * time the invitation states against the calendar entry's ("the invitation says 10:00 AM Pacific
   * (1:00 PM Eastern); the calendar entry is at 10:00 AM Eastern…"). Null when there is nothing.
   */
  readonly check: string | null;
  /**
   * How the call's time was read when the entry gave no zone (a floating time): on whose clock,
   * written whole. Null when the entry names its zone.
   */
  readonly timeRead: string | null;
}

/** The evidence piece saying that the invitation's stated time is not the event's (stated-time.ts). */
function timeCheck(evidence: readonly Evidence[]): string | null {
  return evidence.find((e) => e.signal === 'time')?.text ?? null;
}

/** The evidence piece saying on whose clock a floating time was read (domain/zones.ts). */
function floatingRead(evidence: readonly Evidence[]): string | null {
  return evidence.find((e) => e.signal === 'floating')?.text ?? null;
}

export function explanationOf(found: Found): Explanation {
  if ('interview' in found) {
    const iv = found.interview;
    return {
      id: iv.id,
      title: iv.title,
      start: new Date(iv.start).toISOString(),
      kind: 'phone',
      confidence: iv.confidence ?? null,
      review: iv.review === true,
      decidedBy: iv.decidedBy ?? 'detection',
      outcome:
        iv.duplicateOf !== undefined
          ? `phone interview, the same call as ${iv.duplicateOf} in another calendar (${describeSameCall(iv.duplicateBy ?? 'uid')}): no emails of its own, ${iv.duplicateOf} has them`
          : iv.review === true
            ? 'phone interview, needs review: the confirmation stays a draft'
            : `phone interview (${iv.status})`,
      direction: iv.direction,
      number: iv.number,
      dialIn: dialsIn(iv),
      evidence: iv.evidence ?? [],
      check: iv.review === true ? timeCheck(iv.evidence ?? []) : null,
      timeRead: floatingRead(iv.evidence ?? []),
    };
  }
  const s = found.seen;
  return {
    id: s.id,
    title: s.event.title,
    start: new Date(s.event.start).toISOString(),
    kind: s.kind,
    confidence: s.confidence,
    review: false,
    decidedBy: 'detection',
    outcome: `not planned: ${s.reason}`,
    direction: null,
    number: null,
    dialIn: false,
    evidence: s.evidence,
    check: null,
    timeRead: floatingRead(s.evidence),
  };
}
