/**
 * Reading the times an invitation's text states with a zone, line by line: the clock ("3:00pm",
 * "15 Uhr", "10 h", "午前10時"), a range's end, and the zone word after it: an abbreviation, a name
 * ("Pacific Time", "heure de Paris"), a bare offset, an IANA name, a city, "your time", or "local
 * time" with the place named beside it. What the readings say about the event is stated-time.ts's.
 * Pure: no clock is read.
 *
 * Zone words and their sources: data/stated-zones.json.
 */
import data from './data/stated-zones.json' with { type: 'json' };
import { plainText } from './detection/reading.js';
import { knownZone, offsetAt } from './format.js';
import type { EvidenceField, Millis } from './types.js';

export interface ZoneWord {
  /** The place whose clock the word names; absent for UTC and bare offsets, which name no place. */
  readonly zone?: string;
  /** The literal offset of an abbreviation (minutes east of UTC). */
  readonly offset?: number;
  /** Places as likely as `zone` (AST: Atlantic and Arabia): each taken as `zone` is, when the instant picks it. */
  readonly or?: readonly string[];
  /** Other places the word also names: never taken, and an instant on their clock takes nothing. */
  readonly also?: readonly string[];
  /**
   * Places some writers mean by the word, less often (EST: Australia's eastern clock, as tzdata wrote
   * it until 2014): an instant on their clock is not called wrong and takes nothing, but the word is
   * not of several places otherwise, so a time off every clock is still called wrong on `zone`'s.
   */
  readonly seldom?: readonly string[];
  /** The reader's own clock ("10am your time"): read on the candidate's zone, so never the interviewer's. */
  readonly reader?: boolean;
  /**
   * "Local time" with no place named beside it ("3 PM local time", "18:00 Uhr Ortszeit"): whose
   * is not said. With a place ("Ortszeit Madrid", "local time in London") the place's word is read instead.
   */
  readonly local?: boolean;
}

/** True for a word of several places: never called wrong, and taken only when the instant picks one. */
export const isAmbiguous = (word: ZoneWord): boolean => word.also !== undefined || word.or !== undefined;

const ABBREVIATIONS = data.abbreviations as Readonly<Record<string, ZoneWord>>;
/** Abbreviations that are also words or names ("CAT", "ART department"): read only as {@link plainWordIsZone} says. */
const PLAIN_WORDS: ReadonlySet<string> = new Set(data.plainWords);
const NAMES = new Map(Object.entries(data.names as Readonly<Record<string, ZoneWord>>).map(([k, v]) => [k.toLowerCase(), v]));

const escape = (s: string): string => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
const byLength = (a: string, b: string): number => b.length - a.length;

const ABBREVIATION_AT = new RegExp(`^(${Object.keys(ABBREVIATIONS).sort(byLength).map(escape).join('|')})(?![\\p{L}\\d])`, 'u');
const NAME_AT = new RegExp(`^(${[...NAMES.keys()].sort(byLength).map(escape).join('|')})(?![\\p{L}])`, 'iu');
const OFFSET_AT = /^(?:GMT|UTC)\s?([+-−])(\d{1,2})(?:[:.]?(\d{2}))?\)?/;
/** The IANA regions a zone written out ("America/Chicago") or a city's zone is looked for in. */
const REGIONS = ['America', 'Europe', 'Asia', 'Australia', 'Africa', 'Pacific', 'Atlantic', 'Indian'];
const IANA_AT = new RegExp(`^((?:${REGIONS.join('|')})/[A-Za-z_]+(?:/[A-Za-z_]+)?)`);
const CITY_AT = /^([A-Z][\p{L}'.-]+(?: [A-Z][\p{L}'.-]+){0,2})/u;

/** Cities by the last part of their IANA name ("New York" → America/New_York), from the runtime. */
const CITIES: ReadonlyMap<string, string> = new Map(
  Intl.supportedValuesOf('timeZone').map((zone) => [(zone.split('/').pop() ?? zone).replace(/_/g, ' ').toLowerCase(), zone]),
);

/** AM or PM; after 12 also "noon", "midday" or "midnight" ("12 noon", "12:00 noon", as our own emails write noon). */
const MERIDIEM = String.raw`(a\.?\s?m\.?|p\.?\s?m\.?|noon|midday|midnight)`;
/** Noon or midnight said in a word: "at noon PT", "midday UK time". */
const WORD = String.raw`(?<!\p{L})(noon|midday|midnight)`;
/**
 * Groups: hour, minutes (":30"), minutes ("h30", "10 h", Japanese "10時30分"), meridiem; or the word
 * alone. Japanese writes AM or PM before the hour (午前10時): see {@link JAPANESE_MERIDIEM}.
 */
const CLOCK = String.raw`(?:(\d{1,2})(?:[:.](\d{2})|(?:\s?h|時)(?:(\d{2})分?)?)?(?:\s?${MERIDIEM})?|${WORD})(?![\d\p{L}])`;
/** 午前 (AM) and 午後 (PM) just before the hour. */
const JAPANESE_MERIDIEM: Readonly<Record<string, string>> = { 午前: 'am', 午後: 'pm' };
/** A line without a digit or one of these words states no time. */
const MAY_STATE_TIME = /\d|noon|midday|midnight/i;
/** A clock reading not inside a longer number or a date ("2026-03-10" is no time). */
const TIME = new RegExp(String.raw`(?<![\d:./,-])${CLOCK}`, 'giu');
const RANGE_END = new RegExp(String.raw`^\s*(?:-|–|—|to|and|bis|à|a)\s*${CLOCK}`, 'iu');
/**
 * Between a clock and its zone: "Uhr", a comma or a bracket; and the date Calendly writes between
 * them ("09:30am - Monday, 31 August 2026 (Eastern Time - US & Canada)", "10:00am - 10:30am,
 * Monday, December 14, 2026 (Pacific Time - US & Canada)"): a weekday, a date ending in its year.
 */
const GLUE = /^\s*(?:(?:uhr|horas)\b\s*)?(?:\s*[-–,]\s*(?:mon|tues|wednes|thurs|fri|satur|sun)day,?\s[^()\n]{1,24}?\d{4}\s*(?=[(（]))?(?:[,(（]\s*)?/i;

/** "at 9 Sydney time": a bare hour is a clock after "at" and before a place's "… time". */
const AT_BEFORE = /(?:^|\s)at\s$/i;
const PLACE_TIME = /^\p{Lu}[\p{L}. ]{1,24}? time(?![\p{L}])/u;

const BEFORE = new RegExp(`(?:^|[^\\p{L}])(?:${data.notTheCall.before.map(escape).join('|')})(?:\\s+[\\p{L}\\d]+,?){0,2}\\s*$`, 'iu');
const LINE_STARTS = data.notTheCall.lineStarts.map((s) => s.toLowerCase());
const LINE_CONTAINS = data.notTheCall.lineContains.map((s) => s.toLowerCase());

/** Only this much of each field is read, and this many lines of a description. */
const TEXT_LIMIT = 16_000;
const MAX_LINES = 400;
export const DAY_MINUTES = 1_440;

/** One time the text states with a zone. */
export interface Stated {
  readonly field: EvidenceField;
  readonly text: string;
  /** Minutes after midnight; a second reading when the 12-hour clock was written without AM or PM. */
  readonly minutes: readonly number[];
  /** The call's length when a range was written ("3:00pm - 3:30pm"), else null. */
  readonly length: number | null;
  readonly word: ZoneWord;
}

function minutesOf(hour: number, minute: number, meridiem: string | undefined): number[] | null {
  if (minute > 59 || hour > 23) return null;
  const word = meridiem?.toLowerCase();
  // Noon and midnight are 12 o'clock only: "12 noon", never "11 noon".
  if (word === 'noon' || word === 'midday') return hour === 12 && minute === 0 ? [12 * 60] : null;
  if (word === 'midnight') return hour === 12 && minute === 0 ? [0] : null;
  if (meridiem !== undefined && meridiem !== '') {
    if (hour < 1 || hour > 12) return null;
    const pm = meridiem.toLowerCase().startsWith('p');
    return [((hour % 12) + (pm ? 12 : 0)) * 60 + minute];
  }
  return hour >= 1 && hour <= 11 ? [hour * 60 + minute, (hour + 12) * 60 + minute] : [hour * 60 + minute];
}

/** A linking word after a zone: "2:00 PM WAT on Friday", "10 AM CAT for 30 minutes". */
const LINK_AFTER = /^\s+(?:on|for|with|to|and|or|at|via|by|from|until|\d)/;

/**
 * "2:00 PM CAT", "(10:00 WAT)", "14:00 EAT on Monday" name a zone; "10:00 AM, ART department",
 * "9:30 CAT scan" and "at 11 AST team" do not: a plain word is a zone only right after the clock
 * or its bracket, with punctuation, a digit or a linking word after it.
 */
function plainWordIsZone(glue: string, after: string): boolean {
  if (glue.includes(',')) return false;
  return after === '' || /^\s*[.,;:!?)\]/–-]/.test(after) || LINK_AFTER.test(after);
}

/** The zone word at the start of `tail` (after `glue`, the space or bracket between it and the clock), and what it names; null when none or one not to read. */
function zoneAt(tail: string, glue = ''): ZoneWord | null {
  const offset = OFFSET_AT.exec(tail);
  if (offset !== null) {
    // "(UTC-05:00) Eastern Time (US & Canada)", "(GMT+01:00) London": Outlook writes the standard
    // offset whatever the season, so the place after it is read; without a place, the offset.
    const minutes = Number(offset[2]) * 60 + Number(offset[3] ?? 0);
    const signed = offset[1] === '+' ? minutes : -minutes;
    const place = placeAfterOffset(tail.slice(offset[0].length), signed);
    if (place !== undefined) return { zone: place };
    return { offset: signed };
  }
  const iana = IANA_AT.exec(tail);
  if (iana?.[1] !== undefined && knownZone(iana[1]) !== null) return { zone: iana[1] };
  const name = NAME_AT.exec(tail);
  if (name?.[1] !== undefined) {
    const word = NAMES.get(name[1].toLowerCase());
    if (word?.local === true) return localPlace(tail.slice(name[1].length)) ?? word;
    // "1:30 PM your time (GMT+3)": the reader's clock, and the offset the writer believes it has.
    // A bare offset only: "your time (EST)" written in summer means Eastern, as anywhere (data `offset`).
    if (word?.reader === true) {
      const place = localPlace(tail.slice(name[1].length));
      return place?.offset === undefined || place.zone !== undefined ? word : { ...word, offset: place.offset };
    }
    // "Eastern European", "Central Park": a one-word region before another capitalised word is not one.
    const next = tail.slice(name[1].length);
    if (word !== undefined && !(!name[1].includes(' ') && /^ (?!Time\b)[A-Z]/.test(next))) return word;
  }
  const abbreviation = ABBREVIATION_AT.exec(tail);
  if (abbreviation?.[1] !== undefined) {
    const word = abbreviation[1];
    if (PLAIN_WORDS.has(word) && !plainWordIsZone(glue, tail.slice(word.length))) return null;
    return ABBREVIATIONS[word] ?? null;
  }
  const city = CITY_AT.exec(tail)?.[1];
  const zone = city === undefined ? undefined : cityZone(city);
  return zone === undefined ? null : { zone };
}

/**
 * "in", "at", "de" or a bracket between "local time" and its place: "09:35 local time in London",
 * "17:00 horas (hora local de Mérida)", "10:30 Uhr (Ortszeit Madrid)", "08:00 local time (EST)".
 */
const LOCAL_PLACE = /^\s*[,(（]?\s*(?:(?:in|at|of|de|del|en|à)\s+)?/iu;

/** The place named right after "local time", read as any zone word is; none when no place follows. */
function localPlace(after: string): ZoneWord | undefined {
  const word = zoneAt(after.replace(LOCAL_PLACE, ''));
  return word === null || word.local === true || word.reader === true ? undefined : word;
}

/** Places read after an offset: Outlook's longest list names five ("Helsinki, Kyiv, Riga, Sofia, Tallinn, Vilnius" has six). */
const PLACES_AFTER_OFFSET = 6;

/** Mid-winter and mid-summer: a zone is on its standard offset at one of them. */
const SEASONS: readonly Millis[] = [Date.UTC(2026, 0, 15), Date.UTC(2026, 6, 15)];

/**
 * The zone of the first place after an offset that names one on that offset: Outlook lists the
 * places of a zone ("(UTC+05:30) Chennai, Kolkata, Mumbai, New Delhi", "(UTC+09:00) Osaka,
 * Sapporo, Tokyo"), and the first is not always a zone's city. A place on another offset is some
 * other word ("(UTC+01:00), Sydney office"): a zone whose offsets have changed since is left out
 * too, and the offset alone is read.
 */
function placeAfterOffset(text: string, offset: number): string | undefined {
  for (const place of text.replace(/^\s+/, '').split(/\s*[,/]\s*/, PLACES_AFTER_OFFSET)) {
    const zone = place === '' || OFFSET_AT.test(place) ? undefined : zoneAt(place)?.zone;
    if (zone !== undefined && SEASONS.some((t) => offsetAt(t, zone) === offset)) return zone;
  }
  return undefined;
}

/** A city's zone; the runtime lists some by an older name ("Asia/Calcutta"), so the current one is tried too. */
function cityZone(written: string): string | undefined {
  // "in London.", "de Mérida": the sentence's full stop is no part of the name, and tzdata writes no accents.
  const city = written.replace(/\.+$/, '').normalize('NFD').replace(/\p{M}/gu, '');
  const listed = CITIES.get(city.toLowerCase());
  if (listed !== undefined) return listed;
  const part = city.replace(/ /g, '_');
  for (const region of REGIONS) {
    const zone = knownZone(`${region}/${part}`);
    if (zone !== null) return zone;
  }
  return undefined;
}

function isQuotedHeader(line: string): boolean {
  const lower = line.trim().toLowerCase();
  return LINE_STARTS.some((s) => lower.startsWith(s)) || LINE_CONTAINS.some((s) => lower.includes(s));
}

/** Every time with a zone that `line` states, but those after a deadline's words. */
function statedIn(line: string, field: EvidenceField): Stated[] {
  if (!MAY_STATE_TIME.test(line) || isQuotedHeader(line)) return [];
  const found: Stated[] = [];
  // The end of a range ("3:00pm - 3:30pm EDT") is read with its start, not as a time of its own.
  let consumed = 0;
  for (const match of line.matchAll(TIME)) {
    const [whole, hour, m1, m2, given, alone] = match;
    // "noon" alone reads as "12 noon".
    const h = hour ?? '12';
    const index = match.index;
    const meridiem = given ?? alone ?? JAPANESE_MERIDIEM[line.slice(Math.max(0, index - 2), index)];
    if (index < consumed) continue;
    // A bare number ("10 PT") is too often something else: minutes, "h", a meridiem or "Uhr" must say
    // it is a clock, or "at" before it and a place's "time" after it ("at 9 Sydney time").
    let rest = line.slice(index + whole.length, index + whole.length + 120);
    const range = RANGE_END.exec(rest);
    let length: number | null = null;
    let startMeridiem = meridiem;
    if (range !== null) {
      const endMeridiem = range[4] ?? range[5];
      const endMinutes = minutesOf(Number(range[1] ?? 12), Number(range[2] ?? range[3] ?? 0), endMeridiem);
      // "10 - 10:30am": the start shares the end's AM or PM (not its "noon": "11:30 - 12 noon").
      if (startMeridiem === undefined && range[4] !== undefined && /^[ap]/i.test(range[4])) startMeridiem = range[4];
      const startMinutes = minutesOf(Number(h), Number(m1 ?? m2 ?? 0), startMeridiem);
      // The shortest reading: "12 noon - 1" and "12:30 - 1:00" end after noon, as "10:30 - 11" ends half an hour later.
      if (endMinutes !== null && startMinutes !== null) {
        const lengths = endMinutes.flatMap((e) => startMinutes.map((b) => (((e - b) % DAY_MINUTES) + DAY_MINUTES) % DAY_MINUTES));
        length = Math.min(...lengths);
      }
      rest = rest.slice(range[0].length);
      consumed = index + whole.length + range[0].length;
    }
    const glue = GLUE.exec(rest)?.[0] ?? '';
    const isClock = m1 !== undefined || /h|時/.test(whole) || startMeridiem !== undefined || /uhr/i.test(glue)
      || (AT_BEFORE.test(line.slice(Math.max(0, index - 4), index)) && PLACE_TIME.test(rest.slice(glue.length)));
    if (!isClock) continue;
    const word = zoneAt(rest.slice(glue.length), glue);
    if (word === null) continue;
    if (BEFORE.test(line.slice(Math.max(0, index - 40), index))) continue;
    const minutes = minutesOf(Number(h), Number(m1 ?? m2 ?? 0), startMeridiem);
    if (minutes === null) continue;
    const end = index + whole.length + (range?.[0].length ?? 0) + glue.length + 24;
    found.push({ field, text: line.slice(index, end).replace(/\s+/g, ' ').trim(), minutes, length, word });
  }
  return found;
}

/**
 * A line that gives the zone of the line above it: Cal.com copies a booking as "when: Tuesday,
 * March 10, 2026, 2:00 PM - 2:30 PM" over "timezone: Europe/London (Greenwich Mean Time)".
 */
const ZONE_LINE = /^\s*time\s?zone\s*:\s*(\S.*)$/i;

/** The lines of a field, each followed by the zone the next line gives it, if it does. */
function linesOf(text: string): string[] {
  const lines = plainText(text.slice(0, TEXT_LIMIT)).split(/\r\n?|\n/).slice(0, MAX_LINES);
  return lines.map((line, i) => {
    const zone = ZONE_LINE.exec(lines[i + 1] ?? '')?.[1];
    return zone === undefined ? line : `${line} (${zone})`;
  });
}

/** Every time with a zone the title, location and description state. */
export function statedTimes(event: { readonly title: string; readonly location: string; readonly description: string }): Stated[] {
  return [
    ...linesOf(event.title).flatMap((line) => statedIn(line, 'title')),
    ...linesOf(event.location).flatMap((line) => statedIn(line, 'location')),
    ...linesOf(event.description).flatMap((line) => statedIn(line, 'description')),
  ];
}
