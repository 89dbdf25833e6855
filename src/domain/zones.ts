/**
 * Whose clock a time is read on, and how it is written.
 *
 * The recipient's zone is shown only when it is known: a zone the user set for the company or the
 * address, or the zone the organizer's calendar wrote the event in. An event the candidate
 * organised carries the candidate's own zone, and UTC says nothing about where anyone is (exported
 * feeds write single events in UTC), so neither tells us the recipient's zone.
 *
 * Times are written as people write them: "9:00 AM Pacific", "18:00 CET", "2:00 PM India time".
 */
import { DateTime, FixedOffsetZone } from 'luxon';
import { ABBREVIATIONS, REGION_WORDS, UNIVERSAL_ZONES, ZONE_WORDS } from './data/zone-names.js';
import twentyFourHourZones from './data/twenty-four-hour-zones.json' with { type: 'json' };
import { dayPhrase, fixedOffset, knownZone, localDay, offsetAt, remembered, safeZone, zoneOrOffset } from './format.js';
import { sharedOffsetAt } from './offset-places.js';
import type { CalendarEvent, CandidateRole, CounterpartRole, Evidence, Millis, StatedOffset } from './types.js';

const UNIVERSAL = new Set(UNIVERSAL_ZONES.map((zone) => zone.toLowerCase()));

/** True for UTC under any of its names. */
export function isUniversalZone(zone: string): boolean {
  return UNIVERSAL.has(zone.trim().toLowerCase());
}

export interface RecipientZoneInput {
  /** The zone the event was written in (TZID, Google start.timeZone, Graph originalStartTimeZone). */
  readonly eventZone: string | null;
  /** The candidate's standing towards the event: an organiser writes in their own zone. */
  readonly role: CandidateRole;
  /**
   * The recipient's standing towards the event: the event's zone is its organizer's, so it is theirs
   * only when they are the organizer. Absent (records written before it was kept): taken as the organizer.
   */
  readonly counterpartRole?: CounterpartRole;
  /** The zone the user set for the counterpart's address or company, if any. */
  readonly setZone: string | null;
  /** The zone the invitation's text states beside the call's own time (stated-time.ts), if any. */
  readonly statedZone?: string | null;
  /** The candidate's own zone: an event written in it says where the candidate is, not the recipient. */
  readonly candidateZone?: string;
}

/**
 * The recipient's IANA zone when something tells us, else null: the zone the user set; else the
 * organizer's event zone when it is not UTC and the recipient is that organizer (nor, when the text
 * states a zone, the candidate's own, which an import or a floating entry stamps on it); else the
 * zone the text states beside the call's own time ("3:00pm - 3:30pm PDT" on an ATS event stored in
 * UTC). An interviewer a coordinator's invitation names may sit in another office than the
 * coordinator whose calendar wrote the event: "for you" on the coordinator's clock would tell them
 * a time that is not theirs, whether the calendar or the text states it; a stated zone other than
 * the coordinator's was chosen for someone, and is taken.
 */
export function recipientZone(input: RecipientZoneInput): string | null {
  const set = knownZone(input.setZone);
  if (set !== null) return set;
  const stated = knownZone(input.statedZone);
  const organizerIsRecipient = input.counterpartRole === undefined || input.counterpartRole === 'organizer';
  const organizers = knownZone(input.eventZone);
  const event = input.role === 'organizer' || !organizerIsRecipient ? null : organizers;
  if (event !== null && !isUniversalZone(event) && !(stated !== null && event === knownZone(input.candidateZone))) return event;
  // The text's times are the scheduling tool's, written on its user's zone unless they chose another
  // (Ashby: https://docs.ashbyhq.com/how-are-interview-time-zones-determined-and-how-do-i-change-them):
  // a stated time on the coordinator's own calendar zone says no more of the interviewer than that zone.
  if (!organizerIsRecipient && input.role !== 'organizer' && stated !== null && stated === organizers) return null;
  return stated;
}

/** {@link recipientZone} for an interview: the one rule every email, the brief and the slot finder use. */
export function interviewRecipientZone(
  interview: { readonly timeZone: string | null; readonly role: CandidateRole; readonly statedZone?: string; readonly counterpartRole?: CounterpartRole },
  setZone: string | null | undefined,
  candidateZone: string,
): string | null {
  return recipientZone({
    eventZone: interview.timeZone,
    role: interview.role,
    ...(interview.counterpartRole === undefined ? {} : { counterpartRole: interview.counterpartRole }),
    setZone: setZone ?? null,
    statedZone: interview.statedZone ?? null,
    candidateZone,
  });
}

/**
 * The recipient's clock the emails about an interview use: {@link interviewRecipientZone}; else the
 * offset the invitation stated for the call, good at its instant alone ({@link recipientZoneAt}).
 * The slot finder reads an offset otherwise: not as the recipient's clock on another day, but as
 * every place on it at that instant (slots.ts `placesOnOffset`).
 */
export function interviewRecipientClock(
  interview: Parameters<typeof interviewRecipientZone>[0] & { readonly statedOffset?: StatedOffset },
  setZone: string | null | undefined,
  candidateZone: string,
): RecipientClock {
  return interviewRecipientZone(interview, setZone, candidateZone) ?? interview.statedOffset ?? null;
}

function at(t: Millis, zone: string): DateTime | null {
  if (!Number.isFinite(t)) return null;
  const dt = DateTime.fromMillis(t, { zone: zoneOrOffset(zone), locale: 'en-US' });
  return dt.isValid ? dt : null;
}

const names = new Map<string, Intl.DateTimeFormat>();

/**
 * The names read so far, by style, zone and exact instant (all the name depends on): an email
 * names the same zone at the same instant two to four times, and the interviews of a morning
 * start on the same few instants; each reading is a `formatToParts` (fire benchmark).
 */
const namesAt = new Map<string, string>();

function genericName(t: Millis, zone: string, style: 'longGeneric' | 'shortGeneric' | 'long'): string {
  return remembered(namesAt, `${style} ${zone} ${t}`, () => {
    const key = `${zone}|${style}`;
    let format = names.get(key);
    if (!format) {
      format = new Intl.DateTimeFormat('en-US', { timeZone: zone, timeZoneName: style });
      if (names.size < 500) names.set(key, format);
    }
    return format.formatToParts(t).find((part) => part.type === 'timeZoneName')?.value ?? '';
  });
}

/** The last part of an IANA name as a place: "America/Argentina/Buenos_Aires" → "Buenos Aires". */
function cityOf(zone: string): string {
  return (zone.split('/').pop() ?? zone).replace(/_/g, ' ');
}

/** "Pacific", "CET", "UK time", "Singapore time", "UTC": the words after a clock reading. */
export function zoneWords(t: Millis, zone: string): string {
  const real = zoneOrOffset(zone);
  const offset = offsetAt(t, real);
  return offset === null ? 'UTC' : wordsOf(t, real, offset);
}

/**
 * "GMT+5:30", "GMT-3": a bare offset as invitations write it (Zoom, Calendly, recruiters), with no
 * place, which it does not name ("UTC−3" is São Paulo and Buenos Aires).
 */
function offsetWords(offset: number): string {
  const minutes = Math.abs(offset) % 60;
  return `GMT${offset < 0 ? '-' : '+'}${Math.floor(Math.abs(offset) / 60)}${minutes === 0 ? '' : `:${pad2(minutes)}`}`;
}

/** The words after a clock on `real` (a zone, or a fixed offset from {@link recipientZoneAt}), whose offset at `t` is known. */
function wordsOf(t: Millis, real: string, offset: number): string {
  if (isUniversalZone(real)) return 'UTC';
  return fixedOffset(real) === null ? wordsAt(t, real, offset) : offsetWords(offset);
}

const DAY_MS = 86_400_000;

/** Whether the zone's offset changes from a day before `t`'s UTC day to a day after it, by zone and day. */
const changeNear = new Map<string, boolean>();

/**
 * False when the zone keeps one offset from the start of the UTC day before `t`'s to the end of
 * the day after (nearly always): two lookups a zone and day, where asking a day either side of
 * each instant cost a third more CPU for every email written (two lookups per instant read).
 */
function changesNear(t: Millis, zone: string): boolean {
  const day = Math.floor(t / DAY_MS);
  return remembered(changeNear, `${zone} ${day}`, () => offsetAt((day - 1) * DAY_MS, zone) !== offsetAt((day + 2) * DAY_MS, zone));
}

/**
 * True when the clock reads the same at another instant of that day in the zone: the hour the
 * clocks go back (1:00 to 1:59 AM in New York on the first Sunday of November happens first on
 * EDT, then on EST). The offsets a day either side are the only others: clocks never change twice
 * within two days (as in ical-zones.ts, which reads such a time in a calendar file).
 */
function isRepeated(t: Millis, zone: string, offset: number): boolean {
  if (!changesNear(t, zone)) return false;
  const wall = t + offset * 60_000;
  for (const other of [offsetAt(t - DAY_MS, zone), offsetAt(t + DAY_MS, zone)]) {
    if (other !== null && other !== offset && offsetAt(wall - other * 60_000, zone) === other) return true;
  }
  return false;
}

/** The words of a repeated reading: an abbreviation of that one offset, else the runtime's specific name. */
function seasonWords(t: Millis, real: string, offset: number): string {
  const long = genericName(t, real, 'longGeneric').replace(/ \([^()]*\)$/, '');
  const abbreviation = ABBREVIATIONS[long]?.find(([at]) => at === offset)?.[1];
  if (abbreviation !== undefined && /^[A-Z]{3,5}$/.test(abbreviation)) return abbreviation;
  const specific = genericName(t, real, 'long');
  return /^GMT[+-]/.test(specific) ? specific.replace(/^GMT/, 'UTC') : specific;
}

/** zoneWords for a real, non-UTC zone whose offset at `t` is known. */
function wordsAt(t: Millis, real: string, offset: number): string {
  // A reading that happens twice names its season, which "Eastern", "UK time" or "Sydney time"
  // leave open: "1:30 AM Eastern Standard Time" is the second 1:30 AM, an hour after the first.
  // An abbreviation of one offset (CEST, CET, GMT) already says which.
  if (isRepeated(t, real, offset)) return seasonWords(t, real, offset);
  const named = ZONE_WORDS[real];
  if (named !== undefined) return named;
  // On the day the clocks go back, ICU qualifies the name with the place ("Central European Time
  // (Germany)"), which the words after a clock do not need.
  const long = genericName(t, real, 'longGeneric').replace(/ \([^()]*\)$/, '');
  const region = REGION_WORDS[long];
  if (region !== undefined) return region;
  const abbreviation = ABBREVIATIONS[long]?.find(([at]) => at === offset)?.[1];
  if (abbreviation !== undefined) return abbreviation;
  const short = genericName(t, real, 'shortGeneric');
  // A fixed-offset zone has no place: "Etc/GMT+5" is five hours *behind* UTC (POSIX signs), which
  // its name read as a place ("GMT+5 time") would state backwards; the runtime writes it "GMT-5".
  if (real.startsWith('Etc/') && /^GMT[+-]/.test(short)) return short.replace(/^GMT/, 'UTC');
  // A bare abbreviation left over here is one we do not vouch for: Mexico City's "CST" (also
  // China's), Puerto Rico's "AST" (also Arabia's). The city says where without doubt.
  if (/^GMT|^UTC/.test(short) || short === '' || /^[A-Z]{2,5}$/.test(short)) return `${cityOf(real)} time`;
  return short.replace(/ \([^()]*\)/, '').replace(/ SAR China /, ' ').replace(/^United Kingdom /, 'UK ').replace(/^United Arab Emirates /, 'UAE ').replace(/ Time$/, ' time');
}

/**
 * The zones whose country reads the clock on 24 hours, by CLDR's preferred hour format for the
 * country and tzdata's country of each zone (scripts/clock-hours.ts writes the list): the Canary
 * Islands as Madrid, Manaus as São Paulo, Accra and Cairo with AM and PM.
 */
const TWENTY_FOUR_HOUR: ReadonlySet<string> = new Set(twentyFourHourZones);

function twentyFourHour(zone: string): boolean {
  return TWENTY_FOUR_HOUR.has(zone);
}

const UNKNOWN_TIME = 'an unknown time';

const pad2 = (n: number): string => (n < 10 ? `0${n}` : String(n));

/**
 * The clock reading at that offset, as luxon's "h:mm a" (en-US: "9:00 AM") or "HH:mm" ("18:00")
 * wrote it, read from the offset alone: one DateTime less per phrase.
 */
function clockText(t: Millis, offset: number, twentyFour: boolean): string {
  const local = new Date(t + offset * 60_000);
  const hour = local.getUTCHours();
  const minute = pad2(local.getUTCMinutes());
  if (twentyFour) return `${pad2(hour)}:${minute}`;
  // "12:00 PM" is read as midnight by some: "12 p.m. is ambiguous, if not illogical" (Chicago
  // Manual of Style 9.39, http://www.chicagomanualofstyle.org/qanda/data/faq/topics/Usage/faq0061.html).
  // Midnight keeps "12:00 AM": a bare "midnight" is, by AP style, the end of the day it names.
  if (hour === 12 && minute === '00') return '12:00 noon';
  return `${hour % 12 === 0 ? 12 : hour % 12}:${minute} ${hour < 12 ? 'AM' : 'PM'}`;
}

/** "9:00 AM Pacific", "18:00 CET". */
export function clockWithZone(t: Millis, zone: string): string {
  const real = zoneOrOffset(zone);
  const offset = offsetAt(t, real);
  if (offset === null) return UNKNOWN_TIME;
  return `${clockText(t, offset, twentyFourHour(real))} ${wordsOf(t, real, offset)}`;
}

/** "Wednesday, March 11, 9:00 AM Pacific". */
export function dateClockWithZone(t: Millis, zone: string): string {
  const dt = at(t, zone);
  if (dt === null) return UNKNOWN_TIME;
  return `${dt.toFormat('cccc, LLLL d')}, ${clockWithZone(t, zone)}`;
}

export interface SpokenTimeOptions {
  /** Put the weekday and date in front. @defaultValue false */
  readonly withDate?: boolean;
  /** Words after the other reading. @defaultValue 'for you' */
  readonly otherLabel?: string;
  /**
   * When the other reading falls on another day, name that day by its weekday alone ("Thursday,
   * 8:00 AM Sydney time"): next to a full date on the candidate's side it cannot be mistaken, and
   * a list of three times with two full dates each would not fit a 100-word note. @defaultValue false
   */
  readonly otherWeekdayOnly?: boolean;
}

/**
 * The recipient's clock as the emails know it: their zone; or the offset the invitation stated for
 * the call (a bare "(GMT+5:30)" names no place), which holds at that instant alone; or null.
 */
export type RecipientClock = string | StatedOffset | null;

/**
 * The recipient's zone for a reading at `t`: a stated offset as a fixed offset ("UTC+5:30", read by
 * offsetAt and luxon alone) at the instant it was stated for, and at any other (a proposed time on
 * another day, the "until" of a no-show note, the earlier time of a moved call) while every place
 * on it then reads one offset alike (offset-places.ts): "(GMT+5:30)" is India and Sri Lanka, which
 * never change their clocks. Where they read differently ("(GMT+1)" stated on the Friday before
 * Europe's change is GMT+2 in Berlin and GMT+1 in Lagos on the Monday), the candidate's clock is
 * written alone rather than a guess. Before, every other instant was: a recruiter in India read
 * the new times in Eastern alone. Whether the call is "today" or "tomorrow" for them is counted on
 * the same offset at the time of writing, hours before: their clocks would have to change in
 * between, and near their midnight, for the word to be wrong.
 */
export function recipientZoneAt(recipient: RecipientClock, t: Millis): string | null {
  if (recipient === null || typeof recipient === 'string') return recipient;
  const offset = sharedOffsetAt(recipient, t);
  return offset === null ? null : FixedOffsetZone.instance(offset).name;
}

/**
 * The time on the candidate's clock, and on the recipient's when it is known and reads
 * differently: "3:00 PM Eastern (12:00 PM Pacific for you)", or reads the same under another name
 * ("10:00 AM Arizona time (10:00 AM Pacific for you)" in summer). The other reading names its own
 * day when that differs, so "9:00 Tuesday" never hides "midnight Monday".
 */
export function spokenTime(t: Millis, own: string, recipient: RecipientClock, options: SpokenTimeOptions = {}): string {
  const other = recipientZoneAt(recipient, t);
  const label = options.otherLabel ?? 'for you';
  const mine = options.withDate === true ? dateClockWithZone(t, own) : clockWithZone(t, own);
  if (other === null) return recipient !== null && typeof recipient === 'object' ? forOffsetReader(t, own, recipient, mine) : mine;
  const a = offsetAt(t, own);
  const b = offsetAt(t, other);
  if (a === null || b === null) return mine;
  // The same clock under the same words (New York and Toronto) would say it twice; under other
  // words ("Arizona time" to a recruiter on Pacific's summer clock) the reader would have to know.
  if (a === b && zoneWords(t, own) === zoneWords(t, other)) return mine;
  const theirs =
    localDay(t, a) === localDay(t, b)
      ? clockWithZone(t, other)
      : options.otherWeekdayOnly === true
        ? `${at(t, other)?.toFormat('cccc') ?? ''}, ${clockWithZone(t, other)}`
        : dateClockWithZone(t, other);
  return `${mine} (${theirs}${label === '' ? '' : ` ${label}`})`;
}

/** North American region words that are also Australia's own clocks (AEST, ACST). */
const AUSTRALIAN_WORDS: ReadonlySet<string> = new Set(['Eastern', 'Central']);

let australianZones: readonly string[] | null = null;

/** Whether a place in Australia was on the stated offset at the instant it was stated, by offset and instant. */
const australianOffsets = new Map<string, boolean>();

function australianAt(stated: StatedOffset): boolean {
  return remembered(australianOffsets, `${stated.offset} ${stated.at}`, () => {
    australianZones ??= Intl.supportedValuesOf('timeZone').filter((zone) => zone.startsWith('Australia/'));
    return australianZones.some((zone) => offsetAt(stated.at, zone) === stated.offset);
  });
}

/**
 * The candidate's reading alone, to a recipient known only by an offset stated for another instant:
 * when a place in Australia was on that offset, "Eastern" and "Central" say whose they are ("7:45
 * PM Eastern Time (US & Canada)", as Windows names the zone:
 * https://learn.microsoft.com/zh-cn/dotnet/api/system.timezoneinfo.displayname), since a reader
 * in Brisbane or Darwin takes them for their own clock, ten hours and more off.
 */
function forOffsetReader(t: Millis, own: string, stated: StatedOffset, mine: string): string {
  const words = zoneWords(t, own);
  if (!AUSTRALIAN_WORDS.has(words) || !mine.endsWith(` ${words}`) || !australianAt(stated)) return mine;
  return `${mine} Time (US & Canada)`;
}

/**
 * "today", "tomorrow" or "yesterday" before a time on the candidate's clock, only when the word
 * holds on the recipient's side too; otherwise the candidate's date ("on Tuesday, March 10").
 * A thank-you written at 12:30 AM in Kolkata for a call at noon in San Francisco is "yesterday"
 * for one and "today" for the other: a relative word that is false for its reader is worse than a
 * date. The clock that follows is the candidate's, and the recipient's reading names its own date
 * when it differs (see {@link spokenTime}).
 */
export function sharedDayPhrase(t: Millis, reference: Millis, own: string, recipient: RecipientClock): string {
  const other = recipientZoneAt(recipient, t);
  const mine = dayPhrase(t, reference, own);
  if (other === null || mine.startsWith('on ')) return mine;
  if (dayPhrase(t, reference, other) === mine) return mine;
  const dt = at(t, safeZone(own));
  return dt === null ? mine : `on ${dt.toFormat('cccc, LLLL d')}`;
}

/**
 * The day and clock a subject line names: "today at 3:00 PM Eastern" on the candidate's clock while
 * the call falls on the same date for both; else the recipient's ("today at 11:00 AM Sydney time").
 * A subject has room for one clock, and a recruiter in Sydney reading "today at 8:00 PM Eastern"
 * on Wednesday morning takes their own today, Wednesday, whose 8:00 PM Eastern is a day late: the
 * body names both, the subject only the one whose day its reader counts.
 */
export function subjectTime(t: Millis, reference: Millis, own: string, recipient: RecipientClock): string {
  const other = recipientZoneAt(recipient, t);
  const a = offsetAt(t, own);
  const b = other === null ? null : offsetAt(t, other);
  if (other === null || a === null || b === null || localDay(t, a) === localDay(t, b)) {
    return `${sharedDayPhrase(t, reference, own, other)} at ${clockWithZone(t, own)}`;
  }
  return `${dayPhrase(t, reference, other)} at ${clockWithZone(t, other)}`;
}

/**
 * The day of `t` as its reader says it, with no clock after it (the thank-you): the relative word
 * on the recipient's side when their zone is known, else on the candidate's.
 */
export function readerDayPhrase(t: Millis, reference: Millis, own: string, recipient: RecipientClock): string {
  return dayPhrase(t, reference, recipientZoneAt(recipient, t) ?? own);
}

/**
 * The evidence `explain` shows for an event whose start was written without a zone (a floating
 * time, read on the clock `floating` names): nothing in the entry says that clock is the
 * interviewer's, so the user is told which one the call was placed on.
 */
export function floatingTimeEvidence(start: Millis, floating: NonNullable<CalendarEvent['floating']>): Evidence {
  const whose = floating.from === 'calendar' ? 'on the clock its calendar names (X-WR-TIMEZONE)' : 'on your own clock (candidate.timezone)';
  return {
    field: 'calendar',
    text: `the entry gives its time without a time zone (a floating time): read as ${clockWithZone(start, floating.zone)}, ${whose}; if the interviewer meant another zone, the call is at another time`,
    signal: 'floating',
    weight: 0,
  };
}
