/**
 * One entry of a real calendar file, damaged the way real writers and transports damage entries.
 * Each kind is one the public record shows (cited beside it); the values put in are ours. Works on
 * the physical lines of the file, so that a fold can be broken and a line cut as bytes are cut.
 */
import fc from 'fast-check';
import { valueColon } from '../../src/providers/calendar/ical-repair.js';

/** The physical lines [begin, end] of one top-level VEVENT (end: its END line, or its last line when it has none). */
export interface EntrySpan {
  readonly begin: number;
  readonly end: number;
  /** Its UID as written, unfolded. */
  readonly uid: string;
}

export function entriesOf(lines: readonly string[]): EntrySpan[] {
  const spans: EntrySpan[] = [];
  let begin = -1;
  const close = (end: number): void => {
    if (begin < 0) return;
    const unfolded = unfold(lines.slice(begin, end + 1));
    const uid = unfolded.find((line) => /^UID[;:]/i.test(line))?.replace(/^UID[^:]*:/i, '') ?? '';
    spans.push({ begin, end, uid });
    begin = -1;
  };
  lines.forEach((line, i) => {
    if (/^BEGIN:VEVENT\s*$/i.test(line)) {
      close(i - 1);
      begin = i;
    } else if (/^END:VEVENT\s*$/i.test(line)) close(i);
    else if (/^(BEGIN|END):VCALENDAR\s*$/i.test(line)) close(i - 1);
  });
  close(lines.length - 1);
  return spans;
}

function unfold(lines: readonly string[]): string[] {
  const out: string[] = [];
  for (const line of lines) {
    if ((line.startsWith(' ') || line.startsWith('\t')) && out.length > 0) out[out.length - 1] += line.slice(1);
    else out.push(line);
  }
  return out;
}

export const MUTATION_KINDS = [
  // Each kind, and the public report of it in the wild:
  'drop-line', // a line lost in transit or by a writer that skips a property (an entry with no DTSTART, lfos/calcurse#517's neighbours)
  'duplicate-property', // Yahoo Calendar writes STATUS twice (sabre-io/vobject#363), Apple iCal METHOD/STATUS (closeio/sync-engine#375), two DTSTART (YoloSwagTeam/hackeragenda#11)
  'truncate-value', // a value cut short (an unescaped comma cut a SUMMARY, lfos/calcurse#265); a file cut mid-line
  'swap-start-end', // DTEND before DTSTART (gnome-calendar, pimutils/khal#680; Thunderbird, bitfireAT/synctools#156)
  'junk-tzid', // a TZID nobody knows (/freeassociation.sourceforge.net/Tzfile/…, owncloud-archive/calendar#790)
  'break-fold', // a fold without its leading space (arran4/golang-ical#39)
  'insert-nul', // a control character inside a value (no writer cited: what a damaged byte stream holds)
  'lone-surrogate', // half an emoji, a writer folding inside a surrogate pair (adamgibbons/ics#257)
  'huge-count', // COUNT far beyond any calendar (the COUNT=100000 rules of the README's table, and more)
  'nested-begin', // a component opened and never closed (sabre/vobject "End of document reached prematurely", owncloud/core#22820)
  'unknown-rule-part', // X-BUSYMAC-REGENERATE=TRASH in an RRULE (jkbrzt/rrule#482), RRULE;X-EVOLUTION-ENDDATE=… (jkbrzt/rrule#616, allenporter/gcal_sync#135)
  'wrong-type', // DTSTART;VALUE=DATE with a time (lfos/calcurse#517), a date without VALUE=DATE (derekantrican/GAS-ICS-Sync#55), NaN dates (jshor/datebook#3)
] as const;

export type MutationKind = (typeof MUTATION_KINDS)[number];

export interface Mutation {
  readonly kind: MutationKind;
  /** Chooses the line, the position, the value: taken modulo what there is to choose from. */
  readonly at: number;
  readonly pick: number;
}

export const mutation: fc.Arbitrary<Mutation> = fc.record({
  kind: fc.constantFrom(...MUTATION_KINDS),
  at: fc.nat({ max: 1_000_000 }),
  pick: fc.nat({ max: 1_000 }),
});

const JUNK_ZONES = ['Mars/Olympus_Mons', '', '"', '/freeassociation.sourceforge.net/Tzfile/Europe/Berlin', '(UTC+25:00) Nowhere', 'Europe/Berlin:', 'W. Europe Standard Time;X-A=1', '\\'];
const HUGE_COUNTS = ['2147483647', '4294967296', '1000000000000000', '99999999999999999999999', '1e9', '-1', '0'];
const NESTED = ['VALARM', 'VEVENT', 'VTODO', 'X-ODD', 'VTIMEZONE', 'VCALENDAR', 'STANDARD'];
const UNKNOWN_PARTS = ['X-BUSYMAC-REGENERATE=TRASH', 'BYEASTER=0', 'FOO', 'SKIP=FORWARD', 'RSCALE=CHINESE', 'X-A=1;X-B=2', '=', 'BYDAY'];
const WRONG_VALUES = ['banana', '20240230T250000', '20240101', '20240101T090000ZZ', 'P1X', '-1', 'TRUE', '', 'NaNaNaNTaNaNaN', 'mailto:', '1.5', 'PT-5M'];
const WRONG_PARAMS = ['', ';VALUE=DATE', ';VALUE=PERIOD', ';VALUE=DATE-TIME', ';VALUE=TEXT', ';VALUE=INTEGER'];

const choose = <T>(list: readonly T[], n: number): T => list[n % list.length] as T;

/** The file's lines with entry `span` damaged by `m`. */
export function mutate(lines: readonly string[], span: EntrySpan, m: Mutation): string[] {
  const before = lines.slice(0, span.begin);
  const entry = lines.slice(span.begin, span.end + 1);
  const after = lines.slice(span.end + 1);
  return [...before, ...mutateEntry(entry, m), ...after];
}

/** The starts (in `entry`) of its property lines, BEGIN and END lines excepted. */
function propertyStarts(entry: readonly string[], name?: RegExp): number[] {
  const starts: number[] = [];
  entry.forEach((line, i) => {
    if (line.startsWith(' ') || line.startsWith('\t') || /^(BEGIN|END):/i.test(line)) return;
    if (name === undefined || name.test(line)) starts.push(i);
  });
  return starts;
}

/** The physical lines of the property starting at `start`: it and its continuations. */
function extent(entry: readonly string[], start: number): number {
  let end = start + 1;
  while (end < entry.length && /^[ \t]/.test(entry[end] ?? '')) end += 1;
  return end;
}

/** Replaces the property at `start` (with its continuations) by `replacement` lines. */
function replaceProperty(entry: readonly string[], start: number, replacement: readonly string[]): string[] {
  return [...entry.slice(0, start), ...replacement, ...entry.slice(extent(entry, start))];
}

const propertyText = (entry: readonly string[], start: number): string => unfold(entry.slice(start, extent(entry, start)))[0] ?? '';

/** After BEGIN:VEVENT, so that the added line is inside the entry. */
const addProperty = (entry: readonly string[], line: string): string[] => [entry[0] ?? '', line, ...entry.slice(1)];

function mutateEntry(entry: readonly string[], m: Mutation): string[] {
  const props = propertyStarts(entry);
  const prop = props.length > 0 ? choose(props, m.at) : -1;
  switch (m.kind) {
    case 'drop-line': {
      const i = m.at % entry.length;
      return [...entry.slice(0, i), ...entry.slice(i + 1)];
    }
    case 'duplicate-property': {
      if (prop < 0) return [...entry];
      const end = extent(entry, prop);
      return [...entry.slice(0, end), ...entry.slice(prop, end), ...entry.slice(end)];
    }
    case 'truncate-value': {
      if (prop < 0) return [...entry];
      const text = propertyText(entry, prop);
      const colon = valueColon(text);
      const cut = colon < 0 ? m.pick % (text.length + 1) : colon + 1 + (m.pick % (text.length - colon));
      return replaceProperty(entry, prop, [text.slice(0, cut)]);
    }
    case 'swap-start-end':
      return entry.map((line) => (/^DTSTART[;:]/i.test(line) ? line.replace(/^DTSTART/i, 'DTEND') : /^DTEND[;:]/i.test(line) ? line.replace(/^DTEND/i, 'DTSTART') : line));
    case 'junk-tzid': {
      const junk = choose(JUNK_ZONES, m.pick);
      const zoned = propertyStarts(entry, /^[A-Z-]+;[^:]*TZID=/i);
      if (zoned.length === 0) {
        const start = propertyStarts(entry, /^DTSTART[;:]/i)[0];
        if (start === undefined) return addProperty(entry, `DTSTART;TZID=${junk}:20240305T090000`);
        const text = propertyText(entry, start);
        return replaceProperty(entry, start, [text.replace(/^DTSTART/i, `DTSTART;TZID=${junk}`)]);
      }
      const at = choose(zoned, m.at);
      const text = propertyText(entry, at);
      return replaceProperty(entry, at, [text.replace(/TZID=("[^"]*"|[^;:]*)/i, `TZID=${junk}`)]);
    }
    case 'break-fold': {
      const folds = entry.flatMap((line, i) => (/^[ \t]/.test(line) ? [i] : []));
      if (folds.length > 0) {
        const i = choose(folds, m.at);
        return entry.map((line, j) => (j === i ? line.slice(1) : line));
      }
      if (prop < 0) return [...entry];
      const line = entry[prop] ?? '';
      const cut = 1 + (m.pick % Math.max(1, line.length - 1));
      return [...entry.slice(0, prop), line.slice(0, cut), line.slice(cut), ...entry.slice(prop + 1)];
    }
    case 'insert-nul':
    case 'lone-surrogate': {
      const i = m.at % entry.length;
      const line = entry[i] ?? '';
      const cut = m.pick % (line.length + 1);
      const odd = m.kind === 'insert-nul' ? '\u0000' : choose(['\ud83d', '\ude00', '\udbff'], m.pick);
      return entry.map((l, j) => (j === i ? line.slice(0, cut) + odd + line.slice(cut) : l));
    }
    case 'huge-count': {
      const count = choose(HUGE_COUNTS, m.pick);
      const rule = propertyStarts(entry, /^RRULE[;:]/i)[0];
      if (rule === undefined) return addProperty(entry, `RRULE:FREQ=${choose(['SECONDLY', 'MINUTELY', 'DAILY', 'WEEKLY', 'YEARLY'], m.at)};COUNT=${count}`);
      const text = propertyText(entry, rule).replace(/;?(COUNT|UNTIL)=[^;]*/gi, '');
      return replaceProperty(entry, rule, [`${text};COUNT=${count}`]);
    }
    case 'nested-begin': {
      const i = 1 + (m.at % Math.max(1, entry.length - 1));
      return [...entry.slice(0, i), `BEGIN:${choose(NESTED, m.pick)}`, ...entry.slice(i)];
    }
    case 'unknown-rule-part': {
      const part = choose(UNKNOWN_PARTS, m.pick);
      const rule = propertyStarts(entry, /^RRULE[;:]/i)[0];
      const asParameter = m.at % 3 === 0;
      if (rule === undefined) return addProperty(entry, asParameter ? 'RRULE;X-EVOLUTION-ENDDATE=20241223T140000Z:FREQ=WEEKLY;COUNT=3' : `RRULE:FREQ=WEEKLY;COUNT=3;${part}`);
      const text = propertyText(entry, rule);
      return replaceProperty(entry, rule, [asParameter ? text.replace(/^RRULE/i, 'RRULE;X-EVOLUTION-ENDDATE=20241223T140000Z') : `${text};${part}`]);
    }
    case 'wrong-type': {
      if (prop < 0) return [...entry];
      const text = propertyText(entry, prop);
      const colon = valueColon(text);
      if (colon < 0) return [...entry];
      const head = text.slice(0, colon).replace(/;VALUE=[^;:]*/i, '');
      return replaceProperty(entry, prop, [`${head}${choose(WRONG_PARAMS, m.at)}:${choose(WRONG_VALUES, m.pick)}`]);
    }
  }
}
