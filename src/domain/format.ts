/**
 * How times and phone numbers read in ringback's emails and briefs (en-US).
 *
 * Every function here is total: an unknown zone falls back to UTC, an unparsable number is shown
 * as given (cleaned), an impossible time reads "an unknown time". Emails are written from
 * untrusted calendar data and must never fail to render.
 */
import { DateTime, FixedOffsetZone, IANAZone } from 'luxon';
import { parsePhoneNumberFromString, type CountryCode, type PhoneNumber } from 'libphonenumber-js/max';
import type { Millis } from './types.js';

const LOCALE = 'en-US';
const UNKNOWN_TIME = 'an unknown time';

/** Zone names checked so far, with their spelling: luxon builds a formatter for every check, which is slow on hot paths. */
const spellings = new Map<string, string | null>();

/** The runtime's zone names by their lower case: "europe/berlin" → "Europe/Berlin". */
let listed: ReadonlyMap<string, string> | null = null;

function listedNames(): ReadonlyMap<string, string> {
  listed ??= new Map(Intl.supportedValuesOf('timeZone').map((zone) => [zone.toLowerCase(), zone]));
  return listed;
}

/**
 * The zone as tzdata writes it, or null for a name the runtime does not know. The runtime takes a
 * name in any case ("europe/berlin"), but every table read by name (the 24-hour clock, the words
 * for a zone, the weekend) knows it as written: "europe/berlin" read as a 12-hour clock, and
 * "asia/riyadh" had a Saturday-and-Sunday weekend.
 */
function spelling(zone: string): string | null {
  if (!IANAZone.isValidZone(zone)) return null;
  const name = listedNames().get(zone.toLowerCase());
  if (name !== undefined) return name;
  // A name the runtime lists under another (Asia/Kolkata as Asia/Calcutta): as written when it is
  // written in mixed case as tzdata writes names, else the runtime's spelling of the zone.
  if (zone !== zone.toLowerCase() && zone !== zone.toUpperCase()) return zone;
  return new Intl.DateTimeFormat('en-US', { timeZone: zone }).resolvedOptions().timeZone;
}

function spelled(zone: string): string | null {
  let name = spellings.get(zone);
  if (name === undefined) {
    name = spelling(zone);
    if (spellings.size < 1000) spellings.set(zone, name);
  }
  return name;
}

/** The zone as tzdata writes it when the runtime knows it, else UTC (a calendar may carry any string as TZID). */
export function safeZone(zone: string | null | undefined): string {
  return knownZone(zone) ?? 'UTC';
}

/**
 * The minutes east of UTC of a fixed offset spelled as luxon names one ("UTC+5:30", "UTC-3"), else
 * null. Only zones.ts makes one, for the one instant an invitation stated a clock on a bare offset
 * (`recipientZoneAt`); `safeZone` and `knownZone` never return one, so no zone a user or a calendar
 * gives is read as one, nor reaches `Intl` (which rejects it).
 */
export function fixedOffset(zone: string | null | undefined): number | null {
  // A sign after "UTC" first: every zone name is asked this on the way to its offset, and a
  // character's code costs less than a pattern (an email reads some twenty offsets and names).
  const sign = zone?.charCodeAt(3);
  if (zone === null || zone === undefined || (sign !== 0x2b && sign !== 0x2d) || !zone.startsWith('UTC')) return null;
  const fixed = FixedOffsetZone.parseSpecifier(zone);
  return fixed !== null && fixed.name === zone ? fixed.offset(0) : null;
}

/** {@link safeZone}, keeping a fixed offset luxon spells ({@link fixedOffset}): for luxon and offsetAt only, never `Intl`. */
export function zoneOrOffset(zone: string | null | undefined): string {
  return zone !== null && zone !== undefined && fixedOffset(zone) !== null ? zone : safeZone(zone);
}

/** The event's zone as tzdata writes it when it is a real zone, else null (treated as "unknown"). */
export function knownZone(zone: string | null | undefined): string | null {
  if (zone === null || zone === undefined || zone.length > 100) return null;
  return spelled(zone);
}

/** Luxon's (and Date's) range: an instant further from 1970 is an impossible time. */
const MAX_TIME = 8.64e15;
const DAY_MS = 86_400_000;

/**
 * The zone's offset from UTC at `t`, in minutes, or null for an impossible time: one lookup of the
 * offset and no DateTime built. An email reads the same few instants several times (the day, the
 * clock, both zones), and building a DateTime, its start of day and a diff asked the platform's
 * time zone data about ten times per phrase (luxon's `partsOffset`; bench/README.md, fire).
 */
export function offsetAt(t: Millis, zone: string | null | undefined): number | null {
  if (!Number.isFinite(t) || Math.abs(t) > MAX_TIME) return null;
  const fixed = fixedOffset(zone);
  if (fixed !== null) return fixed;
  const real = safeZone(zone);
  if (real === 'UTC') return 0;
  return remembered(offsets, `${real} ${t}`, () => {
    const offset = IANAZone.create(real).offset(t);
    return Number.isFinite(offset) ? offset : null;
  });
}

/**
 * Offsets asked so far, by zone and instant (the exact instant: the offset is a function of both
 * and nothing else). One confirmation reads its start's offset five times (the day, the clock, the
 * subject's day and clock, the other zone's check), and interviews start on the same few instants
 * (the hour, the half hour), each lookup one `formatToParts` of `Intl` (fire benchmark).
 */
const offsets = new Map<string, number | null>();

/** Entries a memo of this module keeps; the oldest goes first when it is full. */
const REMEMBERED = 2000;

/**
 * `compute()`, remembered under `key` in `memo`, which keeps the last {@link REMEMBERED} keys.
 * Only for pure computations whose every input is in the key.
 */
export function remembered<V>(memo: Map<string, V>, key: string, compute: () => V): V {
  const known = memo.get(key);
  if (known !== undefined || memo.has(key)) return known as V;
  const value = compute();
  if (memo.size >= REMEMBERED) memo.delete(memo.keys().next().value as string);
  memo.set(key, value);
  return value;
}

/** Days since 1970-01-01 of the calendar date `t` falls on, at that offset. */
export function localDay(t: Millis, offset: number): number {
  return Math.floor((t + offset * 60_000) / DAY_MS);
}

function at(t: Millis, zone: string | null | undefined): DateTime | null {
  if (!Number.isFinite(t)) return null;
  const dt = DateTime.fromMillis(t, { zone: zoneOrOffset(zone), locale: LOCALE });
  return dt.isValid ? dt : null;
}

/** Short name of the zone at that instant: "EDT", "PST", "UTC", or "GMT+9" where en-US has no name. */
export function zoneAbbrev(t: Millis, zone: string | null | undefined): string {
  return at(t, zone)?.toFormat('ZZZZ') ?? 'UTC';
}

/** "Tuesday, March 10, 3:00 PM EDT". */
export function formatTimeIn(t: Millis, zone: string | null | undefined): string {
  return at(t, zone)?.toFormat('cccc, LLLL d, h:mm a ZZZZ') ?? UNKNOWN_TIME;
}

/** "3:00 PM EDT". */
export function formatClockIn(t: Millis, zone: string | null | undefined): string {
  return at(t, zone)?.toFormat('h:mm a ZZZZ') ?? UNKNOWN_TIME;
}

/** Calendar date of the instant in the zone, "2026-03-10", or '' for an impossible time. */
export function dateIn(t: Millis, zone: string | null | undefined): string {
  return at(t, zone)?.toISODate() ?? '';
}

/**
 * Whether a second zone adds anything: true when the other zone is known and its UTC offset at
 * that instant differs from the candidate's. Two names for the same offset (New York and Toronto)
 * would only repeat the same clock reading.
 */
export function zonesDiffer(t: Millis, candidateZone: string, otherZone: string | null | undefined): boolean {
  const other = knownZone(otherZone);
  if (other === null) return false;
  const a = at(t, candidateZone);
  const b = at(t, other);
  return a !== null && b !== null && a.offset !== b.offset;
}

export interface BothZonesOptions {
  /** Include the weekday and date of the candidate's reading. @defaultValue true */
  readonly withDate?: boolean;
  /** Words after the other zone's reading. @defaultValue 'for you' (the email's recipient) */
  readonly otherLabel?: string;
}

/**
 * The time in the candidate's zone, and in the other zone when that reads differently:
 * "Tuesday, March 10, 3:00 PM EDT (12:00 PM PDT for you)". The other reading carries its own
 * date whenever its calendar day differs from the candidate's, so it is never ambiguous.
 */
export function formatTimeBothZones(
  t: Millis,
  candidateZone: string,
  otherZone: string | null,
  options: BothZonesOptions = {},
): string {
  const withDate = options.withDate ?? true;
  const label = options.otherLabel ?? 'for you';
  const own = withDate ? formatTimeIn(t, candidateZone) : formatClockIn(t, candidateZone);
  if (!zonesDiffer(t, candidateZone, otherZone)) return own;
  const sameDay = dateIn(t, candidateZone) === dateIn(t, otherZone);
  const other = sameDay ? formatClockIn(t, otherZone) : formatTimeIn(t, otherZone);
  return `${own} (${other}${label === '' ? '' : ` ${label}`})`;
}

/**
 * "today" / "tomorrow" / "yesterday" / "on Tuesday, March 10", for the instant `t` seen from `reference`,
 * both in the given zone.
 */
export function dayPhrase(t: Millis, reference: Millis, zone: string): string {
  const dayOffset = offsetAt(t, zone);
  const refOffset = offsetAt(reference, zone);
  if (dayOffset === null || refOffset === null) return 'on the planned day';
  // The difference of the two calendar dates in the zone, as luxon's startOf('day') and diff gave it.
  const days = localDay(t, dayOffset) - localDay(reference, refOffset);
  if (days === 0) return 'today';
  if (days === 1) return 'tomorrow';
  if (days === -1) return 'yesterday';
  return `on ${at(t, zone)?.toFormat('cccc, LLLL d') ?? 'the planned day'}`;
}

/** True when `t` falls in the same ISO week as `reference` in the zone. */
export function sameWeek(t: Millis, reference: Millis, zone: string): boolean {
  const a = at(t, zone);
  const b = at(reference, zone);
  return a !== null && b !== null && a.hasSame(b, 'week');
}

/** Whole minutes from `now` until `t`, at least 1. */
export function minutesUntil(t: Millis, now: Millis): number {
  if (!Number.isFinite(t) || !Number.isFinite(now)) return 1;
  return Math.max(1, Math.round((t - now) / 60_000));
}

export function plural(n: number, one: string, many: string): string {
  return `${n} ${n === 1 ? one : many}`;
}

/** Parsed with full metadata, or null when libphonenumber-js cannot read it at all. */
export function parsePhone(e164: string): PhoneNumber | null {
  if (e164.length > 40) return null;
  return parsePhoneNumberFromString(e164) ?? null;
}

/** True when the number parses and is a valid number for its country (full metadata). */
export function isPlausiblePhone(e164: string): boolean {
  return parsePhone(e164)?.isValid() ?? false;
}

/**
 * A number as a person reads it. International form by default ("+1 415-555-0100",
 * "+44 20 7946 0000"); national form when the viewer is in the number's own country
 * (`viewerRegion` "US" → "(415) 555-0100"). Unparsable input is returned cleaned, not dropped:
 * the user should still see what the calendar said.
 */
export function formatPhoneForDisplay(e164: string, viewerRegion?: CountryCode | string): string {
  // The same few numbers (the candidate's own first) are written in every email: parsing one with
  // full metadata costs more than the rest of a sentence.
  const key = `${viewerRegion ?? ''}|${e164}`;
  let shown = displayed.get(key);
  if (shown === undefined) {
    shown = formatPhone(e164, viewerRegion);
    if (displayed.size < 1000) displayed.set(key, shown);
  }
  return shown;
}

/** Numbers formatted so far, by viewer region and number as given. */
const displayed = new Map<string, string>();

function formatPhone(e164: string, viewerRegion?: CountryCode | string): string {
  const phone = parsePhone(e164);
  if (phone === null) return cleanPhoneText(e164);
  if (viewerRegion !== undefined && phone.country !== undefined && phone.country === viewerRegion.toUpperCase()) {
    return phone.formatNational();
  }
  // libphonenumber-js spaces NANP numbers ("+1 415 555 0100"); the dashed form is how North
  // American numbers are written, and how Google's libphonenumber prints them internationally.
  const national = phone.nationalNumber;
  if (phone.countryCallingCode === '1' && national.length === 10) {
    return `+1 ${national.slice(0, 3)}-${national.slice(3, 6)}-${national.slice(6)}`;
  }
  return phone.formatInternational();
}

function cleanPhoneText(raw: string): string {
  const kept = raw.slice(0, 40).replace(/[^0-9+()\-. #*xX]/g, '').trim();
  return kept === '' ? 'an unreadable number' : kept;
}
