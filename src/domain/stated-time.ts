/**
 * The time an invitation's text states, with its zone: "Tuesday, March 10th 3:00pm - 3:30pm EDT",
 * "10:00 AM Pacific Time", "at 14:00 CET", "9:30am (GMT+01:00) London", "15:00 Uhr MEZ",
 * "10h00 heure de Paris". ATS and scheduler invitations are often stored in UTC (or in the user's own
 * zone by an import) while their text keeps the interviewer's clock.
 *
 * - The stated time is the event's own instant: its zone is the interviewer's, when nothing better
 *   says it (zones.ts, `recipientZone`).
 * - The text states one time for the call and it is not the event's instant (a floating or
 *   mis-zoned entry: the confirmation would name a time hours off): the interview needs review,
 *   and `explain` names both times.
 * - "3 PM local time" names no one's clock unless a place is named with it ("15:00 Uhr (Ortszeit
 *   Madrid)", "09:35 local time in London"): on the candidate's clock or the event's own zone it
 *   is theirs and nothing is learned; else whose it is cannot be told, and the interview needs
 *   review rather than a guess. "1:30 PM your time (GMT+3)" on an offset the candidate's zone does
 *   not have then says the writer believes them elsewhere (a trip `candidate.timezone` does not
 *   know of yet): review too, and `explain` says which setting to check.
 *
 * Prefer missing a mismatch to flagging a correct invitation. So a stated time is never called
 * wrong when: its zone word names several places (CST, BST, MST, IST, AST, SST, GST, ECT: data `or`
 * and `also`); it is on the clock of a place the word names less often (EST and EDT on Australia's
 * eastern clock: data `seldom`); it is on the abbreviation's literal offset ("3pm EST" in summer);
 * a deadline or a reply comes just before it ("reply by 5 PM ET"); it is a range whose length is not
 * the call's (office hours); it sits in a quoted email header ("On … wrote:"); or the text states
 * two different instants (a second proposed slot, a rescheduling notice). Pure: no clock is read.
 *
 * Zone words and their sources: data/stated-zones.json.
 */
import { knownZone, offsetAt } from './format.js';
import { DAY_MINUTES, isAmbiguous, statedTimes, type Stated } from './stated-words.js';
import type { Evidence, Millis } from './types.js';
import { clockWithZone, isUniversalZone, recipientZoneAt } from './zones.js';

const localMinutes = (t: Millis, offset: number): number => ((((Math.floor(t / 60_000) + offset) % DAY_MINUTES) + DAY_MINUTES) % DAY_MINUTES);

function onClock(t: Millis, zone: string, minutes: readonly number[]): boolean {
  const offset = offsetAt(t, zone);
  return offset !== null && minutes.includes(localMinutes(t, offset));
}

/** What the stated times say about the event. */
export type StatedTime =
  | { readonly kind: 'none' }
  /**
   * A stated time is the event's instant; `zone` is the place it names, when one is sure; else
   * `offset`, the bare offset it is written on ("(GMT+5:30)"), good for that instant alone.
   */
  | { readonly kind: 'agrees'; readonly zone: string | null; readonly offset: number | null; readonly evidence: Evidence | null }
  /** The text states one instant for the call, and it is not the event's. */
  | { readonly kind: 'differs'; readonly stated: Millis; readonly evidence: Evidence }
  /**
   * The text states the call's time in "local time" without saying whose, and the event is on
   * neither the candidate's clock nor its own zone's: which is meant cannot be told, nor guessed.
   */
  | { readonly kind: 'unclear'; readonly evidence: Evidence };

export interface StatedTimeInput {
  readonly title: string;
  readonly location: string;
  readonly description: string;
  readonly start: Millis;
  readonly end: Millis;
  /** The candidate's own zone: the explain line is written on their clock. */
  readonly candidateZone: string;
  /** The zone the event was written in, if any: an unplaced "local time" on it is its organizer's. */
  readonly timeZone?: string | null;
}

/**
 * The instant nearest the event's at which `stated` reads its first clock, on its zone or offset:
 * the text's date is not read, and a time 21 hours before the event is 3 hours after it the day before.
 */
function instantOf(stated: Stated, start: Millis): Millis | null {
  const offset = stated.word.zone !== undefined ? offsetAt(start, stated.word.zone) : (stated.word.offset ?? null);
  if (offset === null) return null;
  const delta = ((((stated.minutes[0] ?? 0) - localMinutes(start, offset)) % DAY_MINUTES) + DAY_MINUTES) % DAY_MINUTES;
  return start + (delta > DAY_MINUTES / 2 ? delta - DAY_MINUTES : delta) * 60_000;
}

function statedWords(stated: Stated, at: Millis): string {
  return stated.word.zone !== undefined ? clockWithZone(at, stated.word.zone) : `"${stated.text}"`;
}

/** " (1:00 PM Eastern)": the stated time on the candidate's clock, when that reads otherwise. */
function ownReading(stated: Stated, at: Millis, candidateZone: string): string {
  const theirs = stated.word.zone !== undefined ? offsetAt(at, stated.word.zone) : (stated.word.offset ?? null);
  return theirs === offsetAt(at, candidateZone) ? '' : ` (${clockWithZone(at, candidateZone)})`;
}

/** Reads the invitation's stated times against the event's own instant. */
export function statedTimeOf(input: StatedTimeInput): StatedTime {
  const { start, end } = input;
  const own = offsetAt(start, input.candidateZone);
  const read = statedTimes(input);
  const elsewhere = read.find((s) => s.word.reader === true && s.word.offset !== undefined && s.word.offset !== own && s.minutes.includes(localMinutes(start, s.word.offset)));
  if (elsewhere !== undefined) return ownClockElsewhere(elsewhere, input);
  // The reader's clock is the candidate's, whatever offset the writer gave it: "10am your time (GMT-5)"
  // is Outlook's standard offset in summer too, and the time is checked on the candidate's zone.
  const all = read.map((s) => (s.word.reader === true ? { ...s, word: { zone: input.candidateZone } } : s));
  if (all.length === 0) return { kind: 'none' };
  const taken: { zone: string; stated: Stated }[] = [];
  const offsets: { offset: number; stated: Stated }[] = [];
  let agreed = false;
  const differing: Stated[] = [];
  const unplaced: Stated[] = [];
  const callLength = Math.round((end - start) / 60_000);
  const eventZone = knownZone(input.timeZone ?? null);
  // UTC says nothing of where anyone is (zones.ts): "3 PM local time" on a UTC entry at 15:00 is no one's clock.
  const localZones = [input.candidateZone, ...(eventZone === null || isUniversalZone(eventZone) ? [] : [eventZone])];
  for (const stated of all) {
    const { word, minutes } = stated;
    if (word.local === true) {
      // "3 PM local time" and no place: the candidate's clock or the event's own zone may read it,
      // and nothing is learned; else it is someone's clock nobody names (a range of another length is office hours).
      if (localZones.some((zone) => onClock(start, zone, minutes))) agreed = true;
      else if (stated.length === null || stated.length === callLength) unplaced.push(stated);
      continue;
    }
    const places = word.zone === undefined ? [] : [word.zone, ...(word.or ?? [])];
    const fits = places.filter((zone) => onClock(start, zone, minutes));
    const elsewhere = [...(word.also ?? []), ...(word.seldom ?? [])].some((zone) => onClock(start, zone, minutes));
    const literal = word.offset !== undefined && minutes.includes(localMinutes(start, word.offset));
    const atEnd = word.zone !== undefined && onClock(end, word.zone, minutes);
    if (fits.length > 0 || literal || elsewhere || atEnd) {
      agreed = true;
      const [fit] = fits;
      // A word of several places reading the candidate's own clock may be a floating entry of
      // the other place: nothing is taken from it.
      const ownClock = isAmbiguous(word) && fit !== undefined && offsetAt(start, fit) === own;
      if (fit !== undefined && fits.length === 1 && !elsewhere && !ownClock) taken.push({ zone: fit, stated });
      // A bare offset ("(GMT+5:30)", "UTC−3") names no place, but is the writer's clock at this
      // instant. UTC's own ("UTC", "+00:00") says nothing of where anyone is, as in zones.ts.
      if (literal && word.zone === undefined && word.offset !== undefined && word.offset !== 0) offsets.push({ offset: word.offset, stated });
      continue;
    }
    if (!isAmbiguous(word) && (stated.length === null || stated.length === callLength)) differing.push(stated);
  }
  if (agreed) {
    // "10 AM ET (7 AM PT)" for a candidate in Pacific: the reading on their own clock is theirs.
    const others = taken.filter((t) => offsetAt(start, t.zone) !== own);
    const bare = offsets.filter((o) => o.offset !== own);
    // One clock besides the candidate's, by place or by offset: a place says more, and wins.
    const clocks = new Set([...others.map((t) => offsetAt(start, t.zone)), ...bare.map((o) => o.offset)]);
    const pick = clocks.size === 1 ? others[0] : undefined;
    const onOffset = clocks.size === 1 && pick === undefined ? bare[0] : undefined;
    if (onOffset !== undefined) {
      const clock = clockWithZone(start, recipientZoneAt({ at: start, offset: onOffset.offset }, start) ?? 'UTC');
      return {
        kind: 'agrees',
        zone: null,
        offset: onOffset.offset,
        evidence: { field: onOffset.stated.field, text: `the invitation states the call's time on a bare offset, ${clock} ("${onOffset.stated.text}"): given for this call alone, no place is learned`, signal: 'zone', weight: 0 },
      };
    }
    if (pick === undefined) return { kind: 'agrees', zone: null, offset: null, evidence: null };
    return {
      kind: 'agrees',
      zone: pick.zone,
      offset: null,
      evidence: { field: pick.stated.field, text: `the invitation states the call's time on the interviewer's clock, ${clockWithZone(start, pick.zone)} ("${pick.stated.text}")`, signal: 'zone', weight: 0 },
    };
  }
  const instants = new Set(differing.map((s) => instantOf(s, start)));
  const first = differing[0];
  if (instants.size !== 1 || first === undefined) return unplacedLocal(unplaced, input);
  const stated = instantOf(first, start);
  if (stated === null) return { kind: 'none' };
  return {
    kind: 'differs',
    stated,
    evidence: {
      field: first.field,
      text: `the invitation says ${statedWords(first, stated)}${ownReading(first, stated, input.candidateZone)}; the calendar entry is at ${clockWithZone(start, input.candidateZone)}: check which before the confirmation is sent`,
      signal: 'time',
      weight: 0,
    },
  };
}

/** An unplaced "local time" that is not the event's on the candidate's clock: review, never a guess of whose. */
function unplacedLocal(unplaced: readonly Stated[], input: StatedTimeInput): StatedTime {
  const [first] = unplaced;
  if (first === undefined) return { kind: 'none' };
  return {
    kind: 'unclear',
    evidence: {
      field: first.field,
      text: `the invitation gives the call's time as "${first.text}" without saying whose local time that is; the calendar entry is at ${clockWithZone(input.start, input.candidateZone)}, another time on your clock: check which before the confirmation is sent`,
      signal: 'time',
      weight: 0,
    },
  };
}

/**
 * "1:30 PM your time (GMT+3)" at the event's instant, for a candidate whose configured zone is on
 * another offset then: the writer believes the candidate is elsewhere. Either `candidate.timezone`
 * is out of date (a trip: every time ringback writes for them would be on the wrong clock) or the
 * writer guessed wrong; which cannot be told, and the offset is not the interviewer's either.
 */
function ownClockElsewhere(stated: Stated, input: StatedTimeInput): StatedTime {
  const theirs = clockWithZone(input.start, recipientZoneAt({ at: input.start, offset: stated.word.offset ?? 0 }, input.start) ?? 'UTC');
  return {
    kind: 'unclear',
    evidence: {
      field: stated.field,
      text: `the invitation gives your own time as "${stated.text}", ${theirs}, and your candidate.timezone (${input.candidateZone}) reads ${clockWithZone(input.start, input.candidateZone)} then: if you are there now, change candidate.timezone in ringback.yaml; check before the confirmation is sent`,
      signal: 'time',
      weight: 0,
    },
  };
}
